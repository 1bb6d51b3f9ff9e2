"""Administration of the reference data: matter types and the dated voting rules.

Ballots, receipts and codes are not in the admin: a household's vote is changed by nobody.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from danvan.audit.services import audit_record

from .models import Decision, MatterType, VotingRule


@admin.register(MatterType)
class MatterTypeAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "allows_online_vote", "is_election", "active", "order")
    list_editable = ("active", "order")
    readonly_fields = ("code",)


@admin.register(VotingRule)
class VotingRuleAdmin(admin.ModelAdmin):
    list_display = ("matter_type", "form", "valid_from", "quorum_percent", "threshold_percent",
                    "threshold_base", "confirmed")
    list_filter = ("form", "unconfirmed", "matter_type")

    def save_model(self, request: Any, obj: VotingRule, form: Any, change: bool) -> None:
        # A rule decides whether a village's vote passes: every change is in the audit chain.
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            audit_record(actor=request.user, action="decisions.rule_change" if change else "decisions.rule_add",
                         obj=obj, after={f: getattr(obj, f) for f in (
                             "form", "valid_from", "quorum_percent", "quorum_strict", "threshold_percent",
                             "threshold_strict", "threshold_base", "unconfirmed")})

    @admin.display(description=_("đã đối chiếu văn bản gốc"), boolean=True)
    def confirmed(self, obj: VotingRule) -> bool:
        # Rules not yet checked against the original text are shown with a red cross.
        return not obj.unconfirmed


@admin.register(Decision)
class DecisionAdmin(admin.ModelAdmin):
    list_display = ("title", "village", "form", "status", "outcome", "created_at")
    list_filter = ("status", "form", "matter_type")
    search_fields = ("title",)
    raw_id_fields = ("village", "created_by", "rule")

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        # Decisions change only through the services (workflow, audit); the admin reads.
        return False

    def has_add_permission(self, request: Any) -> bool:
        return False

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return False
