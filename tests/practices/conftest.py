"""Fixtures for the "Dân vận khéo" tests: officials with roles and a helper to make models."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest

from danvan.accounts.models import Role, User
from danvan.practices.models import AppraisalCriterion, Practice, PracticeField
from danvan.practices.services import PracticeInput, appraisal_submit, practice_register
from danvan.practices.workflow import practice_transition
from danvan.units.models import Era, Level, Unit
from tests.factories import RoleAssignmentFactory, UserFactory


def official(role: str, unit: Unit, **kwargs: Any) -> User:
    user = UserFactory(**kwargs)
    RoleAssignmentFactory(user=user, role=role, unit=unit)
    return user


@pytest.fixture
def ngoc_ha(db: Any) -> Unit:
    return Unit.objects.get(era=Era.CURRENT, level=Level.COMMUNE, code="00008")


@pytest.fixture
def hcm(db: Any) -> Unit:
    return Unit.objects.get(era=Era.CURRENT, level=Level.PROVINCE, code="79")


@dataclass
class People:
    supervisor: User  # Ba Đình: the Front, runs the movement
    leader: User  # Ba Đình: certifies at commune level
    viewer: User
    handler: User  # a case handler: no role in the movement
    province_leader: User  # Hà Nội: certifies at province level
    province_supervisor: User
    neighbour_supervisor: User  # Ngọc Hà
    neighbour_leader: User
    hcm_supervisor: User
    citizen: User


@pytest.fixture
def people(ba_dinh: Unit, hanoi: Unit, ngoc_ha: Unit, hcm: Unit) -> People:
    return People(
        supervisor=official(Role.SUPERVISOR, ba_dinh, username="mattran", full_name="Trần Thị Mặt Trận"),
        leader=official(Role.LEADER, ba_dinh, username="chutich"),
        viewer=official(Role.VIEWER, ba_dinh, username="xembaocao"),
        handler=official(Role.HANDLER, ba_dinh, username="xuly"),
        province_leader=official(Role.LEADER, hanoi, username="lanhdaotinh"),
        province_supervisor=official(Role.SUPERVISOR, hanoi, username="tgdvtinh"),
        neighbour_supervisor=official(Role.SUPERVISOR, ngoc_ha, username="mattranngocha"),
        neighbour_leader=official(Role.LEADER, ngoc_ha, username="chutichngocha"),
        hcm_supervisor=official(Role.SUPERVISOR, hcm, username="mattranhcm"),
        citizen=UserFactory(username="congdan", is_official=False),
    )


def field(code: str = "xay-dung-he-thong-chinh-tri") -> PracticeField:
    return PracticeField.objects.get(code=code)


def make_practice(actor: User, unit: Unit, *, name: str = "Dân vận khéo trong giải phóng mặt bằng",
                  field_code: str = "xay-dung-he-thong-chinh-tri", year: int = 2024,
                  description: str = "Vận động Nhân dân cùng bàn, cùng làm.", **kwargs: Any) -> Practice:
    data = PracticeInput(name=name, field=field(field_code), unit=unit, year=year, description=description,
                         **kwargs)
    return practice_register(actor=actor, data=data)


def full_scores(value: int | None = None) -> dict[int, int]:
    return {c.pk: c.max_score if value is None else min(value, c.max_score)
            for c in AppraisalCriterion.objects.filter(active=True)}


def certified(people: People, unit: Unit, **kwargs: Any) -> Practice:
    """A model of ``unit`` taken through registration, appraisal and commune-level recognition."""
    registrar = kwargs.pop("registrar", people.supervisor)
    leader = kwargs.pop("leader", people.leader)
    panel = kwargs.pop("panel", people.supervisor)
    practice = make_practice(registrar, unit, **kwargs)
    practice = practice_transition(practice=practice, action="submit", actor=registrar)
    appraisal_submit(actor=panel, practice=practice, scores=full_scores(), comment="Đạt yêu cầu.")
    return practice_transition(practice=practice, action="certify", actor=leader, level="xa",
                               decision_number="12/QĐ-UBND", decided_on=dt.date(2025, 1, 10),
                               body="Ủy ban nhân dân " + unit.name)
