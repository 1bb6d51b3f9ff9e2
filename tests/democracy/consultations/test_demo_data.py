"""The demo consultations: open, answered and statements-mode, made once (the generator alone,
with the demo officials it expects; the whole `demo-data` run is covered by tests/demo)."""

from __future__ import annotations

import random

import pytest

from danvan.accounts.models import Role
from danvan.demo.registry import DemoContext
from danvan.democracy.consultations.demo_data import consultations
from danvan.democracy.consultations.models import Comment, Consultation, OpinionSnapshot, StatementVote
from danvan.units.models import Organisation, OrganisationKind, Unit
from tests.cases.conftest import official
from tests.factories import RoleAssignmentFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_demo_consultations_are_made_once(hanoi: Unit, ba_dinh: Unit) -> None:
    front = UserFactory()
    RoleAssignmentFactory(user=front, role=Role.SUPERVISOR, unit=hanoi,
                          organisation=Organisation.objects.get(unit=hanoi, kind=OrganisationKind.FATHERLAND_FRONT))
    ctx = DemoContext(rng=random.Random(1), seed=1, scale="small", province=hanoi, provinces=[hanoi],
                      communes=[ba_dinh], focus_communes=[ba_dinh], focus_province=hanoi,
                      officials={f"commune.{ba_dinh.code}.leader": official(Role.LEADER, ba_dinh),
                                 "province.fatherland_front": front})
    counts = consultations(ctx)
    assert counts["consultations"] == 3 and Consultation.objects.count() == 3
    assert Comment.objects.filter(status="hidden").count() == 1
    assert Comment.objects.filter(organisation__isnull=False).exists()
    assert Consultation.objects.filter(report_published_at__isnull=False).count() == 1
    assert StatementVote.objects.count() == counts["votes"] >= 300
    assert OpinionSnapshot.objects.get().groups >= 2
    assert consultations(ctx) == {"consultations": 0, "comments": 0, "votes": 0}
