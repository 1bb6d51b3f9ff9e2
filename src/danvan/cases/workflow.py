"""The case state machine: one table of moves, one function that makes them.

``TRANSITIONS[(state, action)]`` is the state a case goes to; a pair not in the table is an
illegal move (``IllegalTransition``, HTTP 409). ``rules.ACTION_PERMISSIONS[action]`` says who
may make it; ``GUARDS`` add the conditions that depend on the case rather than its state
(a complaint must be accepted before it is assigned, a drafter cannot approve their own
answer...). ``case_transition`` is the only code that changes ``Case.status``; each call
locks the row, checks in a fixed order, applies the action's effect, writes a timeline
event and an audit entry, and fires ``signals.case_event_committed`` after commit.

Check order: the actor must see the case (else ``NotFoundOrForbidden``, 404, so a case out
of scope looks like a missing one); the move must be in the table (409); the actor must be
permitted (``ActionNotPermitted``, 403); then the guards (409 or 403).

Anonymous denunciations. The law does not accept a denunciation without the denouncer's
name and address, but allows using it as information when it is specific (Luật Tố cáo
2018). We keep the kind ``to_cao`` — so the case stays under the denunciation protections
(restricted visibility, never public) — and set ``as_information``: it has no legal
deadline, cannot be accepted or answered, and is assigned, checked and closed with a note.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from danvan.audit.services import audit_record
from danvan.core.errors import DomainError, NotFoundOrForbidden
from danvan.units.models import Era, Level, Organisation, Status

from . import deadlines
from .codes import normalize_code
from .models import (
    FEEDBACK_KINDS,
    OPEN_STATES,
    Action,
    Answer,
    AnswerStatus,
    Case,
    CaseEvent,
    EventKind,
    InformationRequest,
    State,
    Transfer,
)
from .redaction import normalize_keep_lines, redact
from .rules import ACTION_PERMISSIONS, HANDLER_ROLES, acting, can_view_case
from .signals import case_event_committed

# How long after the answer a citizen may reopen a feedback case (days; settings override).
DEFAULT_REOPEN_DAYS = 30
NOTE_MAX_LENGTH = 5000
ANSWER_MAX_LENGTH = 50000


class IllegalTransition(DomainError):
    """A move the state machine does not allow from the case's current state (HTTP 409)."""

    status_code = 409

    def __init__(self, message: str = "", *, code: str = "illegal_transition") -> None:
        super().__init__(message or _("Thao tác này không thực hiện được ở trạng thái hiện tại của vụ việc."),
                         code=code)


class ActionNotPermitted(DomainError):
    """The actor sees the case but their role does not allow this action (HTTP 403)."""

    status_code = 403

    def __init__(self, message: str = "", *, code: str = "forbidden") -> None:
        super().__init__(message or _("Bạn không có quyền thực hiện thao tác này đối với vụ việc."), code=code)


# States in which a case may still be merged into another or transferred to another body.
_MERGEABLE = (State.RECEIVED, State.ACCEPTED, State.ASSIGNED, State.IN_PROGRESS, State.AWAITING_INFO,
              State.REOPENED)
_TRANSFERABLE = (State.RECEIVED, State.ACCEPTED, State.ASSIGNED, State.IN_PROGRESS, State.AWAITING_INFO,
                 State.REOPENED)

