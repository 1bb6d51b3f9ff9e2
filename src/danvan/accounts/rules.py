"""Permission predicates. Each object predicate has a queryset twin in ``selectors``
(``unit_in_scope`` ↔ ``scope_q`` / ``units_in_scope``), and both read the same scope paths,
so "may I see this unit" and "which units may I see" never disagree."""

from __future__ import annotations

from typing import Any

import rules

from danvan.units.models import Unit

from .models import Role
from .selectors import has_role, is_system_admin, path_in_scope


@rules.predicate
def is_official(user: Any) -> bool:
    """A signed-in, active official (cán bộ)."""
    return bool(getattr(user, "is_authenticated", False) and getattr(user, "is_active", False)
                and getattr(user, "is_official", False))


@rules.predicate
def is_admin(user: Any) -> bool:
    """A national administrator, by superuser flag or by a system-administrator grant on the nation."""
    return is_system_admin(user)


@rules.predicate
def unit_in_scope(user: Any, unit: Unit | None) -> bool:
    """The unit lies in the subtree of one of the user's role grants."""
    if unit is None:
        return False
    return path_in_scope(user, unit.path)


@rules.predicate
def manages_unit(user: Any, unit: Unit | None) -> bool:
    """The user leads or administers a unit above or at ``unit``."""
    if unit is None:
        return False
    return path_in_scope(user, unit.path, roles=(Role.LEADER, Role.SYSTEM_ADMIN))


@rules.predicate
def is_village_head_of(user: Any, unit: Unit | None) -> bool:
    """The user is village head of ``unit`` (or of its village, for a household)."""
    if unit is None:
        return False
    return path_in_scope(user, unit.path, roles=(Role.VILLAGE_HEAD,))


def has_role_predicate(role: str) -> rules.Predicate:
    """A predicate true when the user holds ``role`` on any unit."""
    return rules.predicate(lambda user: has_role(user, role), name=f"has_role_{role}")


# The admin predicate is not needed beside unit_in_scope: a national administrator's scope
# already covers every tree, and adding it would let the object check and the list disagree.
rules.add_perm("units.view_unit", unit_in_scope)
rules.add_perm("units.manage_villages", manages_unit | is_admin)
rules.add_perm("units.reorganise", is_admin)
rules.add_perm("accounts.view_workspace", is_official)
