"""The life of a "Dân vận khéo" model: one table of moves, one function that makes them.

registered → (submit) → appraising → (certify) → certified, at commune or province level;
the panel may return it for completion (→ registered) or the leader refuse recognition
(→ not recognised, which may be completed and submitted again). A certified model is
reviewed every year: keep or replicate (it stays certified) or drop (→ dropped). A
commune-level model may later be certified again at province level.

``practice_transition`` is the only code that changes ``Practice.status``. Check order, as
for cases: the actor must see the model (else ``NotFoundOrForbidden``, 404); the move must be
in the table (``IllegalTransition``, 409); the actor's role must allow it
(``ActionNotPermitted``, 403); then the guards. Each move writes an audit entry.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from danvan.audit.services import audit_record
from danvan.core.errors import DomainError, NotFoundOrForbidden
from danvan.core.text import normalize

from .models import LEVEL_RANK, Action, AnnualReview, Appraisal, Certification, Level, Practice, ReviewOutcome, State
from .rules import ACTION_PERMISSIONS, acting, can_view_practice, may_certify_at

NOTE_MAX_LENGTH = 5000


class IllegalTransition(DomainError):
    """A move the table does not allow from the model's current state (HTTP 409)."""

    status_code = 409

    def __init__(self, message: str = "", *, code: str = "illegal_transition") -> None:
        super().__init__(message or _("Thao tác này không thực hiện được ở trạng thái hiện tại của mô hình."),
                         code=code)


class ActionNotPermitted(DomainError):
    """The actor sees the model but their role does not allow this action (HTTP 403)."""

    status_code = 403

    def __init__(self, message: str = "", *, code: str = "forbidden") -> None:
        super().__init__(message or _("Bạn không có quyền thực hiện thao tác này đối với mô hình."), code=code)


TRANSITIONS: dict[tuple[str, str], str] = {
    (State.REGISTERED, Action.SUBMIT): State.APPRAISING,
    (State.NOT_RECOGNISED, Action.SUBMIT): State.APPRAISING,
    (State.APPRAISING, Action.RETURN): State.REGISTERED,
    (State.APPRAISING, Action.CERTIFY): State.CERTIFIED,
    (State.APPRAISING, Action.REJECT): State.NOT_RECOGNISED,
    # A commune-level model recognised again by the province (guard: a higher level only).
    (State.CERTIFIED, Action.CERTIFY): State.CERTIFIED,
    (State.CERTIFIED, Action.REVIEW_KEEP): State.CERTIFIED,
    (State.CERTIFIED, Action.REVIEW_REPLICATE): State.CERTIFIED,
    (State.CERTIFIED, Action.REVIEW_DROP): State.DROPPED,
}

REVIEW_OUTCOMES: dict[str, str] = {
    Action.REVIEW_KEEP: ReviewOutcome.KEEP,
    Action.REVIEW_REPLICATE: ReviewOutcome.REPLICATE,
    Action.REVIEW_DROP: ReviewOutcome.DROP,
}


@dataclass
class Step:
    practice: Practice
    actor: Any
    action: str
    data: Mapping[str, Any]
    now: dt.datetime
    today: dt.date


def clean_text(value: str | None, *, multiline: bool = False) -> str:
    """Normalised text to store (core.text.normalize); multi-line text keeps its line breaks."""
    if not multiline:
        return normalize(value)
    lines = [normalize(line) for line in (value or "").replace("\r\n", "\n").split("\n")]
    return "\n".join(lines).strip()


def text_argument(data: Mapping[str, Any], name: str, *, required_message: str = "",
                  max_length: int = NOTE_MAX_LENGTH) -> str:
    """A free-text argument, normalised; DomainError if required and empty, or too long."""
    value = clean_text(str(data.get(name) or ""), multiline=name == "note")
    if required_message and not value:
        raise DomainError(required_message, code="required")
    if len(value) > max_length:
        raise DomainError(_("Nội dung quá dài: tối đa %(n)d ký tự.") % {"n": max_length}, code="too_long")
    return value


# --- guards ------------------------------------------------------------------------------

def _guard_submit(step: Step) -> None:
    if not step.practice.description.strip():
        raise IllegalTransition(_("Hãy mô tả nội dung, cách làm của mô hình trước khi đưa ra thẩm định."),
                                code="description_required")


def _guard_certify(step: Step) -> None:
    practice = step.practice
    level = str(step.data.get("level") or "")
    if level not in Level.values:
        raise DomainError(_("Hãy chọn cấp công nhận: cấp xã hoặc cấp tỉnh."), code="level_required")
    if practice.status == State.APPRAISING:
        if not Appraisal.objects.filter(practice=practice, round=practice.appraisal_round).exists():
            raise IllegalTransition(_("Mô hình chưa có phiếu thẩm định nào của hội đồng trong đợt này."),
                                    code="appraisal_required")
    elif LEVEL_RANK[level] <= LEVEL_RANK[practice.certified_level]:
        raise IllegalTransition(_("Mô hình đã được công nhận ở cấp này hoặc cấp cao hơn."), code="level_not_higher")
    if not may_certify_at(step.actor, practice, level):
        raise ActionNotPermitted(_("Chỉ lãnh đạo cấp tỉnh được công nhận mô hình cấp tỉnh.")
                                 if level == Level.PROVINCE else "")


