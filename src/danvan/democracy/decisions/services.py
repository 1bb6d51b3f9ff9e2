"""Writes for decisions: create, move through the workflow, record meetings and ballots, count.

Every service takes keyword-only arguments, runs in one transaction and writes an audit entry.
A household's vote is written as a ``BallotReceipt`` (who voted; unique per decision and
household, so the database itself refuses a second vote) and an anonymous ``Ballot`` (what was
chosen). The audit entry of a vote names the receipt, never the choice.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Count, Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from danvan.attachments.models import Attachment
from danvan.attachments.services import attachment_add, file_check
from danvan.audit.services import audit_record
from danvan.core.errors import DomainError, NotFoundOrForbidden
from danvan.core.search import searchable
from danvan.units.models import Household, Level, Unit
from danvan.units.models import Status as UnitStatus

from .models import (
    Attendance,
    Ballot,
    BallotChoice,
    BallotIssue,
    BallotReceipt,
    Channel,
    Decision,
    Form,
    MatterType,
    Meeting,
    Option,
    Status,
    Tally,
    VotingCode,
    when_text,
)
from .rules import can_view_decision, may_manage_decision, may_manage_village
from .voting import Terms, evaluate, rule_for

TITLE_MAX = 250
TEXT_MAX = 20000
OPTION_MAX = 200
MAX_OPTIONS = 50
# Unambiguous letters and digits (no 0/O, 1/I/L): read from an SMS and typed on a phone.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 8


class IllegalTransition(DomainError):
    """A move the workflow does not allow from the decision's current state (HTTP 409)."""

    def __init__(self, message: str = "", *, code: str = "illegal_transition") -> None:
        super().__init__(message or _("Thao tác này không thực hiện được ở trạng thái hiện tại của biểu quyết."),
                         code=code)


class NotPermitted(DomainError):
    """The actor sees the decision but may not record it (HTTP 403)."""

    status_code = 403

    def __init__(self, message: str = "", *, code: str = "forbidden") -> None:
        super().__init__(message or _("Chỉ Trưởng thôn, Tổ trưởng tổ dân phố của địa bàn được thực hiện thao tác này."),
                         code=code)


class Action:
    OPEN = "open"
    COUNT = "count"
    PUBLISH = "publish"
    REPORT = "report"
    CANCEL = "cancel"


ACTION_LABELS: dict[str, Any] = {
    Action.OPEN: gettext_lazy("Bắt đầu lấy ý kiến"),
    Action.COUNT: gettext_lazy("Kết thúc và kiểm phiếu"),
    Action.PUBLISH: gettext_lazy("Công bố kết quả"),
    Action.REPORT: gettext_lazy("Báo cáo Ủy ban nhân dân cấp xã"),
    Action.CANCEL: gettext_lazy("Hủy biểu quyết"),
}

# The workflow (Law 10/2022, Art. 23: results are published and reported to the commune).
TRANSITIONS: dict[tuple[str, str], str] = {
    (Status.DRAFT, Action.OPEN): Status.OPEN,
    (Status.OPEN, Action.COUNT): Status.COUNTED,
    (Status.COUNTED, Action.PUBLISH): Status.PUBLISHED,
    (Status.PUBLISHED, Action.REPORT): Status.REPORTED,
    (Status.DRAFT, Action.CANCEL): Status.CANCELLED,
    (Status.OPEN, Action.CANCEL): Status.CANCELLED,
}


def actions_from(status: str) -> list[str]:
    """Actions the table allows from ``status``, in table order."""
    return [action for (state, action) in TRANSITIONS if state == status]


# --- helpers -------------------------------------------------------------------------------

def _clean(text: str, *, max_length: int, required: str = "", multiline: bool = False) -> str:
    """Trimmed text (spaces collapsed unless ``multiline``); DomainError if required and empty, or too long."""
    value = (text or "").strip() if multiline else " ".join((text or "").split())
    if required and not value:
        raise DomainError(required, code="required")
    if len(value) > max_length:
        raise DomainError(_("Nội dung quá dài: tối đa %(n)d ký tự.") % {"n": max_length}, code="too_long")
    return value


def _require_manager(actor: Any, decision: Decision) -> None:
    if not can_view_decision(actor, decision):
        raise NotFoundOrForbidden()
    if not may_manage_decision(actor, decision):
        raise NotPermitted()


def _lock(decision: Decision) -> Decision:
    # Lock the decision row only: the joined village and matter type are shared by other decisions.
    return (Decision.objects.select_for_update(of=("self",)).select_related("village", "matter_type")
            .get(pk=decision.pk))


def _require_status(decision: Decision, *states: str, message: str = "") -> None:
    if decision.status not in states:
        raise IllegalTransition(message)


def _require_form(decision: Decision, form: str, *, channel: str = "") -> None:
    if decision.form != form or (channel and decision.channel != channel):
        raise DomainError(_("Thao tác này không áp dụng cho hình thức biểu quyết đã chọn."), code="wrong_form")


