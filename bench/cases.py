"""What the bench times, and the budgets each operation must meet.

Every operation is the code path the application runs (the real selectors), on the
national data set: 34 provinces, 3,321 communes, ~60,000 villages, plus the legacy tree.
Imported only inside a worker, after ``django.setup()``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import QuerySet

from danvan.accounts.models import User
from danvan.accounts.selectors import clear_scope_cache, scope_paths, units_in_scope
from danvan.units.models import Era, Level, Unit
from danvan.units.selectors import subtree_q, unit_search

# The province whose subtree is queried (Hà Nội: 126 communes, ~2,300 villages at scale).
PROVINCE = "01"
# The provincial official whose scope is listed; made by `danvan demo-data`.
PROVINCIAL_OFFICIAL = "hanoi.lanhdao"
SEARCH_LIMIT = 20
# What people type into a unit search box: no accents, accents, the new tone placement
# ("Hoá", "Thuỷ"), partial words, type words, very short prefixes.
SEARCH_QUERIES = (
    "phuong ba dinh",
    "Phường Ba Đình",
    "ba dinh",
    "thanh hoa",
    "Thanh Hoá",
    "xa tan",
    "ho",
    "hoà bình",
    "thuỷ",
    "tan hoa",
    "thon dong",
    "to dan pho so 5",
    "ap tan",
    "dak lak",
    "ha noi",
    "nguyen",
    "quang tr",
    "sơn",
)


@dataclass(frozen=True)
class Op:
    name: str
    group: str  # "baseline", "subtree", "scope" or "search"
    label: str
    run: Callable[[], Any]
    # The query behind the operation, for EXPLAIN (None: nothing to explain).
    queryset: Callable[[], QuerySet[Any]] | None = None


@dataclass(frozen=True)
class Budget:
    name: str
    label: str
    limit_ms: float
    # The operations whose samples are pooled for this budget.
    ops: tuple[str, ...]
    metric: str = "p95"


def build_ops() -> list[Op]:
    """The operations, bound to the data in the current database."""
    province = Unit.objects.get(era=Era.CURRENT, level=Level.PROVINCE, code=PROVINCE)
    official = User.objects.get(username=PROVINCIAL_OFFICIAL)
    path = province.path
    pk = province.pk

    def select_1() -> Any:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone()

    def subtree_qs() -> QuerySet[Unit]:
        return Unit.objects.filter(subtree_q(path))

    def scoped() -> QuerySet[Unit]:
        # Scope resolved once per request and cached on the user (accounts.selectors):
        # these time the subtree query that a scoped list runs, the budgeted part.
        return units_in_scope(actor=official)

    def resolve_scope() -> Any:
        # What a request pays once before its first scoped query: the actor's grants.
        clear_scope_cache(official)
        return scope_paths(official)

    ops = [
        Op("select_1", "baseline", "SELECT 1", select_1),
        Op("pk_lookup", "baseline", "Đọc một đơn vị theo khóa chính", lambda: Unit.objects.get(pk=pk),
           lambda: Unit.objects.filter(pk=pk)),
        Op("subtree_ids", "subtree", "Cây con Hà Nội: danh sách id",
           lambda: list(subtree_qs().values_list("id", flat=True)),
           lambda: subtree_qs().values_list("id", flat=True)),
        Op("subtree_count", "subtree", "Cây con Hà Nội: đếm", lambda: subtree_qs().count(),
           lambda: subtree_qs().values("id")),
        Op("scope_resolve", "scope", "scope_paths(lãnh đạo tỉnh), mỗi yêu cầu một lần", resolve_scope),
        Op("scope_count", "subtree", "units_in_scope(lãnh đạo tỉnh): đếm", lambda: scoped().count(),
           lambda: scoped().values("id")),
        Op("scope_page", "subtree", "units_in_scope(lãnh đạo tỉnh): trang 50 đơn vị đầu",
           lambda: list(scoped().order_by("path")[:50]), lambda: scoped().order_by("path")[:50]),
        Op("scope_ids", "subtree", "units_in_scope(lãnh đạo tỉnh): danh sách id",
           lambda: list(scoped().values_list("id", flat=True)),
           lambda: scoped().values_list("id", flat=True)),
    ]
    for query in SEARCH_QUERIES:
        ops.append(Op(f"search:{query}", "search", f"unit_search(“{query}”)[:{SEARCH_LIMIT}]",
                      _search_runner(query), _search_qs(query)))
    return ops


def _search_runner(query: str) -> Callable[[], Any]:
    return lambda: list(unit_search(query=query)[:SEARCH_LIMIT])


def _search_qs(query: str) -> Callable[[], QuerySet[Unit]]:
    return lambda: unit_search(query=query)[:SEARCH_LIMIT]


BASELINE = "pk_lookup"

BUDGETS = (
    Budget("subtree_ids", "Truy vấn cây con (id) p95 ≤ 5 ms", 5.0, ("subtree_ids",)),
    Budget("subtree_count", "Truy vấn cây con (đếm) p95 ≤ 5 ms", 5.0, ("subtree_count",)),
    Budget("scope_count", "units_in_scope đếm p95 ≤ 5 ms", 5.0, ("scope_count",)),
    Budget("scope_page", "units_in_scope trang đầu p95 ≤ 5 ms", 5.0, ("scope_page",)),
    Budget("scope_ids", "units_in_scope danh sách id p95 ≤ 5 ms", 5.0, ("scope_ids",)),
    Budget("unit_search", "Tìm đơn vị (tổ hợp truy vấn) p95 ≤ 20 ms", 20.0,
           tuple(f"search:{q}" for q in SEARCH_QUERIES)),
)
