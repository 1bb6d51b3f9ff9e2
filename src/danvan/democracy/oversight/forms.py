"""Forms of the officials' pages. Choices are limited to the commune being worked on, so a
tampered POST cannot attach a record to another commune's board or project."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from danvan.units.models import Level, Organisation, Status, Unit

from .models import (
    CommitmentSource,
    InspectionPlan,
    InvestmentProject,
    MemberRole,
    ProjectStatus,
    Recommendation,
    RecommendationStatus,
)

DATE = forms.DateInput(attrs={"type": "date"})


def _limit(form: forms.Form, name: str, queryset: QuerySet) -> None:
    field = form.fields[name]
    assert isinstance(field, forms.ModelChoiceField)
    field.queryset = queryset


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        files = data if isinstance(data, list | tuple) else [data] if data else []
        return [super(MultipleFileField, self).clean(f, initial) for f in files]


class MemberForm(forms.Form):
    board = forms.ModelChoiceField(label=_("Ban"), queryset=Organisation.objects.none())
    full_name = forms.CharField(label=_("Họ và tên"), max_length=120)
    village = forms.ModelChoiceField(label=_("Thôn, tổ dân phố"), queryset=Unit.objects.none())
    role = forms.ChoiceField(label=_("Chức vụ trong ban"), choices=MemberRole.choices, initial=MemberRole.MEMBER)
    phone = forms.CharField(label=_("Số điện thoại (không công khai)"), max_length=20, required=False)
    joined_on = forms.DateField(label=_("Ngày tham gia"), widget=DATE)

    def __init__(self, *args: Any, commune: Unit, boards: list[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _limit(self, "board", Organisation.objects.filter(pk__in=[b.pk for b in boards]))
        _limit(self, "village", Unit.objects.filter(parent=commune, level=Level.VILLAGE,
                                                              status=Status.ACTIVE).order_by("name"))


class MemberEndForm(forms.Form):
    left_on = forms.DateField(label=_("Ngày thôi tham gia"), widget=DATE)
    reason = forms.CharField(label=_("Lý do"), max_length=250, required=False)


class PlanForm(forms.Form):
    board = forms.ModelChoiceField(label=_("Ban"), queryset=Organisation.objects.none())
    title = forms.CharField(label=_("Tên kế hoạch"), max_length=250)
    subject = forms.CharField(label=_("Nội dung kiểm tra, giám sát"), widget=forms.Textarea(attrs={"rows": 3}))
    starts_on = forms.DateField(label=_("Từ ngày"), widget=DATE)
    ends_on = forms.DateField(label=_("Đến ngày"), widget=DATE)

    def __init__(self, *args: Any, boards: list[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _limit(self, "board", Organisation.objects.filter(pk__in=[b.pk for b in boards]))


class FindingForm(forms.Form):
    found_on = forms.DateField(label=_("Ngày ghi nhận"), widget=DATE)
    text = forms.CharField(label=_("Nội dung phát hiện"), widget=forms.Textarea(attrs={"rows": 3}))


class ConclusionForm(forms.Form):
    conclusion = forms.CharField(label=_("Kết luận"), widget=forms.Textarea(attrs={"rows": 3}))


class RecommendationForm(forms.Form):
    board = forms.ModelChoiceField(label=_("Ban kiến nghị"), queryset=Organisation.objects.none())
    text = forms.CharField(label=_("Nội dung kiến nghị"), widget=forms.Textarea(attrs={"rows": 4}))
    addressed_to = forms.CharField(label=_("Gửi tới"), max_length=250, required=False,
                                   help_text=_("Để trống: Ủy ban nhân dân xã, phường, đặc khu."))
    sent_on = forms.DateField(label=_("Ngày gửi"), widget=DATE)
    plan = forms.ModelChoiceField(label=_("Theo kế hoạch kiểm tra, giám sát"), required=False,
                                  queryset=InspectionPlan.objects.none())
    project = forms.ModelChoiceField(label=_("Về công trình, dự án"), required=False,
                                     queryset=InvestmentProject.objects.none())

    def __init__(self, *args: Any, commune: Unit, boards: list[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _limit(self, "board", Organisation.objects.filter(pk__in=[b.pk for b in boards]))
        _limit(self, "plan", InspectionPlan.objects.filter(unit_path=commune.path))
        _limit(self, "project", InvestmentProject.objects.filter(unit_path=commune.path))


class AnswerForm(forms.Form):
    answer = forms.CharField(label=_("Nội dung trả lời"), widget=forms.Textarea(attrs={"rows": 4}))
    follow_up_due_on = forms.DateField(label=_("Hạn thực hiện (nếu có)"), widget=DATE, required=False)


class CloseForm(forms.Form):
    note = forms.CharField(label=_("Kết quả thực hiện"), widget=forms.Textarea(attrs={"rows": 3}))


class ReopenForm(forms.Form):
    reason = forms.CharField(label=_("Lý do chưa đồng ý với câu trả lời"), widget=forms.Textarea(attrs={"rows": 3}))


class ProjectForm(forms.Form):
    name = forms.CharField(label=_("Tên công trình, dự án"), max_length=250)
    investor = forms.CharField(label=_("Chủ đầu tư"), max_length=250)
    funding_source = forms.CharField(label=_("Nguồn vốn"), max_length=250, required=False)
    budget_vnd = forms.IntegerField(label=_("Tổng mức đầu tư (đồng)"), min_value=0)
    starts_on = forms.DateField(label=_("Ngày khởi công"), widget=DATE, required=False)
    planned_end_on = forms.DateField(label=_("Ngày dự kiến hoàn thành"), widget=DATE, required=False)
    description = forms.CharField(label=_("Mô tả"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    latitude = forms.FloatField(label=_("Vĩ độ"), required=False, min_value=8, max_value=24)
    longitude = forms.FloatField(label=_("Kinh độ"), required=False, min_value=102, max_value=118)


class ProjectReportForm(forms.Form):
    reported_on = forms.DateField(label=_("Ngày báo cáo"), widget=DATE)
    progress_percent = forms.IntegerField(label=_("Tiến độ (%)"), min_value=0, max_value=100)
    status = forms.ChoiceField(label=_("Tình trạng"), choices=ProjectStatus.choices)
    note = forms.CharField(label=_("Nội dung báo cáo"), widget=forms.Textarea(attrs={"rows": 3}))


class IssueForm(forms.Form):
    text = forms.CharField(label=_("Vấn đề phát hiện"), widget=forms.Textarea(attrs={"rows": 3}))


class ResolveForm(forms.Form):
    resolution = forms.CharField(label=_("Kết quả khắc phục"), widget=forms.Textarea(attrs={"rows": 3}))


class CommitmentForm(forms.Form):
    title = forms.CharField(label=_("Nội dung cam kết"), max_length=250)
    description = forms.CharField(label=_("Mô tả"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    source_kind = forms.ChoiceField(label=_("Nguồn"), choices=CommitmentSource.choices)
    source_reference = forms.CharField(label=_("Văn bản, sự kiện làm căn cứ"), max_length=250, required=False)
    responsible = forms.CharField(label=_("Cơ quan, người chịu trách nhiệm"), max_length=250)
    due_on = forms.DateField(label=_("Hạn hoàn thành"), widget=DATE)
    recommendation = forms.ModelChoiceField(label=_("Thực hiện kiến nghị"), required=False,
                                            queryset=Recommendation.objects.none())
    project = forms.ModelChoiceField(label=_("Gắn với công trình"), required=False,
                                     queryset=InvestmentProject.objects.none())

    def __init__(self, *args: Any, commune: Unit, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _limit(self, "recommendation", Recommendation.objects.filter(
            unit_path=commune.path).exclude(status=RecommendationStatus.CLOSED))
        _limit(self, "project", InvestmentProject.objects.filter(unit_path=commune.path))


class CommitmentUpdateForm(forms.Form):
    reported_on = forms.DateField(label=_("Ngày cập nhật"), widget=DATE)
    progress_percent = forms.IntegerField(label=_("Tiến độ (%)"), min_value=0, max_value=100,
                                          help_text=_("100% là đã hoàn thành."))
    note = forms.CharField(label=_("Kết quả, minh chứng"), widget=forms.Textarea(attrs={"rows": 3}))
    evidence = MultipleFileField(label=_("Ảnh, tài liệu minh chứng (JPEG, PNG, WebP, PDF)"), required=False)


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("Lý do hủy bỏ"), widget=forms.Textarea(attrs={"rows": 2}))