def active_households(village: Unit) -> Any:
    """The village's register: households still living there."""
    return Household.objects.filter(village=village, active=True)


def _snapshot(decision: Decision) -> dict[str, Any]:
    return {"status": decision.status, "title": decision.title, "form": decision.form,
            "matter_type": decision.matter_type.code, "outcome": decision.outcome}


# --- online vote preconditions (Decree 59/2023, Art. 5) -----------------------------------------

@dataclass(frozen=True)
class OnlinePreconditions:
    head_front_agreed: bool = False
    method_chosen: bool = False
    devices_confirmed: bool = False
    reported_on: dt.date | None = None


def online_vote_check(*, matter_type: MatterType, pre: OnlinePreconditions) -> None:
    """Refuse an online vote on any matter but "other self-management matters", or without its preconditions."""
    if not matter_type.allows_online_vote:
        raise DomainError(_("Chỉ được biểu quyết trực tuyến đối với các công việc tự quản khác trong nội bộ cộng đồng "
                            "dân cư (Nghị định 59/2023/NĐ-CP, Điều 5). Nội dung “%(matter)s” phải bàn và quyết định "
                            "tại hội nghị hoặc bằng phiếu lấy ý kiến hộ gia đình.") % {"matter": matter_type.name},
                          code="online_not_allowed")
    missing = []
    if not pre.head_front_agreed:
        missing.append(_("Trưởng thôn và Ban công tác Mặt trận thôn, tổ dân phố thống nhất"))
    if not pre.method_chosen:
        missing.append(_("cộng đồng dân cư lựa chọn cách thức biểu quyết trực tuyến"))
    if not pre.devices_confirmed:
        missing.append(_("các hộ gia đình có thiết bị kết nối mạng"))
    if pre.reported_on is None:
        missing.append(_("đã báo cáo trước Ủy ban nhân dân và Ủy ban Mặt trận Tổ quốc cấp xã"))
    if missing:
        raise DomainError(_("Chưa đủ điều kiện biểu quyết trực tuyến (Nghị định 59/2023/NĐ-CP, Điều 5). Còn thiếu: "
                            "%(missing)s.") % {"missing": "; ".join(missing)}, code="online_preconditions")


def _preconditions(decision: Decision) -> OnlinePreconditions:
    return OnlinePreconditions(head_front_agreed=decision.online_head_front_agreed,
                               method_chosen=decision.online_method_chosen,
                               devices_confirmed=decision.online_devices_confirmed,
                               reported_on=decision.online_reported_on)


# --- create --------------------------------------------------------------------------------

AGREE = "Đồng ý"
DISAGREE = "Không đồng ý"


def decision_create(*, actor: Any, village: Unit, title: str, matter_type: MatterType, form: str,
                    description: str = "", channel: str = "", secret: bool = False,
                    candidates: Sequence[str] = (), seats: int = 1, opens_on: dt.date | None = None,
                    closes_on: dt.date | None = None, online: OnlinePreconditions | None = None,
                    document_title: str = "") -> Decision:
    """A draft decision of ``village``: agree/disagree, or a candidate list for an election."""
    if village.level != Level.VILLAGE or village.status != UnitStatus.ACTIVE:
        raise DomainError(_("Chỉ tổ chức biểu quyết ở thôn, tổ dân phố đang hoạt động."), code="not_village")
    if not may_manage_village(actor, village):
        raise NotPermitted()
    title = _clean(title, max_length=TITLE_MAX, required=_("Hãy nhập nội dung biểu quyết."))
    description = _clean(description, max_length=TEXT_MAX, multiline=True)
    document_title = _clean(document_title, max_length=TITLE_MAX)
    if form not in Form.values:
        raise DomainError(_("Hình thức biểu quyết không hợp lệ."), code="form_invalid")
    if not matter_type.active:
        raise DomainError(_("Loại nội dung này không còn áp dụng."), code="matter_inactive")
    online = online or OnlinePreconditions()
    if form == Form.ONLINE_VOTE:
        online_vote_check(matter_type=matter_type, pre=online)
        channel = Channel.ONLINE
    elif form == Form.HOUSEHOLD_BALLOT:
        if channel not in Channel.values:
            raise DomainError(_("Hãy chọn phát phiếu giấy hay gửi mã biểu quyết trực tuyến."), code="channel_required")
    else:
        channel = ""
    if opens_on and closes_on and closes_on < opens_on:
        raise DomainError(_("Ngày kết thúc phải sau ngày bắt đầu."), code="dates_invalid")
    names = [_clean(c, max_length=OPTION_MAX) for c in candidates]
    names = [n for n in names if n]
    if matter_type.is_election:
        if not names:
            raise DomainError(_("Hãy nhập danh sách người ứng cử, mỗi người một dòng."), code="candidates_required")
        if len(names) > MAX_OPTIONS or len(set(names)) != len(names):
            raise DomainError(_("Danh sách người ứng cử không được trùng tên và tối đa %(n)d người.")
                              % {"n": MAX_OPTIONS}, code="candidates_invalid")
        if not 1 <= seats <= len(names):
            raise DomainError(_("Số người cần bầu phải từ 1 đến số người ứng cử."), code="seats_invalid")
    else:
        seats = 1
    with transaction.atomic():
        decision = Decision.objects.create(
            village=village, title=title, search_text=searchable(title, village.name), description=description,
            matter_type=matter_type, form=form,
            channel=channel, secret=bool(secret) if form == Form.MEETING else True, max_choices=seats,
            opens_on=opens_on, closes_on=closes_on, document_title=document_title, created_by=actor,
            online_head_front_agreed=online.head_front_agreed, online_method_chosen=online.method_chosen,
            online_devices_confirmed=online.devices_confirmed, online_reported_on=online.reported_on)
        if matter_type.is_election:
            Option.objects.bulk_create([Option(decision=decision, label=n, order=i) for i, n in enumerate(names)])
        else:
            Option.objects.bulk_create([Option(decision=decision, label=AGREE, order=0, is_agree=True),
                                        Option(decision=decision, label=DISAGREE, order=1)])
        if form == Form.MEETING:
            Meeting.objects.create(decision=decision)
        audit_record(actor=actor, action="decisions.create", obj=decision, unit_path=village.path,
                     after=_snapshot(decision))
    return decision


