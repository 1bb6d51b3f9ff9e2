"""Officials' pages (/lam-viec/gop-y/): create a consultation and its sections, moderate comments
and statements, answer (tiếp thu / giải trình), publish the report, compute opinion groups, and
comment on behalf of an organisation (the Front's phản biện xã hội).

Every consultation page is reached through ``consultation_staff_get``: outside the official's
scope it is a 404, like everywhere else.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from danvan.accounts.rules import is_official
from danvan.accounts.selectors import active_assignments
from danvan.attachments.models import Attachment
from danvan.attachments.services import attachment_add, file_check
from danvan.core.errors import DomainError, NotFoundOrForbidden
from danvan.core.pagination import paginate
from danvan.units.models import Organisation, Unit

from . import charts
from .forms import (
    AnswerForm,
    ConsultationEditForm,
    ConsultationForm,
    FilterForm,
    HideForm,
    OrganisationCommentForm,
    RejectForm,
    SectionForm,
    UploadForm,
    set_choices,
)
from .models import Answer, Comment, Consultation, Section, Statement, StatementStatus
from .rules import MANAGE_ROLES
from .selectors import comments_list, consultation_staff_get, consultation_staff_list, opinion_latest, section_report
from .services import (
    answer_add,
    answer_delete,
    comment_hide,
    comment_restore,
    comment_submit,
    consultation_create,
    consultation_update,
    report_publish,
    section_add,
    section_delete,
    section_vote,
    statement_moderate,
)
from .tasks import compute_opinion_groups
from .views_public import report_response


def _require_official(request: HttpRequest) -> None:
    if not is_official(request.user):
        raise PermissionDenied(_("Chỉ cán bộ mới được truy cập trang này."))


def _get(request: HttpRequest, pk: int) -> Consultation:
    _require_official(request)
    try:
        return consultation_staff_get(actor=request.user, pk=pk)
    except NotFoundOrForbidden as exc:
        raise Http404(exc.message) from exc


def _manage_url(consultation: Consultation, anchor: str = "") -> str:
    return reverse("consultations_staff:manage", args=[consultation.pk]) + anchor


def _creatable_units(actor: Any) -> list[Unit]:
    """The units the official manages directly (their grants), where a consultation can be opened."""
    units = {a.unit.pk: a.unit for a in active_assignments(actor).filter(role__in=MANAGE_ROLES)}
    return sorted(units.values(), key=lambda u: u.path)


def _speaking_organisations(actor: Any) -> list[Organisation]:
    rows = active_assignments(actor).filter(organisation__isnull=False)
    return sorted({a.organisation.pk: a.organisation for a in rows if a.organisation}.values(), key=lambda o: o.name)


@login_required
@require_GET
def staff_list(request: HttpRequest) -> HttpResponse:
    _require_official(request)
    form = FilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    qs = consultation_staff_list(actor=request.user, period=data.get("period", ""),
                                 content=data.get("content", ""), query=data.get("q", ""))
    return render(request, "consultations/staff/list.html", {
        "form": form, "page": paginate(request, qs, per_page=20), "can_create": bool(_creatable_units(request.user)),
    })


@login_required
@require_http_methods(["GET", "POST"])
def staff_new(request: HttpRequest) -> HttpResponse:
    _require_official(request)
    units = _creatable_units(request.user)
    if not units:
        raise PermissionDenied(_("Bạn không có quyền tổ chức lấy ý kiến."))
    organisations = list(Organisation.objects.filter(unit__in=units, active=True).order_by("unit__path", "name"))
    form = ConsultationForm(request.POST or None, units=units, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        unit = next(u for u in units if str(u.pk) == data["unit"])
        body = next((o for o in organisations if str(o.pk) == data["drafting_body"]), None)
        try:
            consultation = consultation_create(
                actor=request.user, unit=unit, content=data["content"], title=data["title"],
                summary=data["summary"], opens_at=data["opens_at"], closes_at=data["closes_at"], drafting_body=body,
                statements_enabled=data["statements_enabled"], published=data["published"])
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Đã tạo đợt lấy ý kiến. Hãy thêm các phần của dự thảo."))
            return redirect(_manage_url(consultation, "#phan"))
    return render(request, "consultations/staff/new.html", {"form": form}, status=400 if form.errors else 200)


def _manage_context(request: HttpRequest, consultation: Consultation, **forms: Any) -> dict[str, Any]:
    sort = request.GET.get("sort", "new")
    query = request.GET.get("q", "")[:100]
    try:
        section_id = int(request.GET.get("phan", "") or 0)
    except ValueError:
        section_id = 0
    sections = list(consultation.sections.order_by("order"))
    organisations = _speaking_organisations(request.user)
    org_form = forms.get("org_form") or OrganisationCommentForm()
    set_choices(org_form, "organisation", [(o.pk, o.name) for o in organisations])
    set_choices(org_form, "section", [(s.pk, str(s)) for s in sections])
    answer_forms = {}
    for s in sections:
        answer_form = forms.get(f"answer_form_{s.pk}") or AnswerForm()
        set_choices(answer_form, "comments", [
            (c.pk, f"#{c.pk}: {c.body[:80]}") for c in s.comments.order_by("-support_count", "-id")[:30]])
        answer_forms[s.pk] = answer_form
    report = section_report(consultation)
    for row in report:
        row.answer_form = answer_forms[row.section.pk]  # type: ignore[attr-defined]
    edit = forms.get("edit_form") or ConsultationEditForm(initial={
        "title": consultation.title, "summary": consultation.summary, "opens_at": consultation.opens_at,
        "closes_at": consultation.closes_at, "statements_enabled": consultation.statements_enabled,
        "published": consultation.published})
    snapshot = opinion_latest(consultation)
    return {
        "consultation": consultation, "report": report, "edit_form": edit,
        "section_form": forms.get("section_form") or SectionForm(), "hide_form": HideForm(),
        "org_form": org_form, "organisations": organisations, "reject_form": RejectForm(),
        "upload_form": UploadForm(), "sort": sort, "q": query, "section_id": section_id,
        "page": paginate(request, comments_list(consultation, section_id=section_id or None, sort=sort,
                                                query=query), per_page=20),
        "pending": consultation.statements.filter(status=StatementStatus.PENDING).order_by("id")[:50],
        "accepted_count": consultation.statements.filter(status=StatementStatus.ACCEPTED).count(),
        "snapshot": snapshot, "svg": charts.scatter_svg(snapshot.result) if snapshot and snapshot.groups else "",
        "group_names": charts.group_names(snapshot.result) if snapshot else [],
        "attachments": Attachment.objects.filter(content_type__app_label="consultations",
                                                 content_type__model="consultation", object_id=str(consultation.pk)),
    }


@login_required
@require_GET
def manage(request: HttpRequest, pk: int) -> HttpResponse:
    consultation = _get(request, pk)
    return render(request, "consultations/staff/manage.html", _manage_context(request, consultation))


def _attempt(request: HttpRequest, action: Callable[[], object], done: str) -> None:
    """Run one service call for a button: its success message, or the refusal's message."""
    try:
        action()
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, done)


