"""People and their roles. A role is granted on a unit (optionally through one of its
organisations) and reaches that unit's whole subtree."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from danvan.core.models import TimeStampedModel


class User(AbstractUser):
    full_name = models.CharField(_("họ và tên"), max_length=150, blank=True)
    phone = models.CharField(_("số điện thoại"), max_length=20, blank=True)
    is_official = models.BooleanField(
        _("cán bộ"), default=False,
        help_text=_("Cán bộ, công chức làm việc trong hệ thống; công dân thì bỏ chọn."),
    )
    # Subject identifier at the national OpenID Connect provider, when linked.
    oidc_subject = models.CharField(_("định danh OIDC"), max_length=255, blank=True, db_index=True)

    class Meta:
        verbose_name = _("tài khoản")
        verbose_name_plural = _("tài khoản")
        constraints = [
            # One account per person at the identity provider, or linking would be ambiguous.
            models.UniqueConstraint(fields=["oidc_subject"], condition=~models.Q(oidc_subject=""),
                                    name="one_account_per_oidc_subject"),
        ]

    def __str__(self) -> str:
        return self.full_name or self.username

    @property
    def display_name(self) -> str:
        return self.full_name or self.get_username()


class Role(models.TextChoices):
    SYSTEM_ADMIN = "system_admin", _("Quản trị hệ thống")
    LEADER = "leader", _("Lãnh đạo")
    INTAKE_OFFICER = "intake_officer", _("Cán bộ tiếp nhận, tiếp công dân")
    HANDLER = "handler", _("Cán bộ xử lý")
    SUPERVISOR = "supervisor", _("Cán bộ Mặt trận, Ban Tuyên giáo và Dân vận, đoàn thể")
    VILLAGE_HEAD = "village_head", _("Trưởng thôn, tổ trưởng tổ dân phố")
    INSPECTION_BOARD = "inspection_board", _(
        "Thành viên Ban Thanh tra nhân dân, Ban Giám sát đầu tư cộng đồng")
    VIEWER = "viewer", _("Xem báo cáo")


class RoleAssignment(TimeStampedModel):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="roles",
                             verbose_name=_("tài khoản"))
    role = models.CharField(_("vai trò"), max_length=20, choices=Role.choices)
    unit = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="role_assignments",
                             verbose_name=_("đơn vị"))
    organisation = models.ForeignKey("units.Organisation", null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="role_assignments", verbose_name=_("cơ quan, tổ chức"))
    title = models.CharField(_("chức danh"), max_length=150, blank=True)
    granted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("người cấp"))
    active = models.BooleanField(_("đang hiệu lực"), default=True)

    class Meta:
        verbose_name = _("phân quyền")
        verbose_name_plural = _("phân quyền")
        constraints = [
            models.UniqueConstraint(fields=["user", "role", "unit"], condition=models.Q(active=True),
                                    name="one_active_grant_per_user_role_unit"),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()} – {self.unit}"
