"""Administration of the unit tree, organisations and household registers.

Official units (nation, provinces, districts, communes) come from the national code list
and change only through reorganisation services, so here they are read-only. Villages are
added, renamed and edited through the same services as the console, so the audit trail is
the same whichever door a change comes through. Searches fold the query like every other
search in danvan: "ba dinh" finds "Phường Ba Đình".
"""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.admin.views.main import ORDER_VAR, ChangeList
from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.db.models.functions import Length
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from danvan.core.errors import DomainError
from danvan.core.search import rank_annotation, word_prefix_filter
from danvan.core.text import normalize

from .models import Era, Household, Kind, Level, Organisation, Status, Unit, UnitRename, UnitSuccession
from .services import (
    VILLAGE_KINDS,
    household_check,
    household_save,
    organisation_check,
    organisation_create,
    organisation_update,
    unit_rename,
    unit_rename_check,
    village_check,
    village_create,
    village_update,
)

# Codes typed into a search box: "01", "00004", "T003", or a whole path "VN.01.00004.".
_CODE_RE = re.compile(r"^[0-9A-Za-z][0-9A-Za-z._-]*$")
# Autocomplete widgets of these fields offer only the units that make sense there.
_AUTOCOMPLETE_LIMITS: dict[tuple[str, str], Q] = {
    ("unit", "parent"): Q(era=Era.CURRENT, level=Level.COMMUNE, status=Status.ACTIVE),
    ("household", "village"): Q(era=Era.CURRENT, level=Level.VILLAGE, status=Status.ACTIVE),
    ("organisation", "unit"): Q(era=Era.CURRENT, level__in=[Level.PROVINCE, Level.COMMUNE],
                                status=Status.ACTIVE),
}


def _domain_errors_as_validation(check: Any, **kwargs: Any) -> Any:
    try:
        return check(**kwargs)
    except DomainError as exc:
        raise forms.ValidationError(exc.message) from exc


def _copy_saved(obj: Any, saved: Any) -> None:
    """The admin goes on with its own ``obj`` (message, log, redirect): make it the saved row."""
    for f in type(saved)._meta.concrete_fields:
        setattr(obj, f.attname, getattr(saved, f.attname))
    obj._state.adding = False
    obj._state.db = saved._state.db


class FoldedSearchAdmin(admin.ModelAdmin):
    """Accent-insensitive search on pre-folded columns (core.search), ranked when there is one.

    ``folded_search_fields``: folded columns to match (any of them); the first one ranks.
    ``code_search_fields``: columns matched exactly when the query looks like a code.
    ``rank_order``: extra ordering between rank and length (e.g. higher levels first).
    """

    folded_search_fields: tuple[str, ...] = ("search_text",)
    code_search_fields: tuple[str, ...] = ()
    rank_order: tuple[str, ...] = ()
    search_fields = ("search_text",)  # shows the search box; matching is below

    def get_search_results(self, request: HttpRequest, queryset: QuerySet,
                           search_term: str) -> tuple[QuerySet, bool]:
        term = search_term.strip()
        if not term:
            return queryset, False
        condition = self.extra_search_q(term)
        for field in self.folded_search_fields:
            words = word_prefix_filter(field, term)
            if words is not None:
                condition |= words
        code_match = Q(pk__in=[])
        if self.code_search_fields and _CODE_RE.match(term):
            for field in self.code_search_fields:
                code_match |= Q(**{field: term.upper() if field.endswith("code") else term})
        first = self.folded_search_fields[0]
        rank = Case(When(code_match, then=Value(-1)), default=rank_annotation(first, term),
                    output_field=IntegerField())
        results = (queryset.filter(condition | code_match)
                   .annotate(search_rank=rank, search_len=Length(first))
                   .order_by("search_rank", *self.rank_order, "search_len"))
        return results, False

    def extra_search_q(self, term: str) -> Q:
        """More rows to find for ``term`` beyond the folded columns (none by default)."""
        return Q(pk__in=[])

    def get_changelist(self, request: HttpRequest, **kwargs: Any) -> type[ChangeList]:
        return RankedChangeList


class RankedChangeList(ChangeList):
    """A change list that keeps the relevance order of a search unless a column is sorted."""

    def get_ordering(self, request: HttpRequest, queryset: QuerySet) -> list[Any]:
        if self.query and ORDER_VAR not in self.params and "search_rank" in queryset.query.annotations:
            rank_order = getattr(self.model_admin, "rank_order", ())
            return ["search_rank", *rank_order, "search_len", "pk"]
        return super().get_ordering(request, queryset)


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class RenameInline(ReadOnlyInline):
    model = UnitRename
    fields = ("old_name", "new_name", "effective_on", "decision")
    readonly_fields = fields
    verbose_name_plural = _("lịch sử đổi tên")