def _guard_review(step: Step) -> None:
    year = step.data.get("year")
    if not isinstance(year, int) or year < 1990 or year > step.today.year:
        raise DomainError(_("Năm đánh giá không hợp lệ."), code="year_invalid")
    if step.practice.certified_on and year < step.practice.certified_on.year:
        raise DomainError(_("Năm đánh giá phải từ năm mô hình được công nhận trở đi."), code="year_before_certified")
    if AnnualReview.objects.filter(practice=step.practice, year=year).exists():
        raise IllegalTransition(_("Mô hình đã được đánh giá năm %(year)d.") % {"year": year}, code="review_exists")


GUARDS: dict[str, Callable[[Step], None]] = {
    Action.SUBMIT: _guard_submit,
    Action.CERTIFY: _guard_certify,
    Action.REVIEW_KEEP: _guard_review,
    Action.REVIEW_REPLICATE: _guard_review,
    Action.REVIEW_DROP: _guard_review,
}


# --- effects -----------------------------------------------------------------------------

def _submit(step: Step) -> dict[str, Any]:
    step.practice.appraisal_round += 1
    return {"round": step.practice.appraisal_round}


def _return(step: Step) -> dict[str, Any]:
    note = text_argument(step.data, "note", required_message=_("Phải nêu nội dung cần hoàn thiện."))
    return {"note": note}


def _reject(step: Step) -> dict[str, Any]:
    note = text_argument(step.data, "note", required_message=_("Phải nêu lý do không công nhận."))
    return {"note": note}


def _certify(step: Step) -> dict[str, Any]:
    practice = step.practice
    number = text_argument(step.data, "decision_number", required_message=_("Hãy nhập số quyết định công nhận."),
                           max_length=60)
    body = text_argument(step.data, "body", required_message=_("Hãy nhập cơ quan ra quyết định công nhận."),
                         max_length=250)
    decided_on = step.data.get("decided_on")
    if not isinstance(decided_on, dt.date) or decided_on > step.today:
        raise DomainError(_("Ngày quyết định không hợp lệ (không được sau ngày hôm nay)."), code="date_invalid")
    level = str(step.data["level"])
    Certification.objects.create(practice=practice, level=level, decision_number=number, decided_on=decided_on,
                                 body=body, certified_by=step.actor if acting(step.actor) else None)
    practice.certified_level = level
    practice.certified_on = decided_on
    return {"level": level, "decision_number": number, "decided_on": decided_on, "body": body}


def _review(step: Step) -> dict[str, Any]:
    outcome = REVIEW_OUTCOMES[step.action]
    note = text_argument(step.data, "note", required_message=(
        _("Phải nêu lý do không duy trì mô hình.") if outcome == ReviewOutcome.DROP else ""))
    year = int(step.data["year"])
    AnnualReview.objects.create(practice=step.practice, year=year, outcome=outcome, note=note,
                                reviewed_by=step.actor if acting(step.actor) else None, at=step.now)
    return {"year": year, "outcome": outcome, "note": note}


EFFECTS: dict[str, Callable[[Step], dict[str, Any]]] = {
    Action.SUBMIT: _submit,
    Action.RETURN: _return,
    Action.REJECT: _reject,
    Action.CERTIFY: _certify,
    Action.REVIEW_KEEP: _review,
    Action.REVIEW_REPLICATE: _review,
    Action.REVIEW_DROP: _review,
}


def allowed_actions(*, practice: Practice, actor: Any) -> list[str]:
    """Actions the table and the actor's roles allow now (guards not evaluated)."""
    if not can_view_practice(actor, practice):
        return []
    return [action for (state, action) in TRANSITIONS
            if state == practice.status and ACTION_PERMISSIONS[action](actor, practice)]


def practice_transition(*, practice: Practice, action: str, actor: Any, **data: Any) -> Practice:
    """Make one move of the table on ``practice``; the only way to change its status."""
    if action not in Action.values:
        raise IllegalTransition(_("Thao tác không hợp lệ."), code="unknown_action")
    with transaction.atomic():
        locked = Practice.objects.select_for_update(of=("self",)).select_related("unit").filter(
            pk=practice.pk).first()
        if locked is None or not can_view_practice(actor, locked):
            raise NotFoundOrForbidden()
        target = TRANSITIONS.get((locked.status, action))
        if target is None:
            raise IllegalTransition(
                _("Không thể thực hiện «%(action)s» khi mô hình đang ở trạng thái «%(state)s».")
                % {"action": Action(action).label, "state": State(locked.status).label})
        if not ACTION_PERMISSIONS[action](actor, locked):
            raise ActionNotPermitted()
        now = timezone.now()
        step = Step(practice=locked, actor=actor, action=action, data=data, now=now,
                    today=timezone.localdate(now))
        guard = GUARDS.get(action)
        if guard is not None:
            guard(step)
        before = locked.status
        details = EFFECTS[action](step)
        locked.status = target
        locked.save()
        audit_record(actor=actor, action=f"practices.{action}", obj=locked, unit_path=locked.unit_path,
                     before={"status": before}, after={"status": target, **details})
    return locked
