"""Who may do what with a "Dân vận khéo" model.

The movement is run by the Front, the Ban Tuyên giáo và Dân vận and the mass organisations
(role SUPERVISOR): they register models, sit on appraisal panels and review them yearly.
Recognition and commendation are decisions of the leadership (role LEADER). Every grant
reaches its unit's subtree, so a province's staff act on every commune of the province.
``selectors.practice_visible_q`` is the queryset twin of ``can_view_practice``.
"""

from __future__ import annotations

from typing import Any

import rules

from danvan.accounts.models import Role
from danvan.accounts.selectors import is_system_admin, path_in_scope

from .models import Action, Level, Practice

# Officials who see the models of their subtree in the workspace (registered ones included).
VIEW_ROLES: tuple[str, ...] = (Role.SYSTEM_ADMIN, Role.LEADER, Role.SUPERVISOR, Role.VIEWER)
# Officials who run the movement: register, edit, submit, appraise, review, record replicas.
MOVEMENT_ROLES: tuple[str, ...] = (Role.SUPERVISOR, Role.LEADER)
# Officials who decide: certify, refuse recognition, commend.
DECISION_ROLES: tuple[str, ...] = (Role.LEADER,)


def acting(user: Any) -> bool:
    """A signed-in, active official."""
    return (user is not None and bool(getattr(user, "is_authenticated", False))
            and bool(getattr(user, "is_active", False)) and bool(getattr(user, "is_official", False)))


def province_path(path: str) -> str:
    """"VN.01.00004." → "VN.01.": the province part of a unit path."""
    parts = path.split(".")
    return ".".join(parts[:2]) + "." if len(parts) > 2 else path


@rules.predicate
def can_view_practice(user: Any, practice: Practice | None) -> bool:
    """The official may see this model in the workspace, whatever its state."""
    if practice is None or not acting(user):
        return False
    return is_system_admin(user) or path_in_scope(user, practice.unit_path, roles=VIEW_ROLES)


def _role_on(*roles: str) -> rules.Predicate:
    def check(user: Any, practice: Practice | None) -> bool:
        return practice is not None and acting(user) and path_in_scope(user, practice.unit_path, roles=roles)

    return rules.predicate(check, name="practice_role_" + "_".join(roles))


runs_movement = _role_on(*MOVEMENT_ROLES)
decides = _role_on(*DECISION_ROLES)


@rules.predicate
def decides_in_province(user: Any, practice: Practice | None) -> bool:
    """A leader over the model's whole province: province-level recognition is theirs."""
    if practice is None or not acting(user):
        return False
    return path_in_scope(user, province_path(practice.unit_path), roles=DECISION_ROLES)


def may_certify_at(user: Any, practice: Practice, level: str) -> bool:
    """Commune-level recognition: a leader over the model's unit; province level: over its province."""
    if level == Level.PROVINCE:
        return bool(decides_in_province(user, practice))
    return bool(decides(user, practice))


def may_register_in(user: Any, unit_path: str) -> bool:
    """The official may register a model (or a replica) in the unit at ``unit_path``."""
    return acting(user) and path_in_scope(user, unit_path, roles=MOVEMENT_ROLES)


ACTION_PERMISSIONS: dict[str, rules.Predicate] = {
    Action.SUBMIT: runs_movement,
    Action.RETURN: decides,
    Action.CERTIFY: decides,
    Action.REJECT: decides,
    Action.REVIEW_KEEP: runs_movement,
    Action.REVIEW_REPLICATE: runs_movement,
    Action.REVIEW_DROP: runs_movement,
}

may_edit = runs_movement
may_appraise = runs_movement
may_commend = decides
may_record_results = runs_movement

rules.add_perm("practices.view_practice", can_view_practice)
rules.add_perm("practices.change_practice", may_edit)
rules.add_perm("practices.appraise_practice", may_appraise)
rules.add_perm("practices.commend_practice", may_commend)
