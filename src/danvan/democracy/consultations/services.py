"""Every write of a consultation: keyword-only arguments, one transaction, an audit entry.

Citizens' writes (comment, support, vote, statement) are anonymous: a participant is known only
by a random key kept in a cookie (``voter_key``), which makes "one vote per participant" hold for
an honest browser; the public views add the cases' rate limit and honeypot against floods.
"""

from __future__ import annotations

import datetime as dt
import time
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from danvan.audit.services import audit_record
from danvan.core.errors import DomainError, NotFoundOrForbidden
from danvan.core.search import searchable
from danvan.core.text import normalize
from danvan.units.models import Organisation, Unit

from . import opinion
from .models import (
    Answer,
    AnswerKind,
    Comment,
    CommentStatus,
    CommentSupport,
    Consultation,
    ConsultationContent,
    OpinionSnapshot,
    Section,
    SectionVote,
    Stance,
    Statement,
    StatementStatus,
    StatementVote,
)
from .rules import manages_consultation, speaks_for_organisation

COMMENT_MAX = 5000
COMMENT_MIN = 5
STATEMENT_MAX = 280
REASON_MIN = 5


def _require_manager(actor: Any, consultation: Consultation) -> None:
    if not manages_consultation(actor, consultation):
        raise NotFoundOrForbidden()


def _check_period(opens_at: dt.datetime, closes_at: dt.datetime) -> None:
    if closes_at <= opens_at:
        raise DomainError(_("Thời gian kết thúc phải sau thời gian bắt đầu lấy ý kiến."), code="period_invalid")


def _require_open(consultation: Consultation) -> None:
    if not consultation.published:
        raise NotFoundOrForbidden()
    now = timezone.now()
    if now < consultation.opens_at:
        raise DomainError(_("Chưa đến thời gian lấy ý kiến (bắt đầu %(at)s).")
                          % {"at": timezone.localtime(consultation.opens_at).strftime("%H:%M %d/%m/%Y")},
                          code="period_not_open")
    if now >= consultation.closes_at:
        raise DomainError(_("Đã hết thời gian lấy ý kiến (kết thúc %(at)s).")
                          % {"at": timezone.localtime(consultation.closes_at).strftime("%H:%M %d/%m/%Y")},
                          code="period_closed")


def consultation_create(*, actor: Any, unit: Unit, content: ConsultationContent, title: str,
                        opens_at: dt.datetime, closes_at: dt.datetime, summary: str = "",
                        drafting_body: Organisation | None = None, statements_enabled: bool = False,
                        published: bool = True) -> Consultation:
    """A new consultation of ``unit``; the actor must manage the unit."""
    _check_period(opens_at, closes_at)
    if drafting_body is not None and drafting_body.unit_id != unit.pk:
        raise DomainError(_("Cơ quan chủ trì soạn thảo phải thuộc địa bàn đã chọn."), code="drafting_body_unit")
    title = normalize(title).strip()
    if not title:
        raise DomainError(_("Hãy nhập tên dự thảo."), code="title_required")
    with transaction.atomic():
        consultation = Consultation(unit=unit, unit_path=unit.path, content=content, title=title,
                                    summary=summary.strip(), opens_at=opens_at, closes_at=closes_at,
                                    drafting_body=drafting_body, statements_enabled=statements_enabled,
                                    published=published, created_by=actor if getattr(actor, "pk", None) else None,
                                    search_text=searchable(title, summary))
        _require_manager(actor, consultation)
        consultation.save()
        audit_record(actor=actor, action="consultations.create", obj=consultation, unit_path=consultation.unit_path,
                     after={"title": title, "opens_at": opens_at.isoformat(), "closes_at": closes_at.isoformat(),
                            "content": content.code, "statements": statements_enabled})
    return consultation


def consultation_update(*, actor: Any, consultation: Consultation, title: str, summary: str,
                        opens_at: dt.datetime, closes_at: dt.datetime, published: bool,
                        statements_enabled: bool) -> Consultation:
    """Change the draft's description or its period (e.g. extend the period)."""
    _require_manager(actor, consultation)
    _check_period(opens_at, closes_at)
    with transaction.atomic():
        before = {"title": consultation.title, "opens_at": consultation.opens_at.isoformat(),
                  "closes_at": consultation.closes_at.isoformat(), "published": consultation.published}
        consultation.title = normalize(title).strip() or consultation.title
        consultation.summary = summary.strip()
        consultation.opens_at, consultation.closes_at = opens_at, closes_at
        consultation.published = published
        consultation.statements_enabled = statements_enabled
        consultation.search_text = searchable(consultation.title, consultation.summary)
        consultation.save()
        audit_record(actor=actor, action="consultations.update", obj=consultation, unit_path=consultation.unit_path,
                     before=before, after={"title": consultation.title, "opens_at": opens_at.isoformat(),
                                           "closes_at": closes_at.isoformat(), "published": published})
    return consultation


