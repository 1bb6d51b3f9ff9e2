from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from .models import BoardMember, BoardRule, Commitment, InvestmentProject, Recommendation
from .services import board_rule_save


@admin.register(BoardRule)
class BoardRuleAdmin(admin.ModelAdmin):
    list_display = ("board_kind", "min_members", "every_village", "answer_days", "valid_from", "flag")
    list_filter = ("board_kind", "unconfirmed")

    def save_model(self, request: HttpRequest, obj: Any, form: forms.ModelForm, change: bool) -> None:
        board_rule_save(actor=request.user, rule=obj, created=not change)

    @admin.display(description=_("Chưa xác nhận"), boolean=True)
    def flag(self, obj: BoardRule) -> bool:
        return obj.unconfirmed


@admin.register(BoardMember)
class BoardMemberAdmin(admin.ModelAdmin):
    list_display = ("full_name", "board", "village", "role", "joined_on", "left_on")
    search_fields = ("full_name",)
    raw_id_fields = ("board", "village")

    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False  # through the workspace, which checks the village and audits


@admin.register(Recommendation)
class RecommendationAdmin(admin.ModelAdmin):
    list_display = ("__str__", "board", "sent_on", "answer_due_on", "status")
    list_filter = ("status",)
    readonly_fields = [f.name for f in Recommendation._meta.fields]

    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(InvestmentProject)
class InvestmentProjectAdmin(admin.ModelAdmin):
    list_display = ("name", "unit", "status", "progress_percent")
    readonly_fields = [f.name for f in InvestmentProject._meta.fields]

    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(Commitment)
class CommitmentAdmin(admin.ModelAdmin):
    list_display = ("title", "unit", "due_on", "status", "progress_percent")
    list_filter = ("status", "source_kind")
    readonly_fields = [f.name for f in Commitment._meta.fields]

    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False
