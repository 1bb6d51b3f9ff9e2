"""Exports of a list of "Dân vận khéo" models: an Excel sheet, and a Word list laid out as
a state document under Decree 30/2020/NĐ-CP (A4; margins top/bottom 20 mm, left 30 mm,
right 15 mm; Times New Roman; the national motto block; page numbers from page 2, top
centre). Only facts of the models are exported, never anyone's contact data."""

from __future__ import annotations

import copy
import datetime as dt
import io
from collections.abc import Iterable

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Kind, Level, Practice, State

EXPORT_MAX_ROWS = 20_000
XLSX_WIDTHS = (7, 48, 30, 26, 14, 28, 24, 8, 16, 18, 14, 12)
FONT = "Times New Roman"
_KIND_WORDS = ("Thành phố ", "Tỉnh ")


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


def place_name(province_name: str) -> str:
    """"Thành phố Hà Nội" → "Hà Nội": the place written before the date of a document."""
    for word in _KIND_WORDS:
        if province_name.startswith(word):
            return province_name[len(word):]
    return province_name


def vietnamese_date_line(place: str, day: dt.date) -> str:
    """"Hà Nội, ngày 05 tháng 3 năm 2026": days and months under 10 (1, 2) take a leading zero."""
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return _("%(place)s, ngày %(d)s tháng %(m)s năm %(y)d") % {"place": place, "d": f"{day.day:02d}",
                                                               "m": month, "y": day.year}


def _page_number_field(paragraph: object) -> None:
    """Insert a PAGE field (Word computes the number) into a header paragraph."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    run = paragraph.add_run()  # type: ignore[attr-defined]
    for kind, text in (("begin", None), (None, "PAGE"), ("end", None)):
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        else:
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = text
        run._r.append(element)


def _set_font(document: object) -> None:
    from docx.oxml.ns import qn
    from docx.shared import Pt

    style = document.styles["Normal"]  # type: ignore[attr-defined]
    style.font.name = FONT
    style.font.size = Pt(13)
    # East-Asian and complex-script slots too, or Word falls back to another font for some letters.
    fonts = style.element.rPr.rFonts
    for slot in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(slot), FONT)


def to_docx(practices: QuerySet[Practice], *, issuer: str, place: str, title: str, subtitle: str = "",
            today: dt.date | None = None) -> bytes:
    """The list as a Word document in the Decree 30 layout, ready to sign and number."""
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm, Pt

    today = today or timezone.localdate()
    document = Document()
    _set_font(document)
    section = document.sections[0]
    # A wide table reads better on a landscape page, which Decree 30 allows for tables.
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Mm(297), Mm(210)
    section.top_margin, section.bottom_margin = Mm(20), Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    section.different_first_page_header_footer = True
    header_paragraph = section.header.paragraphs[0]
    header_paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _page_number_field(header_paragraph)

    # The heading block: issuing body (left) and the national motto (right), side by side.
    block = document.add_table(rows=1, cols=2)
    block.alignment = WD_TABLE_ALIGNMENT.CENTER
    left, right = block.rows[0].cells
    left.width, right.width = Mm(100), Mm(152)
    p = left.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = p.add_run(issuer.upper())
    run.bold, run.font.size = True, Pt(13)
    p = left.add_paragraph(_("Số:      /DS"))
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    p = right.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = p.add_run(_("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"))
    run.bold, run.font.size = True, Pt(13)
    p = right.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = p.add_run(_("Độc lập - Tự do - Hạnh phúc"))
    run.bold, run.underline, run.font.size = True, True, Pt(14)
    p = right.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = p.add_run(vietnamese_date_line(place, today))
    run.italic, run.font.size = True, Pt(14)

    p = document.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    p.paragraph_format.space_before = Pt(12)
    run = p.add_run(title.upper())
    run.bold, run.font.size = True, Pt(14)
    if subtitle:
        p = document.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = p.add_run(subtitle)
        run.bold, run.font.size = True, Pt(14)

    columns = [(_("STT"), 12), (_("Tên mô hình"), 80), (_("Tập thể, cá nhân thực hiện"), 45),
               (_("Lĩnh vực"), 35), (_("Địa bàn"), 40), (_("Năm"), 14), (_("Cấp công nhận"), 26)]
    table = document.add_table(rows=2, cols=len(columns))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    header, template = table.rows[0], table.rows[1]
    for index, (label, width) in enumerate(columns):
        for row, text, bold in ((header, label, True), (template, "-", False)):
            cell = row.cells[index]
            cell.width = Mm(width)
            paragraph = cell.paragraphs[0]
            paragraph.alignment = (WD_ALIGN_PARAGRAPH.CENTER if bold or index in (0, 5)
                                   else WD_ALIGN_PARAGRAPH.LEFT)
            run = paragraph.add_run(text)
            run.bold, run.font.size = bold, Pt(12)
    # python-docx's add_row() re-reads the whole table each time (quadratic for thousands of
    # rows): copy a styled template row's XML and fill its text nodes instead.
    template_tr = template._tr
    tbl = table._tbl
    for values in rows(practices):
        number, name, holder, field_name, _kind, commune, province, year, status, level = values[:10]
        texts = [number, name, holder, field_name, f"{commune}, {province}" if commune else province, year,
                 level or status]
        tr = copy.deepcopy(template_tr)
        for tc, value in zip(tr.tc_lst, texts, strict=True):
            tc.xpath(".//w:t")[0].text = str(value)
        tbl.append(tr)
    tbl.remove(template_tr)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