def section_add(*, actor: Any, consultation: Consultation, label: str, body: str, title: str = "",
                order: int | None = None) -> Section:
    """Append a section (or insert it at ``order``, moving later ones down)."""
    _require_manager(actor, consultation)
    if not label.strip() or not body.strip():
        raise DomainError(_("Hãy nhập số hiệu và nội dung của phần dự thảo."), code="section_required")
    with transaction.atomic():
        Consultation.objects.select_for_update().filter(pk=consultation.pk).first()
        last = consultation.sections.order_by("-order").values_list("order", flat=True).first() or 0
        if order is None or order > last:
            order = last + 1
        else:
            order = max(1, order)
            # Shift from the end so the (consultation, order) constraint never sees a duplicate.
            for moved in consultation.sections.filter(order__gte=order).order_by("-order"):
                moved.order += 1
                moved.save(update_fields=["order"])
        section = Section.objects.create(consultation=consultation, order=order, label=label.strip(),
                                         title=title.strip(), body=body.strip())
        audit_record(actor=actor, action="consultations.section_add", obj=section, unit_path=consultation.unit_path,
                     after={"order": order, "label": section.label})
    return section


def section_delete(*, actor: Any, section: Section) -> None:
    """Remove a section that has no comments yet (comments are the people's record)."""
    consultation = section.consultation
    _require_manager(actor, consultation)
    if section.comments.exists() or section.votes.exists():
        raise DomainError(_("Phần dự thảo đã có ý kiến góp ý, không thể xóa."), code="section_has_comments")
    with transaction.atomic():
        audit_record(actor=actor, action="consultations.section_delete", obj=section,
                     unit_path=consultation.unit_path, before={"order": section.order, "label": section.label})
        section.delete()


def _clean_body(body: str) -> str:
    body = normalize(body).strip()
    if len(body) < COMMENT_MIN:
        raise DomainError(_("Nội dung góp ý quá ngắn."), code="comment_short")
    if len(body) > COMMENT_MAX:
        raise DomainError(_("Nội dung góp ý tối đa %(n)d ký tự.") % {"n": COMMENT_MAX}, code="comment_long")
    return body


def comment_submit(*, section: Section, body: str, author_name: str = "", contact: str = "",
                   actor: Any = None, organisation: Organisation | None = None) -> Comment:
    """A comment on a section during the period; on behalf of ``organisation`` if the actor speaks for it."""
    consultation = section.consultation
    _require_open(consultation)
    body = _clean_body(body)
    if organisation is not None and not speaks_for_organisation(actor, organisation):
        raise DomainError(_("Bạn không được giao thay mặt tổ chức này."), code="organisation_not_allowed")
    with transaction.atomic():
        comment = Comment.objects.create(
            consultation=consultation, section=section, body=body, author_name=normalize(author_name).strip()[:120],
            contact=contact.strip()[:150], organisation=organisation,
            official=actor if organisation is not None else None,
            search_text=searchable(body, author_name, organisation.name if organisation else ""))
        audit_record(actor=actor if organisation is not None else None, action="consultations.comment",
                     obj=comment, unit_path=consultation.unit_path,
                     after={"section": section.pk, "organisation": organisation.pk if organisation else None})
    return comment


def section_vote(*, section: Section, voter_key: str, stance: str,
                 actor: Any = None, organisation: Organisation | None = None) -> SectionVote:
    """Support or oppose a section; a participant's later choice replaces the earlier one."""
    _require_open(section.consultation)
    if stance not in Stance.values:
        raise DomainError(_("Lựa chọn không hợp lệ."), code="stance_invalid")
    if organisation is not None:
        if not speaks_for_organisation(actor, organisation):
            raise DomainError(_("Bạn không được giao thay mặt tổ chức này."), code="organisation_not_allowed")
        # An organisation has one position on a section, whoever of its officials records it.
        voter_key = f"org:{organisation.pk}"
    if not voter_key:
        raise DomainError(_("Phiên làm việc không hợp lệ, vui lòng tải lại trang."), code="voter_key")
    with transaction.atomic():
        vote, _created = SectionVote.objects.update_or_create(
            section=section, voter_key=voter_key,
            defaults={"stance": stance, "organisation": organisation, "updated_at": timezone.now()})
    return vote


