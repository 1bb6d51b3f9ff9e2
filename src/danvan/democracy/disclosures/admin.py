"""The catalogue and its rules are data: an administrator edits them here (audited by Django's log
and, for the rules, by the dated rows themselves: a new rule is a new row from its date)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest

from .models import DisclosureCategory, DisclosureChannel, DisclosureItem, DisclosureRule, Subscription
from .services import catalogue_save, rule_delete


class AuditedAdmin(admin.ModelAdmin):
    def save_model(self, request: HttpRequest, obj: Any, form: forms.ModelForm, change: bool) -> None:
        catalogue_save(actor=request.user, obj=obj, created=not change)


class RuleInline(admin.TabularInline):
    model = DisclosureRule
    extra = 0


@admin.register(DisclosureCategory)
class CategoryAdmin(AuditedAdmin):
    list_display = ("order", "law_item", "name", "recurrence", "mandatory", "active")
    list_editable = ("mandatory", "active")
    list_display_links = ("name",)
    inlines = [RuleInline]

    def save_formset(self, request: HttpRequest, form: forms.ModelForm, formset: Any, change: bool) -> None:
        for rule in formset.save(commit=False):
            catalogue_save(actor=request.user, obj=rule, created=rule.pk is None)
        for rule in formset.deleted_objects:
            rule_delete(actor=request.user, rule=rule)


@admin.register(DisclosureRule)
class RuleAdmin(AuditedAdmin):
    list_display = ("category", "valid_from", "min_days", "radio_min_days", "due_anchor", "due_days",
                    "enforcement", "unconfirmed")
    list_filter = ("enforcement", "unconfirmed")


class ChannelInline(admin.TabularInline):
    model = DisclosureChannel
    extra = 0
    raw_id_fields = ("village", "recorded_by")


@admin.register(DisclosureItem)
class ItemAdmin(admin.ModelAdmin):
    list_display = ("title", "unit", "category", "year", "quarter", "posted_on", "taken_down_on")
    list_filter = ("category", "year")
    search_fields = ("title",)
    raw_id_fields = ("unit", "created_by")
    inlines = [ChannelInline]


@admin.register(Subscription)
class SubscriptionAdmin(admin.ModelAdmin):
    # The address is personal data: listed for support, never exported.
    list_display = ("unit", "channel", "confirmed_at", "unsubscribed_at")
    list_filter = ("channel",)
    raw_id_fields = ("unit",)
