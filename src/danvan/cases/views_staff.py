"""Officials' inbox: the cases in their scope, by tab, filter and sort; exports; bulk assignment.

The case page and its actions live in ``views_case``."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from danvan.core.pagination import paginate_capped

from . import exports
from .forms_staff import bulk_handler_candidates
from .models import Field, Kind, State
from .selectors import SORTS, CaseFilters, case_list, case_search_page_ids, case_tab_counts, with_inbox_tab
from .views_case import can_bulk_assign, require_official

TABS: dict[str, Any] = {
    "mine": gettext_lazy("Được giao cho tôi"),
    "unit": gettext_lazy("Toàn đơn vị"),
    "overdue": gettext_lazy("Quá hạn"),
    "approval": gettext_lazy("Chờ duyệt"),
}
DEFAULT_TAB = "unit"
SORT_LABELS: dict[str, Any] = {
    # Empty: by deadline, or newest first for a search (selectors.SEARCH_SORT).
    "": gettext_lazy("Mặc định (khi tìm kiếm: mới tiếp nhận trước)"),
    "due_on": gettext_lazy("Hạn giải quyết gần nhất"),
    "-due_on": gettext_lazy("Hạn giải quyết xa nhất"),
    "-received_at": gettext_lazy("Mới tiếp nhận"),
    "received_at": gettext_lazy("Tiếp nhận sớm nhất"),
    "-updated_at": gettext_lazy("Mới cập nhật"),
}
EMPTY: dict[str, Any] = {
    "mine": gettext_lazy("Chưa có hồ sơ nào được giao cho bạn."),
    "unit": gettext_lazy("Không có hồ sơ nào thuộc phạm vi phụ trách phù hợp với điều kiện lọc."),
    "overdue": gettext_lazy("Không có hồ sơ quá hạn."),
    "approval": gettext_lazy("Không có văn bản trả lời nào chờ duyệt."),
}


def _filters(request: HttpRequest, tab: str) -> CaseFilters:
    status = tuple(s for s in request.GET.getlist("status") if s in State.values)
    kind = request.GET.get("kind", "")
    sort = request.GET.get("sort", "")
    return with_inbox_tab(CaseFilters(
        status=status,
        kind=kind if kind in Kind.values else "",
        field=request.GET.get("field", "").strip()[:40],
        q=request.GET.get("q", "").strip()[:200],
        sort=sort if sort in SORTS else "",
    ), tab)


@login_required
@require_GET
def inbox(request: HttpRequest) -> HttpResponse:
    """The inbox page, or its export (?format=csv|xlsx) with the same tab and filters."""
    require_official(request)
    tab = request.GET.get("tab", DEFAULT_TAB)
    tab = tab if tab in TABS else DEFAULT_TAB
    filters = _filters(request, tab)
    cases = case_list(actor=request.user, filters=filters)
    stamp = timezone.localdate().strftime("%Y%m%d")
    export = request.GET.get("format", "")
    if export == "csv":
        response = HttpResponse(exports.to_csv(cases), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="ho-so-{stamp}.csv"'
        return response
    if export == "xlsx":
        response = HttpResponse(
            exports.to_xlsx(cases),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        response["Content-Disposition"] = f'attachment; filename="ho-so-{stamp}.xlsx"'
        return response

    # The count stops at 1,000 and a search finds its page among the newest cases: a province's
    # inbox holds a million (docs/performance.md, issue 3).
    page = paginate_capped(request, cases, page_ids=case_search_page_ids(actor=request.user, filters=filters))
    today = timezone.localdate()
    rows = [{"case": c, "overdue_days": exports.overdue_days(c, today)} for c in page.object_list]
    # Each tab counted up to the same cap as the list ("hơn 1.000").
    counts = case_tab_counts(actor=request.user, filters=filters)
    tabs = [{"key": key, "label": label, "count": counts[key].count, "capped": counts[key].capped,
             "active": key == tab} for key, label in TABS.items()]
    context = {
        "tab": tab,
        "tabs": tabs,
        "filters": filters,
        "page": page,
        "rows": rows,
        "empty_message": EMPTY[tab],
        "states": State.choices,
        "kinds": Kind.choices,
        "fields": Field.objects.filter(active=True).order_by("order", "name").values_list("code", "name"),
        "sorts": list(SORT_LABELS.items()),
        # Bulk assignment (views_case.bulk_assign): leaders only, handlers they lead.
        "bulk_handlers": bulk_handler_candidates(actor=request.user) if can_bulk_assign(request.user) else None,
    }
    return render(request, "cases/staff/inbox.html", context)