def comment_support(*, comment: Comment, voter_key: str) -> bool:
    """Count one participant's support of a comment once; False if already counted."""
    _require_open(comment.consultation)
    if comment.is_hidden or not voter_key:
        raise DomainError(_("Không thể ủng hộ ý kiến này."), code="support_invalid")
    try:
        with transaction.atomic():
            CommentSupport.objects.create(comment=comment, voter_key=voter_key)
            Comment.objects.filter(pk=comment.pk).update(support_count=F("support_count") + 1)
    except IntegrityError:
        return False
    return True


def comment_hide(*, actor: Any, comment: Comment, reason: str) -> Comment:
    """Hide a comment with a reason that stays shown publicly ("ẩn vì: …")."""
    _require_manager(actor, comment.consultation)
    reason = normalize(reason).strip()
    if len(reason) < REASON_MIN:
        raise DomainError(_("Hãy ghi rõ lý do ẩn ý kiến."), code="reason_required")
    with transaction.atomic():
        comment.status, comment.hidden_reason, comment.hidden_at = CommentStatus.HIDDEN, reason[:300], timezone.now()
        comment.save(update_fields=["status", "hidden_reason", "hidden_at"])
        audit_record(actor=actor, action="consultations.comment_hide", obj=comment,
                     unit_path=comment.consultation.unit_path, after={"reason": comment.hidden_reason})
    return comment


def comment_restore(*, actor: Any, comment: Comment) -> Comment:
    """Show a hidden comment again (the moderation is reversed, and that is audited too)."""
    _require_manager(actor, comment.consultation)
    with transaction.atomic():
        before = {"reason": comment.hidden_reason}
        comment.status, comment.hidden_reason, comment.hidden_at = CommentStatus.VISIBLE, "", None
        comment.save(update_fields=["status", "hidden_reason", "hidden_at"])
        audit_record(actor=actor, action="consultations.comment_restore", obj=comment,
                     unit_path=comment.consultation.unit_path, before=before)
    return comment


def answer_add(*, actor: Any, section: Section, kind: str, body: str,
               comment_ids: list[int] | None = None) -> Answer:
    """The drafting body's tiếp thu / giải trình for a section, optionally naming the comments it answers."""
    consultation = section.consultation
    _require_manager(actor, consultation)
    if kind not in AnswerKind.values:
        raise DomainError(_("Hãy chọn tiếp thu hoặc giải trình."), code="answer_kind")
    body = normalize(body).strip()
    if len(body) < REASON_MIN:
        raise DomainError(_("Hãy nhập nội dung tiếp thu, giải trình."), code="answer_required")
    with transaction.atomic():
        answer = Answer.objects.create(section=section, kind=kind, body=body,
                                       answered_by=actor if getattr(actor, "pk", None) else None)
        if comment_ids:
            answer.comments.set(Comment.objects.filter(section=section, pk__in=comment_ids))
        audit_record(actor=actor, action="consultations.answer", obj=answer, unit_path=consultation.unit_path,
                     after={"section": section.pk, "kind": kind, "comments": sorted(comment_ids or [])})
    return answer


def answer_delete(*, actor: Any, answer: Answer) -> None:
    consultation = answer.section.consultation
    _require_manager(actor, consultation)
    if consultation.report_published_at is not None:
        raise DomainError(_("Báo cáo đã công bố, không thể xóa nội dung trả lời."), code="report_published")
    with transaction.atomic():
        audit_record(actor=actor, action="consultations.answer_delete", obj=answer, unit_path=consultation.unit_path,
                     before={"kind": answer.kind, "body": answer.body})
        answer.delete()


def report_publish(*, actor: Any, consultation: Consultation) -> Consultation:
    """Publish the report of opinions and answers; allowed once the period has ended."""
    _require_manager(actor, consultation)
    if consultation.period() != "closed":
        raise DomainError(_("Chỉ công bố báo cáo sau khi kết thúc thời gian lấy ý kiến."), code="period_not_closed")
    if not Answer.objects.filter(section__consultation=consultation).exists():
        raise DomainError(_("Chưa có nội dung tiếp thu, giải trình nào."), code="no_answers")
    with transaction.atomic():
        consultation.report_published_at = timezone.now()
        consultation.save(update_fields=["report_published_at", "updated_at"])
        audit_record(actor=actor, action="consultations.report_publish", obj=consultation,
                     unit_path=consultation.unit_path)
    return consultation


