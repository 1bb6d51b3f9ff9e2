"""Reads shaped for the portal's pages: each page asks a fixed, small number of queries.

The public portal shows only what is public anyway (the official unit tree and the
organisations attached to it), so its reads take no actor; the workspace reads go through
``accounts.selectors`` and are limited to the actor's scope.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Case, CharField, Count, Q, QuerySet, Value, When

from danvan.accounts.models import RoleAssignment
from danvan.accounts.selectors import active_assignments, scope_roots, units_in_scope
from danvan.core.search import word_prefix_filter
from danvan.core.text import fold
from danvan.units.models import Era, Kind, Level, Organisation, OrganisationKind, Status, Unit, UnitSuccession
from danvan.units.selectors import provinces, subtree_q, unit_search

from .collation import place_key, short_name, vietnamese_key

# The order organisations are listed in: the People's Committee first (what a citizen looks
# for), then the order of OrganisationKind.
_ORGANISATION_ORDER = {kind: i for i, kind in enumerate(OrganisationKind.values)}


def portal_provinces() -> list[Unit]:
    """The 34 provinces in Vietnamese alphabetical order, each with ``commune_count``."""
    rows = provinces().annotate(
        commune_count=Count("children",
                            filter=Q(children__status=Status.ACTIVE, children__level=Level.COMMUNE)),
    )
    return sorted(rows, key=lambda u: place_key(u.name))


def portal_unit(*, code: str) -> Unit | None:
    """A current province or commune by official code, with its parent; None if unknown."""
    return (Unit.objects.filter(era=Era.CURRENT, code=code, level__in=[Level.PROVINCE, Level.COMMUNE])
            .select_related("parent").order_by("level").first())


def portal_children(*, unit: Unit, query: str = "") -> list[Unit]:
    """Active children of ``unit``, filtered by ``query`` (accent-insensitive word prefixes).

    Names that start with the query come first; within that, Vietnamese alphabetical order
    of the place name.
    """
    children: QuerySet[Unit] = Unit.objects.filter(parent=unit, status=Status.ACTIVE)
    condition = word_prefix_filter("search_text", query) if query else None
    if condition is None:
        return sorted(children, key=lambda u: place_key(u.name))
    folded = fold(query)

    def key(u: Unit) -> tuple[int, Any]:
        starts = fold(short_name(u.name)).startswith(folded) or fold(u.name).startswith(folded)
        return (0 if starts else 1, place_key(u.name))

    return sorted(children.filter(condition), key=key)


def portal_search(*, query: str, limit: int = 30) -> list[Unit]:
    """Provinces and communes anywhere in the country matching ``query``, best first."""
    return list(unit_search(query=query, max_level=Level.COMMUNE, limit=limit))


def child_kind_counts(*, unit: Unit) -> list[tuple[str, int]]:
    """(kind label, count) of the active children of ``unit``, most frequent first: 75 xã, 51 phường."""
    rows = (Unit.objects.filter(parent=unit, status=Status.ACTIVE).values("kind")
            .annotate(n=Count("pk")).order_by())
    labels = dict(Kind.choices)
    return sorted(((str(labels.get(r["kind"], r["kind"])), r["n"]) for r in rows),
                  key=lambda kv: (-kv[1], vietnamese_key(kv[0])))


def unit_organisations(*, unit: Unit) -> list[Organisation]:
    """The active organisations attached to ``unit`` (UBND, HĐND, Đảng ủy, MTTQ, đoàn thể…)."""
    rows = list(Organisation.objects.filter(unit=unit, active=True))
    return sorted(rows, key=lambda o: (_ORGANISATION_ORDER.get(o.kind, len(_ORGANISATION_ORDER)),
                                       vietnamese_key(o.name)))


def unit_predecessors(*, unit: Unit) -> list[UnitSuccession]:
    """The units before a reorganisation (01/7/2025 or later) that ``unit`` was formed from.

    A unit that only carried over one predecessor of the same name, whole, was not changed:
    nothing to tell, so nothing is returned. Each row gets ``where``: the old district and,
    when it differs from today's, the old province, so "Phường Kim Mã (Quận Ba Đình)" can be
    told apart from a namesake.
    """
    rows = list(UnitSuccession.objects.filter(successor=unit)
                .select_related("predecessor", "predecessor__parent", "predecessor__parent__parent"))
    if len(rows) == 1 and not rows[0].partial and rows[0].predecessor.name == unit.name:
        return []
    # The province the unit lies in today (itself, for a province).
    province = unit.parent if unit.level == Level.COMMUNE and unit.parent is not None else unit
    current_province = province.name
    for row in rows:
        parts = []
        ancestor = row.predecessor.parent
        while ancestor is not None and ancestor.level >= Level.PROVINCE:
            if not (ancestor.level == Level.PROVINCE and ancestor.name == current_province):
                parts.append(ancestor.name)
            ancestor = ancestor.parent if ancestor.level > Level.PROVINCE else None
        row.where = ", ".join(parts)  # type: ignore[attr-defined]
    return sorted(rows, key=lambda s: place_key(s.predecessor.name))


def unit_successors(*, unit: Unit) -> list[Unit]:
    """The units that took over a dissolved ``unit``."""
    rows = list(Unit.objects.filter(successions_in__predecessor=unit).select_related("parent").distinct())
    return sorted(rows, key=lambda u: place_key(u.name))


@dataclass(frozen=True)
class ScopeSummary:
    """One unit at the top of an official's scope and what lies under it."""

    unit: Unit
    provinces: int
    communes: int
    villages: int


def workspace_grants(*, actor: Any) -> list[RoleAssignment]:
    """The actor's active role grants, ordered down the tree."""
    return list(active_assignments(actor).order_by("unit__path", "role"))


def workspace_scopes(*, actor: Any) -> list[ScopeSummary]:
    """The units at the top of the actor's scope, with counts of active units under each.

    One grouped query counts every root at once: scope roots never overlap (an ancestor's
    grant absorbs its descendants'), so each unit falls under exactly one root. The tree
    before 01/7/2025 (which a national grant also reaches) is history, not a working area:
    it gets no card.
    """
    roots = [r for r in scope_roots(actor=actor) if r.era == Era.CURRENT]
    if not roots:
        return []
    root_of = Case(*[When(subtree_q(r.path), then=Value(r.path)) for r in roots], output_field=CharField())
    rows = (
        units_in_scope(actor=actor)
        .filter(status=Status.ACTIVE, level__in=[Level.PROVINCE, Level.COMMUNE, Level.VILLAGE])
        # Only what lies below a root counts: a commune official has no communes "under" them.
        .exclude(path__in=[r.path for r in roots])
        .annotate(scope_root=root_of)
        .values("scope_root")
        .annotate(
            provinces=Count("pk", filter=Q(level=Level.PROVINCE)),
            communes=Count("pk", filter=Q(level=Level.COMMUNE)),
            villages=Count("pk", filter=Q(level=Level.VILLAGE)),
        )
        .order_by()
    )
    by_root = {row["scope_root"]: row for row in rows}
    empty = {"provinces": 0, "communes": 0, "villages": 0}
    return [
        ScopeSummary(unit=root, provinces=by_root.get(root.path, empty)["provinces"],
                     communes=by_root.get(root.path, empty)["communes"],
                     villages=by_root.get(root.path, empty)["villages"])
        for root in roots
    ]
