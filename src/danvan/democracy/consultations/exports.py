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

from danvan.core.documents import Heading, OfficialDocument, Signature, place_name, unit_in_title

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


def report_docx(consultation: Consultation, *, number: str = "") -> bytes:
    """The drafting body's report of opinions received and how they were taken in (Decree 30 layout,
    built by the shared danvan.core.documents)."""
    body_name = (consultation.drafting_body.name if consultation.drafting_body
                 else _("Ủy ban nhân dân %(u)s") % {"u": unit_in_title(consultation.unit.name)})
    document = OfficialDocument(
        Heading(issuer=body_name, place=place_name(consultation.unit.name), day=timezone.localdate(),
                number=number, symbol="BC-"),
        kind=_("Báo cáo"),
        subject=_("Tổng hợp, tiếp thu, giải trình ý kiến của nhân dân về %(t)s") % {"t": consultation.title})
    report = section_report(consultation)
    total = sum(r.comments for r in report)
    document.paragraph(_(
        "Thực hiện Luật Thực hiện dân chủ ở cơ sở số 10/2022/QH15, từ ngày %(a)s đến ngày %(b)s, %(body)s đã tổ chức "
        "lấy ý kiến của nhân dân về %(t)s. Đã nhận được %(n)d ý kiến góp ý. Kết quả tổng hợp và việc tiếp thu, "
        "giải trình như sau:") % {"a": _when(consultation.opens_at), "b": _when(consultation.closes_at),
                                  "body": body_name, "t": consultation.title, "n": total})
    rows = []
    for line in report:
        answers = "\n".join(f"{a.get_kind_display()}: {a.body}" for a in line.answers) or _("Không có ý kiến")
        rows.append((str(line.section), line.support, line.oppose, line.comments, answers))
    document.table([(_("Phần dự thảo"), 40), (_("Tán thành"), 18), (_("Không tán thành"), 20),
                    (_("Số ý kiến"), 17), (_("Tiếp thu, giải trình"), 70)], rows, centred=(1, 2, 3))
    document.signature(Signature(title=_("Thủ trưởng cơ quan")))
    return document.to_bytes()
