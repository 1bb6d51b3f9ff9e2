"""Demo cases: every workflow state, a past history with consistent deadlines, idempotent,
deterministic, and no notification sent today for steps made "months ago"."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from danvan.audit.services import audit_verify
from danvan.cases import demo_data
from danvan.cases.models import (
    Answer,
    AnswerStatus,
    Case,
    CaseEvent,
    CaseRating,
    EventKind,
    Extension,
    Instance,
    Kind,
    State,
    Transfer,
)
from danvan.demo.registry import DemoContext
from danvan.demo.services import demo_data_generate
from danvan.notifications.models import Outbox, OutboxStatus
from danvan.units.models import Era, Level, Unit

pytestmark = pytest.mark.django_db


def _generate() -> Any:
    # Three communes with villages keep the run small; the officials' communes always get them.
    return demo_data_generate(province="01", scale="small", seed=1, communes_limit=3)


def test_demo_cases(db: Any) -> None:
    """One generation (limited to a few communes: only the cases that walk through every
    state, as each takes a dozen service calls), every property checked on it, then a re-run."""
    report = _generate()
    _every_state_and_kind_is_present(report)
    _cases_are_in_the_demo_communes_with_places_inside()
    _history_lies_in_the_past_in_order()
    _deadlines_follow_the_moved_dates()
    _published_answers_are_redacted()
    _no_notification_is_left_to_send()
    _rerun_creates_nothing_and_audit_chain_holds()


def _every_state_and_kind_is_present(report: Any) -> None:
    created = report.created["cases.cases"]
    assert created["cases"] == Case.objects.count() > len(demo_data.COVERAGE)
    assert created["steps"] > created["cases"]
    states = set(Case.objects.values_list("status", flat=True))
    assert states == set(State.values)
    kinds = set(Case.objects.values_list("kind", flat=True))
    assert kinds == set(Kind.values)
    assert Case.objects.filter(kind=Kind.COMPLAINT, instance=Instance.SECOND).exists()
    assert Case.objects.filter(kind=Kind.COMPLAINT, instance=Instance.FIRST).exists()
    information = Case.objects.filter(kind=Kind.DENUNCIATION, as_information=True)
    assert information.exists()
    assert not information.filter(accepted_at__isnull=False).exists()
    # Steps that leave no state of their own leave rows and events.
    assert Extension.objects.exists()
    assert Transfer.objects.exists()
    assert CaseRating.objects.exists()
    assert CaseEvent.objects.filter(kind=EventKind.ANSWER_RETURNED).exists()
    assert CaseEvent.objects.filter(kind=EventKind.INFO_RECEIVED).exists()
    merged = Case.objects.filter(status=State.MERGED).first()
    assert merged is not None and merged.duplicate_of is not None and merged.duplicate_of.is_open
    # Denunciations never carry the denouncer on the case row.
    assert not Case.objects.filter(kind=Kind.DENUNCIATION).exclude(submitter_name="").exists()


def _cases_are_in_the_demo_communes_with_places_inside() -> None:
    hanoi = Unit.objects.get(era=Era.CURRENT, level=Level.PROVINCE, code="01")
    assert not Case.objects.exclude(unit_path__startswith=hanoi.path).exists()
    for case in Case.objects.filter(latitude__isnull=False).select_related("unit")[:50]:
        assert case.unit.latitude is not None
        assert abs(case.latitude - case.unit.latitude) < 0.01
        assert abs(case.longitude - case.unit.longitude) < 0.01
    assert not Case.objects.filter(latitude__isnull=False, unit__latitude__isnull=True).exists()


def _history_lies_in_the_past_in_order() -> None:
    now = timezone.now()
    received = list(Case.objects.values_list("received_at", flat=True))
    assert max(received) <= now
    # Spread over months, not all made "now".
    assert min(received) < now - dt.timedelta(days=60)
    for case in Case.objects.all()[:80]:
        times = [e.at for e in case.events.exclude(kind=EventKind.MERGED_IN).order_by("id")]
        assert times == sorted(times), case.code
        assert times[0] == case.received_at
    answered = Case.objects.filter(answered_at__isnull=False)
    assert not answered.filter(answered_at__lt=models_f("received_at")).exists()


def models_f(name: str) -> Any:
    from django.db.models import F

    return F(name)


def _deadlines_follow_the_moved_dates() -> None:
    from danvan.cases import deadlines

    for case in Case.objects.exclude(status=State.MERGED).select_related("unit")[:120]:
        assert case.due_on == deadlines.case_due_on(case), case.code
    # Both on-time and late answers exist, and some open cases are overdue.
    answered = list(Case.objects.filter(answered_at__isnull=False, due_on__isnull=False))
    late = [c for c in answered if deadlines.local_date(c.answered_at) > c.due_on]
    assert answered and len(late) < len(answered)
    # Every case with a legal clock has a deadline; information from an anonymous denunciation has none.
    assert not Case.objects.filter(due_on__isnull=True, as_information=False).exclude(
        status=State.MERGED).exists()
    for row in Extension.objects.all():
        assert row.new_due_on > row.previous_due_on
        event = CaseEvent.objects.get(kind=EventKind.EXTENDED, data__extension_id=row.pk)
        assert row.new_due_on.strftime("%d/%m/%Y") in event.note


def _published_answers_are_redacted() -> None:
    sent = Answer.objects.filter(status=AnswerStatus.SENT).select_related("case")
    assert sent.exists()
    for answer in sent:
        if answer.case.submitter_name:
            assert answer.case.submitter_name not in answer.published_text
        assert "[[" not in answer.published_text


def _rerun_creates_nothing_and_audit_chain_holds() -> None:
    before = (Case.objects.count(), CaseEvent.objects.count(), Outbox.objects.count())
    again = _generate()
    assert again.created["cases.cases"] == {"cases": 0, "steps": 0}
    assert (Case.objects.count(), CaseEvent.objects.count(), Outbox.objects.count()) == before
    assert audit_verify().ok


def _no_notification_is_left_to_send() -> None:
    # Outbox rows record what was "sent" back then; nothing is pending delivery today.
    assert Outbox.objects.exists()
    assert not Outbox.objects.filter(status=OutboxStatus.PENDING).exists()
    assert not Outbox.objects.filter(created_at__gt=timezone.now() - dt.timedelta(minutes=1)).exclude(
        case_id__isnull=True).filter(sent_at__gt=timezone.now() - dt.timedelta(minutes=1)).exists()


def test_plans_are_deterministic(db: Any) -> None:
    import random

    hanoi = Unit.objects.get(era=Era.CURRENT, level=Level.PROVINCE, code="01")
    communes = list(Unit.objects.filter(parent=hanoi, level=Level.COMMUNE).order_by("code")[:2])

    def plans(scale: str) -> list[Any]:
        ctx = DemoContext(rng=random.Random(1), seed=1, scale=scale, province=hanoi, provinces=[hanoi],
                          communes=communes, focus_communes=communes, focus_province=hanoi)
        return demo_data.case_plans(ctx, {c.pk: ["Tổ dân phố số 1", "Tổ dân phố số 2"] for c in communes})

    first, second = plans("small"), plans("small")
    assert first == second
    large = plans("large")
    # A large run keeps the small run's cases as its first ones.
    small_keys = {p.key: p for p in first}
    assert all(small_keys[p.key] == p for p in large if p.key in small_keys and not p.merge_into)
    assert len(large) > len(first)
