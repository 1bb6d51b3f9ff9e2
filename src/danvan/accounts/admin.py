"""Administration of accounts and role grants. Every change goes through ``accounts.services``,
so the administration site writes the same audit entries as the console and the pages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.options import InlineModelAdmin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from danvan.core.errors import DomainError

from .models import RoleAssignment, User
from .services import (
    role_grant,
    role_grant_check,
    role_revoke,
    user_password_changed,
    user_save_by_admin,
)


class RoleAssignmentInline(admin.TabularInline):
    """The account's grants, shown for reference: grants are made and revoked on their own page."""

    model = RoleAssignment
    fk_name = "user"
    extra = 0
    can_delete = False
    show_change_link = True
    fields = ("role", "unit", "organisation", "title", "active", "granted_by", "created_at")
    readonly_fields = fields
    verbose_name = _("phân quyền")
    verbose_name_plural = _("phân quyền (cấp, thu hồi tại mục Phân quyền)")

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ("username", "full_name", "email", "phone", "is_official", "is_active", "is_staff")
    list_filter = ("is_official", "is_active", "is_staff", "is_superuser")
    search_fields = ("username", "full_name", "email", "phone")
    ordering = ("username",)
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Thông tin cá nhân"), {"fields": ("full_name", "email", "phone")}),
        (_("Quyền"), {"fields": ("is_official", "is_active", "is_staff", "is_superuser", "groups",
                                 "user_permissions")}),
        (_("Đăng nhập định danh quốc gia"), {"fields": ("oidc_subject",)}),
        (_("Mốc thời gian"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",),
                "fields": ("username", "full_name", "email", "phone", "is_official", "usable_password",
                           "password1", "password2")}),
    )
    inlines = (RoleAssignmentInline,)

    def get_inlines(self, request: HttpRequest, obj: Any | None) -> list[type[InlineModelAdmin[Any, Any]]]:
        # A new account has no grants yet; they are made on the grants page once it exists.
        return [RoleAssignmentInline] if obj is not None else []

    def save_model(self, request: HttpRequest, obj: User, form: forms.ModelForm, change: bool) -> None:
        password_changed = bool({"password1", "password2", "usable_password"} & set(form.changed_data))
        user_save_by_admin(actor=request.user, user=obj, created=not change,
                           password_changed=password_changed)

    def user_change_password(self, request: HttpRequest, id: str, form_url: str = "") -> HttpResponse:
        response = super().user_change_password(request, id, form_url)
        # Django's view saved the new password and answers with a redirect only on success.
        if request.method == "POST" and isinstance(response, HttpResponseRedirect):
            user = self.get_object(request, id)
            if user is not None:
                user_password_changed(actor=request.user, user=user)
        return response


class RoleAssignmentForm(forms.ModelForm):
    class Meta:
        model = RoleAssignment
        fields = ("user", "role", "unit", "organisation", "title", "active")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.instance.pk is None and not self.errors:
            try:
                role_grant_check(user=data["user"], role=data["role"], unit=data["unit"],
                                 organisation=data.get("organisation"))
            except DomainError as exc:
                raise forms.ValidationError(exc.message) from exc
        return data


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(admin.ModelAdmin):
    form = RoleAssignmentForm
    list_display = ("user", "role", "unit", "organisation", "title", "active", "granted_by", "created_at")
    list_filter = ("role", "active")
    search_fields = ("user__username", "user__full_name", "unit__name", "unit__code", "unit__path", "title")
    raw_id_fields = ("user", "unit", "organisation")
    list_select_related = ("user", "unit", "organisation", "granted_by")
    actions = ("revoke_selected",)

    def get_fields(self, request: HttpRequest, obj: Any | None = None) -> Any:
        if obj is None:
            return ["user", "role", "unit", "organisation", "title"]
        return ["user", "role", "unit", "organisation", "title", "granted_by", "created_at", "updated_at",
                "active"]

    def get_readonly_fields(self, request: HttpRequest, obj: RoleAssignment | None = None) -> list[str]:
        if obj is None:
            return []
        # A grant is never edited: it is revoked (unticking "active") and a new one is made.
        readonly = ["user", "role", "unit", "organisation", "title", "granted_by", "created_at", "updated_at"]
        if not obj.active:
            readonly.append("active")
        return readonly

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: RoleAssignment, form: forms.ModelForm,
                   change: bool) -> None:
        if not change:
            grant = role_grant(actor=request.user, user=obj.user, role=obj.role, unit=obj.unit,
                               organisation=obj.organisation, title=obj.title)
            # The admin goes on with ``obj`` (message, log, redirect): make it the saved grant.
            for field in RoleAssignment._meta.concrete_fields:
                setattr(obj, field.attname, getattr(grant, field.attname))
            obj._state.adding = False
            obj._state.db = grant._state.db
        elif "active" in form.changed_data and not obj.active:
            role_revoke(actor=request.user, grant=obj)

    @admin.action(description=_("Thu hồi các phân quyền đã chọn"), permissions=["change"])
    def revoke_selected(self, request: HttpRequest, queryset: QuerySet[RoleAssignment]) -> None:
        count = 0
        for grant in queryset.filter(active=True):
            role_revoke(actor=request.user, grant=grant)
            count += 1
        self.message_user(request, gettext("Đã thu hồi %(n)d phân quyền.") % {"n": count}, messages.SUCCESS)
