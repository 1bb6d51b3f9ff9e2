"""Filters of the officials' overview (map and statistics), read from the address (GET)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Field, Kind, State
from .selectors_overview import STATUS_OPEN, STATUS_OVERDUE

DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]
DATE_ERRORS = {"invalid": _("Ngày không hợp lệ: hãy ghi theo dạng ngày/tháng/năm, ví dụ 31/12/2025.")}


def status_choices() -> list[tuple[str, Any]]:
    return [("", _("Tất cả")), (STATUS_OPEN, _("Đang giải quyết (mọi trạng thái)")),
            (STATUS_OVERDUE, _("Quá hạn")), *State.choices]


class OverviewForm(forms.Form):
    """Date range on the receipt date, field, kind, status; the unit is read and checked by the view."""

    start = forms.DateField(label=_("Tiếp nhận từ ngày"), required=False, input_formats=DATE_FORMATS,
                            widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                            error_messages=DATE_ERRORS)
    end = forms.DateField(label=_("Đến ngày"), required=False, input_formats=DATE_FORMATS,
                          widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                          error_messages=DATE_ERRORS)
    field = forms.ChoiceField(label=_("Lĩnh vực"), required=False,
                              error_messages={"invalid_choice": _("Lĩnh vực không hợp lệ.")})
    kind = forms.ChoiceField(label=_("Loại"), required=False, choices=[("", _("Tất cả")), *Kind.choices],
                             error_messages={"invalid_choice": _("Loại vụ việc không hợp lệ.")})
    status = forms.ChoiceField(label=_("Trạng thái"), required=False, choices=status_choices,
                               error_messages={"invalid_choice": _("Trạng thái không hợp lệ.")})
    unit_q = forms.CharField(label=_("Tìm đơn vị"), required=False, max_length=100,
                             error_messages={"max_length": _("Tên đơn vị tối đa %(limit_value)d ký tự.")})

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Inactive fields stay filterable: their old cases are still counted.
        fields = list(Field.objects.order_by("order", "name").values_list("code", "name"))
        self.fields["field"].choices = [("", _("Tất cả")), *fields]  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if start and end and start > end:
            self.add_error("end", _("Ngày kết thúc phải bằng hoặc sau ngày bắt đầu."))
        return data
