"""Handling a case from its page in the officials' workspace: the action forms, the audited
reading of a denouncer's identity, and bulk assignment from the inbox.

Each action is a plain POST form (CSRF, no JavaScript needed) offered only when
``workflow.allowed_actions`` lets this actor make the move now; the services still decide
(state, roles, guards, legal rules). A refusal shows the service's Vietnamese message on the
same form with what was typed; a success redirects to the page (post/redirect/get) with a
message. Every response of these pages says ``Cache-Control: no-store``: they carry internal
notes, submitters' names and, once, a denouncer's identity.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from danvan.accounts.models import Role
from danvan.accounts.rules import is_official
from danvan.accounts.selectors import has_role
from danvan.core.errors import DomainError, NotFoundOrForbidden

from . import deadlines, exports
from . import services as s
from .duplicates import similar_open_cases
from .forms_staff import (
    AcceptForm,
    ApproveAnswerForm,
    AssignForm,
    BulkAssignForm,
    CloseForm,
    DraftAnswerForm,
    EmptyForm,
    ExtendForm,
    InfoReceivedForm,
    MergeForm,
    NoteForm,
    RefuseForm,
    ReopenForm,
    RequestInfoForm,
    ReturnAnswerForm,
    TransferForm,
    bulk_handler_candidates,
    handler_candidates,
    transfer_targets,
)
from .models import OPEN_STATES, Action, Answer, AnswerStatus, Case, DenouncerIdentity, Kind
from .redaction import redact
from .rules import ACTION_PERMISSIONS, can_view_case, may_add_note, may_extend_case, may_read_identity
from .selectors import case_get, case_timeline
from .workflow import GUARDS, Step, allowed_actions

EXTEND = "extend"
NOTE = "note"
MAX_LISTED_FAILURES = 20

Perform = Callable[[Any, Case, dict[str, Any]], Any]


@dataclass(frozen=True)
class ActionSpec:
    """One handling action as the page offers it."""

    key: str
    label: Any
    form_class: type[forms.Form]
    button: Any
    perform: Perform
    success: Any
    # Ends or hands away the case: the button is styled as a warning.
    weighty: bool = False


def _merge_perform(actor: Any, case: Case, data: dict[str, Any]) -> Any:
    into = case_get(actor=actor, code_or_id=data["into"])
    return s.case_merge(actor=actor, duplicate=case, into=into)


SPECS: dict[str, ActionSpec] = {spec.key: spec for spec in (
    ActionSpec(Action.ACCEPT, gettext_lazy("Thụ lý"), AcceptForm, gettext_lazy("Thụ lý"),
               lambda a, c, d: s.case_accept(actor=a, case=c, is_complex=d["is_complex"], is_remote=d["is_remote"]),
               gettext_lazy("Đã thụ lý hồ sơ.")),
    ActionSpec(Action.REFUSE, gettext_lazy("Không thụ lý"), RefuseForm, gettext_lazy("Không thụ lý"),
               lambda a, c, d: s.case_refuse(actor=a, case=c, reason=d["reason"]),
               gettext_lazy("Đã ghi nhận quyết định không thụ lý."), weighty=True),
    ActionSpec(Action.ASSIGN, gettext_lazy("Giao xử lý"), AssignForm, gettext_lazy("Giao xử lý"),
               lambda a, c, d: s.case_assign(actor=a, case=c, handler=d["handler"]),
               gettext_lazy("Đã giao hồ sơ cho cán bộ xử lý.")),
    ActionSpec(Action.START, gettext_lazy("Bắt đầu xử lý"), EmptyForm, gettext_lazy("Bắt đầu xử lý"),
               lambda a, c, d: s.case_start(actor=a, case=c), gettext_lazy("Đã bắt đầu xử lý hồ sơ.")),
    ActionSpec(Action.REQUEST_INFO, gettext_lazy("Đề nghị bổ sung thông tin"), RequestInfoForm,
               gettext_lazy("Gửi đề nghị"),
               lambda a, c, d: s.case_request_info(actor=a, case=c, question=d["question"]),
               gettext_lazy("Đã gửi đề nghị bổ sung thông tin; thời hạn giải quyết tạm dừng.")),
    ActionSpec(Action.INFO_RECEIVED, gettext_lazy("Đã nhận thông tin bổ sung"), InfoReceivedForm,
               gettext_lazy("Ghi nhận"),
               lambda a, c, d: s.case_info_received(actor=a, case=c, response=d["response"]),
               gettext_lazy("Đã ghi nhận thông tin bổ sung; thời hạn giải quyết được tính tiếp.")),
    ActionSpec(Action.DRAFT_ANSWER, gettext_lazy("Dự thảo văn bản trả lời"), DraftAnswerForm,
               gettext_lazy("Lưu dự thảo"),
               lambda a, c, d: s.case_draft_answer(actor=a, case=c, text=d["text"]),
               gettext_lazy("Đã lưu dự thảo văn bản trả lời.")),
    ActionSpec(Action.SUBMIT_ANSWER, gettext_lazy("Trình duyệt văn bản trả lời"), EmptyForm,
               gettext_lazy("Trình lãnh đạo duyệt"), lambda a, c, d: s.case_submit_answer(actor=a, case=c),
               gettext_lazy("Đã trình lãnh đạo duyệt văn bản trả lời.")),
    ActionSpec(Action.APPROVE_ANSWER, gettext_lazy("Duyệt văn bản trả lời"), ApproveAnswerForm,
               gettext_lazy("Duyệt"),
               lambda a, c, d: s.case_approve_answer(actor=a, case=c, published_text=d["published_text"]),
               gettext_lazy("Đã duyệt văn bản trả lời.")),
    ActionSpec(Action.RETURN_ANSWER, gettext_lazy("Trả lại dự thảo"), ReturnAnswerForm, gettext_lazy("Trả lại"),
               lambda a, c, d: s.case_return_answer(actor=a, case=c, note=d["note"]),
               gettext_lazy("Đã trả lại dự thảo cho cán bộ xử lý.")),
    ActionSpec(Action.SEND_ANSWER, gettext_lazy("Gửi và công khai văn bản trả lời"), EmptyForm,
               gettext_lazy("Gửi văn bản trả lời"), lambda a, c, d: s.case_send_answer(actor=a, case=c),
               gettext_lazy("Đã gửi văn bản trả lời cho người gửi và công khai nội dung đã che thông tin cá nhân.")),
    ActionSpec(Action.CLOSE, gettext_lazy("Kết thúc hồ sơ"), CloseForm, gettext_lazy("Kết thúc"),
               lambda a, c, d: s.case_close(actor=a, case=c, note=d["note"]),
               gettext_lazy("Đã kết thúc hồ sơ."), weighty=True),
    ActionSpec(Action.REOPEN, gettext_lazy("Mở lại hồ sơ"), ReopenForm, gettext_lazy("Mở lại"),
               lambda a, c, d: s.case_reopen(actor=a, case=c, reason=d["reason"]),
               gettext_lazy("Đã mở lại hồ sơ.")),
    ActionSpec(Action.MERGE, gettext_lazy("Gộp vào hồ sơ khác"), MergeForm, gettext_lazy("Tiếp tục"),
               _merge_perform, gettext_lazy("Đã gộp hồ sơ; người gửi theo dõi kết quả ở hồ sơ được gộp vào."),
               weighty=True),
    ActionSpec(Action.TRANSFER, gettext_lazy("Chuyển cơ quan giải quyết"), TransferForm,
               gettext_lazy("Chuyển hồ sơ"),
               lambda a, c, d: s.case_transfer(actor=a, case=c, organisation=d["organisation"], reason=d["reason"]),
               gettext_lazy("Đã chuyển hồ sơ đến cơ quan, tổ chức mới."), weighty=True),
    ActionSpec(EXTEND, gettext_lazy("Gia hạn giải quyết"), ExtendForm, gettext_lazy("Gia hạn"),
               lambda a, c, d: s.case_extend(actor=a, case=c, reason=d["reason"],
                                             notice_reference=d["notice_reference"]),
               gettext_lazy("Đã gia hạn thời hạn giải quyết.")),
    ActionSpec(NOTE, gettext_lazy("Ghi chú nội bộ"), NoteForm, gettext_lazy("Thêm ghi chú"),
               lambda a, c, d: s.case_note_add(actor=a, case=c, note=d["note"]),
               gettext_lazy("Đã thêm ghi chú nội bộ.")),
)}


def require_official(request: HttpRequest) -> None:
    if not is_official(request.user):
        raise PermissionDenied(_("Chỉ cán bộ mới được xem danh sách hồ sơ."))


def case_or_404(request: HttpRequest, code: str) -> Case:
    require_official(request)
    try:
        return case_get(actor=request.user, code_or_id=code)
    except NotFoundOrForbidden:
        raise Http404(_("Không tìm thấy hồ sơ.")) from None


def _can_extend(actor: Any, case: Case) -> bool:
    # Mirrors the service's first checks, so the form is offered only when it can succeed.
    return (case.status in OPEN_STATES and not (deadlines.needs_acceptance(case) and case.accepted_at is None)
            and case.due_on is not None and bool(may_extend_case(actor, case)))


def _guard_passes(actor: Any, case: Case, action: str) -> bool:
    """Whether the workflow's guard for ``action`` lets it through now (a close without an
    answer, assigning a complaint not yet accepted, a drafter approving their own text...)."""
    guard = GUARDS.get(action)
    if guard is None:
        return True
    now = timezone.now()
    try:
        guard(Step(case=case, actor=actor, action=action, data={}, now=now, today=deadlines.local_date(now)))
    except DomainError:
        return False
    return True


def available_actions(actor: Any, case: Case) -> list[str]:
    """Action keys this actor may use on this case now, in workflow order."""
    keys = [a for a in dict.fromkeys(allowed_actions(case=case, actor=actor))
            if a in SPECS and _guard_passes(actor, case, a)]
    if _can_extend(actor, case):
        keys.append(EXTEND)
    if may_add_note(actor, case):
        keys.append(NOTE)
    return keys


def _latest_answer(case: Case) -> Answer | None:
    return case.answers.select_related("drafted_by", "approved_by").order_by("-drafted_at", "-id").first()


def _initial(key: str, case: Case, answer: Answer | None) -> dict[str, Any]:
    if key == Action.ACCEPT:
        return {"is_complex": case.is_complex, "is_remote": case.is_remote}
    if key == Action.DRAFT_ANSWER and answer is not None and answer.status == AnswerStatus.DRAFT:
        return {"text": answer.text}
    if key == Action.APPROVE_ANSWER and answer is not None and answer.status == AnswerStatus.SUBMITTED:
        # The preview: what the automatic masking makes of the draft, for the leader to edit.
        return {"published_text": redact(answer.text, names=[case.submitter_name] if case.submitter_name else [])}
    return {}


def _form(key: str, actor: Any, case: Case, answer: Answer | None, data: Any = None) -> forms.Form:
    spec = SPECS[key]
    kwargs: dict[str, Any] = {"prefix": key, "initial": _initial(key, case, answer)}
    if data is not None:
        kwargs["data"] = data
    if spec.form_class is AssignForm:
        kwargs["handlers"] = handler_candidates(actor=actor, case=case)
    return spec.form_class(**kwargs)


def render_detail(request: HttpRequest, case: Case, *, bound: tuple[str, forms.Form] | None = None,
                  merge_target: Case | None = None, status: int = 200) -> HttpResponse:
    """The case page with its action forms; ``bound`` is the form just posted (kept as typed)."""
    actor = request.user
    answer = _latest_answer(case)
    keys = available_actions(actor, case)
    actions = []
    for key in keys:
        form = bound[1] if bound and bound[0] == key else _form(key, actor, case, answer)
        actions.append({"key": key, "spec": SPECS[key], "form": form, "open": bool(bound and bound[0] == key),
                        "url": reverse("cases_staff:action", args=[case.code, key])})
    org_q = request.GET.get("co_quan", "").strip()[:100]
    suggestions = []
    if Action.MERGE in keys:
        suggestions = [sc for sc in similar_open_cases(actor=actor, text=f"{case.title} {case.description}",
                                                       unit=case.unit, received_at=case.received_at, exclude=case)
                       if sc.case.kind == case.kind]
    context = {
        "case": case,
        "events": case_timeline(actor=actor, case=case),
        "overdue_days": exports.overdue_days(case, timezone.localdate()),
        # A denouncer's identity is sealed apart; submitter data exists only for other kinds.
        "show_submitter": case.kind != Kind.DENUNCIATION and not case.anonymous,
        "answer": answer,
        "actions": actions,
        "transfer_targets": transfer_targets(
            case=case, query=org_q,
            chosen=str(bound[1].data.get("transfer-organisation", "")) if bound and bound[0] == Action.TRANSFER else "",
        ) if Action.TRANSFER in keys else [],
        "org_q": org_q,
        "merge_suggestions": suggestions,
        "merge_target": merge_target,
        "identity_readable": (case.kind == Kind.DENUNCIATION and bool(may_read_identity(actor, case))
                              and DenouncerIdentity.objects.filter(case=case).exists()),
    }
    return render(request, "cases/staff/detail.html", context, status=status)


@never_cache
@login_required
@require_http_methods(["GET", "HEAD"])
def detail(request: HttpRequest, code: str) -> HttpResponse:
    """One case with its timeline and the actions this official may take; never the denouncer's identity."""
    return render_detail(request, case_or_404(request, code))


