"""The audit trail: every service write appends one hash-chained entry, and `danvan audit
verify` finds the first entry that was edited, removed from the middle, or cut off the end
behind the application's back (raw SQL, as someone with database access would)."""

from __future__ import annotations

import json
from collections.abc import Callable
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from danvan.accounts.models import Role, User
from danvan.accounts.services import (
    official_create,
    role_grant,
    role_revoke,
    totp_confirm,
    totp_disable,
    totp_start,
    user_link_oidc,
)
from danvan.audit.models import AuditChainHead, AuditEntry
from danvan.audit.services import GENESIS, audit_record, audit_verify, entry_hash
from danvan.units.models import Unit
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fast_password_hasher(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def ba_dinh() -> Unit:
    return Unit.objects.get(path="VN.01.00004.")


def verify() -> str:
    out = StringIO()
    call_command("audit", "verify", stdout=out)
    return out.getvalue()


def verify_fails() -> str:
    with pytest.raises(CommandError) as failure:
        verify()
    return str(failure.value)


def sql(statement: str, params: list[Any]) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


def json_param() -> str:
    # PostgreSQL keeps JSON as jsonb and wants the text cast; SQLite keeps it as text.
    return "CAST(%s AS jsonb)" if connection.vendor == "postgresql" else "%s"


def three_grants(ba_dinh: Unit) -> list[AuditEntry]:
    users = [UserFactory() for _ in range(3)]
    for user in users:
        role_grant(actor=None, user=user, role=Role.HANDLER, unit=ba_dinh)
    entries = list(AuditEntry.objects.filter(action="accounts.role_grant").order_by("-id")[:3])
    return sorted(entries, key=lambda e: e.pk)


# --- appending ----------------------------------------------------------------------------

def test_role_grant_appends_one_entry_linked_to_the_previous(ba_dinh: Unit) -> None:
    head_before = AuditChainHead.objects.get(id=1)
    count = AuditEntry.objects.count()
    admin = UserFactory(username="quantri")
    user = UserFactory()
    grant = role_grant(actor=admin, user=user, role=Role.HANDLER, unit=ba_dinh)
    assert AuditEntry.objects.count() == count + 1
    entry = AuditEntry.objects.latest("id")
    assert entry.action == "accounts.role_grant"
    assert entry.object_type == "accounts.roleassignment" and entry.object_id == str(grant.pk)
    assert entry.actor_id == admin.pk and entry.actor_label == "quantri"
    assert entry.unit_path == "VN.01.00004."
    assert entry.prev_hash == head_before.last_hash
    assert entry.hash == entry_hash(prev_hash=entry.prev_hash, at=entry.at, actor_id=entry.actor_id,
                                    actor_label=entry.actor_label, action=entry.action,
                                    object_type=entry.object_type, object_id=entry.object_id,
                                    object_repr=entry.object_repr, unit_path=entry.unit_path,
                                    before=entry.before, after=entry.after)
    head = AuditChainHead.objects.get(id=1)
    assert (head.last_id, head.last_hash) == (entry.pk, entry.hash)


def _totp_code(device: TOTPDevice) -> str:
    t = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{t.token():06d}"


def _enable_totp(user: User) -> TOTPDevice:
    device = totp_start(user=user)
    assert totp_confirm(user=user, device=device, token=_totp_code(device))
    return device


def _disable_totp(user: User) -> None:
    device = TOTPDevice.objects.get(user=user, confirmed=True)
    t = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    t.time += device.step  # the next code: the current one was used to confirm
    assert totp_disable(user=user, token=f"{t.token():06d}")


WRITES: dict[str, tuple[str, Callable[[User, Unit], Any]]] = {
    "official_create": ("accounts.official_create", lambda u, unit: official_create(
        actor=u, username="canbo.moi", password=None, full_name="Cán Bộ Mới")),
    "role_grant": ("accounts.role_grant", lambda u, unit: role_grant(
        actor=None, user=u, role=Role.VIEWER, unit=unit)),
    "role_revoke": ("accounts.role_revoke", lambda u, unit: role_revoke(
        actor=None, grant=role_grant(actor=None, user=u, role=Role.VIEWER, unit=unit))),
    "user_link_oidc": ("accounts.oidc_link", lambda u, unit: user_link_oidc(
        actor=None, user=u, subject="s-1")),
    "totp_confirm": ("accounts.totp_enable", lambda u, unit: _enable_totp(u)),
    "totp_disable": ("accounts.totp_disable", lambda u, unit: (_enable_totp(u), _disable_totp(u))),
}


@pytest.mark.parametrize("name", sorted(WRITES))
def test_every_accounts_write_appends_a_chained_entry(name: str, ba_dinh: Unit) -> None:
    action, write = WRITES[name]
    user = UserFactory()
    before = AuditEntry.objects.count()
    write(user, ba_dinh)
    entries = list(AuditEntry.objects.order_by("id"))
    assert len(entries) > before
    assert entries[-1].action == action
    # The new entries continue the chain: each one's prev_hash is the hash before it.
    for previous, entry in zip(entries[before - 1:], entries[before:], strict=False):
        assert entry.prev_hash == previous.hash
    assert audit_verify().ok


def test_the_first_entry_links_to_genesis() -> None:
    first = AuditEntry.objects.order_by("id").first()
    assert first is not None and first.prev_hash == GENESIS


# --- verify ---------------------------------------------------------------------------

def test_verify_passes_on_an_intact_chain(ba_dinh: Unit) -> None:
    three_grants(ba_dinh)
    n = AuditEntry.objects.count()
    assert verify().strip() == f"Nhật ký toàn vẹn: đã kiểm tra {n} mục."
    out = StringIO()
    call_command("audit", "verify", "--json", stdout=out)
    assert json.loads(out.getvalue()) == {"ok": True, "checked": n, "first_bad_id": None,
                                          "last_good_id": None, "reason": ""}


def test_verify_works_across_batches(ba_dinh: Unit) -> None:
    three_grants(ba_dinh)
    result = audit_verify(batch_size=2)
    assert result.ok and result.checked == AuditEntry.objects.count()


def test_an_edited_after_is_reported_at_that_entry(ba_dinh: Unit) -> None:
    first, second, _third = three_grants(ba_dinh)
    sql(f"UPDATE audit_auditentry SET after = {json_param()} WHERE id = %s",  # noqa: S608 - no user input
        [json.dumps({**second.after, "role": "leader"}), second.pk])
    message = verify_fails()
    assert f"mục đầu tiên sai là #{second.pk}" in message
    assert "nội dung bị sửa" in message
    result = audit_verify()
    assert (result.first_bad_id, result.reason, result.last_good_id) == (second.pk, "content", first.pk)


def test_an_edited_action_is_reported_at_that_entry(ba_dinh: Unit) -> None:
    _first, second, _third = three_grants(ba_dinh)
    sql("UPDATE audit_auditentry SET action = %s WHERE id = %s", ["accounts.role_revoke", second.pk])
    assert f"#{second.pk} (nội dung bị sửa)" in verify_fails()


def test_with_two_edits_the_first_one_is_reported(ba_dinh: Unit) -> None:
    _first, second, third = three_grants(ba_dinh)
    sql("UPDATE audit_auditentry SET actor_label = %s WHERE id = %s", ["ke-gian", third.pk])
    sql("UPDATE audit_auditentry SET object_repr = %s WHERE id = %s", ["khác", second.pk])
    assert audit_verify().first_bad_id == second.pk
    assert f"#{second.pk}" in verify_fails()


def test_an_edit_with_a_recomputed_hash_breaks_the_next_link(ba_dinh: Unit) -> None:
    """Someone who also rewrites the row's own hash to match is caught at the following row,
    whose stored link still names the original hash."""
    _first, second, third = three_grants(ba_dinh)
    forged = entry_hash(prev_hash=second.prev_hash, at=second.at, actor_id=second.actor_id,
                        actor_label=second.actor_label, action="accounts.role_revoke",
                        object_type=second.object_type, object_id=second.object_id,
                        object_repr=second.object_repr, unit_path=second.unit_path, before=second.before,
                        after=second.after)
    sql("UPDATE audit_auditentry SET action = %s, hash = %s WHERE id = %s",
        ["accounts.role_revoke", forged, second.pk])
    result = audit_verify()
    assert (result.first_bad_id, result.reason, result.last_good_id) == (third.pk, "link", second.pk)


def test_a_row_deleted_in_the_middle_is_reported_at_the_next_row(ba_dinh: Unit) -> None:
    first, second, third = three_grants(ba_dinh)
    sql("DELETE FROM audit_auditentry WHERE id = %s", [second.pk])
    message = verify_fails()
    assert f"mục đầu tiên sai là #{third.pk}" in message
    assert "mục trước đã bị xóa hoặc sửa" in message
    assert f"Mục cuối còn đúng là #{first.pk}" in message
    assert audit_verify().reason == "link"


def test_deleting_the_last_row_is_reported_as_truncation(ba_dinh: Unit) -> None:
    _first, second, third = three_grants(ba_dinh)
    sql("DELETE FROM audit_auditentry WHERE id = %s", [third.pk])
    message = verify_fails()
    assert f"#{third.pk}" in message and "các mục cuối chuỗi đã bị xóa" in message
    result = audit_verify()
    assert (result.reason, result.first_bad_id, result.last_good_id) == ("truncated", third.pk, second.pk)


def test_deleting_the_last_rows_reports_where_the_chain_now_ends(ba_dinh: Unit) -> None:
    first, second, third = three_grants(ba_dinh)
    sql("DELETE FROM audit_auditentry WHERE id IN (%s, %s)", [second.pk, third.pk])
    message = verify_fails()
    assert f"Mục cuối còn đúng là #{first.pk}" in message
    assert "các mục cuối chuỗi đã bị xóa" in message


def test_deleting_the_head_too_is_reported(ba_dinh: Unit) -> None:
    three_grants(ba_dinh)
    last = AuditEntry.objects.latest("id")
    sql("DELETE FROM audit_auditentry WHERE id = %s", [last.pk])
    sql("DELETE FROM audit_auditchainhead", [])
    assert "bản ghi đầu chuỗi đã bị xóa" in verify_fails()


def test_appending_after_verification_continues_the_chain(ba_dinh: Unit) -> None:
    three_grants(ba_dinh)
    assert audit_verify().ok
    audit_record(actor=None, action="test.append", object_type="test", after={"n": 1, "tên": "Hòa"})
    assert audit_verify().ok
