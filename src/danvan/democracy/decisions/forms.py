"""Forms of the officials' pages and of the public voting page (labels and messages in Vietnamese)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from danvan.units.models import Unit

from .models import Channel, Decision, Form, MatterType, Tally

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME_WIDGET = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


class VillageChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name} – {obj.parent.name}" if obj.parent else str(obj.name)


class DecisionForm(forms.Form):
    village = VillageChoiceField(label=_("Thôn, tổ dân phố"), queryset=Unit.objects.none(),
                                     error_messages={"required": _("Hãy chọn thôn, tổ dân phố."),
                                                     "invalid_choice": _("Thôn, tổ dân phố không hợp lệ.")})
    title = forms.CharField(label=_("Nội dung biểu quyết"), max_length=250,
                            error_messages={"required": _("Hãy nhập nội dung biểu quyết.")})
    description = forms.CharField(label=_("Thuyết minh"), required=False, max_length=20000,
                                  widget=forms.Textarea(attrs={"rows": 4}))
    matter_type = forms.ModelChoiceField(label=_("Loại nội dung (Điều 15 Luật Thực hiện dân chủ ở cơ sở)"),
                                         queryset=MatterType.objects.filter(active=True),
                                         error_messages={"required": _("Hãy chọn loại nội dung.")})
    form = forms.ChoiceField(label=_("Hình thức"), choices=Form.choices, widget=forms.RadioSelect,
                             error_messages={"required": _("Hãy chọn hình thức biểu quyết.")})
    channel = forms.ChoiceField(label=_("Cách phát phiếu (khi lấy ý kiến hộ gia đình)"), required=False,
                                choices=[("", "–"), *Channel.choices])
    secret = forms.BooleanField(label=_("Hội nghị biểu quyết bằng phiếu kín (bỏ chọn: giơ tay)"), required=False)
    candidates = forms.CharField(label=_("Danh sách người ứng cử (khi bầu, cho thôi làm), mỗi người một dòng"),
                                 required=False, widget=forms.Textarea(attrs={"rows": 3}))
    seats = forms.IntegerField(label=_("Số người cần bầu"), min_value=1, max_value=50, initial=1, required=False)
    opens_on = forms.DateField(label=_("Ngày bắt đầu"), required=False, widget=DATE_WIDGET)
    closes_on = forms.DateField(label=_("Ngày kết thúc"), required=False, widget=DATE_WIDGET)
    document_title = forms.CharField(label=_("Tên văn bản được thông qua (hương ước, quy ước)"), required=False,
                                     max_length=250)
    online_head_front_agreed = forms.BooleanField(
        label=_("Trưởng thôn và Ban công tác Mặt trận thôn, tổ dân phố đã thống nhất biểu quyết trực tuyến"),
        required=False)
    online_method_chosen = forms.BooleanField(
        label=_("Cộng đồng dân cư đã lựa chọn cách thức biểu quyết trực tuyến"), required=False)
    online_devices_confirmed = forms.BooleanField(
        label=_("Các hộ gia đình có thiết bị kết nối mạng"), required=False)
    online_reported_on = forms.DateField(
        label=_("Ngày đã báo cáo trước UBND và Ủy ban MTTQ cấp xã"), required=False, widget=DATE_WIDGET)

    def __init__(self, *args: Any, villages: QuerySet[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["village"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = villages


class MeetingForm(forms.Form):
    held_on = forms.DateField(label=_("Ngày họp"), required=False, widget=DATE_WIDGET,
                              error_messages={"invalid": _("Ngày họp không hợp lệ.")})
    starts_at = forms.TimeField(label=_("Giờ bắt đầu"), required=False, widget=TIME_WIDGET,
                                input_formats=["%H:%M", "%H:%M:%S"],
                                error_messages={"invalid": _("Giờ bắt đầu không hợp lệ: hãy nhập giờ và phút, "
                                                             "ví dụ 19:30.")})
    location = forms.CharField(label=_("Địa điểm"), required=False, max_length=250)
    chair = forms.CharField(label=_("Chủ trì"), required=False, max_length=150)
    secretary = forms.CharField(label=_("Thư ký"), required=False, max_length=150)
    minutes = forms.CharField(label=_("Nội dung biên bản"), required=False, max_length=100000,
                              widget=forms.Textarea(attrs={"rows": 8}))


def tallies_form(decision: Decision, data: Any = None) -> forms.Form:
    """One number field per option, named ``option_<id>``."""
    form = forms.Form(data)
    # One read for every option's count, not one per option.
    entered = dict(Tally.objects.filter(decision=decision).values_list("option_id", "votes"))
    for option in decision.options.all():
        form.fields[f"option_{option.pk}"] = forms.IntegerField(
            label=option.label, min_value=0, initial=entered.get(option.pk),
            error_messages={"required": _("Hãy nhập số biểu quyết."), "invalid": _("Phải là số nguyên."),
                            "min_value": _("Không được âm.")})
    return form


class PaperBallotForm(forms.Form):
    number = forms.IntegerField(label=_("Số phiếu"), min_value=1,
                                error_messages={"required": _("Hãy nhập số phiếu."),
                                                "invalid": _("Số phiếu phải là số nguyên.")})
    options = forms.TypedMultipleChoiceField(label=_("Phương án được đánh dấu"), coerce=int, required=False,
                                             widget=forms.CheckboxSelectMultiple)
    spoilt = forms.BooleanField(label=_("Phiếu không hợp lệ"), required=False)

    def __init__(self, *args: Any, decision: Decision, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["options"]
        assert isinstance(field, forms.TypedMultipleChoiceField)
        field.choices = [(o.pk, o.label) for o in decision.options.all()]


class ReportForm(forms.Form):
    note = forms.CharField(label=_("Nội dung báo cáo Ủy ban nhân dân cấp xã"), required=False, max_length=20000,
                           widget=forms.Textarea(attrs={"rows": 3}))


class AttachmentForm(forms.Form):
    file = forms.FileField(label=_("Tệp (PDF hoặc ảnh)"), error_messages={"required": _("Hãy chọn tệp.")})


class VoteForm(forms.Form):
    code = forms.CharField(label=_("Mã biểu quyết của hộ (trong tin nhắn SMS)"), max_length=20,
                           widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters",
                                                         "spellcheck": "false"}),
                           error_messages={"required": _("Hãy nhập mã biểu quyết.")})
    options = forms.TypedMultipleChoiceField(label=_("Lựa chọn của hộ"), coerce=int,
                                             widget=forms.CheckboxSelectMultiple,
                                             error_messages={"required": _("Hãy chọn một phương án."),
                                                             "invalid_choice": _("Phương án không hợp lệ.")})

    def __init__(self, *args: Any, decision: Decision, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["options"]
        assert isinstance(field, forms.TypedMultipleChoiceField)
        field.choices = [(o.pk, o.label) for o in decision.options.all()]
        if decision.max_choices == 1:
            # One choice: radio buttons; the service checks the count anyway.
            self.fields["options"] = forms.TypedChoiceField(
                label=field.label, coerce=int, choices=field.choices, widget=forms.RadioSelect,
                error_messages={"required": _("Hãy chọn một phương án."),
                                "invalid_choice": _("Phương án không hợp lệ.")})

    def chosen(self) -> list[int]:
        value = self.cleaned_data.get("options")
        if value in (None, ""):
            return []
        return list(value) if isinstance(value, list) else [int(value)]
