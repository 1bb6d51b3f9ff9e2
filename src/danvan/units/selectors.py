"""Reads of the unit tree. Scoped reads for an actor live in ``accounts.selectors``."""

from __future__ import annotations

from django.db import connection
from django.db.models import Q, QuerySet

from danvan.core.search import search

from .models import Era, Level, Status, Unit
from .search_index import UNIT_FTS_TABLE


def subtree_q(path: str, *, field: str = "path") -> Q:
    """Rows whose ``field`` lies in the subtree rooted at ``path`` (itself included).

    Paths end in a dot, so the subtree is the key range [path, path-with-last-dot-as-"/").
    SQLite compares bytes, so that range is an index range scan. PostgreSQL's default
    collation ignores punctuation when comparing, which breaks such a range, so there we use
    LIKE 'prefix%', which the varchar_pattern_ops index answers.
    """
    if connection.vendor == "postgresql":
        return Q(**{f"{field}__startswith": path})
    upper = path[:-1] + "/"
    return Q(**{f"{field}__gte": path, f"{field}__lt": upper})


def subtrees_q(paths: list[str], *, field: str = "path") -> Q:
    """Union of several subtrees; an empty list matches nothing."""
    if not paths:
        return Q(pk__in=[])
    condition = Q()
    for p in paths:
        condition |= subtree_q(p, field=field)
    return condition


def unit_get(*, code: str, level: int | None = None, era: str = Era.CURRENT) -> Unit:
    """One unit by official code (provinces, communes) in the given era."""
    qs = Unit.objects.filter(era=era, code=code)
    if level is not None:
        qs = qs.filter(level=level)
    return qs.get()


def unit_children(*, unit: Unit, include_dissolved: bool = False) -> QuerySet[Unit]:
    """The units directly under ``unit``, by name; active ones unless asked otherwise."""
    qs = Unit.objects.filter(parent=unit)
    if not include_dissolved:
        qs = qs.filter(status=Status.ACTIVE)
    return qs.order_by("name")


def provinces(*, era: str = Era.CURRENT) -> QuerySet[Unit]:
    """Active provinces and centrally-run cities, in alphabetical (folded) order."""
    return Unit.objects.filter(era=era, level=Level.PROVINCE, status=Status.ACTIVE).order_by("search_text")


def unit_search(*, query: str, max_level: int = Level.VILLAGE, parent: Unit | None = None,
                era: str = Era.CURRENT, include_dissolved: bool = False, limit: int | None = None) -> QuerySet[Unit]:
    """Accent-insensitive ranked search over units: exact, then prefix, then higher levels."""
    qs = Unit.objects.filter(era=era, level__lte=max_level, level__gte=Level.PROVINCE)
    if not include_dissolved:
        qs = qs.filter(status=Status.ACTIVE)
    if parent is not None:
        qs = qs.filter(subtree_q(parent.path))
    return search(qs.select_related("parent"), query, extra_order=("level",), limit=limit, fts_table=UNIT_FTS_TABLE)


def level_counts(*, era: str = Era.CURRENT) -> dict[str, dict[str, int]]:
    """Active unit counts by level and by kind, for `danvan units stats`."""
    from django.db.models import Count

    out: dict[str, dict[str, int]] = {}
    rows = (Unit.objects.filter(era=era, status=Status.ACTIVE).values("level", "kind")
            .annotate(n=Count("id")).order_by("level", "kind"))
    for row in rows:
        level = Level(row["level"]).name.lower()
        out.setdefault(level, {})[row["kind"]] = row["n"]
    return out
