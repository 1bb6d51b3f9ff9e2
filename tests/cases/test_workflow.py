"""The state machine: which moves exist, who may make them, and what each one does.

Two tables drive most of this file. ``LEGAL`` says, state by state, which actions the
machine allows (everything else must raise IllegalTransition). ``WHO`` says, action by
action, which actors may make an allowed move: "ok", 403 (sees the case, wrong role) or
404 (out of scope: the case looks missing). Both are written out by hand from the design,
not derived from ``workflow.TRANSITIONS``, so the code is checked against the intent.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.db import transaction

from danvan.audit.models import AuditEntry
from danvan.cases import services as s
from danvan.cases.models import (
    Action,
    Answer,
    AnswerStatus,
    Case,
    CaseEvent,
    EventKind,
    InformationRequest,
    Kind,
    State,
    Transfer,
)
from danvan.cases.rules import ACTION_PERMISSIONS
from danvan.cases.selectors import case_followers, case_public_get
from danvan.cases.services import Submitter
from danvan.cases.workflow import (
    EFFECTS,
    TRANSITIONS,
    ActionNotPermitted,
    IllegalTransition,
    allowed_actions,
    case_transition,
)
from danvan.core.errors import DomainError, NotFoundOrForbidden
from danvan.units.models import OrganisationKind, Unit
from tests.cases.conftest import Clock, People, SubmitFn

pytestmark = pytest.mark.django_db
D = dt.date.fromisoformat


class _Rollback(Exception):
    pass


def attempt(fn: Callable[[], Any]) -> str:
    """Run ``fn`` and undo it; say how it ended: "ok", "409", "403" or "404"."""
    outcome = "ok"
    try:
        with transaction.atomic():
            try:
                fn()
            except NotFoundOrForbidden:
                outcome = "404"
            except ActionNotPermitted:
                outcome = "403"
            except IllegalTransition:
                outcome = "409"
            raise _Rollback
    except _Rollback:
        pass
    return outcome


def drive(case: Case, state: str, people: People, other: Case | None = None) -> Case:
    """Take a fresh feedback case to ``state`` the normal way."""
    if state == State.RECEIVED:
        return case
    if state == State.ACCEPTED:
        return s.case_accept(actor=people.intake, case=case)
    if state == State.REFUSED:
        return s.case_refuse(actor=people.intake, case=case, reason="Không thuộc thẩm quyền")
    if state == State.MERGED:
        assert other is not None
        return s.case_merge(actor=people.intake, duplicate=case, into=other)
    case = s.case_assign(actor=people.leader, case=case, handler=people.handler)
    if state == State.ASSIGNED:
        return case
    case = s.case_start(actor=people.handler, case=case)
    if state == State.AWAITING_INFO:
        return s.case_request_info(actor=people.handler, case=case, question="Đề nghị gửi ảnh hiện trường")
    case = s.case_draft_answer(actor=people.handler, case=case, text="UBND phường đã chỉ đạo thu gom rác.")
    if state == State.IN_PROGRESS:
        return case
    case = s.case_submit_answer(actor=people.handler, case=case)
    if state == State.ANSWER_DRAFTED:
        return case
    case = s.case_approve_answer(actor=people.leader, case=case)
    if state == State.ANSWER_APPROVED:
        return case
    case = s.case_send_answer(actor=people.leader, case=case)
    if state == State.ANSWERED:
        return case
    if state == State.CLOSED:
        return s.case_close(actor=people.leader, case=case)
    if state == State.REOPENED:
        return s.case_reopen(actor=people.leader, case=case, reason="Rác vẫn còn")
    raise AssertionError(state)


def action_args(action: str, people: People, ngoc_ha: Unit, other: Case) -> dict[str, Any]:
    """Valid arguments for each action, so only the state and the actor decide."""
    return {
        Action.REFUSE: {"reason": "Không đủ điều kiện"},
        Action.ASSIGN: {"handler": people.handler},
        Action.REQUEST_INFO: {"question": "Đề nghị bổ sung ảnh"},
        Action.DRAFT_ANSWER: {"text": "Nội dung trả lời"},
        Action.RETURN_ANSWER: {"note": "Cần bổ sung căn cứ"},
        Action.CLOSE: {"note": "Kết thúc"},
        Action.REOPEN: {"reason": "Chưa được giải quyết"},
        Action.MERGE: {"into": other},
        Action.TRANSFER: {"organisation": ngoc_ha.organisations.get(kind=OrganisationKind.PEOPLES_COMMITTEE),
                          "reason": "Địa điểm thuộc phường Ngọc Hà"},
    }.get(action, {})


# --- the table itself ---------------------------------------------------------------------

def test_every_action_has_a_permission_and_an_effect() -> None:
    assert set(ACTION_PERMISSIONS) == set(Action.values)
    assert set(EFFECTS) == set(Action.values)
    assert {action for _state, action in TRANSITIONS} == set(Action.values)


def test_table_targets_are_states_and_terminal_states_have_no_way_out() -> None:
    assert {target for target in TRANSITIONS.values()} <= set(State.values)
    assert {state for state, _action in TRANSITIONS} <= set(State.values)
    for terminal in (State.REFUSED, State.MERGED):
        assert not [a for (state, a) in TRANSITIONS if state == terminal]
    assert all(TRANSITIONS[(state, Action.TRANSFER)] == state
               for (state, action) in TRANSITIONS if action == Action.TRANSFER)


# state → actions a leader may make there (anything else: IllegalTransition). Closing an
# assigned or in-progress case is in the table for information records only, so for
# feedback it is refused (409) like a move outside the table.
LEGAL: dict[str, set[str]] = {
    State.RECEIVED: {Action.ACCEPT, Action.REFUSE, Action.ASSIGN, Action.MERGE, Action.TRANSFER},
    State.ACCEPTED: {Action.ASSIGN, Action.MERGE, Action.TRANSFER},
    State.ASSIGNED: {Action.ASSIGN, Action.START, Action.REQUEST_INFO, Action.DRAFT_ANSWER, Action.MERGE,
                     Action.TRANSFER},
    State.IN_PROGRESS: {Action.ASSIGN, Action.REQUEST_INFO, Action.DRAFT_ANSWER, Action.SUBMIT_ANSWER,
                        Action.MERGE, Action.TRANSFER},
    State.AWAITING_INFO: {Action.INFO_RECEIVED, Action.CLOSE, Action.MERGE, Action.TRANSFER},
    State.ANSWER_DRAFTED: {Action.APPROVE_ANSWER, Action.RETURN_ANSWER},
    State.ANSWER_APPROVED: {Action.RETURN_ANSWER, Action.SEND_ANSWER},
    State.ANSWERED: {Action.CLOSE, Action.REOPEN},
    State.CLOSED: {Action.REOPEN},
    State.REOPENED: {Action.ASSIGN, Action.START, Action.MERGE, Action.TRANSFER},
    State.REFUSED: set(),
    State.MERGED: set(),
}


@pytest.mark.parametrize("state", list(LEGAL))
def test_state_by_action(clock: Clock, submit: SubmitFn, people: People, ngoc_ha: Unit, state: str) -> None:
    other = submit(title="Vụ việc khác")
    case = drive(submit(), state, people, other=other)
    assert case.status == state
    got = {}
    for action in Action.values:
        args = action_args(action, people, ngoc_ha, other)
        actor = people.deputy if action == Action.APPROVE_ANSWER else people.leader
        got[action] = attempt(lambda a=action, kw=args, who=actor: case_transition(case=case, action=a, actor=who,
                                                                                   **kw))
    assert {a for a, outcome in got.items() if outcome == "ok"} == LEGAL[state]
    assert {outcome for a, outcome in got.items() if a not in LEGAL[state]} <= {"409"}


def test_unknown_action_is_illegal(clock: Clock, submit: SubmitFn, people: People) -> None:
    with pytest.raises(IllegalTransition):
        case_transition(case=submit(), action="explode", actor=people.leader)


# --- who may make each move --------------------------------------------------------------

ACTORS = ["intake", "leader", "province_leader", "handler", "other_handler", "supervisor", "viewer", "village_head",
          "neighbour_leader", "hcm_leader", "citizen", "anonymous"]
OUT_OF_SCOPE = {"village_head": "404", "neighbour_leader": "404", "hcm_leader": "404", "citizen": "404",
                "anonymous": "404"}


def _who(ok: set[str]) -> dict[str, str]:
    table = {actor: ("ok" if actor in ok else "403") for actor in ACTORS}
    table.update(OUT_OF_SCOPE)
    return table


LEADERS = {"leader", "province_leader"}
# action → (state it is tried in, who may).
WHO: dict[str, tuple[str, dict[str, str]]] = {
    Action.ACCEPT: (State.RECEIVED, _who(LEADERS | {"intake"})),
    Action.REFUSE: (State.RECEIVED, _who(LEADERS | {"intake"})),
    Action.ASSIGN: (State.RECEIVED, _who(LEADERS)),
    Action.START: (State.ASSIGNED, _who(LEADERS | {"handler"})),
    Action.REQUEST_INFO: (State.IN_PROGRESS, _who(LEADERS | {"handler"})),
    Action.INFO_RECEIVED: (State.AWAITING_INFO, _who(LEADERS | {"handler", "intake"})),
    Action.DRAFT_ANSWER: (State.IN_PROGRESS, _who(LEADERS | {"handler"})),
    Action.SUBMIT_ANSWER: (State.IN_PROGRESS, _who(LEADERS | {"handler"})),
    Action.APPROVE_ANSWER: (State.ANSWER_DRAFTED, _who(LEADERS)),
    Action.RETURN_ANSWER: (State.ANSWER_DRAFTED, _who(LEADERS)),
    Action.SEND_ANSWER: (State.ANSWER_APPROVED, _who(LEADERS | {"handler", "intake"})),
    Action.CLOSE: (State.ANSWERED, _who(LEADERS | {"handler"})),
    Action.REOPEN: (State.ANSWERED, _who(LEADERS)),
    Action.MERGE: (State.RECEIVED, _who(LEADERS | {"intake"})),
    Action.TRANSFER: (State.RECEIVED, _who(LEADERS | {"intake"})),
}


@pytest.mark.parametrize("action", list(WHO))
def test_role_by_action(clock: Clock, submit: SubmitFn, people: People, ngoc_ha: Unit, action: str) -> None:
    state, expected = WHO[action]
    other = submit(title="Vụ việc khác")
    case = drive(submit(), state, people, other=other)
    args = action_args(action, people, ngoc_ha, other)
    got = {}
    for name in ACTORS:
        actor = None if name == "anonymous" else getattr(people, name)
        got[name] = attempt(lambda who=actor: case_transition(case=case, action=action, actor=who, **args))
    assert got == expected
    # The object form used for buttons agrees with the workflow for everyone who sees the case.
    for name, outcome in expected.items():
        actor = None if name == "anonymous" else getattr(people, name)
        assert (action in allowed_actions(case=case, actor=actor)) == (outcome == "ok"), name


# --- each kind's path --------------------------------------------------------------------

def test_feedback_from_submission_to_closure(clock: Clock, submit: SubmitFn, people: People) -> None:
    case = submit(submitter=Submitter(name="Phạm Văn Dũng", phone="0912345678"), wants_updates=True,
                  description="Tôi là Phạm Văn Dũng, số nhà 12 ngõ 5 Đội Cấn, rác không được thu gom.")
    case = s.case_assign(actor=people.leader, case=case, handler=people.handler)
    assert (case.status, case.handler) == (State.ASSIGNED, people.handler)
    case = s.case_start(actor=people.handler, case=case)
    case = s.case_draft_answer(actor=people.handler, case=case,
                               text="Trả lời ông Phạm Văn Dũng (ĐT 0912 345 678): đã thu gom rác tại số nhà 12 "
                                    "ngõ 5 Đội Cấn theo Kế hoạch số 12/KH-UBND.")
    case = s.case_submit_answer(actor=people.handler, case=case)
    assert case.status == State.ANSWER_DRAFTED
    case = s.case_approve_answer(actor=people.leader, case=case)
    clock.advance(1)
    case = s.case_send_answer(actor=people.leader, case=case)
    assert case.status == State.ANSWERED and case.answered_at == clock.now
    answer = Answer.objects.get(case=case)
    assert answer.status == AnswerStatus.SENT and answer.approved_by == people.leader
    assert "Dũng" not in answer.published_text and "0912" not in answer.published_text
    assert "số nhà 12" not in answer.published_text
    assert "12/KH-UBND" in answer.published_text  # a document number is not personal data
    case = s.case_close(actor=people.handler, case=case)
    assert case.status == State.CLOSED and case.closed_at == clock.now
    kinds = list(CaseEvent.objects.filter(case=case).values_list("kind", "public"))
    assert kinds == [
        (EventKind.SUBMITTED, True), (EventKind.ASSIGNED, True), (EventKind.STARTED, True),
        (EventKind.ANSWER_DRAFTED, False), (EventKind.ANSWER_SUBMITTED, False), (EventKind.ANSWER_APPROVED, False),
        (EventKind.ANSWER_SENT, True), (EventKind.CLOSED, True)]
    actions = list(AuditEntry.objects.filter(object_type="cases.case", object_id=str(case.pk))
                   .order_by("id").values_list("action", flat=True))
    assert actions == ["cases.submit", "cases.assign", "cases.start", "cases.draft_answer", "cases.submit_answer",
                       "cases.approve_answer", "cases.send_answer", "cases.close"]


def test_complaint_is_accepted_before_it_is_assigned(clock: Clock, submit: SubmitFn, people: People) -> None:
    case = submit(kind=Kind.COMPLAINT)
    with pytest.raises(IllegalTransition, match="thụ lý trước khi giao"):
        s.case_assign(actor=people.leader, case=case, handler=people.handler)
    clock.set("2025-03-05")
    case = s.case_accept(actor=people.intake, case=case, is_complex=True)
    assert case.status == State.ACCEPTED and case.accepted_at == clock.now
    assert case.clock_started_on == D("2025-03-05") and case.is_complex
    assert case.due_on == D("2025-04-21")  # 45 days from 5/3 end Sat 19/4 → Mon 21/4
    assert case.acceptance_due_on == D("2025-03-13")
    case = s.case_assign(actor=people.leader, case=case, handler=people.handler)
    assert case.status == State.ASSIGNED


def test_denunciation_clock_starts_at_acceptance(clock: Clock, submit: SubmitFn, people: People) -> None:
    case = submit(kind=Kind.DENUNCIATION)
    assert case.due_on == D("2025-03-12")  # acceptance step: 7 working days
    clock.set("2025-03-05")
    case = s.case_accept(actor=people.leader, case=case)
    assert case.due_on == D("2025-04-04")


def test_accepting_feedback_keeps_its_clock(clock: Clock, submit: SubmitFn, people: People) -> None:
    case = submit()
    clock.set("2025-03-05")
    case = s.case_accept(actor=people.intake, case=case)
    assert case.clock_started_on == D("2025-03-03") and case.due_on == D("2025-03-24")


def test_information_from_anonymous_denunciation(clock: Clock, submit: SubmitFn, people: People) -> None:
    case = submit(kind=Kind.DENUNCIATION, denouncer=None)
    with pytest.raises(IllegalTransition, match="không được thụ lý"):
        s.case_accept(actor=people.leader, case=case)
    case = s.case_assign(actor=people.leader, case=case, handler=people.handler)
    case = s.case_start(actor=people.handler, case=case)
    with pytest.raises(IllegalTransition, match="không có người nhận"):
        s.case_draft_answer(actor=people.handler, case=case, text="...")
    with pytest.raises(IllegalTransition, match="không có người nhận"):
        s.case_request_info(actor=people.handler, case=case, question="...")
    with pytest.raises(DomainError, match="lý do kết thúc"):
        s.case_close(actor=people.handler, case=case)
    case = s.case_close(actor=people.handler, case=case, note="Đã kiểm tra, chuyển thông tin cho thanh tra.")
    assert case.status == State.CLOSED


def test_feedback_cannot_close_without_an_answer(clock: Clock, submit: SubmitFn, people: People) -> None:
    case = drive(submit(), State.IN_PROGRESS, people)
    with pytest.raises(IllegalTransition, match="sau khi đã gửi văn bản trả lời"):
        s.case_close(actor=people.leader, case=case, note="Xong")


def test_refusal_needs_a_reason_and_is_public(clock: Clock, submit: SubmitFn, people: People) -> None:
    case = submit(kind=Kind.COMPLAINT)
    with pytest.raises(DomainError, match="lý do không thụ lý"):
        s.case_refuse(actor=people.intake, case=case, reason="  ")
    case = s.case_refuse(actor=people.intake, case=case, reason="Đã hết thời hiệu khiếu nại")
    assert case.status == State.REFUSED and case.closed_at == clock.now
    event = CaseEvent.objects.get(case=case, kind=EventKind.REFUSED)
    assert event.public and event.note == "Đã hết thời hiệu khiếu nại"


def test_assign_checks_the_handler(clock: Clock, submit: SubmitFn, people: People) -> None:
    case = submit()
    for wrong in (people.neighbour_handler, people.citizen, people.viewer, None):
        with pytest.raises(DomainError):
            s.case_assign(actor=people.leader, case=case, handler=wrong)
    case = s.case_assign(actor=people.leader, case=case, handler=people.handler)
    case = s.case_assign(actor=people.leader, case=case, handler=people.other_handler)
    assert case.handler == people.other_handler
    # The first handler is no longer the case's handler: they lose the handler's rights.
    with pytest.raises(ActionNotPermitted):
        s.case_start(actor=people.handler, case=case)
    entry = AuditEntry.objects.filter(action="cases.assign", object_id=str(case.pk)).order_by("-id").first()
    assert entry is not None and entry.after["previous_handler"] == people.handler.username


def test_start_needs_a_handler(clock: Clock, submit: SubmitFn, people: People, ngoc_ha: Unit) -> None:
    case = drive(submit(), State.ASSIGNED, people)
    case = s.case_transfer(actor=people.intake, case=case, reason="Thuộc địa bàn Ngọc Hà",
                           organisation=ngoc_ha.organisations.get(kind=OrganisationKind.PEOPLES_COMMITTEE))
    assert case.status == State.ASSIGNED and case.handler is None
    with pytest.raises(IllegalTransition, match="chưa có cán bộ xử lý"):
        case_transition(case=case, action=Action.START, actor=people.neighbour_leader)


# --- pausing the clock -------------------------------------------------------------------

def test_waiting_for_the_citizen_moves_the_deadline(clock: Clock, submit: SubmitFn, people: People) -> None:
    case = drive(submit(), State.IN_PROGRESS, people)
    assert case.due_on == D("2025-03-24")
    clock.set("2025-03-10")  # Monday
    case = s.case_request_info(actor=people.handler, case=case, question="Đề nghị gửi ảnh hiện trường")
    assert case.status == State.AWAITING_INFO and case.paused and case.paused_since == D("2025-03-10")
    event = CaseEvent.objects.get(case=case, kind=EventKind.INFO_REQUESTED)
    assert event.public and event.note == "Đề nghị gửi ảnh hiện trường"
    clock.set("2025-03-13")  # Thursday: 3 working days later
    case = s.case_info_received(actor=people.intake, case=case, response="Ảnh gửi kèm")
    assert case.status == State.IN_PROGRESS and not case.paused and case.paused_days == 3
    assert case.due_on == D("2025-03-27")
    request = InformationRequest.objects.get(case=case)
    assert (request.paused_days, request.response, request.received_at) == (3, "Ảnh gửi kèm", clock.now)
    # A second pause over a weekend counts working days only.
    clock.set("2025-03-14")  # Friday
    case = s.case_request_info(actor=people.handler, case=case, question="Bổ sung giấy tờ")
    clock.set("2025-03-17")  # Monday
    case = s.case_info_received(actor=people.handler, case=case)
    assert case.paused_days == 4 and case.due_on == D("2025-03-28")


def test_pause_of_a_calendar_day_rule(clock: Clock, submit: SubmitFn, people: People) -> None:
    case = s.case_accept(actor=people.intake, case=submit(kind=Kind.COMPLAINT))
    assert case.due_on == D("2025-04-02")  # 30 days from Mon 3/3
    case = drive(case, State.ASSIGNED, people)
    case = s.case_start(actor=people.handler, case=case)
    clock.set("2025-03-07")  # Friday
    case = s.case_request_info(actor=people.handler, case=case, question="Bổ sung quyết định bị khiếu nại")
    clock.set("2025-03-10")  # Monday: 3 calendar days
    case = s.case_info_received(actor=people.handler, case=case)
    assert case.paused_days == 3 and case.due_on == D("2025-04-07") + dt.timedelta(days=1)  # Sat 5/4 → Giỗ Tổ → 8/4


def test_awaiting_info_may_close_with_a_reason(clock: Clock, submit: SubmitFn, people: People) -> None:
    case = drive(submit(), State.AWAITING_INFO, people)
    with pytest.raises(DomainError, match="lý do kết thúc"):
        s.case_close(actor=people.leader, case=case)
    case = s.case_close(actor=people.leader, case=case, note="Công dân không bổ sung thông tin sau 30 ngày")
    assert case.status == State.CLOSED and not case.paused


# --- answers -----------------------------------------------------------------------------

def test_drafter_cannot_approve_their_own_answer(clock: Clock, submit: SubmitFn, people: People) -> None:
    case = drive(submit(), State.ASSIGNED, people)
    case = s.case_draft_answer(actor=people.leader, case=case, text="Trả lời của lãnh đạo")
    case = s.case_submit_answer(actor=people.leader, case=case)
    with pytest.raises(ActionNotPermitted, match="tự duyệt"):
        s.case_approve_answer(actor=people.leader, case=case)
    case = s.case_approve_answer(actor=people.deputy, case=case)
    assert case.status == State.ANSWER_APPROVED


def test_returned_answer_is_redrafted(clock: Clock, submit: SubmitFn, people: People) -> None:
    case = drive(submit(), State.ANSWER_DRAFTED, people)
    with pytest.raises(DomainError, match="ý kiến khi trả lại"):
        s.case_return_answer(actor=people.leader, case=case, note="")
    case = s.case_return_answer(actor=people.leader, case=case, note="Cần nêu thời hạn khắc phục")
    assert case.status == State.IN_PROGRESS
    answer = Answer.objects.get(case=case)
    assert answer.status == AnswerStatus.DRAFT and answer.return_note == "Cần nêu thời hạn khắc phục"
    case = s.case_draft_answer(actor=people.handler, case=case, text="Bản sửa: khắc phục trước 30/3")
    assert Answer.objects.filter(case=case).count() == 1
    case = s.case_submit_answer(actor=people.handler, case=case)
    case = s.case_approve_answer(actor=people.leader, case=case)
    # An approved answer can still be taken back before it is sent.
    case = s.case_return_answer(actor=people.leader, case=case, note="Đổi lại câu chữ")
    assert Answer.objects.get(case=case).approved_by is None


def test_submitting_without_a_draft_is_illegal(clock: Clock, submit: SubmitFn, people: People) -> None:
    case = s.case_start(actor=people.handler, case=drive(submit(), State.ASSIGNED, people))
    with pytest.raises(IllegalTransition, match="Chưa có dự thảo"):
        s.case_submit_answer(actor=people.handler, case=case)


def test_manual_redaction_at_sending(clock: Clock, submit: SubmitFn, people: People) -> None:
    case = drive(submit(), State.ANSWER_APPROVED, people)
    case = s.case_send_answer(actor=people.leader, case=case,
                              published_text="Đã xử lý việc của hộ [[bà Tư bán nước]]; liên hệ 0243 826 1234.")
    text = Answer.objects.get(case=case).published_text
    assert "bà Tư" not in text and "0243" not in text and text.startswith("Đã xử lý việc của hộ ***")


# --- reopening ---------------------------------------------------------------------------

def test_citizen_reopens_with_the_code_within_the_window(clock: Clock, submit: SubmitFn, people: People) -> None:
    case = drive(submit(), State.CLOSED, people)
    clock.advance(30)
    with pytest.raises(NotFoundOrForbidden):
        s.case_reopen(case=case, reason="Rác vẫn còn", code="PA2025XXXXXXXX")
    with pytest.raises(NotFoundOrForbidden):
        s.case_reopen(case=case, reason="Rác vẫn còn")
    reopened = s.case_reopen(case=case, reason="Rác vẫn còn", code=case.code.lower())
    assert reopened.status == State.REOPENED and reopened.closed_at is None
    assert reopened.clock_started_on == clock.today and reopened.paused_days == 0
    event = CaseEvent.objects.get(case=case, kind=EventKind.REOPENED)
    assert event.public and event.actor is None and event.note == "Rác vẫn còn"
    assert AuditEntry.objects.get(action="cases.reopen", object_id=str(case.pk)).after["by_citizen"] is True


def test_officials_cannot_reopen_with_a_code(clock: Clock, submit: SubmitFn, people: People) -> None:
    case = drive(submit(), State.ANSWERED, people)
    with pytest.raises(ActionNotPermitted):
        s.case_reopen(actor=people.handler, case=case, reason="x", code=case.code)
    with pytest.raises(NotFoundOrForbidden):
        s.case_reopen(actor=people.neighbour_leader, case=case, reason="x", code=case.code)
    # A citizen's own account (no role) may use the code like anyone holding it.
    assert s.case_reopen(actor=people.citizen, case=case, reason="Chưa xong", code=case.code).status == State.REOPENED


def test_reopen_window_is_configurable(clock: Clock, submit: SubmitFn, people: People, settings: Any) -> None:
    case = drive(submit(), State.ANSWERED, people)
    clock.advance(31)
    with pytest.raises(IllegalTransition, match="quá 30 ngày"):
        s.case_reopen(case=case, reason="Chưa xong", code=case.code)
    settings.DANVAN_CASE_REOPEN_DAYS = 45
    assert s.case_reopen(case=case, reason="Chưa xong", code=case.code).status == State.REOPENED


def test_complaints_are_not_reopened(clock: Clock, submit: SubmitFn, people: People) -> None:
    case = s.case_accept(actor=people.intake, case=submit(kind=Kind.COMPLAINT))
    case = drive(case, State.ANSWERED, people)
    with pytest.raises(IllegalTransition, match="khiếu nại lần hai"):
        s.case_reopen(case=case, reason="Không đồng ý", code=case.code)


def test_reopened_case_gets_a_new_round(clock: Clock, submit: SubmitFn, people: People) -> None:
    case = drive(submit(), State.ANSWERED, people)
    clock.set("2025-03-20")
    case = s.case_reopen(actor=people.leader, case=case, reason="Rác vẫn còn")
    assert case.due_on == D("2025-04-11")  # 15 working days from Thu 20/3 (Giỗ Tổ 7/4 skipped)
    case = s.case_start(actor=people.handler, case=case)
    case = s.case_draft_answer(actor=people.handler, case=case, text="Lần hai: đã thu gom dứt điểm.")
    assert Answer.objects.filter(case=case).count() == 2


# --- merging -----------------------------------------------------------------------------

def test_merge_moves_followers_to_the_survivor(clock: Clock, submit: SubmitFn, people: People) -> None:
    survivor = submit(submitter=Submitter(name="An", phone="0911111111"), wants_updates=True)
    duplicate = submit(submitter=Submitter(name="Bình", email="binh@example.vn"), wants_updates=True,
                       title="Rác ở đầu ngõ")
    earlier = submit(submitter=Submitter(name="Cúc", phone="0933333333"), wants_updates=True, title="Rác lần 1")
    quiet = submit(submitter=Submitter(name="Dung"), title="Rác")
    s.case_merge(actor=people.intake, duplicate=earlier, into=duplicate)
    s.case_merge(actor=people.intake, duplicate=quiet, into=duplicate)
    merged = s.case_merge(actor=people.intake, duplicate=duplicate, into=survivor)
    assert merged.status == State.MERGED and merged.duplicate_of == survivor
    assert Case.objects.get(pk=earlier.pk).duplicate_of == survivor  # chains are flattened
    assert sorted(f.name for f in case_followers(case=survivor)) == ["An", "Bình", "Cúc"]
    # The duplicate's holder learns the surviving code; the survivor never shows the duplicate's.
    assert case_public_get(code=duplicate.code).merged_into_code == survivor.code
    notes = " ".join(e.note for e in case_public_get(code=survivor.code).events)
    assert duplicate.code not in notes and earlier.code not in notes
    assert CaseEvent.objects.filter(case=survivor, kind=EventKind.MERGED_IN).count() == 1


@pytest.mark.parametrize("problem", ["self", "other_kind", "closed", "out_of_scope", "missing"])
def test_merge_refusals(clock: Clock, submit: SubmitFn, people: People, ngoc_ha: Unit, problem: str) -> None:
    duplicate = submit()
    into: Any = {
        "self": duplicate,
        "other_kind": submit(kind=Kind.PETITION) if problem == "other_kind" else None,
        "closed": drive(submit(), State.REFUSED, people) if problem == "closed" else None,
        "out_of_scope": submit(unit=ngoc_ha) if problem == "out_of_scope" else None,
        "missing": None,
    }[problem]
    expected: type[Exception] = {"out_of_scope": NotFoundOrForbidden, "missing": DomainError}.get(
        problem, IllegalTransition)
    with pytest.raises(expected):
        s.case_merge(actor=people.intake, duplicate=duplicate, into=into)
    assert Case.objects.get(pk=duplicate.pk).status == State.RECEIVED


# --- transfers ---------------------------------------------------------------------------

def test_transfer_sideways_keeps_state_and_changes_scope(clock: Clock, submit: SubmitFn, people: People,
                                                         ngoc_ha: Unit) -> None:
    case = drive(submit(), State.IN_PROGRESS, people)
    target = ngoc_ha.organisations.get(kind=OrganisationKind.PEOPLES_COMMITTEE)
    with pytest.raises(DomainError, match="lý do chuyển"):
        s.case_transfer(actor=people.leader, case=case, organisation=target, reason="")
    with pytest.raises(DomainError, match="chính cơ quan này"):
        s.case_transfer(actor=people.leader, case=case, organisation=case.organisation, reason="x")
    case = s.case_transfer(actor=people.leader, case=case, organisation=target, reason="Địa điểm thuộc Ngọc Hà")
    assert case.status == State.IN_PROGRESS
    assert (case.unit, case.unit_path, case.organisation) == (ngoc_ha, ngoc_ha.path, target)
    assert case.handler is None  # the Ba Đình handler cannot work a Ngọc Hà case
    row = Transfer.objects.get(case=case)
    assert row.to_organisation == target and row.reason == "Địa điểm thuộc Ngọc Hà"
    event = CaseEvent.objects.get(case=case, kind=EventKind.TRANSFERRED)
    assert event.public and target.name in event.note and event.data["direction"] == "sideways"
    # Ba Đình no longer sees it; Ngọc Hà does.
    with pytest.raises(NotFoundOrForbidden):
        s.case_transfer(actor=people.leader, case=case, organisation=case.organisation, reason="x")
    s.case_assign(actor=people.neighbour_leader, case=case, handler=people.neighbour_handler)


def test_transfer_up_keeps_a_handler_who_still_reaches_the_unit(clock: Clock, submit: SubmitFn, people: People,
                                                                hanoi: Unit) -> None:
    case = s.case_assign(actor=people.leader, case=submit(), handler=people.province_leader)
    target = hanoi.organisations.get(kind=OrganisationKind.PEOPLES_COMMITTEE)
    case = s.case_transfer(actor=people.intake, case=case, organisation=target, reason="Vượt thẩm quyền phường")
    assert case.unit == hanoi and case.handler == people.province_leader
    assert CaseEvent.objects.get(case=case, kind=EventKind.TRANSFERRED).data["direction"] == "up"


def test_transfer_to_another_province_applies_its_rules(clock: Clock, submit: SubmitFn, people: People,
                                                        hcm_commune: Unit) -> None:
    from danvan.cases.models import LegalRule, RuleKey

    LegalRule.objects.create(key=RuleKey.FEEDBACK_RESOLVE, days=5, working_days=True, valid_from=D("2024-01-01"),
                             province=hcm_commune.parent, source="Quy định của TP. Hồ Chí Minh (thử)")
    case = submit()
    assert case.due_on == D("2025-03-24")
    target = hcm_commune.organisations.get(kind=OrganisationKind.PEOPLES_COMMITTEE)
    case = s.case_transfer(actor=people.intake, case=case, organisation=target, reason="Sai địa bàn")
    assert case.due_on == D("2025-03-10")


def test_transfer_refuses_inactive_organisations(clock: Clock, submit: SubmitFn, people: People,
                                                 ngoc_ha: Unit) -> None:
    target = ngoc_ha.organisations.get(kind=OrganisationKind.PEOPLES_COMMITTEE)
    target.active = False
    target.save(update_fields=["active"])
    with pytest.raises(DomainError, match="đang hoạt động"):
        s.case_transfer(actor=people.intake, case=submit(), organisation=target, reason="x")


# --- locking and side effects ------------------------------------------------------------

def test_a_stale_object_cannot_replay_a_move(clock: Clock, submit: SubmitFn, people: People) -> None:
    case = submit()
    s.case_assign(actor=people.leader, case=case, handler=people.handler)
    assert case.status == State.RECEIVED  # the caller's object is stale
    with pytest.raises(IllegalTransition):
        s.case_accept(actor=people.intake, case=case)  # re-read under lock: it is assigned now


def test_failed_move_leaves_no_trace(clock: Clock, submit: SubmitFn, people: People) -> None:
    case = drive(submit(), State.IN_PROGRESS, people)
    before = (CaseEvent.objects.count(), AuditEntry.objects.count(), InformationRequest.objects.count())
    with pytest.raises(DomainError):
        s.case_request_info(actor=people.handler, case=case, question="")
    assert (CaseEvent.objects.count(), AuditEntry.objects.count(), InformationRequest.objects.count()) == before
    assert Case.objects.get(pk=case.pk).status == State.IN_PROGRESS


def test_missing_case_is_not_found(clock: Clock, submit: SubmitFn, people: People) -> None:
    ghost = Case(pk=987654321)
    with pytest.raises(NotFoundOrForbidden):
        s.case_start(actor=people.leader, case=ghost)
