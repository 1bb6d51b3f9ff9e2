"""Submission: deadlines from the rules, routing, codes, idempotency, what is refused."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

import pytest
from django.db import IntegrityError, transaction

from danvan.audit.models import AuditEntry
from danvan.cases.codes import ALPHABET, looks_like_code
from danvan.cases.models import (
    Case,
    CaseEvent,
    DenouncerIdentity,
    EventKind,
    Field,
    IdempotencyKey,
    Kind,
    LegalRule,
    RuleKey,
    State,
)
from danvan.cases.services import Denouncer, Submitter
from danvan.cases.signals import case_event_committed
from danvan.cases.workflow import ActionNotPermitted
from danvan.core.errors import DomainError
from danvan.core.search import searchable
from danvan.units.models import OrganisationKind, Unit
from tests.cases.conftest import Clock, People, SubmitFn, at

pytestmark = pytest.mark.django_db
D = dt.date.fromisoformat


def test_feedback_gets_code_deadline_routing_event_and_audit(clock: Clock, submit: SubmitFn, ba_dinh: Unit) -> None:
    case = submit(submitter=Submitter(name="Phạm Văn Dũng", phone="0912 345 678", email="dung@example.vn"),
                  wants_updates=True)
    assert looks_like_code(case.code) and case.code.startswith("PA2025")
    assert set(case.code[6:]) <= set(ALPHABET)
    assert case.status == State.RECEIVED
    assert case.organisation == ba_dinh.organisations.get(kind=OrganisationKind.PEOPLES_COMMITTEE)
    assert case.unit_path == ba_dinh.path
    assert case.received_at == clock.now
    assert case.clock_started_on == D("2025-03-03")
    assert case.due_on == D("2025-03-24")  # 15 working days
    assert case.acceptance_due_on is None
    assert case.public is True and case.anonymous is False
    assert case.submitter_phone == "0912345678"
    event = CaseEvent.objects.get(case=case)
    assert (event.kind, event.public) == (EventKind.SUBMITTED, True)
    entry = AuditEntry.objects.get(action="cases.submit", object_id=str(case.pk))
    assert entry.after["due_on"] == "2025-03-24" and entry.unit_path == ba_dinh.path
    # The audit trail keeps no contact data.
    assert "0912345678" not in str(entry.after) and "Dũng" not in str(entry.after)
    assert case.title not in entry.object_repr


@pytest.mark.parametrize(("kind", "extra", "acceptance_due", "due", "public"), [
    (Kind.FEEDBACK, {}, None, "2025-03-24", True),
    (Kind.PETITION, {"is_urgent": True}, None, "2025-03-04", True),
    (Kind.COMPLAINT, {}, "2025-03-13", "2025-03-13", False),
    (Kind.COMPLAINT, {"instance": 2}, "2025-03-13", "2025-03-13", False),
    (Kind.DENUNCIATION, {}, "2025-03-12", "2025-03-12", False),
    (Kind.FEEDBACK, {"channel": "walk_in"}, "2025-03-13", "2025-03-24", True),
])
def test_deadlines_at_submission(clock: Clock, submit: SubmitFn, people: People, kind: str, extra: dict[str, Any],
                                 acceptance_due: str | None, due: str, public: bool) -> None:
    if extra.get("channel") == "walk_in":
        extra = {**extra, "actor": people.intake}
    case = submit(kind=kind, **extra)
    assert case.acceptance_due_on == (D(acceptance_due) if acceptance_due else None)
    assert case.due_on == D(due)
    assert case.public is public


def test_complaint_instance(clock: Clock, submit: SubmitFn) -> None:
    assert submit(kind=Kind.COMPLAINT).instance == 1
    assert submit(kind=Kind.COMPLAINT, instance=2).instance == 2
    assert submit(kind=Kind.FEEDBACK).instance is None


def test_province_rule_applies_at_submission(clock: Clock, submit: SubmitFn, hanoi: Unit, hcm_commune: Unit) -> None:
    LegalRule.objects.create(key=RuleKey.FEEDBACK_RESOLVE, days=5, working_days=True, valid_from=D("2024-01-01"),
                             province=hanoi, source="Quy định của Hà Nội (thử)")
    assert submit().due_on == D("2025-03-10")
    assert submit(unit=hcm_commune).due_on == D("2025-03-24")


def test_a_province_can_receive_directly(clock: Clock, submit: SubmitFn, hanoi: Unit) -> None:
    case = submit(unit=hanoi)
    assert case.organisation.unit == hanoi and case.organisation.kind == OrganisationKind.PEOPLES_COMMITTEE


def test_anonymous_denunciation_is_kept_as_information(clock: Clock, submit: SubmitFn) -> None:
    case = submit(kind=Kind.DENUNCIATION, denouncer=None)
    assert case.kind == Kind.DENUNCIATION and case.as_information and case.anonymous
    assert case.due_on is None and case.acceptance_due_on is None
    assert not DenouncerIdentity.objects.filter(case=case).exists()
    assert "làm thông tin" in CaseEvent.objects.get(case=case).note


def test_denunciation_without_address_is_information_too(clock: Clock, submit: SubmitFn) -> None:
    case = submit(kind=Kind.DENUNCIATION, denouncer=Denouncer(name="Lê Văn Cường", phone="0987654321"))
    assert case.as_information


def test_named_denunciation_keeps_identity_off_the_case(clock: Clock, submit: SubmitFn) -> None:
    case = submit(kind=Kind.DENUNCIATION)
    assert not case.as_information and not case.anonymous
    assert (case.submitter_name, case.submitter_phone, case.submitter_email) == ("", "", "")
    assert "cuong" not in case.search_text and "Cường" not in case.search_text


def test_database_refuses_submitter_data_on_a_denunciation(clock: Clock, submit: SubmitFn) -> None:
    case = submit(kind=Kind.DENUNCIATION)
    with pytest.raises(IntegrityError), transaction.atomic():
        Case.objects.filter(pk=case.pk).update(submitter_name="Lê Văn Cường")


def test_search_text_is_folded(clock: Clock, submit: SubmitFn) -> None:
    case = submit(title="Đường Hoà Bình ngập", description="Nước ngập sâu", address="Ngõ 5 Đội Cấn",
                  submitter=Submitter(name="Nguyễn Thị Hoa"))
    assert case.search_text == searchable(case.code, "Đường Hòa Bình ngập", "Nước ngập sâu", "Ngõ 5 Đội Cấn",
                                          "Nguyễn Thị Hoa")
    assert " duong hoa binh" in case.search_text


def test_text_is_normalised(clock: Clock, submit: SubmitFn) -> None:
    case = submit(title="  Cây  đổ   thuỷ  ", description="Dòng một\r\nDòng   hai")
    assert case.title == "Cây đổ thủy"
    assert case.description == "Dòng một\nDòng hai"


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"title": "   "}, "Tiêu đề không được để trống"),
    ({"title": "x" * 201}, "Tiêu đề quá dài"),
    ({"description": ""}, "Nội dung không được để trống"),
    ({"description": "x" * 20001}, "Nội dung quá dài"),
    ({"kind": "khac"}, "Loại vụ việc không hợp lệ"),
    ({"channel": "fax"}, "Kênh tiếp nhận không hợp lệ"),
    ({"latitude": 21.0}, "cả vĩ độ và kinh độ"),
    ({"latitude": 48.85, "longitude": 2.35}, "ngoài lãnh thổ"),
    ({"submitter": Submitter(phone="12ab")}, "Số điện thoại không hợp lệ"),
    ({"submitter": Submitter(email="khong-phai-email")}, "thư điện tử không hợp lệ"),
    ({"wants_updates": True}, "số điện thoại hoặc thư điện tử"),
    ({"kind": Kind.COMPLAINT, "submitter": None}, "họ tên người khiếu nại"),
    ({"kind": Kind.COMPLAINT, "instance": 3}, "lần đầu hoặc lần hai"),
    ({"instance": 1}, "Chỉ khiếu nại"),
    ({"kind": Kind.DENUNCIATION, "submitter": Submitter(name="Lê Văn Cường")}, "phần thông tin bảo mật"),
    ({"denouncer": Denouncer(name="Lê Văn Cường")}, "Chỉ tố cáo"),
    ({"kind": Kind.DENUNCIATION, "denouncer": Denouncer(name="A", address="B", id_number="123")}, "9 hoặc 12"),
    ({"address": "x" * 301}, "Địa điểm quá dài"),
    ({"idempotency_key": "k" * 201}, "Khóa chống gửi trùng quá dài"),
])
def test_refusals(clock: Clock, submit: SubmitFn, kwargs: dict[str, Any], message: str) -> None:
    before = (Case.objects.count(), AuditEntry.objects.count())
    with pytest.raises(DomainError, match=message):
        submit(**kwargs)
    assert (Case.objects.count(), AuditEntry.objects.count()) == before


def test_unit_must_be_a_current_commune_or_province(clock: Clock, submit: SubmitFn, ba_dinh: Unit) -> None:
    from tests.factories import VillageFactory

    for unit in (VillageFactory(parent=ba_dinh), Unit.objects.get(path="VNL.01.001.00004."),
                 Unit.objects.get(path="VN.")):
        with pytest.raises(DomainError, match="đang hoạt động"):
            submit(unit=unit)


def test_inactive_field_is_refused(clock: Clock, submit: SubmitFn, field_dat_dai: Field) -> None:
    Field.objects.filter(pk=field_dat_dai.pk).update(active=False)
    field_dat_dai.refresh_from_db()
    with pytest.raises(DomainError, match="không còn được sử dụng"):
        submit(field=field_dat_dai)


@pytest.mark.parametrize("channel", ["walk_in", "letter", "hotline"])
def test_official_channels_need_an_intake_official_of_the_unit(clock: Clock, submit: SubmitFn, people: People,
                                                               channel: str) -> None:
    for outsider in (None, people.citizen, people.handler, people.neighbour_leader):
        with pytest.raises(ActionNotPermitted):
            submit(channel=channel, actor=outsider)
    for insider in (people.intake, people.leader, people.province_intake):
        case = submit(channel=channel, actor=insider)
        assert case.received_by == insider


def test_backdated_receipt_counts_from_the_letter(clock: Clock, submit: SubmitFn, people: People) -> None:
    case = submit(channel="letter", actor=people.intake, received_at=at("2025-02-24"))
    assert case.due_on == D("2025-03-17")  # 15 working days from Mon 24/2
    assert case.code.startswith("PA2025")
    with pytest.raises(ActionNotPermitted):
        submit(received_at=at("2025-02-24"))
    with pytest.raises(DomainError, match="tương lai"):
        submit(channel="letter", actor=people.intake, received_at=at("2025-03-04"))


def test_idempotency_key_returns_the_same_case(clock: Clock, submit: SubmitFn) -> None:
    first = submit(idempotency_key="form-123")
    again = submit(idempotency_key="form-123")
    assert again.pk == first.pk
    assert Case.objects.count() == 1
    assert AuditEntry.objects.filter(action="cases.submit").count() == 1
    assert IdempotencyKey.objects.get(key="form-123").case == first
    assert submit(idempotency_key="form-124").pk != first.pk


def test_idempotency_key_reused_for_other_content_is_refused(clock: Clock, submit: SubmitFn) -> None:
    submit(idempotency_key="form-123")
    with pytest.raises(DomainError, match="nội dung khác") as info:
        submit(idempotency_key="form-123", title="Một nội dung khác")
    assert info.value.code == "idempotency_key_reused"


def test_idempotency_key_is_looked_up_only_after_the_insert_fails(clock: Clock, submit: SubmitFn,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """A new key costs no read; a replay (or the loser of a race) fails on the key's unique
    constraint, nothing of its attempt is kept, and it answers with the first case."""
    from danvan.cases import services

    real = services._replayed
    looked: list[str] = []

    def spy(key: str, fingerprint: str) -> Case | None:
        looked.append(key)
        return real(key, fingerprint)

    monkeypatch.setattr(services, "_replayed", spy)
    winner = submit(idempotency_key="race")
    assert looked == []
    loser = submit(idempotency_key="race")
    assert looked == ["race"]
    assert loser.pk == winner.pk
    assert Case.objects.count() == 1
    assert CaseEvent.objects.filter(case=winner).count() == 1


def test_a_code_drawn_twice_is_drawn_again(clock: Clock, submit: SubmitFn, monkeypatch: pytest.MonkeyPatch) -> None:
    from danvan.cases import services

    first = submit()
    fresh = services.new_code(2026)
    draws = iter([first.code, first.code, fresh])
    monkeypatch.setattr(services, "new_code", lambda year: next(draws))
    second = submit(idempotency_key="fresh")
    assert second.code == fresh
    # The search text was rebuilt with the code finally used.
    assert second.search_text == searchable(second.code, second.title, second.description, second.address,
                                            second.submitter_name)
    assert Case.objects.count() == 2
    assert CaseEvent.objects.filter(case=second).count() == 1


def test_codes_are_unique_and_carry_no_row_id(clock: Clock, submit: SubmitFn) -> None:
    cases = [submit() for _ in range(5)]
    assert len({c.code for c in cases}) == 5
    # A counter would give neighbours that share most of their tail; random ones (32^-6) never do.
    tails = [c.code[6:] for c in cases]
    assert all(a[:6] != b[:6] for a, b in itertools.pairwise(tails))


def test_event_signal_fires_after_commit(clock: Clock, submit: SubmitFn,
                                         django_capture_on_commit_callbacks: Any) -> None:
    received: list[dict[str, Any]] = []

    def listener(sender: Any, **kwargs: Any) -> None:
        received.append(kwargs)

    case_event_committed.connect(listener)
    try:
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            case = submit()
        assert received == []  # nothing before commit
        for callback in callbacks:
            callback()
    finally:
        case_event_committed.disconnect(listener)
    assert [(r["case_id"], r["kind"], r["public"]) for r in received] == [(case.pk, EventKind.SUBMITTED, True)]


def test_missing_peoples_committee_is_a_clear_error(clock: Clock, submit: SubmitFn, ba_dinh: Unit) -> None:
    ba_dinh.organisations.filter(kind=OrganisationKind.PEOPLES_COMMITTEE).update(active=False)
    with pytest.raises(DomainError, match="chưa có Ủy ban nhân dân"):
        submit()
