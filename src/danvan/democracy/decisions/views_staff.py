"""Officials' pages (/lam-viec/bieu-quyet/): the village head records meetings and ballots of their
village; commune and province officials read every village of their scope."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from danvan.accounts.rules import is_official
from danvan.attachments.models import Attachment
from danvan.core.errors import DomainError, NotFoundOrForbidden
from danvan.core.pagination import paginate

from . import docx_export, exports
from .forms import AttachmentForm, DecisionForm, MeetingForm, PaperBallotForm, ReportForm, tallies_form
from .models import Channel, Decision, Form, MatterType, Meeting, Status
from .rules import may_manage_decision
from .selectors import DecisionFilters, decision_get, decision_list, household_register, managed_villages
from .services import (
    ACTION_LABELS,
    Action,
    OnlinePreconditions,
    actions_from,
    attachment_attach,
    attendance_set,
    ballots_issue,
    decision_create,
    decision_transition,
    meeting_record,
    paper_ballot_enter,
    tallies_enter,
    tally_verify,
    voting_code_resend,
    voting_codes_issue,
)

# Actions that cannot be undone ask for a confirmation first (a checkbox, so it works without JavaScript).
CONFIRM_ACTIONS = (Action.COUNT, Action.CANCEL, Action.PUBLISH)


def _require_official(request: HttpRequest) -> None:
    if not is_official(request.user):
        raise PermissionDenied(_("Chỉ cán bộ mới được xem trang này."))


def _get(request: HttpRequest, decision_id: int) -> Decision:
    try:
        return decision_get(actor=request.user, decision_id=decision_id)
    except NotFoundOrForbidden:
        raise Http404(_("Không tìm thấy biểu quyết.")) from None


def _detail_url(decision: Decision, anchor: str = "") -> str:
    return reverse("decisions_staff:detail", args=[decision.pk]) + (f"#{anchor}" if anchor else "")


@login_required
@require_GET
def decision_index(request: HttpRequest) -> HttpResponse:
    """Decisions of the villages in the official's scope, filtered and paginated (or ?format=xlsx)."""
    _require_official(request)
    status = request.GET.get("status", "")
    form = request.GET.get("form", "")
    matter = request.GET.get("matter", "")
    filters = DecisionFilters(status=status if status in Status.values else "",
                              form=form if form in Form.values else "",
                              matter_type=matter[:40], q=request.GET.get("q", "").strip()[:200])
    decisions = decision_list(actor=request.user, filters=filters)
    if request.GET.get("format") == "xlsx":
        response = HttpResponse(
            exports.to_xlsx(decisions),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        stamp = timezone.localdate().strftime("%Y%m%d")
        response["Content-Disposition"] = f'attachment; filename="bieu-quyet-{stamp}.xlsx"'
        return response
    page = paginate(request, decisions)
    return render(request, "decisions/staff/index.html", {
        "page": page, "filters": filters, "statuses": Status.choices, "forms": Form.choices,
        "matters": MatterType.objects.filter(active=True).values_list("code", "name"),
        "can_create": managed_villages(actor=request.user).exists(),
    })


def _create_kwargs(data: dict[str, Any]) -> dict[str, Any]:
    return {
        "village": data["village"], "title": data["title"], "description": data.get("description", ""),
        "matter_type": data["matter_type"], "form": data["form"], "channel": data.get("channel", ""),
        "secret": bool(data.get("secret")), "candidates": (data.get("candidates") or "").splitlines(),
        "seats": data.get("seats") or 1, "opens_on": data.get("opens_on"), "closes_on": data.get("closes_on"),
        "document_title": data.get("document_title", ""),
        "online": OnlinePreconditions(head_front_agreed=bool(data.get("online_head_front_agreed")),
                                      method_chosen=bool(data.get("online_method_chosen")),
                                      devices_confirmed=bool(data.get("online_devices_confirmed")),
                                      reported_on=data.get("online_reported_on")),
    }


@login_required
@require_http_methods(["GET", "POST"])
def decision_new(request: HttpRequest) -> HttpResponse:
    """Create a draft decision in a village the official heads."""
    _require_official(request)
    villages = managed_villages(actor=request.user)
    if not villages.exists():
        raise PermissionDenied(_("Chỉ Trưởng thôn, Tổ trưởng tổ dân phố được tạo biểu quyết của địa bàn mình."))
    form = DecisionForm(request.POST or None, villages=villages,
                        initial={"form": Form.MEETING, "seats": 1, "village": villages.first()})
    if request.method == "POST" and form.is_valid():
        try:
            decision = decision_create(actor=request.user, **_create_kwargs(form.cleaned_data))
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Đã tạo biểu quyết ở trạng thái dự thảo."))
            return redirect(_detail_url(decision))
    status = 400 if request.method == "POST" else 200
    return render(request, "decisions/staff/new.html", {
        "form": form, "matters": MatterType.objects.filter(active=True)}, status=status)


def _context(request: HttpRequest, decision: Decision, **forms: Any) -> dict[str, Any]:
    manage = bool(may_manage_decision(request.user, decision))
    meeting = Meeting.objects.filter(decision=decision).first()
    check = tally_verify(decision=decision) if decision.counted_at else None
    actions = [{"key": a, "label": ACTION_LABELS[a], "confirm": a in CONFIRM_ACTIONS}
               for a in actions_from(decision.status)] if manage else []
    return {
        "decision": decision, "manage": manage, "meeting": meeting, "options": list(decision.options.all()),
        "register": household_register(actor=request.user, decision=decision), "actions": actions,
        "check": check, "report_action": Action.REPORT,
        "minutes_files": (Attachment.objects.filter(content_type__app_label="decisions",
                                                    content_type__model="meeting", object_id=str(meeting.pk))
                          if meeting else []),
        "document_files": Attachment.objects.filter(content_type__app_label="decisions",
                                                    content_type__model="decision", object_id=str(decision.pk)),
        "meeting_form": forms.get("meeting_form") or MeetingForm(initial={
            "held_on": meeting.held_on, "starts_at": meeting.starts_at, "location": meeting.location,
            "chair": meeting.chair, "secretary": meeting.secretary, "minutes": meeting.minutes}
            if meeting else None),
        "tallies_form": forms.get("tallies_form") or tallies_form(decision),
        "paper_form": forms.get("paper_form") or PaperBallotForm(decision=decision),
        "report_form": forms.get("report_form") or ReportForm(),
        "attachment_form": AttachmentForm(),
        "is_meeting": decision.form == Form.MEETING,
        "is_paper": decision.form == Form.HOUSEHOLD_BALLOT and decision.channel == Channel.PAPER,
        "is_online": decision.is_online,
        "status_open": decision.status == Status.OPEN,
        "editable_minutes": decision.status in (Status.DRAFT, Status.OPEN, Status.COUNTED),
    }


@login_required
@require_GET
def decision_detail(request: HttpRequest, decision_id: int) -> HttpResponse:
    """One decision: register, attendance, tallies or ballots, results and the actions allowed now."""
    _require_official(request)
    decision = _get(request, decision_id)
    return render(request, "decisions/staff/detail.html", _context(request, decision))


def _fail(request: HttpRequest, decision: Decision, exc: DomainError, **forms: Any) -> HttpResponse:
    messages.error(request, exc.message)
    if forms:
        # The form comes back with what was typed; a refused entry is bad input for this page (400).
        return render(request, "decisions/staff/detail.html", _context(request, decision, **forms),
                      status=403 if exc.status_code == 403 else 400)
    return redirect(_detail_url(decision))


@login_required
@require_POST
def decision_action(request: HttpRequest, decision_id: int) -> HttpResponse:
    """A workflow move; irreversible ones need the confirmation box ticked."""
    _require_official(request)
    decision = _get(request, decision_id)
    action = request.POST.get("action", "")
    if action in CONFIRM_ACTIONS and not request.POST.get("confirm"):
        messages.error(request, _("Hãy đánh dấu xác nhận trước khi thực hiện: thao tác này không hoàn tác được."))
        return redirect(_detail_url(decision))
    try:
        updated = decision_transition(actor=request.user, decision=decision, action=action,
                                      note=request.POST.get("note", ""))
    except DomainError as exc:
        return _fail(request, decision, exc)
    messages.success(request, _("Đã cập nhật: %(status)s.") % {"status": updated.get_status_display()})
    return redirect(_detail_url(decision))


@login_required
@require_POST
def meeting_update(request: HttpRequest, decision_id: int) -> HttpResponse:
    _require_official(request)
    decision = _get(request, decision_id)
    form = MeetingForm(request.POST)
    if not form.is_valid():
        return _fail(request, decision, DomainError(_("Thông tin hội nghị chưa hợp lệ.")), meeting_form=form)
    try:
        meeting = meeting_record(actor=request.user, decision=decision, **form.cleaned_data)
    except DomainError as exc:
        return _fail(request, decision, exc, meeting_form=form)
    messages.success(request, _("Đã lưu thông tin hội nghị và biên bản."))
    if meeting.notified:
        messages.info(request, _("Đã nhắn tin báo lịch mới cho %(n)d đại diện hộ gia đình.") % {"n": meeting.notified})
    return redirect(_detail_url(decision, "meeting"))


@login_required
@require_POST
def attendance_update(request: HttpRequest, decision_id: int) -> HttpResponse:
    _require_official(request)
    decision = _get(request, decision_id)
    ids = [int(v) for v in request.POST.getlist("household") if v.isdigit()]
    try:
        present = attendance_set(actor=request.user, decision=decision, household_ids=ids)
    except DomainError as exc:
        return _fail(request, decision, exc)
    messages.success(request, _("Đã ghi nhận %(n)d đại diện hộ gia đình tham dự.") % {"n": present})
    return redirect(_detail_url(decision, "register"))


@login_required
@require_POST
def tallies_update(request: HttpRequest, decision_id: int) -> HttpResponse:
    _require_official(request)
    decision = _get(request, decision_id)
    form = tallies_form(decision, request.POST)
    if not form.is_valid():
        return _fail(request, decision, DomainError(_("Hãy nhập số biểu quyết hợp lệ cho mọi phương án.")),
                     tallies_form=form)
    votes = {int(name.removeprefix("option_")): n for name, n in form.cleaned_data.items()}
    try:
        tallies_enter(actor=request.user, decision=decision, votes=votes)
    except DomainError as exc:
        return _fail(request, decision, exc, tallies_form=form)
    messages.success(request, _("Đã lưu kết quả biểu quyết tại hội nghị."))
    return redirect(_detail_url(decision, "tallies"))


@login_required
@require_POST
def ballots_issue_view(request: HttpRequest, decision_id: int) -> HttpResponse:
    _require_official(request)
    decision = _get(request, decision_id)
    try:
        issued = ballots_issue(actor=request.user, decision=decision)
    except DomainError as exc:
        return _fail(request, decision, exc)
    messages.success(request, _("Đã phát %(n)d phiếu lấy ý kiến.") % {"n": issued})
    return redirect(_detail_url(decision, "register"))


@login_required
@require_POST
def paper_ballot_view(request: HttpRequest, decision_id: int) -> HttpResponse:
    _require_official(request)
    decision = _get(request, decision_id)
    form = PaperBallotForm(request.POST, decision=decision)
    if not form.is_valid():
        return _fail(request, decision, DomainError(_("Thông tin phiếu chưa hợp lệ.")), paper_form=form)
    try:
        paper_ballot_enter(actor=request.user, decision=decision, number=form.cleaned_data["number"],
                           option_ids=form.cleaned_data["options"], spoilt=form.cleaned_data["spoilt"])
    except DomainError as exc:
        return _fail(request, decision, exc, paper_form=form)
    messages.success(request, _("Đã nhập phiếu số %(n)d.") % {"n": form.cleaned_data["number"]})
    return redirect(_detail_url(decision, "paper"))


@login_required
@require_POST
def codes_send(request: HttpRequest, decision_id: int) -> HttpResponse:
    _require_official(request)
    decision = _get(request, decision_id)
    try:
        result = voting_codes_issue(actor=request.user, decision=decision)
    except DomainError as exc:
        return _fail(request, decision, exc)
    messages.success(request, _("Đã gửi mã biểu quyết tới %(n)d hộ gia đình.") % {"n": result.sent})
    if result.without_phone:
        messages.warning(request, _("Các hộ chưa có số điện thoại người đại diện (cần phát phiếu hoặc bổ sung số): "
                                    "%(list)s.") % {"list": ", ".join(result.without_phone)})
    return redirect(_detail_url(decision, "register"))


@login_required
@require_POST
def code_resend(request: HttpRequest, decision_id: int) -> HttpResponse:
    _require_official(request)
    decision = _get(request, decision_id)
    household = request.POST.get("household", "")
    try:
        voting_code_resend(actor=request.user, decision=decision,
                           household_id=int(household) if household.isdigit() else 0)
    except NotFoundOrForbidden:
        raise Http404(_("Không tìm thấy hộ gia đình.")) from None
    except DomainError as exc:
        return _fail(request, decision, exc)
    messages.success(request, _("Đã gửi lại mã biểu quyết; mã cũ không còn dùng được."))
    return redirect(_detail_url(decision, "register"))


@login_required
@require_POST
def attachment_upload(request: HttpRequest, decision_id: int) -> HttpResponse:
    _require_official(request)
    decision = _get(request, decision_id)
    form = AttachmentForm(request.POST, request.FILES)
    to_minutes = request.POST.get("target") == "minutes"
    if not form.is_valid():
        return _fail(request, decision, DomainError(_("Hãy chọn tệp.")))
    upload = form.cleaned_data["file"]
    try:
        attachment_attach(actor=request.user, decision=decision, name=upload.name, content=upload.read(),
                          to_minutes=to_minutes)
    except DomainError as exc:
        return _fail(request, decision, exc)
    messages.success(request, _("Đã đính kèm tệp %(name)s.") % {"name": upload.name})
    return redirect(_detail_url(decision, "files"))


@login_required
@require_GET
def minutes_docx(request: HttpRequest, decision_id: int) -> HttpResponse:
    """The meeting minutes or the ballot result report as a DOCX (Decree 30/2020 layout)."""
    _require_official(request)
    decision = _get(request, decision_id)
    content = docx_export.decision_docx(decision, today=timezone.localdate())
    response = HttpResponse(
        content, content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document")
    response["Content-Disposition"] = f'attachment; filename="bien-ban-bieu-quyet-{decision.pk}.docx"'
    return response
