"""Public pages for citizens: submit feedback without an account, follow a case by its code, reopen."""

from __future__ import annotations

import re

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from danvan.attachments.services import max_files
from danvan.core.errors import DomainError, NotFoundOrForbidden
from danvan.units.models import Era, Level, Status, Unit
from danvan.units.selectors import unit_search

from .duplicates import PublicSimilarCase, similar_open_cases_public
from .forms_public import KIND_HELP, LookupForm, PublicCaseForm, RatingForm, ReopenForm
from .models import FEEDBACK_KINDS, Answer, AnswerStatus, Case, CaseRating, Channel, IdempotencyKey, Kind, State
from .selectors import case_public_get
from .services import LATITUDE_RANGE, LONGITUDE_RANGE, Denouncer, Submitter, case_reopen, case_submit
from .services_citizen import (
    case_rate,
    form_token_new,
    pending_add,
    pending_attach,
    pending_gps,
    pending_list,
    submission_rate_count,
    submission_rate_limited,
)
from .workflow import ActionNotPermitted, IllegalTransition

COMMUNE_CHOICES_LIMIT = 20
DEFAULT_MAP_TILES = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"


def _client_ip(request: HttpRequest) -> str:
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def _commune_get(code: str) -> Unit | None:
    return Unit.objects.filter(era=Era.CURRENT, level=Level.COMMUNE, status=Status.ACTIVE, code=code).first()


def _commune_matches(query: str) -> list[Unit]:
    if not query.strip():
        return []
    return [u for u in unit_search(query=query, max_level=Level.COMMUNE, limit=COMMUNE_CHOICES_LIMIT * 3)
            if u.level == Level.COMMUNE][:COMMUNE_CHOICES_LIMIT]


def _render_form(request: HttpRequest, form: PublicCaseForm, *, matches: list[Unit], chosen: Unit | None,
                 similar: list[PublicSimilarCase] | None = None, status: int = 200) -> HttpResponse:
    token = form.cleaned_data.get("token", "") if form.is_bound and hasattr(form, "cleaned_data") else ""
    return render(request, "cases/public/submit.html", {
        "pending": pending_list(token=token) if token else [], "max_files": max_files(),
        # No tile server is reachable offline: the tile URL is a setting, and the form works without the map.
        "map_tiles": getattr(settings, "DANVAN_MAP_TILES", DEFAULT_MAP_TILES),
        "form": form, "kind_help": [(value, label, KIND_HELP[value]) for value, label in Kind.choices],
        "matches": matches, "chosen": chosen, "denunciation": Kind.DENUNCIATION, "similar": similar or [],
    }, status=status)


@require_http_methods(["GET", "POST"])
def submit(request: HttpRequest) -> HttpResponse:
    """The public submission form: GET shows it, POST records the case (idempotent by the form token)."""
    if request.method == "GET":
        form = PublicCaseForm(initial={"token": form_token_new()})
        return _render_form(request, form, matches=[], chosen=None)
    form = PublicCaseForm(request.POST)
    valid = form.is_valid()
    data = form.cleaned_data
    if data.get("website"):
        # A bot filled the honeypot: answer as if nothing happened, record nothing.
        return render(request, "cases/public/received.html", {"case": None})
    if data.get("token"):
        # Valid uploads are kept under the form token: browsers cannot re-send files after an error.
        for upload in request.FILES.getlist("files"):
            try:
                pending_add(token=data["token"], name=upload.name or "", content=upload.read())
            except DomainError as exc:
                form.add_error(None, f"{upload.name}: {exc.message}")
                valid = False
    chosen = _commune_get(data.get("commune", "")) if data.get("commune") else None
    matches = _commune_matches(data.get("commune_q", "")) if chosen is None else []
    if chosen is None and len(matches) == 1:
        chosen = matches[0]
    if "find" in request.POST:
        # The no-JavaScript commune search: a new search replaces any earlier choice; the form is
        # shown again with the matches, keeping what was typed.
        matches = _commune_matches(data.get("commune_q", ""))
        chosen = matches[0] if len(matches) == 1 else None
        return _render_form(request, form, matches=matches, chosen=chosen)
    if chosen is None:
        form.add_error("commune_q", _("Hãy chọn xã, phường, đặc khu nơi xảy ra vụ việc (gõ tên rồi bấm «Tìm»)."))
        valid = False
    if not valid or chosen is None:
        return _render_form(request, form, matches=matches, chosen=chosen, status=400)
    ip = _client_ip(request)
    phone = re.sub(r"\D", "", data["phone"])
    token = data["token"]
    # A double-submitted form is a replay, not a new submission: it must not use up the limit.
    replay = IdempotencyKey.objects.filter(key=f"web:{token}").exists()
    if not replay and submission_rate_limited(ip=ip, phone=phone):
        return render(request, "cases/public/rate_limited.html", status=429)
    kind = data["kind"]
    if not replay and kind in FEEDBACK_KINDS and not request.POST.get("confirm_new"):
        # Step one of two: the same problem may already be reported nearby. The citizen sees only
        # the masked title and status of those cases (never their code, which lets its holder
        # reopen and rate, nor anyone's name) and confirms to send anyway; what was typed and
        # uploaded is kept under the form token.
        similar = similar_open_cases_public(text=f"{data['title']} {data['description']}", unit=chosen)
        if similar:
            return _render_form(request, form, matches=matches, chosen=chosen, similar=similar)
    latitude, longitude = data["latitude"], data["longitude"]
    if latitude is None and data["share_location"] and (gps := pending_gps(token=token)) is not None \
            and LATITUDE_RANGE[0] <= gps[0] <= LATITUDE_RANGE[1] and LONGITUDE_RANGE[0] <= gps[1] <= LONGITUDE_RANGE[1]:
        latitude, longitude = gps
    denunciation = kind == Kind.DENUNCIATION
    try:
        case = case_submit(
            kind=kind, channel=Channel.WEB, unit=chosen, field=data["field"], title=data["title"],
            description=data["description"], address=data["address"], wants_updates=data["wants_updates"],
            submitter=None if denunciation else Submitter(name=data["name"], phone=data["phone"], email=data["email"]),
            denouncer=Denouncer(name=data["name"], address=data["denouncer_address"], phone=data["phone"],
                                email=data["email"]) if denunciation and any(
                (data["name"], data["denouncer_address"], data["phone"], data["email"])) else None,
            latitude=latitude, longitude=longitude, idempotency_key=f"web:{token}",
        )
        pending_attach(token=token, target=case, keep_location=data["share_location"])
    except DomainError as exc:
        form.add_error(None, exc.message)
        return _render_form(request, form, matches=matches, chosen=chosen, status=400)
    if not replay:
        submission_rate_count(ip=ip, phone=phone)
    return redirect(reverse("cases_public:received", kwargs={"code": case.code}))


