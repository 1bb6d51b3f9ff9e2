"""Officials' pages: compliance per commune and per province, and the work on a commune's items.

Every action is a POST form that works without JavaScript. A refused or invalid action shows the
same page again with the form as typed and the reason in Vietnamese; a done one redirects
(post/redirect/get) with a confirmation line, and any warning of the duration rule.
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
from django.views.decorators.http import require_GET, require_http_methods

from danvan.accounts.rules import is_official
from danvan.core.errors import DomainError
from danvan.core.pagination import paginate
from danvan.core.views import not_found_as_404

from . import compliance, exports, selectors, services
from . import forms as f
from . import rules as r
from .compliance import PROBLEMS, STATUS_LABELS
from .models import RELAY_KINDS, DisclosureItem


def _official(request: HttpRequest) -> None:
    if not is_official(request.user):
        raise PermissionDenied


def _year(request: HttpRequest) -> int:
    value = request.GET.get("nam", "")
    today = timezone.localdate()
    return int(value) if value.isdigit() and 2023 <= int(value) <= today.year + 1 else today.year


def _attempt(request: HttpRequest, form: forms.Form, action: Callable[[dict[str, Any]], Any], done: str) -> bool:
    """Run ``action`` with the cleaned data; on a domain error put the message on the form."""
    if not form.is_valid():
        return False
    try:
        result = action(form.cleaned_data)
    except DomainError as exc:
        form.add_error(None, exc.message)
        return False
    messages.success(request, done)
    warnings = getattr(result, "warnings", None)
    if warnings is None and isinstance(result, tuple):
        warnings = result[1]
    for warning in warnings or []:
        messages.warning(request, warning)
    return True


def _files(data: dict[str, Any]) -> list[tuple[str, bytes]]:
    return [(upload.name, upload.read()) for upload in data.get("documents") or []]


@login_required
@not_found_as_404
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    _official(request)
    year = _year(request)
    query = request.GET.get("q", "").strip()[:100]
    page = paginate(request, selectors.communes_in_scope(actor=request.user, query=query))
    units = list(page.object_list)
    counts = compliance.communes_counts(paths=[u.path for u in units], year=year, today=timezone.localdate())
    return render(request, "disclosures/staff/index.html", {
        "page": page, "rows": [(u, counts[u.path]) for u in units], "query": query, "year": year,
        "years": _years(), "provinces": selectors.provinces_in_scope(actor=request.user)})


def _years() -> list[int]:
    return list(range(timezone.localdate().year, 2022, -1))


def _province_rows(request: HttpRequest, code: str, year: int) -> tuple[Any, list[tuple[Any, compliance.Counts]]]:
    province = selectors.province_for(actor=request.user, code=code)
    units = list(selectors.communes_in_scope(actor=request.user, province=province))
    counts = compliance.communes_counts(paths=[u.path for u in units], year=year, today=timezone.localdate())
    return province, [(u, counts[u.path]) for u in units]


@login_required
@not_found_as_404
@require_GET
def province(request: HttpRequest, code: str) -> HttpResponse:
    _official(request)
    year = _year(request)
    unit, rows = _province_rows(request, code, year)
    totals = compliance.Counts()
    for _unit, c in rows:
        for name in ("missing", "late", "short", "ok", "pending"):
            setattr(totals, name, getattr(totals, name) + getattr(c, name))
    worst = sorted((row for row in rows if row[1].problems), key=lambda row: -row[1].problems)[:15]
    chart = {"labels": [u.name for u, _c in worst], "missing": [c.missing for _u, c in worst],
             "late": [c.late for _u, c in worst], "short": [c.short for _u, c in worst],
             "names": {k: str(STATUS_LABELS[k]) for k in PROBLEMS}}
    return render(request, "disclosures/staff/province.html", {
        "province": unit, "rows": rows, "totals": totals, "year": year, "years": _years(), "chart": chart,
        "worst": worst})


@login_required
@not_found_as_404
@require_GET
def province_export(request: HttpRequest, code: str) -> HttpResponse:
    _official(request)
    year = _year(request)
    unit, rows = _province_rows(request, code, year)
    return exports.province_workbook(province=unit, rows=rows, year=year)


def _commune_page(request: HttpRequest, code: str, form: forms.Form | None = None, status: int = 200) -> HttpResponse:
    commune = selectors.commune_for(actor=request.user, code=code)
    year = _year(request)
    findings = compliance.commune_findings(path=commune.path, year=year, today=timezone.localdate())
    category = request.GET.get("noi_dung", "")
    query = request.GET.get("q", "").strip()[:100]
    return render(request, "disclosures/staff/commune.html", {
        "commune": commune, "year": year, "years": _years(), "findings": findings,
        "counts": compliance.count(findings), "problems": PROBLEMS,
        "page": paginate(request, selectors.staff_items(commune=commune, category=category, query=query)),
        "categories": selectors.categories(), "category": category, "query": query,
        "can_manage": r.can_manage(request.user, commune.path),
        "form": form or f.ItemForm(prefix="item", initial={"posted_on": timezone.localdate(),
                                                           "year": timezone.localdate().year}),
    }, status=status)


@login_required
@not_found_as_404
@require_http_methods(["GET", "POST"])
def commune(request: HttpRequest, code: str) -> HttpResponse:
    _official(request)
    if request.method == "GET":
        return _commune_page(request, code)
    unit = selectors.commune_for(actor=request.user, code=code)
    form = f.ItemForm(request.POST, request.FILES, prefix="item")
    user = request.user
    created: list[DisclosureItem] = []

    def create(d: dict[str, Any]) -> services.Posted:
        posted = services.item_create(
            actor=user, commune=unit, category=d["category"], title=d["title"], content=d["content"],
            posted_on=d["posted_on"], year=d["year"], quarter=d["quarter"], taken_down_on=d["taken_down_on"],
            short_reason=d["short_reason"], files=_files(d))
        created.append(posted.item)
        return posted

    if _attempt(request, form, create, _("Đã đăng thông tin công khai.")):
        return redirect("disclosures_staff:item", created[0].pk)
    return _commune_page(request, code, form=form, status=400)


@login_required
@not_found_as_404
@require_GET
def commune_export(request: HttpRequest, code: str) -> HttpResponse:
    _official(request)
    unit = selectors.commune_for(actor=request.user, code=code)
    year = _year(request)
    findings = compliance.commune_findings(path=unit.path, year=year, today=timezone.localdate())
    return exports.commune_workbook(commune=unit, findings=findings, year=year)


@login_required
@not_found_as_404
@require_http_methods(["GET", "POST"])
def item(request: HttpRequest, pk: int) -> HttpResponse:
    _official(request)
    obj = selectors.item_get(actor=request.user, pk=pk)
    user = request.user
    initial = {"title": obj.title, "content": obj.content, "year": obj.year, "quarter": obj.quarter,
               "posted_on": obj.posted_on}
    today = timezone.localdate()
    specs: dict[str, tuple[Callable[..., forms.Form], Callable[[dict[str, Any]], Any], str]] = {
        "edit": (lambda *a, **k: f.ItemEditForm(*a, **{"initial": initial, **k}),
                 lambda d: services.item_update(actor=user, item=obj, title=d["title"], content=d["content"],
                                                posted_on=d["posted_on"], year=d["year"], quarter=d["quarter"]),
                 _("Đã cập nhật thông tin công khai.")),
        "down": (lambda *a, **k: f.TakeDownForm(*a, **{"initial": {"taken_down_on": today}, **k}),
                 lambda d: services.item_take_down(actor=user, item=obj, taken_down_on=d["taken_down_on"],
                                                   reason=d["reason"]),
                 _("Đã kết thúc công khai.")),
        "channel": (lambda *a, **k: f.ChannelForm(*a, commune=obj.unit, **{"initial": {"starts_on": today}, **k}),
                    lambda d: services.channel_add(actor=user, item=obj, kind=d["kind"], starts_on=d["starts_on"],
                                                   days=d["days"], village=d["village"], note=d["note"]),
                    _("Đã ghi nhận hình thức công khai.")),
        "attach": (f.AttachForm, lambda d: services.item_attach(actor=user, item=obj, files=_files(d)),
                   _("Đã đính kèm tệp.")),
    }
    bound: dict[str, forms.Form] = {}
    status = 200
    if request.method == "POST":
        name = request.POST.get("action", "")
        if name not in specs:
            return redirect("disclosures_staff:item", obj.pk)
        make, action, done = specs[name]
        form = make(request.POST, request.FILES, prefix=name)
        if _attempt(request, form, action, done):
            return redirect("disclosures_staff:item", obj.pk)
        bound[name], status = form, 400
    context_forms = {f"{name}_form": bound.get(name) or make(prefix=name) for name, (make, _a, _d) in specs.items()}
    obj.refresh_from_db()
    return render(request, "disclosures/staff/item.html", {
        "item": obj, "commune": obj.unit, "files": selectors.attachments(obj),
        "channels": obj.channels.select_related("village", "recorded_by"),
        "questions": obj.questions.select_related("case"), "can_manage": r.can_manage(user, obj.unit_path),
        "relay_kinds": [k.value for k in RELAY_KINDS], "today": today, **context_forms,
    }, status=status)