TRANSITIONS: dict[tuple[str, str], str] = {
    (State.RECEIVED, Action.ACCEPT): State.ACCEPTED,
    (State.RECEIVED, Action.REFUSE): State.REFUSED,
    # Feedback and information need no acceptance; complaints and denunciations do (guard).
    (State.RECEIVED, Action.ASSIGN): State.ASSIGNED,
    (State.ACCEPTED, Action.ASSIGN): State.ASSIGNED,
    (State.ASSIGNED, Action.ASSIGN): State.ASSIGNED,
    (State.IN_PROGRESS, Action.ASSIGN): State.ASSIGNED,
    (State.REOPENED, Action.ASSIGN): State.ASSIGNED,
    (State.ASSIGNED, Action.START): State.IN_PROGRESS,
    (State.REOPENED, Action.START): State.IN_PROGRESS,
    (State.ASSIGNED, Action.REQUEST_INFO): State.AWAITING_INFO,
    (State.IN_PROGRESS, Action.REQUEST_INFO): State.AWAITING_INFO,
    (State.AWAITING_INFO, Action.INFO_RECEIVED): State.IN_PROGRESS,
    (State.ASSIGNED, Action.DRAFT_ANSWER): State.IN_PROGRESS,
    (State.IN_PROGRESS, Action.DRAFT_ANSWER): State.IN_PROGRESS,
    (State.IN_PROGRESS, Action.SUBMIT_ANSWER): State.ANSWER_DRAFTED,
    (State.ANSWER_DRAFTED, Action.APPROVE_ANSWER): State.ANSWER_APPROVED,
    (State.ANSWER_DRAFTED, Action.RETURN_ANSWER): State.IN_PROGRESS,
    (State.ANSWER_APPROVED, Action.RETURN_ANSWER): State.IN_PROGRESS,
    (State.ANSWER_APPROVED, Action.SEND_ANSWER): State.ANSWERED,
    (State.ANSWERED, Action.CLOSE): State.CLOSED,
    # The citizen never sent what was asked for: closed with a note.
    (State.AWAITING_INFO, Action.CLOSE): State.CLOSED,
    # Only information kept from an anonymous denunciation closes without an answer (guard).
    (State.ASSIGNED, Action.CLOSE): State.CLOSED,
    (State.IN_PROGRESS, Action.CLOSE): State.CLOSED,
    (State.ANSWERED, Action.REOPEN): State.REOPENED,
    (State.CLOSED, Action.REOPEN): State.REOPENED,
    **{(state, Action.MERGE): State.MERGED for state in _MERGEABLE},
    # A transfer keeps the state and changes the responsible body.
    **{(state, Action.TRANSFER): state for state in _TRANSFERABLE},
}


@dataclass
class Step:
    """One move being made: the locked case and what the caller passed."""

    case: Case
    actor: Any
    action: str
    data: Mapping[str, Any]
    now: dt.datetime
    today: dt.date


@dataclass
class Outcome:
    """What an effect did: the timeline event to write and what the audit entry adds."""

    kind: str
    public: bool
    note: str = ""
    data: dict[str, Any] = field(default_factory=dict)
    audit: dict[str, Any] = field(default_factory=dict)


def _actor_or_none(actor: Any) -> Any:
    return actor if acting(actor) else None


def event_record(*, case: Case, actor: Any, kind: str, public: bool, note: str = "",
                 data: dict[str, Any] | None = None, at: dt.datetime | None = None) -> CaseEvent:
    """Append a timeline event and announce it once the transaction commits."""
    event = CaseEvent.objects.create(case=case, at=at or timezone.now(), actor=_actor_or_none(actor), kind=kind,
                                     public=public, note=note, data=data or {})
    case_id, event_id = case.pk, event.pk
    transaction.on_commit(lambda: case_event_committed.send(
        sender=CaseEvent, case_id=case_id, event_id=event_id, kind=kind, public=public))
    return event


def text_argument(data: Mapping[str, Any], name: str, *, required_message: str = "",
                  max_length: int = NOTE_MAX_LENGTH) -> str:
    """A free-text argument, normalised; DomainError if required and empty, or too long."""
    value = normalize_keep_lines(str(data.get(name) or ""))
    if required_message and not value:
        raise DomainError(required_message, code="required")
    if len(value) > max_length:
        raise DomainError(_("Nội dung quá dài: tối đa %(n)d ký tự.") % {"n": max_length}, code="too_long")
    return value


# --- guards ------------------------------------------------------------------------------

def _guard_accept(step: Step) -> None:
    if step.case.as_information:
        raise IllegalTransition(_("Tố cáo không rõ họ tên, địa chỉ người tố cáo không được thụ lý giải quyết; "
                                  "nội dung được tiếp nhận làm thông tin để xem xét."))


def _guard_assign(step: Step) -> None:
    if step.case.status == State.RECEIVED and deadlines.needs_acceptance(step.case):
        raise IllegalTransition(_("Khiếu nại, tố cáo phải được thụ lý trước khi giao xử lý."))


def _guard_start(step: Step) -> None:
    if step.case.handler_id is None:
        raise IllegalTransition(_("Vụ việc chưa có cán bộ xử lý: hãy giao xử lý trước."))


def _guard_needs_recipient(step: Step) -> None:
    if step.case.as_information:
        raise IllegalTransition(_("Thông tin từ tố cáo nặc danh không có người nhận để đề nghị hay trả lời."))


