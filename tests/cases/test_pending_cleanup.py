"""Uploads of forms never submitted are removed after a day, and only those."""

from __future__ import annotations

import os
import time
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command

from danvan.cases.services_citizen import pending_add, pending_cleanup, pending_list

from ..attachments.test_attachments import jpeg_with_gps

OLD_TOKEN = "a" * 24
FRESH_TOKEN = "b" * 24


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path


def _age(path: str, hours: float) -> None:
    then = time.time() - hours * 3600
    os.utime(default_storage.path(path), (then, then))


def test_only_abandoned_uploads_are_removed() -> None:
    old = pending_add(token=OLD_TOKEN, name="anh.jpg", content=jpeg_with_gps())
    pending_add(token=FRESH_TOKEN, name="anh.jpg", content=jpeg_with_gps())
    _age(old.path, 25)

    assert pending_cleanup() == 1

    assert pending_list(token=OLD_TOKEN) == []
    assert not os.path.exists(default_storage.path(f"attachments/pending/{OLD_TOKEN}"))
    assert [f.name for f in pending_list(token=FRESH_TOKEN)] == ["anh.jpg"]
    # Idempotent: nothing more to remove.
    assert pending_cleanup() == 0


def test_the_age_is_configurable(settings: Any) -> None:
    settings.DANVAN_PENDING_MAX_AGE_HOURS = 2
    kept = pending_add(token=FRESH_TOKEN, name="anh.jpg", content=jpeg_with_gps())
    _age(kept.path, 3)
    assert pending_cleanup() == 1


def test_no_pending_folder_is_not_an_error() -> None:
    assert pending_cleanup() == 0


def test_command_reports_in_vietnamese() -> None:
    old = pending_add(token=OLD_TOKEN, name="don.jpg", content=jpeg_with_gps())
    _age(old.path, 48)
    out = StringIO()
    call_command("cases_jobs", "cleanup-uploads", stdout=out)
    assert "Đã xóa 1 tệp tải lên bị bỏ dở." in out.getvalue()
