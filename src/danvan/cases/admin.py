"""Administration of the case system's reference data, and a read-only look at cases.

Fields, legal rules and holidays are edited here through ``services.reference_save`` so each
change lands in the audit trail; rules and holidays not yet checked against the official
text carry a visible "chưa xác nhận" mark. Cases are read-only: they change only through the
workflow. A denouncer's identity is never shown here; clearances to read it are granted and
revoked through the services, which audit them.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from danvan.core.errors import DomainError
from danvan.core.text import normalize
from danvan.units.models import Era, Level, Status, Unit

from .models import Case, CaseEvent, Field, Holiday, IdentityClearance, LegalRule
from .services import (
    holiday_check,
    identity_clearance_grant,
    identity_clearance_revoke,
    legal_rule_check,
    reference_delete,
    reference_save,
)


def _unconfirmed_mark(value: bool) -> str:
    if not value:
        return ""
    return format_html('<strong style="color:#b45309">{}</strong>', _("CHƯA XÁC NHẬN"))


class ReferenceAdmin(admin.ModelAdmin):
    """Saves and deletions go through the services, so the audit trail sees them."""

    def save_model(self, request: HttpRequest, obj: Any, form: forms.ModelForm, change: bool) -> None:
        reference_save(actor=request.user, obj=obj, created=not change)

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        try:
            reference_delete(actor=request.user, obj=obj)
        except DomainError as exc:
            self.message_user(request, exc.message, level=messages.ERROR)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet) -> None:
        for obj in queryset:
            self.delete_model(request, obj)


class FieldForm(forms.ModelForm):
    keywords_text = forms.CharField(
        label=_("từ khóa"), required=False, widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Mỗi dòng một từ hoặc cụm từ, viết có dấu."))

    class Meta:
        model = Field
        fields = ("code", "name", "description", "order", "active")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["keywords_text"].initial = "\n".join(self.instance.keywords or [])

    def clean_keywords_text(self) -> list[str]:
        lines = [normalize(line) for line in self.cleaned_data.get("keywords_text", "").splitlines()]
        return list(dict.fromkeys(line for line in lines if line))

    def save(self, commit: bool = True) -> Field:
        self.instance.keywords = self.cleaned_data.get("keywords_text", [])
        return super().save(commit=commit)


@admin.register(Field)
class FieldAdmin(ReferenceAdmin):
    form = FieldForm
    list_display = ("name", "code", "order", "active", "keyword_count")
    list_editable = ("order",)
    list_filter = ("active",)
    search_fields = ("name", "code")
    fields = ("code", "name", "description", "order", "active", "keywords_text")

    @admin.display(description=_("số từ khóa"))
    def keyword_count(self, obj: Field) -> int:
        return len(obj.keywords or [])


class LegalRuleForm(forms.ModelForm):
    class Meta:
        model = LegalRule
        fields = ("key", "valid_from", "province", "days", "complex_days", "remote_days", "remote_complex_days",
                  "working_days", "max_extensions", "extension_days", "source", "unconfirmed")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if "province" in self.fields:
            self.fields["province"].queryset = Unit.objects.filter(  # type: ignore[attr-defined]
                era=Era.CURRENT, level=Level.PROVINCE, status=Status.ACTIVE).order_by("search_text")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not self.errors:
            for name, value in data.items():
                setattr(self.instance, name, value)
            try:
                legal_rule_check(self.instance)
            except DomainError as exc:
                raise forms.ValidationError(exc.message) from exc
        return data


@admin.register(LegalRule)
class LegalRuleAdmin(ReferenceAdmin):
    form = LegalRuleForm
    list_display = ("key", "province", "valid_from", "days", "complex_days", "remote_days", "remote_complex_days",
                    "working_days", "max_extensions", "extension_days", "unconfirmed_display")
    list_filter = ("unconfirmed", "key", "working_days", ("province", admin.EmptyFieldListFilter))
    list_select_related = ("province",)
    search_fields = ("key", "source")
    ordering = ("key", "province__code", "-valid_from")
    fieldsets = (
        (None, {"fields": ("key", "valid_from", "province", "unconfirmed")}),
        (_("Thời hạn"), {"fields": ("days", "complex_days", "remote_days", "remote_complex_days", "working_days")}),
        (_("Gia hạn"), {"fields": ("max_extensions", "extension_days")}),
        (_("Căn cứ"), {"fields": ("source",),
                       "description": _("Khi luật thay đổi, hãy thêm quy định mới với ngày hiệu lực mới thay vì "
                                        "sửa quy định cũ: vụ việc đã tiếp nhận giữ thời hạn theo quy định cũ.")}),
    )

    @admin.display(description=_("xác nhận"), boolean=False, ordering="unconfirmed")
    def unconfirmed_display(self, obj: LegalRule) -> str:
        return _unconfirmed_mark(obj.unconfirmed)


class HolidayForm(forms.ModelForm):
    class Meta:
        model = Holiday
        fields = ("date", "name", "working_day", "unconfirmed", "source")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("date") is not None:
            probe = Holiday(date=data["date"], working_day=bool(data.get("working_day")))
            try:
                holiday_check(probe)
            except DomainError as exc:
                raise forms.ValidationError(exc.message) from exc
        return data


@admin.register(Holiday)
class HolidayAdmin(ReferenceAdmin):
    form = HolidayForm
    list_display = ("date", "weekday", "name", "working_day", "unconfirmed_display")
    list_filter = ("unconfirmed", "working_day")
    date_hierarchy = "date"
    search_fields = ("name",)
    ordering = ("-date",)

    @admin.display(description=_("thứ"))
    def weekday(self, obj: Holiday) -> str:
        names = [_("Thứ Hai"), _("Thứ Ba"), _("Thứ Tư"), _("Thứ Năm"), _("Thứ Sáu"), _("Thứ Bảy"), _("Chủ nhật")]
        return str(names[obj.date.weekday()])

    @admin.display(description=_("xác nhận"), ordering="unconfirmed")
    def unconfirmed_display(self, obj: Holiday) -> str:
        return _unconfirmed_mark(obj.unconfirmed)


class EventInline(admin.TabularInline):
    model = CaseEvent
    extra = 0
    can_delete = False
    fields = ("at", "kind", "public", "actor", "note")
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Case)
class CaseAdmin(admin.ModelAdmin):
    """Cases are read here, never edited: every change goes through the workflow."""

    list_display = ("code", "kind", "status", "title", "unit", "field", "due_on", "received_at")
    list_filter = ("kind", "status", "channel", "field", "as_information")
    list_select_related = ("unit", "field")
    search_fields = ("=code",)
    date_hierarchy = "received_at"
    ordering = ("-received_at",)
    list_per_page = 50
    inlines = (EventInline,)
    # No submitter contact here: the administration site is for configuration, not casework.
    fields = ("code", "kind", "instance", "status", "channel", "as_information", "unit", "organisation", "field",
              "handler", "title", "description", "address", "latitude", "longitude", "is_urgent", "is_complex",
              "is_remote", "received_at", "acceptance_due_on", "accepted_at", "clock_started_on", "due_on",
              "extensions", "paused", "paused_days", "anonymous", "public", "duplicate_of", "answered_at",
              "closed_at", "created_at", "updated_at")
    readonly_fields = fields
    actions = None

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(IdentityClearance)
class IdentityClearanceAdmin(admin.ModelAdmin):
    list_display = ("user", "unit", "active", "granted_by", "granted_at", "revoked_at")
    list_filter = ("active",)
    list_select_related = ("user", "unit", "granted_by")
    search_fields = ("user__username", "user__full_name")
    autocomplete_fields = ("user", "unit")
    fields = ("user", "unit")
    actions = ("revoke",)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> tuple[str, ...]:
        return ("user", "unit") if obj is not None else ()

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # A clearance is granted or revoked, never edited.
        return obj is None and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: IdentityClearance, form: forms.ModelForm, change: bool) -> None:
        saved = identity_clearance_grant(actor=request.user, user=obj.user, unit=obj.unit)
        obj.pk = saved.pk
        obj._state.adding = False

    def add_view(self, request: HttpRequest, form_url: str = "", extra_context: Any = None) -> Any:
        try:
            return super().add_view(request, form_url, extra_context)
        except DomainError as exc:
            self.message_user(request, exc.message, level=messages.ERROR)
            from django.shortcuts import redirect

            return redirect(request.path)

    @admin.action(description=_("Thu hồi quyền đã chọn"))
    def revoke(self, request: HttpRequest, queryset: QuerySet[IdentityClearance]) -> None:
        done = 0
        for clearance in queryset.filter(active=True):
            try:
                identity_clearance_revoke(actor=request.user, clearance=clearance)
                done += 1
            except DomainError as exc:
                self.message_user(request, exc.message, level=messages.ERROR)
        if done:
            self.message_user(request, _("Đã thu hồi %(n)d quyền.") % {"n": done}, level=messages.SUCCESS)
