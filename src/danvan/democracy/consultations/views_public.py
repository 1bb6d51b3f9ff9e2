"""Public pages (/dan-chu/gop-y/): the list of consultations, a draft with its comments, the
forms (all working without JavaScript), the drafting body's answers and the opinion groups.

A participant is a random key in a signed cookie (hashed before it is stored), so a browser
supports or votes once per section or statement; the cases' rate limit and honeypot keep
floods out.
"""

from __future__ import annotations

import hashlib
import secrets

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from danvan.attachments.models import Attachment
from danvan.core.errors import DomainError, NotFoundOrForbidden
from danvan.core.pagination import paginate

from . import charts, exports
from .forms import CommentForm, FilterForm, StanceForm, StatementForm, set_choices
from .models import Comment, Consultation, Section, SectionVote, Stance, Statement, StatementVote
from .selectors import (
    COMMENT_SORTS,
    DEFAULT_COMMENT_SORT,
    answers_visible,
    comments_list,
    consultation_public_get,
    consultation_public_list,
    opinion_latest,
    section_report,
    statements_for_participant,
)
from .services import comment_submit, comment_support, section_vote, statement_submit, statement_vote

COOKIE = "danvan_participant"
COOKIE_AGE = 365 * 24 * 3600
# Per IP and hour: written contributions (comments, statements) and clicks (support, votes).
DEFAULT_WRITES_PER_IP = 20
DEFAULT_CLICKS_PER_IP = 600
SORT_LABELS = {"new": gettext_lazy("Mới nhất"), "top": gettext_lazy("Nhiều ủng hộ nhất"),
               "old": gettext_lazy("Cũ nhất")}


def _participant(request: HttpRequest) -> tuple[str, str | None]:
    """The hashed participant key, and a new raw cookie value to set when there was none."""
    raw = request.get_signed_cookie(COOKIE, default="", salt="consultations")
    fresh = None
    if not raw:
        raw = fresh = secrets.token_urlsafe(24)
    return hashlib.sha256(raw.encode()).hexdigest(), fresh


def _with_cookie(response: HttpResponse, fresh: str | None) -> HttpResponse:
    if fresh:
        response.set_signed_cookie(COOKIE, fresh, salt="consultations", max_age=COOKIE_AGE, httponly=True,
                                   samesite="Lax", secure=not settings.DEBUG and settings.SESSION_COOKIE_SECURE)
    return response


def _ip(request: HttpRequest) -> str:
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def rate_limited(request: HttpRequest, kind: str) -> bool:
    """Count one action of ``kind`` ("write" or "click") for the IP; True once the hour's allowance is used."""
    limit = int(getattr(settings, "DANVAN_CONSULT_WRITES_PER_IP", DEFAULT_WRITES_PER_IP) if kind == "write"
                else getattr(settings, "DANVAN_CONSULT_CLICKS_PER_IP", DEFAULT_CLICKS_PER_IP))
    key = f"danvan:consult:{kind}:{_ip(request)}"
    if not cache.add(key, 1, timeout=3600):
        try:
            count = cache.incr(key)
        except ValueError:
            cache.set(key, 1, timeout=3600)
            count = 1
        return count > limit
    return False


@require_GET
def consultation_list(request: HttpRequest) -> HttpResponse:
    form = FilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    qs = consultation_public_list(period=data.get("period", ""), content=data.get("content", ""),
                                  query=data.get("q", ""))
    return render(request, "consultations/public/list.html", {
        "form": form, "page": paginate(request, qs, per_page=20), "filtered": bool(request.GET),
    })


