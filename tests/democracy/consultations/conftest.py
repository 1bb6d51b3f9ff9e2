"""A consultation of Phường Ba Đình with three sections, its managers, the Front's official and an outsider."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest
from django.utils import timezone

from danvan.accounts.models import Role, User
from danvan.democracy.consultations.models import Consultation, ConsultationContent, Section
from danvan.democracy.consultations.services import consultation_create, section_add
from danvan.units.models import Organisation, OrganisationKind, Unit
from tests.cases.conftest import official
from tests.factories import RoleAssignmentFactory, UserFactory


@dataclass
class Setup:
    unit: Unit
    consultation: Consultation
    sections: list[Section]
    leader: User
    front: User
    front_org: Organisation
    outsider: User


def make_consultation(*, actor: Any, unit: Unit, opens: dt.timedelta = dt.timedelta(days=-1),
                      closes: dt.timedelta = dt.timedelta(days=10), statements: bool = False) -> Consultation:
    now = timezone.now()
    return consultation_create(actor=actor, unit=unit, content=ConsultationContent.objects.get(code="quy_hoach_dat"),
                               title="Dự thảo kế hoạch sử dụng đất năm 2027 của phường",
                               summary="Lấy ý kiến nhân dân về kế hoạch sử dụng đất", opens_at=now + opens,
                               closes_at=now + closes, statements_enabled=statements)


@pytest.fixture
def setup(ba_dinh: Unit, db: Any) -> Setup:
    leader = official(Role.LEADER, ba_dinh)
    front_org = Organisation.objects.get(unit=ba_dinh, kind=OrganisationKind.FATHERLAND_FRONT, active=True)
    front = UserFactory()
    RoleAssignmentFactory(user=front, role=Role.SUPERVISOR, unit=ba_dinh, organisation=front_org)
    other = Unit.objects.get(era="current", level=3, code="00008")
    consultation = make_consultation(actor=leader, unit=ba_dinh)
    sections = [section_add(actor=leader, consultation=consultation, label=f"Điều {i}", title=f"Quy định {i}",
                            body=f"Nội dung điều {i} về sử dụng đất đai tại phường.") for i in (1, 2, 3)]
    return Setup(unit=ba_dinh, consultation=consultation, sections=sections, leader=leader, front=front,
                 front_org=front_org, outsider=official(Role.LEADER, other))
