"""Submission keeps SQLite's write lock short, and reference data is read once per process.

The transaction of a submission holds SQLite's one write lock: only the writes may run in it
(docs/performance.md, issue 3). Reference data (legal rules, holidays, the People's Committee,
the province) is kept per process outside transactions and forgotten when it changes.
"""

from __future__ import annotations

import datetime as dt
import json
import types
import uuid
from collections.abc import Iterator

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from danvan.cases import deadlines, refcache
from danvan.cases.models import Case, Holiday, LegalRule, RuleKey
from danvan.cases.services import default_organisation
from danvan.units.models import Unit

from .test_api import URL, body

pytestmark = pytest.mark.django_db

# Reads a submission makes for its reference data; none may run while the write lock is held.
REFERENCE_TABLES = ('"cases_legalrule"', '"cases_holiday"', '"units_organisation"', '"units_unit"',
                    '"cases_field"')


def test_the_submission_transaction_only_writes(client: Client) -> None:
    with CaptureQueriesContext(connection) as queries:
        response = client.post(URL, data=json.dumps(body()), content_type="application/json",
                               headers={"Idempotency-Key": str(uuid.uuid4())})
    assert response.status_code == 201, response.content
    sqls = [q["sql"] for q in queries]
    # The test runs inside a transaction, so the service's own one is the first savepoint.
    start = next(i for i, sql in enumerate(sqls) if sql.startswith("SAVEPOINT"))
    savepoint = sqls[start].split()[1]
    end = sqls.index(f"RELEASE SAVEPOINT {savepoint}")
    inside = sqls[start + 1:end]
    assert not [sql for sql in inside if sql.startswith("SELECT") and any(t in sql for t in REFERENCE_TABLES)]
    assert not [sql for sql in inside if sql.startswith("SELECT") and '"cases_case"' in sql]
    assert sum(sql.startswith("INSERT") for sql in inside) == 4  # case, event, audit entry, idempotency key
    case = Case.objects.get(code=response.json()["code"])
    assert case.organisation.unit_id == case.unit_id and case.due_on is not None


@pytest.fixture
def outside_transaction(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Behave as a request outside any transaction (the test itself runs inside one)."""
    fake = types.SimpleNamespace(in_atomic_block=False)
    monkeypatch.setattr(refcache, "connection", fake)
    monkeypatch.setattr(deadlines, "connection", fake)
    refcache.clear()
    yield
    refcache.clear()


def test_inside_a_transaction_nothing_is_kept(hanoi: Unit) -> None:
    refcache.clear()
    deadlines.rule_for(RuleKey.FEEDBACK_RESOLVE, on=dt.date(2025, 3, 3), province=hanoi)
    with CaptureQueriesContext(connection) as queries:
        deadlines.rule_for(RuleKey.FEEDBACK_RESOLVE, on=dt.date(2025, 3, 3), province=hanoi)
    assert len(queries) == 1


def test_legal_rules_are_kept_and_forgotten_on_change(hanoi: Unit, outside_transaction: None) -> None:
    day = dt.date(2025, 3, 3)
    first = deadlines.rule_for(RuleKey.FEEDBACK_RESOLVE, on=day, province=hanoi)
    with CaptureQueriesContext(connection) as queries:
        again = deadlines.rule_for(RuleKey.FEEDBACK_RESOLVE, on=day, province=hanoi)
    assert len(queries) == 0 and again.pk == first.pk
    # The same choice as the database's: the province's own rule first, then the newest.
    own = LegalRule.objects.create(key=RuleKey.FEEDBACK_RESOLVE, days=first.days + 5, valid_from=day,
                                   province=hanoi, source="Quyết định thử nghiệm của UBND thành phố")
    assert deadlines.rule_for(RuleKey.FEEDBACK_RESOLVE, on=day, province=hanoi).pk == own.pk
    assert deadlines.rule_for(RuleKey.FEEDBACK_RESOLVE, on=day, province=None).pk == first.pk
    assert deadlines.rule_for(RuleKey.FEEDBACK_RESOLVE, on=day - dt.timedelta(days=1), province=hanoi).pk == first.pk
    own.delete()
    assert deadlines.rule_for(RuleKey.FEEDBACK_RESOLVE, on=day, province=hanoi).pk == first.pk


def test_holidays_are_kept_and_forgotten_on_change(outside_transaction: None) -> None:
    start, end = dt.date(2031, 6, 1), dt.date(2031, 6, 30)
    assert deadlines.calendar_between(start, end).holidays == frozenset()
    with CaptureQueriesContext(connection) as queries:
        deadlines.calendar_between(start, end)
    assert len(queries) == 0
    Holiday.objects.create(date=dt.date(2031, 6, 10), name="Ngày nghỉ thử nghiệm")
    Holiday.objects.create(date=dt.date(2031, 6, 14), name="Ngày làm bù thử nghiệm", working_day=True)
    calendar = deadlines.calendar_between(start, end)
    assert calendar.holidays == {dt.date(2031, 6, 10)}
    assert calendar.working_weekend_days == {dt.date(2031, 6, 14)}
    assert deadlines.calendar_between(start, dt.date(2031, 6, 12)).working_weekend_days == frozenset()


def test_the_peoples_committee_is_kept_and_forgotten_on_change(ba_dinh: Unit, outside_transaction: None) -> None:
    org = default_organisation(ba_dinh)
    with CaptureQueriesContext(connection) as queries:
        assert default_organisation(ba_dinh).pk == org.pk
    assert len(queries) == 0
    org.name = org.name + " (đổi tên)"
    org.save()
    assert default_organisation(ba_dinh).name == org.name
