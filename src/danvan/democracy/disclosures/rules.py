"""Who may do what with a commune's disclosures.

The commune's leaders and its intake (one-stop) officers post, edit and take down items; a
village head records how the items were relayed in his village (meeting, household notice, SMS,
agreed group). Reading the compliance view is open to every official in scope; the public board
needs no rule.
"""

from __future__ import annotations

from typing import Any

import rules

from danvan.accounts.models import Role
from danvan.accounts.selectors import path_in_scope

MANAGER_ROLES = (Role.LEADER, Role.INTAKE_OFFICER, Role.SYSTEM_ADMIN)


@rules.predicate
def can_view(user: Any, path: str) -> bool:
    return path_in_scope(user, path)


@rules.predicate
def can_manage(user: Any, path: str) -> bool:
    """Post, edit, take down items of the commune at ``path``."""
    return path_in_scope(user, path, roles=MANAGER_ROLES)


@rules.predicate
def can_record_relay(user: Any, village_path: str) -> bool:
    """Record a village head's relay in the village at ``village_path`` (managers of the commune too)."""
    return path_in_scope(user, village_path, roles=(Role.VILLAGE_HEAD, *MANAGER_ROLES))


rules.add_perm("disclosures.view", can_view)
rules.add_perm("disclosures.manage", can_manage)
rules.add_perm("disclosures.record_relay", can_record_relay)
