"""Officials' overview of the cases in their scope: counts with charts, and a map.

Both pages read their filters from the address, so every view is a link that can be shared
and works with JavaScript off: the charts are drawn over data tables that stay on the page,
and the map has a list of the same cases under it. The map's points come from a JSON
endpoint with the same filters (GeoJSON, capped, case facts only).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from danvan.accounts.rules import is_official
from danvan.core.errors import NotFoundOrForbidden
from danvan.core.pagination import paginate
from danvan.units.models import Unit

from . import exports_overview
from .forms_overview import OverviewForm
from .models import RUNNING_STATES, State
from .selectors_overview import (
    MAP_MAX_POINTS,
    STATUS_COLOURS,
    FieldStatusTable,
    OverviewFilters,
    UnitTable,
    case_geojson,
    counts_by_field_status,
    counts_by_kind,
    counts_by_unit,
    overview_points,
    overview_root_units,
    overview_totals,
    overview_unit_children,
    overview_unit_get,
    overview_unit_search,
    overview_unit_trail,
)
from .views_public import DEFAULT_MAP_TILES

# Bars beyond this many units make a chart unreadable; the table below it lists them all.
CHART_MAX_UNITS = 30
CSV_TABLES = ("field", "unit", "kind")
FILTER_KEYS = ("start", "end", "field", "kind", "status", "unit")


def _require_official(request: HttpRequest) -> None:
    if not is_official(request.user):
        raise PermissionDenied(_("Chỉ cán bộ mới được xem số liệu tổng hợp hồ sơ."))


@dataclass
class Parsed:
    form: OverviewForm
    filters: OverviewFilters
    unit: Unit | None
    unit_error: str


def _parse(request: HttpRequest) -> Parsed:
    """The filters in the address; an out-of-scope or unknown unit is a 404 like any other object."""
    form = OverviewForm(request.GET)
    form.is_valid()
    data = form.cleaned_data
    unit = None
    unit_error = ""
    raw_unit = request.GET.get("unit", "").strip()
    if raw_unit:
        if not raw_unit.isdigit() or len(raw_unit) > 12:
            unit_error = _("Đơn vị không hợp lệ.")
        else:
            try:
                unit = overview_unit_get(actor=request.user, unit_id=int(raw_unit))
            except NotFoundOrForbidden:
                raise Http404(_("Không tìm thấy đơn vị trong phạm vi phụ trách.")) from None
    filters = OverviewFilters(unit=unit, field=data.get("field") or "", kind=data.get("kind") or "",
                              status=data.get("status") or "", start=data.get("start"), end=data.get("end"),
                              today=timezone.localdate())
    return Parsed(form=form, filters=filters, unit=unit, unit_error=unit_error)


def _query(request: HttpRequest, **changes: Any) -> str:
    """The current filters as a query string, with ``changes`` (None drops a key)."""
    params = {k: request.GET.get(k, "") for k in FILTER_KEYS if request.GET.get(k, "")}
    for key, value in changes.items():
        if value is None:
            params.pop(key, None)
        else:
            params[key] = str(value)
    return urlencode(params)


def _unit_context(request: HttpRequest, parsed: Parsed) -> dict[str, Any]:
    """What the unit picker needs: where we are, where we can go, and search matches."""
    actor = request.user
    roots = overview_root_units(actor=actor)
    unit = parsed.unit
    current: Unit | None
    if unit is None and len(roots) == 1:
        current = roots[0]
        children = overview_unit_children(unit=current)
    else:
        current = unit
        children = overview_unit_children(unit=unit) if unit is not None else []
    unit_q = parsed.form.cleaned_data.get("unit_q") or ""
    matches = overview_unit_search(actor=actor, query=unit_q) if unit_q else []
    base = reverse(request.resolver_match.view_name) if request.resolver_match else ""
    return {
        "roots": roots,
        "unit": unit,
        "trail": overview_unit_trail(actor=actor, unit=unit) if unit is not None else [],
        "children": children,
        "current_unit": current,
        "unit_q": unit_q,
        "unit_matches": [{"unit": u, "url": f"{base}?{_query(request, unit=u.pk)}"} for u in matches],
        "unit_error": parsed.unit_error,
        "clear_unit_url": f"{base}?{_query(request, unit=None)}",
        "stats_url": f"{reverse('cases_overview:stats')}?{_query(request)}",
        "map_url": f"{reverse('cases_overview:map')}?{_query(request)}",
    }


def _chart_data(fields: FieldStatusTable, units: UnitTable, kinds: list[Any]) -> dict[str, Any]:
    top_units = units.rows[:CHART_MAX_UNITS]
    return {
        "text": {"total": _("Tổng số"), "open": _("Đang giải quyết"), "overdue": _("Quá hạn")},
        "fields": {
            "labels": [row.label for row in fields.rows],
            "datasets": [{"label": label, "colour": STATUS_COLOURS.get(value, "#4b5563"),
                          "data": [row.counts.get(value, 0) for row in fields.rows]}
                         for value, label in fields.statuses],
        },
        "units": {"labels": [row.label for row in top_units], "total": [row.total for row in top_units],
                  "open": [row.open for row in top_units], "overdue": [row.overdue for row in top_units]},
        "kinds": {"labels": [row.label for row in kinds], "total": [row.total for row in kinds],
                  "open": [row.open for row in kinds], "overdue": [row.overdue for row in kinds]},
    }


def _download(content: bytes, *, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
@require_GET
def stats(request: HttpRequest) -> HttpResponse:
    """Counts by field and status, by unit and by kind, with charts; ?format=csv|xlsx exports them."""
    _require_official(request)
    parsed = _parse(request)
    actor, filters = request.user, parsed.filters

    def unit_link(unit: Unit) -> str:
        return f"{reverse('cases_overview:stats')}?{_query(request, unit=unit.pk)}"

    fields = counts_by_field_status(actor=actor, filters=filters)
    units = counts_by_unit(actor=actor, filters=filters, link=unit_link)
    kinds = counts_by_kind(actor=actor, filters=filters)
    export = request.GET.get("format", "")
    if export and not parsed.form.errors and not parsed.unit_error:
        stamp = timezone.localdate().strftime("%Y%m%d")
        sheets = {"field": exports_overview.field_sheet(fields), "unit": exports_overview.unit_sheet(units),
                  "kind": exports_overview.kind_sheet(kinds)}
        if export == "csv":
            table = request.GET.get("table", "field")
            table = table if table in CSV_TABLES else "field"
            return _download(exports_overview.to_csv(sheets[table]), filename=f"tong-hop-{table}-{stamp}.csv",
                             content_type="text/csv; charset=utf-8")
        if export == "xlsx":
            return _download(exports_overview.to_xlsx(list(sheets.values())), filename=f"tong-hop-{stamp}.xlsx",
                             content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    context = {
        **_unit_context(request, parsed),
        "form": parsed.form,
        "totals": overview_totals(actor=actor, filters=filters),
        "fields_table": fields,
        "units_table": units,
        "kinds_rows": kinds,
        "chart_data": _chart_data(fields, units, kinds),
        "chart_max_units": CHART_MAX_UNITS,
        "export_query": _query(request),
    }
    return render(request, "cases/staff/stats.html", context)


@login_required
@require_GET
def map_page(request: HttpRequest) -> HttpResponse:
    """The map of cases; without JavaScript, the list of the same cases under it."""
    _require_official(request)
    parsed = _parse(request)
    actor, filters = request.user, parsed.filters
    totals = overview_totals(actor=actor, filters=filters)
    page = paginate(request, overview_points(actor=actor, filters=filters))
    today = filters.day()
    rows = [{"case": c, "overdue_days": (today - c.due_on).days
             if c.status in RUNNING_STATES and c.due_on and c.due_on < today else 0} for c in page.object_list]
    current = _unit_context(request, parsed)
    centre = current["current_unit"]
    context = {
        **current,
        "form": parsed.form,
        "totals": totals,
        "without_point": totals.total - totals.with_point,
        "shown": min(totals.with_point, MAP_MAX_POINTS),
        "max_points": MAP_MAX_POINTS,
        "page": page,
        "rows": rows,
        "legend": [(value, label, STATUS_COLOURS[value]) for value, label in State.choices],
        "data_url": f"{reverse('cases_overview:map_data')}?{_query(request)}",
        "map_tiles": getattr(settings, "DANVAN_MAP_TILES", DEFAULT_MAP_TILES),
        "map_centre": json.dumps([centre.latitude, centre.longitude]
                                 if centre is not None and centre.latitude is not None
                                 and centre.longitude is not None else None),
    }
    return render(request, "cases/staff/map.html", context)


@login_required
@require_GET
def map_data(request: HttpRequest) -> HttpResponse:
    """GeoJSON of the filtered cases with a point (at most MAP_MAX_POINTS, newest first)."""
    _require_official(request)
    parsed = _parse(request)
    if parsed.form.errors or parsed.unit_error:
        errors = {name: [str(e) for e in errs] for name, errs in parsed.form.errors.items()}
        if parsed.unit_error:
            errors["unit"] = [parsed.unit_error]
        return JsonResponse({"errors": errors}, status=400)
    data = case_geojson(actor=request.user, filters=parsed.filters, limit=MAP_MAX_POINTS)
    data["meta"]["note"] = _("Đang hiển thị %(shown)s trên tổng số %(total)s hồ sơ có vị trí.") % {
        "shown": data["meta"]["shown"], "total": data["meta"]["total"]}
    return JsonResponse(data, content_type="application/geo+json", json_dumps_params={"ensure_ascii": False})
