"""Reads of decisions: officials see their scope; the public sees open votes and published results.

``decision_visible_q`` is the queryset twin of ``rules.can_view_decision``. The register view
(``household_register``) tells who attended, received a ballot or voted, never what anyone chose.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet

from danvan.accounts.selectors import scope_q
from danvan.core.errors import NotFoundOrForbidden
from danvan.core.search import word_prefix_filter
from danvan.units.models import Era, Household, Level, Unit
from danvan.units.models import Status as UnitStatus
from danvan.units.selectors import subtree_q

from .models import (
    PUBLIC_RESULT_STATES,
    PUBLIC_STATES,
    Attendance,
    BallotIssue,
    BallotReceipt,
    Decision,
    Form,
    Meeting,
    VotingCode,
)
from .rules import MANAGE_ROLES, VIEW_ROLES, can_view_decision


def decision_visible_q(actor: Any) -> Q:
    """Decisions of villages in the actor's scope through a role that sees decisions."""
    return scope_q(actor, field="village__path", roles=VIEW_ROLES)


@dataclass(frozen=True)
class DecisionFilters:
    status: str = ""
    form: str = ""
    matter_type: str = ""
    unit_path: str = ""
    q: str = ""


def _filtered(qs: QuerySet[Decision], filters: DecisionFilters) -> QuerySet[Decision]:
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.form:
        qs = qs.filter(form=filters.form)
    if filters.matter_type:
        qs = qs.filter(matter_type__code=filters.matter_type)
    if filters.unit_path:
        qs = qs.filter(subtree_q(filters.unit_path, field="village__path"))
    if filters.q.strip():
        words = word_prefix_filter("search_text", filters.q)
        qs = qs.filter(words) if words is not None else qs.none()
    return qs


def decision_list(*, actor: Any, filters: DecisionFilters | None = None) -> QuerySet[Decision]:
    """Decisions the actor may see, newest first, filtered."""
    qs = Decision.objects.filter(decision_visible_q(actor))
    return (_filtered(qs, filters or DecisionFilters())
            .select_related("village", "village__parent", "matter_type").order_by("-created_at", "-id"))


def decision_get(*, actor: Any, decision_id: int) -> Decision:
    """One decision the actor may see; NotFoundOrForbidden otherwise."""
    decision = (Decision.objects.select_related("village", "village__parent", "matter_type", "rule")
                .filter(pk=decision_id).first())
    if decision is None or not can_view_decision(actor, decision):
        raise NotFoundOrForbidden()
    return decision


def managed_villages(*, actor: Any) -> QuerySet[Unit]:
    """Villages where the actor records decisions (as village head)."""
    return Unit.objects.filter(scope_q(actor, roles=MANAGE_ROLES), level=Level.VILLAGE, era=Era.CURRENT,
                               status=UnitStatus.ACTIVE).select_related("parent").order_by("path")


@dataclass(frozen=True)
class RegisterRow:
    household: Household
    attended: bool
    ballot_number: int | None
    has_code: bool
    voted: bool


def household_register(*, actor: Any, decision: Decision) -> list[RegisterRow]:
    """The village's households with who attended, was issued a ballot or a code, and who voted."""
    if not can_view_decision(actor, decision):
        raise NotFoundOrForbidden()
    qs = (Household.objects.filter(village=decision.village, active=True)
          .annotate(attended=Exists(Attendance.objects.filter(decision=decision, household=OuterRef("pk"))),
                    voted=Exists(BallotReceipt.objects.filter(decision=decision, household=OuterRef("pk"))),
                    has_code=Exists(VotingCode.objects.filter(decision=decision, household=OuterRef("pk"))))
          .order_by("number", "pk"))
    numbers = dict(BallotIssue.objects.filter(decision=decision).values_list("household_id", "number"))
    return [RegisterRow(household=h, attended=bool(h.attended), ballot_number=numbers.get(h.pk),
                        has_code=bool(h.has_code), voted=bool(h.voted)) for h in qs]


# --- public ---------------------------------------------------------------------------------

def public_decision_get(*, decision_id: int) -> Decision:
    """A decision the public may see: open for voting, counted, or with results published."""
    decision = (Decision.objects.select_related("village", "village__parent", "matter_type", "rule")
                .filter(pk=decision_id, status__in=PUBLIC_STATES).first())
    if decision is None:
        raise NotFoundOrForbidden()
    return decision


def public_meeting(*, decision: Decision) -> Meeting | None:
    """When and where a community meeting is held, for a decision the public may see; None for other forms."""
    if decision.form != Form.MEETING or decision.status not in PUBLIC_STATES:
        return None
    return Meeting.objects.filter(decision=decision).first()


def public_results(*, unit: Unit | None = None, q: str = "", include_open: bool = False) -> QuerySet[Decision]:
    """Published results (and optionally open votes) under ``unit`` (a commune or village), newest first."""
    states = PUBLIC_STATES if include_open else PUBLIC_RESULT_STATES
    qs = Decision.objects.filter(status__in=states)
    if unit is not None:
        qs = qs.filter(subtree_q(unit.path, field="village__path"))
    if q.strip():
        words = word_prefix_filter("search_text", q)
        qs = qs.filter(words) if words is not None else qs.none()
    return qs.select_related("village", "village__parent", "matter_type").order_by(
        "-published_at", "-counted_at", "-id")


def public_commune(*, code: str) -> Unit:
    """A current commune by its code, for the public results page."""
    unit = Unit.objects.filter(era=Era.CURRENT, level=Level.COMMUNE, code=code).first()
    if unit is None:
        raise NotFoundOrForbidden()
    return unit
