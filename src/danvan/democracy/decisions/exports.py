"""Excel export of the decisions an official sees: results per village, never who voted how."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Decision

EXPORT_MAX_ROWS = 10_000
XLSX_WIDTHS = (24, 24, 48, 36, 26, 24, 10, 10, 22, 48, 14, 14)


def headers() -> list[str]:
    return [_("Thôn, tổ dân phố"), _("Xã, phường, đặc khu"), _("Nội dung biểu quyết"), _("Loại nội dung"),
            _("Hình thức"), _("Trạng thái"), _("Tổng số hộ"), _("Số hộ tham gia"), _("Kết quả"),
            _("Kết quả theo phương án"), _("Ngày công bố"), _("Ngày báo cáo")]


def _day(value: dt.datetime | None) -> str:
    return timezone.localtime(value).strftime("%d/%m/%Y") if value else ""


def rows(decisions: QuerySet[Decision]) -> Iterable[list[object]]:
    """One row per decision, with the per-option totals in one cell."""
    for d in decisions.prefetch_related("options")[:EXPORT_MAX_ROWS]:
        per_option = "; ".join(f"{o.label}: {o.votes}" for o in d.options.all() if o.votes is not None)
        yield [d.village.name, d.village.parent.name if d.village.parent else "", d.title, d.matter_type.name,
               d.get_form_display(), d.get_status_display(), d.eligible_households, d.participants,
               d.get_outcome_display(), per_option, _day(d.published_at), _day(d.reported_at)]


def to_xlsx(decisions: QuerySet[Decision]) -> bytes:
    """A workbook with a bold header row and readable column widths."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = _("Biểu quyết")
    sheet.append(headers())
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows(decisions):
        sheet.append([str(v) if v is not None and not isinstance(v, int) else v for v in row])
    for index, width in enumerate(XLSX_WIDTHS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
