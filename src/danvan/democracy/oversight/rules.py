"""Who may do what, as predicates over the commune a record belongs to.

The law gives the work to different hands: the commune's leaders and the Front committee
set up the boards (the Front committee recognises their members); the boards themselves plan
inspections, record findings and send recommendations; the People's Committee answers them,
manages projects and keeps its commitments. Reading is open to every official in scope; the
public pages need no rule (they show only what is public).
"""

from __future__ import annotations

from typing import Any

import rules

from danvan.accounts.models import Role
from danvan.accounts.selectors import path_in_scope


def _on(user: Any, path: str, *roles: str) -> bool:
    return path_in_scope(user, path, roles=(*roles, Role.SYSTEM_ADMIN))


@rules.predicate
def can_view(user: Any, path: str) -> bool:
    return path_in_scope(user, path)


@rules.predicate
def can_manage_board(user: Any, path: str) -> bool:
    return _on(user, path, Role.LEADER, Role.SUPERVISOR)


@rules.predicate
def can_work_as_board(user: Any, path: str) -> bool:
    return _on(user, path, Role.INSPECTION_BOARD, Role.SUPERVISOR)


@rules.predicate
def can_answer(user: Any, path: str) -> bool:
    return _on(user, path, Role.LEADER)


@rules.predicate
def can_manage_projects(user: Any, path: str) -> bool:
    return _on(user, path, Role.LEADER)


@rules.predicate
def can_manage_commitments(user: Any, path: str) -> bool:
    return _on(user, path, Role.LEADER, Role.HANDLER)


rules.add_perm("oversight.view", can_view)
rules.add_perm("oversight.manage_board", can_manage_board)
rules.add_perm("oversight.work_as_board", can_work_as_board)
rules.add_perm("oversight.answer", can_answer)
rules.add_perm("oversight.manage_projects", can_manage_projects)
rules.add_perm("oversight.manage_commitments", can_manage_commitments)
