"""Deadline reminders and escalation: a periodic, idempotent job.

Reminders go to the handler N working days before a case is due; once overdue, the case is
escalated to the leaders of its unit and to the supervising bodies (role SUPERVISOR: the
Fatherland Front and the Ban Tuyên giáo và Dân vận) of the unit and of its province. Every
message carries a dedupe key made of case, due date, kind and recipient, so running the job
twice sends nothing new, and an extension (a new due date) starts a fresh round.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from danvan.accounts.models import Role, RoleAssignment
from danvan.audit.services import audit_record
from danvan.notifications.models import NotificationChannel
from danvan.notifications.services import notification_queue

from .deadlines import add_days, calendar_for, local_date, province_of
from .models import RUNNING_STATES, Case, EventKind
from .workflow import event_record

logger = logging.getLogger(__name__)

DEFAULT_REMIND_WORKING_DAYS = 2


@dataclass(frozen=True)
class JobResult:
    """What one run did: cases looked at and notifications newly queued."""

    cases: int
    queued: int


def remind_working_days() -> int:
    """How many working days before the due date the handler is reminded."""
    return int(getattr(settings, "DANVAN_CASE_REMIND_WORKING_DAYS", DEFAULT_REMIND_WORKING_DAYS))


def _running_cases() -> Any:
    return (Case.objects.filter(status__in=RUNNING_STATES, paused=False, due_on__isnull=False, duplicate_of=None)
            .select_related("handler", "unit").order_by("due_on", "id"))


def _email(user: Any, *, case: Case, kind: str, template: str, subject: str, context: dict[str, Any]) -> bool:
    if not user.is_active or not user.email:
        return False
    body = render_to_string(f"notifications/{template}.txt", {"case": case, **context}).strip()
    due = case.due_on.isoformat() if case.due_on else "-"
    row = notification_queue(channel=NotificationChannel.EMAIL, recipient=user.email, subject=subject, body=body,
                             dedupe_key=f"{kind}:{case.pk}:{due}:{user.pk}", case_id=case.pk)
    return row is not None


def cases_remind(*, today: dt.date | None = None) -> JobResult:
    """Remind handlers of running cases due within the configured number of working days."""
    today = today or local_date(None)
    horizon = add_days(today, remind_working_days(), True, calendar_for(today, remind_working_days()))
    cases = list(_running_cases().filter(due_on__gte=today, due_on__lte=horizon, handler__isnull=False))
    queued = 0
    for case in cases:
        with transaction.atomic():
            sent = _email(case.handler, case=case, kind="remind", template="official_remind",
                          subject=_("Nhắc hạn giải quyết vụ việc %(code)s") % {"code": case.code},
                          context={"due": case.due_on})
            if sent:
                queued += 1
                event_record(case=case, actor=None, kind=EventKind.NOTE, public=False,
                             note=_("Đã nhắc cán bộ xử lý: hạn giải quyết ngày %(due)s.")
                             % {"due": case.due_on.strftime("%d/%m/%Y")},
                             data={"job": "remind", "due_on": case.due_on.isoformat()})
                audit_record(actor=None, action="cases.remind", obj=case, unit_path=case.unit_path,
                             after={"due_on": case.due_on.isoformat(), "handler": case.handler_id})
    return JobResult(cases=len(cases), queued=queued)


def _escalation_recipients(case: Case) -> list[Any]:
    province = province_of(case.unit)
    units = [case.unit_id] + ([province.pk] if province is not None and province.pk != case.unit_id else [])
    user_ids = (RoleAssignment.objects.filter(active=True)
                .filter(Q(role=Role.LEADER, unit_id=case.unit_id) | Q(role=Role.SUPERVISOR, unit_id__in=units))
                .values("user_id"))
    return list(get_user_model().objects.filter(pk__in=user_ids).order_by("pk"))


def cases_escalate(*, today: dt.date | None = None) -> JobResult:
    """Escalate overdue running cases to the unit's leaders and the supervising bodies, once per due date."""
    today = today or local_date(None)
    cases = list(_running_cases().filter(due_on__lt=today))
    queued = 0
    for case in cases:
        recipients = _escalation_recipients(case)
        overdue = (today - case.due_on).days
        with transaction.atomic():
            new = [user.pk for user in recipients
                   if _email(user, case=case, kind="escalate", template="official_escalate",
                             subject=_("Vụ việc %(code)s đã quá hạn giải quyết") % {"code": case.code},
                             context={"due": case.due_on, "overdue": overdue})]
            if new:
                queued += len(new)
                event_record(case=case, actor=None, kind=EventKind.NOTE, public=False,
                             note=_("Vụ việc quá hạn giải quyết (hạn ngày %(due)s); đã báo cáo lãnh đạo và cơ "
                                    "quan giám sát.") % {"due": case.due_on.strftime("%d/%m/%Y")},
                             data={"job": "escalate", "due_on": case.due_on.isoformat(), "recipients": new})
                audit_record(actor=None, action="cases.escalate", obj=case, unit_path=case.unit_path,
                             after={"due_on": case.due_on.isoformat(), "recipients": new})
    return JobResult(cases=len(cases), queued=queued)