def _guard_close(step: Step) -> None:
    if step.case.status in (State.ASSIGNED, State.IN_PROGRESS) and not step.case.as_information:
        raise IllegalTransition(_("Vụ việc chỉ được kết thúc sau khi đã gửi văn bản trả lời."))


def reopen_window_days() -> int:
    """Days after the answer during which a citizen may reopen a feedback case."""
    return int(getattr(settings, "DANVAN_CASE_REOPEN_DAYS", DEFAULT_REOPEN_DAYS))


def _guard_reopen(step: Step) -> None:
    case = step.case
    if case.kind not in FEEDBACK_KINDS:
        # Dissatisfied complainants complain a second time; denouncers denounce again:
        # both are new cases under their own law, not a reopened one.
        raise IllegalTransition(_("Chỉ phản ánh, kiến nghị được mở lại; khiếu nại, tố cáo được giải quyết "
                                  "theo thủ tục khiếu nại lần hai hoặc tố cáo tiếp."))
    if case.answered_at is None:
        raise IllegalTransition(_("Vụ việc chưa có văn bản trả lời nên không thể mở lại."))
    window = reopen_window_days()
    if (step.today - deadlines.local_date(case.answered_at)).days > window:
        raise IllegalTransition(_("Đã quá %(n)d ngày kể từ khi trả lời: không thể mở lại vụ việc.") % {"n": window})


def _guard_approve(step: Step) -> None:
    answer = _answer_in(step.case, AnswerStatus.SUBMITTED)
    if answer is not None and step.actor is not None and answer.drafted_by_id == step.actor.pk:
        # Approval is a second pair of eyes: the drafter may not approve their own text.
        raise ActionNotPermitted(_("Người dự thảo không được tự duyệt văn bản trả lời của mình."))


GUARDS: dict[str, Callable[[Step], None]] = {
    Action.ACCEPT: _guard_accept,
    Action.ASSIGN: _guard_assign,
    Action.START: _guard_start,
    Action.REQUEST_INFO: _guard_needs_recipient,
    Action.DRAFT_ANSWER: _guard_needs_recipient,
    Action.CLOSE: _guard_close,
    Action.REOPEN: _guard_reopen,
    Action.APPROVE_ANSWER: _guard_approve,
}


# --- effects -----------------------------------------------------------------------------

def _accept(step: Step) -> Outcome:
    case = step.case
    if "is_complex" in step.data:
        case.is_complex = bool(step.data["is_complex"])
    if "is_remote" in step.data:
        case.is_remote = bool(step.data["is_remote"])
    case.accepted_at = step.now
    if deadlines.needs_acceptance(case):
        # Thụ lý starts the resolution clock (Luật Khiếu nại Art. 28, Luật Tố cáo Art. 30).
        case.clock_started_on = step.today
        case.paused_days = 0
    case.due_on = deadlines.case_due_on(case)
    return Outcome(EventKind.ACCEPTED, public=True, data={"due_on": case.due_on},
                   audit={"due_on": case.due_on, "is_complex": case.is_complex, "is_remote": case.is_remote})


def _refuse(step: Step) -> Outcome:
    reason = text_argument(step.data, "reason", required_message=_("Phải nêu lý do không thụ lý."))
    step.case.closed_at = step.now
    return Outcome(EventKind.REFUSED, public=True, note=reason, audit={"reason": reason})


def _assign(step: Step) -> Outcome:
    from danvan.accounts.selectors import path_in_scope

    handler = step.data.get("handler")
    if handler is None or not acting(handler) or not getattr(handler, "is_official", False):
        raise DomainError(_("Phải chọn một cán bộ đang làm việc để giao xử lý."), code="handler_required")
    if not path_in_scope(handler, step.case.unit_path, roles=HANDLER_ROLES):
        raise DomainError(_("Cán bộ %(name)s không có quyền xử lý vụ việc trên địa bàn này.")
                          % {"name": handler.display_name}, code="handler_out_of_scope")
    previous = step.case.handler
    step.case.handler = handler
    return Outcome(EventKind.ASSIGNED, public=True, data={"handler_id": handler.pk},
                   audit={"handler": handler.get_username(),
                          "previous_handler": previous.get_username() if previous else None})


def _start(step: Step) -> Outcome:
    return Outcome(EventKind.STARTED, public=True)


