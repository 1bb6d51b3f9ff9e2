"""Files attached to any record (cases today; democracy and practices later), via a generic relation."""

from __future__ import annotations

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


class Attachment(models.Model):
    """One checked file: type proven by its content, image metadata stripped, thumbnail made later."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, verbose_name=_("loại đối tượng"))
    object_id = models.CharField(_("mã đối tượng"), max_length=40)
    target = GenericForeignKey("content_type", "object_id")
    file = models.FileField(_("tệp"), upload_to="attachments/%Y/%m/")
    thumbnail = models.FileField(_("ảnh thu nhỏ"), upload_to="attachments/thumbs/%Y/%m/", blank=True)
    original_name = models.CharField(_("tên tệp gốc"), max_length=255)
    mime_type = models.CharField(_("kiểu tệp"), max_length=40)
    size = models.PositiveIntegerField(_("dung lượng (byte)"))
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)

    class Meta:
        verbose_name = _("tệp đính kèm")
        verbose_name_plural = _("tệp đính kèm")
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self) -> str:
        return self.original_name
