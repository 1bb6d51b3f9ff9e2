"""A commune (Ba Đình) with three villages, its two boards, and officials in each role."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from danvan.accounts.models import Role, User
from danvan.units.models import Organisation, OrganisationKind, Unit
from tests.cases.conftest import official
from tests.factories import VillageFactory


@dataclass
class Commune:
    unit: Unit
    villages: list[Unit]
    inspection: Organisation
    supervision: Organisation
    leader: User
    board_member: User
    front: User
    handler: User
    outsider: User
    village_head: User


@pytest.fixture
def commune(ba_dinh: Unit, db: Any) -> Commune:
    villages = [VillageFactory(parent=ba_dinh, name=f"Tổ dân phố số {i}") for i in (1, 2, 3)]
    other = Unit.objects.get(era="current", level=3, code="00008")  # Ngọc Hà: another commune of Hà Nội
    return Commune(
        unit=ba_dinh, villages=villages,
        inspection=Organisation.objects.get(unit=ba_dinh, kind=OrganisationKind.PEOPLES_INSPECTION_BOARD, active=True),
        supervision=Organisation.objects.get(unit=ba_dinh, kind=OrganisationKind.INVESTMENT_SUPERVISION_BOARD,
                                             active=True),
        leader=official(Role.LEADER, ba_dinh), board_member=official(Role.INSPECTION_BOARD, ba_dinh),
        front=official(Role.SUPERVISOR, ba_dinh), handler=official(Role.HANDLER, ba_dinh),
        outsider=official(Role.LEADER, other), village_head=official(Role.VILLAGE_HEAD, villages[0]),
    )
