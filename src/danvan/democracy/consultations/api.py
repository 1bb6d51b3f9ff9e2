"""Consultations API (/api/v1/democracy/consultations): public, read-only.

Only published consultations; comments never carry the commenter's contact; the drafting
body's answers appear once its report is published; opinion groups give points and groups,
never a participant key.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Field as SchemaField
from ninja import Query, Router, Schema

from .selectors import (
    COMMENT_SORTS,
    DEFAULT_COMMENT_SORT,
    answers_visible,
    comments_list,
    consultation_public_get,
    consultation_public_list,
    opinion_latest,
    section_report,
)

router = Router(tags=["Lấy ý kiến nhân dân"])
MAX_PAGE_SIZE = 100


class ConsultationOut(Schema):
    id: int
    title: str
    summary: str
    content: str = SchemaField(..., description="Mã nội dung lấy ý kiến (Điều 25)")
    content_label: str
    unit_code: str
    unit_name: str
    drafting_body: str | None
    opens_at: dt.datetime
    closes_at: dt.datetime
    period: str = SchemaField(..., description="upcoming, open hoặc closed")
    statements_enabled: bool
    report_published_at: dt.datetime | None


def _consultation(c: Any) -> dict[str, Any]:
    return {"id": c.pk, "title": c.title, "summary": c.summary, "content": c.content.code,
            "content_label": c.content.name, "unit_code": c.unit.code, "unit_name": c.unit.name,
            "drafting_body": c.drafting_body.name if c.drafting_body else None, "opens_at": c.opens_at,
            "closes_at": c.closes_at, "period": c.period(), "statements_enabled": c.statements_enabled,
            "report_published_at": c.report_published_at}


class ConsultationPage(Schema):
    count: int
    results: list[ConsultationOut]


class AnswerOut(Schema):
    kind: str = SchemaField(..., description="tiep_thu hoặc giai_trinh")
    kind_label: str
    body: str
    comments: list[int]


class SectionOut(Schema):
    id: int
    order: int
    label: str
    title: str
    body: str
    support: int
    oppose: int
    comments: int
    hidden_comments: int
    answers: list[AnswerOut] = SchemaField(..., description="Rỗng cho tới khi báo cáo được công bố")


class ConsultationDetailOut(ConsultationOut):
    sections: list[SectionOut]


class CommentOut(Schema):
    id: int
    section: int
    author: str
    organisation: str | None
    body: str = SchemaField(..., description="Rỗng nếu ý kiến đã bị ẩn")
    hidden_reason: str
    support_count: int
    created_at: dt.datetime


class CommentPage(Schema):
    count: int
    results: list[CommentOut]


class OpinionOut(Schema):
    computed_at: dt.datetime | None
    participants: int
    statements: int
    groups: int
    result: dict[str, Any]


@router.get("", response=ConsultationPage, summary="Danh sách đợt lấy ý kiến đã công khai")
def list_consultations(request: HttpRequest, period: str = "", content: str = "", q: str = "",
                       offset: int = Query(0, ge=0), limit: int = Query(20, ge=1, le=MAX_PAGE_SIZE)) -> dict:
    qs = consultation_public_list(period=period, content=content, query=q)
    return {"count": qs.count(), "results": [_consultation(c) for c in qs[offset:offset + limit]]}


@router.get("/{consultation_id}", response=ConsultationDetailOut, summary="Dự thảo, các phần và kết quả")
def get_consultation(request: HttpRequest, consultation_id: int) -> dict:
    consultation = consultation_public_get(consultation_id)
    show = answers_visible(consultation)
    sections = [{
        "id": r.section.pk, "order": r.section.order, "label": r.section.label, "title": r.section.title,
        "body": r.section.body, "support": r.support, "oppose": r.oppose, "comments": r.comments,
        "hidden_comments": r.hidden,
        "answers": [{"kind": a.kind, "kind_label": str(a.get_kind_display()), "body": a.body,
                     "comments": [c.pk for c in a.comments.all()]} for a in r.answers] if show else [],
    } for r in section_report(consultation)]
    return {**_consultation(consultation), "sections": sections}


@router.get("/{consultation_id}/comments", response=CommentPage, summary="Ý kiến góp ý (phân trang)")
def list_comments(request: HttpRequest, consultation_id: int, section: int | None = None,
                  sort: str = DEFAULT_COMMENT_SORT, q: str = "", offset: int = Query(0, ge=0),
                  limit: int = Query(20, ge=1, le=MAX_PAGE_SIZE)) -> dict:
    consultation = consultation_public_get(consultation_id)
    qs = comments_list(consultation, section_id=section, sort=sort if sort in COMMENT_SORTS else DEFAULT_COMMENT_SORT,
                       query=q)
    results = [{
        "id": c.pk, "section": c.section_id, "author": c.author_name if not c.organisation_id else "",
        "organisation": c.organisation.name if c.organisation else None,
        "body": "" if c.is_hidden else c.body, "hidden_reason": c.hidden_reason, "support_count": c.support_count,
        "created_at": c.created_at,
    } for c in qs[offset:offset + limit]]
    return {"count": qs.count(), "results": results}


@router.get("/{consultation_id}/opinion-groups", response=OpinionOut, summary="Nhóm ý kiến tính gần nhất")
def get_opinion(request: HttpRequest, consultation_id: int) -> dict:
    consultation = consultation_public_get(consultation_id)
    snapshot = opinion_latest(consultation)
    if snapshot is None:
        return {"computed_at": None, "participants": 0, "statements": 0, "groups": 0, "result": {}}
    return {"computed_at": snapshot.computed_at, "participants": snapshot.participants,
            "statements": snapshot.statements, "groups": snapshot.groups, "result": snapshot.result}
