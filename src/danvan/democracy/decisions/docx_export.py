"""A decision's minutes (biên bản) or result report as DOCX, built with ``danvan.core.documents`` so the
Decree 30/2020/NĐ-CP layout (page, heading block, national motto, title, signatures) lives in one place."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _

from danvan.core.documents import Heading, OfficialDocument, Signature, place_name

from .models import Decision, Form, Meeting


def decision_docx(decision: Decision, *, today: dt.date) -> bytes:
    """The minutes of a meeting, or the result report of a household ballot or online vote."""
    village = decision.village
    commune = village.parent
    meeting = Meeting.objects.filter(decision=decision).first()
    day = (meeting.held_on if meeting and meeting.held_on else None) or (
        decision.counted_at.date() if decision.counted_at else today)
    # The village issues its own minutes; the commune above it heads the left block.
    heading = Heading(issuer=village.name, parent=commune.name if commune else "",
                      place=place_name(commune.name) if commune else village.name, day=day)
    kind = (_("Hội nghị cộng đồng dân cư") if decision.form == Form.MEETING
            else _("Kết quả lấy ý kiến hộ gia đình") if decision.form == Form.HOUSEHOLD_BALLOT
            else _("Kết quả biểu quyết trực tuyến"))
    doc = OfficialDocument(heading, kind=_("Biên bản"), subject=f"{kind}: {decision.title}")

    doc.paragraph(_("Loại nội dung: %(m)s.") % {"m": decision.matter_type.name})
    if meeting:
        if meeting.when:
            doc.paragraph(_("Thời gian: %(w)s.") % {"w": meeting.when})
        if meeting.location:
            doc.paragraph(_("Địa điểm: %(l)s.") % {"l": meeting.location})
        if meeting.chair:
            doc.paragraph(_("Chủ trì: %(c)s. Thư ký: %(s)s.") % {"c": meeting.chair, "s": meeting.secretary or "–"})
        doc.paragraph(_("Hình thức biểu quyết: %(f)s.") % {
            "f": _("bỏ phiếu kín") if decision.secret else _("giơ tay")})
    if decision.counted_at:
        doc.paragraph(_("Tổng số hộ gia đình: %(e)s; số hộ tham gia: %(p)s.") % {
            "e": decision.eligible_households, "p": decision.participants})
        # Totals per option only: never a household's choice.
        doc.table([(_("Phương án"), 85), (_("Số biểu quyết"), 40), (_("Kết quả"), 40)],
                  [(option.label, "" if option.votes is None else option.votes,
                    _("Đạt") if option.passed else _("Không đạt")) for option in decision.options.all()],
                  centred=(1, 2))
        doc.heading(_("Kết quả: %(o)s.") % {"o": decision.get_outcome_display()})
        if decision.rule is not None:
            doc.paragraph(_("Căn cứ: %(s)s") % {"s": decision.rule.source}, italic=True)
    if meeting and meeting.minutes:
        doc.heading(_("Diễn biến hội nghị:"))
        for line in meeting.minutes.splitlines():
            if line.strip():
                doc.paragraph(line.strip())
    if decision.document_title:
        doc.paragraph(_("Văn bản được thông qua: %(t)s.") % {"t": decision.document_title})

    doc.signatures(Signature(title=_("Thư ký"), name=meeting.secretary if meeting else ""),
                   Signature(title=_("Chủ trì"), name=meeting.chair if meeting else ""),
                   note=_("(Ký, ghi rõ họ tên)"))
    return doc.to_bytes()
