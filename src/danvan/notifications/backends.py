"""Delivery backends. E-mail goes through Django's EMAIL_BACKEND; SMS through the class named by
DANVAN_SMS_BACKEND (a dotted path), by default a file backend writing to DATA_DIR/outbox/ so the
embedded tier needs no SMS gateway and an operator can see what would have been sent."""

from __future__ import annotations

import logging
from pathlib import Path

from django.conf import settings
from django.core.mail import EmailMessage
from django.utils import timezone
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)

DEFAULT_SMS_BACKEND = "danvan.notifications.backends.FileSmsBackend"


class SmsBackend:
    """Base class: ``send`` delivers one message or raises."""

    def send(self, *, recipient: str, body: str, reference: str) -> None:
        raise NotImplementedError


class FileSmsBackend(SmsBackend):
    """Writes each SMS to DATA_DIR/outbox/<reference>.txt and logs it."""

    def send(self, *, recipient: str, body: str, reference: str) -> None:
        folder = Path(settings.DATA_DIR) / "outbox"
        folder.mkdir(parents=True, exist_ok=True)
        stamp = timezone.now().isoformat()
        (folder / f"sms-{reference}.txt").write_text(f"To: {recipient}\nDate: {stamp}\n\n{body}\n", encoding="utf-8")
        logger.info("SMS to %s (%s): %s", recipient, reference, body)


def sms_backend() -> SmsBackend:
    """The configured SMS backend instance."""
    path = getattr(settings, "DANVAN_SMS_BACKEND", "") or DEFAULT_SMS_BACKEND
    return import_string(path)()


def email_send(*, recipient: str, subject: str, body: str) -> None:
    """Send one e-mail through Django's configured EMAIL_BACKEND; raises on failure."""
    EmailMessage(subject=subject, body=body, to=[recipient]).send(fail_silently=False)