@never_cache
@login_required
@require_POST
def action(request: HttpRequest, code: str, key: str) -> HttpResponse:
    """Make one handling action from the case page (POST, then redirect back with a message)."""
    case = case_or_404(request, code)
    if key not in SPECS:
        raise Http404(_("Không có thao tác này."))
    actor = request.user
    spec = SPECS[key]
    form = _form(key, actor, case, _latest_answer(case), data=request.POST)
    if key not in available_actions(actor, case):
        # The page no longer offered it (another official acted first) or never did (role);
        # its form is not on the page, so the reason is a message above it.
        messages.error(request, _("Bạn không thể thực hiện «%(action)s» đối với hồ sơ ở trạng thái hiện tại.")
                       % {"action": spec.label})
        status = 409 if _permitted_elsewhere(actor, case, key) else 403
        return render_detail(request, case, status=status)
    if not form.is_valid():
        return render_detail(request, case, bound=(key, form), status=400)
    data = dict(form.cleaned_data)
    if key == Action.MERGE and not data.get("confirm"):
        return _merge_confirm(request, case, form, data["into"])
    try:
        spec.perform(actor, case, data)
    except NotFoundOrForbidden:
        if key == Action.MERGE:
            form.add_error("into", _("Không tìm thấy hồ sơ có mã này trong phạm vi bạn phụ trách."))
            return render_detail(request, case, bound=(key, form), status=400)
        raise Http404(_("Không tìm thấy hồ sơ.")) from None
    except DomainError as exc:
        form.add_error(None, exc.message)
        return render_detail(request, case, bound=(key, form), status=exc.status_code)
    messages.success(request, str(spec.success))
    case.refresh_from_db()
    if not can_view_case(actor, case):
        # Transferred out of the actor's scope: the case page is no longer theirs.
        return redirect("cases_staff:inbox")
    return redirect("cases_staff:detail", code=case.code)


