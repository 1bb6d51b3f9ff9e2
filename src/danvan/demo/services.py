"""Generating the demo data set: one service that runs every registered generator."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from danvan.audit.services import audit_record
from danvan.core.errors import DomainError
from danvan.units.models import Era, Kind, Level, Status, Unit
from danvan.units.selectors import subtree_q

from .registry import SCALES, DemoContext, generators_in_order

ALL = "all"


@dataclass
class DemoReport:
    province: str
    scale: str
    seed: int
    # Generator name → {count key: rows created}.
    created: dict[str, dict[str, int]] = field(default_factory=dict)
    labels: dict[str, dict[str, Any]] = field(default_factory=dict)
    credentials: list[tuple[str, str, str, str]] = field(default_factory=list)
    communes: int = 0

    @property
    def total_created(self) -> int:
        return sum(n for counts in self.created.values() for n in counts.values())


def _province(code: str) -> Unit:
    code = code.strip()
    if code.isdigit():
        code = f"{int(code):02d}"
    unit = Unit.objects.filter(era=Era.CURRENT, level=Level.PROVINCE, code=code, status=Status.ACTIVE).first()
    if unit is None:
        raise DomainError(_("Không có tỉnh, thành phố mã %(code)s.") % {"code": code})
    return unit


def focus_communes(communes: list[Unit]) -> list[Unit]:
    """The 2-3 communes that get demo officials: the first by code, then the first xã and
    the first special zone if those differ (in Hà Nội: Phường Ba Đình 00004 and a xã)."""
    if not communes:
        return []
    chosen = [communes[0]]
    for kind in (Kind.COMMUNE, Kind.WARD, Kind.SPECIAL_ZONE):
        if len(chosen) >= 3:
            break
        first = next((c for c in communes if c.kind == kind), None)
        if first is not None and first not in chosen:
            chosen.append(first)
    return chosen[:3]


@transaction.atomic
def demo_data_generate(*, province: str, scale: str, seed: int, actor: Any = None,
                       communes_limit: int | None = None) -> DemoReport:
    """Create the demo data set for one province (or "all"): safe to re-run, same seed → same data."""
    if scale not in SCALES:
        raise DomainError(_("Quy mô phải là một trong: %(scales)s.") % {"scales": ", ".join(SCALES)})
    current = Unit.objects.filter(era=Era.CURRENT, status=Status.ACTIVE)
    if not current.filter(level=Level.PROVINCE).exists():
        raise DomainError(_("Chưa có danh mục đơn vị hành chính: hãy chạy “danvan units import” trước."))
    named = None if province.strip().lower() == ALL else _province(province)
    provinces = [named] if named is not None else list(current.filter(level=Level.PROVINCE).order_by("code"))
    if named is not None:
        focus_province = named
    else:
        try:
            focus_province = _province(settings.DANVAN_DEMO_PROVINCE)
        except DomainError:
            focus_province = provinces[0]

    commune_qs = current.filter(level=Level.COMMUNE).order_by("code")
    if named is not None:
        commune_qs = commune_qs.filter(subtree_q(named.path))
    by_province: dict[int, list[Unit]] = {}
    for c in commune_qs:
        by_province.setdefault(c.parent_id or 0, []).append(c)
    focus = focus_communes(by_province.get(focus_province.pk, []))
    communes: list[Unit] = []
    for p in provinces:
        mine = by_province.get(p.pk, [])
        communes.extend(mine[:communes_limit] if communes_limit is not None else mine)
    # The officials' communes always get villages, even in a run limited to a few communes.
    ids = {c.pk for c in communes}
    communes.extend(c for c in focus if c.pk not in ids)
    communes.sort(key=lambda c: c.path)

    ctx = DemoContext(
        rng=random.Random(seed), seed=seed, scale=scale, province=named, provinces=provinces,
        communes=communes, focus_communes=focus, focus_province=focus_province, actor=actor,
        households_enabled=named is not None,
    )
    report = DemoReport(province=named.code if named else ALL, scale=scale, seed=seed, communes=len(communes))
    for registered in generators_in_order():
        # Each generator gets its own stream, so adding one never changes another's data.
        ctx.rng = random.Random(f"{seed}:{registered.name}")
        report.created[registered.name] = dict(registered.func(ctx) or {})
        report.labels[registered.name] = registered.labels
    report.credentials = list(ctx.credentials)
    audit_record(actor=actor, action="demo.data_generate", object_type="demo.run",
                 object_repr=f"demo-data {report.province} {scale} {seed}",
                 unit_path=named.path if named else "VN.",
                 after={"province": report.province, "scale": scale, "seed": seed,
                        "communes_limit": communes_limit, "communes": len(communes),
                        "created": report.created})
    return report