def _rerender(request: HttpRequest, consultation: Consultation, **forms: Any) -> HttpResponse:
    return render(request, "consultations/staff/manage.html", _manage_context(request, consultation, **forms),
                  status=400)


@login_required
@require_POST
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    consultation = _get(request, pk)
    form = ConsultationEditForm(request.POST)
    if form.is_valid():
        d = form.cleaned_data
        try:
            consultation_update(actor=request.user, consultation=consultation, title=d["title"], summary=d["summary"],
                                opens_at=d["opens_at"], closes_at=d["closes_at"], published=d["published"],
                                statements_enabled=d["statements_enabled"])
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Đã lưu thông tin đợt lấy ý kiến."))
            return redirect(_manage_url(consultation))
    return _rerender(request, consultation, edit_form=form)


@login_required
@require_POST
def section_new(request: HttpRequest, pk: int) -> HttpResponse:
    consultation = _get(request, pk)
    form = SectionForm(request.POST)
    if form.is_valid():
        d = form.cleaned_data
        try:
            section_add(actor=request.user, consultation=consultation, label=d["label"], title=d["title"],
                        body=d["body"], order=d["order"])
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Đã thêm phần dự thảo."))
            return redirect(_manage_url(consultation, "#phan"))
    return _rerender(request, consultation, section_form=form)


@login_required
@require_POST
def section_remove(request: HttpRequest, pk: int, section_id: int) -> HttpResponse:
    consultation = _get(request, pk)
    section = get_object_or_404(Section, consultation=consultation, pk=section_id)
    _attempt(request, lambda: section_delete(actor=request.user, section=section), _("Đã xóa phần dự thảo."))
    return redirect(_manage_url(consultation, "#phan"))


@login_required
@require_POST
def moderate(request: HttpRequest, pk: int, comment_id: int) -> HttpResponse:
    consultation = _get(request, pk)
    target = get_object_or_404(Comment, consultation=consultation, pk=comment_id)
    if request.POST.get("action") == "restore":
        _attempt(request, lambda: comment_restore(actor=request.user, comment=target), _("Đã hiển thị lại ý kiến."))
    else:
        _attempt(request, lambda: comment_hide(actor=request.user, comment=target,
                                               reason=request.POST.get("reason", "")),
                 _("Đã ẩn ý kiến; lý do được hiển thị công khai."))
    return redirect(_manage_url(consultation, f"#y-kien-{target.pk}"))


