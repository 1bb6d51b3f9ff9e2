"""Word documents in the layout of Decree 30/2020/NĐ-CP (state administrative documents).

Every app that exports a document people sign, number and file (a report, minutes, a list)
builds it here, so the layout rules live in one place:

- A4 paper (landscape allowed for wide tables); margins top and bottom 20 mm, left 30 mm,
  right 15 mm; Times New Roman in every script slot (Word would otherwise substitute a font
  for some Vietnamese letters);
- the heading block: the issuing body on the left (its parent body above it in capitals, the
  body itself in bold capitals, then "Số: …"), the national motto on the right ("CỘNG HÒA XÃ HỘI
  CHỦ NGHĨA VIỆT NAM" bold capitals 13 pt; "Độc lập - Tự do - Hạnh phúc" bold 14 pt underlined),
  the place and date in italics ("Hà Nội, ngày 05 tháng 3 năm 2026");
- the document kind in bold capitals and its subject (trích yếu) in bold, centred;
- body text 14 pt, justified, first line indented; tables 12 pt;
- the signature block (TM./KT. …, title, name) on the right and "Nơi nhận:" on the left;
- page numbers from the second page, top centre.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

FONT = "Times New Roman"
# Province names start with their kind; the place line of a document uses the bare name.
_PLACE_PREFIXES = ("Thành phố ", "Tỉnh ", "Phường ", "Xã ", "Đặc khu ", "Thị trấn ")


def place_name(unit_name: str) -> str:
    """"Thành phố Hà Nội" → "Hà Nội": the place written before the date of a document."""
    for prefix in _PLACE_PREFIXES:
        if unit_name.startswith(prefix):
            return unit_name[len(prefix):]
    return unit_name


def unit_in_title(unit_name: str) -> str:
    """"Phường Ba Đình" → "phường Ba Đình", as written after a body's name: "Ủy ban nhân dân phường …"."""
    for prefix in _PLACE_PREFIXES:
        if unit_name.startswith(prefix):
            return prefix.lower() + unit_name[len(prefix):]
    return unit_name


def date_line(place: str, day: dt.date) -> str:
    """"Hà Nội, ngày 05 tháng 3 năm 2026": day under 10 and months 1-2 take a leading zero."""
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return _("%(place)s, ngày %(d)s tháng %(m)s năm %(y)d") % {
        "place": place, "d": f"{day.day:02d}", "m": month, "y": day.year}


@dataclass
class Heading:
    """Who issues the document, and where and when."""

    issuer: str  # "Ủy ban nhân dân phường Ba Đình"
    place: str  # "Hà Nội"
    day: dt.date
    parent: str = ""  # "Ủy ban nhân dân thành phố Hà Nội" (the body above, if any)
    number: str = ""  # "12/BC-UBND"; empty leaves a blank to fill in by hand
    symbol: str = ""  # used when number is empty: "Số:      /BC-UBND"


@dataclass
class Signature:
    capacity: str = ""  # "TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH"
    title: str = ""  # "CHỦ TỊCH", "PHÓ CHỦ TỊCH"
    name: str = ""
    recipients: list[str] = field(default_factory=list)


