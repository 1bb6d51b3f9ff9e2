"""Reads of "Dân vận khéo" models: the public showcase (recognised models only) and the
officials' lists and statistics, scoped to the actor (``practice_visible_q`` is the
queryset twin of ``rules.can_view_practice``)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from danvan.accounts.selectors import is_system_admin, scope_q
from danvan.attachments.models import Attachment
from danvan.core.errors import NotFoundOrForbidden
from danvan.core.search import search
from danvan.units.models import Era, Level, Status, Unit
from danvan.units.selectors import subtree_q

from .models import PUBLIC_STATES, Indicator, Practice, PracticeField, Replication, State
from .models import Level as PracticeLevel
from .rules import VIEW_ROLES, acting, can_view_practice

IMAGE_TYPES = ("image/jpeg", "image/png", "image/webp")
# A family tree deeper or wider than this is shown cut (a safeguard, not a real limit).
TREE_MAX_NODES = 500


def practice_visible_q(actor: Any) -> Q:
    """Models the official may see in the workspace (same rule as ``rules.can_view_practice``)."""
    if not acting(actor):
        return Q(pk__in=[])
    if is_system_admin(actor):
        return Q()
    return scope_q(actor, field="unit_path", roles=VIEW_ROLES)


@dataclass(frozen=True)
class PracticeFilters:
    """What a gallery or a list asks for; every filter is optional."""

    q: str = ""
    field: str = ""  # PracticeField.code
    level: str = ""  # Level value: certified at commune or province level
    unit: Unit | None = None  # a province or commune: its subtree
    year: int | None = None
    status: str = ""
    kind: str = ""


def _filtered(qs: QuerySet[Practice], filters: PracticeFilters) -> QuerySet[Practice]:
    if filters.field:
        qs = qs.filter(field__code=filters.field)
    if filters.level:
        qs = qs.filter(certified_level=filters.level)
    if filters.unit is not None:
        qs = qs.filter(subtree_q(filters.unit.path, field="unit_path"))
    if filters.year:
        qs = qs.filter(year=filters.year)
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    qs = qs.select_related("field", "unit", "province", "village")
    if filters.q.strip():
        return search(qs, filters.q, extra_order=("-year",))
    return qs.order_by("-year", "name", "id")


def practice_public_list(*, filters: PracticeFilters | None = None) -> QuerySet[Practice]:
    """Recognised models for the public gallery, filtered; anyone may read them."""
    qs = Practice.objects.filter(status__in=PUBLIC_STATES).defer("description", "results")
    return _filtered(qs, filters or PracticeFilters())


def practice_list(*, actor: Any, filters: PracticeFilters | None = None) -> QuerySet[Practice]:
    """Models the official may see (any state), filtered; nothing for anonymous users."""
    qs = Practice.objects.filter(practice_visible_q(actor)).defer("description", "results")
    return _filtered(qs, filters or PracticeFilters())


def practice_public_get(*, pk: int) -> Practice:
    """A recognised model, for its public page; NotFoundOrForbidden otherwise."""
    practice = (Practice.objects.select_related("field", "unit", "province", "village")
                .filter(pk=pk, status__in=PUBLIC_STATES).first())
    if practice is None:
        raise NotFoundOrForbidden()
    return practice


def practice_get(*, actor: Any, pk: int) -> Practice:
    """A model the official may see, in any state; NotFoundOrForbidden otherwise."""
    practice = (Practice.objects.select_related("field", "unit", "province", "village", "registered_by")
                .filter(pk=pk).first())
    if practice is None or not can_view_practice(actor, practice):
        raise NotFoundOrForbidden()
    return practice


def active_fields() -> QuerySet[PracticeField]:
    return PracticeField.objects.filter(active=True).order_by("order", "name")


def field_choices() -> list[tuple[str, str]]:
    """The active fields as (code, name) pairs, for a filter's select."""
    return list(active_fields().values_list("code", "name"))


def public_years() -> list[int]:
    """Years that have at least one recognised model, newest first (for the gallery filter)."""
    return list(Practice.objects.filter(status__in=PUBLIC_STATES).order_by("-year")
                .values_list("year", flat=True).distinct())