def received(request: HttpRequest, code: str) -> HttpResponse:
    """The page after submission: the code to keep, how to follow it, the deadline."""
    try:
        case = case_public_get(code=code)
    except NotFoundOrForbidden as exc:
        raise Http404 from exc
    return render(request, "cases/public/received.html", {"case": case})


def lookup(request: HttpRequest) -> HttpResponse:
    """Enter a case's code to follow it."""
    form = LookupForm(request.GET or None)
    if form.is_bound and form.is_valid():
        try:
            case = case_public_get(code=form.cleaned_data["code"])
        except NotFoundOrForbidden:
            form.add_error("code", _("Không tìm thấy vụ việc có mã này. Hãy kiểm tra lại mã tra cứu."))
        else:
            return redirect(reverse("cases_public:detail", kwargs={"code": case.code}))
    return render(request, "cases/public/lookup.html", {"form": form}, status=400 if form.errors else 200)


@require_http_methods(["GET", "POST"])
def detail(request: HttpRequest, code: str) -> HttpResponse:
    """The public page of a case: status, deadline, public timeline, published answer; reopen form."""
    try:
        case = case_public_get(code=code)
    except NotFoundOrForbidden as exc:
        raise Http404 from exc
    action = request.POST.get("action", "reopen")
    reopen_form = ReopenForm(request.POST if request.method == "POST" and action == "reopen" else None)
    rating_form = RatingForm(request.POST if request.method == "POST" and action == "rate" else None)
    status = 200
    if request.method == "POST" and action == "rate":
        if rating_form.is_valid():
            try:
                case_rate(code=case.code, score=rating_form.cleaned_data["score"],
                          comment=rating_form.cleaned_data["comment"])
            except DomainError as exc:
                rating_form.add_error(None, exc.message)
            else:
                messages.success(request, _("Cảm ơn bạn đã đánh giá câu trả lời."))
                return redirect(reverse("cases_public:detail", kwargs={"code": case.code}))
        status = 400
    elif request.method == "POST":
        if reopen_form.is_valid():
            try:
                case_reopen(case=Case.objects.get(code=case.code), reason=reopen_form.cleaned_data["reason"],
                            code=case.code)
            except (IllegalTransition, ActionNotPermitted) as exc:
                reopen_form.add_error(None, exc.message)
            else:
                return redirect(reverse("cases_public:detail", kwargs={"code": case.code}))
        status = 400
    # The workflow guard has the last word (window, kind); this only decides whether to show the form.
    can_reopen = case.kind in FEEDBACK_KINDS and case.status in (State.ANSWERED, State.CLOSED)
    answer_id = _latest_answer_id(case.code) if case.status in (State.ANSWERED, State.CLOSED) else None
    rating = CaseRating.objects.filter(answer_id=answer_id).first() if answer_id else None
    can_rate = answer_id is not None and rating is None
    return render(request, "cases/public/detail.html", {
        "case": case, "reopen_form": reopen_form, "can_reopen": can_reopen,
        "rating_form": rating_form, "can_rate": can_rate, "rating": rating,
    }, status=status)


def _latest_answer_id(code: str) -> int | None:
    """Id of the case's latest sent answer (the one a rating belongs to)."""
    return (Answer.objects.filter(case__code=code, status=AnswerStatus.SENT)
            .order_by("-sent_at", "-id").values_list("id", flat=True).first())
