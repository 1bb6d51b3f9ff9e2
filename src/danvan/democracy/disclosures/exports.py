"""Compliance tables as Excel workbooks: a commune's periods, or a province's communes."""

from __future__ import annotations

import io

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from danvan.units.models import Unit

from .compliance import Counts, Finding

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _d(value: object) -> str:
    return value.strftime("%d/%m/%Y") if value else ""  # type: ignore[attr-defined]


def _xlsx(title: str, header: list[str], rows: list[list[object]]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    book = Workbook()
    sheet = book.active
    sheet.title = _("Công khai")
    sheet.append([title])
    sheet["A1"].font = Font(bold=True, size=13)
    sheet.append(header)
    for cell in sheet[2]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for row in rows:
        sheet.append(row)
    for column in sheet.iter_cols(min_row=2, max_row=2):
        sheet.column_dimensions[column[0].column_letter].width = 24
    sheet.freeze_panes = "A3"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _response(content: bytes, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX)
    stamp = timezone.localdate().strftime("%Y%m%d")
    response["Content-Disposition"] = f'attachment; filename="{name}-{stamp}.xlsx"'
    return response


def commune_rows(findings: list[Finding]) -> list[list[object]]:
    return [[f.category.law_item or "", f.category.name, f.period_label, _d(f.due), f.label,
             ", ".join(_d(i.posted_on) for i in f.items), ", ".join(_d(i.taken_down_on) for i in f.items)]
            for f in findings]


def commune_workbook(*, commune: Unit, findings: list[Finding], year: int) -> HttpResponse:
    header = [_("Khoản"), _("Nội dung phải công khai"), _("Kỳ"), _("Hạn công khai"), _("Tình trạng"),
              _("Ngày công khai"), _("Ngày kết thúc")]
    title = _("Tình hình công khai năm %(year)d – %(unit)s") % {"year": year, "unit": commune.name}
    return _response(_xlsx(title, header, commune_rows(findings)), f"cong-khai-{commune.code}-{year}")


def province_rows(rows: list[tuple[Unit, Counts]]) -> list[list[object]]:
    return [[u.code, u.name, c.missing, c.late, c.short, c.ok, c.pending] for u, c in rows]


def province_workbook(*, province: Unit, rows: list[tuple[Unit, Counts]], year: int) -> HttpResponse:
    header = [_("Mã"), _("Xã, phường, đặc khu"), _("Chưa công khai, quá hạn"), _("Công khai muộn"),
              _("Chưa đủ thời gian"), _("Đúng quy định"), _("Chưa đến hạn")]
    title = _("Tình hình công khai năm %(year)d – %(unit)s") % {"year": year, "unit": province.name}
    return _response(_xlsx(title, header, province_rows(rows)), f"cong-khai-tinh-{province.code}-{year}")