# --- workflow --------------------------------------------------------------------------------

def _guard_open(decision: Decision) -> None:
    if decision.form == Form.ONLINE_VOTE:
        online_vote_check(matter_type=decision.matter_type, pre=_preconditions(decision))
    rule_for(matter_type=decision.matter_type, form=decision.form, on=timezone.localdate())
    if not active_households(decision.village).exists():
        raise DomainError(_("Thôn, tổ dân phố chưa có danh sách hộ gia đình: hãy cập nhật trước khi lấy ý kiến."),
                          code="register_empty")


def _guard_count(decision: Decision) -> None:
    if decision.form == Form.MEETING:
        if not decision.attendances.exists():
            raise DomainError(_("Chưa ghi nhận đại diện hộ gia đình tham dự hội nghị."), code="attendance_missing")
        if decision.tallies.count() != decision.options.count():
            raise DomainError(_("Hãy nhập kết quả biểu quyết cho mọi phương án trước khi kết thúc."),
                              code="tallies_missing")


@dataclass(frozen=True)
class Recount:
    """Results recomputed from what is stored (ballots, or the tallies entered at a meeting)."""

    eligible: int
    participants: int
    votes: dict[int, int]
    receipts: int = 0
    ballots: int = 0


def recount(decision: Decision, *, eligible: int | None = None) -> Recount:
    """Count again from the stored ballots (or meeting tallies); writes nothing."""
    if eligible is None:
        eligible = active_households(decision.village).count()
    option_ids = list(decision.options.values_list("pk", flat=True))
    if decision.form == Form.MEETING:
        votes = dict(decision.tallies.values_list("option_id", "votes"))
        present = decision.attendances.count()
        return Recount(eligible=eligible, participants=present, votes={o: votes.get(o, 0) for o in option_ids})
    counted = dict(BallotChoice.objects.filter(ballot__decision=decision, ballot__spoilt=False)
                   .values("option_id").annotate(n=Count("pk")).values_list("option_id", "n"))
    ballots = Ballot.objects.filter(decision=decision).count()
    receipts = BallotReceipt.objects.filter(decision=decision).count()
    return Recount(eligible=eligible, participants=ballots, votes={o: counted.get(o, 0) for o in option_ids},
                   receipts=receipts, ballots=ballots)


def _count(decision: Decision) -> dict[str, Any]:
    rule = rule_for(matter_type=decision.matter_type, form=decision.form,
                    on=(decision.opens_on or timezone.localdate()))
    counted = recount(decision)
    agree = next((o.pk for o in decision.options.all() if o.is_agree), None)
    result = evaluate(terms=Terms.of(rule), eligible=counted.eligible, participants=counted.participants,
                      votes=counted.votes, agree=agree, seats=decision.max_choices)
    for option in decision.options.all():
        option.votes = counted.votes.get(option.pk, 0)
        option.passed = option.pk in result.passed
        option.save(update_fields=["votes", "passed"])
    decision.eligible_households = counted.eligible
    decision.participants = counted.participants
    decision.outcome = result.outcome
    decision.rule = rule
    decision.counted_at = timezone.now()
    _redact_codes(decision)
    return {"eligible": counted.eligible, "participants": counted.participants, "outcome": result.outcome,
            "votes": {str(k): v for k, v in counted.votes.items()}, "rule": rule.pk}


