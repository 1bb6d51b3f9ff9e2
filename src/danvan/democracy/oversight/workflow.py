"""The two small state machines of this app, as tables: (state, action) → next state.

Services call `next_state`; anything not in a table is refused with a Vietnamese message, so a
recommendation cannot be answered twice nor a finished commitment reopened by a stray form.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from danvan.core.errors import DomainError

from .models import CommitmentStatus, PlanStatus, RecommendationStatus

RECOMMENDATION: dict[tuple[str, str], str] = {
    (RecommendationStatus.SENT, "answer"): RecommendationStatus.ANSWERED,
    (RecommendationStatus.ANSWERED, "close"): RecommendationStatus.CLOSED,
    # The board is not satisfied with the answer: the commune must answer again.
    (RecommendationStatus.ANSWERED, "reopen"): RecommendationStatus.SENT,
}

PLAN: dict[tuple[str, str], str] = {
    (PlanStatus.PLANNED, "start"): PlanStatus.IN_PROGRESS,
    (PlanStatus.PLANNED, "finding"): PlanStatus.IN_PROGRESS,
    (PlanStatus.IN_PROGRESS, "finding"): PlanStatus.IN_PROGRESS,
    (PlanStatus.IN_PROGRESS, "complete"): PlanStatus.COMPLETED,
}

COMMITMENT: dict[tuple[str, str], str] = {
    (CommitmentStatus.NOT_STARTED, "progress"): CommitmentStatus.IN_PROGRESS,
    (CommitmentStatus.IN_PROGRESS, "progress"): CommitmentStatus.IN_PROGRESS,
    (CommitmentStatus.NOT_STARTED, "complete"): CommitmentStatus.DONE,
    (CommitmentStatus.IN_PROGRESS, "complete"): CommitmentStatus.DONE,
    (CommitmentStatus.NOT_STARTED, "cancel"): CommitmentStatus.CANCELLED,
    (CommitmentStatus.IN_PROGRESS, "cancel"): CommitmentStatus.CANCELLED,
}


def next_state(table: dict[tuple[str, str], str], state: str, action: str) -> str:
    try:
        return table[(state, action)]
    except KeyError:
        raise DomainError(_("Thao tác này không thực hiện được ở trạng thái hiện tại."),
                          code="illegal_transition") from None


def allowed(table: dict[tuple[str, str], str], state: str) -> set[str]:
    return {action for (s, action) in table if s == state}
