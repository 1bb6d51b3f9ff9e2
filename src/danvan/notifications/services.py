"""Queue and deliver notifications. A notification is written to the outbox inside the caller's
transaction and handed to the delivery task only after commit, so a rolled-back change never
sends anything; a failed delivery is retried with exponential backoff up to a maximum."""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from .backends import email_send, sms_backend
from .models import NotificationChannel, Outbox, OutboxStatus

logger = logging.getLogger(__name__)

MAX_ATTEMPTS_DEFAULT = 5
BACKOFF_SECONDS_DEFAULT = 60


def max_attempts() -> int:
    """How many times a notification is tried before it is marked failed."""
    return int(getattr(settings, "DANVAN_NOTIFY_MAX_ATTEMPTS", MAX_ATTEMPTS_DEFAULT))


def backoff(attempts: int) -> dt.timedelta:
    """Delay before the next try: doubles with every failed attempt."""
    base = int(getattr(settings, "DANVAN_NOTIFY_BACKOFF_SECONDS", BACKOFF_SECONDS_DEFAULT))
    return dt.timedelta(seconds=base * 2 ** max(attempts - 1, 0))


def _schedule(outbox_id: int) -> None:
    from .tasks import deliver_notification

    try:
        deliver_notification.delay(outbox_id)
    except Exception:  # the row stays pending; the retry sweep picks it up
        logger.exception("Không đưa được thông báo %s vào hàng đợi", outbox_id)


def notification_queue(*, channel: str, recipient: str, subject: str, body: str, dedupe_key: str,
                       case_id: int | None = None) -> Outbox | None:
    """Record a notification once per dedupe key and deliver it after commit; None if already queued."""
    if Outbox.objects.filter(dedupe_key=dedupe_key).exists():
        return None
    try:
        with transaction.atomic():
            row = Outbox.objects.create(channel=channel, recipient=recipient, subject=subject[:200], body=body,
                                        dedupe_key=dedupe_key, case_id=case_id)
    except IntegrityError:  # a concurrent run queued the same key first
        return None
    row_id = row.pk
    transaction.on_commit(lambda: _schedule(row_id))
    return row


def notification_deliver(*, outbox_id: int) -> Outbox:
    """Try to send one pending notification; records success, or the error and the next try."""
    with transaction.atomic():
        row = Outbox.objects.select_for_update().get(pk=outbox_id)
        if row.status != OutboxStatus.PENDING:
            return row
        row.attempts += 1
        try:
            if row.channel == NotificationChannel.EMAIL:
                email_send(recipient=row.recipient, subject=row.subject, body=row.body)
            else:
                sms_backend().send(recipient=row.recipient, body=row.body, reference=str(row.pk))
        except Exception as exc:  # any backend failure is recorded, never lost
            row.last_error = f"{type(exc).__name__}: {exc}"[:2000]
            if row.attempts >= max_attempts():
                row.status = OutboxStatus.FAILED
                row.next_attempt_at = None
            else:
                row.next_attempt_at = timezone.now() + backoff(row.attempts)
            logger.warning("Gửi thông báo %s không thành công (lần %s): %s", row.pk, row.attempts, row.last_error)
        else:
            row.status = OutboxStatus.SENT
            row.sent_at = timezone.now()
            row.next_attempt_at = None
        row.save(update_fields=["attempts", "last_error", "status", "sent_at", "next_attempt_at"])
    return row


def notifications_retry_due(*, now: dt.datetime | None = None) -> int:
    """Retry every pending notification whose next try is due; returns how many were tried."""
    now = now or timezone.now()
    ids = list(Outbox.objects.filter(status=OutboxStatus.PENDING, next_attempt_at__lte=now)
               .order_by("next_attempt_at").values_list("pk", flat=True))
    for outbox_id in ids:
        notification_deliver(outbox_id=outbox_id)
    return len(ids)
