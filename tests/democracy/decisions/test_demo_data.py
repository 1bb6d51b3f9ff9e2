"""Demo data: the demo village head's village gets a meeting, a paper ballot, a quy ước and an open online vote."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command

from danvan.democracy.decisions.models import Ballot, BallotReceipt, Decision, Form, Meeting, Outcome, Status
from danvan.democracy.decisions.services import tally_verify
from danvan.notifications.models import Outbox

pytestmark = pytest.mark.django_db

# Only what this generator needs runs (the other apps' generators have their own tests).
NEEDED = {"units.villages", "units.households", "accounts.officials", "democracy.decisions"}


@pytest.fixture(autouse=True)
def _only_needed_generators(monkeypatch: pytest.MonkeyPatch) -> None:
    from danvan.demo import services
    from danvan.demo.registry import generators_in_order

    monkeypatch.setattr(services, "generators_in_order",
                        lambda: [r for r in generators_in_order() if r.name in NEEDED])


def run() -> str:
    out = StringIO()
    call_command("demo_data", stdout=out, province="01", scale="small", seed=1, communes_limit=2)
    return out.getvalue()


def test_demo_decisions_are_made_once_and_their_tallies_hold() -> None:
    run()
    decisions = list(Decision.objects.all())
    assert decisions, "the demo village heads' villages get decisions"
    forms = {d.form for d in decisions}
    assert forms == {Form.MEETING, Form.HOUSEHOLD_BALLOT, Form.ONLINE_VOTE}
    assert Decision.objects.filter(status=Status.REPORTED, outcome=Outcome.PASSED).exists()
    assert Decision.objects.filter(matter_type__code="village_charter").exclude(document_title="").exists()
    online = Decision.objects.filter(form=Form.ONLINE_VOTE).first()
    assert online is not None and online.status == Status.OPEN
    assert BallotReceipt.objects.filter(decision=online).count() == Ballot.objects.filter(decision=online).count() > 0
    for decision in Decision.objects.exclude(counted_at=None):
        assert tally_verify(decision=decision).ok
    # Village meetings are called for the evening.
    starts = set(Meeting.objects.values_list("starts_at", flat=True))
    assert starts and starts <= {dt.time(19, 0), dt.time(19, 30)}
    # A demo sends no SMS, and a re-run creates nothing.
    assert not Outbox.objects.filter(dedupe_key__startswith="decisions:").exists()
    count = Decision.objects.count()
    run()
    assert Decision.objects.count() == count
