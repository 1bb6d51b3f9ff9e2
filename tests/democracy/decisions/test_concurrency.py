"""Double voting under concurrent requests: parallel clients, each thread on its own database
connection, vote with the same household code at the same moment. Exactly one ballot is recorded.

PostgreSQL only: SQLite serialises writers, so nothing runs concurrently there.
"""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from danvan.core.errors import DomainError
from danvan.democracy.decisions.models import Ballot, BallotChoice, BallotReceipt, Channel, Form
from danvan.democracy.decisions.services import (
    Action,
    ballot_cast_online,
    decision_transition,
    tally_verify,
    voting_codes_issue,
)
from danvan.units.models import Era, Level, Unit
from tests.open311.support import ensure_reference_data

from .conftest import build_world, load_reference_data, new_decision

PARALLEL = 8


def _setup() -> tuple[Any, Any, dict[int, str]]:
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers: concurrent double voting is exercised on PostgreSQL")
    # A transactional test starts from whatever an earlier one flushed: reload the reference data.
    ensure_reference_data()
    load_reference_data()
    ba_dinh = Unit.objects.get(era=Era.CURRENT, level=Level.COMMUNE, code="00004")
    ngoc_ha = Unit.objects.get(era=Era.CURRENT, level=Level.COMMUNE, code="00008")
    world = build_world(ba_dinh, ngoc_ha, households=6)
    decision = new_decision(world, form=Form.HOUSEHOLD_BALLOT, channel=Channel.ONLINE)
    decision_transition(actor=world.head, decision=decision, action=Action.OPEN)
    codes = voting_codes_issue(actor=world.head, decision=decision).codes
    return world, decision, codes


def _run_parallel(work: Any, n: int = PARALLEL) -> list[Any]:
    barrier = threading.Barrier(n)
    results: list[Any] = []
    lock = threading.Lock()

    def worker(i: int) -> None:
        try:
            barrier.wait(timeout=30)
            outcome = work(i)
        except Exception as exc:  # collected and asserted on by the test
            outcome = exc
        finally:
            connection.close()  # each thread had its own connection
        with lock:
            results.append(outcome)

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert len(results) == n
    return results


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_parallel_clients_with_one_code_record_exactly_one_ballot() -> None:
    world, decision, codes = _setup()
    household = world.households[0]
    code = codes[household.pk]
    agree = decision.options.get(is_agree=True)
    disagree = decision.options.get(is_agree=False)
    url = reverse("decisions_public:detail", args=[decision.pk])

    def vote(i: int) -> tuple[int, str]:
        # Half the clients try to agree, half to disagree: only one of them may count.
        response = Client().post(url, {"code": code, "options": (agree if i % 2 else disagree).pk})
        return response.status_code, response.content.decode()

    results = _run_parallel(vote)
    assert not [r for r in results if isinstance(r, Exception)], results
    statuses = sorted(status for status, _body in results)
    assert statuses == [200] + [409] * (PARALLEL - 1), statuses
    assert all("đã biểu quyết" in body for status, body in results if status == 409)
    assert BallotReceipt.objects.filter(decision=decision, household=household).count() == 1
    assert Ballot.objects.filter(decision=decision).count() == 1
    assert BallotChoice.objects.filter(ballot__decision=decision).count() == 1
    check = tally_verify(decision=decision)
    assert check.ok and sum(check.recount.votes.values()) == 1

    # The service itself, called concurrently (one reload of the unit tree per transactional
    # test is costly, so this runs in the same test): two more households, four attempts each.
    chosen = [codes[world.households[1].pk], codes[world.households[2].pk]]

    def vote_service(i: int) -> str:
        try:
            ballot_cast_online(decision_id=decision.pk, code=chosen[i % 2], option_ids=[agree.pk])
        except DomainError as exc:
            return exc.code
        return "ok"

    results = _run_parallel(vote_service)
    assert sorted(results) == ["already_voted"] * (PARALLEL - 2) + ["ok", "ok"], results
    assert BallotReceipt.objects.filter(decision=decision).count() == 3
    assert Ballot.objects.filter(decision=decision).count() == 3

    # Votes racing the count: each vote lands before the tally or is refused, never after it.
    late = [codes[h.pk] for h in world.households[3:6]]

    def vote_or_count(i: int) -> str:
        try:
            if i == len(late):
                decision_transition(actor=world.head, decision=decision, action=Action.COUNT)
                return "counted"
            ballot_cast_online(decision_id=decision.pk, code=late[i], option_ids=[agree.pk])
        except DomainError as exc:
            return exc.code
        return "ok"

    raced = _run_parallel(vote_or_count, n=len(late) + 1)
    assert "counted" in raced and set(raced) <= {"counted", "ok", "closed"}, raced
    decision.refresh_from_db()
    stored = Ballot.objects.filter(decision=decision).count()
    assert decision.participants == stored == 3 + raced.count("ok")
    assert sum(o.votes or 0 for o in decision.options.all()) == stored
    assert tally_verify(decision=decision).ok
