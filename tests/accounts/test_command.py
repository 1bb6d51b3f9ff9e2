"""`danvan accounts …`: officials and grants from the console, through the services."""

from __future__ import annotations

import json
import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from danvan.accounts.models import Role, RoleAssignment, User
from danvan.audit.models import AuditEntry
from danvan.audit.services import audit_verify
from danvan.units.models import OrganisationKind, Unit
from tests.factories import UserFactory, VillageFactory

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = StringIO()
    call_command("accounts", *args, stdout=out)
    return out.getvalue()


def test_create_official_with_a_password() -> None:
    out = run("create-official", "--username", "canbo.moi", "--full-name", "Vũ Thị Lan", "--email",
              "lan@example.vn", "--phone", "0912000111", "--password", "mat-khau-rat-dai-2025")
    assert "Đã tạo tài khoản cán bộ canbo.moi (Vũ Thị Lan)." in out
    assert "Mật khẩu tạm thời" not in out
    user = User.objects.get(username="canbo.moi")
    assert user.is_official and user.full_name == "Vũ Thị Lan" and user.phone == "0912000111"
    assert user.check_password("mat-khau-rat-dai-2025")
    assert AuditEntry.objects.filter(action="accounts.official_create", object_id=str(user.pk)).exists()


def test_create_official_without_a_password_prints_a_random_one() -> None:
    out = run("create-official", "--username", "canbo.ngaunhien", "--full-name", "Hoàng Văn Nam")
    match = re.search(r"Mật khẩu tạm thời \(chỉ hiện một lần, hãy đổi sau khi đăng nhập\): (\S+)", out)
    assert match is not None
    assert User.objects.get(username="canbo.ngaunhien").check_password(match.group(1))
    assert len(match.group(1)) >= 12


def test_create_official_refuses_a_taken_name_and_a_weak_password() -> None:
    UserFactory(username="canbo.trung")
    with pytest.raises(CommandError, match=re.escape("Tên đăng nhập canbo.trung đã có.")):
        run("create-official", "--username", "canbo.trung", "--full-name", "A")
    with pytest.raises(CommandError) as weak:
        run("create-official", "--username", "canbo.yeu", "--full-name", "B", "--password", "123")
    assert str(weak.value) == ("Mật khẩu quá ngắn: cần ít nhất 10 ký tự. Mật khẩu này quá phổ biến. "
                               "Mật khẩu không được chỉ gồm chữ số.")
    assert not User.objects.filter(username="canbo.yeu").exists()


def test_grant_on_a_commune_with_organisation_and_title() -> None:
    user = UserFactory(username="canbo.mttq")
    out = run("grant", "--username", "canbo.mttq", "--role", "supervisor", "--unit", "00004",
              "--organisation", "mttq", "--title", "Chủ tịch Ủy ban MTTQ phường")
    assert "Đã cấp vai trò Cán bộ Mặt trận, Ban Tuyên giáo và Dân vận, đoàn thể tại Phường Ba Đình" in out
    grant = RoleAssignment.objects.get(user=user)
    assert grant.unit.path == "VN.01.00004." and grant.organisation is not None
    assert grant.organisation.kind == OrganisationKind.FATHERLAND_FRONT
    assert grant.title == "Chủ tịch Ủy ban MTTQ phường"
    entry = AuditEntry.objects.get(action="accounts.role_grant", object_id=str(grant.pk))
    assert entry.unit_path == "VN.01.00004."
    # Granting again changes nothing and says so.
    again = run("grant", "--username", "canbo.mttq", "--role", "supervisor", "--unit", "00004")
    assert "đã có vai trò" in again
    assert RoleAssignment.objects.filter(user=user).count() == 1


def test_grant_on_a_province_and_on_a_village() -> None:
    UserFactory(username="canbo.tinh")
    UserFactory(username="truong.thon")
    village = VillageFactory(parent=Unit.objects.get(path="VN.01.00004."), code="T007", name="Tổ dân phố 7")
    run("grant", "--username", "canbo.tinh", "--role", "leader", "--unit", "01")
    run("grant", "--username", "truong.thon", "--role", "village_head", "--unit", "00004.t007")
    assert RoleAssignment.objects.get(user__username="canbo.tinh").unit.path == "VN.01."
    assert RoleAssignment.objects.get(user__username="truong.thon").unit == village


@pytest.mark.parametrize(("args", "message"), [
    (["--role", "boss", "--unit", "00004"], "Vai trò «boss» không có trong danh mục"),
    (["--role", "handler", "--unit", "99999"], "Không tìm thấy đơn vị có mã 99999"),
    (["--role", "handler", "--unit", "abc"], "Không tìm thấy đơn vị có mã abc"),
    (["--role", "handler", "--unit", "00004", "--organisation", "hoi_ccb_x"], "Loại cơ quan, tổ chức"),
    (["--role", "handler", "--unit", "01", "--organisation", "ban_ttnd"], "không có Ban Thanh tra nhân dân"),
])
def test_grant_errors_are_vietnamese(args: list[str], message: str) -> None:
    UserFactory(username="canbo.loi")
    with pytest.raises(CommandError, match=re.escape(message)):
        run("grant", "--username", "canbo.loi", *args)
    assert not RoleAssignment.objects.exists()


