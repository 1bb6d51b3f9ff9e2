"""Officials' intake (mounted under /lam-viec/tiep-nhan/): walk-ins, letters and hotline calls, and the receipt.

The form works like the public one (uploads kept under a form token across errors, the token
as the idempotency key, the commune found by accent-insensitive search with JavaScript off)
and adds a two-step duplicate warning: similar open cases in the commune are shown before a
new case is made, and the officer either opens one of them or confirms a new case.
"""

from __future__ import annotations

from typing import Any

import rules
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from danvan.accounts.rules import is_official
from danvan.accounts.selectors import path_in_scope, scope_paths
from danvan.attachments.services import max_files
from danvan.core.errors import DomainError, NotFoundOrForbidden
from danvan.units.models import Era, Level, Status, Unit
from danvan.units.selectors import unit_search

from .duplicates import SimilarCase, similar_open_cases
from .forms_intake import IntakeForm
from .models import Case, IdempotencyKey, Kind
from .redaction import redact
from .rules import is_case_leader_or_intake
from .selectors import case_get
from .services import INTAKE_ROLES, Denouncer, Submitter, case_submit
from .services_citizen import form_token_new, pending_add, pending_attach, pending_list

COMMUNE_CHOICES_LIMIT = 20
# Keeps the intake form's keys apart from the public form's ("web:") and the API's.
KEY_PREFIX = "intake:"


@rules.predicate
def may_use_intake(user: Any) -> bool:
    """An official holding an intake officer's or a leader's role on some unit opens the form."""
    return bool(is_official(user)) and bool(scope_paths(user, roles=INTAKE_ROLES))


@rules.predicate
def may_intake_for(user: Any, unit: Unit | None) -> bool:
    """... and records cases only for units of that role's subtree (``case_submit`` checks it again)."""
    return unit is not None and bool(is_official(user)) and path_in_scope(user, unit.path, roles=INTAKE_ROLES)


def _require_intake(request: HttpRequest) -> None:
    if not may_use_intake(request.user):
        raise PermissionDenied(_("Chỉ cán bộ tiếp nhận, tiếp công dân hoặc lãnh đạo mới được nhập hồ sơ."))


def _in_intake_scope(actor: Any, unit: Unit) -> bool:
    return bool(may_intake_for(actor, unit))


def _commune_get(actor: Any, code: str) -> Unit | None:
    unit = (Unit.objects.select_related("parent")
            .filter(era=Era.CURRENT, level=Level.COMMUNE, status=Status.ACTIVE, code=code).first())
    return unit if unit is not None and _in_intake_scope(actor, unit) else None


def _commune_matches(actor: Any, query: str) -> list[Unit]:
    """Communes matching the words (accent-insensitive) that the officer may record cases for."""
    if not query.strip():
        return []
    found = unit_search(query=query, max_level=Level.COMMUNE, limit=COMMUNE_CHOICES_LIMIT * 5)
    return [u for u in found if u.level == Level.COMMUNE and _in_intake_scope(actor, u)][:COMMUNE_CHOICES_LIMIT]


