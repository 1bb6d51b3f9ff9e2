"""Keys of the applications that post requests through Open311 GeoReport v2."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ApiKey(models.Model):
    """An application's key: only its SHA-256 digest is stored, the key is shown once."""

    name = models.CharField(_("tên ứng dụng"), max_length=150)
    # Keys are 32 random bytes, so a plain digest is enough (no salt/stretching needed).
    digest = models.CharField(_("mã băm"), max_length=64, unique=True, editable=False)
    # The first characters, to tell keys apart in lists without revealing them.
    prefix = models.CharField(_("tiền tố"), max_length=12, editable=False)
    active = models.BooleanField(_("đang hiệu lực"), default=True)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("thu hồi lúc"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("dùng lần cuối"), null=True, blank=True)

    class Meta:
        verbose_name = _("khóa API Open311")
        verbose_name_plural = _("khóa API Open311")
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"
