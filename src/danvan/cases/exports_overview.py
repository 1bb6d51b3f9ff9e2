"""Exports of the overview's counts tables (CSV, Excel): the same rows the page shows, counts only."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from django.utils.translation import gettext as _

from .selectors_overview import CountRow, FieldStatusTable, UnitTable


@dataclass(frozen=True)
class Sheet:
    name: str
    headers: list[str]
    rows: list[list[str | int]]


def _tail_headers() -> list[str]:
    return [_("Tổng số"), _("Đang giải quyết"), _("Quá hạn")]


def _tail(row: CountRow) -> list[str | int]:
    return [row.total, row.open, row.overdue]


def field_sheet(table: FieldStatusTable) -> Sheet:
    """Fields × statuses, then total, open and overdue; a last line of totals."""
    headers = [_("Lĩnh vực"), *(label for _value, label in table.statuses), *_tail_headers()]
    rows: list[list[str | int]] = [
        [row.label, *(row.counts.get(value, 0) for value, _label in table.statuses), *_tail(row)]
        for row in table.rows]
    if table.rows:
        rows.append([_("Tổng cộng"), *(table.totals.counts.get(v, 0) for v, _label in table.statuses),
                     *_tail(table.totals)])
    return Sheet(name=_("Theo lĩnh vực"), headers=headers, rows=rows)


def unit_sheet(table: UnitTable) -> Sheet:
    rows: list[list[str | int]] = [[row.label, *_tail(row)] for row in table.rows]
    return Sheet(name=_("Theo địa bàn"), headers=[_("Đơn vị"), *_tail_headers()], rows=rows)


def kind_sheet(rows: list[CountRow]) -> Sheet:
    return Sheet(name=_("Theo loại"), headers=[_("Loại"), *_tail_headers()],
                 rows=[[row.label, *_tail(row)] for row in rows])


def to_csv(sheet: Sheet) -> bytes:
    """One table as CSV in UTF-8 with a byte-order mark, so spreadsheet programs read Vietnamese."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(sheet.headers)
    writer.writerows(sheet.rows)
    return "\ufeff".encode() + buffer.getvalue().encode("utf-8")


def to_xlsx(sheets: list[Sheet]) -> bytes:
    """One worksheet per table, bold header row, first column wide enough for unit names."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    book.remove(book.active)
    for sheet in sheets:
        ws = book.create_sheet(title=sheet.name[:31])  # Excel's limit on sheet names
        ws.append(sheet.headers)
        for cell in ws[1]:
            cell.font = Font(bold=True)
        for row in sheet.rows:
            ws.append(row)
        ws.column_dimensions["A"].width = 40
        ws.freeze_panes = "B2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