@dataclass(frozen=True)
class Series:
    """One indicator with its values in time order (for the chart and the table)."""

    indicator: Indicator
    points: list[tuple[dt.date, Decimal]]


def _plain(value: Decimal) -> Decimal:
    """1500.00 → 1500, 12.50 → 12.5: no trailing zeros (and never the 1.5E+3 form)."""
    if value == value.to_integral_value():
        return value.quantize(Decimal(1))
    return value.normalize()


def indicator_series(*, practice: Practice) -> list[Series]:
    out = []
    for indicator in practice.indicators.prefetch_related("values").order_by("order", "id"):
        points = [(v.on, _plain(v.value)) for v in sorted(indicator.values.all(), key=lambda v: v.on)]
        out.append(Series(indicator=indicator, points=points))
    return out


def chart_data(series: list[Series]) -> dict[str, Any]:
    """Chart.js line-chart data: one dataset per indicator over the union of dates (dd/mm/yyyy)."""
    dates = sorted({on for s in series for on, _v in s.points})
    datasets = []
    for s in series:
        by_date = dict(s.points)
        datasets.append({"label": f"{s.indicator.name} ({s.indicator.measure})",
                         "data": [float(by_date[d]) if d in by_date else None for d in dates]})
    return {"labels": [d.strftime("%d/%m/%Y") for d in dates], "datasets": datasets}


def practice_photos(*, practice: Practice) -> QuerySet[Attachment]:
    content_type = ContentType.objects.get_for_model(Practice)
    return Attachment.objects.filter(content_type=content_type, object_id=str(practice.pk),
                                     mime_type__in=IMAGE_TYPES).order_by("created_at", "id")


def practice_attachments(*, practice: Practice) -> QuerySet[Attachment]:
    content_type = ContentType.objects.get_for_model(Practice)
    return Attachment.objects.filter(content_type=content_type, object_id=str(practice.pk)).order_by(
        "created_at", "id")


def practice_attachment_get(*, practice: Practice, attachment_id: int, images_only: bool) -> Attachment:
    qs = practice_photos(practice=practice) if images_only else practice_attachments(practice=practice)
    attachment = qs.filter(pk=attachment_id).first()
    if attachment is None:
        raise NotFoundOrForbidden()
    return attachment


@dataclass
class TreeNode:
    practice: Practice
    shown: bool  # False: a model not recognised (or not visible): its place is kept, its facts hidden
    children: list[TreeNode] = field(default_factory=list)


@dataclass
class Family:
    root: TreeNode
    members: list[Practice]
    size: int


def ancestor_ids(practice_id: int, *, limit: int = 100) -> list[int]:
    """Ids of the models that ``practice_id`` replicates, nearest first; stops at a loop or ``limit``."""
    out: list[int] = []
    while len(out) < limit:
        parent = (Replication.objects.filter(replica_id=out[-1] if out else practice_id)
                  .values_list("source_id", flat=True).first())
        if parent is None or parent == practice_id or parent in out:
            break
        out.append(parent)
    return out


def practice_family(*, practice: Practice, actor: Any = None) -> Family:
    """The replication tree that ``practice`` belongs to, from its root model.

    Public readers see recognised models; an official also sees the models in their scope.
    """
    def visible(p: Practice) -> bool:
        return p.is_public or (actor is not None and bool(can_view_practice(actor, p)))

    ancestors = ancestor_ids(practice.pk)
    root_id = ancestors[-1] if ancestors else practice.pk
    related = ("field", "unit", "province", "village")
    by_id: dict[int, Practice] = {p.pk: p for p in Practice.objects.filter(pk=root_id).select_related(*related)}
    children: dict[int, list[int]] = {}
    frontier = [root_id]
    while frontier and len(by_id) < TREE_MAX_NODES:
        links = list(Replication.objects.filter(source_id__in=frontier).values_list("source_id", "replica_id"))
        new_ids = [r for _s, r in links if r not in by_id]
        for p in Practice.objects.filter(pk__in=new_ids).select_related(*related):
            by_id[p.pk] = p
        for s, r in links:
            if r in by_id:
                children.setdefault(s, []).append(r)
        frontier = new_ids

    def build(pk: int) -> TreeNode:
        node = TreeNode(practice=by_id[pk], shown=visible(by_id[pk]))
        kids = sorted(children.get(pk, []), key=lambda i: (by_id[i].unit_path, by_id[i].name))
        node.children = [build(k) for k in kids]
        return node

    root = build(root_id)
    members = [p for p in by_id.values() if visible(p)]
    return Family(root=root, members=sorted(members, key=lambda p: p.unit_path), size=len(by_id))


