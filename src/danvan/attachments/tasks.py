"""Background work on attachments (eager in the embedded tier, a Celery worker otherwise)."""

from __future__ import annotations

import io

from celery import shared_task
from django.core.files.base import ContentFile
from PIL import Image

from .models import Attachment

THUMBNAIL_SIZE = (320, 320)


@shared_task(ignore_result=True)
def attachment_thumbnail(attachment_id: int) -> None:
    """Make the small JPEG preview of an image attachment (idempotent: skipped when present)."""
    attachment = Attachment.objects.filter(pk=attachment_id).first()
    if attachment is None or attachment.thumbnail:
        return
    with attachment.file.open("rb") as handle, Image.open(handle) as image:
        image.thumbnail(THUMBNAIL_SIZE)
        out = io.BytesIO()
        image.convert("RGB").save(out, format="JPEG", quality=80)
    attachment.thumbnail.save(f"{attachment.pk}.jpg", ContentFile(out.getvalue()), save=False)
    Attachment.objects.filter(pk=attachment.pk).update(thumbnail=attachment.thumbnail.name)
