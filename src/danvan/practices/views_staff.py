"""Officials' pages for "Dân vận khéo" (mounted under /lam-viec/dan-van-kheo/): the list and
its exports, registering and editing a model, appraisal, recognition, the yearly review,
commendations, results, files, replicas and statistics.

Every page works without JavaScript. A refused action shows the service's Vietnamese message
on the same form, keeping what was typed; a model outside one's scope is a 404.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from danvan.accounts.rules import is_official
from danvan.accounts.selectors import is_system_admin, scope_paths
from danvan.core.documents import place_name
from danvan.core.errors import DomainError, NotFoundOrForbidden
from danvan.core.pagination import paginate

from . import exports
from .forms import (
    AppraisalForm,
    AttachmentForm,
    CertifyForm,
    CommendationForm,
    IndicatorForm,
    IndicatorValueForm,
    NoteForm,
    PracticeForm,
    ReplicaForm,
    ReviewForm,
)
from .models import Action, Appraisal, Kind, Level, Practice, ReviewOutcome, State
from .rules import VIEW_ROLES, may_appraise, may_commend, may_edit, may_record_results, province_path
from .selectors import (
    PracticeFilters,
    active_fields,
    chart_data,
    field_choices,
    indicator_series,
    map_points,
    practice_attachment_get,
    practice_attachments,
    practice_family,
    practice_get,
    practice_list,
    practice_public_get,
    practice_stats,
    scope_units,
)
from .services import (
    appraisal_submit,
    commendation_add,
    indicator_add,
    indicator_value_record,
    practice_attach,
    practice_register,
    practice_update,
)
from .views_public import filters_from, map_settings, unit_from_code
from .workflow import allowed_actions, practice_transition

REVIEW_ACTIONS = {ReviewOutcome.KEEP: Action.REVIEW_KEEP, ReviewOutcome.REPLICATE: Action.REVIEW_REPLICATE,
                  ReviewOutcome.DROP: Action.REVIEW_DROP}
# Moves made from a note on the model's page (the others have their own form page).
NOTE_ACTIONS = {Action.RETURN: "return", Action.REJECT: "reject"}


def _require_official(request: HttpRequest) -> None:
    if not is_official(request.user):
        raise PermissionDenied(_("Chỉ cán bộ mới được sử dụng trang này."))


def _practice(request: HttpRequest, pk: int) -> Practice:
    _require_official(request)
    try:
        return practice_get(actor=request.user, pk=pk)
    except NotFoundOrForbidden:
        raise Http404(_("Không tìm thấy mô hình.")) from None


def _detail_url(practice: Practice) -> str:
    return reverse("practices_staff:detail", args=[practice.pk])


def _staff_filters(request: HttpRequest) -> PracticeFilters:
    base = filters_from(request)
    status = request.GET.get("status", "")
    return dataclasses.replace(base, status=status if status in State.values else "")


@login_required
@require_GET
def practice_index(request: HttpRequest) -> HttpResponse:
    """Models in the official's scope, filtered; ?format=xlsx|docx exports the same list."""
    _require_official(request)
    filters = _staff_filters(request)
    practices = practice_list(actor=request.user, filters=filters)
    stamp = timezone.localdate().strftime("%Y%m%d")
    export = request.GET.get("format", "")
    if export == "xlsx":
        response = HttpResponse(exports.to_xlsx(practices),
                                content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        response["Content-Disposition"] = f'attachment; filename="mo-hinh-dan-van-kheo-{stamp}.xlsx"'
        return response
    if export == "docx":
        issuer, place = _issuer(request, filters)
        body = exports.to_docx(practices, issuer=issuer, place=place, title=_("Danh sách"),
                               subtitle=_("Mô hình “Dân vận khéo”"))
        response = HttpResponse(
            body, content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document")
        response["Content-Disposition"] = f'attachment; filename="danh-sach-mo-hinh-{stamp}.docx"'
        return response
    return render(request, "practices/staff/index.html", {
        "page": paginate(request, practices), "filters": filters, "field_choices": field_choices(),
        "states": State.choices, "levels": Level.choices, "kinds": Kind.choices,
        "units": scope_units(actor=request.user),
        "unit_code": filters.unit.code if filters.unit else "",
    })


def _issuer(request: HttpRequest, filters: PracticeFilters) -> tuple[str, str]:
    """The body named in the document's heading and the place before its date."""
    unit = filters.unit
    if unit is None:
        units = scope_units(actor=request.user)
        unit = units[0] if units else None
    if unit is None:
        return _("Ban Tuyên giáo và Dân vận"), ""
    province = unit if unit.parent is None or unit.level == 1 else unit.parent
    return unit.name, place_name(province.name if province else unit.name)


def _render_practice_form(request: HttpRequest, form: PracticeForm, *, title: str, practice: Practice | None = None,
                          source: Practice | None = None, status: int = 200) -> HttpResponse:
    return render(request, "practices/staff/practice_form.html",
                  {"form": form, "title": title, "practice": practice, "source": source, **map_settings()},
                  status=status)


@login_required
@require_http_methods(["GET", "POST"])
def register(request: HttpRequest) -> HttpResponse:
    """Register a new model."""
    _require_official(request)
    title = _("Đăng ký mô hình “Dân vận khéo”")
    if request.method == "GET":
        return _render_practice_form(request, PracticeForm(actor=request.user), title=title)
    form = PracticeForm(request.POST, actor=request.user)
    if form.is_valid():
        try:
            practice = practice_register(actor=request.user, data=form.to_input())
        except NotFoundOrForbidden:
            form.add_error("unit", _("Bạn không được đăng ký mô hình ở đơn vị này."))
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Đã đăng ký mô hình."))
            return redirect(_detail_url(practice))
    return _render_practice_form(request, form, title=title, status=400)


@login_required
@require_http_methods(["GET", "POST"])
def replicate(request: HttpRequest, pk: int) -> HttpResponse:
    """Register a replica of a recognised model (in one's own commune; the source may be anywhere)."""
    _require_official(request)
    try:
        source = practice_public_get(pk=pk)
    except NotFoundOrForbidden:
        raise Http404(_("Không tìm thấy mô hình.")) from None
    title = _("Ghi nhận mô hình nhân rộng")
    if request.method == "GET":
        initial = {"name": source.name, "field": source.field_id, "kind": source.kind,
                   "description": source.description}
        form = ReplicaForm(actor=request.user, initial=initial)
        return _render_practice_form(request, form, title=title, source=source)
    form = ReplicaForm(request.POST, actor=request.user)
    if form.is_valid():
        try:
            practice = practice_register(actor=request.user, data=form.to_input(), replicates=source,
                                         note=form.cleaned_data.get("note") or "")
        except NotFoundOrForbidden:
            form.add_error("unit", _("Bạn không được đăng ký mô hình ở đơn vị này."))
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Đã ghi nhận mô hình nhân rộng."))
            return redirect(_detail_url(practice))
    return _render_practice_form(request, form, title=title, source=source, status=400)


@login_required
@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    practice = _practice(request, pk)
    if not may_edit(request.user, practice):
        raise PermissionDenied(_("Bạn không có quyền sửa mô hình này."))
    title = _("Sửa thông tin mô hình")
    if request.method == "GET":
        form = PracticeForm(actor=request.user, initial=PracticeForm.initial_from(practice))
        return _render_practice_form(request, form, title=title, practice=practice)
    form = PracticeForm(request.POST, actor=request.user)
    if form.is_valid():
        try:
            practice_update(actor=request.user, practice=practice, data=form.to_input())
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Đã lưu thông tin mô hình."))
            return redirect(_detail_url(practice))
    return _render_practice_form(request, form, title=title, practice=practice, status=400)


@login_required
@require_GET
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Everything about one model, and the actions the official may take now."""
    practice = _practice(request, pk)
    actions = allowed_actions(practice=practice, actor=request.user)
    series = indicator_series(practice=practice)
    family = practice_family(practice=practice, actor=request.user)
    appraisals = (Appraisal.objects.filter(practice=practice).select_related("member")
                  .prefetch_related("scores__criterion").order_by("-round", "at"))
    return render(request, "practices/staff/detail.html", {
        "practice": practice, "actions": actions, "series": series, "chart": chart_data(series),
        "family": family, "points": map_points(family.members, highlight=practice.pk),
        "appraisals": appraisals, "certifications": practice.certifications.order_by("decided_on"),
        "reviews": practice.reviews.select_related("reviewed_by").order_by("-year"),
        "commendations": practice.commendations.order_by("decided_on"),
        "attachments": practice_attachments(practice=practice),
        "organisations": practice.organisations.order_by("kind"),
        "can_submit": Action.SUBMIT in actions,
        "can_return": Action.RETURN in actions, "can_reject": Action.REJECT in actions,
        "can_certify": Action.CERTIFY in actions,
        "can_review": any(a in actions for a in REVIEW_ACTIONS.values()),
        "can_edit": may_edit(request.user, practice) and practice.status != State.DROPPED,
        "can_appraise": practice.status == State.APPRAISING and may_appraise(request.user, practice),
        "can_commend": practice.status == State.CERTIFIED and may_commend(request.user, practice),
        "can_record": practice.status != State.DROPPED and may_record_results(request.user, practice),
        "note_form": NoteForm(),
        **map_settings(),
    })


@login_required
@require_POST
def transition(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """Submit for appraisal, return for completion or refuse recognition (with a note)."""
    practice = _practice(request, pk)
    if action not in (Action.SUBMIT, *NOTE_ACTIONS):
        raise Http404(_("Thao tác không hợp lệ."))
    data: dict[str, Any] = {}
    if action in NOTE_ACTIONS:
        form = NoteForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Hãy nêu nội dung trước khi thực hiện thao tác."))
            return redirect(_detail_url(practice))
        data["note"] = form.cleaned_data["note"]
    try:
        practice_transition(practice=practice, action=action, actor=request.user, **data)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Đã thực hiện: %(action)s.") % {"action": Action(action).label})
    return redirect(_detail_url(practice))


def _action_page(request: HttpRequest, practice: Practice, form: Any, *, title: str, template: str,
                 status: int = 200, extra: dict[str, Any] | None = None) -> HttpResponse:
    return render(request, template, {"practice": practice, "form": form, "title": title, **(extra or {})},
                  status=status)


@login_required
@require_http_methods(["GET", "POST"])
def appraise(request: HttpRequest, pk: int) -> HttpResponse:
    """A panel member scores each criterion and comments (scoring again replaces their sheet)."""
    practice = _practice(request, pk)
    title = _("Thẩm định mô hình")
    template = "practices/staff/appraise.html"
    if request.method == "GET":
        mine = Appraisal.objects.filter(practice=practice, round=practice.appraisal_round,
                                        member_id=request.user.pk).prefetch_related("scores").first()
        initial: dict[str, Any] = {}
        if mine is not None:
            initial = {"comment": mine.comment, **{f"score_{s.criterion_id}": s.score for s in mine.scores.all()}}
        return _action_page(request, practice, AppraisalForm(initial=initial), title=title, template=template)
    form = AppraisalForm(request.POST)
    if form.is_valid():
        try:
            appraisal_submit(actor=request.user, practice=practice, scores=form.scores(),
                             comment=form.cleaned_data.get("comment") or "")
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Đã lưu phiếu thẩm định."))
            return redirect(_detail_url(practice))
    return _action_page(request, practice, form, title=title, template=template, status=400)


def _simple_action(request: HttpRequest, practice: Practice, form_class: Any, *, title: str, intro: str,
                   submit_label: str, apply: Any, initial: dict[str, Any] | None = None) -> HttpResponse:
    """GET shows the form; POST applies it, or shows the service's message on the same form."""
    template = "practices/staff/action_form.html"
    extra = {"intro": intro, "submit_label": submit_label}
    if request.method == "GET":
        return _action_page(request, practice, form_class(initial=initial or {}), title=title, template=template,
                            extra=extra)
    form = form_class(request.POST)
    if form.is_valid():
        try:
            message = apply(form.cleaned_data)
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, message)
            return redirect(_detail_url(practice))
    return _action_page(request, practice, form, title=title, template=template, status=400, extra=extra)


@login_required
@require_http_methods(["GET", "POST"])
def certify(request: HttpRequest, pk: int) -> HttpResponse:
    practice = _practice(request, pk)

    def apply(data: dict[str, Any]) -> str:
        practice_transition(practice=practice, action=Action.CERTIFY, actor=request.user, **data)
        return _("Đã công nhận mô hình.")

    level = Level.PROVINCE if practice.certified_level == Level.COMMUNE else Level.COMMUNE
    body = (_("Ủy ban nhân dân %(unit)s") % {"unit": practice.province.name if level == Level.PROVINCE
                                              else practice.unit.name})
    return _simple_action(
        request, practice, CertifyForm, title=_("Công nhận mô hình"), submit_label=_("Công nhận"),
        intro=_("Ghi nhận quyết định công nhận mô hình “Dân vận khéo”. Mô hình cấp tỉnh do lãnh đạo cấp tỉnh "
                "công nhận."),
        apply=apply, initial={"level": level, "body": body, "decided_on": timezone.localdate()})


@login_required
@require_http_methods(["GET", "POST"])
def review(request: HttpRequest, pk: int) -> HttpResponse:
    practice = _practice(request, pk)

    def apply(data: dict[str, Any]) -> str:
        practice_transition(practice=practice, action=REVIEW_ACTIONS[data["outcome"]], actor=request.user,
                            year=data["year"], note=data.get("note") or "")
        return _("Đã ghi nhận kết quả đánh giá năm %(year)d.") % {"year": data["year"]}

    return _simple_action(
        request, practice, ReviewForm, title=_("Đánh giá mô hình hằng năm"), submit_label=_("Lưu đánh giá"),
        intro=_("Sơ kết, đánh giá mô hình trong năm: duy trì, nhân rộng hoặc không duy trì. Mô hình không duy "
                "trì sẽ không còn hiển thị công khai."),
        apply=apply, initial={"year": timezone.localdate().year, "outcome": ReviewOutcome.KEEP})


@login_required
@require_http_methods(["GET", "POST"])
def commend(request: HttpRequest, pk: int) -> HttpResponse:
    practice = _practice(request, pk)

    def apply(data: dict[str, Any]) -> str:
        commendation_add(actor=request.user, practice=practice, kind=data["kind"], body=data["body"],
                         decided_on=data["decided_on"], decision_number=data["decision_number"],
                         note=data.get("note") or "")
        return _("Đã ghi nhận khen thưởng.")

    return _simple_action(
        request, practice, CommendationForm, title=_("Khen thưởng mô hình"), submit_label=_("Ghi nhận khen thưởng"),
        intro=_("Ghi nhận Giấy khen, Bằng khen đã được trao cho tập thể, cá nhân thực hiện mô hình."),
        apply=apply, initial={"decided_on": timezone.localdate()})


@login_required
@require_http_methods(["GET", "POST"])
def results(request: HttpRequest, pk: int) -> HttpResponse:
    """Add an indicator, or record an indicator's value at a date (two forms on one page)."""
    practice = _practice(request, pk)
    indicator_form = IndicatorForm(prefix="new")
    value_form = IndicatorValueForm(practice=practice, prefix="value",
                                    initial={"on": timezone.localdate()})
    status = 200
    if request.method == "POST":
        try:
            if request.POST.get("form") == "indicator":
                indicator_form = IndicatorForm(request.POST, prefix="new")
                if indicator_form.is_valid():
                    indicator_add(actor=request.user, practice=practice, **indicator_form.cleaned_data)
                    messages.success(request, _("Đã thêm chỉ tiêu."))
                    return redirect(reverse("practices_staff:results", args=[practice.pk]))
            else:
                value_form = IndicatorValueForm(request.POST, practice=practice, prefix="value")
                if value_form.is_valid():
                    indicator_value_record(actor=request.user, **value_form.cleaned_data)
                    messages.success(request, _("Đã ghi số liệu."))
                    return redirect(reverse("practices_staff:results", args=[practice.pk]))
        except DomainError as exc:
            (indicator_form if request.POST.get("form") == "indicator" else value_form).add_error(None, exc.message)
        status = 400
    return render(request, "practices/staff/results.html", {
        "practice": practice, "series": indicator_series(practice=practice), "indicator_form": indicator_form,
        "value_form": value_form, "can_record": may_record_results(request.user, practice)}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def attach(request: HttpRequest, pk: int) -> HttpResponse:
    practice = _practice(request, pk)
    template = "practices/staff/action_form.html"
    extra = {"intro": _("Ảnh và tài liệu của mô hình; ảnh được loại bỏ thông tin máy chụp, vị trí trước khi lưu."),
             "submit_label": _("Tải lên"), "multipart": True}
    title = _("Ảnh, tài liệu của mô hình")
    if request.method == "GET":
        return _action_page(request, practice, AttachmentForm(), title=title, template=template, extra=extra)
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        files = [(f.name or "tep", f.read()) for f in request.FILES.getlist("documents")]
        try:
            practice_attach(actor=request.user, practice=practice, files=files)
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Đã tải lên %(n)d tệp.") % {"n": len(files)})
            return redirect(_detail_url(practice))
    return _action_page(request, practice, form, title=title, template=template, status=400, extra=extra)


@login_required
@require_GET
def attachment(request: HttpRequest, pk: int, attachment_id: int) -> FileResponse:
    practice = _practice(request, pk)
    try:
        found = practice_attachment_get(practice=practice, attachment_id=attachment_id, images_only=False)
    except NotFoundOrForbidden:
        raise Http404(_("Không tìm thấy tệp.")) from None
    response = FileResponse(found.file.open("rb"), content_type=found.mime_type,
                            as_attachment=found.mime_type == "application/pdf", filename=found.original_name)
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_GET
def statistics(request: HttpRequest) -> HttpResponse:
    """Counts per field, level, year and status, and the comparison across communes or provinces."""
    _require_official(request)
    unit = unit_from_code(request.GET.get("unit", ""))
    units = scope_units(actor=request.user)
    roots = scope_paths(request.user, roles=VIEW_ROLES)
    national = is_system_admin(request.user) or any(r.count(".") == 1 for r in roots)
    if unit is None and not national and units:
        # A province or commune official starts from the top of their own scope.
        unit = units[0]
    try:
        year: int | None = int(request.GET.get("year", ""))
    except ValueError:
        year = None
    field_code = request.GET.get("field", "").strip()[:40]
    stats = practice_stats(actor=request.user, unit=unit, year=year, field_code=field_code)
    chart = {
        "labels": [str(r["year"]) for r in stats.by_year],
        "datasets": [{"label": _("Mô hình đăng ký"), "data": [r["total"] for r in stats.by_year]},
                     {"label": _("Mô hình được công nhận"), "data": [r["certified"] for r in stats.by_year]}],
    }
    unit_chart = {
        "labels": [r["name"] for r in stats.by_unit[:40]],
        "datasets": [{"label": _("Mô hình được công nhận"), "data": [r["certified"] for r in stats.by_unit[:40]]},
                     {"label": _("Cấp tỉnh công nhận"), "data": [r["province_level"] for r in stats.by_unit[:40]]}],
    }
    return render(request, "practices/staff/statistics.html", {
        "stats": stats, "unit": unit, "units": units, "year": year, "field_code": field_code,
        "fields": active_fields(), "chart": chart, "unit_chart": unit_chart,
        "province_scope": unit is not None and unit.level == 1,
        "unit_code": unit.code if unit else "", "province_path": province_path(unit.path) if unit else "",
    })
