"""Attachments: type proven by content, size and count limits, EXIF stripped, thumbnails."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from danvan.attachments.models import Attachment
from danvan.attachments.services import attachment_add, file_check
from danvan.audit.models import AuditEntry
from danvan.core.errors import DomainError
from danvan.units.models import Level, Unit


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def target(db: Any) -> Unit:
    return Unit.objects.filter(level=Level.COMMUNE).order_by("code").first()


def jpeg_with_gps(lat: float = 21.0333, lon: float = 105.8167) -> bytes:
    """A small JPEG whose EXIF holds a camera model and a GPS position."""
    image = Image.new("RGB", (64, 48), (200, 30, 30))
    exif = Image.Exif()
    exif[0x0110] = "Máy ảnh riêng"  # Model

    def dms(value: float) -> tuple[float, float, float]:
        degrees = int(value)
        minutes = int((value - degrees) * 60)
        return (float(degrees), float(minutes), round(((value - degrees) * 60 - minutes) * 60, 4))

    exif[0x8825] = {1: "N", 2: dms(lat), 3: "E", 4: dms(lon)}
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return out.getvalue()


def test_a_text_file_named_jpg_is_refused() -> None:
    with pytest.raises(DomainError, match="Chỉ nhận ảnh JPEG, PNG, WebP hoặc tệp PDF"):
        file_check(content=b"day la van ban, khong phai anh\n")


def test_pdf_png_webp_are_accepted_by_content() -> None:
    assert file_check(content=b"%PDF-1.7\n...").mime_type == "application/pdf"
    for fmt, mime in (("PNG", "image/png"), ("WEBP", "image/webp")):
        out = io.BytesIO()
        Image.new("RGB", (8, 8)).save(out, format=fmt)
        assert file_check(content=out.getvalue()).mime_type == mime


def test_size_limit_is_a_setting(settings: Any) -> None:
    settings.DANVAN_ATTACHMENT_MAX_BYTES = 1024 * 1024
    with pytest.raises(DomainError, match="Tệp quá lớn: tối đa 1 MB"):
        file_check(content=b"%PDF-" + b"0" * (1024 * 1024))


def test_exif_is_stripped_and_gps_kept_only_with_consent() -> None:
    original = jpeg_with_gps()
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(0x8825)
    checked = file_check(content=original)
    assert checked.gps is None
    stripped = Image.open(io.BytesIO(checked.content))
    assert not stripped.getexif() and b"Exif" not in checked.content
    consented = file_check(content=original, keep_location=True)
    assert consented.gps is not None
    assert consented.gps[0] == pytest.approx(21.0333, abs=1e-3)
    assert consented.gps[1] == pytest.approx(105.8167, abs=1e-3)
    assert b"Exif" not in consented.content


def test_stored_with_thumbnail_audit_and_count_limit(target: Unit, settings: Any,
                                                     django_capture_on_commit_callbacks: Any) -> None:
    settings.DANVAN_ATTACHMENT_MAX_FILES = 2
    with django_capture_on_commit_callbacks(execute=True):
        first = attachment_add(target=target, name="hien-truong.jpg", checked=file_check(content=jpeg_with_gps()))
    first.refresh_from_db()
    assert first.mime_type == "image/jpeg" and first.file.name.endswith(".jpg")
    assert first.thumbnail and Image.open(first.thumbnail.open("rb")).size[0] <= 320
    assert AuditEntry.objects.filter(action="attachments.add", object_id=str(first.pk)).exists()
    attachment_add(target=target, name="van-ban.pdf", checked=file_check(content=b"%PDF-1.4 x"))
    with pytest.raises(DomainError, match="Tối đa 2 tệp"):
        attachment_add(target=target, name="them.pdf", checked=file_check(content=b"%PDF-1.4 y"))
    assert Attachment.objects.count() == 2