def _request_info(step: Step) -> Outcome:
    question = text_argument(step.data, "question", required_message=_("Phải nêu thông tin cần bổ sung."))
    InformationRequest.objects.create(case=step.case, question=question, requested_by=_actor_or_none(step.actor),
                                      requested_at=step.now)
    step.case.paused = True
    step.case.paused_since = step.today
    # The citizen must know what to send, so the question is public.
    return Outcome(EventKind.INFO_REQUESTED, public=True, note=question)


def _info_received(step: Step) -> Outcome:
    case = step.case
    response = text_argument(step.data, "response")
    paused = deadlines.paused_days_until(case, step.today)
    request = case.information_requests.filter(received_at__isnull=True).order_by("-requested_at").first()
    if request is not None:
        request.response = response
        request.received_at = step.now
        request.paused_days = paused
        request.save(update_fields=["response", "received_at", "paused_days"])
    case.paused = False
    case.paused_since = None
    case.paused_days += paused
    case.due_on = deadlines.case_due_on(case)
    # What the citizen sent may hold personal data: it stays internal.
    return Outcome(EventKind.INFO_RECEIVED, public=True, data={"paused_days": paused, "due_on": case.due_on},
                   audit={"paused_days": paused, "due_on": case.due_on})


def _answer_in(case: Case, *statuses: str) -> Answer | None:
    return case.answers.filter(status__in=statuses).order_by("-drafted_at", "-id").first()


def _draft_answer(step: Step) -> Outcome:
    text = text_argument(step.data, "text", required_message=_("Nội dung văn bản trả lời không được để trống."),
                         max_length=ANSWER_MAX_LENGTH)
    answer = _answer_in(step.case, AnswerStatus.DRAFT)
    if answer is None:
        answer = Answer(case=step.case, status=AnswerStatus.DRAFT)
    answer.text = text
    answer.drafted_by = _actor_or_none(step.actor)
    answer.drafted_at = step.now
    answer.save()
    return Outcome(EventKind.ANSWER_DRAFTED, public=False, data={"answer_id": answer.pk},
                   audit={"answer": answer.pk})


def _submit_answer(step: Step) -> Outcome:
    answer = _answer_in(step.case, AnswerStatus.DRAFT)
    if answer is None or not answer.text.strip():
        raise IllegalTransition(_("Chưa có dự thảo văn bản trả lời để trình duyệt."))
    answer.status = AnswerStatus.SUBMITTED
    answer.submitted_at = step.now
    answer.save(update_fields=["status", "submitted_at"])
    return Outcome(EventKind.ANSWER_SUBMITTED, public=False, data={"answer_id": answer.pk},
                   audit={"answer": answer.pk})


def _published_text(case: Case, text: str) -> str:
    return redact(text, names=[case.submitter_name] if case.submitter_name else [])


def _approve_answer(step: Step) -> Outcome:
    answer = _answer_in(step.case, AnswerStatus.SUBMITTED)
    if answer is None:
        raise IllegalTransition(_("Không có văn bản trả lời đang chờ duyệt."))
    manual = text_argument(step.data, "published_text", max_length=ANSWER_MAX_LENGTH)
    answer.status = AnswerStatus.APPROVED
    answer.approved_by = _actor_or_none(step.actor)
    answer.approved_at = step.now
    answer.published_text = _published_text(step.case, manual or answer.text)
    answer.save(update_fields=["status", "approved_by", "approved_at", "published_text"])
    return Outcome(EventKind.ANSWER_APPROVED, public=False, data={"answer_id": answer.pk},
                   audit={"answer": answer.pk})


def _return_answer(step: Step) -> Outcome:
    note = text_argument(step.data, "note", required_message=_("Phải nêu ý kiến khi trả lại dự thảo."))
    answer = _answer_in(step.case, AnswerStatus.SUBMITTED, AnswerStatus.APPROVED)
    if answer is None:
        raise IllegalTransition(_("Không có văn bản trả lời để trả lại."))
    answer.status = AnswerStatus.DRAFT
    answer.return_note = note
    answer.approved_by = None
    answer.approved_at = None
    answer.save(update_fields=["status", "return_note", "approved_by", "approved_at"])
    return Outcome(EventKind.ANSWER_RETURNED, public=False, note=note, data={"answer_id": answer.pk},
                   audit={"answer": answer.pk})