def _render(request: HttpRequest, form: IntakeForm, *, matches: list[Unit], chosen: Unit | None,
            similar: list[SimilarCase] | None = None, status: int = 200) -> HttpResponse:
    token = form.cleaned_data.get("token", "") if form.is_bound and hasattr(form, "cleaned_data") else ""
    return render(request, "cases/staff/intake.html", {
        "form": form, "matches": matches, "chosen": chosen, "similar": similar or [],
        "pending": pending_list(token=token) if token else [], "max_files": max_files(),
        "denunciation": Kind.DENUNCIATION, "complaint": Kind.COMPLAINT,
    }, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def intake(request: HttpRequest) -> HttpResponse:
    """GET shows an empty form; POST records the case (idempotent by the form token) or shows what to fix."""
    _require_intake(request)
    actor = request.user
    if request.method == "GET":
        form = IntakeForm(initial={"token": form_token_new(), "received_on": timezone.localdate()})
        return _render(request, form, matches=[], chosen=None)
    form = IntakeForm(request.POST)
    valid = form.is_valid()
    data = form.cleaned_data
    if data.get("token"):
        # Scans are kept under the form token: a browser cannot re-send files after an error.
        for upload in request.FILES.getlist("files"):
            try:
                pending_add(token=data["token"], name=upload.name or "", content=upload.read())
            except DomainError as exc:
                form.add_error(None, f"{upload.name}: {exc.message}")
                valid = False
    chosen = _commune_get(actor, data.get("commune", "")) if data.get("commune") else None
    matches = _commune_matches(actor, data.get("commune_q", "")) if chosen is None else []
    if chosen is None and len(matches) == 1:
        chosen = matches[0]
    if "find" in request.POST:
        matches = _commune_matches(actor, data.get("commune_q", ""))
        chosen = matches[0] if len(matches) == 1 else None
        if not matches and data.get("commune_q", "").strip():
            form.add_error("commune_q", _("Không tìm thấy xã, phường, đặc khu nào thuộc phạm vi phụ trách "
                                          "khớp với từ khóa này."))
        return _render(request, form, matches=matches, chosen=chosen)
    if chosen is None:
        form.add_error("commune_q", _("Hãy chọn xã, phường, đặc khu thuộc phạm vi phụ trách (gõ tên rồi bấm «Tìm»)."))
        valid = False
    if not valid or chosen is None:
        return _render(request, form, matches=matches, chosen=chosen, status=400)
    token = data["token"]
    key = KEY_PREFIX + token
    received_at = form.received_at()
    # A form sent twice is a replay: it answers with the case already made, without a new warning.
    replay = IdempotencyKey.objects.filter(key=key).exists()
    if not replay and not request.POST.get("confirm_new"):
        similar = similar_open_cases(actor=actor, text=f"{data['title']} {data['description']}", unit=chosen,
                                     received_at=received_at)
        if similar:
            return _render(request, form, matches=matches, chosen=chosen, similar=similar)
    denunciation = data["kind"] == Kind.DENUNCIATION
    denouncer = None
    if denunciation and any((data["name"], data["denouncer_address"], data["phone"], data["email"],
                             data["id_number"])):
        # Exactly as on the public form: the denouncer's identity goes into the sealed record only.
        denouncer = Denouncer(name=data["name"], address=data["denouncer_address"], phone=data["phone"],
                              email=data["email"], id_number=data["id_number"])
    try:
        with transaction.atomic():
            case = case_submit(
                kind=data["kind"], channel=data["channel"], unit=chosen, field=data["field"],
                instance=data["instance"], title=data["title"], description=data["description"],
                address=data["address"], is_urgent=data["is_urgent"], is_remote=data["is_remote"],
                submitter=None if denunciation else Submitter(name=data["name"], phone=data["phone"],
                                                              email=data["email"]),
                denouncer=denouncer, wants_updates=data["wants_updates"], received_at=received_at,
                idempotency_key=key, actor=actor,
            )
            # Scans of letters and identity papers carry no usable place: never keep a location.
            pending_attach(token=token, target=case, keep_location=False)
    except DomainError as exc:
        form.add_error(None, exc.message)
        return _render(request, form, matches=matches, chosen=chosen, status=400)
    return redirect(reverse("cases_intake:receipt", kwargs={"code": case.code}))


@login_required
@require_GET
def receipt(request: HttpRequest, code: str) -> HttpResponse:
    """The receipt (phiếu tiếp nhận) to print or send to the citizen: code, kind, deadline.

    It never shows a denouncer's identity nor other people's names: it leaves the office.
    """
    try:
        case = case_get(actor=request.user, code_or_id=code)
    except NotFoundOrForbidden as exc:
        raise Http404 from exc
    if not is_case_leader_or_intake(request.user, case):
        raise Http404
    lookup_url = request.build_absolute_uri(reverse("cases_public:lookup"))
    return render(request, "cases/staff/receipt.html", {
        "case": case, "lookup_url": lookup_url, "denunciation": case.kind == Kind.DENUNCIATION,
        "needs_acceptance": case.kind in (Kind.COMPLAINT, Kind.DENUNCIATION) and not case.as_information,
        "printed_on": timezone.localdate(), "receiver": _receiver_name(case),
        # The receipt may be posted or handed over: names of other people in the title are masked.
        "title": redact(case.title),
    })


def _receiver_name(case: Case) -> str:
    user = case.received_by
    if user is None:
        return ""
    return str(getattr(user, "display_name", "") or user.get_username())
