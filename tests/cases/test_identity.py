"""A denouncer's identity: sealed at rest, opened only for cleared readers, every attempt audited."""

from __future__ import annotations

import pytest
from cryptography.fernet import Fernet
from django.db import connection

from danvan.accounts.models import Role
from danvan.audit.models import AuditEntry
from danvan.cases import crypto
from danvan.cases import services as s
from danvan.cases.models import CaseEvent, DenouncerIdentity, IdentityClearance, Kind
from danvan.cases.selectors import case_public_get
from danvan.cases.services import Denouncer, denouncer_identity_read
from danvan.cases.workflow import ActionNotPermitted
from danvan.core.errors import DomainError, NotFoundOrForbidden
from danvan.units.models import Unit
from tests.cases.conftest import Clock, People, SubmitFn, official

pytestmark = pytest.mark.django_db

SECRETS = ("Lê Văn Cường", "Số 5 phố Kim Mã", "0987654321", "cuong@example.vn", "001085012345")


@pytest.fixture
def denunciation(clock: Clock, submit: SubmitFn):  # type: ignore[no-untyped-def]
    return submit(kind=Kind.DENUNCIATION, denouncer=Denouncer(*SECRETS[:2], phone=SECRETS[2], email=SECRETS[3],
                                                               id_number=SECRETS[4]))


