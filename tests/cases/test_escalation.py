"""Deadline reminders and escalation: right recipients, idempotent runs, recorded as events and audit."""

from __future__ import annotations

import datetime as dt
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from danvan.accounts.models import Role
from danvan.audit.models import AuditEntry
from danvan.cases import services as s
from danvan.cases.escalation import cases_escalate, cases_remind
from danvan.cases.models import Case, CaseEvent, EventKind
from danvan.notifications.models import Outbox
from danvan.units.models import Unit

from .conftest import Clock, People, SubmitFn, official

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _file_sms(settings: Any, tmp_path: Path) -> None:
    settings.DATA_DIR = tmp_path
    settings.DANVAN_CASE_REMIND_WORKING_DAYS = 2


@pytest.fixture
def assigned(people: People, submit: SubmitFn, clock: Clock) -> Case:
    case = submit()
    case = s.case_accept(actor=people.intake, case=case)
    case = s.case_assign(actor=people.leader, case=case, handler=people.handler)
    assert case.due_on is not None
    return case


def recipients(prefix: str) -> list[str]:
    return sorted(Outbox.objects.filter(dedupe_key__startswith=prefix).values_list("recipient", flat=True))


def job_events(case: Case, job: str) -> int:
    return CaseEvent.objects.filter(case=case, kind=EventKind.NOTE, public=False, data__job=job).count()


def test_reminder_reaches_the_handler_once(assigned: Case, people: People,
                                           django_capture_on_commit_callbacks: Any) -> None:
    due = assigned.due_on
    assert cases_remind(today=due - dt.timedelta(days=30)).queued == 0
    # Two working days before the due date, counted over the weekend if needed.
    day = due - dt.timedelta(days=1)
    while day.weekday() >= 5:
        day -= dt.timedelta(days=1)
    with django_capture_on_commit_callbacks(execute=True):
        first = cases_remind(today=day)
        second = cases_remind(today=day)
    assert (first.queued, second.queued) == (1, 0)
    assert recipients("remind:") == [people.handler.email]
    row = Outbox.objects.get(dedupe_key__startswith="remind:")
    assert row.status == "sent" and assigned.code in row.body and due.strftime("%d/%m/%Y") in row.body
    assert job_events(assigned, "remind") == 1
    assert AuditEntry.objects.filter(action="cases.remind", object_id=str(assigned.pk)).count() == 1


def test_overdue_case_escalates_to_leaders_and_supervisors_once(assigned: Case, people: People, hanoi: Unit,
                                                              django_capture_on_commit_callbacks: Any) -> None:
    province_supervisor = official(Role.SUPERVISOR, hanoi, username="bandanvantinh")
    due = assigned.due_on
    assert cases_escalate(today=due).queued == 0  # due today is not overdue
    with django_capture_on_commit_callbacks(execute=True):
        first = cases_escalate(today=due + dt.timedelta(days=1))
        again = cases_escalate(today=due + dt.timedelta(days=3))
    expected = sorted([people.leader.email, people.deputy.email, people.supervisor.email,
                       province_supervisor.email])
    assert first.queued == 4 and again.queued == 0
    assert recipients("escalate:") == expected
    # Officials of other communes, the province's leaders and the handler are not escalated to.
    assert people.neighbour_leader.email not in expected and people.province_leader.email not in expected
    body = Outbox.objects.filter(dedupe_key__startswith="escalate:").first().body
    assert assigned.code in body and "quá hạn" in body
    assert job_events(assigned, "escalate") == 1
    assert AuditEntry.objects.filter(action="cases.escalate", object_id=str(assigned.pk)).count() == 1

    # An extension gives a new due date: a later overdue starts a new round.
    Case.objects.filter(pk=assigned.pk).update(due_on=due + dt.timedelta(days=10))
    assert cases_escalate(today=due + dt.timedelta(days=11)).queued == 4


def test_answered_or_paused_cases_are_not_escalated(assigned: Case, people: People) -> None:
    Case.objects.filter(pk=assigned.pk).update(paused=True)
    assert cases_escalate(today=assigned.due_on + dt.timedelta(days=5)).cases == 0


def test_command_runs_both_jobs(assigned: Case) -> None:
    out = StringIO()
    late = (assigned.due_on + dt.timedelta(days=2)).isoformat()
    call_command("cases_jobs", "escalate", "--date", late, stdout=out)
    call_command("cases_jobs", "escalate", "--date", late, stdout=out)
    call_command("cases_jobs", "remind", stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[0] == "Đã xét 1 vụ việc, gửi mới 3 thông báo."
    assert lines[1] == "Đã xét 1 vụ việc, gửi mới 0 thông báo."
