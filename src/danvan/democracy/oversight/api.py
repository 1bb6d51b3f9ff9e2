"""Public read API of a commune's oversight record (no personal data beyond public roles)."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from ninja import Router, Schema

from . import selectors

router = Router(tags=["Kiểm tra, giám sát, cam kết"])


class MemberOut(Schema):
    full_name: str
    role: str
    village: str


class BoardOut(Schema):
    name: str
    kind: str
    members: list[MemberOut]
    warnings: list[str]


class RecommendationOut(Schema):
    id: int
    board: str
    text: str
    sent_on: dt.date
    answer_due_on: dt.date
    status: str
    overdue: bool
    answer: str
    answered_on: dt.date | None


class ProjectOut(Schema):
    id: int
    name: str
    investor: str
    budget_vnd: int
    status: str
    progress_percent: int
    latitude: float | None
    longitude: float | None


class CommitmentOut(Schema):
    id: int
    title: str
    source_kind: str
    responsible: str
    due_on: dt.date
    status: str
    progress_percent: int
    done_on: dt.date | None


class AccountabilityOut(Schema):
    commune_code: str
    commune_name: str
    summary: dict[str, int]
    boards: list[BoardOut]
    recommendations: list[RecommendationOut]
    projects: list[ProjectOut]
    commitments: list[CommitmentOut]


@router.get("/{code}", response=AccountabilityOut, summary="Công khai kiểm tra, giám sát và cam kết của một xã")
def accountability(request: HttpRequest, code: str) -> dict:
    unit = selectors.commune_by_code(code)
    return {
        "commune_code": unit.code, "commune_name": unit.name, "summary": selectors.summary(commune=unit),
        "boards": [{"name": b.board.name, "kind": b.board.kind, "warnings": b.warnings,
                    "members": [{"full_name": m.full_name, "role": m.role, "village": m.village.name}
                                for m in b.members]} for b in selectors.board_views(commune=unit)],
        "recommendations": [{"id": r.pk, "board": r.board.name, "text": r.text, "sent_on": r.sent_on,
                             "answer_due_on": r.answer_due_on, "status": r.status,
                             "overdue": selectors.recommendation_overdue(r), "answer": r.answer,
                             "answered_on": r.answered_on}
                            for r in selectors.recommendations(commune=unit)[:200]],
        "projects": list(selectors.projects(commune=unit)[:200]),
        "commitments": list(selectors.commitments(commune=unit)[:500]),
    }