def _permitted_elsewhere(actor: Any, case: Case, key: str) -> bool:
    """The actor's role allows the action, only not in this state (409 rather than 403)."""
    if key == EXTEND:
        return bool(may_extend_case(actor, case))
    if key == NOTE:
        return bool(may_add_note(actor, case))
    return bool(ACTION_PERMISSIONS[key](actor, case))


def _merge_confirm(request: HttpRequest, case: Case, form: forms.Form, into_code: str) -> HttpResponse:
    """Step two of a merge: show the surviving case and ask for confirmation."""
    try:
        target = case_get(actor=request.user, code_or_id=into_code)
    except NotFoundOrForbidden:
        form.add_error("into", _("Không tìm thấy hồ sơ có mã này trong phạm vi bạn phụ trách."))
        return render_detail(request, case, bound=(Action.MERGE, form), status=400)
    if target.pk == case.pk:
        form.add_error("into", _("Không thể gộp một hồ sơ vào chính nó."))
        return render_detail(request, case, bound=(Action.MERGE, form), status=400)
    return render_detail(request, case, bound=(Action.MERGE, form), merge_target=target)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def identity(request: HttpRequest, code: str) -> HttpResponse:
    """Read a denouncer's identity, for a cleared official, with a stated purpose; every read is audited.

    GET only asks for the purpose; the identity is shown on the POST's own response and
    nowhere else (nothing is stored in the session, the page is not cached).
    """
    case = case_or_404(request, code)
    if case.kind != Kind.DENUNCIATION or not may_read_identity(request.user, case):
        raise Http404(_("Không tìm thấy hồ sơ."))
    purpose = request.POST.get("purpose", "")[:300] if request.method == "POST" else ""
    error = ""
    data = None
    status = 200
    if request.method == "POST":
        try:
            data = s.denouncer_identity_read(actor=request.user, case=case, purpose=purpose)
        except NotFoundOrForbidden:
            raise Http404(_("Không tìm thấy hồ sơ.")) from None
        except DomainError as exc:
            error, status = exc.message, 400
    return render(request, "cases/staff/identity.html",
                  {"case": case, "identity": data, "purpose": purpose, "error": error}, status=status)


