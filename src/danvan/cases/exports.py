"""Exports of an officials' inbox (CSV, Excel): case facts only, never a submitter or denouncer."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import RUNNING_STATES, Case

# Column widths (characters) for the Excel sheet, in the order of ``headers``.
XLSX_WIDTHS = (16, 14, 12, 24, 30, 26, 26, 14, 12, 48)
EXPORT_MAX_ROWS = 10_000


def headers() -> list[str]:
    """Vietnamese column titles of an inbox export."""
    return [_("Mã hồ sơ"), _("Ngày tiếp nhận"), _("Loại"), _("Lĩnh vực"), _("Địa bàn"),
            _("Cơ quan giải quyết"), _("Trạng thái"), _("Hạn giải quyết"), _("Số ngày quá hạn"), _("Tiêu đề")]


def overdue_days(case: Case, today: dt.date) -> int:
    """Days past the deadline of a case whose clock runs; 0 when not overdue."""
    if case.status in RUNNING_STATES and case.due_on and case.due_on < today:
        return (today - case.due_on).days
    return 0


def rows(cases: QuerySet[Case], *, today: dt.date | None = None) -> Iterable[list[str]]:
    """One row per case; only columns without personal data (no submitter, no denouncer)."""
    today = today or timezone.localdate()
    for case in cases[:EXPORT_MAX_ROWS]:
        days = overdue_days(case, today)
        yield [
            case.code,
            timezone.localtime(case.received_at).strftime("%d/%m/%Y"),
            case.get_kind_display(),
            case.field.name,
            case.unit.name,
            case.organisation.name,
            case.get_status_display(),
            case.due_on.strftime("%d/%m/%Y") if case.due_on else "",
            str(days) if days else "",
            case.title,
        ]


def to_csv(cases: QuerySet[Case]) -> bytes:
    """CSV in UTF-8 with a byte-order mark, so spreadsheet programs read Vietnamese correctly."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(headers())
    writer.writerows(rows(cases))
    return "\ufeff".encode() + buffer.getvalue().encode("utf-8")


def to_xlsx(cases: QuerySet[Case]) -> bytes:
    """An Excel workbook with a bold header row and readable column widths."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    book = Workbook()
    sheet = book.active
    sheet.title = _("Hồ sơ")
    sheet.append(headers())
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows(cases):
        sheet.append(row)
    for index, width in enumerate(XLSX_WIDTHS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
