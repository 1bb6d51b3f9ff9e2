"""Exports of a list of "Dân vận khéo" models: an Excel sheet, and a Word list laid out as
a state document under Decree 30/2020/NĐ-CP (``core.documents``). Only facts of the models
are exported, never anyone's contact data."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from danvan.core.documents import Heading, OfficialDocument

from .models import Kind, Level, Practice, State

EXPORT_MAX_ROWS = 20_000
XLSX_WIDTHS = (7, 48, 30, 26, 14, 28, 24, 8, 16, 18, 14, 12)


def headers() -> list[str]:
    return [_("STT"), _("Tên mô hình"), _("Tập thể, cá nhân thực hiện"), _("Lĩnh vực"), _("Loại"),
            _("Xã, phường, đặc khu"), _("Tỉnh, thành phố"), _("Năm"), _("Trạng thái"), _("Cấp công nhận"),
            _("Ngày công nhận"), _("Số người tham gia")]


def rows(practices: QuerySet[Practice]) -> Iterable[list[str | int]]:
    """One row per model. Plain values, not model instances: an export of a province's
    thousands of models should cost the query, not the ORM's per-object work."""
    kinds, states, levels = dict(Kind.choices), dict(State.choices), dict(Level.choices)
    columns = ("name", "holder_name", "field__name", "kind", "unit__name", "unit_id", "province__name",
               "province_id", "year", "status", "certified_level", "certified_on", "participants")
    for number, values in enumerate(practices.values_list(*columns)[:EXPORT_MAX_ROWS].iterator(chunk_size=2000),
                                    start=1):
        (name, holder, field_name, kind, unit_name, unit_id, province_name, province_id, year, status, level,
         certified_on, participants) = values
        yield [
            number, name, holder, field_name, str(kinds.get(kind, kind)),
            unit_name if unit_id != province_id else "", province_name, year, str(states.get(status, status)),
            str(levels.get(level, "")) if level else "",
            certified_on.strftime("%d/%m/%Y") if certified_on else "", participants,
        ]


def to_xlsx(practices: QuerySet[Practice]) -> bytes:
    """An Excel workbook: bold header row, readable widths, frozen header."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    book = Workbook()
    sheet = book.active
    sheet.title = _("Mô hình Dân vận khéo")
    sheet.append(headers())
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows(practices):
        sheet.append(row)
    for index, width in enumerate(XLSX_WIDTHS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def to_docx(practices: QuerySet[Practice], *, issuer: str, place: str, title: str, subtitle: str = "",
            today: dt.date | None = None) -> bytes:
    """The list as a Word document in the Decree 30 layout (landscape for the wide table),
    with the number left blank ("Số:      /DS") for the clerk who registers it."""
    document = OfficialDocument(Heading(issuer=issuer, place=place, day=today or timezone.localdate(), symbol="DS"),
                                kind=title, subject=subtitle, landscape=True)
    columns = [(_("STT"), 12), (_("Tên mô hình"), 80), (_("Tập thể, cá nhân thực hiện"), 45),
               (_("Lĩnh vực"), 35), (_("Địa bàn"), 40), (_("Năm"), 14), (_("Cấp công nhận"), 26)]

    def lines() -> Iterable[list[str | int]]:
        for values in rows(practices):
            number, name, holder, field_name, _kind, commune, province, year, status, level = values[:10]
            yield [number, name, holder, field_name, f"{commune}, {province}" if commune else province, year,
                   level or status]

    document.table(columns, lines(), centred=(0, 5))
    return document.to_bytes()