def statement_submit(*, consultation: Consultation, text: str, author_key: str) -> Statement:
    """A short statement, shown to others only after a moderator accepts it."""
    if not consultation.statements_enabled:
        raise DomainError(_("Đợt lấy ý kiến này không có chế độ ý kiến ngắn."), code="statements_off")
    _require_open(consultation)
    text = normalize(text).strip()
    if len(text) < COMMENT_MIN or len(text) > STATEMENT_MAX:
        raise DomainError(_("Ý kiến ngắn phải từ %(a)d đến %(b)d ký tự.") % {"a": COMMENT_MIN, "b": STATEMENT_MAX},
                          code="statement_length")
    with transaction.atomic():
        statement = Statement.objects.create(consultation=consultation, text=text, author_key=author_key)
        audit_record(actor=None, action="consultations.statement_submit", obj=statement,
                     unit_path=consultation.unit_path)
    return statement


def statement_moderate(*, actor: Any, statement: Statement, accept: bool, reason: str = "") -> Statement:
    """Accept a statement for voting, or reject it with a reason."""
    _require_manager(actor, statement.consultation)
    reason = normalize(reason).strip()
    if not accept and len(reason) < REASON_MIN:
        raise DomainError(_("Hãy ghi rõ lý do không duyệt."), code="reason_required")
    with transaction.atomic():
        statement.status = StatementStatus.ACCEPTED if accept else StatementStatus.REJECTED
        statement.reason = "" if accept else reason[:300]
        statement.save(update_fields=["status", "reason"])
        audit_record(actor=actor, action="consultations.statement_moderate", obj=statement,
                     unit_path=statement.consultation.unit_path,
                     after={"status": statement.status, "reason": statement.reason})
    return statement


def statement_vote(*, statement: Statement, participant_key: str, vote: int) -> StatementVote:
    """Agree (+1), disagree (-1) or pass (0) on an accepted statement; a later vote replaces the earlier."""
    _require_open(statement.consultation)
    if statement.status != StatementStatus.ACCEPTED:
        raise DomainError(_("Ý kiến này chưa được duyệt."), code="statement_not_accepted")
    if vote not in (StatementVote.AGREE, StatementVote.DISAGREE, StatementVote.PASS) or not participant_key:
        raise DomainError(_("Lựa chọn không hợp lệ."), code="vote_invalid")
    with transaction.atomic():
        row, _created = StatementVote.objects.update_or_create(
            statement=statement, participant_key=participant_key,
            defaults={"vote": vote, "updated_at": timezone.now()})
    return row


def opinion_compute(*, consultation_id: int, actor: Any = None) -> OpinionSnapshot:
    """Compute the opinion groups from the votes and store a snapshot (run by a Celery task)."""
    from .selectors import vote_matrix

    consultation = Consultation.objects.filter(pk=consultation_id).first()
    if consultation is None:
        raise NotFoundOrForbidden()
    if actor is not None:
        _require_manager(actor, consultation)
    started = time.perf_counter()
    matrix, participant_keys, statement_ids = vote_matrix(consultation)
    result = opinion.opinion_groups(matrix) if matrix.size else None
    texts = dict(Statement.objects.filter(pk__in=statement_ids).values_list("pk", "text"))
    payload: dict[str, Any] = {"k": 0, "points": [], "groups": [], "consensus": [], "silhouette": 0.0}
    if result is not None and result.k:
        groups = []
        for g in range(result.k):
            groups.append({
                "size": result.group_sizes[g],
                "representative": [{"statement": statement_ids[s], "text": texts.get(statement_ids[s], ""),
                                    "direction": d, "probability": round(p, 3), "ratio": round(r, 2)}
                                   for s, d, p, r in result.representative[g]],
            })
        payload = {
            "k": result.k,
            "silhouette": round(result.silhouette, 4),
            # Participants are anonymous: a point carries its group, never the participant key.
            "points": [[round(float(x), 4), round(float(y), 4), int(label)]
                       for (x, y), label, used in zip(result.points, result.labels, result.clustered, strict=True)
                       if used],
            "groups": groups,
            "consensus": [{"statement": statement_ids[s], "text": texts.get(statement_ids[s], ""), "direction": d,
                           "probability": round(p, 3)} for s, d, p in result.consensus],
        }
    duration = int((time.perf_counter() - started) * 1000)
    with transaction.atomic():
        snapshot = OpinionSnapshot.objects.create(
            consultation=consultation, participants=len(participant_keys), statements=len(statement_ids),
            groups=payload["k"], duration_ms=duration, result=payload)
        audit_record(actor=actor, action="consultations.opinion_compute", obj=consultation,
                     unit_path=consultation.unit_path,
                     after={"participants": len(participant_keys), "statements": len(statement_ids),
                            "groups": payload["k"]})
    return snapshot
