"""Outbox delivery: the file SMS backend, e-mail, retries with recorded errors, dedupe."""

from __future__ import annotations

import datetime as dt
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from danvan.notifications.backends import FileSmsBackend, SmsBackend
from danvan.notifications.models import Outbox, OutboxStatus
from danvan.notifications.services import notification_queue, notifications_retry_due

pytestmark = pytest.mark.django_db


class BrokenSms(SmsBackend):
    """A gateway that is always down."""

    def send(self, *, recipient: str, body: str, reference: str) -> None:
        raise ConnectionError("cổng SMS không phản hồi")


@pytest.fixture
def data_dir(settings: Any, tmp_path: Path) -> Path:
    settings.DATA_DIR = tmp_path
    settings.DANVAN_SMS_BACKEND = "danvan.notifications.backends.FileSmsBackend"
    return tmp_path


def test_file_backend_writes_message(data_dir: Path) -> None:
    FileSmsBackend().send(recipient="0912345678", body="Hồ sơ đã được thụ lý.", reference="42")
    text = (data_dir / "outbox" / "sms-42.txt").read_text(encoding="utf-8")
    assert "To: 0912345678" in text
    assert "Hồ sơ đã được thụ lý." in text


def test_sms_is_sent_only_after_commit(data_dir: Path, django_capture_on_commit_callbacks: Any) -> None:
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        row = notification_queue(channel="sms", recipient="0912345678", subject="Thử", body="Nội dung thử",
                                 dedupe_key="test:1")
        assert row is not None
        assert not (data_dir / "outbox").exists()  # nothing leaves before commit
    assert len(callbacks) == 1
    row.refresh_from_db()
    assert (row.status, row.attempts, row.last_error) == (OutboxStatus.SENT, 1, "")
    assert row.sent_at is not None
    assert "Nội dung thử" in (data_dir / "outbox" / f"sms-{row.pk}.txt").read_text(encoding="utf-8")


def test_email_goes_through_django_backend(django_capture_on_commit_callbacks: Any) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        notification_queue(channel="email", recipient="dan@example.vn", subject="Tiêu đề", body="Thân thư",
                           dedupe_key="test:mail")
    assert [(m.to, m.subject, m.body) for m in mail.outbox] == [(["dan@example.vn"], "Tiêu đề", "Thân thư")]
    assert Outbox.objects.get(dedupe_key="test:mail").status == OutboxStatus.SENT


def test_dedupe_key_records_once(data_dir: Path, django_capture_on_commit_callbacks: Any) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        first = notification_queue(channel="sms", recipient="0912345678", subject="", body="A", dedupe_key="k")
        second = notification_queue(channel="sms", recipient="0912345678", subject="", body="A", dedupe_key="k")
    assert first is not None and second is None
    assert Outbox.objects.filter(dedupe_key="k").count() == 1
    assert len(list((data_dir / "outbox").iterdir())) == 1


def test_failing_backend_retries_with_backoff_then_fails(settings: Any,
                                                        django_capture_on_commit_callbacks: Any) -> None:
    settings.DANVAN_SMS_BACKEND = f"{__name__}.BrokenSms"
    settings.DANVAN_NOTIFY_MAX_ATTEMPTS = 3
    settings.DANVAN_NOTIFY_BACKOFF_SECONDS = 60
    with django_capture_on_commit_callbacks(execute=True):
        row = notification_queue(channel="sms", recipient="0912345678", subject="", body="B", dedupe_key="r")
    assert row is not None
    row.refresh_from_db()
    assert (row.status, row.attempts) == (OutboxStatus.PENDING, 1)
    assert "cổng SMS không phản hồi" in row.last_error
    first_wait = row.next_attempt_at - timezone.now()
    assert dt.timedelta(seconds=55) < first_wait <= dt.timedelta(seconds=60)

    assert notifications_retry_due() == 0  # not due yet
    assert notifications_retry_due(now=row.next_attempt_at) == 1
    row.refresh_from_db()
    assert (row.status, row.attempts) == (OutboxStatus.PENDING, 2)
    second_wait = row.next_attempt_at - timezone.now()
    assert dt.timedelta(seconds=115) < second_wait <= dt.timedelta(seconds=120)  # doubled

    out = StringIO()
    call_command("notifications", "retry", stdout=out)
    assert "0 thông báo" in out.getvalue()  # the command only retries what is due
    notifications_retry_due(now=row.next_attempt_at)
    row.refresh_from_db()
    assert (row.status, row.attempts, row.next_attempt_at) == (OutboxStatus.FAILED, 3, None)
    assert notifications_retry_due(now=timezone.now() + dt.timedelta(days=1)) == 0