def decision_transition(*, actor: Any, decision: Decision, action: str, note: str = "",
                        notify: bool = True) -> Decision:
    """Move a decision along ``TRANSITIONS``: visible (404), allowed (409), permitted (403), guards.

    Opening and publishing text the village's household representatives unless ``notify`` is off
    (demo data, which must send nothing)."""
    with transaction.atomic():
        decision = _lock(decision)
        if not can_view_decision(actor, decision):
            raise NotFoundOrForbidden()
        target = TRANSITIONS.get((decision.status, action))
        if target is None:
            raise IllegalTransition()
        if not may_manage_decision(actor, decision):
            raise NotPermitted()
        before = _snapshot(decision)
        extra: dict[str, Any] = {}
        fields = ["status", "updated_at"]
        if action == Action.OPEN:
            _guard_open(decision)
            if decision.opens_on is None:
                decision.opens_on = timezone.localdate()
                fields.append("opens_on")
        elif action == Action.COUNT:
            _guard_count(decision)
            extra = _count(decision)
            fields += ["eligible_households", "participants", "outcome", "rule", "counted_at"]
        elif action == Action.PUBLISH:
            decision.published_at = timezone.now()
            fields.append("published_at")
        elif action == Action.REPORT:
            decision.report_note = _clean(note, max_length=TEXT_MAX, multiline=True)
            decision.reported_at = timezone.now()
            fields += ["report_note", "reported_at"]
        decision.status = target
        decision.save(update_fields=fields)
        if notify and action == Action.OPEN:
            extra["notified"] = households_notify(decision=decision, kind=NOTICE_OPEN)
        elif notify and action == Action.PUBLISH:
            extra["notified"] = households_notify(decision=decision, kind=NOTICE_RESULT)
        audit_record(actor=actor, action=f"decisions.{action}", obj=decision, unit_path=decision.village.path,
                     before=before, after={**_snapshot(decision), **extra})
    return decision


# --- SMS to household representatives (Art. 18, 21: the village is informed of the meeting, the
# voting period and the result) -----------------------------------------------------------------------

NOTICE_OPEN = "open"
NOTICE_RESULT = "result"
# A meeting moved after the invitation went out: the kind carries the new day, time and place, so
# the same change is announced once and a later change again.
NOTICE_CHANGE_PREFIX = "change-"


def _day_text(day: dt.date | None) -> str:
    return day.strftime("%d/%m/%Y") if day else ""


def public_url(decision: Decision) -> str:
    from django.urls import reverse

    return (getattr(settings, "DANVAN_SITE_URL", "") or "").rstrip("/") + reverse(
        "decisions_public:detail", args=[decision.pk])


def notice_text(decision: Decision, kind: str) -> str:
    """The SMS body: the matter and when/where, or the published result. The same for every household,
    so it can never carry one household's vote or code."""
    values = {"village": decision.village.name, "title": decision.title[:80]}
    if kind == NOTICE_RESULT:
        return _("[%(village)s] Kết quả biểu quyết “%(title)s”: %(outcome)s (%(participants)s/%(eligible)s hộ "
                 "tham gia). Chi tiết: %(url)s") % {
            **values, "outcome": decision.get_outcome_display(), "participants": decision.participants,
            "eligible": decision.eligible_households, "url": public_url(decision)}
    if decision.form == Form.MEETING:
        meeting = Meeting.objects.filter(decision=decision).first()
        day = meeting.held_on if meeting and meeting.held_on else decision.opens_on
        starts_at = meeting.starts_at if meeting else None
        place = meeting.location if meeting and meeting.location else _("sẽ thông báo sau")
        if starts_at is not None:
            when = _("lúc %(when)s") % {"when": when_text(day, starts_at)}
        else:
            when = when_text(day, None) or _("thời gian sẽ thông báo sau")
        if kind.startswith(NOTICE_CHANGE_PREFIX):
            return _("[%(village)s] Thay đổi lịch hội nghị cộng đồng dân cư bàn và biểu quyết “%(title)s”: nay họp "
                     "%(when)s, địa điểm: %(place)s. Xin lỗi các hộ về sự thay đổi.") % {
                **values, "when": when, "place": place}
        return _("[%(village)s] Mời đại diện hộ gia đình dự hội nghị cộng đồng dân cư bàn và biểu quyết "
                 "“%(title)s” %(when)s, địa điểm: %(place)s.") % {**values, "when": when, "place": place}
    period = _("từ %(start)s đến %(end)s") % {"start": _day_text(decision.opens_on),
                                              "end": _day_text(decision.closes_on)}
    if decision.is_online:
        return _("[%(village)s] Biểu quyết trực tuyến về “%(title)s” %(period)s. Mỗi hộ nhận một mã biểu quyết "
                 "qua tin nhắn riêng và nhập mã tại %(url)s.") % {
            **values, "period": period, "url": public_url(decision)}
    return _("[%(village)s] Lấy ý kiến hộ gia đình bằng phiếu về “%(title)s” %(period)s. Tổ trưởng tổ dân cư "
             "sẽ phát phiếu đến từng hộ.") % {**values, "period": period}


def notice_dedupe(decision: Decision, household_id: int, kind: str) -> str:
    return f"decisions:{decision.pk}:notice:{kind}:{household_id}"


