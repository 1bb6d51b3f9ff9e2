"""Admin for the movement's reference data (fields, appraisal criteria), audited; models
themselves are read-only here: they change through the officials' pages and the workflow."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db import transaction
from django.http import HttpRequest

from danvan.audit.services import audit_record

from .models import AppraisalCriterion, Practice, PracticeField


class AuditedAdmin(admin.ModelAdmin):
    """Every save of reference data leaves an audit entry with what changed."""

    audited_fields: tuple[str, ...] = ()

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        with transaction.atomic():
            before = None
            if change:
                old = type(obj).objects.get(pk=obj.pk)
                before = {f: getattr(old, f) for f in self.audited_fields}
            super().save_model(request, obj, form, change)
            audit_record(actor=request.user, action=f"practices.{type(obj).__name__.lower()}_save", obj=obj,
                         before=before, after={f: getattr(obj, f) for f in self.audited_fields})

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Rows are referenced by models and appraisals: retire them with "active" instead.
        return False


@admin.register(PracticeField)
class PracticeFieldAdmin(AuditedAdmin):
    list_display = ("name", "code", "order", "active")
    list_editable = ()
    search_fields = ("name", "code")
    audited_fields = ("code", "name", "order", "active")


@admin.register(AppraisalCriterion)
class AppraisalCriterionAdmin(AuditedAdmin):
    list_display = ("name", "code", "max_score", "order", "active")
    search_fields = ("name", "code")
    audited_fields = ("code", "name", "description", "max_score", "order", "active")


@admin.register(Practice)
class PracticeAdmin(admin.ModelAdmin):
    list_display = ("name", "unit", "field", "year", "status", "certified_level")
    list_filter = ("status", "certified_level", "field")
    search_fields = ("name", "holder_name")
    list_select_related = ("unit", "field")
    show_full_result_count = False

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