def test_grant_needs_an_existing_official_account() -> None:
    with pytest.raises(CommandError, match=re.escape("Không có tài khoản khong.co.")):
        run("grant", "--username", "khong.co", "--role", "handler", "--unit", "00004")
    UserFactory(username="cong.dan", is_official=False)
    with pytest.raises(CommandError, match="không phải tài khoản cán bộ"):
        run("grant", "--username", "cong.dan", "--role", "handler", "--unit", "00004")


def test_grant_refuses_a_dissolved_unit() -> None:
    UserFactory(username="canbo.cu")
    # A legacy commune cannot be typed as a current code: 5 digits find the current unit only.
    Unit.objects.filter(path="VN.01.00008.").update(status="dissolved")
    with pytest.raises(CommandError, match="đơn vị đã giải thể"):
        run("grant", "--username", "canbo.cu", "--role", "handler", "--unit", "00008")


def test_revoke() -> None:
    user = UserFactory(username="canbo.thuhoi")
    run("grant", "--username", "canbo.thuhoi", "--role", "handler", "--unit", "00004")
    out = run("revoke", "--username", "canbo.thuhoi", "--role", "handler", "--unit", "00004")
    assert "Đã thu hồi vai trò Cán bộ xử lý tại Phường Ba Đình của canbo.thuhoi." in out
    grant = RoleAssignment.objects.get(user=user)
    assert not grant.active
    assert AuditEntry.objects.filter(action="accounts.role_revoke", object_id=str(grant.pk)).exists()
    with pytest.raises(CommandError, match="không có vai trò Cán bộ xử lý đang hiệu lực"):
        run("revoke", "--username", "canbo.thuhoi", "--role", "handler", "--unit", "00004")


def test_list_filters_by_unit_subtree() -> None:
    UserFactory(username="a.badinh", full_name="Người Ba Đình")
    UserFactory(username="b.hanoi")
    UserFactory(username="c.hcm")
    run("grant", "--username", "a.badinh", "--role", "handler", "--unit", "00004")
    run("grant", "--username", "b.hanoi", "--role", "leader", "--unit", "01")
    hcm_commune = Unit.objects.filter(path__startswith="VN.79.", level=3).order_by("code").first()
    assert hcm_commune is not None
    run("grant", "--username", "c.hcm", "--role", "viewer", "--unit", hcm_commune.code)

    hanoi = run("list", "--unit", "01")
    assert "a.badinh | Người Ba Đình | Cán bộ xử lý | Phường Ba Đình (00004)" in hanoi
    assert "b.hanoi" in hanoi and "c.hcm" not in hanoi
    assert "Tổng cộng: 2 phân quyền." in hanoi
    commune = run("list", "--unit", "00004")
    assert "a.badinh" in commune and "b.hanoi" not in commune
    everything = json.loads(run("list", "--json"))
    assert {row["username"] for row in everything} >= {"a.badinh", "b.hanoi", "c.hcm"}
    assert run("list", "--unit", "00008") == "Không có phân quyền nào.\n"


def test_list_all_includes_revoked_grants() -> None:
    UserFactory(username="d.cu")
    run("grant", "--username", "d.cu", "--role", "handler", "--unit", "00004")
    run("revoke", "--username", "d.cu", "--role", "handler", "--unit", "00004")
    assert "d.cu" not in run("list", "--username", "d.cu")
    assert "đã thu hồi" in run("list", "--username", "d.cu", "--all")


def test_link_oidc() -> None:
    user = UserFactory(username="canbo.vneid")
    assert "Đã liên kết canbo.vneid" in run("link-oidc", "--username", "canbo.vneid", "--subject", "abc-123")
    user.refresh_from_db()
    assert user.oidc_subject == "abc-123"
    assert "Đã hủy liên kết" in run("link-oidc", "--username", "canbo.vneid", "--subject", "")
    user.refresh_from_db()
    assert user.oidc_subject == ""


def test_every_command_write_keeps_the_audit_chain_intact() -> None:
    UserFactory(username="e.chuoi")
    run("create-official", "--username", "f.chuoi", "--full-name", "F")
    run("grant", "--username", "e.chuoi", "--role", Role.VIEWER, "--unit", "01")
    run("revoke", "--username", "e.chuoi", "--role", Role.VIEWER, "--unit", "01")
    result = audit_verify()
    assert result.ok, result