def _send_answer(step: Step) -> Outcome:
    answer = _answer_in(step.case, AnswerStatus.APPROVED)
    if answer is None:
        raise IllegalTransition(_("Văn bản trả lời chưa được duyệt."))
    manual = text_argument(step.data, "published_text", max_length=ANSWER_MAX_LENGTH)
    # The automatic masking runs again over a hand-edited text: a manual edit can add, never remove.
    answer.published_text = _published_text(step.case, manual or answer.published_text or answer.text)
    answer.status = AnswerStatus.SENT
    answer.sent_at = step.now
    answer.save(update_fields=["status", "sent_at", "published_text"])
    step.case.answered_at = step.now
    return Outcome(EventKind.ANSWER_SENT, public=True, data={"answer_id": answer.pk}, audit={"answer": answer.pk})


def _close(step: Step) -> Outcome:
    case = step.case
    required = "" if case.status == State.ANSWERED else _("Phải nêu lý do kết thúc vụ việc.")
    note = text_argument(step.data, "note", required_message=required)
    case.closed_at = step.now
    case.paused = False
    case.paused_since = None
    return Outcome(EventKind.CLOSED, public=True, note=note, audit={"note": note})


def _reopen(step: Step) -> Outcome:
    case = step.case
    reason = text_argument(step.data, "reason", required_message=_("Phải nêu lý do đề nghị mở lại."))
    # A new handling round: a fresh clock under the rule valid on the receipt date.
    case.closed_at = None
    case.clock_started_on = step.today
    case.paused = False
    case.paused_since = None
    case.paused_days = 0
    case.extensions = 0
    case.due_on = deadlines.case_due_on(case)
    return Outcome(EventKind.REOPENED, public=True, note=reason, data={"due_on": case.due_on},
                   audit={"reason": reason, "due_on": case.due_on, "by_citizen": not acting(step.actor)})


def _merge(step: Step) -> Outcome:
    case = step.case
    into = step.data.get("into")
    if not isinstance(into, Case):
        raise DomainError(_("Phải chọn vụ việc để gộp vào."), code="merge_target_required")
    if into.pk == case.pk:
        raise IllegalTransition(_("Không thể gộp một vụ việc vào chính nó."))
    into = Case.objects.select_for_update().filter(pk=into.pk).first()
    if into is None or not can_view_case(step.actor, into):
        raise NotFoundOrForbidden()
    if into.kind != case.kind:
        raise IllegalTransition(_("Chỉ gộp được các vụ việc cùng loại."))
    if into.status not in OPEN_STATES:
        raise IllegalTransition(_("Vụ việc được gộp vào phải đang trong quá trình xử lý."))
    case.duplicate_of = into
    case.closed_at = step.now
    # Whoever followed this case now follows the surviving one (see selectors.case_followers).
    Case.objects.filter(duplicate_of=case).update(duplicate_of=into)
    event_record(case=into, actor=step.actor, kind=EventKind.MERGED_IN, public=True, at=step.now,
                 note=_("Một phản ánh trùng nội dung đã được gộp vào vụ việc này."), data={"duplicate_id": case.pk})
    # The duplicate's submitter is told the surviving code; the survivor's public page never
    # shows the duplicate's code (a code is its holder's secret).
    return Outcome(EventKind.MERGED, public=True,
                   note=_("Vụ việc được gộp vào vụ việc có mã %(code)s; kết quả giải quyết được theo dõi "
                          "bằng mã này.") % {"code": into.code},
                   data={"into_id": into.pk, "into_code": into.code}, audit={"into": into.code})


