"""A commune's oversight record as an Excel workbook and a Decree 30 report: recommendations,
projects, commitments.

Board members' phone numbers are not exported: the workbook is meant to be sent on and printed.
"""

from __future__ import annotations

import io
from collections.abc import Iterable

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from danvan.core.documents import (
    DOCX_CONTENT_TYPE,
    Heading,
    OfficialDocument,
    Signature,
    place_name,
    unit_in_title,
)
from danvan.units.models import Unit

from . import selectors


def _d(value: object) -> str:
    return value.strftime("%d/%m/%Y") if value else ""  # type: ignore[attr-defined]


def sheets(*, commune: Unit) -> list[tuple[str, list[str], Iterable[list[object]]]]:
    today = timezone.localdate()
    recs = selectors.recommendations(commune=commune)
    return [
        (_("Kiến nghị"),
         [_("Ban"), _("Ngày gửi"), _("Nội dung kiến nghị"), _("Gửi tới"), _("Hạn trả lời"), _("Trạng thái"),
          _("Quá hạn"), _("Ngày trả lời"), _("Nội dung trả lời"), _("Hạn thực hiện"), _("Kết quả thực hiện")],
         ([r.board.name, _d(r.sent_on), r.text, r.addressed_to, _d(r.answer_due_on), r.get_status_display(),
           _("Có") if selectors.recommendation_overdue(r, today) else "", _d(r.answered_on), r.answer,
           _d(r.follow_up_due_on), r.closing_note] for r in recs)),
        (_("Công trình"),
         [_("Tên công trình, dự án"), _("Chủ đầu tư"), _("Nguồn vốn"), _("Tổng mức đầu tư (đồng)"),
          _("Ngày khởi công"), _("Ngày dự kiến hoàn thành"), _("Tình trạng"), _("Tiến độ (%)"),
          _("Vấn đề chưa khắc phục")],
         ([p.name, p.investor, p.funding_source, p.budget_vnd, _d(p.starts_on), _d(p.planned_end_on),
           p.get_status_display(), p.progress_percent, getattr(p, "open_issues", 0)]
          for p in selectors.projects(commune=commune))),
        (_("Cam kết"),
         [_("Nội dung cam kết"), _("Nguồn"), _("Căn cứ"), _("Chịu trách nhiệm"), _("Hạn hoàn thành"),
          _("Trạng thái"), _("Tiến độ (%)"), _("Ngày hoàn thành"), _("Quá hạn")],
         ([c.title, c.get_source_kind_display(), c.source_reference, c.responsible, _d(c.due_on),
           c.get_status_display(), c.progress_percent, _d(c.done_on),
           _("Có") if c.status in selectors.OPEN_COMMITMENT and c.due_on < today else ""]
          for c in selectors.commitments(commune=commune))),
    ]


def commune_xlsx(*, commune: Unit) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    book = Workbook()
    book.remove(book.active)
    for title, header, rows in sheets(commune=commune):
        sheet = book.create_sheet(title)
        sheet.append([f"{title} – {commune.name}"])
        sheet["A1"].font = Font(bold=True, size=13)
        sheet.append(header)
        for cell in sheet[2]:
            cell.font = Font(bold=True)
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        for row in rows:
            sheet.append(row)
        for column in sheet.iter_cols(min_row=2, max_row=2):
            sheet.column_dimensions[column[0].column_letter].width = 22
        sheet.freeze_panes = "A3"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def commune_workbook(*, commune: Unit) -> HttpResponse:
    response = HttpResponse(commune_xlsx(commune=commune),
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    stamp = timezone.localdate().strftime("%Y%m%d")
    response["Content-Disposition"] = f'attachment; filename="giam-sat-{commune.code}-{stamp}.xlsx"'
    return response


def commune_docx(*, commune: Unit) -> bytes:
    """The commune's report on the boards' recommendations, projects and commitments (Decree 30)."""
    today = timezone.localdate()
    province = commune.parent
    summary = selectors.summary(commune=commune)
    doc = OfficialDocument(
        Heading(issuer=_("Ủy ban nhân dân %(unit)s") % {"unit": unit_in_title(commune.name)},
                parent=_("Ủy ban nhân dân %(unit)s") % {"unit": unit_in_title(province.name)} if province else "",
                place=place_name(commune.name), day=today, symbol="BC-UBND"),
        kind=_("Báo cáo"), landscape=True,
        subject=_("Kết quả trả lời, thực hiện kiến nghị của Ban Thanh tra nhân dân, Ban Giám sát đầu tư "
                  "của cộng đồng và các cam kết với nhân dân"))
    doc.paragraph(_("Tính đến ngày %(day)s, các ban đã gửi %(recs)d kiến nghị, trong đó %(open)d kiến nghị chưa "
                    "thực hiện xong và %(late)d kiến nghị quá hạn trả lời hoặc thực hiện; chính quyền có "
                    "%(commitments)d cam kết với nhân dân, đã hoàn thành %(done)d, quá hạn %(overdue)d.")
                  % {"day": today.strftime("%d/%m/%Y"), "recs": summary["recommendations"],
                     "open": summary["recommendations_open"], "late": summary["recommendations_overdue"],
                     "commitments": summary["commitments"], "done": summary["commitments_done"],
                     "overdue": summary["commitments_overdue"]})
    for number, (title, header, rows) in enumerate(sheets(commune=commune), start=1):
        doc.heading(f"{'I' * number if number < 4 else number}. {title.upper()}")
        rows = list(rows)
        if not rows:
            doc.paragraph(_("Không có."))
            continue
        width = 237 / len(header)
        doc.table([(_("STT"), 15), *[(label, width) for label in header]],
                  [[i, *row] for i, row in enumerate(rows, start=1)])
    front = _("Ủy ban Mặt trận Tổ quốc Việt Nam %(unit)s;") % {"unit": unit_in_title(commune.name)}
    doc.signature(Signature(capacity=_("TM. Ủy ban nhân dân"), title=_("Chủ tịch"),
                            recipients=[front, _("Ban Thanh tra nhân dân;"), _("Lưu: VT.")]))
    return doc.to_bytes()


def commune_document(*, commune: Unit) -> HttpResponse:
    response = HttpResponse(commune_docx(commune=commune), content_type=DOCX_CONTENT_TYPE)
    stamp = timezone.localdate().strftime("%Y%m%d")
    response["Content-Disposition"] = f'attachment; filename="bao-cao-giam-sat-{commune.code}-{stamp}.docx"'
    return response