def _safe_next(request: HttpRequest) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                                  require_https=request.is_secure()):
        return target
    return reverse("cases_staff:inbox")


def can_bulk_assign(actor: Any) -> bool:
    """Only leaders assign (rules.ACTION_PERMISSIONS): others see no checkboxes."""
    return has_role(actor, Role.LEADER)


@never_cache
@login_required
@require_POST
def bulk_assign(request: HttpRequest) -> HttpResponse:
    """Assign every ticked case the actor may assign to one handler; report successes and failures."""
    require_official(request)
    back = _safe_next(request)
    actor = request.user
    if not can_bulk_assign(actor):
        raise PermissionDenied(_("Chỉ lãnh đạo mới được giao xử lý hồ sơ."))
    form = BulkAssignForm(request.POST, handlers=bulk_handler_candidates(actor=actor))
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
        return redirect(back)
    codes = list(dict.fromkeys(form.cleaned_data["cases"]))
    if not codes:
        messages.error(request, _("Hãy chọn ít nhất một hồ sơ để giao xử lý."))
        return redirect(back)
    handler = form.cleaned_data["handler"]
    done = 0
    failures: list[tuple[str, str]] = []
    for code in codes:
        try:
            case = case_get(actor=actor, code_or_id=code)
            s.case_assign(actor=actor, case=case, handler=handler)
        except NotFoundOrForbidden:
            failures.append((code, _("không tìm thấy hồ sơ trong phạm vi bạn phụ trách")))
        except DomainError as exc:
            failures.append((code, exc.message))
        else:
            done += 1
    if done:
        messages.success(request, ngettext("Đã giao %(n)d hồ sơ cho %(name)s.", "Đã giao %(n)d hồ sơ cho %(name)s.",
                                           done) % {"n": done, "name": handler.display_name})
    if failures:
        messages.warning(request, ngettext("%(n)d hồ sơ chưa giao được:", "%(n)d hồ sơ chưa giao được:",
                                           len(failures)) % {"n": len(failures)})
        for code, reason in failures[:MAX_LISTED_FAILURES]:
            messages.warning(request, f"{code}: {reason}")
        if len(failures) > MAX_LISTED_FAILURES:
            messages.warning(request, _("… và %(n)d hồ sơ khác.") % {"n": len(failures) - MAX_LISTED_FAILURES})
    return redirect(back)
