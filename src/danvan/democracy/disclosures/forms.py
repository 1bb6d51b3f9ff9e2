"""Forms of the public board and the officials' pages. Village choices are limited to the commune
of the item, so a tampered POST cannot record a relay in another commune's village."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from danvan.units.models import Level, Status, Unit

from .models import ChannelKind, DisclosureCategory, SubscriptionChannel
from .services import QUESTION_KINDS

DATE = forms.DateInput(attrs={"type": "date"})


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        files = data if isinstance(data, list | tuple) else [data] if data else []
        return [super(MultipleFileField, self).clean(f, initial) for f in files]
QUARTERS = [("", _("— không theo quý —")), ("1", _("Quý I")), ("2", _("Quý II")), ("3", _("Quý III")),
            ("4", _("Quý IV"))]


class ItemForm(forms.Form):
    category = forms.ModelChoiceField(label=_("Nội dung công khai (Điều 11)"),
                                      queryset=DisclosureCategory.objects.filter(active=True))
    title = forms.CharField(label=_("Tiêu đề"), max_length=250)
    content = forms.CharField(label=_("Nội dung"), widget=forms.Textarea(attrs={"rows": 5}))
    year = forms.IntegerField(label=_("Năm của kỳ công khai"), min_value=2000, max_value=2100, required=False,
                              help_text=_("Bắt buộc với nội dung công khai hằng năm, hằng quý."))
    quarter = forms.TypedChoiceField(label=_("Quý"), choices=QUARTERS, coerce=int, empty_value=None,
                                     required=False)
    posted_on = forms.DateField(label=_("Ngày công khai"), widget=DATE)
    taken_down_on = forms.DateField(label=_("Ngày kết thúc công khai (nếu đã biết)"), widget=DATE, required=False)
    short_reason = forms.CharField(label=_("Lý do kết thúc sớm (nếu chưa đủ thời gian tối thiểu)"),
                                   max_length=250, required=False)
    documents = MultipleFileField(label=_("Tệp đính kèm (PDF, ảnh)"), required=False)


class ItemEditForm(forms.Form):
    title = forms.CharField(label=_("Tiêu đề"), max_length=250)
    content = forms.CharField(label=_("Nội dung"), widget=forms.Textarea(attrs={"rows": 5}))
    year = forms.IntegerField(label=_("Năm của kỳ công khai"), min_value=2000, max_value=2100, required=False)
    quarter = forms.TypedChoiceField(label=_("Quý"), choices=QUARTERS, coerce=int, empty_value=None,
                                     required=False)
    posted_on = forms.DateField(label=_("Ngày công khai"), widget=DATE)


class TakeDownForm(forms.Form):
    taken_down_on = forms.DateField(label=_("Ngày kết thúc công khai"), widget=DATE)
    reason = forms.CharField(label=_("Lý do kết thúc sớm (nếu chưa đủ thời gian tối thiểu)"), max_length=250,
                             required=False)
    confirm = forms.BooleanField(label=_("Tôi xác nhận kết thúc công khai thông tin này"))


class AttachForm(forms.Form):
    documents = MultipleFileField(label=_("Tệp đính kèm (PDF, ảnh)"))


class ChannelForm(forms.Form):
    kind = forms.ChoiceField(label=_("Hình thức"), choices=ChannelKind.choices)
    village = forms.ModelChoiceField(label=_("Thôn, tổ dân phố (khi trưởng thôn thông báo)"),
                                     queryset=Unit.objects.none(), required=False)
    starts_on = forms.DateField(label=_("Từ ngày"), widget=DATE)
    days = forms.IntegerField(label=_("Số ngày liên tiếp (đài truyền thanh)"), min_value=1, max_value=366,
                              required=False)
    note = forms.CharField(label=_("Ghi chú"), max_length=250, required=False)

    def __init__(self, *args: Any, commune: Unit, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["village"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Unit.objects.filter(parent=commune, level=Level.VILLAGE,
                                             status=Status.ACTIVE).order_by("name")


class SubscribeForm(forms.Form):
    channel = forms.ChoiceField(label=_("Nhận tin qua"), choices=SubscriptionChannel.choices,
                                widget=forms.RadioSelect, initial=SubscriptionChannel.EMAIL)
    address = forms.CharField(label=_("Địa chỉ thư điện tử hoặc số điện thoại"), max_length=254)


class ConfirmCodeForm(forms.Form):
    address = forms.CharField(label=_("Số điện thoại đã đăng ký"), max_length=20)
    code = forms.CharField(label=_("Mã xác nhận (6 chữ số)"), max_length=6, min_length=6)


class QuestionForm(forms.Form):
    kind = forms.ChoiceField(label=_("Loại"), widget=forms.RadioSelect, initial=QUESTION_KINDS[0],
                             choices=[(k.value, k.label) for k in QUESTION_KINDS])
    text = forms.CharField(label=_("Câu hỏi, kiến nghị, phản ánh của ông/bà"), max_length=5000,
                           widget=forms.Textarea(attrs={"rows": 4}))
    name = forms.CharField(label=_("Họ và tên (không bắt buộc)"), max_length=150, required=False)
    phone = forms.CharField(label=_("Số điện thoại (không bắt buộc)"), max_length=20, required=False)
    email = forms.EmailField(label=_("Thư điện tử (không bắt buộc)"), required=False)
    wants_updates = forms.BooleanField(label=_("Nhận thông báo khi có trả lời"), required=False)
