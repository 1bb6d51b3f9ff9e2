"""Public portal and the officials' workspace home.

Every list page answers a plain GET (works with JavaScript off); when htmx asks for it
(filter-as-you-type), the same view returns only the results fragment.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django_otp import user_has_device

from danvan.units.models import Level, Status

from .selectors import (
    child_kind_counts,
    portal_children,
    portal_provinces,
    portal_search,
    portal_unit,
    unit_organisations,
    unit_predecessors,
    unit_successors,
    workspace_grants,
    workspace_scopes,
)

# A search box never needs more than this; longer input is cut rather than refused.
MAX_QUERY_LENGTH = 100


def _query(request: HttpRequest) -> str:
    return request.GET.get("q", "").strip()[:MAX_QUERY_LENGTH]


def _wants_fragment(request: HttpRequest) -> bool:
    """An htmx request for the results only (not a boosted page load or a history restore)."""
    htmx = getattr(request, "htmx", None)
    return htmx is not None and bool(htmx) and not htmx.boosted and not htmx.history_restore_request


def _render(request: HttpRequest, page: str, fragment: str, context: dict) -> HttpResponse:
    fragment_only = _wants_fragment(request)
    response = render(request, fragment if fragment_only else page, {**context, "fragment": fragment_only})
    # The same URL answers with a page or a fragment: caches must keep them apart.
    patch_vary_headers(response, ("HX-Request",))
    return response


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """The 34 provinces, and a search over every province and commune (accent-insensitive)."""
    query = _query(request)
    province_list = portal_provinces()
    context = {
        "provinces": province_list,
        "commune_total": sum(getattr(p, "commune_count", 0) for p in province_list),
        "query": query,
        "results": portal_search(query=query) if query else [],
    }
    return _render(request, "web/home.html", "web/_search_results.html", context)


@require_GET
def democracy(request: HttpRequest) -> HttpResponse:
    """Grassroots democracy in one place: the parts of Law 10/2022/QH15, each a module of its own."""
    return render(request, "web/democracy.html")


@require_GET
def unit_page(request: HttpRequest, code: str) -> HttpResponse:
    """A province (its communes, filterable) or a commune (its villages and organisations)."""
    unit = portal_unit(code=code)
    if unit is None:
        raise Http404(_("Không tìm thấy địa phương có mã này."))
    query = _query(request) if unit.level == Level.PROVINCE else ""
    kinds = child_kind_counts(unit=unit)
    context = {
        "unit": unit,
        "children": portal_children(unit=unit, query=query),
        "kinds": kinds,
        "total": sum(n for _label, n in kinds),
        "query": query,
    }
    is_province = unit.level == Level.PROVINCE
    # The filter fragment only needs the list; the full page also shows the unit's context.
    if not (is_province and _wants_fragment(request)):
        context.update({
            "organisations": unit_organisations(unit=unit),
            "predecessors": unit_predecessors(unit=unit),
            "successors": unit_successors(unit=unit) if unit.status != Status.ACTIVE else [],
        })
    if is_province:
        return _render(request, "web/province.html", "web/_communes.html", context)
    return render(request, "web/commune.html", context)


@login_required
@require_GET
def workspace(request: HttpRequest) -> HttpResponse:
    """The official's home: their roles, and the units at the top of their scope with counts."""
    user = request.user
    context = {
        "grants": workspace_grants(actor=user),
        "scopes": workspace_scopes(actor=user),
        "has_second_factor": user_has_device(user, confirmed=True),
    }
    return render(request, "web/workspace.html", context)


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness and database reachability, for load balancers."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return JsonResponse({"status": "ok", "database": connection.vendor})