def _transfer(step: Step) -> Outcome:
    from danvan.accounts.selectors import path_in_scope

    case = step.case
    target = step.data.get("organisation")
    if not isinstance(target, Organisation):
        raise DomainError(_("Phải chọn cơ quan, tổ chức nhận vụ việc."), code="organisation_required")
    target = Organisation.objects.select_related("unit").get(pk=target.pk)
    unit = target.unit
    if (not target.active or unit.status != Status.ACTIVE or unit.era != Era.CURRENT
            or unit.level not in (Level.PROVINCE, Level.COMMUNE)):
        raise DomainError(_("Cơ quan, tổ chức nhận phải đang hoạt động ở cấp tỉnh hoặc cấp xã."),
                          code="organisation_invalid")
    if target.pk == case.organisation_id:
        raise DomainError(_("Vụ việc đang do chính cơ quan này giải quyết."), code="organisation_same")
    reason = text_argument(step.data, "reason", required_message=_("Phải nêu lý do chuyển vụ việc."))
    source = case.organisation
    old_path = case.unit_path
    Transfer.objects.create(case=case, from_organisation=source, to_organisation=target, reason=reason,
                            by=_actor_or_none(step.actor), at=step.now)
    case.organisation = target
    case.unit = unit
    case.unit_path = unit.path
    if case.handler is not None and not path_in_scope(case.handler, unit.path, roles=HANDLER_ROLES):
        # The handler cannot work a case outside their unit: the receiving leader assigns anew.
        case.handler = None
    # Local (provincial) rules follow the case; the clock start and receipt date do not change.
    if case.accepted_at is None:
        case.acceptance_due_on = deadlines.case_acceptance_due_on(case)
    case.due_on = deadlines.case_due_on(case)
    direction = ("up" if len(unit.path) < len(old_path) else "down" if len(unit.path) > len(old_path)
                 else "sideways")
    return Outcome(EventKind.TRANSFERRED, public=True,
                   note=_("Chuyển đến %(org)s. Lý do: %(reason)s") % {"org": target.name, "reason": reason},
                   data={"from_organisation_id": source.pk, "to_organisation_id": target.pk, "direction": direction},
                   audit={"from": source.name, "to": target.name, "to_unit_path": unit.path, "reason": reason,
                          "direction": direction, "due_on": case.due_on})


EFFECTS: dict[str, Callable[[Step], Outcome]] = {
    Action.ACCEPT: _accept,
    Action.REFUSE: _refuse,
    Action.ASSIGN: _assign,
    Action.START: _start,
    Action.REQUEST_INFO: _request_info,
    Action.INFO_RECEIVED: _info_received,
    Action.DRAFT_ANSWER: _draft_answer,
    Action.SUBMIT_ANSWER: _submit_answer,
    Action.APPROVE_ANSWER: _approve_answer,
    Action.RETURN_ANSWER: _return_answer,
    Action.SEND_ANSWER: _send_answer,
    Action.CLOSE: _close,
    Action.REOPEN: _reopen,
    Action.MERGE: _merge,
    Action.TRANSFER: _transfer,
}


def _citizen_code_matches(case: Case, data: Mapping[str, Any]) -> bool:
    code = normalize_code(str(data.get("code") or ""))
    return bool(code) and secrets.compare_digest(code.encode(), case.code.encode())


def allowed_actions(*, case: Case, actor: Any) -> list[str]:
    """Actions the state machine and the actor's roles allow now (guards not evaluated)."""
    if not can_view_case(actor, case):
        return []
    return [action for (state, action) in TRANSITIONS
            if state == case.status and ACTION_PERMISSIONS[action](actor, case)]


def case_transition(*, case: Case, action: str, actor: Any, **data: Any) -> Case:
    """Make one move of the state machine on ``case``; the only way to change its status."""
    if action not in Action.values:
        raise IllegalTransition(_("Thao tác không hợp lệ."), code="unknown_action")
    with transaction.atomic():
        locked = (Case.objects.select_for_update(of=("self",)).select_related("unit", "organisation", "handler")
                  .filter(pk=case.pk).first())
        if locked is None:
            raise NotFoundOrForbidden()
        # The code is the citizen's key; officials see codes in their inbox, so they act by role only.
        by_citizen = (action == Action.REOPEN and not getattr(actor, "is_official", False)
                      and _citizen_code_matches(locked, data))
        if not by_citizen and not can_view_case(actor, locked):
            raise NotFoundOrForbidden()
        target = TRANSITIONS.get((locked.status, action))
        if target is None:
            raise IllegalTransition(
                _("Không thể thực hiện «%(action)s» khi vụ việc đang ở trạng thái «%(state)s».")
                % {"action": Action(action).label, "state": State(locked.status).label})
        if not by_citizen and not ACTION_PERMISSIONS[action](actor, locked):
            raise ActionNotPermitted()
        now = timezone.now()
        step = Step(case=locked, actor=actor, action=action, data=data, now=now, today=deadlines.local_date(now))
        guard = GUARDS.get(action)
        if guard is not None:
            guard(step)
        before = locked.status
        old_path = locked.unit_path
        outcome = EFFECTS[action](step)
        locked.status = target
        locked.save()
        event_record(case=locked, actor=actor, kind=outcome.kind, public=outcome.public, note=outcome.note,
                     data=outcome.data, at=now)
        audit_record(actor=actor, action=f"cases.{action}", obj=locked, unit_path=old_path,
                     before={"status": before}, after={"status": target, **outcome.audit})
    return locked

