"""Validate every row of a table against an importer and build the per-row error report."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from danvan.imports.mapping import row_values
from danvan.imports.registry import Importer

# Row numbers as the user sees them in Excel: row 1 is the header, data starts at row 2.
FIRST_DATA_ROW = 2


@dataclass
class Report:
    total: int = 0
    good: list[tuple[int, dict[str, Any]]] = field(default_factory=list)
    # (sheet row number, column label, Vietnamese reason)
    errors: list[tuple[int, str, str]] = field(default_factory=list)

    @property
    def bad_rows(self) -> int:
        return len({row for row, _col, _reason in self.errors})


def validate_table(
    importer: Importer, actor: Any, rows: list[list[str]], mapping: dict[str, int]
) -> Report:
    labels = {f.key: str(f.label) for f in importer.fields}
    report = Report(total=len(rows))
    for offset, row in enumerate(rows):
        number = offset + FIRST_DATA_ROW
        values = row_values(row, mapping)
        missing = [
            (f.key, _("Thiếu giá trị bắt buộc."))
            for f in importer.fields
            if f.required and not values.get(f.key, "").strip()
        ]
        clean, errors = ({}, missing) if missing else importer.validate_row(actor, values)
        if errors:
            report.errors.extend((number, labels.get(k, k), reason) for k, reason in errors)
        else:
            report.good.append((number, clean))
    return report


def _report_rows(report: Report) -> list[list[object]]:
    return [[_("Dòng"), _("Cột"), _("Lý do")], *([n, c, r] for n, c, r in report.errors)]


def report_csv(report: Report) -> bytes:
    """The error report as UTF-8 CSV with a BOM, so Excel shows the Vietnamese correctly."""
    buffer = io.StringIO()
    csv.writer(buffer).writerows(_report_rows(report))
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def report_xlsx(report: Report) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Dòng lỗi"))
    for line in _report_rows(report):
        sheet.append(line)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