class OfficialDocument:
    """A python-docx document with the Decree 30 page, heading, title and signature."""

    def __init__(self, heading: Heading, *, kind: str, subject: str = "", landscape: bool = False) -> None:
        from docx import Document
        from docx.enum.section import WD_ORIENT
        from docx.enum.text import WD_ALIGN_PARAGRAPH
        from docx.shared import Mm

        self.document = Document()
        self._fonts()
        section = self.document.sections[0]
        if landscape:
            section.orientation = WD_ORIENT.LANDSCAPE
            section.page_width, section.page_height = Mm(297), Mm(210)
        else:
            section.page_width, section.page_height = Mm(210), Mm(297)
        section.top_margin, section.bottom_margin = Mm(20), Mm(20)
        section.left_margin, section.right_margin = Mm(30), Mm(15)
        # Page numbers from the second page on: the first page has its own (empty) header.
        section.different_first_page_header_footer = True
        number = section.header.paragraphs[0]
        number.alignment = WD_ALIGN_PARAGRAPH.CENTER
        self._page_field(number)
        self.width_mm = 252 if landscape else 165
        self._heading(heading)
        self._title(kind, subject)

    # -- building blocks ----------------------------------------------------------------------

    def _fonts(self) -> None:
        from docx.oxml.ns import qn
        from docx.shared import Pt

        style: Any = self.document.styles["Normal"]
        style.font.name = FONT
        style.font.size = Pt(14)
        fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
        for slot in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
            fonts.set(qn(slot), FONT)

    @staticmethod
    def _page_field(paragraph: Any) -> None:
        from docx.oxml import OxmlElement
        from docx.oxml.ns import qn

        run = paragraph.add_run()
        for kind, text in (("begin", None), (None, "PAGE"), ("end", None)):
            if kind:
                element = OxmlElement("w:fldChar")
                element.set(qn("w:fldCharType"), kind)
            else:
                element = OxmlElement("w:instrText")
                element.set(qn("xml:space"), "preserve")
                element.text = text
            run._r.append(element)

    def _line(self, container: Any, text: str, *, bold: bool = False, italic: bool = False,
              underline: bool = False, size: float = 13, first: bool = False) -> Any:
        from docx.enum.text import WD_ALIGN_PARAGRAPH
        from docx.shared import Pt

        paragraph = container.paragraphs[0] if first else container.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        paragraph.paragraph_format.space_after = Pt(0)
        run = paragraph.add_run(text)
        run.bold, run.italic, run.underline = bold, italic, underline
        run.font.size = Pt(size)
        return paragraph

    def _heading(self, heading: Heading) -> None:
        from docx.shared import Mm

        table = self.document.add_table(rows=1, cols=2)
        left, right = table.rows[0].cells
        left.width, right.width = Mm(self.width_mm * 0.42), Mm(self.width_mm * 0.58)
        first = True
        if heading.parent:
            self._line(left, heading.parent.upper(), size=13, first=True)
            first = False
        self._line(left, heading.issuer.upper(), bold=True, size=13, first=first)
        self._line(left, "———", size=11)
        if heading.number:
            number = _("Số: %(n)s") % {"n": heading.number}
        elif heading.symbol:
            # Left blank for the clerk who registers the outgoing document to fill in.
            number = _("Số:      /%(s)s") % {"s": heading.symbol.lstrip("/")}
        else:
            number = _("Số:")
        self._line(left, number, size=13)
        self._line(right, _("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"), bold=True, size=13, first=True)
        self._line(right, _("Độc lập - Tự do - Hạnh phúc"), bold=True, underline=True, size=14)
        self._line(right, "")
        self._line(right, date_line(heading.place, heading.day), italic=True, size=14)

    def _title(self, kind: str, subject: str) -> None:
        from docx.shared import Pt

        self.document.add_paragraph()
        self._line(self.document, kind.upper(), bold=True, size=14).paragraph_format.space_before = Pt(6)
        if subject:
            self._line(self.document, subject, bold=True, size=14)
        self.document.add_paragraph()

    # -- content ---------------------------------------------------------------------------------

    def heading(self, text: str) -> None:
        """A section heading inside the body ("I. KẾT QUẢ …"), bold, left-aligned."""
        from docx.shared import Pt

        paragraph = self.document.add_paragraph()
        paragraph.paragraph_format.space_before = Pt(6)
        run = paragraph.add_run(text)
        run.bold = True

    def paragraph(self, text: str, *, italic: bool = False) -> None:
        """Body text: 14 pt, justified, first line indented 1 cm, 6 pt after."""
        from docx.enum.text import WD_ALIGN_PARAGRAPH
        from docx.shared import Cm, Pt

        for chunk in text.splitlines() or [""]:
            paragraph = self.document.add_paragraph()
            paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
            paragraph.paragraph_format.first_line_indent = Cm(1)
            paragraph.paragraph_format.space_after = Pt(6)
            run = paragraph.add_run(chunk)
            run.italic = italic

    def table(self, columns: Sequence[tuple[str, float]], rows: Iterable[Sequence[object]],
              *, centred: Sequence[int] = (0,)) -> None:
        """A bordered table: (label, width in mm) per column, 12 pt, header row bold and repeated.

        Rows may be a generator over thousands of records: each is a copy of one styled row's
        XML with its texts filled in (python-docx's ``add_row`` re-reads the whole table every
        time, quadratic in the number of rows).
        """
        import copy

        from docx.enum.table import WD_TABLE_ALIGNMENT
        from docx.enum.text import WD_ALIGN_PARAGRAPH
        from docx.oxml import OxmlElement
        from docx.oxml.ns import qn
        from docx.shared import Mm, Pt

        table = self.document.add_table(rows=2, cols=len(columns))
        table.style = "Table Grid"
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        header, template = table.rows[0], table.rows[1]
        # Repeat the header row on every page of a long table.
        header._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))
        header._tr.trPr[-1].set(qn("w:val"), "true")
        for index, (label, width) in enumerate(columns):
            for row, text, bold in ((header, label, True), (template, "-", False)):
                cell = row.cells[index]
                cell.width = Mm(width)
                cell.paragraphs[0].alignment = (WD_ALIGN_PARAGRAPH.CENTER if bold or index in centred
                                                else WD_ALIGN_PARAGRAPH.LEFT)
                run = cell.paragraphs[0].add_run(text)
                run.bold, run.font.size = bold, Pt(12)
        template_tr, tbl = template._tr, table._tbl
        for values in rows:
            tr = copy.deepcopy(template_tr)
            for tc, value in zip(tr.tc_lst, values, strict=True):
                tc.xpath(".//w:t")[0].text = "" if value is None else str(value)
            tbl.append(tr)
        tbl.remove(template_tr)
        self.document.add_paragraph()

    def signature(self, signature: Signature) -> None:
        """"Nơi nhận" on the left, the signer on the right, as Decree 30 places them."""
        from docx.enum.text import WD_ALIGN_PARAGRAPH
        from docx.shared import Mm, Pt

        table = self.document.add_table(rows=1, cols=2)
        left, right = table.rows[0].cells
        left.width, right.width = Mm(self.width_mm * 0.5), Mm(self.width_mm * 0.5)
        paragraph = left.paragraphs[0]
        run = paragraph.add_run(_("Nơi nhận:"))
        run.bold, run.italic, run.font.size = True, True, Pt(12)
        for recipient in signature.recipients or [_("Lưu: VT.")]:
            line = left.add_paragraph()
            line.paragraph_format.space_after = Pt(0)
            run = line.add_run(f"- {recipient}")
            run.font.size = Pt(11)
        first = True
        for text in (signature.capacity, signature.title):
            if text:
                self._line(right, text.upper(), bold=True, size=14, first=first)
                first = False
        # Room for the signature and seal.
        for _blank in range(3):
            right.add_paragraph()
        if signature.name:
            self._line(right, signature.name, bold=True, size=14, first=first)
        for paragraph in right.paragraphs:
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER

    def signatures(self, left: Signature, right: Signature, *, note: str = "") -> None:
        """Two signers side by side, as minutes are signed (the secretary left, the chair right);
        ``note`` goes under each title, e.g. "(Ký, ghi rõ họ tên)". No "Nơi nhận" block."""
        from docx.shared import Mm

        table = self.document.add_table(rows=1, cols=2)
        cells = table.rows[0].cells
        for cell in cells:
            cell.width = Mm(self.width_mm * 0.5)
        for cell, signer in zip(cells, (left, right), strict=True):
            first = True
            for text in (signer.capacity, signer.title):
                if text:
                    self._line(cell, text.upper(), bold=True, size=14, first=first)
                    first = False
            if note:
                self._line(cell, note, italic=True, size=13, first=first)
                first = False
            for _blank in range(3):  # room for the signature
                self._line(cell, "", first=first)
                first = False
            self._line(cell, signer.name, bold=True, size=14)

    def to_bytes(self) -> bytes:
        out = io.BytesIO()
        self.document.save(out)
        return out.getvalue()


DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
