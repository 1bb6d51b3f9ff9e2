"""Forms of the "Dân vận khéo" pages. They check what a person typed (present, a number, a
date, a choice from the list); the rules stay with the services, whose ``DomainError``
messages the views show on the same form, keeping what was typed."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from danvan.accounts.selectors import scope_paths
from danvan.core.search import searchable
from danvan.units.models import Era, Level, Organisation, OrganisationKind, Status, Unit
from danvan.units.selectors import subtrees_q

from .models import AppraisalCriterion, CommendationKind, Indicator, Kind, Practice, PracticeField, ReviewOutcome
from .models import Level as PracticeLevel
from .rules import MOVEMENT_ROLES
from .services import FIRST_YEAR, PracticeInput

DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]
# Bodies that run the movement with the government: offered as check boxes, resolved on the unit.
MOVEMENT_ORGANISATIONS = (
    OrganisationKind.PARTY_COMMITTEE, OrganisationKind.PEOPLES_COMMITTEE, OrganisationKind.FATHERLAND_FRONT,
    OrganisationKind.PROPAGANDA_MOBILIZATION, OrganisationKind.WOMENS_UNION, OrganisationKind.YOUTH_UNION,
    OrganisationKind.FARMERS_UNION, OrganisationKind.VETERANS_ASSOCIATION, OrganisationKind.TRADE_UNION,
)


def _date(label: Any, *, required: bool = False) -> forms.DateField:
    return forms.DateField(label=label, required=required, input_formats=DATE_FORMATS,
                           widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                           error_messages={"invalid": _("Ngày không hợp lệ (ngày/tháng/năm)."),
                                           "required": _("Hãy nhập ngày.")})


def _text(label: Any, *, required: bool = False, rows: int = 4, max_length: int = 20000,
          help_text: Any = "") -> forms.CharField:
    return forms.CharField(label=label, required=required, max_length=max_length, help_text=help_text,
                           widget=forms.Textarea(attrs={"rows": rows}),
                           error_messages={"required": _("Hãy nhập nội dung."),
                                           "max_length": _("Nội dung quá dài: tối đa %(limit_value)d ký tự.")})


def registrable_units(*, actor: Any) -> QuerySet[Unit]:
    """Provinces and communes where the official may register a model."""
    roots = scope_paths(actor, roles=MOVEMENT_ROLES)
    return Unit.objects.filter(subtrees_q(roots), era=Era.CURRENT, status=Status.ACTIVE,
                               level__in=(Level.PROVINCE, Level.COMMUNE)).order_by("path")


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name} ({obj.code})"


class PracticeForm(forms.Form):
    name = forms.CharField(label=_("Tên mô hình"), max_length=300,
                           error_messages={"required": _("Hãy nhập tên mô hình.")})
    kind = forms.ChoiceField(label=_("Loại mô hình"), choices=Kind.choices, widget=forms.RadioSelect,
                             initial=Kind.COLLECTIVE)
    holder_name = forms.CharField(label=_("Tập thể, cá nhân thực hiện"), max_length=250, required=False,
                                  help_text=_("Ví dụ: Chi hội Phụ nữ thôn Đông; ông Nguyễn Văn An."))
    field = forms.ModelChoiceField(label=_("Lĩnh vực"), queryset=PracticeField.objects.none(),
                                   empty_label=_("— Chọn lĩnh vực —"),
                                   error_messages={"required": _("Hãy chọn lĩnh vực.")})
    unit = UnitChoiceField(label=_("Đơn vị thực hiện"), queryset=Unit.objects.none(),
                           empty_label=_("— Chọn xã, phường, đặc khu hoặc tỉnh —"),
                           error_messages={"required": _("Hãy chọn đơn vị thực hiện."),
                                           "invalid_choice": _("Đơn vị không thuộc phạm vi phụ trách của bạn.")})
    village = forms.CharField(label=_("Thôn, tổ dân phố"), max_length=200, required=False,
                              help_text=_("Gõ đúng tên thôn, tổ dân phố của đơn vị đã chọn; bỏ trống nếu "
                                          "mô hình thực hiện trên toàn đơn vị."))
    organisations = forms.MultipleChoiceField(
        label=_("Cơ quan, tổ chức thực hiện"), required=False, widget=forms.CheckboxSelectMultiple,
        choices=[(k.value, k.label) for k in MOVEMENT_ORGANISATIONS])
    year = forms.IntegerField(label=_("Năm đăng ký"), min_value=FIRST_YEAR,
                              error_messages={"required": _("Hãy nhập năm đăng ký."),
                                              "invalid": _("Năm phải là số."),
                                              "min_value": _("Năm đăng ký phải từ %(limit_value)s.")})
    started_on = _date(_("Ngày bắt đầu"))
    ended_on = _date(_("Ngày kết thúc"))
    participants = forms.IntegerField(label=_("Số người tham gia"), min_value=0, initial=0, required=False,
                                      error_messages={"invalid": _("Phải là số nguyên."),
                                                      "min_value": _("Không được âm.")})
    description = _text(_("Nội dung, cách làm"), rows=6)
    results = _text(_("Kết quả đạt được"), rows=4)
    latitude = forms.FloatField(label=_("Vĩ độ"), required=False, error_messages={"invalid": _("Phải là số.")})
    longitude = forms.FloatField(label=_("Kinh độ"), required=False, error_messages={"invalid": _("Phải là số.")})

    def __init__(self, *args: Any, actor: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["field"]).queryset = PracticeField.objects.filter(
            active=True).order_by("order", "name")
        cast(forms.ModelChoiceField, self.fields["unit"]).queryset = registrable_units(actor=actor)
        self.fields["year"].initial = timezone.localdate().year

    @staticmethod
    def initial_from(practice: Practice) -> dict[str, Any]:
        return {"name": practice.name, "kind": practice.kind, "holder_name": practice.holder_name,
                "field": practice.field_id, "unit": practice.unit_id,
                "village": practice.village.name if practice.village else "",
                "organisations": list(practice.organisations.values_list("kind", flat=True)),
                "year": practice.year, "started_on": practice.started_on, "ended_on": practice.ended_on,
                "participants": practice.participants, "description": practice.description,
                "results": practice.results, "latitude": practice.latitude, "longitude": practice.longitude}

    def clean(self) -> dict[str, Any]:
        data: dict[str, Any] = super().clean() or {}
        unit = data.get("unit")
        village_name = (data.get("village") or "").strip()
        data["village_unit"] = None
        if unit is not None and village_name:
            folded = searchable(village_name)
            village = Unit.objects.filter(parent=unit, level=Level.VILLAGE, status=Status.ACTIVE,
                                          search_text=folded).first()
            if village is None:
                self.add_error("village", _("Không có thôn, tổ dân phố tên “%(name)s” thuộc %(unit)s.")
                                % {"name": village_name, "unit": unit.name})
            data["village_unit"] = village
        data["organisation_rows"] = []
        if unit is not None and data.get("organisations"):
            # The unit's own body first (a commune's Women's Union), else the province's.
            units = [unit] if unit.parent is None or unit.level == Level.PROVINCE else [unit, unit.parent]
            found: dict[str, Organisation] = {}
            for org in Organisation.objects.filter(unit__in=units, active=True, kind__in=data["organisations"]):
                if org.kind not in found or org.unit_id == unit.pk:
                    found[org.kind] = org
            data["organisation_rows"] = list(found.values())
        if (data.get("latitude") is None) != (data.get("longitude") is None):
            self.add_error("longitude", _("Hãy nhập cả vĩ độ và kinh độ, hoặc bỏ trống cả hai."))
        return data

    def to_input(self) -> PracticeInput:
        d = self.cleaned_data
        return PracticeInput(
            name=d["name"], kind=d["kind"], holder_name=d.get("holder_name") or "", field=d["field"],
            unit=d["unit"], village=d.get("village_unit"), organisations=d.get("organisation_rows") or [],
            year=d["year"], started_on=d.get("started_on"), ended_on=d.get("ended_on"),
            participants=d.get("participants") or 0, description=d.get("description") or "",
            results=d.get("results") or "", latitude=d.get("latitude"), longitude=d.get("longitude"))


class ReplicaForm(PracticeForm):
    note = _text(_("Ghi chú về việc nhân rộng"), rows=2, max_length=5000)


class NoteForm(forms.Form):
    note = _text(_("Nội dung"), required=True, rows=3, max_length=5000)


class AppraisalForm(forms.Form):
    comment = _text(_("Nhận xét của thành viên hội đồng"), rows=4)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.criteria = list(AppraisalCriterion.objects.filter(active=True).order_by("order", "id"))
        for c in self.criteria:
            self.fields[f"score_{c.pk}"] = forms.IntegerField(
                label=c.name, min_value=0, max_value=c.max_score, help_text=c.description,
                widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
                error_messages={"required": _("Hãy chấm điểm tiêu chí này."), "invalid": _("Phải là số nguyên."),
                                "min_value": _("Không được âm."),
                                "max_value": _("Tối đa %(limit_value)s điểm.")})

    def score_fields(self) -> list[Any]:
        return [self[f"score_{c.pk}"] for c in self.criteria]

    def scores(self) -> dict[int, int]:
        return {c.pk: self.cleaned_data[f"score_{c.pk}"] for c in self.criteria}


class CertifyForm(forms.Form):
    level = forms.ChoiceField(label=_("Cấp công nhận"), choices=PracticeLevel.choices, widget=forms.RadioSelect,
                              error_messages={"required": _("Hãy chọn cấp công nhận.")})
    decision_number = forms.CharField(label=_("Số quyết định"), max_length=60,
                                      help_text=_("Ví dụ: 125/QĐ-UBND"),
                                      error_messages={"required": _("Hãy nhập số quyết định.")})
    decided_on = _date(_("Ngày quyết định"), required=True)
    body = forms.CharField(label=_("Cơ quan ra quyết định"), max_length=250,
                           error_messages={"required": _("Hãy nhập cơ quan ra quyết định.")})


class ReviewForm(forms.Form):
    year = forms.IntegerField(label=_("Năm đánh giá"), min_value=FIRST_YEAR,
                              error_messages={"required": _("Hãy nhập năm đánh giá."),
                                              "invalid": _("Năm phải là số."),
                                              "min_value": _("Năm không hợp lệ.")})
    outcome = forms.ChoiceField(label=_("Kết quả"), choices=ReviewOutcome.choices, widget=forms.RadioSelect,
                                error_messages={"required": _("Hãy chọn kết quả đánh giá.")})
    note = _text(_("Nhận xét"), rows=3, max_length=5000,
                 help_text=_("Bắt buộc khi đánh giá không duy trì mô hình."))


class CommendationForm(forms.Form):
    kind = forms.ChoiceField(label=_("Hình thức khen thưởng"), choices=CommendationKind.choices,
                             widget=forms.RadioSelect, error_messages={"required": _("Hãy chọn hình thức.")})
    body = forms.CharField(label=_("Cơ quan khen thưởng"), max_length=250,
                           help_text=_("Ví dụ: Ủy ban nhân dân tỉnh; Ban Thường vụ Tỉnh ủy."),
                           error_messages={"required": _("Hãy nhập cơ quan khen thưởng.")})
    decision_number = forms.CharField(label=_("Số quyết định"), max_length=60,
                                      error_messages={"required": _("Hãy nhập số quyết định.")})
    decided_on = _date(_("Ngày quyết định"), required=True)
    note = _text(_("Ghi chú"), rows=2, max_length=5000)


class IndicatorForm(forms.Form):
    name = forms.CharField(label=_("Tên chỉ tiêu"), max_length=200,
                           help_text=_("Ví dụ: Số hộ được hỗ trợ; Số tiền vận động; Chiều dài đường bê tông."),
                           error_messages={"required": _("Hãy nhập tên chỉ tiêu.")})
    measure = forms.CharField(label=_("Đơn vị tính"), max_length=40, help_text=_("Ví dụ: hộ, đồng, km."),
                              error_messages={"required": _("Hãy nhập đơn vị tính.")})


class IndicatorValueForm(forms.Form):
    indicator = forms.ModelChoiceField(label=_("Chỉ tiêu"), queryset=Indicator.objects.none(),
                                       empty_label=_("— Chọn chỉ tiêu —"),
                                       error_messages={"required": _("Hãy chọn chỉ tiêu.")})
    on = _date(_("Thời điểm"), required=True)
    value = forms.DecimalField(label=_("Giá trị"), min_value=0, max_digits=18, decimal_places=2,
                               localize=True,
                               error_messages={"required": _("Hãy nhập giá trị."), "invalid": _("Phải là số."),
                                               "min_value": _("Không được âm.")})

    def __init__(self, *args: Any, practice: Practice, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["indicator"]).queryset = practice.indicators.order_by("order", "id")


ACCEPTED_TYPES = "image/jpeg,image/png,image/webp,application/pdf"


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input (Django's own FileField takes one)."""

    def clean(self, data: Any, initial: Any = None) -> Any:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data]
        return [single(data, initial)]


class AttachmentForm(forms.Form):
    # Not "files": that name is the form's own dict of uploads.
    documents = MultipleFileField(label=_("Ảnh, tài liệu (JPEG, PNG, WebP, PDF)"),
                                  widget=MultipleFileInput(attrs={"multiple": True, "accept": ACCEPTED_TYPES}),
                                  error_messages={"required": _("Hãy chọn ít nhất một tệp.")})
