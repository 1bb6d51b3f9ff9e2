"""Officials' overview of cases: counts by field, status, unit and kind, and the cases on a map.

Every read starts from ``selectors.case_visible_q``, the same condition as the inbox, so an
official's figures add up to exactly the cases they could open (denunciations included only
where they may see them). Figures are aggregate queries (``values().annotate(Count)``): one
row per group, never one per case. The map's points carry case facts only — code, kind,
field, unit, status, deadline — never a title, a description, a submitter or a denouncer.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from danvan.accounts.selectors import is_system_admin, scope_paths
from danvan.core.errors import NotFoundOrForbidden
from danvan.core.search import search
from danvan.units.models import Level, Unit
from danvan.units.search_index import UNIT_FTS_TABLE
from danvan.units.selectors import subtree_q, subtrees_q

from .models import OPEN_STATES, RUNNING_STATES, Case, Field, Kind, State
from .rules import CASE_VIEW_ROLES
from .selectors import case_visible_q

# Pseudo-statuses of the status filter, beside the workflow states.
STATUS_OPEN = "open"
STATUS_OVERDUE = "overdue"
MAP_MAX_POINTS = 1000
UNIT_SEARCH_LIMIT = 20

# One colour per state, shared by the map markers, the charts and the legends.
STATUS_COLOURS: dict[str, str] = {
    State.RECEIVED: "#2563eb",
    State.ACCEPTED: "#0891b2",
    State.ASSIGNED: "#7c3aed",
    State.IN_PROGRESS: "#d97706",
    State.AWAITING_INFO: "#a16207",
    State.ANSWER_DRAFTED: "#db2777",
    State.ANSWER_APPROVED: "#9d174d",
    State.ANSWERED: "#16a34a",
    State.CLOSED: "#4b5563",
    State.REOPENED: "#ea580c",
    State.REFUSED: "#78716c",
    State.MERGED: "#a8a29e",
}


@dataclass(frozen=True)
class OverviewFilters:
    """What the overview asks for; every filter is optional. ``unit`` is already checked in scope."""

    unit: Unit | None = None
    field: str = ""  # Field.code
    kind: str = ""
    status: str = ""  # a State value, STATUS_OPEN or STATUS_OVERDUE
    start: dt.date | None = None  # received on or after
    end: dt.date | None = None  # received on or before
    today: dt.date | None = None  # "overdue" relative to this day (default: today)

    def day(self) -> dt.date:
        return self.today or timezone.localdate()


def overdue_q(today: dt.date) -> Q:
    """Cases past their deadline whose clock still runs (a paused or closed case is not overdue)."""
    return Q(status__in=RUNNING_STATES, due_on__lt=today)


def _local_midnight(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def overview_roots(*, actor: Any) -> list[str]:
    """Unit paths at the top of the actor's case scope (every tree for a national administrator)."""
    if is_system_admin(actor):
        return scope_paths(actor) if getattr(actor, "is_superuser", False) else scope_paths(
            actor, roles=CASE_VIEW_ROLES)
    return scope_paths(actor, roles=CASE_VIEW_ROLES)


def overview_unit_get(*, actor: Any, unit_id: int) -> Unit:
    """A unit the actor may filter by (within the case scope); NotFoundOrForbidden otherwise."""
    unit = Unit.objects.select_related("parent").filter(pk=unit_id).first()
    if unit is None or not any(unit.path.startswith(root) for root in overview_roots(actor=actor)):
        raise NotFoundOrForbidden()
    return unit


def overview_root_units(*, actor: Any) -> list[Unit]:
    """The units at the top of the actor's case scope, in path order."""
    return list(Unit.objects.filter(path__in=overview_roots(actor=actor)).order_by("path"))


def overview_unit_trail(*, actor: Any, unit: Unit) -> list[Unit]:
    """``unit`` and its ancestors that lie within the actor's scope, top first (for breadcrumbs)."""
    roots = overview_roots(actor=actor)
    parts = unit.path.split(".")[:-1]
    paths = [".".join(parts[:i]) + "." for i in range(1, len(parts) + 1)]
    inside = [p for p in paths if any(p.startswith(root) for root in roots)]
    return list(Unit.objects.filter(path__in=inside).order_by("path"))


def overview_unit_children(*, unit: Unit) -> list[Unit]:
    """Units directly under ``unit`` (active or dissolved: old cases may point at either)."""
    return list(Unit.objects.filter(parent=unit).order_by("search_text", "path"))


def overview_unit_search(*, actor: Any, query: str) -> list[Unit]:
    """Accent-insensitive search over the units of the actor's scope (provinces to villages)."""
    roots = overview_roots(actor=actor)
    if not roots or not query.strip():
        return []
    qs = Unit.objects.filter(subtrees_q(roots), level__gte=Level.PROVINCE).select_related("parent")
    return list(search(qs, query, extra_order=("level",), limit=UNIT_SEARCH_LIMIT, fts_table=UNIT_FTS_TABLE))


