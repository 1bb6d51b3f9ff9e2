"""Who may see and record the decisions of a village.

The village head records meetings and ballots of their own village; commune (and higher)
leaders, Front and propaganda officials, viewers and administrators see every village of
their scope. ``selectors.decision_visible_q`` is the queryset twin of ``can_view_decision``.
"""

from __future__ import annotations

from typing import Any

import rules

from danvan.accounts.models import Role
from danvan.accounts.selectors import path_in_scope
from danvan.units.models import Unit

from .models import Decision

VIEW_ROLES: tuple[str, ...] = (Role.SYSTEM_ADMIN, Role.LEADER, Role.SUPERVISOR, Role.VIEWER, Role.VILLAGE_HEAD,
                               Role.INSPECTION_BOARD)
MANAGE_ROLES: tuple[str, ...] = (Role.VILLAGE_HEAD,)


def _acting(user: Any) -> bool:
    return (user is not None and bool(getattr(user, "is_authenticated", False))
            and bool(getattr(user, "is_active", False)))


@rules.predicate
def can_view_decision(user: Any, decision: Decision | None) -> bool:
    """The decision's village lies in the user's scope through a role that sees decisions."""
    if decision is None or not _acting(user):
        return False
    return path_in_scope(user, decision.village.path, roles=VIEW_ROLES)


@rules.predicate
def may_manage_village(user: Any, village: Unit | None) -> bool:
    """The user is the village head of ``village`` (records its meetings and ballots)."""
    if village is None or not _acting(user):
        return False
    return path_in_scope(user, village.path, roles=MANAGE_ROLES)


@rules.predicate
def may_manage_decision(user: Any, decision: Decision | None) -> bool:
    """The user is the village head of the decision's village."""
    return decision is not None and bool(may_manage_village(user, decision.village))


rules.add_perm("decisions.view_decision", can_view_decision)
rules.add_perm("decisions.manage_decision", may_manage_decision)