def households_notify(*, decision: Decision, kind: str) -> int:
    """Queue one SMS per household representative with a phone; sent after commit, once per key."""
    from danvan.notifications.models import NotificationChannel
    from danvan.notifications.services import notification_queue

    body = notice_text(decision, kind)
    subject = (_("Kết quả biểu quyết") if kind == NOTICE_RESULT else _("Thay đổi lịch hội nghị")
               if kind.startswith(NOTICE_CHANGE_PREFIX) else _("Thông báo biểu quyết"))
    queued = 0
    for household in active_households(decision.village).exclude(representative_phone="").order_by("number", "pk"):
        if notification_queue(channel=NotificationChannel.SMS, recipient=household.representative_phone,
                              subject=subject, body=body,
                              dedupe_key=notice_dedupe(decision, household.pk, kind)) is not None:
            queued += 1
    return queued


# --- community meeting (Art. 18) -----------------------------------------------------------------

def _start_time(starts_at: Any, held_on: dt.date | None) -> dt.time | None:
    """The meeting's start time to the minute; optional, but only together with the meeting day."""
    if starts_at is None:
        return None
    if not isinstance(starts_at, dt.time) or starts_at.tzinfo is not None:
        raise DomainError(_("Giờ bắt đầu không hợp lệ: hãy nhập giờ và phút, ví dụ 19:30."), code="time_invalid")
    if held_on is None:
        raise DomainError(_("Hãy nhập ngày họp cùng với giờ bắt đầu."), code="day_required")
    return starts_at.replace(second=0, microsecond=0)


def _change_kind(meeting: Meeting) -> str:
    key = f"{meeting.held_on}|{meeting.starts_at}|{meeting.location}"
    return NOTICE_CHANGE_PREFIX + hashlib.sha256(key.encode("utf-8")).hexdigest()[:12]


def meeting_record(*, actor: Any, decision: Decision, held_on: dt.date | None, location: str, chair: str,
                   secretary: str, minutes: str, starts_at: dt.time | None = None, notify: bool = True) -> Meeting:
    """Record when (day and start time) and where the meeting was held, who chaired it, and its minutes.

    Once the invitation has gone out (the decision is open), moving an upcoming meeting to another
    day, hour or place texts the household representatives again; ``meeting.notified`` says how
    many were queued. Minutes typed after the meeting tell nobody."""
    with transaction.atomic():
        decision = _lock(decision)
        _require_manager(actor, decision)
        _require_form(decision, Form.MEETING)
        _require_status(decision, Status.DRAFT, Status.OPEN, Status.COUNTED,
                        message=_("Biên bản không sửa được sau khi đã công bố kết quả."))
        starts_at = _start_time(starts_at, held_on)
        meeting, _created = Meeting.objects.get_or_create(decision=decision)
        before = (meeting.held_on, meeting.starts_at, meeting.location)
        meeting.held_on = held_on
        meeting.starts_at = starts_at
        meeting.location = _clean(location, max_length=TITLE_MAX)
        meeting.chair = _clean(chair, max_length=150)
        meeting.secretary = _clean(secretary, max_length=150)
        meeting.minutes = _clean(minutes, max_length=TEXT_MAX * 5, multiline=True)
        meeting.save()
        moved = before != (meeting.held_on, meeting.starts_at, meeting.location)
        upcoming = meeting.held_on is not None and meeting.held_on >= timezone.localdate()
        meeting.notified = 0
        if notify and moved and upcoming and decision.status == Status.OPEN:
            meeting.notified = households_notify(decision=decision, kind=_change_kind(meeting))
        audit_record(actor=actor, action="decisions.meeting", obj=meeting, unit_path=decision.village.path,
                     after={"held_on": held_on, "starts_at": starts_at, "location": meeting.location,
                            "minutes_length": len(meeting.minutes), "notified": meeting.notified})
    return meeting


def attendance_set(*, actor: Any, decision: Decision, household_ids: Iterable[int]) -> int:
    """Replace the list of households whose representative is present; returns how many."""
    with transaction.atomic():
        decision = _lock(decision)
        _require_manager(actor, decision)
        _require_form(decision, Form.MEETING)
        _require_status(decision, Status.OPEN, message=_("Chỉ ghi danh sách tham dự khi hội nghị đang diễn ra."))
        wanted = set(active_households(decision.village).filter(pk__in=set(household_ids))
                     .values_list("pk", flat=True))
        Attendance.objects.filter(decision=decision).exclude(household_id__in=wanted).delete()
        have = set(Attendance.objects.filter(decision=decision).values_list("household_id", flat=True))
        Attendance.objects.bulk_create([Attendance(decision=decision, household_id=h) for h in wanted - have])
        audit_record(actor=actor, action="decisions.attendance", obj=decision, unit_path=decision.village.path,
                     after={"present": len(wanted)})
    return len(wanted)


