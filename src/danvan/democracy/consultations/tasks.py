"""Background work: opinion groups are computed off the request (eager without a broker)."""

from __future__ import annotations

from celery import shared_task


@shared_task(ignore_result=True)
def compute_opinion_groups(consultation_id: int) -> int:
    """Compute and store an opinion snapshot; returns the number of groups found."""
    from .services import opinion_compute

    return opinion_compute(consultation_id=consultation_id).groups


@shared_task(ignore_result=True)
def notify_open_periods() -> int:
    """Periodic: announce comment periods that have opened to the communes' subscribers."""
    from .notices import open_periods_notify

    return open_periods_notify()
