"""Forms of the consultation pages (public and officials'); labels in Vietnamese."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import AnswerKind, ConsultationContent, Period, Stance

DATETIME_WIDGET = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%d/%m/%Y %H:%M"]


def set_choices(form: forms.Form, name: str, choices: list[tuple[Any, Any]]) -> None:
    """Give a choice field its choices at run time (they depend on the data or the official)."""
    field = form.fields[name]
    assert isinstance(field, forms.ChoiceField)
    field.choices = choices


class FilterForm(forms.Form):
    q = forms.CharField(label=_("Tìm kiếm"), required=False, max_length=100)
    period = forms.ChoiceField(label=_("Thời gian"), required=False,
                               choices=[("", _("Tất cả")), *Period.choices])
    content = forms.ChoiceField(label=_("Nội dung"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "content", [("", _("Tất cả"))] + [
            (c.code, c.name) for c in ConsultationContent.objects.filter(active=True)])


class CommentForm(forms.Form):
    section = forms.TypedChoiceField(label=_("Góp ý vào phần"), coerce=int)
    body = forms.CharField(label=_("Ý kiến góp ý của bạn"), max_length=5000, min_length=5,
                           widget=forms.Textarea(attrs={"rows": 4}))
    author_name = forms.CharField(label=_("Họ và tên (không bắt buộc, sẽ hiển thị công khai)"), required=False,
                                  max_length=120)
    contact = forms.CharField(label=_("Điện thoại hoặc thư điện tử để cơ quan liên hệ lại (không bắt buộc, "
                                      "không công khai)"), required=False, max_length=150)
    # Honeypot: hidden from people by CSS, filled by bots.
    website = forms.CharField(label=_("Để trống ô này"), required=False)


class StanceForm(forms.Form):
    stance = forms.ChoiceField(choices=Stance.choices)


class StatementForm(forms.Form):
    text = forms.CharField(label=_("Ý kiến ngắn của bạn (tối đa 280 ký tự)"), max_length=280, min_length=5,
                           widget=forms.Textarea(attrs={"rows": 2, "maxlength": 280}))
    website = forms.CharField(label=_("Để trống ô này"), required=False)


class ConsultationForm(forms.Form):
    unit = forms.ChoiceField(label=_("Địa bàn"))
    drafting_body = forms.ChoiceField(label=_("Cơ quan chủ trì soạn thảo"), required=False)
    content = forms.ModelChoiceField(label=_("Nội dung lấy ý kiến (Điều 25)"),
                                     queryset=ConsultationContent.objects.filter(active=True), to_field_name="code")
    title = forms.CharField(label=_("Tên dự thảo"), max_length=300)
    summary = forms.CharField(label=_("Tóm tắt"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    opens_at = forms.DateTimeField(label=_("Bắt đầu lấy ý kiến"), widget=DATETIME_WIDGET,
                                   input_formats=DATETIME_FORMATS)
    closes_at = forms.DateTimeField(label=_("Kết thúc lấy ý kiến"), widget=DATETIME_WIDGET,
                                    input_formats=DATETIME_FORMATS)
    statements_enabled = forms.BooleanField(label=_("Mở chế độ ý kiến ngắn (đồng ý / không đồng ý / bỏ qua) "
                                                    "cho đợt lấy ý kiến lớn"), required=False)
    published = forms.BooleanField(label=_("Công khai trên cổng thông tin"), required=False, initial=True)

    def __init__(self, *args: Any, units: list[Any] | None = None, organisations: list[Any] | None = None,
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "unit", [(u.pk, u.name) for u in units or []])
        set_choices(self, "drafting_body", [("", _("— Ủy ban nhân dân của địa bàn —"))] + [
            (o.pk, o.name) for o in organisations or []])


class ConsultationEditForm(forms.Form):
    title = forms.CharField(label=_("Tên dự thảo"), max_length=300)
    summary = forms.CharField(label=_("Tóm tắt"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    opens_at = forms.DateTimeField(label=_("Bắt đầu lấy ý kiến"), widget=DATETIME_WIDGET,
                                   input_formats=DATETIME_FORMATS)
    closes_at = forms.DateTimeField(label=_("Kết thúc lấy ý kiến"), widget=DATETIME_WIDGET,
                                    input_formats=DATETIME_FORMATS)
    statements_enabled = forms.BooleanField(label=_("Chế độ ý kiến ngắn"), required=False)
    published = forms.BooleanField(label=_("Công khai trên cổng thông tin"), required=False)


class SectionForm(forms.Form):
    label = forms.CharField(label=_("Số hiệu (Điều, Khoản, Mục)"), max_length=60)
    title = forms.CharField(label=_("Tiêu đề"), max_length=300, required=False)
    body = forms.CharField(label=_("Nội dung"), widget=forms.Textarea(attrs={"rows": 5}))
    order = forms.IntegerField(label=_("Chèn vào vị trí (để trống: cuối dự thảo)"), required=False, min_value=1)


class HideForm(forms.Form):
    reason = forms.CharField(label=_("Lý do ẩn (hiển thị công khai)"), max_length=300, min_length=5)


class AnswerForm(forms.Form):
    kind = forms.ChoiceField(label=_("Hình thức"), choices=AnswerKind.choices, widget=forms.RadioSelect)
    body = forms.CharField(label=_("Nội dung tiếp thu, giải trình"), widget=forms.Textarea(attrs={"rows": 4}))
    comments = forms.MultipleChoiceField(label=_("Các ý kiến được trả lời (không bắt buộc)"), required=False,
                                         widget=forms.CheckboxSelectMultiple)


class OrganisationCommentForm(forms.Form):
    organisation = forms.ChoiceField(label=_("Thay mặt tổ chức"))
    section = forms.ChoiceField(label=_("Phần dự thảo"))
    stance = forms.ChoiceField(label=_("Ý kiến về phần này"), required=False,
                               choices=[("", _("— Không biểu thị —")), *Stance.choices])
    body = forms.CharField(label=_("Nội dung phản biện, góp ý"), widget=forms.Textarea(attrs={"rows": 4}),
                           min_length=5, max_length=5000)


class RejectForm(forms.Form):
    reason = forms.CharField(label=_("Lý do không duyệt"), max_length=300, required=False)


class UploadForm(forms.Form):
    file = forms.FileField(label=_("Tệp đính kèm (PDF, ảnh, văn bản)"))