def tallies_enter(*, actor: Any, decision: Decision, votes: dict[int, int]) -> None:
    """Enter the meeting's show-of-hands or secret-ballot count for every option."""
    with transaction.atomic():
        decision = _lock(decision)
        _require_manager(actor, decision)
        _require_form(decision, Form.MEETING)
        _require_status(decision, Status.OPEN, message=_("Chỉ nhập kết quả khi hội nghị đang diễn ra."))
        present = decision.attendances.count()
        options = {o.pk: o for o in decision.options.all()}
        if set(votes) != set(options):
            raise DomainError(_("Hãy nhập số biểu quyết cho mọi phương án."), code="tallies_missing")
        for option_id, n in votes.items():
            if n < 0 or n > present:
                raise DomainError(_("Số biểu quyết cho “%(option)s” phải từ 0 đến số đại diện hộ tham dự (%(n)d).")
                                  % {"option": options[option_id].label, "n": present}, code="tally_invalid")
        # Each representative marks at most ``max_choices`` options.
        if sum(votes.values()) > present * decision.max_choices:
            raise DomainError(_("Tổng số biểu quyết vượt quá số đại diện hộ tham dự (%(n)d).") % {"n": present},
                              code="tally_invalid")
        for option_id, n in votes.items():
            Tally.objects.update_or_create(decision=decision, option_id=option_id, defaults={"votes": n})
        audit_record(actor=actor, action="decisions.tallies", obj=decision, unit_path=decision.village.path,
                     after={"present": present, "votes": {options[k].label: v for k, v in votes.items()}})


def attachment_attach(*, actor: Any, decision: Decision, name: str, content: bytes,
                      to_minutes: bool) -> Attachment:
    """Attach a file to the meeting minutes, or the adopted document (hương ước, quy ước) to the decision."""
    checked = file_check(content=content)
    with transaction.atomic():
        decision = _lock(decision)
        _require_manager(actor, decision)
        if decision.status == Status.CANCELLED:
            raise IllegalTransition()
        target: Any = decision
        if to_minutes:
            _require_form(decision, Form.MEETING)
            target, _created = Meeting.objects.get_or_create(decision=decision)
        return attachment_add(target=target, name=name, checked=checked, actor=actor)


# --- household ballot (Decree 59, Art. 4) and online vote (Art. 5) ----------------------------------

def ballots_issue(*, actor: Any, decision: Decision) -> int:
    """Number and issue a paper ballot to every household of the register that has none yet."""
    with transaction.atomic():
        decision = _lock(decision)
        _require_manager(actor, decision)
        _require_form(decision, Form.HOUSEHOLD_BALLOT, channel=Channel.PAPER)
        _require_status(decision, Status.OPEN, message=_("Chỉ phát phiếu khi đang lấy ý kiến."))
        have = set(decision.issues.values_list("household_id", flat=True))
        number = decision.issues.aggregate(m=Max("number"))["m"] or 0
        new = []
        for household in active_households(decision.village).exclude(pk__in=have).order_by("number", "pk"):
            number += 1
            new.append(BallotIssue(decision=decision, household=household, number=number))
        BallotIssue.objects.bulk_create(new)
        audit_record(actor=actor, action="decisions.ballots_issue", obj=decision, unit_path=decision.village.path,
                     after={"issued": len(new)})
    return len(new)


def _options_checked(decision: Decision, option_ids: Iterable[int], *, allow_blank: bool) -> list[int]:
    wanted = sorted({int(o) for o in option_ids})
    valid = set(decision.options.values_list("pk", flat=True))
    if any(o not in valid for o in wanted):
        raise DomainError(_("Phương án không thuộc nội dung biểu quyết này."), code="option_invalid")
    if not wanted and not allow_blank:
        raise DomainError(_("Hãy chọn một phương án."), code="choice_required")
    if len(wanted) > decision.max_choices:
        raise DomainError(_("Mỗi phiếu chọn tối đa %(n)d phương án.") % {"n": decision.max_choices},
                          code="too_many_choices")
    return wanted


def _ballot_store(*, decision: Decision, household_id: int, channel: str, option_ids: list[int],
                  spoilt: bool = False) -> BallotReceipt:
    """Write the receipt (refused by the unique constraint if the household voted) and the anonymous ballot."""
    try:
        with transaction.atomic():
            receipt = BallotReceipt.objects.create(decision=decision, household_id=household_id, channel=channel)
    except IntegrityError:
        raise DomainError(_("Hộ gia đình này đã biểu quyết. Mỗi hộ chỉ được biểu quyết một lần."),
                          code="already_voted") from None
    ballot = Ballot.objects.create(decision=decision, spoilt=spoilt)
    BallotChoice.objects.bulk_create([BallotChoice(ballot=ballot, option_id=o) for o in option_ids])
    return receipt


