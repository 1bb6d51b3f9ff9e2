"""Account services: what they refuse, and that each write leaves one audit entry."""

from __future__ import annotations

import pytest

from danvan.accounts.models import Role, RoleAssignment, User
from danvan.accounts.services import official_create, role_grant, role_revoke
from danvan.audit.models import AuditEntry
from danvan.core.errors import DomainError
from danvan.units.models import OrganisationKind, Unit
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def ba_dinh() -> Unit:
    return Unit.objects.get(path="VN.01.00004.")


def test_grant_is_idempotent(ba_dinh: Unit) -> None:
    user = UserFactory()
    first = role_grant(actor=None, user=user, role=Role.HANDLER, unit=ba_dinh)
    again = role_grant(actor=None, user=user, role=Role.HANDLER, unit=ba_dinh)
    assert first == again
    assert AuditEntry.objects.filter(action="accounts.role_grant", object_id=str(first.pk)).count() == 1


def test_grant_after_revoke_makes_a_new_grant_and_keeps_the_old(ba_dinh: Unit) -> None:
    user = UserFactory()
    old = role_grant(actor=None, user=user, role=Role.HANDLER, unit=ba_dinh)
    role_revoke(actor=None, grant=old)
    new = role_grant(actor=None, user=user, role=Role.HANDLER, unit=ba_dinh)
    assert new.pk != old.pk
    assert list(RoleAssignment.objects.filter(user=user).order_by("id").values_list("active", flat=True)) == [
        False, True]


def test_revoking_twice_is_refused(ba_dinh: Unit) -> None:
    grant = role_grant(actor=None, user=UserFactory(), role=Role.VIEWER, unit=ba_dinh)
    role_revoke(actor=None, grant=grant)
    with pytest.raises(DomainError, match="đã hết hiệu lực"):
        role_revoke(actor=None, grant=grant)
    assert AuditEntry.objects.filter(action="accounts.role_revoke", object_id=str(grant.pk)).count() == 1


@pytest.mark.parametrize(("case", "message"), [
    ("unknown_role", "không có trong danh mục"),
    ("inactive_user", "đang bị khóa"),
    ("citizen", "không phải tài khoản cán bộ"),
    ("dissolved_unit", "đơn vị đã giải thể"),
    ("legacy_unit", "đơn vị đã giải thể"),
    ("organisation_elsewhere", "không thuộc đơn vị đã chọn"),
])
def test_grant_refusals(ba_dinh: Unit, case: str, message: str) -> None:
    user = UserFactory(is_active=case != "inactive_user", is_official=case != "citizen")
    role = "boss" if case == "unknown_role" else Role.HANDLER
    unit = ba_dinh
    organisation = None
    if case == "dissolved_unit":
        Unit.objects.filter(pk=ba_dinh.pk).update(status="dissolved")
        unit.refresh_from_db()
    if case == "legacy_unit":
        unit = Unit.objects.get(path="VNL.01.001.00004.")
    if case == "organisation_elsewhere":
        neighbour = Unit.objects.get(path="VN.01.00008.")
        organisation = neighbour.organisations.get(kind=OrganisationKind.FATHERLAND_FRONT)
    before = AuditEntry.objects.count()
    with pytest.raises(DomainError, match=message):
        role_grant(actor=None, user=user, role=role, unit=unit, organisation=organisation)
    assert not RoleAssignment.objects.filter(user=user).exists()
    assert AuditEntry.objects.count() == before


def test_grant_records_who_granted(ba_dinh: Unit) -> None:
    admin = UserFactory(username="quantri.tinh")
    grant = role_grant(actor=admin, user=UserFactory(), role=Role.LEADER, unit=ba_dinh,
                       organisation=ba_dinh.organisations.get(kind=OrganisationKind.PEOPLES_COMMITTEE),
                       title="  Chủ tịch UBND phường ")
    assert grant.granted_by == admin and grant.title == "Chủ tịch UBND phường"
    entry = AuditEntry.objects.get(action="accounts.role_grant", object_id=str(grant.pk))
    assert entry.actor_id == admin.pk and entry.actor_label == "quantri.tinh"
    assert entry.after == {"user": grant.user.username, "role": "leader", "unit": "00004",
                           "organisation": "ubnd", "title": "Chủ tịch UBND phường"}


def test_official_create_refuses_a_name_differing_only_in_case() -> None:
    UserFactory(username="canbo.hoa")
    with pytest.raises(DomainError, match="đã có"):
        official_create(actor=None, username="CanBo.Hoa", password=None, full_name="X")


def test_official_create_without_password_makes_an_unusable_one() -> None:
    user = official_create(actor=None, username="canbo.chuaco", password=None, full_name="Chưa Có Mật Khẩu")
    assert not user.has_usable_password() and user.is_official
    assert User.objects.filter(username="canbo.chuaco").exists()


def test_official_create_refuses_a_bad_username() -> None:
    with pytest.raises(DomainError, match="tên đăng nhập hợp lệ"):
        official_create(actor=None, username="cán bộ có dấu cách", password=None, full_name="X")
    assert not User.objects.filter(full_name="X").exists()