def raw_sealed(case_id: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT sealed FROM cases_denounceridentity WHERE case_id = %s", [case_id])
        row = cursor.fetchone()
    assert row is not None
    return str(row[0])


def test_database_holds_ciphertext_only(denunciation) -> None:  # type: ignore[no-untyped-def]
    sealed = raw_sealed(denunciation.pk)
    for secret in SECRETS:
        assert secret not in sealed
    for fragment in ("Cường", "Cuong", "0987", "001085", "example.vn"):
        assert fragment.lower() not in sealed.lower()
    assert sealed.startswith("gAAAA")  # a Fernet token
    assert crypto.unseal(sealed)["name"] == SECRETS[0]
    # Nothing else in the database carries it either: the case row, its events, the audit trail.
    with connection.cursor() as cursor:
        cursor.execute("SELECT title, description, search_text, submitter_name, submitter_phone, submitter_email "
                       "FROM cases_case WHERE id = %s", [denunciation.pk])
        case_row = " ".join(str(v) for v in cursor.fetchone())
    elsewhere = case_row + " ".join(
        f"{e.note} {e.data}" for e in CaseEvent.objects.filter(case=denunciation)) + " ".join(
        f"{a.before} {a.after} {a.object_repr}" for a in AuditEntry.objects.all())
    for secret in SECRETS:
        assert secret not in elsewhere


def test_public_view_never_shows_identity(denunciation) -> None:  # type: ignore[no-untyped-def]
    view = case_public_get(code=denunciation.code)
    text = repr(view)
    for secret in SECRETS:
        assert secret not in text
    assert view.description == ""  # a denunciation's text stays with its handlers


@pytest.mark.parametrize(("reader", "allowed"), [
    ("leader", True),
    ("deputy", True),
    ("province_leader", True),
    ("intake", False),
    ("handler", False),
    ("supervisor", False),
    ("neighbour_leader", False),
    ("hcm_leader", False),
    ("citizen", False),
    ("anonymous", False),
])
def test_who_reads_and_every_attempt_is_audited(denunciation, people: People, reader: str,  # type: ignore[no-untyped-def]
                                                allowed: bool) -> None:
    actor = None if reader == "anonymous" else getattr(people, reader)
    before = AuditEntry.objects.count()
    if allowed:
        data = denouncer_identity_read(actor=actor, case=denunciation, purpose="Bố trí làm việc với người tố cáo")
        assert (data.name, data.address, data.phone, data.email, data.id_number) == SECRETS
        action = "cases.identity_read"
    else:
        with pytest.raises(NotFoundOrForbidden):
            denouncer_identity_read(actor=actor, case=denunciation, purpose="Tò mò")
        action = "cases.identity_read_refused"
    assert AuditEntry.objects.count() == before + 1
    entry = AuditEntry.objects.latest("id")
    assert entry.action == action and entry.object_id == str(denunciation.pk)
    assert entry.actor_id == (actor.pk if actor else None)
    assert entry.unit_path == denunciation.unit_path
    assert "purpose" in entry.after
    for secret in SECRETS:
        assert secret not in str(entry.after)


def test_each_read_is_a_new_audit_entry(denunciation, people: People) -> None:  # type: ignore[no-untyped-def]
    for _ in range(3):
        denouncer_identity_read(actor=people.leader, case=denunciation, purpose="Xác minh")
    assert AuditEntry.objects.filter(action="cases.identity_read", object_id=str(denunciation.pk)).count() == 3


def test_a_purpose_is_required(denunciation, people: People) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(DomainError, match="mục đích"):
        denouncer_identity_read(actor=people.leader, case=denunciation, purpose="  ")
    assert AuditEntry.objects.filter(action="cases.identity_read_refused").count() == 1


def test_refusal_is_recorded_even_inside_a_failing_request(denunciation, people: People) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(NotFoundOrForbidden):
        denouncer_identity_read(actor=people.handler, case=denunciation, purpose="x")
    assert AuditEntry.objects.filter(action="cases.identity_read_refused", actor=people.handler).exists()


def test_clearance_grants_and_revokes_reading(denunciation, people: People, ba_dinh: Unit,  # type: ignore[no-untyped-def]
                                              ngoc_ha: Unit) -> None:
    inspector = official(Role.HANDLER, ba_dinh, username="thanhtra")
    with pytest.raises(NotFoundOrForbidden):
        denouncer_identity_read(actor=inspector, case=denunciation, purpose="Thanh tra")
    # A clearance elsewhere does not help.
    s.identity_clearance_grant(actor=people.province_leader, user=inspector, unit=ngoc_ha)
    with pytest.raises(NotFoundOrForbidden):
        denouncer_identity_read(actor=inspector, case=denunciation, purpose="Thanh tra")
    clearance = s.identity_clearance_grant(actor=people.leader, user=inspector, unit=ba_dinh)
    again = s.identity_clearance_grant(actor=people.leader, user=inspector, unit=ba_dinh)
    assert again.pk == clearance.pk
    assert denouncer_identity_read(actor=inspector, case=denunciation, purpose="Thanh tra").name == SECRETS[0]
    s.identity_clearance_revoke(actor=people.leader, clearance=clearance)
    with pytest.raises(NotFoundOrForbidden):
        denouncer_identity_read(actor=inspector, case=denunciation, purpose="Thanh tra")
    with pytest.raises(DomainError, match="hết hiệu lực"):
        s.identity_clearance_revoke(actor=people.leader, clearance=clearance)
    actions = list(AuditEntry.objects.filter(action__startswith="cases.identity_clearance").order_by("id")
                   .values_list("action", flat=True))
    assert actions == ["cases.identity_clearance_grant", "cases.identity_clearance_grant",
                       "cases.identity_clearance_revoke"]


def test_only_leaders_and_admins_grant_clearance(denunciation, people: People, ba_dinh: Unit) -> None:  # type: ignore[no-untyped-def]
    for actor in (people.handler, people.intake, people.neighbour_leader, people.citizen, None):
        with pytest.raises(ActionNotPermitted):
            s.identity_clearance_grant(actor=actor, user=people.handler, unit=ba_dinh)
    with pytest.raises(DomainError, match="cán bộ"):
        s.identity_clearance_grant(actor=people.leader, user=people.citizen, unit=ba_dinh)
    assert not IdentityClearance.objects.exists()


def test_clearance_does_not_open_other_kinds(clock: Clock, submit: SubmitFn, people: People) -> None:
    feedback = submit()
    with pytest.raises(NotFoundOrForbidden):
        denouncer_identity_read(actor=people.leader, case=feedback, purpose="x")


def test_information_record_has_no_identity(clock: Clock, submit: SubmitFn, people: People) -> None:
    case = submit(kind=Kind.DENUNCIATION, denouncer=None)
    with pytest.raises(DomainError, match="không có thông tin người tố cáo"):
        denouncer_identity_read(actor=people.leader, case=case, purpose="x")


def test_key_from_environment_and_rotation(denunciation, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    dev_sealed = raw_sealed(denunciation.pk)
    new_key = Fernet.generate_key().decode()
    monkeypatch.setenv(crypto.ENV_VAR, new_key)
    # The dev key is gone: the old token no longer opens, and says so in Vietnamese.
    with pytest.raises(DomainError, match="khóa mã hóa không đúng"):
        crypto.unseal(dev_sealed)
    sealed = crypto.seal({"name": "Hà"})
    assert Fernet(new_key.encode()).decrypt(sealed.encode())  # really sealed with the configured key
    # Rotation: new key first, old passphrase after; old tokens open and reseal under the new key.
    monkeypatch.setenv(crypto.ENV_VAR, "mat-khau-cu-rat-dai")
    old_token = crypto.seal({"name": "Cũ"})
    monkeypatch.setenv(crypto.ENV_VAR, f"{new_key},mat-khau-cu-rat-dai")
    assert crypto.unseal(old_token) == {"name": "Cũ"}
    resealed = crypto.reseal(old_token)
    monkeypatch.setenv(crypto.ENV_VAR, new_key)
    assert crypto.unseal(resealed) == {"name": "Cũ"}


def test_tampered_ciphertext_is_refused(denunciation, people: People) -> None:  # type: ignore[no-untyped-def]
    sealed = raw_sealed(denunciation.pk)
    tampered = sealed[:-5] + ("A" if sealed[-5] != "A" else "B") + sealed[-4:]
    DenouncerIdentity.objects.filter(case=denunciation).update(sealed=tampered)
    with pytest.raises(DomainError, match="khóa mã hóa không đúng"):
        denouncer_identity_read(actor=people.leader, case=denunciation, purpose="Xác minh")