def paper_ballot_enter(*, actor: Any, decision: Decision, number: int, option_ids: Iterable[int],
                       spoilt: bool = False) -> BallotReceipt:
    """Enter one returned paper ballot by its number; a number entered twice is refused."""
    with transaction.atomic():
        decision = _lock(decision)
        _require_manager(actor, decision)
        _require_form(decision, Form.HOUSEHOLD_BALLOT, channel=Channel.PAPER)
        _require_status(decision, Status.OPEN, message=_("Chỉ nhập phiếu khi đang lấy ý kiến."))
        issue = decision.issues.filter(number=number).first()
        if issue is None:
            raise DomainError(_("Không có phiếu số %(n)d trong số phiếu đã phát.") % {"n": number},
                              code="ballot_unknown")
        chosen = [] if spoilt else _options_checked(decision, option_ids, allow_blank=True)
        try:
            receipt = _ballot_store(decision=decision, household_id=issue.household_id, channel=Channel.PAPER,
                                    option_ids=chosen, spoilt=spoilt)
        except DomainError as exc:
            raise DomainError(_("Phiếu số %(n)d đã được nhập.") % {"n": number}, code=exc.code) from None
        audit_record(actor=actor, action="decisions.ballot_returned", obj=receipt, unit_path=decision.village.path,
                     after={"channel": Channel.PAPER})
    return receipt


def code_hash(code: str) -> str:
    """Keyed hash of a voting code: a leaked table cannot be brute-forced without the server's key."""
    normalised = "".join(code.split()).upper().replace("-", "")
    return hmac.new(settings.SECRET_KEY.encode(), f"decisions-code:{normalised}".encode(), hashlib.sha256).hexdigest()


def _new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def format_code(code: str) -> str:
    return f"{code[:4]}-{code[4:]}"


def _code_dedupe(decision: Decision, household_id: int, serial: str) -> str:
    return f"decisions:{decision.pk}:code:{household_id}:{serial}"


def _code_sms(decision: Decision, household: Household, code: str) -> str:
    return _("[%(village)s] Mã biểu quyết của hộ %(number)s về “%(title)s”: %(code)s. Nhập mã tại trang "
             "Dân chủ ở cơ sở, mục Biểu quyết số %(id)d. Mỗi hộ biểu quyết một lần, không chia sẻ mã.") % {
        "village": decision.village.name, "number": household.number, "title": decision.title[:60],
        "code": format_code(code), "id": decision.pk}


@dataclass
class CodesSent:
    sent: int = 0
    without_phone: list[str] = field(default_factory=list)
    # Only for callers that deliver codes themselves (demo data); never shown or stored.
    codes: dict[int, str] = field(default_factory=dict)


def voting_codes_issue(*, actor: Any, decision: Decision, send_sms: bool = True) -> CodesSent:
    """Give every household of the register without a code a one-time voting code, sent by SMS.

    Only the code's keyed hash is stored here. The SMS text passes through the notifications
    outbox; it is blanked there when the vote is counted (``_redact_codes``).
    """
    from danvan.notifications.models import NotificationChannel
    from danvan.notifications.services import notification_queue

    result = CodesSent()
    with transaction.atomic():
        decision = _lock(decision)
        _require_manager(actor, decision)
        if not decision.is_online:
            raise DomainError(_("Thao tác này không áp dụng cho hình thức biểu quyết đã chọn."), code="wrong_form")
        _require_status(decision, Status.OPEN, message=_("Chỉ gửi mã biểu quyết khi đang lấy ý kiến."))
        have = set(decision.codes.values_list("household_id", flat=True))
        for household in active_households(decision.village).exclude(pk__in=have).order_by("number", "pk"):
            if not household.representative_phone and send_sms:
                result.without_phone.append(household.number)
                continue
            code = _new_code()
            VotingCode.objects.create(decision=decision, household=household, code_hash=code_hash(code))
            result.codes[household.pk] = code
            if send_sms:
                notification_queue(channel=NotificationChannel.SMS, recipient=household.representative_phone,
                                   subject=_("Mã biểu quyết"), body=_code_sms(decision, household, code),
                                   dedupe_key=_code_dedupe(decision, household.pk, secrets.token_hex(4)))
            result.sent += 1
        audit_record(actor=actor, action="decisions.codes_issue", obj=decision, unit_path=decision.village.path,
                     after={"sent": result.sent, "without_phone": len(result.without_phone)})
    return result