def _detail_context(request: HttpRequest, consultation: Consultation, participant: str,
                    comment_form: CommentForm | None = None, statement_form: StatementForm | None = None) -> dict:
    sort = request.GET.get("sort", DEFAULT_COMMENT_SORT)
    sort = sort if sort in COMMENT_SORTS else DEFAULT_COMMENT_SORT
    try:
        section_id = int(request.GET.get("phan", "") or 0)
    except ValueError:
        section_id = 0
    query = request.GET.get("q", "")[:100]
    page = paginate(request, comments_list(consultation, section_id=section_id or None, sort=sort, query=query),
                    per_page=20)
    report = section_report(consultation)
    my_votes = dict(SectionVote.objects.filter(section__consultation=consultation, voter_key=participant)
                    .values_list("section_id", "stance"))
    # Links built once from the page's address: reversing them per row cost more than the queries.
    base = reverse("consultations_public:detail", args=[consultation.pk])
    for row in report:
        stance = my_votes.get(row.section.pk)
        row.my_stance = str(Stance(stance).label) if stance else ""  # type: ignore[attr-defined]
        row.vote_url = f"{base}phan/{row.section.pk}/bieu-thi/"  # type: ignore[attr-defined]
    if consultation.is_open:
        for c in page.object_list:
            c.support_url = "" if c.is_hidden else f"{base}y-kien/{c.pk}/ung-ho/"
    to_vote = statements_for_participant(consultation, participant) if consultation.statements_enabled else []
    snapshot = opinion_latest(consultation) if consultation.statements_enabled else None
    if comment_form is None:
        try:
            chosen = int(request.GET.get("gop-y", "") or section_id or 0)
        except ValueError:
            chosen = 0
        comment_form = CommentForm(initial={"section": chosen or None})
    set_choices(comment_form, "section", [(r.section.pk, str(r.section)) for r in report])
    return {
        "consultation": consultation, "report": report, "page": page, "sort": sort, "sort_labels": SORT_LABELS,
        "section_id": section_id, "q": query, "my_votes": my_votes, "open": consultation.is_open,
        "answers_visible": answers_visible(consultation), "comment_form": comment_form,
        "statement_form": statement_form or StatementForm(), "to_vote": to_vote[:1], "snapshot": snapshot,
        "attachments": Attachment.objects.filter(content_type__app_label="consultations",
                                                 content_type__model="consultation",
                                                 object_id=str(consultation.pk)),
    }


@require_GET
def consultation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        consultation = consultation_public_get(pk)
    except NotFoundOrForbidden as exc:
        raise Http404(exc.message) from exc
    participant, fresh = _participant(request)
    response = render(request, "consultations/public/detail.html",
                      _detail_context(request, consultation, participant))
    return _with_cookie(response, fresh)


def _get_or_404(pk: int) -> Consultation:
    try:
        return consultation_public_get(pk)
    except NotFoundOrForbidden as exc:
        raise Http404(exc.message) from exc


def _back(consultation: Consultation, anchor: str = "") -> HttpResponse:
    return redirect(reverse("consultations_public:detail", args=[consultation.pk]) + anchor)


@require_POST
def comment(request: HttpRequest, pk: int) -> HttpResponse:
    consultation = _get_or_404(pk)
    participant, fresh = _participant(request)
    form = CommentForm(request.POST)
    set_choices(form, "section", list(Section.objects.filter(consultation=consultation)
                                      .values_list("pk", "label").order_by("order")))
    if form.is_valid() and form.cleaned_data.get("website"):
        # A bot filled the honeypot: thank it and record nothing.
        messages.success(request, _("Cảm ơn bạn đã góp ý."))
        return _back(consultation)
    section = None
    if form.is_valid():
        section = Section.objects.filter(consultation=consultation, pk=form.cleaned_data["section"]).first()
        if section is None:
            form.add_error(None, _("Phần dự thảo không tồn tại."))
    if section is not None and form.is_valid():
        if rate_limited(request, "write"):
            return render(request, "consultations/public/rate_limited.html", status=429)
        try:
            comment_submit(section=section, body=form.cleaned_data["body"],
                           author_name=form.cleaned_data["author_name"], contact=form.cleaned_data["contact"])
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Đã ghi nhận ý kiến góp ý của bạn. Cơ quan soạn thảo sẽ tổng hợp, tiếp "
                                        "thu, giải trình và công khai kết quả."))
            return _with_cookie(_back(consultation, f"#phan-{section.pk}"), fresh)
    context = _detail_context(request, consultation, participant, comment_form=form)
    return _with_cookie(render(request, "consultations/public/detail.html", context, status=400), fresh)


@require_POST
def vote_section(request: HttpRequest, pk: int, section_id: int) -> HttpResponse:
    consultation = _get_or_404(pk)
    section = Section.objects.filter(consultation=consultation, pk=section_id).first()
    if section is None:
        raise Http404
    participant, fresh = _participant(request)
    form = StanceForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Lựa chọn không hợp lệ."))
    elif rate_limited(request, "click"):
        return render(request, "consultations/public/rate_limited.html", status=429)
    else:
        try:
            section_vote(section=section, voter_key=participant, stance=form.cleaned_data["stance"])
            messages.success(request, _("Đã ghi nhận ý kiến của bạn về %(s)s.") % {"s": section.label})
        except DomainError as exc:
            messages.error(request, exc.message)
    return _with_cookie(_back(consultation, f"#phan-{section.pk}"), fresh)