def map_points(practices: list[Practice], *, highlight: int | None = None) -> list[dict[str, Any]]:
    """Markers for a Leaflet map: a model's own location, else its unit's centre if known."""
    points = []
    for p in practices:
        lat, lon = p.latitude, p.longitude
        if lat is None or lon is None:
            lat, lon = p.unit.latitude, p.unit.longitude
        if lat is None or lon is None:
            continue
        points.append({"lat": lat, "lon": lon, "name": p.name, "place": p.unit.name, "id": p.pk,
                       "main": p.pk == highlight})
    return points


# --- statistics --------------------------------------------------------------------------

@dataclass
class Stats:
    total: int
    certified: int
    province_level: int
    by_field: list[dict[str, Any]]
    by_level: list[dict[str, Any]]
    by_year: list[dict[str, Any]]
    by_status: list[dict[str, Any]]
    # The units directly under the chosen one (communes of a province, provinces of the nation).
    by_unit: list[dict[str, Any]]
    replications: int


def practice_stats(*, actor: Any, unit: Unit | None = None, year: int | None = None,
                   field_code: str = "") -> Stats:
    """Counts per field, level, year, status and sub-unit of the models in the actor's scope.

    Grouped reads folded in Python give every breakdown. Nationally it is one GROUP BY over
    (province, field, year, status, level): six separate GROUP BYs meant six full scans of
    400,000 models (over a second on PostgreSQL; one pass fits the 500 ms budget). Within a
    province, two grouped reads through the scope index (docs/performance.md, issue 5).
    """
    qs = Practice.objects.filter(practice_visible_q(actor))
    if unit is not None:
        qs = qs.filter(subtree_q(unit.path, field="unit_path"))
    if year:
        qs = qs.filter(year=year)
    if field_code:
        qs = qs.filter(field__code=field_code)
    qs = qs.order_by()
    national = unit is None or unit.level == Level.NATION
    group = "province_id" if national else "unit_id"
    if national:
        # One scan of every model; the groups (provinces × fields × years × states) stay few.
        groups = list(qs.values(group, "field_id", "year", "status", "certified_level").annotate(n=Count("id")))
        unit_groups = attribute_groups = groups
    else:
        # Within a province the scope index narrows the rows, but grouping by commune and by
        # field/year at once would leave almost one group per model: two small grouped reads.
        unit_groups = list(qs.values(group, "status", "certified_level").annotate(n=Count("id")))
        attribute_groups = list(qs.values("field_id", "year", "status", "certified_level").annotate(n=Count("id")))

    def counts() -> dict[str, int]:
        return {"total": 0, "certified": 0, "province_level": 0}

    def add(bucket: dict[str, int], row: dict[str, Any]) -> None:
        bucket["total"] += row["n"]
        if row["status"] == State.CERTIFIED:
            bucket["certified"] += row["n"]
            if row["certified_level"] == PracticeLevel.PROVINCE:
                bucket["province_level"] += row["n"]

    totals = counts()
    per_field: dict[Any, dict[str, int]] = {}
    per_year: dict[Any, dict[str, int]] = {}
    per_unit: dict[Any, dict[str, int]] = {}
    per_status: dict[str, int] = {}
    per_level: dict[str, int] = {}
    for row in unit_groups:
        add(totals, row)
        add(per_unit.setdefault(row[group], counts()), row)
    for row in attribute_groups:
        add(per_field.setdefault(row["field_id"], counts()), row)
        add(per_year.setdefault(row["year"], counts()), row)
        per_status[row["status"]] = per_status.get(row["status"], 0) + row["n"]
        if row["status"] == State.CERTIFIED:
            per_level[row["certified_level"]] = per_level.get(row["certified_level"], 0) + row["n"]
    field_names = dict(PracticeField.objects.values_list("pk", "name"))
    by_field = [{"label": field_names.get(pk, ""), "field_id": pk, **c} for pk, c in per_field.items()]
    by_field.sort(key=lambda r: (-int(r["total"]), str(r["label"])))
    level_labels = dict(PracticeLevel.choices)
    by_level = [{"label": str(level_labels.get(level, "")), "n": n, "level": level}
                for level, n in sorted(per_level.items(), key=lambda item: str(item[0]))]
    by_year = [{"year": y, **c} for y, c in sorted(per_year.items())]
    state_labels = dict(State.choices)
    by_status = [{"label": str(state_labels.get(st, st)), "status": st, "n": n} for st, n in sorted(per_status.items())]
    by_unit = _by_unit(per_unit, unit)
    replications = Replication.objects.filter(replica__in=qs.values("pk")).count()
    return Stats(total=totals["total"], certified=totals["certified"], province_level=totals["province_level"],
                 by_field=by_field, by_level=by_level, by_year=by_year, by_status=by_status, by_unit=by_unit,
                 replications=replications)


