"""Admin: the Art. 25 contents are data an administrator may correct (every change audited);
consultations are run from the officials' pages, so the admin only lists them."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db import transaction
from django.http import HttpRequest

from danvan.audit.services import audit_record

from .models import Consultation, ConsultationContent


@admin.register(ConsultationContent)
class ConsultationContentAdmin(admin.ModelAdmin):
    list_display = ("order", "code", "name", "source", "active")
    list_editable = ("active",)
    ordering = ("order",)

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            audit_record(actor=request.user, action="consultations.content_save", obj=obj,
                         after={"code": obj.code, "name": obj.name, "active": obj.active})

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # consultations refer to it; deactivate instead


@admin.register(Consultation)
class ConsultationAdmin(admin.ModelAdmin):
    list_display = ("title", "unit", "opens_at", "closes_at", "published", "report_published_at")
    list_filter = ("published", "content")
    search_fields = ("title",)
    readonly_fields = [f.name for f in Consultation._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
