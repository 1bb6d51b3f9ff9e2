"""Fixtures for the decision tests: a village of Phường Ba Đình with a household register and officials."""

from __future__ import annotations

import datetime as dt
import importlib
from dataclasses import dataclass
from typing import Any

import pytest
from django.apps import apps

from danvan.accounts.models import Role, User
from danvan.democracy.decisions.models import Decision, Form, MatterType
from danvan.democracy.decisions.services import OnlinePreconditions, decision_create
from danvan.units.models import Household, Unit
from tests.factories import RoleAssignmentFactory, UserFactory, VillageFactory


def load_reference_data() -> None:
    """Matter types and voting rules come from a data migration; reload after a flush (idempotent)."""
    importlib.import_module("danvan.democracy.decisions.migrations.0002_reference_data").load(apps, None)


def official(role: str, unit: Unit, **kwargs: Any) -> User:
    user = UserFactory(**kwargs)
    RoleAssignmentFactory(user=user, role=role, unit=unit)
    return user


def make_households(village: Unit, n: int, *, phone: bool = True) -> list[Household]:
    return [Household.objects.create(village=village, number=f"{i:03d}", head_name=f"Nguyễn Văn Chủ Hộ {i}",
                                     representative_name=f"Trần Thị Đại Diện {i}",
                                     representative_phone=f"09{i:08d}" if phone else "")
            for i in range(1, n + 1)]


@dataclass
class World:
    village: Unit
    other_village: Unit
    households: list[Household]
    head: User  # village head of ``village``
    other_head: User  # village head of ``other_village``
    leader: User  # commune leader of Ba Đình
    outsider: User  # leader of another commune


def build_world(ba_dinh: Unit, ngoc_ha: Unit, *, households: int = 10) -> World:
    village = VillageFactory(parent=ba_dinh, name="Tổ dân phố số 1")
    other = VillageFactory(parent=ba_dinh, name="Tổ dân phố số 2")
    return World(
        village=village, other_village=other, households=make_households(village, households),
        head=official(Role.VILLAGE_HEAD, village, username="totruong1"),
        other_head=official(Role.VILLAGE_HEAD, other, username="totruong2"),
        leader=official(Role.LEADER, ba_dinh, username="chutichbadinh"),
        outsider=official(Role.LEADER, ngoc_ha, username="chutichngocha"),
    )


@pytest.fixture
def ngoc_ha(db: Any) -> Unit:
    from danvan.units.models import Era, Level

    return Unit.objects.get(era=Era.CURRENT, level=Level.COMMUNE, code="00008")


@pytest.fixture
def world(ba_dinh: Unit, ngoc_ha: Unit) -> World:
    return build_world(ba_dinh, ngoc_ha)


def matter(code: str) -> MatterType:
    return MatterType.objects.get(code=code)


READY = OnlinePreconditions(head_front_agreed=True, method_chosen=True, devices_confirmed=True,
                            reported_on=dt.date(2026, 1, 5))


def new_decision(world: World, *, form: str = Form.MEETING, matter_code: str | None = None,
                 **kwargs: Any) -> Decision:
    if form == Form.ONLINE_VOTE:
        kwargs.setdefault("online", READY)
    matter_code = matter_code or ("other_self_management" if form == Form.ONLINE_VOTE else "infrastructure")
    return decision_create(actor=world.head, village=world.village, title="Đóng góp làm đường bê tông ngõ 5",
                           matter_type=matter(matter_code), form=form, **kwargs)
