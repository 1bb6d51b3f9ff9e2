"""Who may run a consultation: officials who lead, handle or supervise in the unit's subtree.

Each predicate reads the same scope paths as ``selectors.consultation_staff_list``, so a list
and a detail page agree (outside scope is a 404, never a distinguishable 403).
"""

from __future__ import annotations

from typing import Any

import rules

from danvan.accounts.models import Role
from danvan.accounts.selectors import active_assignments, path_in_scope

# Roles that prepare drafts, moderate and answer: leaders, handlers, and the Front and mass
# organisations' officials (who also run the phản biện xã hội on others' drafts).
MANAGE_ROLES: tuple[str, ...] = (Role.SYSTEM_ADMIN, Role.LEADER, Role.HANDLER, Role.SUPERVISOR)


@rules.predicate
def manages_consultation(user: Any, consultation: Any) -> bool:
    """The user holds a managing role on the consultation's unit or above."""
    if consultation is None:
        return False
    return path_in_scope(user, consultation.unit_path, roles=MANAGE_ROLES)


@rules.predicate
def speaks_for_organisation(user: Any, organisation: Any) -> bool:
    """The user holds a grant through ``organisation``: they may comment on its behalf."""
    if organisation is None:
        return False
    return active_assignments(user).filter(organisation=organisation).exists()


rules.add_perm("consultations.manage", manages_consultation)