class PredecessorInline(ReadOnlyInline):
    model = UnitSuccession
    fk_name = "successor"
    fields = ("predecessor", "kind", "partial", "effective_on", "decision")
    readonly_fields = fields
    verbose_name_plural = _("hình thành từ các đơn vị cũ")


class SuccessorInline(ReadOnlyInline):
    model = UnitSuccession
    fk_name = "predecessor"
    fields = ("successor", "kind", "partial", "effective_on", "decision")
    readonly_fields = fields
    verbose_name_plural = _("chuyển thành các đơn vị mới")


def _village_kind_choices(blank_label: str | None) -> list[tuple[str, str]]:
    choices = [(str(k), str(Kind(k).label)) for k in VILLAGE_KINDS]
    return [("", blank_label), *choices] if blank_label is not None else choices


class VillageAddForm(forms.ModelForm):
    """A new village or residential group: checked and created by ``village_create``."""

    kind = forms.ChoiceField(label=_("loại"), required=False,
                             choices=lambda: _village_kind_choices(str(_("(theo tên: Thôn…, Tổ dân phố…)"))))
    code = forms.CharField(label=_("mã"), required=False, max_length=20,
                           help_text=_("Để trống để hệ thống cấp mã T001, T002, …"))

    class Meta:
        model = Unit
        fields = ("parent", "name", "kind", "code")
        labels = {"parent": _("xã, phường, đặc khu")}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        parent = self.fields["parent"]
        parent.required = True
        parent.queryset = Unit.objects.filter(era=Era.CURRENT, level=Level.COMMUNE,  # type: ignore[attr-defined]
                                              status=Status.ACTIVE)

    def _get_validation_exclusions(self) -> set[str]:
        # village_check answers a taken code with a clearer message than the model constraint.
        excluded: set[str] = super()._get_validation_exclusions()  # type: ignore[misc]
        return excluded | {"code"}

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("parent") is not None and "name" in data:
            name, code = _domain_errors_as_validation(
                village_check, commune=data["parent"], name=data["name"], kind=data.get("kind") or None,
                code=data.get("code"))
            data["name"], data["code"] = name, code
        return data


class VillageChangeForm(forms.ModelForm):
    """Edits of a village: a new name is a rename with its date and decision; the rest an update."""

    kind = forms.ChoiceField(label=_("loại"), choices=lambda: _village_kind_choices(None))
    effective_on = forms.DateField(label=_("đổi tên có hiệu lực từ"), required=False,
                                   help_text=_("Chỉ dùng khi đổi tên; để trống là hôm nay."))
    decision = forms.CharField(label=_("văn bản đổi tên"), required=False, max_length=200,
                               help_text=_("Số, ký hiệu quyết định đổi tên (nếu có)."))

    class Meta:
        model = Unit
        fields = ("name", "kind", "latitude", "longitude")

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if "name" in self.changed_data and data.get("name"):
            # ``self.instance`` still holds the stored values here: the form copies onto it later.
            try:
                data["name"] = unit_rename_check(unit=self.instance, new_name=data["name"])
            except DomainError as exc:
                # Only the tone placement changed ("Hoà" → "Hòa"): nothing to rename.
                if self.instance.name == normalize(data["name"]):
                    self.changed_data.remove("name")
                else:
                    self.add_error("name", exc.message)
        return data


