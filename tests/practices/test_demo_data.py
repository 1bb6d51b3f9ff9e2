"""Demo models: registered with `danvan demo-data`, deterministic, idempotent, realistic, scaled."""

from __future__ import annotations

import math
import random

import pytest

from danvan.demo.registry import DemoContext, generators_in_order
from danvan.practices import demo_data
from danvan.practices.models import (
    AnnualReview,
    Certification,
    IndicatorValue,
    Practice,
    PracticeField,
    Replication,
    State,
)
from danvan.units.models import Unit
from tests.factories import VillageFactory

pytestmark = pytest.mark.django_db


def context(hanoi: Unit, communes: list[Unit], *, scale: str = "small", seed: int = 7) -> DemoContext:
    return DemoContext(rng=random.Random(seed), seed=seed, scale=scale, province=hanoi, provinces=[hanoi],
                       communes=communes, focus_communes=communes[:1], focus_province=hanoi)


def snapshot() -> list[tuple]:
    return list(Practice.objects.order_by("unit__code", "id").values_list(
        "unit__code", "name", "holder_name", "field__code", "year", "status", "certified_level", "latitude",
        "village__code"))


@pytest.fixture
def communes(ba_dinh: Unit, hanoi: Unit, ngoc_ha: Unit) -> list[Unit]:
    for n in range(3):
        VillageFactory(parent=ba_dinh, code=f"T9{n}", name=f"Tổ dân phố số {n + 1}")
    return [ba_dinh, ngoc_ha]


def test_registered_in_the_demo_registry() -> None:
    found = {g.name: g for g in generators_in_order()}
    assert found["practices.models"].order == 300


def test_idempotent_and_deterministic(hanoi: Unit, communes: list[Unit]) -> None:
    counts = demo_data.practices(context(hanoi, communes))
    assert 4 <= counts["practices"] <= 8  # 2–4 per commune at small scale
    first = snapshot()
    assert demo_data.practices(context(hanoi, communes)) == {
        "practices": 0, "indicator_values": 0, "replications": 0, "commendations": 0}
    assert snapshot() == first
    Replication.objects.all().delete()
    Practice.objects.all().delete()
    demo_data.practices(context(hanoi, communes))
    assert snapshot() == first


def test_large_keeps_small_and_grows(hanoi: Unit, communes: list[Unit]) -> None:
    demo_data.practices(context(hanoi, communes))
    small = snapshot()
    counts = demo_data.practices(context(hanoi, communes, scale="large"))
    large = snapshot()
    per_commune = math.ceil(demo_data.LARGE_TOTAL / Unit.objects.filter(parent=hanoi, level=3,
                                                                        status="active").count())
    for commune in communes:
        made = Practice.objects.filter(unit=commune).count()
        assert per_commune - 3 <= made <= per_commune + 3
    # The small run's models are the first ones of the large run.
    by_unit = {c.code: [row for row in large if row[0] == c.code] for c in communes}
    for c in communes:
        mine = [row for row in small if row[0] == c.code]
        assert by_unit[c.code][:len(mine)] == mine
    assert counts["practices"] == len(large) - len(small)


def test_realistic_and_consistent(hanoi: Unit, communes: list[Unit]) -> None:
    demo_data.practices(context(hanoi, communes, scale="large"))
    practices = list(Practice.objects.select_related("field", "unit"))
    assert {p.field.code for p in practices} == set(PracticeField.objects.values_list("code", flat=True))
    assert {p.status for p in practices} >= {State.CERTIFIED, State.REGISTERED, State.DROPPED}
    for p in practices:
        assert p.search_text.strip() and p.province == hanoi
        assert 20.0 < p.latitude < 22.0 and 105.0 < p.longitude < 107.0
        if p.status in (State.CERTIFIED, State.DROPPED):
            assert p.certified_on and Certification.objects.filter(practice=p).exists()
        else:
            assert not Certification.objects.filter(practice=p).exists()
    dropped = [p for p in practices if p.status == State.DROPPED]
    assert all(AnnualReview.objects.filter(practice=p, outcome="drop").exists() for p in dropped)
    assert IndicatorValue.objects.exists()
    for link in Replication.objects.select_related("source", "replica"):
        assert link.source.status == State.CERTIFIED and link.source.unit_id != link.replica.unit_id
        assert link.source.year < link.replica.year
    village_names = [p.name for p in practices if "tổ dân phố số" in p.name]
    assert village_names and all("Tổ dân phố" not in n for n in village_names)
