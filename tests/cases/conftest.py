"""Fixtures for the case tests: a fixed clock, officials with roles, and a submit helper.

The clock is fixed by replacing ``django.utils.timezone.now`` for the test, so deadlines
computed by the services are known dates (holidays included) rather than "today".
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from danvan.accounts.models import Role, User
from danvan.cases.models import Case, Field, Kind
from danvan.cases.services import Denouncer, Submitter, case_submit
from danvan.units.models import Era, Level, Unit
from tests.factories import RoleAssignmentFactory, UserFactory

VN = ZoneInfo("Asia/Ho_Chi_Minh")


def at(day: dt.date | str, hour: int = 9) -> dt.datetime:
    """A moment in Vietnam's time zone on ``day`` (ISO text or date)."""
    if isinstance(day, str):
        day = dt.date.fromisoformat(day)
    return dt.datetime(day.year, day.month, day.day, hour, tzinfo=VN)


class Clock:
    """The test's "now": set it, advance it."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.now = at("2025-03-03")  # a Monday with no holiday near
        monkeypatch.setattr(timezone, "now", lambda: self.now)

    def set(self, day: dt.date | str, hour: int = 9) -> dt.datetime:
        self.now = at(day, hour)
        return self.now

    def advance(self, days: int) -> dt.datetime:
        self.now = self.now + dt.timedelta(days=days)
        return self.now

    @property
    def today(self) -> dt.date:
        return self.now.astimezone(VN).date()


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Iterator[Clock]:
    yield Clock(monkeypatch)


@pytest.fixture
def ngoc_ha(db: Any) -> Unit:
    return Unit.objects.get(era=Era.CURRENT, level=Level.COMMUNE, code="00008")


@pytest.fixture
def hcm(db: Any) -> Unit:
    return Unit.objects.get(era=Era.CURRENT, level=Level.PROVINCE, code="79")


@pytest.fixture
def hcm_commune(hcm: Unit) -> Unit:
    return Unit.objects.filter(parent=hcm, level=Level.COMMUNE).order_by("code").first()


def official(role: str, unit: Unit, **kwargs: Any) -> User:
    """A new official holding ``role`` on ``unit``."""
    user = UserFactory(**kwargs)
    RoleAssignmentFactory(user=user, role=role, unit=unit)
    return user


@dataclass
class People:
    """Officials of Phường Ba Đình (commune) and Hà Nội (province), and outsiders."""

    intake: User
    leader: User
    deputy: User  # a second leader, to approve what the first drafted
    handler: User
    other_handler: User
    supervisor: User
    viewer: User
    village_head: User
    province_leader: User
    province_intake: User
    neighbour_leader: User  # Phường Ngọc Hà: same province, other commune
    neighbour_handler: User
    hcm_leader: User
    citizen: User  # an account without any role


@pytest.fixture
def people(ba_dinh: Unit, hanoi: Unit, ngoc_ha: Unit, hcm: Unit) -> People:
    return People(
        intake=official(Role.INTAKE_OFFICER, ba_dinh, username="tiepnhan"),
        leader=official(Role.LEADER, ba_dinh, username="chutich"),
        deputy=official(Role.LEADER, ba_dinh, username="phochutich"),
        handler=official(Role.HANDLER, ba_dinh, username="xuly"),
        other_handler=official(Role.HANDLER, ba_dinh, username="xuly2"),
        supervisor=official(Role.SUPERVISOR, ba_dinh, username="mattran"),
        viewer=official(Role.VIEWER, ba_dinh, username="xembaocao"),
        village_head=official(Role.VILLAGE_HEAD, ba_dinh, username="truongthon"),
        province_leader=official(Role.LEADER, hanoi, username="lanhdaotinh"),
        province_intake=official(Role.INTAKE_OFFICER, hanoi, username="tiepnhantinh"),
        neighbour_leader=official(Role.LEADER, ngoc_ha, username="chutichngocha"),
        neighbour_handler=official(Role.HANDLER, ngoc_ha, username="xulyngocha"),
        hcm_leader=official(Role.LEADER, hcm, username="lanhdaohcm"),
        citizen=UserFactory(username="congdan", is_official=False),
    )


@pytest.fixture
def field_dat_dai(db: Any) -> Field:
    return Field.objects.get(code="dat_dai")


@pytest.fixture
def field_moi_truong(db: Any) -> Field:
    return Field.objects.get(code="moi_truong")


SubmitFn = Callable[..., Case]


@pytest.fixture
def submit(ba_dinh: Unit, field_moi_truong: Field) -> SubmitFn:
    """``case_submit`` with sensible defaults: web feedback in Phường Ba Đình about the environment."""

    def _submit(**kwargs: Any) -> Case:
        kind = kwargs.get("kind", Kind.FEEDBACK)
        defaults: dict[str, Any] = {
            "kind": kind, "channel": "web", "unit": ba_dinh, "field": field_moi_truong,
            "title": "Rác thải tập kết trái phép", "description": "Rác đổ ở đầu ngõ 12 phố Đội Cấn nhiều ngày.",
        }
        if kind == Kind.COMPLAINT:
            defaults["submitter"] = Submitter(name="Trần Thị Bình", phone="0912345678")
        if kind == Kind.DENUNCIATION:
            defaults["denouncer"] = Denouncer(name="Lê Văn Cường", address="Số 5 phố Kim Mã",
                                              phone="0987654321", id_number="001085012345")
        defaults.update(kwargs)
        return case_submit(**defaults)

    return _submit
