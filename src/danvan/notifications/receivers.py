"""Turns committed case events into notifications: citizens who asked for updates hear about
public milestones; officials hear about work given to them. Denouncers are never notified here:
their contact is sealed and only cleared channels may use it."""

from __future__ import annotations

import logging
from typing import Any

from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from danvan.accounts.models import Role, RoleAssignment
from danvan.cases.models import Case, CaseEvent, EventKind, Kind
from danvan.cases.selectors import case_followers

from .models import NotificationChannel
from .services import notification_queue

logger = logging.getLogger(__name__)

CITIZEN_EVENTS = {
    EventKind.ACCEPTED: "citizen_accepted",
    EventKind.INFO_REQUESTED: "citizen_info_requested",
    EventKind.ANSWER_SENT: "citizen_answer_sent",
    EventKind.MERGED: "citizen_merged",
    EventKind.REOPENED: "citizen_reopened",
}


def _subjects() -> dict[str, str]:
    return {
        "citizen_accepted": _("Hồ sơ của ông/bà đã được thụ lý"),
        "citizen_info_requested": _("Đề nghị bổ sung thông tin"),
        "citizen_answer_sent": _("Hồ sơ của ông/bà đã có văn bản trả lời"),
        "citizen_merged": _("Hồ sơ của ông/bà được gộp vào hồ sơ cùng nội dung"),
        "citizen_reopened": _("Hồ sơ của ông/bà đã được mở lại"),
        "official_assigned": _("Vụ việc mới được giao cho đồng chí"),
        "official_answer_submitted": _("Văn bản trả lời chờ đồng chí duyệt"),
    }


def _render(template: str, context: dict[str, Any]) -> tuple[str, str]:
    body = render_to_string(f"notifications/{template}.txt", context).strip()
    return _subjects()[template], body


def _notify_citizens(case: Case, event: CaseEvent, template: str) -> None:
    if case.kind == Kind.DENUNCIATION:
        logger.info("Không gửi thông báo cho người tố cáo (vụ việc %s, sự kiện %s)", case.pk, event.pk)
        return
    for follower in case_followers(case=case):
        subject, body = _render(template, {"case": case, "event": event, "code": follower.case_code,
                                           "into_code": event.data.get("into_code", "")})
        for channel, recipient in ((NotificationChannel.SMS, follower.phone),
                                   (NotificationChannel.EMAIL, follower.email)):
            if recipient:
                notification_queue(channel=channel, recipient=recipient, subject=subject, body=body,
                                   dedupe_key=f"event:{event.pk}:{channel}:{recipient}", case_id=case.pk)


def _notify_official(user: Any, case: Case, event: CaseEvent, template: str) -> None:
    if not user.email or not user.is_active:
        return
    subject, body = _render(template, {"case": case, "event": event, "user": user})
    notification_queue(channel=NotificationChannel.EMAIL, recipient=user.email, subject=subject, body=body,
                       dedupe_key=f"event:{event.pk}:email:{user.email}", case_id=case.pk)


def on_case_event(sender: Any, *, case_id: int, event_id: int, kind: str, public: bool, **kwargs: Any) -> None:
    """Receiver of ``cases.signals.case_event_committed``."""
    # Most events (a submission, a note, a transfer) tell nobody: decide before reading anything.
    if not ((public and kind in CITIZEN_EVENTS) or kind in (EventKind.ASSIGNED, EventKind.ANSWER_SUBMITTED)):
        return
    event = CaseEvent.objects.filter(pk=event_id).first()
    case = Case.objects.select_related("handler").filter(pk=case_id).first()
    if event is None or case is None:
        return
    if public and kind in CITIZEN_EVENTS:
        _notify_citizens(case, event, CITIZEN_EVENTS[EventKind(kind)])
    elif kind == EventKind.ASSIGNED and case.handler_id:
        _notify_official(case.handler, case, event, "official_assigned")
    elif kind == EventKind.ANSWER_SUBMITTED:
        leaders = (RoleAssignment.objects.filter(role=Role.LEADER, unit_id=case.unit_id, active=True)
                   .select_related("user").order_by("user_id"))
        for assignment in leaders:
            _notify_official(assignment.user, case, event, "official_answer_submitted")
