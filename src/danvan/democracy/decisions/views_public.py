"""Public pages (/dan-chu/bieu-quyet/): published results per commune and village, and the online
voting page where a household enters its one-time code."""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from danvan.core.errors import DomainError, NotFoundOrForbidden
from danvan.core.pagination import paginate
from danvan.units.models import Level, Unit

from .forms import VoteForm
from .models import Status
from .selectors import public_commune, public_decision_get, public_meeting, public_results
from .services import ballot_cast_online

# Wrong codes allowed per IP address and hour before the page stops checking (guessing a code).
DEFAULT_CODE_ATTEMPTS = 20


def _ip(request: HttpRequest) -> str:
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def _attempts_key(request: HttpRequest) -> str:
    return f"decisions:bad-code:{_ip(request)}"


def _too_many_attempts(request: HttpRequest) -> bool:
    limit = int(getattr(settings, "DANVAN_VOTE_CODE_ATTEMPTS", DEFAULT_CODE_ATTEMPTS))
    return int(cache.get(_attempts_key(request), 0)) >= limit


def _count_attempt(request: HttpRequest) -> None:
    key = _attempts_key(request)
    if not cache.add(key, 1, timeout=3600):
        try:
            cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, timeout=3600)


@require_GET
def results_index(request: HttpRequest) -> HttpResponse:
    """Published results of every village, newest first, searchable by title or village."""
    q = request.GET.get("q", "").strip()[:200]
    page = paginate(request, public_results(q=q, include_open=True))
    return render(request, "decisions/public/index.html", {"page": page, "q": q, "unit": None})


@require_GET
def results_commune(request: HttpRequest, code: str) -> HttpResponse:
    """Published results and open votes of one commune's villages."""
    try:
        commune = public_commune(code=code)
    except NotFoundOrForbidden:
        raise Http404(_("Không tìm thấy xã, phường, đặc khu.")) from None
    village_id = request.GET.get("thon", "")
    unit: Unit = commune
    if village_id.isdigit():
        unit = commune.children.filter(pk=int(village_id), level=Level.VILLAGE).first() or commune
    q = request.GET.get("q", "").strip()[:200]
    page = paginate(request, public_results(unit=unit, q=q, include_open=True))
    villages = commune.children.filter(level=Level.VILLAGE).order_by("code").only("id", "name")
    return render(request, "decisions/public/index.html", {
        "page": page, "q": q, "unit": unit, "commune": commune, "villages": villages})


@require_http_methods(["GET", "POST"])
def decision_public(request: HttpRequest, decision_id: int) -> HttpResponse:
    """One decision: its results when published; while an online ballot is open, the voting form."""
    try:
        decision = public_decision_get(decision_id=decision_id)
    except NotFoundOrForbidden:
        raise Http404(_("Không tìm thấy biểu quyết.")) from None
    voting = decision.status == Status.OPEN and decision.is_online
    form = VoteForm(request.POST if request.method == "POST" and voting else None, decision=decision)
    status = 200
    voted = False
    if request.method == "POST":
        if not voting:
            status = 409
            form.add_error(None, _("Biểu quyết này không nhận ý kiến trực tuyến."))
        elif _too_many_attempts(request):
            status = 429
            form.add_error(None, _("Bạn đã nhập sai mã quá nhiều lần. Xin thử lại sau một giờ."))
        elif form.is_valid():
            try:
                ballot_cast_online(decision_id=decision.pk, code=form.cleaned_data["code"], option_ids=form.chosen())
            except DomainError as exc:
                if exc.code == "code_invalid":
                    _count_attempt(request)
                form.add_error(None, exc.message)
                status = 409 if exc.code == "already_voted" else 400
            else:
                voted = True
        else:
            status = 400
    return render(request, "decisions/public/detail.html", {
        "decision": decision, "form": form, "voting": voting, "voted": voted,
        "options": list(decision.options.all()) if decision.results_public else [],
        "commune": decision.village.parent, "meeting": public_meeting(decision=decision),
    }, status=status)