@admin.register(Unit)
class UnitAdmin(FoldedSearchAdmin):
    list_display = ("name", "code", "kind", "level", "era", "status", "parent")
    list_filter = ("era", "level", "kind", "status")
    list_select_related = ("parent",)
    code_search_fields = ("code", "path")
    rank_order = ("level",)
    autocomplete_fields = ("parent",)
    list_per_page = 50
    readonly_fields = ("code", "name", "level", "kind", "era", "status", "parent", "path", "valid_from",
                       "dissolved_on", "latitude", "longitude", "created_at", "updated_at")

    def get_inlines(self, request: HttpRequest, obj: Unit | None) -> tuple[type[admin.TabularInline], ...]:
        if obj is None:
            return ()
        return (RenameInline, PredecessorInline, SuccessorInline)

    def get_form(self, request: HttpRequest, obj: Unit | None = None, change: bool = False,
                 **kwargs: Any) -> type[forms.ModelForm]:
        if obj is None:
            kwargs["form"] = VillageAddForm
        elif self._editable_village(obj):
            kwargs["form"] = VillageChangeForm
        return super().get_form(request, obj, change=change, **kwargs)

    def get_fields(self, request: HttpRequest, obj: Unit | None = None) -> tuple[str, ...]:
        if obj is None:
            return ("parent", "name", "kind", "code")
        if self._editable_village(obj):
            return ("code", "path", "parent", "name", "kind", "latitude", "longitude", "effective_on",
                    "decision", "status", "created_at", "updated_at")
        return tuple(self.readonly_fields)

    def get_readonly_fields(self, request: HttpRequest, obj: Unit | None = None) -> tuple[str, ...]:
        if obj is None:
            return ()
        if self._editable_village(obj):
            return ("code", "path", "parent", "status", "created_at", "updated_at")
        return tuple(self.readonly_fields)

    @staticmethod
    def _editable_village(obj: Unit) -> bool:
        return obj.level == Level.VILLAGE and obj.status == Status.ACTIVE and obj.era == Era.CURRENT

    def has_change_permission(self, request: HttpRequest, obj: Unit | None = None) -> bool:
        # Official units change only through reorganisation services (merge, split, rename).
        if obj is not None and not self._editable_village(obj):
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Unit | None = None) -> bool:
        # Units are history: records keep pointing at them; a unit is dissolved, never deleted.
        return False

    def get_search_results(self, request: HttpRequest, queryset: QuerySet,
                           search_term: str) -> tuple[QuerySet, bool]:
        if request.path.endswith("/autocomplete/"):
            key = (request.GET.get("model_name", ""), request.GET.get("field_name", ""))
            limit = _AUTOCOMPLETE_LIMITS.get(key)
            if limit is not None:
                queryset = queryset.filter(limit)
        return super().get_search_results(request, queryset, search_term)

    def save_model(self, request: HttpRequest, obj: Unit, form: forms.ModelForm, change: bool) -> None:
        data = form.cleaned_data
        if not change:
            village = village_create(actor=request.user, commune=data["parent"], name=data["name"],
                                     kind=data.get("kind") or None, code=data.get("code") or None)
            _copy_saved(obj, village)
            return
        current = Unit.objects.get(pk=obj.pk)
        if "name" in form.changed_data:
            unit_rename(actor=request.user, unit=current, new_name=data["name"],
                        effective_on=data.get("effective_on") or timezone.localdate(),
                        decision=data.get("decision") or "")
        if {"kind", "latitude", "longitude"} & set(form.changed_data):
            village_update(actor=request.user, village=current, kind=data["kind"],
                           latitude=data.get("latitude"), longitude=data.get("longitude"))
        current.refresh_from_db()
        _copy_saved(obj, current)


class OrganisationAddForm(forms.ModelForm):
    name = forms.CharField(label=_("tên"), required=False, max_length=250,
                           help_text=_("Để trống để dùng tên theo quy ước, ví dụ "
                                       "“Ủy ban nhân dân Phường Ba Đình”."))

    class Meta:
        model = Organisation
        fields = ("unit", "kind", "name")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.filter(  # type: ignore[attr-defined]
            era=Era.CURRENT, level__in=[Level.PROVINCE, Level.COMMUNE], status=Status.ACTIVE)

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("unit") is not None and data.get("kind"):
            _domain_errors_as_validation(organisation_check, unit=data["unit"], kind=data["kind"])
        return data

    def _get_validation_exclusions(self) -> set[str]:
        # organisation_check answers the one-active-per-kind rule with a clearer message.
        excluded: set[str] = super()._get_validation_exclusions()  # type: ignore[misc]
        return excluded | {"kind"}


class OrganisationChangeForm(forms.ModelForm):
    class Meta:
        model = Organisation
        fields = ("name", "active")

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("active") and not self.instance.active:
            _domain_errors_as_validation(organisation_check, unit=self.instance.unit, kind=self.instance.kind,
                                         exclude_pk=self.instance.pk)
        return data