def overview_cases(*, actor: Any, filters: OverviewFilters) -> QuerySet[Case]:
    """The cases the actor may see, narrowed by the filters, unordered (for aggregates)."""
    qs = Case.objects.filter(case_visible_q(actor))
    if filters.unit is not None:
        qs = qs.filter(subtree_q(filters.unit.path, field="unit_path"))
    if filters.field:
        qs = qs.filter(field__code=filters.field)
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.status == STATUS_OPEN:
        qs = qs.filter(status__in=OPEN_STATES)
    elif filters.status == STATUS_OVERDUE:
        qs = qs.filter(overdue_q(filters.day()))
    elif filters.status:
        qs = qs.filter(status=filters.status)
    # Bounds as instants, not received_at__date: the index on received_at stays usable.
    if filters.start is not None:
        qs = qs.filter(received_at__gte=_local_midnight(filters.start))
    if filters.end is not None:
        qs = qs.filter(received_at__lt=_local_midnight(filters.end + dt.timedelta(days=1)))
    return qs.order_by()


# --- counts -------------------------------------------------------------------------------

@dataclass
class CountRow:
    """One line of a counts table: a label, counts per column, and totals."""

    key: str
    label: str
    counts: dict[str, int] = field(default_factory=dict)
    total: int = 0
    open: int = 0
    overdue: int = 0
    link: str = ""  # for unit rows: the overview of that unit
    cells: list[tuple[str, int]] = field(default_factory=list)  # (column label, count), in column order


@dataclass
class Totals:
    total: int = 0
    open: int = 0
    overdue: int = 0
    with_point: int = 0


def overview_totals(*, actor: Any, filters: OverviewFilters) -> Totals:
    """How many cases match, how many are open, overdue, and placed on the map."""
    row = overview_cases(actor=actor, filters=filters).aggregate(
        total=Count("pk"), open=Count("pk", filter=Q(status__in=OPEN_STATES)),
        overdue=Count("pk", filter=overdue_q(filters.day())),
        with_point=Count("pk", filter=Q(latitude__isnull=False, longitude__isnull=False)))
    return Totals(**row)


@dataclass
class FieldStatusTable:
    """Counts by field (rows) and status (columns: only the states that occur, in workflow order)."""

    statuses: list[tuple[str, str]]
    rows: list[CountRow]
    totals: CountRow


def counts_by_field_status(*, actor: Any, filters: OverviewFilters) -> FieldStatusTable:
    today = filters.day()
    grouped = (overview_cases(actor=actor, filters=filters)
               .values("field_id", "status")
               .annotate(n=Count("pk"), late=Count("pk", filter=overdue_q(today))))
    known = list(Field.objects.order_by("order", "name").values_list("pk", "name"))
    names = dict(known)
    order = {pk: i for i, (pk, _name) in enumerate(known)}
    rows: dict[int, CountRow] = {}
    totals = CountRow(key="", label="")
    for g in grouped:
        row = rows.setdefault(g["field_id"], CountRow(key=str(g["field_id"]), label=names.get(g["field_id"], "")))
        for target in (row, totals):
            target.counts[g["status"]] = target.counts.get(g["status"], 0) + g["n"]
            target.total += g["n"]
            target.open += g["n"] if g["status"] in OPEN_STATES else 0
            target.overdue += g["late"]
    statuses = [(value, str(label)) for value, label in State.choices if totals.counts.get(value)]
    ordered = sorted(rows.values(), key=lambda r: order.get(int(r.key), len(order)))
    for row in [*ordered, totals]:
        row.cells = [(label, row.counts.get(value, 0)) for value, label in statuses]
    return FieldStatusTable(statuses=statuses, rows=ordered, totals=totals)


def counts_by_kind(*, actor: Any, filters: OverviewFilters) -> list[CountRow]:
    """Total, open and overdue cases of each kind (kinds without cases are left out)."""
    grouped = {g["kind"]: g for g in (
        overview_cases(actor=actor, filters=filters).values("kind")
        .annotate(n=Count("pk"), active=Count("pk", filter=Q(status__in=OPEN_STATES)),
                  late=Count("pk", filter=overdue_q(filters.day()))))}
    return [CountRow(key=value, label=str(label), total=grouped[value]["n"], open=grouped[value]["active"],
                     overdue=grouped[value]["late"])
            for value, label in Kind.choices if value in grouped]


@dataclass
class UnitTable:
    """Counts per unit one level below ``parent`` (or per scope root when several roots and none chosen)."""

    parent: Unit | None
    rows: list[CountRow]


