"""Periodic case jobs for Celery beat (with a broker); the embedded tier runs the same
functions through `danvan cases_jobs escalate|remind` or the in-process timer."""

from __future__ import annotations

from celery import shared_task

from .escalation import cases_escalate, cases_remind
from .services_citizen import pending_cleanup


@shared_task(ignore_result=True)
def remind_due_cases() -> int:
    """Daily: remind handlers of cases due soon; returns how many notifications were queued."""
    return cases_remind().queued


@shared_task(ignore_result=True)
def escalate_overdue_cases() -> int:
    """Hourly: escalate overdue cases; idempotent, so a missed or doubled run is harmless."""
    return cases_escalate().queued


@shared_task(ignore_result=True)
def cleanup_pending_uploads() -> int:
    """Hourly: remove uploads kept for forms that were never submitted."""
    return pending_cleanup()
