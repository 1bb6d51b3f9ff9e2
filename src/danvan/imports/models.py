"""An import of one spreadsheet: the file, its column mapping, the validation report, the outcome."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from danvan.core.models import TimeStampedModel


class JobStatus(models.TextChoices):
    VALIDATED = "validated", _("Đã kiểm tra, chờ nhập")
    RUNNING = "running", _("Đang nhập")
    DONE = "done", _("Đã nhập xong")
    CANCELLED = "cancelled", _("Đã hủy, không ghi dòng nào")
    FAILED = "failed", _("Lỗi, không ghi dòng nào")


class ImportJob(TimeStampedModel):
    kind = models.CharField(_("loại dữ liệu"), max_length=50)
    original_name = models.CharField(_("tên tệp"), max_length=255)
    file = models.FileField(_("tệp"), upload_to="imports/%Y/%m/")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("người nhập"))
    headers = models.JSONField(_("tiêu đề cột"), default=list)
    mapping = models.JSONField(_("ánh xạ cột"), default=dict)
    status = models.CharField(_("trạng thái"), max_length=10, choices=JobStatus.choices,
                              default=JobStatus.VALIDATED)
    total = models.PositiveIntegerField(_("số dòng"), default=0)
    good = models.PositiveIntegerField(_("dòng hợp lệ"), default=0)
    bad = models.PositiveIntegerField(_("dòng lỗi"), default=0)
    # [sheet row, column label, Vietnamese reason], capped (the downloads recompute the full list).
    errors = models.JSONField(_("lỗi"), default=list)
    written = models.PositiveIntegerField(_("số dòng đã ghi"), default=0)
    message = models.TextField(_("ghi chú"), blank=True)

    class Meta:
        verbose_name = _("lần nhập dữ liệu")
        verbose_name_plural = _("các lần nhập dữ liệu")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.original_name} ({self.get_status_display()})"
