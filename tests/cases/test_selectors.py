"""Scoped reads: the inbox list and the detail agree; the citizen's view by code shows only public things."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser

from danvan.cases import services as s
from danvan.cases.models import Case, Field, Kind, State
from danvan.cases.rules import can_view_case
from danvan.cases.selectors import CaseFilters, case_get, case_list, case_public_get, case_timeline
from danvan.cases.services import Submitter
from danvan.core.errors import NotFoundOrForbidden
from danvan.units.models import Unit
from tests.cases.conftest import Clock, People, SubmitFn
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
D = dt.date.fromisoformat


@pytest.fixture
def sample(clock: Clock, submit: SubmitFn, people: People, ngoc_ha: Unit, hcm_commune: Unit) -> dict[str, Case]:
    assigned_denunciation = s.case_accept(actor=people.leader, case=submit(kind=Kind.DENUNCIATION))
    assigned_denunciation = s.case_assign(actor=people.leader, case=assigned_denunciation, handler=people.handler)
    return {
        "feedback": submit(),
        "denunciation": submit(kind=Kind.DENUNCIATION),
        "assigned_denunciation": assigned_denunciation,
        "neighbour_complaint": submit(kind=Kind.COMPLAINT, unit=ngoc_ha),
        "hcm_feedback": submit(unit=hcm_commune),
    }


BA_DINH_ALL = {"feedback", "denunciation", "assigned_denunciation"}
HANOI_ALL = BA_DINH_ALL | {"neighbour_complaint"}
TABLE: dict[str, set[str]] = {
    "intake": BA_DINH_ALL,
    "leader": BA_DINH_ALL,
    "handler": {"feedback", "assigned_denunciation"},  # denunciations only when assigned
    "other_handler": {"feedback"},
    "supervisor": {"feedback"},
    "viewer": {"feedback"},
    "village_head": set(),
    "province_leader": HANOI_ALL,
    "province_intake": HANOI_ALL,
    "neighbour_leader": {"neighbour_complaint"},
    "neighbour_handler": {"neighbour_complaint"},
    "hcm_leader": {"hcm_feedback"},
    "citizen": set(),
    "anonymous": set(),
    "superuser": {"feedback", "neighbour_complaint", "hcm_feedback"},  # never denunciations without a role
}


@pytest.mark.parametrize("actor_name", list(TABLE))
def test_list_and_object_checks_agree(sample: dict[str, Case], people: People, actor_name: str) -> None:
    if actor_name == "anonymous":
        actor: Any = AnonymousUser()
    elif actor_name == "superuser":
        actor = UserFactory(is_superuser=True, is_staff=True)
    else:
        actor = getattr(people, actor_name)
    expected = {sample[name].pk for name in TABLE[actor_name]}
    listed = set(case_list(actor=actor).filter(pk__in=[c.pk for c in sample.values()]).values_list("pk", flat=True))
    assert listed == expected
    for case in sample.values():
        assert bool(can_view_case(actor, case)) == (case.pk in expected)
        if not actor.is_superuser:  # Django grants a superuser every permission in has_perm
            assert actor.has_perm("cases.view_case", case) == (case.pk in expected)
        if case.pk in expected:
            assert case_get(actor=actor, code_or_id=case.code).pk == case.pk
            assert case_get(actor=actor, code_or_id=case.pk).pk == case.pk
        else:
            with pytest.raises(NotFoundOrForbidden):
                case_get(actor=actor, code_or_id=case.code)


def test_revoked_or_deactivated_accounts_see_nothing(sample: dict[str, Case], people: People) -> None:
    from danvan.accounts.selectors import clear_scope_cache
    from danvan.accounts.services import role_revoke

    role_revoke(actor=None, grant=people.leader.roles.get())
    clear_scope_cache(people.leader)  # the revocation cleared the cache of another copy of the user
    people.intake.is_active = False
    people.intake.save()
    assert not case_list(actor=people.leader).exists()
    assert not case_list(actor=people.intake).exists()


def test_filters(clock: Clock, submit: SubmitFn, people: People, field_dat_dai: Field) -> None:
    late = submit(title="Lấn chiếm đất công", field=field_dat_dai)
    clock.set("2025-03-20")
    fresh = submit(title="Đèn đường hỏng", description="Đèn đường ở phố Đội Cấn không sáng")
    complaint = s.case_accept(actor=people.intake, case=submit(kind=Kind.COMPLAINT, title="Khiếu nại quyết định"))
    mine = s.case_assign(actor=people.leader, case=submit(title="Cây đổ"), handler=people.handler)
    waiting = s.case_start(actor=people.other_handler, case=s.case_assign(
        actor=people.leader, case=submit(title="Ngập nước"), handler=people.other_handler))
    waiting = s.case_request_info(actor=people.other_handler, case=waiting, question="Ảnh?")
    clock.set("2025-03-25")  # late (due 24/3) is overdue; the paused one is not counted
    Case.objects.filter(pk=waiting.pk).update(due_on=D("2025-03-21"))

    def codes(**kwargs: Any) -> set[str]:
        return {c.code for c in case_list(actor=people.leader, filters=CaseFilters(**kwargs))}

    assert codes(overdue=True) == {late.code}
    assert codes(kind=Kind.COMPLAINT) == {complaint.code}
    assert codes(status=(State.ASSIGNED, State.AWAITING_INFO)) == {mine.code, waiting.code}
    assert codes(field="dat_dai") == {late.code}
    assert {c.code for c in case_list(actor=people.handler, filters=CaseFilters(mine=True))} == {mine.code}
    assert not case_list(actor=AnonymousUser(), filters=CaseFilters(mine=True)).exists()
    # Accent-insensitive, word-prefix search on the folded text; a code finds its case.
    assert codes(q="den duong doi can") == {fresh.code}
    assert codes(q="ĐÈN ĐƯỜNG") == {fresh.code}
    assert codes(q="lan chiem") == {late.code}
    assert codes(q="chiem lan") == {late.code}
    assert codes(q="ngap nuoc cay") == set()
    assert codes(q=fresh.code.lower()) == {fresh.code}
    assert codes(q="%_") == set()
    assert codes(unit_path="VN.01.00008.") == set()
    assert len(codes(unit_path="VN.01.00004.")) == 5


def test_awaiting_approval_and_sorting(clock: Clock, submit: SubmitFn, people: People) -> None:
    first = submit(title="Thứ nhất")
    clock.advance(1)
    second = submit(title="Thứ hai", is_urgent=True)  # due the next working day
    clock.advance(1)
    third = submit(kind=Kind.DENUNCIATION, denouncer=None, title="Thông tin")  # no deadline
    third_list = [first, second, third]
    by_due = [c.pk for c in case_list(actor=people.leader)]
    assert by_due == [second.pk, first.pk, third.pk]  # earliest deadline first, none last
    newest = [c.pk for c in case_list(actor=people.leader, filters=CaseFilters(sort="-received_at"))]
    assert newest == [c.pk for c in reversed(third_list)]
    oldest = [c.pk for c in case_list(actor=people.leader, filters=CaseFilters(sort="received_at"))]
    assert oldest == [c.pk for c in third_list]
    assert [c.pk for c in case_list(actor=people.leader, filters=CaseFilters(sort="nonsense"))] == by_due
    case = s.case_assign(actor=people.leader, case=first, handler=people.handler)
    case = s.case_draft_answer(actor=people.handler, case=case, text="Trả lời")
    s.case_submit_answer(actor=people.handler, case=case)
    assert [c.pk for c in case_list(actor=people.leader, filters=CaseFilters(awaiting_approval=True))] == [first.pk]


def test_timeline_for_officials_includes_internal_events(clock: Clock, submit: SubmitFn, people: People) -> None:
    case = submit()
    s.case_note_add(actor=people.handler, case=case, note="Đã gọi điện cho người phản ánh")
    events = list(case_timeline(actor=people.leader, case=case))
    assert [(e.kind, e.public) for e in events] == [("submitted", True), ("note", False)]
    with pytest.raises(NotFoundOrForbidden):
        case_timeline(actor=people.neighbour_leader, case=case)
    with pytest.raises(NotFoundOrForbidden):
        s.case_note_add(actor=people.neighbour_leader, case=case, note="x")


def test_public_view_by_code(clock: Clock, submit: SubmitFn, people: People) -> None:
    case = submit(submitter=Submitter(name="Phạm Văn Dũng", phone="0912345678", email="dung@example.vn"),
                  wants_updates=True)
    s.case_note_add(actor=people.handler, case=case, note="Nội bộ: người này hay phản ánh")
    case = s.case_assign(actor=people.leader, case=case, handler=people.handler)
    case = s.case_draft_answer(actor=people.handler, case=case, text="Gửi ông Phạm Văn Dũng: đã xử lý xong.")
    case = s.case_submit_answer(actor=people.handler, case=case)
    view = case_public_get(code=case.code)
    assert view.answer_text == ""  # a draft is not public
    case = s.case_approve_answer(actor=people.leader, case=case)
    case = s.case_send_answer(actor=people.leader, case=case)
    view = case_public_get(code=" " + case.code.lower().replace("0", "o") + " ")
    assert view.code == case.code and view.status == State.ANSWERED
    assert [e.kind for e in view.events] == ["submitted", "assigned", "answer_sent"]
    assert view.answer_text == "Gửi ông ***: đã xử lý xong."
    text = repr(view)
    for private in ("Phạm Văn Dũng", "0912345678", "dung@example.vn", "Nội bộ", people.handler.username):
        assert private not in text


@pytest.mark.parametrize("code", ["", "PA", "PA2025", "PA2025ABCDEFGU", "PA2025ABCDEFG", "' OR 1=1 --", "12"])
def test_public_view_of_unknown_codes(clock: Clock, submit: SubmitFn, code: str) -> None:
    submit()
    with pytest.raises(NotFoundOrForbidden):
        case_public_get(code=code)
