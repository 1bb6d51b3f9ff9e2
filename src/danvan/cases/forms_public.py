"""The citizen's public submission form (no account needed, works with JavaScript off)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Field, Kind

# One-line explanations so a citizen picks the kind the law means.
KIND_HELP: dict[str, Any] = {
    Kind.FEEDBACK: _("Báo cho cơ quan nhà nước biết một vụ việc, vấn đề bất cập để xem xét, xử lý."),
    Kind.PETITION: _("Đề xuất với cơ quan nhà nước một ý kiến, sáng kiến về chính sách, quản lý."),
    Kind.COMPLAINT: _("Đề nghị xem xét lại quyết định hành chính, hành vi hành chính xâm phạm quyền, "
                      "lợi ích hợp pháp của mình."),
    Kind.DENUNCIATION: _("Báo cho cơ quan có thẩm quyền biết hành vi vi phạm pháp luật của cơ quan, "
                         "tổ chức, cá nhân; danh tính người tố cáo được giữ bí mật theo luật."),
}


class PublicCaseForm(forms.Form):
    """What a citizen types on /phan-anh/gui/; the view turns it into a case_submit call."""

    token = forms.RegexField(widget=forms.HiddenInput, regex=r"^[A-Za-z0-9_-]{16,64}$",
                             error_messages={"invalid": _("Phiên gửi không hợp lệ, vui lòng tải lại trang."),
                                             "required": _("Phiên gửi không hợp lệ, vui lòng tải lại trang.")})
    kind = forms.ChoiceField(
        label=_("Loại"), choices=Kind.choices, widget=forms.RadioSelect,
        error_messages={"required": _("Hãy chọn loại: phản ánh, kiến nghị, khiếu nại hay tố cáo.")})
    field = forms.ModelChoiceField(label=_("Lĩnh vực"),
                                   queryset=Field.objects.filter(active=True).order_by("order", "name"),
                                   empty_label=_("— Chọn lĩnh vực —"),
                                   error_messages={"required": _("Hãy chọn lĩnh vực."),
                                                   "invalid_choice": _("Lĩnh vực không hợp lệ.")})
    commune_q = forms.CharField(label=_("Tìm xã, phường, đặc khu"), max_length=100, required=False)
    commune = forms.CharField(label=_("Xã, phường, đặc khu"), max_length=20, required=False)
    address = forms.CharField(label=_("Địa điểm cụ thể (nếu có)"), max_length=300, required=False)
    latitude = forms.FloatField(label=_("Vĩ độ"), required=False, min_value=6.0, max_value=24.0,
                                error_messages={"invalid": _("Vĩ độ phải là một số."),
                                                "min_value": _("Vị trí phải nằm trong lãnh thổ Việt Nam."),
                                                "max_value": _("Vị trí phải nằm trong lãnh thổ Việt Nam.")})
    longitude = forms.FloatField(label=_("Kinh độ"), required=False, min_value=101.0, max_value=118.0,
                                 error_messages={"invalid": _("Kinh độ phải là một số."),
                                                 "min_value": _("Vị trí phải nằm trong lãnh thổ Việt Nam."),
                                                 "max_value": _("Vị trí phải nằm trong lãnh thổ Việt Nam.")})
    title = forms.CharField(label=_("Tiêu đề"), max_length=200,
                            error_messages={"required": _("Hãy ghi tiêu đề."),
                                            "max_length": _("Tiêu đề tối đa %(limit_value)d ký tự.")})
    description = forms.CharField(label=_("Nội dung"), widget=forms.Textarea(attrs={"rows": 8}), max_length=20000,
                                  error_messages={"required": _("Hãy ghi nội dung."),
                                                  "max_length": _("Nội dung tối đa %(limit_value)d ký tự.")})
    share_location = forms.BooleanField(label=_("Tôi đồng ý dùng vị trí chụp trong ảnh để xác định nơi xảy ra "
                                                "vụ việc (nếu không đồng ý, vị trí trong ảnh bị xóa)."), required=False)
    name = forms.CharField(label=_("Họ và tên"), max_length=150, required=False)
    denouncer_address = forms.CharField(label=_("Địa chỉ của người tố cáo"), max_length=300, required=False)
    phone = forms.CharField(label=_("Số điện thoại"), max_length=20, required=False)
    email = forms.EmailField(label=_("Thư điện tử"), required=False,
                             error_messages={"invalid": _("Địa chỉ thư điện tử không hợp lệ.")})
    wants_updates = forms.BooleanField(label=_("Tôi đồng ý nhận thông báo về tiến độ giải quyết qua số điện thoại "
                                               "hoặc thư điện tử đã ghi."), required=False)
    # Honeypot: hidden from people by CSS and aria-hidden; bots fill every field.
    website = forms.CharField(label=_("Để trống ô này"), required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("wants_updates") and not (data.get("phone") or data.get("email")):
            self.add_error("phone", _("Để nhận thông báo, hãy cho biết số điện thoại hoặc thư điện tử."))
        if (data.get("latitude") is None) != (data.get("longitude") is None):
            self.add_error("longitude", _("Hãy ghi đủ cả vĩ độ và kinh độ, hoặc để trống cả hai."))
        if data.get("kind") == Kind.COMPLAINT and not data.get("name"):
            self.add_error("name", _("Đơn khiếu nại phải ghi rõ họ tên người khiếu nại."))
        return data


class LookupForm(forms.Form):
    """The code a citizen received on submission."""

    code = forms.CharField(label=_("Mã tra cứu"), max_length=40,
                           error_messages={"required": _("Hãy nhập mã tra cứu.")})


class ReopenForm(forms.Form):
    """Why the citizen is not satisfied with the answer."""

    reason = forms.CharField(label=_("Lý do đề nghị mở lại"), widget=forms.Textarea(attrs={"rows": 4}),
                             max_length=5000, error_messages={"required": _("Phải nêu lý do đề nghị mở lại.")})


class RatingForm(forms.Form):
    """How satisfied the citizen is with the answer (1–5), with an optional comment."""

    score = forms.TypedChoiceField(
        label=_("Mức độ hài lòng với câu trả lời"), coerce=int, widget=forms.RadioSelect,
        choices=[(5, _("5 – Rất hài lòng")), (4, _("4 – Hài lòng")), (3, _("3 – Bình thường")),
                 (2, _("2 – Chưa hài lòng")), (1, _("1 – Rất không hài lòng"))],
        error_messages={"required": _("Hãy chọn một mức độ hài lòng."),
                        "invalid_choice": _("Mức độ hài lòng phải từ 1 đến 5.")},
    )
    comment = forms.CharField(label=_("Nhận xét (không bắt buộc)"), required=False, max_length=2000,
                              widget=forms.Textarea(attrs={"rows": 3}))
