"""`danvan demo-data` gives the demo communes a full oversight record, once."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from danvan.democracy.oversight import selectors
from danvan.democracy.oversight.models import (
    BoardMember,
    Commitment,
    CommitmentStatus,
    InvestmentProject,
    Recommendation,
    RecommendationStatus,
)

pytestmark = pytest.mark.django_db

SMALL = {"province": "01", "scale": "small", "seed": 1, "communes_limit": 2}


def counts() -> tuple[int, int, int, int]:
    return (BoardMember.objects.count(), Recommendation.objects.count(), InvestmentProject.objects.count(),
            Commitment.objects.count())


def test_demo_oversight_record_is_complete_and_idempotent() -> None:
    call_command("demo_data", stdout=StringIO(), **SMALL)
    members, recs, projects, commitments = counts()
    assert members > 0 and recs > 0 and projects > 0 and commitments > 0
    assert set(Recommendation.objects.values_list("status", flat=True)) == set(RecommendationStatus.values)
    assert {CommitmentStatus.DONE, CommitmentStatus.IN_PROGRESS, CommitmentStatus.NOT_STARTED} <= set(
        Commitment.objects.values_list("status", flat=True))
    assert Recommendation.objects.filter(selectors.overdue_recommendations_q()).exists()
    assert Commitment.objects.filter(selectors.overdue_commitments_q()).exists()
    # The last demo commune is left short of members, so the composition warning can be seen.
    warned = [b for b in BoardMember.objects.values_list("board", flat=True).distinct()]
    assert any(selectors.board_warnings(board=BoardMember.objects.filter(board=b).first().board) for b in warned)

    call_command("demo_data", stdout=StringIO(), **SMALL)
    assert counts() == (members, recs, projects, commitments)
