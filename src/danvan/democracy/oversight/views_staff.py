"""Officials' pages: a commune's boards, inspections, recommendations, projects and commitments.

Every action is a POST form that works without JavaScript. A refused or invalid action shows the
same page again with the form as typed and the reason in Vietnamese; a done one redirects
(post/redirect/get) with a confirmation line.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from danvan.accounts.rules import is_official
from danvan.core.errors import DomainError
from danvan.core.pagination import paginate
from danvan.core.views import not_found_as_404

from . import exports, selectors, services
from . import forms as f
from . import rules as r
from .models import CommitmentStatus, RecommendationStatus
from .workflow import COMMITMENT, PLAN, RECOMMENDATION, allowed


def _official(request: HttpRequest) -> None:
    if not is_official(request.user):
        raise PermissionDenied


def _can(request: HttpRequest, path: str) -> dict[str, bool]:
    user = request.user
    return {
        "manage_board": r.can_manage_board(user, path),
        "work_as_board": r.can_work_as_board(user, path),
        "answer": r.can_answer(user, path),
        "manage_projects": r.can_manage_projects(user, path),
        "manage_commitments": r.can_manage_commitments(user, path),
    }


def _attempt(request: HttpRequest, form: forms.Form, action: Callable[[dict[str, Any]], Any], done: str) -> bool:
    """Run ``action`` with the cleaned data; on a domain error put the message on the form."""
    if not form.is_valid():
        return False
    try:
        action(form.cleaned_data)
    except DomainError as exc:
        form.add_error(None, exc.message)
        return False
    messages.success(request, done)
    return True


def _today_initial() -> dict[str, Any]:
    today = timezone.localdate()
    return {"joined_on": today, "sent_on": today, "found_on": today, "reported_on": today, "left_on": today}


@login_required
@not_found_as_404
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    _official(request)
    query = request.GET.get("q", "").strip()[:100]
    page = paginate(request, selectors.communes_overview(actor=request.user, query=query))
    return render(request, "oversight/staff/index.html",
                  {"page": page, "rows": selectors.overview_rows(list(page.object_list)), "query": query})


def _commune_page(request: HttpRequest, code: str, bound: dict[str, forms.Form] | None = None,
                  status: int = 200) -> HttpResponse:
    commune = selectors.commune_for(actor=request.user, code=code)
    board_views = selectors.board_views(commune=commune)
    boards = [b.board for b in board_views]
    initial = _today_initial()
    context_forms: dict[str, forms.Form] = {
        "member_form": f.MemberForm(commune=commune, boards=boards, initial=initial, prefix="member"),
        "plan_form": f.PlanForm(boards=boards, initial=initial, prefix="plan"),
        "recommendation_form": f.RecommendationForm(commune=commune, boards=boards, initial=initial, prefix="rec"),
        "project_form": f.ProjectForm(prefix="project"),
        "commitment_form": f.CommitmentForm(commune=commune, prefix="commitment"),
    }
    context_forms.update(bound or {})
    rec_status = request.GET.get("kien_nghi", "")
    context = {
        "commune": commune, "boards": board_views, "can": _can(request, commune.path),
        "summary": selectors.summary(commune=commune), "plans": selectors.plans(commune=commune)[:20],
        "recommendations": paginate(request, selectors.recommendations(commune=commune, status=rec_status)),
        "rec_status": rec_status, "rec_statuses": RecommendationStatus.choices,
        "projects": selectors.projects(commune=commune)[:50],
        "commitments": selectors.commitments(commune=commune)[:100], "today": timezone.localdate(),
        **context_forms,
    }
    return render(request, "oversight/staff/commune.html", context, status=status)


@login_required
@not_found_as_404
@require_GET
def commune(request: HttpRequest, code: str) -> HttpResponse:
    _official(request)
    return _commune_page(request, code)


@login_required
@not_found_as_404
@require_GET
def export(request: HttpRequest, code: str) -> HttpResponse:
    _official(request)
    unit = selectors.commune_for(actor=request.user, code=code)
    return exports.commune_workbook(commune=unit)


@login_required
@not_found_as_404
@require_GET
def export_docx(request: HttpRequest, code: str) -> HttpResponse:
    _official(request)
    unit = selectors.commune_for(actor=request.user, code=code)
    return exports.commune_document(commune=unit)


@login_required
@not_found_as_404
@require_POST
def commune_post(request: HttpRequest, code: str, what: str) -> HttpResponse:
    """The add-forms of the commune page: member, plan, recommendation, project, commitment."""
    _official(request)
    unit = selectors.commune_for(actor=request.user, code=code)
    boards = selectors.boards(commune=unit)
    user = request.user
    form: forms.Form
    action: Callable[[dict[str, Any]], Any]
    if what == "member":
        form = f.MemberForm(request.POST, commune=unit, boards=boards, prefix="member")
        key, done = "member_form", _("Đã thêm thành viên ban.")

        def action(d: dict[str, Any]) -> Any:
            return services.board_member_add(actor=user, board=d["board"], full_name=d["full_name"],
                                             village=d["village"], role=d["role"], phone=d["phone"],
                                             joined_on=d["joined_on"])
    elif what == "plan":
        form = f.PlanForm(request.POST, boards=boards, prefix="plan")
        key, done = "plan_form", _("Đã lập kế hoạch kiểm tra, giám sát.")

        def action(d: dict[str, Any]) -> Any:
            return services.plan_create(actor=user, board=d["board"], title=d["title"], subject=d["subject"],
                                        starts_on=d["starts_on"], ends_on=d["ends_on"])
    elif what == "recommendation":
        form = f.RecommendationForm(request.POST, commune=unit, boards=boards, prefix="rec")
        key, done = "recommendation_form", _("Đã ghi nhận kiến nghị gửi chính quyền.")

        def action(d: dict[str, Any]) -> Any:
            return services.recommendation_send(actor=user, board=d["board"], text=d["text"],
                                                addressed_to=d["addressed_to"], sent_on=d["sent_on"],
                                                plan=d["plan"], project=d["project"])
    elif what == "project":
        form = f.ProjectForm(request.POST, prefix="project")
        key, done = "project_form", _("Đã thêm công trình, dự án.")

        def action(d: dict[str, Any]) -> Any:
            return services.project_create(actor=user, unit=unit, **d)
    elif what == "commitment":
        form = f.CommitmentForm(request.POST, commune=unit, prefix="commitment")
        key, done = "commitment_form", _("Đã thêm cam kết.")

        def action(d: dict[str, Any]) -> Any:
            return services.commitment_create(actor=user, unit=unit, **d)
    else:
        raise PermissionDenied
    if _attempt(request, form, action, done):
        return redirect("oversight_staff:commune", code=code)
    return _commune_page(request, code, {key: form}, status=400)


@login_required
@not_found_as_404
@require_POST
def member_end(request: HttpRequest, pk: int) -> HttpResponse:
    _official(request)
    member = selectors.member_get(actor=request.user, pk=pk)
    form = f.MemberEndForm(request.POST)
    if not _attempt(request, form, lambda d: services.board_member_end(
            actor=request.user, member=member, left_on=d["left_on"], reason=d["reason"]),
            _("Đã ghi nhận thành viên thôi tham gia ban.")):
        for error in [*form.non_field_errors(), *[e for errs in form.errors.values() for e in errs]][:1]:
            messages.error(request, error)
    return redirect("oversight_staff:commune", code=member.board.unit.code)


# -- detail pages: plan, recommendation, project, commitment ---------------------------------------

def _detail(request: HttpRequest, template: str, obj: Any, form_specs: dict[str, tuple[type[forms.Form], dict]],
            handlers: dict[str, tuple[Callable[[dict[str, Any]], Any], str]], extra: dict[str, Any]) -> HttpResponse:
    """GET shows the record with its forms; POST ?do=<name> runs one handler (PRG on success)."""
    bound: dict[str, forms.Form] = {}
    status = 200
    if request.method == "POST":
        name = request.GET.get("do", "")
        if name not in handlers:
            raise PermissionDenied
        form_class, kwargs = form_specs[name]
        form = form_class(request.POST, request.FILES, prefix=name, **kwargs)
        handler, done = handlers[name]
        if _attempt(request, form, handler, done):
            return redirect(request.path)
        bound[name], status = form, 400
    context_forms = {name: bound.get(name) or cls(prefix=name, initial=_today_initial(), **kw)
                     for name, (cls, kw) in form_specs.items()}
    return render(request, template, {"forms": context_forms, "obj": obj, **extra}, status=status)


@login_required
@not_found_as_404
def plan(request: HttpRequest, pk: int) -> HttpResponse:
    _official(request)
    obj = selectors.plan_get(actor=request.user, pk=pk)
    user = request.user
    return _detail(request, "oversight/staff/plan.html", obj,
                   {"finding": (f.FindingForm, {}), "complete": (f.ConclusionForm, {})},
                   {"finding": (lambda d: services.finding_add(actor=user, plan=obj, text=d["text"],
                                                               found_on=d["found_on"]),
                                _("Đã ghi nhận kết quả kiểm tra.")),
                    "complete": (lambda d: services.plan_complete(actor=user, plan=obj, conclusion=d["conclusion"]),
                                 _("Đã kết thúc kế hoạch."))},
                   {"can": _can(request, obj.unit_path), "allowed": allowed(PLAN, obj.status),
                    "findings": obj.findings.all(), "commune": obj.board.unit})


@login_required
@not_found_as_404
def recommendation(request: HttpRequest, pk: int) -> HttpResponse:
    _official(request)
    obj = selectors.recommendation_get(actor=request.user, pk=pk)
    user = request.user
    return _detail(request, "oversight/staff/recommendation.html", obj,
                   {"answer": (f.AnswerForm, {}), "close": (f.CloseForm, {}), "reopen": (f.ReopenForm, {})},
                   {"answer": (lambda d: services.recommendation_answer(
                       actor=user, recommendation=obj, answer=d["answer"], follow_up_due_on=d["follow_up_due_on"]),
                       _("Đã trả lời kiến nghị.")),
                    "close": (lambda d: services.recommendation_close(actor=user, recommendation=obj, note=d["note"]),
                              _("Đã xác nhận kiến nghị được thực hiện xong.")),
                    "reopen": (lambda d: services.recommendation_reopen(actor=user, recommendation=obj,
                                                                        reason=d["reason"]),
                               _("Đã kiến nghị lại; chính quyền phải trả lời lần nữa."))},
                   {"can": _can(request, obj.unit_path), "allowed": allowed(RECOMMENDATION, obj.status),
                    "overdue": selectors.recommendation_overdue(obj),
                    "commune": obj.board.unit})


@login_required
@not_found_as_404
def project(request: HttpRequest, pk: int) -> HttpResponse:
    _official(request)
    obj = selectors.project_get(actor=request.user, pk=pk)
    user = request.user
    issue_id = request.POST.get("issue", "") if request.method == "POST" else ""

    def resolve(d: dict[str, Any]) -> Any:
        issue = obj.issues.filter(pk=int(issue_id) if issue_id.isdigit() else 0).first()
        if issue is None:
            raise DomainError(_("Không tìm thấy vấn đề cần khắc phục."), code="issue")
        return services.project_issue_resolve(actor=user, issue=issue, resolution=d["resolution"])

    return _detail(request, "oversight/staff/project.html", obj,
                   {"report": (f.ProjectReportForm, {}), "issue": (f.IssueForm, {}), "resolve": (f.ResolveForm, {})},
                   {"report": (lambda d: services.project_report(actor=user, project=obj, **d),
                               _("Đã cập nhật tiến độ công trình.")),
                    "issue": (lambda d: services.project_issue_raise(actor=user, project=obj, text=d["text"]),
                              _("Đã ghi nhận vấn đề của công trình.")),
                    "resolve": (resolve, _("Đã ghi nhận kết quả khắc phục."))},
                   {"can": _can(request, obj.unit_path), "reports": obj.reports.all(), "issues": obj.issues.all(),
                    "commune": obj.unit, "recommendations": obj.recommendations.all()})


@login_required
@not_found_as_404
def commitment(request: HttpRequest, pk: int) -> HttpResponse:
    _official(request)
    obj = selectors.commitment_get(actor=request.user, pk=pk)
    user = request.user

    def update(d: dict[str, Any]) -> Any:
        files = [(upload.name, upload.read()) for upload in d["evidence"]]
        return services.commitment_update(actor=user, commitment=obj, progress_percent=d["progress_percent"],
                                          note=d["note"], files=files, reported_on=d["reported_on"])

    return _detail(request, "oversight/staff/commitment.html", obj,
                   {"update": (f.CommitmentUpdateForm, {}), "cancel": (f.CancelForm, {})},
                   {"update": (update, _("Đã cập nhật tiến độ cam kết.")),
                    "cancel": (lambda d: services.commitment_cancel(actor=user, commitment=obj, reason=d["reason"]),
                               _("Đã hủy bỏ cam kết."))},
                   {"can": _can(request, obj.unit_path), "allowed": allowed(COMMITMENT, obj.status),
                    "updates": selectors.commitment_updates(commitment=obj), "commune": obj.unit,
                    "open": obj.status in (CommitmentStatus.NOT_STARTED, CommitmentStatus.IN_PROGRESS)})