@require_POST
def support_comment(request: HttpRequest, pk: int, comment_id: int) -> HttpResponse:
    consultation = _get_or_404(pk)
    target = Comment.objects.filter(consultation=consultation, pk=comment_id).first()
    if target is None:
        raise Http404
    participant, fresh = _participant(request)
    if rate_limited(request, "click"):
        return render(request, "consultations/public/rate_limited.html", status=429)
    try:
        if comment_support(comment=target, voter_key=participant):
            messages.success(request, _("Đã ghi nhận lượt ủng hộ ý kiến."))
        else:
            messages.info(request, _("Bạn đã ủng hộ ý kiến này rồi."))
    except DomainError as exc:
        messages.error(request, exc.message)
    return _with_cookie(_back(consultation, f"#y-kien-{target.pk}"), fresh)


@require_POST
def statement_new(request: HttpRequest, pk: int) -> HttpResponse:
    consultation = _get_or_404(pk)
    participant, fresh = _participant(request)
    form = StatementForm(request.POST)
    if form.is_valid() and form.cleaned_data.get("website"):
        messages.success(request, _("Cảm ơn bạn. Ý kiến sẽ hiển thị sau khi được duyệt."))
        return _back(consultation, "#y-kien-ngan")
    if form.is_valid():
        if rate_limited(request, "write"):
            return render(request, "consultations/public/rate_limited.html", status=429)
        try:
            statement_submit(consultation=consultation, text=form.cleaned_data["text"], author_key=participant)
        except DomainError as exc:
            form.add_error("text", exc.message)
        else:
            messages.success(request, _("Cảm ơn bạn. Ý kiến sẽ hiển thị để mọi người biểu quyết sau khi được duyệt."))
            return _with_cookie(_back(consultation, "#y-kien-ngan"), fresh)
    context = _detail_context(request, consultation, participant, statement_form=form)
    return _with_cookie(render(request, "consultations/public/detail.html", context, status=400), fresh)


@require_POST
def statement_vote_view(request: HttpRequest, pk: int, statement_id: int) -> HttpResponse:
    consultation = _get_or_404(pk)
    statement = Statement.objects.filter(consultation=consultation, pk=statement_id).first()
    if statement is None:
        raise Http404
    participant, fresh = _participant(request)
    choice = {"agree": StatementVote.AGREE, "disagree": StatementVote.DISAGREE, "pass": StatementVote.PASS}
    if request.POST.get("vote") not in choice:
        messages.error(request, _("Lựa chọn không hợp lệ."))
    elif rate_limited(request, "click"):
        return render(request, "consultations/public/rate_limited.html", status=429)
    else:
        try:
            statement_vote(statement=statement, participant_key=participant, vote=choice[request.POST["vote"]])
        except DomainError as exc:
            messages.error(request, exc.message)
    return _with_cookie(_back(consultation, "#y-kien-ngan"), fresh)


@require_GET
def opinion_groups(request: HttpRequest, pk: int) -> HttpResponse:
    consultation = _get_or_404(pk)
    if not consultation.statements_enabled:
        raise Http404
    snapshot = opinion_latest(consultation)
    return render(request, "consultations/public/groups.html", {
        "consultation": consultation, "snapshot": snapshot,
        "svg": charts.scatter_svg(snapshot.result) if snapshot and snapshot.groups else "",
        "group_names": charts.group_names(snapshot.result) if snapshot else [],
    })


@require_GET
def report_download(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    """The published report (XLSX or DOCX); before publication it does not exist for the public."""
    consultation = _get_or_404(pk)
    if not answers_visible(consultation):
        raise Http404
    return report_response(consultation, fmt)


def report_response(consultation: Consultation, fmt: str) -> HttpResponse:
    if fmt == "xlsx":
        content = exports.report_xlsx(consultation)
        mime = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    elif fmt == "docx":
        content = exports.report_docx(consultation)
        mime = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    else:
        raise Http404
    response = HttpResponse(content, content_type=mime)
    response["Content-Disposition"] = f'attachment; filename="bao-cao-gop-y-{consultation.pk}.{fmt}"'
    return response


@require_GET
def attachment_download(request: HttpRequest, pk: int, attachment_id: int) -> FileResponse:
    consultation = _get_or_404(pk)
    attachment = Attachment.objects.filter(pk=attachment_id, content_type__app_label="consultations",
                                           content_type__model="consultation", object_id=str(consultation.pk)).first()
    if attachment is None:
        raise Http404
    return FileResponse(attachment.file.open("rb"), as_attachment=True, filename=attachment.original_name,
                        content_type=attachment.mime_type)
