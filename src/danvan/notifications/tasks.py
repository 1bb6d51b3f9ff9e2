"""Celery tasks. With a broker (REDIS_URL) a failed delivery is retried by Celery with the
outbox's backoff; in the embedded tier tasks run eagerly and a failed row waits for the
``notifications_retry`` sweep instead of blocking the request that caused it."""

from __future__ import annotations

from typing import Any

from celery import shared_task

from .models import OutboxStatus
from .services import notification_deliver, notifications_retry_due


@shared_task(bind=True, max_retries=None, ignore_result=True)
def deliver_notification(self: Any, outbox_id: int) -> None:
    """Deliver one outbox row; reschedule itself while the row stays pending."""
    row = notification_deliver(outbox_id=outbox_id)
    if row.status == OutboxStatus.PENDING and row.next_attempt_at and not self.request.is_eager:
        raise self.retry(eta=row.next_attempt_at)


@shared_task(ignore_result=True)
def retry_due_notifications() -> int:
    """Periodic sweep: resend pending notifications whose next try is due."""
    return notifications_retry_due()