def _rows(qs: Any) -> list[dict[str, Any]]:
    """Rows of a ``values()`` query as plain dicts (to add labels to them)."""
    return [dict(r) for r in qs]


def _by_unit(rows: dict[Any, dict[str, int]], unit: Unit | None) -> list[dict[str, Any]]:
    """The comparison across sub-units: every commune of a province (zeros included), or every province.

    ``rows`` maps the unit id (a commune's, or a province's for a national view) to its counts.
    """
    if unit is not None and unit.level == Level.PROVINCE:
        subs = _rows(Unit.objects.filter(parent=unit, era=Era.CURRENT, status=Status.ACTIVE, level=Level.COMMUNE)
                     .order_by("name").values("id", "code", "name"))
        own = rows.get(unit.pk)
        out = [{**s, **{k: rows.get(s["id"], {}).get(k, 0) for k in ("total", "certified", "province_level")}}
               for s in subs]
        out.sort(key=lambda r: (-int(r["certified"]), -int(r["total"]), str(r["name"])))
        if own:
            label = _("%(name)s (mô hình cấp tỉnh)") % {"name": unit.name}
            out.insert(0, {"id": unit.pk, "code": unit.code, "name": label,
                           **{k: own[k] for k in ("total", "certified", "province_level")}})
        return out
    if unit is None or unit.level == Level.NATION:
        names = {u["id"]: u for u in _rows(Unit.objects.filter(era=Era.CURRENT, level=Level.PROVINCE)
                                           .values("id", "code", "name"))}
        out = [{**names.get(pk, {"id": pk, "code": "", "name": ""}),
                **{k: c[k] for k in ("total", "certified", "province_level")}} for pk, c in rows.items()]
        return sorted(out, key=lambda r: (-int(r["certified"]), str(r["name"])))
    return []


def scope_units(*, actor: Any) -> list[Unit]:
    """Provinces and communes the official may pick for statistics (the tops of their scope first)."""
    from danvan.accounts.selectors import scope_paths

    roots = scope_paths(actor, roles=VIEW_ROLES)
    if not roots:
        return []
    qs = Unit.objects.filter(era=Era.CURRENT, status=Status.ACTIVE, level__in=(Level.PROVINCE, Level.COMMUNE))
    tops = list(qs.filter(path__in=roots).order_by("path"))
    if any(r.count(".") == 1 for r in roots):  # a national grant: every province
        return list(qs.filter(level=Level.PROVINCE).order_by("name"))
    communes = list(qs.filter(level=Level.COMMUNE, parent__in=[t for t in tops if t.level == Level.PROVINCE])
                    .order_by("name"))
    return tops + communes