@login_required
@require_POST
def answer_new(request: HttpRequest, pk: int, section_id: int) -> HttpResponse:
    consultation = _get(request, pk)
    section = get_object_or_404(Section, consultation=consultation, pk=section_id)
    form = AnswerForm(request.POST)
    set_choices(form, "comments", [(str(c), str(c)) for c in section.comments.values_list("pk", flat=True)])
    if form.is_valid():
        d = form.cleaned_data
        try:
            answer_add(actor=request.user, section=section, kind=d["kind"], body=d["body"],
                       comment_ids=[int(c) for c in d["comments"]])
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Đã lưu nội dung tiếp thu, giải trình."))
            return redirect(_manage_url(consultation, f"#tra-loi-{section.pk}"))
    return _rerender(request, consultation, **{f"answer_form_{section.pk}": form})


@login_required
@require_POST
def answer_remove(request: HttpRequest, pk: int, answer_id: int) -> HttpResponse:
    consultation = _get(request, pk)
    answer = get_object_or_404(Answer, section__consultation=consultation, pk=answer_id)
    _attempt(request, lambda: answer_delete(actor=request.user, answer=answer), _("Đã xóa nội dung trả lời."))
    return redirect(_manage_url(consultation, "#tra-loi"))


@login_required
@require_POST
def publish(request: HttpRequest, pk: int) -> HttpResponse:
    consultation = _get(request, pk)
    _attempt(request, lambda: report_publish(actor=request.user, consultation=consultation),
             _("Đã công bố báo cáo tiếp thu, giải trình trên cổng thông tin."))
    return redirect(_manage_url(consultation, "#tra-loi"))


@login_required
@require_POST
def statement_review(request: HttpRequest, pk: int, statement_id: int) -> HttpResponse:
    consultation = _get(request, pk)
    statement = get_object_or_404(Statement, consultation=consultation, pk=statement_id)
    _attempt(request, lambda: statement_moderate(actor=request.user, statement=statement,
                                                  accept=request.POST.get("action") == "accept",
                                                  reason=request.POST.get("reason", "")),
             _("Đã xử lý ý kiến ngắn."))
    return redirect(_manage_url(consultation, "#y-kien-ngan"))


@login_required
@require_POST
def compute(request: HttpRequest, pk: int) -> HttpResponse:
    consultation = _get(request, pk)
    # Eager without a broker (the snapshot is there on the next page); queued with one.
    compute_opinion_groups.delay(consultation.pk)
    messages.success(request, _("Đã yêu cầu tính nhóm ý kiến; kết quả hiển thị kèm thời điểm tính."))
    return redirect(_manage_url(consultation, "#nhom-y-kien"))


@login_required
@require_POST
def organisation_comment(request: HttpRequest, pk: int) -> HttpResponse:
    consultation = _get(request, pk)
    form = OrganisationCommentForm(request.POST)
    organisations = _speaking_organisations(request.user)
    sections = list(consultation.sections.order_by("order"))
    set_choices(form, "organisation", [(str(o.pk), o.name) for o in organisations])
    set_choices(form, "section", [(str(s.pk), str(s)) for s in sections])
    if form.is_valid():
        d = form.cleaned_data
        organisation = next(o for o in organisations if str(o.pk) == d["organisation"])
        section = next(s for s in sections if str(s.pk) == d["section"])
        try:
            comment_submit(section=section, body=d["body"], actor=request.user, organisation=organisation)
            if d["stance"]:
                section_vote(section=section, voter_key="", stance=d["stance"], actor=request.user,
                             organisation=organisation)
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Đã gửi ý kiến thay mặt %(o)s.") % {"o": organisation.name})
            return redirect(_manage_url(consultation, "#to-chuc"))
    return _rerender(request, consultation, org_form=form)


@login_required
@require_POST
def upload(request: HttpRequest, pk: int) -> HttpResponse:
    consultation = _get(request, pk)
    form = UploadForm(request.POST, request.FILES)
    if form.is_valid():
        handle = form.cleaned_data["file"]
        _attempt(request, lambda: attachment_add(target=consultation, name=handle.name or "tep",
                                                 checked=file_check(content=handle.read()), actor=request.user),
                 _("Đã đính kèm tệp."))
    else:
        messages.error(request, _("Hãy chọn tệp cần đính kèm."))
    return redirect(_manage_url(consultation, "#tep"))


@login_required
@require_GET
def export(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    consultation = _get(request, pk)
    return report_response(consultation, fmt)
