"""Reads of consultations: public (published only) and officials' (scoped to the actor)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
from django.db import connection
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from danvan.accounts.selectors import scope_q
from danvan.core.errors import NotFoundOrForbidden
from danvan.core.search import fts_prefix_filter, query_words, word_prefix_filter

from .models import (
    Answer,
    Comment,
    CommentStatus,
    Consultation,
    OpinionSnapshot,
    Period,
    Section,
    SectionVote,
    Stance,
    Statement,
    StatementStatus,
    StatementVote,
)
from .rules import MANAGE_ROLES
from .search_index import COMMENT_FTS_TABLE

COMMENT_SORTS = {"new": ("-created_at", "-id"), "top": ("-support_count", "-id"), "old": ("created_at", "id")}
DEFAULT_COMMENT_SORT = "new"


def _period_filter(qs: QuerySet[Consultation], period: str) -> QuerySet[Consultation]:
    now = timezone.now()
    if period == Period.OPEN:
        return qs.filter(opens_at__lte=now, closes_at__gt=now)
    if period == Period.CLOSED:
        return qs.filter(closes_at__lte=now)
    if period == Period.UPCOMING:
        return qs.filter(opens_at__gt=now)
    return qs


def _filtered(qs: QuerySet[Consultation], *, period: str = "", content: str = "",
              query: str = "") -> QuerySet[Consultation]:
    qs = _period_filter(qs, period)
    if content:
        qs = qs.filter(content__code=content)
    condition = word_prefix_filter("search_text", query)
    if condition is not None:
        qs = qs.filter(condition)
    return qs.select_related("unit", "drafting_body", "content").annotate(
        comment_count=Count("comments", filter=Q(comments__status=CommentStatus.VISIBLE), distinct=True),
    ).order_by("-opens_at", "-id")


def consultation_public_list(*, period: str = "", content: str = "", query: str = "") -> QuerySet[Consultation]:
    """Published consultations, newest period first."""
    return _filtered(Consultation.objects.filter(published=True), period=period, content=content, query=query)


def consultation_public_get(pk: int) -> Consultation:
    consultation = (Consultation.objects.filter(pk=pk, published=True)
                    .select_related("unit", "drafting_body", "content").first())
    if consultation is None:
        raise NotFoundOrForbidden()
    return consultation


def consultation_staff_list(*, actor: Any, period: str = "", content: str = "",
                            query: str = "") -> QuerySet[Consultation]:
    """Consultations of units in the actor's managing scope (published or not)."""
    qs = Consultation.objects.filter(scope_q(actor, field="unit_path", roles=MANAGE_ROLES))
    return _filtered(qs, period=period, content=content, query=query)


def consultation_staff_get(*, actor: Any, pk: int) -> Consultation:
    consultation = consultation_staff_list(actor=actor).filter(pk=pk).first()
    if consultation is None:
        raise NotFoundOrForbidden()
    return consultation


def comments_list(consultation: Consultation, *, section_id: int | None = None, sort: str = DEFAULT_COMMENT_SORT,
                  query: str = "", include_hidden: bool = True) -> QuerySet[Comment]:
    """Comments of a consultation; hidden ones stay listed (with their reason) unless excluded."""
    qs = Comment.objects.filter(consultation=consultation)
    if section_id:
        qs = qs.filter(section_id=section_id)
    if not include_hidden:
        qs = qs.filter(status=CommentStatus.VISIBLE)
    if query_words(query):
        # SQLite answers from the FTS5 index of the folded text; PostgreSQL from its trigram index.
        condition = (fts_prefix_filter(COMMENT_FTS_TABLE, query) if connection.vendor == "sqlite"
                     else word_prefix_filter("search_text", query))
        qs = qs.filter(condition)
    # The public list needs neither the contact nor the folded text: narrow rows stay fast at 10,000.
    return (qs.select_related("section", "organisation")
            .defer("contact", "search_text")
            .order_by(*COMMENT_SORTS.get(sort, COMMENT_SORTS[DEFAULT_COMMENT_SORT])))


@dataclass
class SectionReport:
    section: Section
    support: int = 0
    oppose: int = 0
    comments: int = 0
    hidden: int = 0
    organisations: int = 0
    answers: list[Answer] = field(default_factory=list)


def section_report(consultation: Consultation) -> list[SectionReport]:
    """Per section: support / oppose counts, comments shown and hidden, organisations, answers."""
    sections = list(consultation.sections.order_by("order"))
    rows = {s.pk: SectionReport(section=s) for s in sections}
    for section_id, stance, n in (SectionVote.objects.filter(section__consultation=consultation)
                                  .values_list("section_id", "stance").annotate(n=Count("id"))):
        if stance == Stance.SUPPORT:
            rows[section_id].support = n
        else:
            rows[section_id].oppose = n
    counts = (Comment.objects.filter(consultation=consultation).values("section_id").annotate(
        shown=Count("id", filter=Q(status=CommentStatus.VISIBLE)),
        hidden=Count("id", filter=Q(status=CommentStatus.HIDDEN)),
        orgs=Count("organisation", distinct=True)))
    for row in counts:
        report = rows[row["section_id"]]
        report.comments, report.hidden, report.organisations = row["shown"], row["hidden"], row["orgs"]
    for answer in (Answer.objects.filter(section__consultation=consultation)
                   .prefetch_related("comments").order_by("created_at", "id")):
        rows[answer.section_id].answers.append(answer)
    return [rows[s.pk] for s in sections]


def answers_visible(consultation: Consultation) -> bool:
    """The public sees the drafting body's answers once its report is published."""
    return consultation.report_published_at is not None


def statements_accepted(consultation: Consultation) -> QuerySet[Statement]:
    return consultation.statements.filter(status=StatementStatus.ACCEPTED).order_by("id")


def statements_for_participant(consultation: Consultation, participant_key: str) -> list[Statement]:
    """Accepted statements this participant has not voted on yet, oldest first."""
    voted = StatementVote.objects.filter(statement__consultation=consultation,
                                         participant_key=participant_key).values("statement_id")
    return list(statements_accepted(consultation).exclude(pk__in=voted)[:20])


def vote_matrix(consultation: Consultation) -> tuple[np.ndarray, list[str], list[int]]:
    """Participants × accepted statements (agree +1, disagree -1, pass 0, unseen NaN)."""
    statement_ids = list(statements_accepted(consultation).values_list("pk", flat=True))
    column = {pk: j for j, pk in enumerate(statement_ids)}
    votes = list(StatementVote.objects.filter(statement_id__in=statement_ids)
                 .values_list("participant_key", "statement_id", "vote"))
    keys = sorted({key for key, _s, _v in votes})
    row = {key: i for i, key in enumerate(keys)}
    matrix = np.full((len(keys), len(statement_ids)), np.nan)
    for key, statement_id, vote in votes:
        matrix[row[key], column[statement_id]] = vote
    return matrix, keys, statement_ids


def opinion_latest(consultation: Consultation) -> OpinionSnapshot | None:
    return consultation.snapshots.order_by("-computed_at", "-id").first()