def _child_path(path: str, depth: int) -> str:
    """The first ``depth`` codes of a path, as a path ("VN.01.00004.T3.", 3 → "VN.01.00004.")."""
    return ".".join(path.split(".")[:depth]) + "."


def counts_by_unit(*, actor: Any, filters: OverviewFilters, link: Any = None) -> UnitTable:
    """Cases per child unit of the chosen unit (or of the single scope root).

    The database groups by the case's unit path (one row per unit that has cases); the rows
    are then folded onto the child unit they lie under, so the work is per unit, not per case.
    Cases recorded on the parent unit itself get a row of their own. ``link(unit)`` gives the
    address of a unit's own overview, for drilling down.
    """
    roots = overview_roots(actor=actor)
    parent = filters.unit
    if parent is None and len(roots) == 1:
        parent = Unit.objects.filter(path=roots[0]).first()
    if parent is not None:
        depth = parent.path.count(".") + 1
        def bucket(path: str) -> str:
            return path if path == parent.path else _child_path(path, depth)
    else:
        def bucket(path: str) -> str:
            return next((r for r in roots if path.startswith(r)), path)

    today = filters.day()
    grouped = (overview_cases(actor=actor, filters=filters).values("unit_path")
               .annotate(n=Count("pk"), active=Count("pk", filter=Q(status__in=OPEN_STATES)),
                         late=Count("pk", filter=overdue_q(today))))
    rows: dict[str, CountRow] = {}
    for g in grouped:
        key = bucket(g["unit_path"])
        row = rows.setdefault(key, CountRow(key=key, label=""))
        row.total += g["n"]
        row.open += g["active"]
        row.overdue += g["late"]
    units = {u.path: u for u in Unit.objects.filter(path__in=list(rows))}
    for key, row in rows.items():
        unit = units.get(key)
        if unit is None:
            row.label = key
        elif parent is not None and key == parent.path:
            row.label = _("%(unit)s (ghi nhận trực tiếp tại đơn vị)") % {"unit": unit.name}
        else:
            row.label = unit.name
            if link is not None:
                row.link = link(unit)
    ordered = sorted(rows.values(), key=lambda r: (-r.total, r.label))
    return UnitTable(parent=parent, rows=ordered)


# --- map -----------------------------------------------------------------------------------

def overview_points(*, actor: Any, filters: OverviewFilters) -> QuerySet[Case]:
    """Cases with a point on the map, newest first (for the list under the map)."""
    return (overview_cases(actor=actor, filters=filters)
            .filter(latitude__isnull=False, longitude__isnull=False)
            .select_related("field", "unit").defer("search_text", "description")
            .order_by("-received_at", "-id"))


def case_geojson(*, actor: Any, filters: OverviewFilters, limit: int = MAP_MAX_POINTS) -> dict[str, Any]:
    """A GeoJSON FeatureCollection of at most ``limit`` cases with a point, newest first.

    ``meta`` says how many are shown of how many match (``shown``/``total``) and how many
    matching cases have no point. Properties are case facts only: no title, no description,
    no submitter, no denouncer, no handler.
    """
    today = filters.day()
    kinds = dict(Kind.choices)
    states = dict(State.choices)
    base = overview_cases(actor=actor, filters=filters)
    counts = base.aggregate(total=Count("pk", filter=Q(latitude__isnull=False, longitude__isnull=False)),
                            without=Count("pk", filter=Q(latitude__isnull=True) | Q(longitude__isnull=True)))
    rows = (base.filter(latitude__isnull=False, longitude__isnull=False).order_by("-received_at", "-id")
            .values_list("code", "kind", "status", "due_on", "latitude", "longitude", "field__name",
                         "unit__name")[:limit])
    features = []
    for code, kind, status, due_on, lat, lon, field_name, unit_name in rows:
        overdue = bool(status in RUNNING_STATES and due_on is not None and due_on < today)
        features.append({
            "type": "Feature",
            # GeoJSON orders coordinates longitude first (RFC 7946).
            "geometry": {"type": "Point", "coordinates": [round(lon or 0.0, 6), round(lat or 0.0, 6)]},
            "properties": {
                "code": code, "kind": kind, "kind_label": str(kinds.get(kind, kind)),
                "field": field_name, "unit": unit_name,
                "status": status, "status_label": str(states.get(status, status)),
                "colour": STATUS_COLOURS.get(status, "#4b5563"),
                "due_on": due_on.isoformat() if due_on else None,
                "overdue": overdue, "overdue_days": (today - due_on).days if overdue and due_on else 0,
                "url": reverse("cases_staff:detail", args=[code]),
            },
        })
    return {
        "type": "FeatureCollection",
        "features": features,
        "meta": {"shown": len(features), "total": counts["total"], "without_point": counts["without"],
                 "limit": limit},
    }
