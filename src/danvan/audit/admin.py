"""The audit trail in the administration site: look, filter, search; never add, edit or delete.

Rows are written only by ``audit_record``; a change made here would break the hash chain,
so the administration site offers none.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from .models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ("id", "at", "actor_display", "action", "object_type", "object_repr", "unit_path")
    list_display_links = ("id", "action")
    list_filter = ("action", "object_type", ("at", admin.DateFieldListFilter))
    search_fields = ("action", "actor_label", "object_id", "object_repr", "=unit_path", "hash")
    date_hierarchy = "at"
    ordering = ("-id",)
    list_per_page = 50
    # The actor may have been deleted since: the label kept beside the key is what counts.
    fields = ("id", "at", "actor_label", "action", "object_type", "object_id", "object_repr", "unit_path",
              "before", "after", "prev_hash", "hash")
    readonly_fields = fields
    actions = None

    @admin.display(description=_("người thực hiện"))
    def actor_display(self, obj: AuditEntry) -> str:
        return obj.actor_label or str(_("hệ thống"))

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
