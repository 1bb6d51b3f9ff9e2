"""A decision's minutes (biên bản) as DOCX in the administrative document layout of Decree 30/2020/NĐ-CP:
A4, margins 20–25 mm top/bottom, 30–35 mm left, 15–20 mm right; Times New Roman 13–14 pt; the
issuing body top left and the national motto top right; place and date in italics; the
document kind in bold capitals; signatures at the foot."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from django.utils.translation import gettext as _
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Mm, Pt
from docx.text.paragraph import Paragraph

from .models import Decision, Form, Meeting

FONT = "Times New Roman"


def _para(container: Any, text: str = "", *, bold: bool = False, italic: bool = False,
          size: int = 14, align: int | None = None, upper: bool = False) -> Paragraph:
    paragraph = container.add_paragraph()
    if align is not None:
        paragraph.alignment = align
    run = paragraph.add_run(text.upper() if upper else text)
    run.bold, run.italic = bold, italic
    run.font.size = Pt(size)
    run.font.name = FONT
    return paragraph


def _date_line(place: str, day: dt.date) -> str:
    return _("%(place)s, ngày %(d)02d tháng %(m)02d năm %(y)d") % {"place": place, "d": day.day, "m": day.month,
                                                                   "y": day.year}


def decision_docx(decision: Decision, *, today: dt.date) -> bytes:
    """The minutes of a meeting, or the result report of a household ballot or online vote."""
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(20), Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    village = decision.village
    commune = village.parent
    meeting = Meeting.objects.filter(decision=decision).first()
    day = (meeting.held_on if meeting and meeting.held_on else None) or (
        decision.counted_at.date() if decision.counted_at else today)

    header = doc.add_table(rows=1, cols=2)
    left, right = header.rows[0].cells
    left.paragraphs[0].text = ""
    _para(left, commune.name if commune else "", size=13, align=WD_ALIGN_PARAGRAPH.CENTER, upper=True)
    _para(left, village.name, bold=True, size=13, align=WD_ALIGN_PARAGRAPH.CENTER, upper=True)
    _para(right, _("Cộng hòa xã hội chủ nghĩa Việt Nam"), bold=True, size=13, align=WD_ALIGN_PARAGRAPH.CENTER,
          upper=True)
    _para(right, _("Độc lập - Tự do - Hạnh phúc"), bold=True, size=14, align=WD_ALIGN_PARAGRAPH.CENTER)
    _para(right, _date_line(village.name, day), italic=True, size=14, align=WD_ALIGN_PARAGRAPH.CENTER)

    _para(doc, _("Biên bản"), bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, upper=True)
    kind = (_("Hội nghị cộng đồng dân cư") if decision.form == Form.MEETING
            else _("Kết quả lấy ý kiến hộ gia đình") if decision.form == Form.HOUSEHOLD_BALLOT
            else _("Kết quả biểu quyết trực tuyến"))
    _para(doc, f"{kind}: {decision.title}", bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)

    _para(doc, _("Loại nội dung: %(m)s.") % {"m": decision.matter_type.name})
    if meeting:
        if meeting.location:
            _para(doc, _("Địa điểm: %(l)s.") % {"l": meeting.location})
        if meeting.chair:
            _para(doc, _("Chủ trì: %(c)s. Thư ký: %(s)s.") % {"c": meeting.chair, "s": meeting.secretary or "–"})
        _para(doc, _("Hình thức biểu quyết: %(f)s.") % {
            "f": _("bỏ phiếu kín") if decision.secret else _("giơ tay")})
    if decision.counted_at:
        _para(doc, _("Tổng số hộ gia đình: %(e)s; số hộ tham gia: %(p)s.") % {
            "e": decision.eligible_households, "p": decision.participants})
        table = doc.add_table(rows=1, cols=3)
        table.style = "Table Grid"
        for cell, text in zip(table.rows[0].cells, (_("Phương án"), _("Số biểu quyết"), _("Kết quả")), strict=True):
            cell.text = text
        for option in decision.options.all():
            row = table.add_row().cells
            row[0].text = option.label
            row[1].text = str(option.votes if option.votes is not None else "")
            row[2].text = _("Đạt") if option.passed else _("Không đạt")
        _para(doc, _("Kết quả: %(o)s.") % {"o": decision.get_outcome_display()}, bold=True)
        if decision.rule is not None:
            _para(doc, _("Căn cứ: %(s)s") % {"s": decision.rule.source}, italic=True, size=12)
    if meeting and meeting.minutes:
        _para(doc, _("Diễn biến hội nghị:"), bold=True)
        for line in meeting.minutes.splitlines():
            if line.strip():
                _para(doc, line.strip())
    if decision.document_title:
        _para(doc, _("Văn bản được thông qua: %(t)s.") % {"t": decision.document_title})

    signatures = doc.add_table(rows=1, cols=2)
    sec, chair = signatures.rows[0].cells
    for cell, role, name in ((sec, _("Thư ký"), meeting.secretary if meeting else ""),
                             (chair, _("Chủ trì"), meeting.chair if meeting else "")):
        _para(cell, role, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, upper=True)
        _para(cell, _("(Ký, ghi rõ họ tên)"), italic=True, size=13, align=WD_ALIGN_PARAGRAPH.CENTER)
        for _blank in range(3):  # room for the signature
            _para(cell, "")
        _para(cell, name, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)

    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
