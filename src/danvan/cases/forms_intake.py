"""The officials' intake form: walk-ins (tiếp công dân trực tiếp), letters and hotline calls."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import Channel, Field, Instance, Kind

INTAKE_CHANNELS: list[tuple[str, Any]] = [
    (Channel.WALK_IN.value, Channel.WALK_IN.label),
    (Channel.LETTER.value, Channel.LETTER.label),
    (Channel.HOTLINE.value, Channel.HOTLINE.label),
]
# A letter typed in without its time of arrival counts from the start of that office day.
DEFAULT_RECEIPT_TIME = dt.time(8, 0)


class IntakeForm(forms.Form):
    """What an intake officer types for a citizen; the view turns it into a ``case_submit`` call."""

    token = forms.RegexField(widget=forms.HiddenInput, regex=r"^[A-Za-z0-9_-]{16,64}$",
                             error_messages={"invalid": _("Phiên nhập không hợp lệ, vui lòng tải lại trang."),
                                             "required": _("Phiên nhập không hợp lệ, vui lòng tải lại trang.")})
    channel = forms.ChoiceField(label=_("Kênh tiếp nhận"), choices=INTAKE_CHANNELS, widget=forms.RadioSelect,
                                error_messages={"required": _("Hãy chọn kênh tiếp nhận."),
                                                "invalid_choice": _("Kênh tiếp nhận không hợp lệ.")})
    kind = forms.ChoiceField(label=_("Loại"), choices=Kind.choices, widget=forms.RadioSelect,
                             error_messages={"required": _("Hãy chọn loại: phản ánh, kiến nghị, khiếu nại hay tố cáo."),
                                             "invalid_choice": _("Loại vụ việc không hợp lệ.")})
    instance = forms.TypedChoiceField(label=_("Lần khiếu nại"), coerce=int, required=False, empty_value=None,
                                      choices=[("", _("— Không áp dụng —")), *Instance.choices],
                                      error_messages={"invalid_choice": _("Khiếu nại chỉ có lần đầu hoặc lần hai.")})
    field = forms.ModelChoiceField(label=_("Lĩnh vực"),
                                   queryset=Field.objects.filter(active=True).order_by("order", "name"),
                                   empty_label=_("— Chọn lĩnh vực —"),
                                   error_messages={"required": _("Hãy chọn lĩnh vực."),
                                                   "invalid_choice": _("Lĩnh vực không hợp lệ.")})
    commune_q = forms.CharField(label=_("Tìm xã, phường, đặc khu"), max_length=100, required=False)
    commune = forms.CharField(label=_("Xã, phường, đặc khu"), max_length=20, required=False)
    address = forms.CharField(label=_("Địa điểm cụ thể (nếu có)"), max_length=300, required=False)
    received_on = forms.DateField(label=_("Ngày tiếp nhận"), widget=forms.DateInput(attrs={"type": "date"}),
                                  input_formats=["%Y-%m-%d", "%d/%m/%Y"],
                                  error_messages={"required": _("Hãy ghi ngày tiếp nhận."),
                                                  "invalid": _("Ngày tiếp nhận phải theo dạng ngày/tháng/năm.")})
    received_time = forms.TimeField(label=_("Giờ tiếp nhận (không bắt buộc)"), required=False,
                                    widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
                                    error_messages={"invalid": _("Giờ tiếp nhận phải theo dạng giờ:phút.")})
    title = forms.CharField(label=_("Tiêu đề"), max_length=200,
                            error_messages={"required": _("Hãy ghi tiêu đề."),
                                            "max_length": _("Tiêu đề tối đa %(limit_value)d ký tự.")})
    description = forms.CharField(label=_("Nội dung (tóm tắt đơn, thư hoặc lời trình bày)"),
                                  widget=forms.Textarea(attrs={"rows": 8}), max_length=20000,
                                  error_messages={"required": _("Hãy ghi nội dung."),
                                                  "max_length": _("Nội dung tối đa %(limit_value)d ký tự.")})
    is_urgent = forms.BooleanField(label=_("Khẩn cấp (chỉ với phản ánh, kiến nghị)"), required=False)
    is_remote = forms.BooleanField(label=_("Vùng sâu, vùng xa, đi lại khó khăn"), required=False)
    name = forms.CharField(label=_("Họ và tên người gửi"), max_length=150, required=False)
    denouncer_address = forms.CharField(label=_("Địa chỉ của người tố cáo"), max_length=300, required=False)
    id_number = forms.CharField(label=_("Số định danh cá nhân (CCCD) của người tố cáo"), max_length=20,
                                required=False)
    phone = forms.CharField(label=_("Số điện thoại"), max_length=20, required=False)
    email = forms.EmailField(label=_("Thư điện tử"), required=False,
                             error_messages={"invalid": _("Địa chỉ thư điện tử không hợp lệ.")})
    wants_updates = forms.BooleanField(label=_("Người gửi đồng ý nhận thông báo về tiến độ qua số điện thoại "
                                               "hoặc thư điện tử đã ghi."), required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kind = data.get("kind")
        if data.get("wants_updates") and not (data.get("phone") or data.get("email")):
            self.add_error("phone", _("Để nhận thông báo, hãy ghi số điện thoại hoặc thư điện tử."))
        if kind == Kind.COMPLAINT and not data.get("name"):
            self.add_error("name", _("Đơn khiếu nại phải ghi rõ họ tên người khiếu nại."))
        if kind != Kind.COMPLAINT:
            # Only a complaint has a first or second instance; the choice is dropped otherwise.
            data["instance"] = None
        if kind != Kind.DENUNCIATION and (data.get("denouncer_address") or data.get("id_number")):
            self.add_error("denouncer_address", _("Địa chỉ, số định danh chỉ ghi cho người tố cáo."))
        day = data.get("received_on")
        if day is not None:
            if day > timezone.localdate():
                self.add_error("received_on", _("Ngày tiếp nhận không được ở tương lai."))
            elif (moment := self.received_at()) is not None and moment > timezone.now():
                self.add_error("received_time", _("Giờ tiếp nhận không được ở tương lai."))
        return data

    def received_at(self) -> dt.datetime | None:
        """The moment of receipt: now for today without a time, else the day at the time given (or 08:00)."""
        day = self.cleaned_data.get("received_on")
        if day is None:
            return None
        time = self.cleaned_data.get("received_time")
        if time is None and day == timezone.localdate():
            return timezone.now()
        return timezone.make_aware(dt.datetime.combine(day, time or DEFAULT_RECEIPT_TIME))