def voting_code_resend(*, actor: Any, decision: Decision, household_id: int) -> None:
    """A new code for one household that lost its SMS; the old code stops working. Refused once it voted."""
    from danvan.notifications.models import NotificationChannel
    from danvan.notifications.services import notification_queue

    with transaction.atomic():
        decision = _lock(decision)
        _require_manager(actor, decision)
        if not decision.is_online:
            raise DomainError(_("Thao tác này không áp dụng cho hình thức biểu quyết đã chọn."), code="wrong_form")
        _require_status(decision, Status.OPEN, message=_("Chỉ gửi mã biểu quyết khi đang lấy ý kiến."))
        household = active_households(decision.village).filter(pk=household_id).first()
        if household is None:
            raise NotFoundOrForbidden()
        if not household.representative_phone:
            raise DomainError(_("Hộ chưa có số điện thoại người đại diện."), code="phone_missing")
        if BallotReceipt.objects.filter(decision=decision, household=household).exists():
            raise DomainError(_("Hộ gia đình này đã biểu quyết. Mỗi hộ chỉ được biểu quyết một lần."),
                              code="already_voted")
        code = _new_code()
        VotingCode.objects.update_or_create(decision=decision, household=household,
                                            defaults={"code_hash": code_hash(code)})
        notification_queue(channel=NotificationChannel.SMS, recipient=household.representative_phone,
                           subject=_("Mã biểu quyết"), body=_code_sms(decision, household, code),
                           dedupe_key=_code_dedupe(decision, household.pk, secrets.token_hex(4)))
        audit_record(actor=actor, action="decisions.code_resend", obj=decision, unit_path=decision.village.path,
                     after={"household": household.number})


def _redact_codes(decision: Decision) -> None:
    """After the count the codes are useless; blank their SMS text kept in the outbox anyway."""
    from danvan.notifications.models import Outbox

    Outbox.objects.filter(dedupe_key__startswith=f"decisions:{decision.pk}:code:").update(
        body=_("(Mã biểu quyết đã được xóa sau khi kiểm phiếu.)"))


def ballot_cast_online(*, decision_id: int, code: str, option_ids: Iterable[int]) -> BallotReceipt:
    """A household votes online with its code; a second vote of the same household is refused.

    The decision row is locked (FOR NO KEY UPDATE) before the status check, so votes of one
    decision queue behind each other and behind the count (which holds FOR UPDATE): no ballot
    can land after the tally. The receipt's unique constraint refuses a second vote of a
    household in any case, even on a path that forgot the lock.
    """
    digest = code_hash(code)
    with transaction.atomic():
        decision = (Decision.objects.select_for_update(of=("self",), no_key=True).select_related("village")
                    .filter(pk=decision_id).first())
        voting_code = (VotingCode.objects.filter(decision_id=decision_id, code_hash=digest).first()
                       if decision is not None else None)
        if decision is None or voting_code is None:
            raise DomainError(_("Mã biểu quyết không đúng. Hãy kiểm tra lại tin nhắn đã nhận."), code="code_invalid")
        if decision.status != Status.OPEN or not decision.is_online:
            raise DomainError(_("Biểu quyết này không còn nhận ý kiến."), code="closed")
        today = timezone.localdate()
        if (decision.opens_on and today < decision.opens_on) or (decision.closes_on and today > decision.closes_on):
            raise DomainError(_("Ngoài thời gian biểu quyết."), code="closed")
        chosen = _options_checked(decision, option_ids, allow_blank=False)
        receipt = _ballot_store(decision=decision, household_id=voting_code.household_id, channel=Channel.ONLINE,
                                option_ids=chosen)
        audit_record(actor=None, action="decisions.ballot_cast", obj=receipt, unit_path=decision.village.path,
                     after={"channel": Channel.ONLINE})
    return receipt


# --- verification ------------------------------------------------------------------------------

@dataclass(frozen=True)
class TallyCheck:
    ok: bool
    problems: list[str]
    recount: Recount


def tally_verify(*, decision: Decision) -> TallyCheck:
    """Recompute the tallies from the stored ballots (or meeting tallies) and compare with the results."""
    counted = recount(decision, eligible=decision.eligible_households)
    problems: list[str] = []
    if decision.uses_ballots and counted.receipts != counted.ballots:
        problems.append(_("Số hộ đã biểu quyết (%(r)d) khác số phiếu lưu trữ (%(b)d).")
                        % {"r": counted.receipts, "b": counted.ballots})
    if decision.counted_at is not None:
        if decision.participants != counted.participants:
            problems.append(_("Số hộ tham gia đã công bố (%(a)s) khác số đếm lại (%(b)d).")
                            % {"a": decision.participants, "b": counted.participants})
        for option in decision.options.all():
            again = counted.votes.get(option.pk, 0)
            if option.votes != again:
                problems.append(_("Phương án “%(o)s”: kết quả đã ghi %(a)s, đếm lại %(b)d.")
                                % {"o": option.label, "a": option.votes, "b": again})
    if decision.uses_ballots:
        per_ballot = Counter(BallotChoice.objects.filter(ballot__decision=decision)
                             .values_list("ballot_id", flat=True))
        if any(n > decision.max_choices for n in per_ballot.values()):
            problems.append(_("Có phiếu chọn nhiều phương án hơn số được phép."))
    return TallyCheck(ok=not problems, problems=problems, recount=counted)


def matter_type_by_code(code: str) -> MatterType:
    """A matter type by its code (e.g. ``MatterTypeCode.OTHER_SELF_MANAGEMENT``)."""
    found = MatterType.objects.filter(code=code).first()
    if found is None:
        raise DomainError(_("Không có loại nội dung này."), code="matter_unknown")
    return found