@admin.register(Organisation)
class OrganisationAdmin(FoldedSearchAdmin):
    list_display = ("name", "kind", "unit", "active")
    list_filter = ("kind", "active", "unit__level")
    list_select_related = ("unit",)
    autocomplete_fields = ("unit",)
    rank_order = ("unit__level",)
    list_per_page = 50

    def get_form(self, request: HttpRequest, obj: Organisation | None = None, change: bool = False,
                 **kwargs: Any) -> type[forms.ModelForm]:
        kwargs["form"] = OrganisationAddForm if obj is None else OrganisationChangeForm
        return super().get_form(request, obj, change=change, **kwargs)

    def get_fields(self, request: HttpRequest, obj: Organisation | None = None) -> tuple[str, ...]:
        if obj is None:
            return ("unit", "kind", "name")
        return ("unit", "kind", "name", "active", "created_at", "updated_at")

    def get_readonly_fields(self, request: HttpRequest, obj: Organisation | None = None) -> tuple[str, ...]:
        return () if obj is None else ("unit", "kind", "created_at", "updated_at")

    def has_delete_permission(self, request: HttpRequest, obj: Organisation | None = None) -> bool:
        # Role grants and records point at organisations; they are deactivated instead.
        return False

    def save_model(self, request: HttpRequest, obj: Organisation, form: forms.ModelForm,
                   change: bool) -> None:
        data = form.cleaned_data
        if not change:
            _copy_saved(obj, organisation_create(actor=request.user, unit=data["unit"], kind=data["kind"],
                                                 name=data.get("name") or ""))
            return
        current = Organisation.objects.select_related("unit").get(pk=obj.pk)
        _copy_saved(obj, organisation_update(actor=request.user, organisation=current, name=data["name"],
                                             active=data["active"]))


class HouseholdForm(forms.ModelForm):
    class Meta:
        model = Household
        fields = ("village", "number", "head_name", "representative_name", "representative_phone", "address",
                  "members", "active")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["village"].queryset = Unit.objects.filter(  # type: ignore[attr-defined]
            era=Era.CURRENT, level=Level.VILLAGE, status=Status.ACTIVE)
        self.fields["representative_name"].required = False
        self.fields["representative_name"].help_text = _("Để trống nếu chủ hộ là người đại diện.")

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("village") is not None and data.get("number"):
            _domain_errors_as_validation(household_check, village=data["village"], number=data["number"],
                                         exclude_pk=self.instance.pk)
        return data

    def _get_validation_exclusions(self) -> set[str]:
        # household_check answers a taken number with a clearer message than the model constraint.
        excluded: set[str] = super()._get_validation_exclusions()  # type: ignore[misc]
        return excluded | {"number"}


@admin.register(Household)
class HouseholdAdmin(admin.ModelAdmin):
    form = HouseholdForm
    list_display = ("number", "head_name", "representative_name", "village", "members", "active")
    list_filter = ("active",)
    list_select_related = ("village", "village__parent")
    autocomplete_fields = ("village",)
    search_fields = ("number", "head_name", "representative_name", "representative_phone")
    list_per_page = 50

    def get_search_results(self, request: HttpRequest, queryset: QuerySet,
                           search_term: str) -> tuple[QuerySet, bool]:
        results, duplicates = super().get_search_results(request, queryset, search_term)
        # Also "all households of thôn Hòa Bình", typed with or without marks.
        village = word_prefix_filter("village__search_text", search_term)
        if village is not None:
            results = results | queryset.filter(village)
        return results, duplicates

    def has_delete_permission(self, request: HttpRequest, obj: Household | None = None) -> bool:
        # A household that moves away is marked "no longer living here"; votes keep their voter.
        return False

    def save_model(self, request: HttpRequest, obj: Household, form: forms.ModelForm, change: bool) -> None:
        household_save(actor=request.user, household=obj, changed=form.changed_data)


class HistoryAdmin(FoldedSearchAdmin):
    """Reorganisation history: written only by the reorganisation services."""

    list_per_page = 50

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(UnitSuccession)
class UnitSuccessionAdmin(HistoryAdmin):
    list_display = ("predecessor", "successor", "kind", "partial", "effective_on", "decision")
    list_filter = ("kind", "partial", "effective_on", "successor__level")
    list_select_related = ("predecessor", "successor")
    folded_search_fields = ("predecessor__search_text", "successor__search_text")
    code_search_fields = ("predecessor__code", "successor__code")
    fields = list_display


@admin.register(UnitRename)
class UnitRenameAdmin(HistoryAdmin):
    list_display = ("renamed_unit", "old_name", "new_name", "effective_on", "decision")
    list_filter = ("effective_on",)
    list_select_related = ("unit",)
    folded_search_fields = ("unit__search_text",)
    code_search_fields = ("unit__code",)
    fields = list_display
    readonly_fields = list_display

    @admin.display(description=_("đơn vị"), ordering="unit__path")
    def renamed_unit(self, obj: UnitRename) -> Unit:
        return obj.unit


    def extra_search_q(self, term: str) -> Q:
        # Old names are not folded anywhere; match them as typed.
        return Q(old_name__icontains=term)
