"""A commune (Ba Đình) with two villages and officials in each role of the disclosure work."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from danvan.accounts.models import Role, User
from danvan.units.models import Unit
from tests.cases.conftest import official
from tests.factories import VillageFactory


@dataclass
class Commune:
    unit: Unit
    villages: list[Unit]
    leader: User
    intake: User
    handler: User
    outsider: User
    village_head: User
    province_leader: User


@pytest.fixture
def commune(ba_dinh: Unit, hanoi: Unit, db: Any) -> Commune:
    villages = [VillageFactory(parent=ba_dinh, name=f"Tổ dân phố số {i}") for i in (1, 2)]
    other = Unit.objects.get(era="current", level=3, code="00008")  # Ngọc Hà: another commune of Hà Nội
    return Commune(
        unit=ba_dinh, villages=villages, leader=official(Role.LEADER, ba_dinh),
        intake=official(Role.INTAKE_OFFICER, ba_dinh), handler=official(Role.HANDLER, ba_dinh),
        outsider=official(Role.LEADER, other), village_head=official(Role.VILLAGE_HEAD, villages[0]),
        province_leader=official(Role.LEADER, hanoi),
    )
