"""Writes for attachments: check the content, strip image metadata, store, schedule the thumbnail."""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.db import models, transaction
from django.utils.translation import gettext as _
from PIL import Image

from danvan.audit.services import audit_record
from danvan.core.errors import DomainError

from .models import Attachment

DEFAULT_MAX_BYTES = 10 * 1024 * 1024
DEFAULT_MAX_FILES = 5
IMAGE_TYPES = {"image/jpeg": "JPEG", "image/png": "PNG", "image/webp": "WEBP"}
EXTENSIONS = {"image/jpeg": "jpg", "image/png": "png", "image/webp": "webp", "application/pdf": "pdf"}


def max_bytes() -> int:
    """Largest accepted file, in bytes (setting DANVAN_ATTACHMENT_MAX_BYTES)."""
    return int(getattr(settings, "DANVAN_ATTACHMENT_MAX_BYTES", DEFAULT_MAX_BYTES))


def max_files() -> int:
    """Most files accepted on one record (setting DANVAN_ATTACHMENT_MAX_FILES)."""
    return int(getattr(settings, "DANVAN_ATTACHMENT_MAX_FILES", DEFAULT_MAX_FILES))


def sniff_type(head: bytes) -> str:
    """The MIME type proven by a file's first bytes, or "" when it is none of the accepted ones."""
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    if head.startswith(b"%PDF-"):
        return "application/pdf"
    return ""


@dataclass(frozen=True)
class CheckedFile:
    """A file that passed the checks, with what may be kept of its image location."""

    content: bytes
    mime_type: str
    gps: tuple[float, float] | None


def _gps(image: Image.Image) -> tuple[float, float] | None:
    # EXIF GPS IFD: 1/2 latitude ref/value, 3/4 longitude ref/value, as degrees/minutes/seconds.
    info = image.getexif().get_ifd(0x8825)
    try:
        lat = sum(float(v) / 60 ** i for i, v in enumerate(info[2]))
        lon = sum(float(v) / 60 ** i for i, v in enumerate(info[4]))
    except (KeyError, TypeError, ValueError, ZeroDivisionError):
        return None
    return (-lat if info.get(1) == "S" else lat, -lon if info.get(3) == "W" else lon)


def file_check(*, content: bytes, keep_location: bool = False) -> CheckedFile:
    """Refuse what is not a JPEG, PNG, WebP or PDF by content or is too large; re-encode images bare."""
    if len(content) > max_bytes():
        raise DomainError(_("Tệp quá lớn: tối đa %(mb)d MB mỗi tệp.") % {"mb": max_bytes() // (1024 * 1024)},
                          code="attachment_too_large")
    mime = sniff_type(content[:16])
    if not mime:
        raise DomainError(_("Chỉ nhận ảnh JPEG, PNG, WebP hoặc tệp PDF; nội dung tệp này không phải các loại đó."),
                          code="attachment_type")
    if mime not in IMAGE_TYPES:
        return CheckedFile(content=content, mime_type=mime, gps=None)
    try:
        with Image.open(io.BytesIO(content)) as image:
            image.load()
            gps = _gps(image) if keep_location else None
            pixels = image.convert("RGBA") if image.mode == "P" else image
            # Re-encoding from raw pixels drops EXIF (camera, owner, GPS), XMP and comments.
            bare = Image.frombytes(pixels.mode, pixels.size, pixels.tobytes())
            out = io.BytesIO()
            options: dict[str, Any] = {"quality": 90} if mime == "image/jpeg" else {}
            bare.save(out, format=IMAGE_TYPES[mime], **options)
    except (OSError, ValueError) as exc:
        raise DomainError(_("Ảnh bị hỏng hoặc không đọc được."), code="attachment_broken") from exc
    return CheckedFile(content=out.getvalue(), mime_type=mime, gps=gps)


def attachment_add(*, target: models.Model, name: str, checked: CheckedFile, actor: Any = None) -> Attachment:
    """Store a checked file against ``target`` (within the per-record limit) and schedule its thumbnail."""
    content_type = ContentType.objects.get_for_model(target)
    with transaction.atomic():
        if Attachment.objects.filter(content_type=content_type, object_id=str(target.pk)).count() >= max_files():
            raise DomainError(_("Tối đa %(n)d tệp đính kèm.") % {"n": max_files()}, code="attachment_count")
        stem = (name.rsplit(".", 1)[0] or "tep")[:100]
        attachment = Attachment(content_type=content_type, object_id=str(target.pk), original_name=name[:255],
                                mime_type=checked.mime_type, size=len(checked.content))
        attachment.file.save(f"{stem}.{EXTENSIONS[checked.mime_type]}", ContentFile(checked.content), save=False)
        attachment.save()
        audit_record(actor=actor, action="attachments.add", obj=attachment,
                     after={"mime_type": checked.mime_type, "size": len(checked.content),
                            "target": f"{content_type.app_label}.{content_type.model}:{target.pk}"})
        if checked.mime_type in IMAGE_TYPES:
            from .tasks import attachment_thumbnail

            transaction.on_commit(lambda: attachment_thumbnail.delay(attachment.pk))
    return attachment
