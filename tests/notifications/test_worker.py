"""Tiers 2–3: a notification queued after commit travels through Redis to a Celery worker."""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.db import connections, transaction

from danvan.config.celery import app
from danvan.notifications.models import Outbox, OutboxStatus
from danvan.notifications.services import notification_queue

pytestmark = pytest.mark.skipif(not django_settings.REDIS_URL,
                                reason="Cần REDIS_URL: kiểm thử hàng đợi Celery qua Redis")

_closed = threading.Event()


@app.task(name="tests.notifications.close_worker_connections")
def close_worker_connections() -> None:
    """Runs in the worker's thread: close its database connections, or the test database
    could not be dropped at the end of the run ("being accessed by other users")."""
    connections.close_all()
    _closed.set()


@pytest.mark.django_db(transaction=True)
def test_worker_delivers_queued_notification_through_redis(settings: Any, tmp_path: Path) -> None:
    from celery.contrib.testing.worker import start_worker

    settings.DATA_DIR = tmp_path
    settings.DANVAN_SMS_BACKEND = "danvan.notifications.backends.FileSmsBackend"
    app.conf.task_always_eager = False  # the autouse fixture restores it
    with start_worker(app, perform_ping_check=False, shutdown_timeout=10):
        with transaction.atomic():
            row = notification_queue(channel="sms", recipient="0912345678", subject="",
                                     body="Hồ sơ đã được tiếp nhận.", dedupe_key="worker:1")
            assert row is not None
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            row.refresh_from_db()
            if row.status != OutboxStatus.PENDING:
                break
            time.sleep(0.2)
        _closed.clear()
        close_worker_connections.delay()
        assert _closed.wait(20)
    assert row.status == OutboxStatus.SENT and row.attempts == 1
    assert Outbox.objects.count() == 1
    assert "Hồ sơ đã được tiếp nhận." in (tmp_path / "outbox" / f"sms-{row.pk}.txt").read_text(encoding="utf-8")
