"""The report of opinions as Excel (per section and every comment) and as a Word document in the
Decree 30/2020/NĐ-CP layout (A4, Times New Roman, margins 20/20/30/15 mm, national motto block,
"Số: …/BC-…", page numbers from page 2 at the top centre).

No contact detail of a commenter ever leaves the system in an export: only names they chose to
show, or the organisation they spoke for.
"""

from __future__ import annotations

import io

from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Comment, Consultation
from .selectors import section_report


def _when(value: object) -> str:
    return timezone.localtime(value).strftime("%d/%m/%Y") if value else ""  # type: ignore[arg-type]


def _author(comment: Comment) -> str:
    if comment.organisation_id:
        return str(comment.organisation)
    return comment.author_name or _("Người dân (không nêu tên)")


def report_xlsx(consultation: Consultation) -> bytes:
    """Two sheets: the per-section summary with answers, and every comment (hidden ones with their reason)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    book = Workbook()
    sheet = book.active
    assert sheet is not None  # a new workbook always has one sheet
    sheet.title = _("Tổng hợp")
    sheet.append([consultation.title])
    sheet["A1"].font = Font(bold=True, size=13)
    sheet.append([_("Thời gian lấy ý kiến: từ %(a)s đến %(b)s")
                  % {"a": _when(consultation.opens_at), "b": _when(consultation.closes_at)}])
    sheet.append([])
    sheet.append([_("Phần dự thảo"), _("Tán thành"), _("Không tán thành"), _("Số ý kiến"), _("Ý kiến đã ẩn"),
                  _("Tổ chức góp ý"), _("Tiếp thu, giải trình")])
    for cell in sheet[4]:
        cell.font = Font(bold=True)
    for row in section_report(consultation):
        answers = "\n".join(f"{a.get_kind_display()}: {a.body}" for a in row.answers)
        sheet.append([str(row.section), row.support, row.oppose, row.comments, row.hidden, row.organisations,
                      answers])
    for column, width in zip("ABCDEFG", (40, 12, 16, 12, 14, 14, 70), strict=True):
        sheet.column_dimensions[column].width = width
    for cells in sheet.iter_rows(min_row=5):
        for cell in cells:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    comments = book.create_sheet(_("Ý kiến"))
    comments.append([_("Phần dự thảo"), _("Ngày gửi"), _("Người góp ý"), _("Nội dung"), _("Lượt ủng hộ"),
                     _("Trạng thái")])
    for cell in comments[1]:
        cell.font = Font(bold=True)
    for comment in (Comment.objects.filter(consultation=consultation).select_related("section", "organisation")
                    .order_by("section__order", "created_at", "id").iterator(chunk_size=2000)):
        state = (_("Ẩn vì: %(r)s") % {"r": comment.hidden_reason}) if comment.is_hidden else _("Hiển thị")
        comments.append([str(comment.section), _when(comment.created_at), _author(comment),
                         comment.body, comment.support_count, state])
    for column, width in zip("ABCDEF", (30, 12, 28, 80, 12, 30), strict=True):
        comments.column_dimensions[column].width = width
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _page_number_header(section: object) -> None:
    """A centred PAGE field in the header, hidden on the first page (Decree 30: from page 2)."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    section.different_first_page_header_footer = True  # type: ignore[attr-defined]
    paragraph = section.header.paragraphs[0]  # type: ignore[attr-defined]
    paragraph.alignment = 1  # centre
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


def report_docx(consultation: Consultation, *, number: str = "") -> bytes:
    """The drafting body's report of opinions received and how they were taken in (Decree 30 layout)."""
    from docx import Document
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt

    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(20), Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    _page_number_header(section)
    normal = doc.styles["Normal"]
    normal.font.name = "Times New Roman"  # type: ignore[attr-defined]
    normal.font.size = Pt(14)  # type: ignore[attr-defined]
    normal.element.rPr.rFonts.set(qn("w:eastAsia"), "Times New Roman")  # type: ignore[attr-defined]

    body_name = (consultation.drafting_body.name if consultation.drafting_body
                 else _("ỦY BAN NHÂN DÂN %(u)s") % {"u": consultation.unit.name}).upper()
    header = doc.add_table(rows=2, cols=2)
    header.alignment = WD_TABLE_ALIGNMENT.CENTER
    cells = [(0, 0, body_name, True, 13, False), (0, 1, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", True, 13, False),
             (1, 0, number or "Số:      /BC-" , False, 13, False),
             (1, 1, "Độc lập - Tự do - Hạnh phúc", True, 14, True)]
    for row, col, text, bold, size, underline in cells:
        paragraph = header.cell(row, col).paragraphs[0]
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = paragraph.add_run(text)
        run.bold, run.underline, run.font.size = bold, underline, Pt(size)
    place = doc.add_paragraph()
    place.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    today = timezone.localdate()
    run = place.add_run(_("%(u)s, ngày %(d)02d tháng %(m)02d năm %(y)d")
                        % {"u": consultation.unit.name, "d": today.day, "m": today.month, "y": today.year})
    run.italic = True

    title = doc.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = title.add_run(_("BÁO CÁO"))
    run.bold = True
    subtitle = doc.add_paragraph()
    subtitle.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = subtitle.add_run(_("Tổng hợp, tiếp thu, giải trình ý kiến của nhân dân về %(t)s") % {"t": consultation.title})
    run.bold = True

    report = section_report(consultation)
    total = sum(r.comments for r in report)
    doc.add_paragraph(_(
        "Thực hiện Luật Thực hiện dân chủ ở cơ sở số 10/2022/QH15, từ ngày %(a)s đến ngày %(b)s, %(body)s đã tổ chức "
        "lấy ý kiến của nhân dân về %(t)s. Đã nhận được %(n)d ý kiến góp ý. Kết quả tổng hợp và việc tiếp thu, "
        "giải trình như sau:") % {"a": _when(consultation.opens_at), "b": _when(consultation.closes_at),
                                  "body": body_name.capitalize(), "t": consultation.title, "n": total})
    table = doc.add_table(rows=1, cols=5)
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, (_("Phần dự thảo"), _("Tán thành"), _("Không tán thành"),
                                               _("Số ý kiến"), _("Tiếp thu, giải trình")), strict=True):
        cell.paragraphs[0].add_run(text).bold = True
    for line in report:
        cells_ = table.add_row().cells
        answers = "\n".join(f"{a.get_kind_display()}: {a.body}" for a in line.answers) or _("Không có ý kiến")
        for cell, text in zip(cells_, (str(line.section), str(line.support), str(line.oppose), str(line.comments),
                                       answers), strict=True):
            cell.text = text
            for paragraph in cell.paragraphs:
                for r in paragraph.runs:
                    r.font.size = Pt(12)
    closing = doc.add_paragraph()
    closing.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    closing.add_run(_("THỦ TRƯỞNG CƠ QUAN")).bold = True
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
