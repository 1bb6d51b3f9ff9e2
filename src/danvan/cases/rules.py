"""Permission predicates for cases.

Seeing a case: any case role reaching its unit, except denunciations, which only leaders and
intake officers of that subtree, and the handler assigned to it, may see (a denunciation is
handled as a classified document). ``selectors.case_visible_q`` is the queryset twin of
``can_view_case``; both read the same scope paths, so lists and detail pages agree.

Acting on a case: ``ACTION_PERMISSIONS`` gives one predicate per workflow action; the
workflow checks it after the state machine allows the move. Reading a denouncer's identity
needs a leader's role over the case's unit or an explicit ``IdentityClearance``.
"""

from __future__ import annotations

from typing import Any

import rules

from danvan.accounts.models import Role
from danvan.accounts.selectors import is_system_admin, path_in_scope
from danvan.units.models import Status, Unit

from .models import Action, Case, IdentityClearance, Kind

# Roles that see feedback, petitions and complaints of their subtree.
CASE_VIEW_ROLES: tuple[str, ...] = (Role.SYSTEM_ADMIN, Role.LEADER, Role.INTAKE_OFFICER, Role.HANDLER,
                                    Role.SUPERVISOR, Role.VIEWER)
# Roles that see every denunciation of their subtree (others see only those assigned to them).
DENUNCIATION_VIEW_ROLES: tuple[str, ...] = (Role.LEADER, Role.INTAKE_OFFICER)
# Roles a handler must hold over the case's unit to be assigned it.
HANDLER_ROLES: tuple[str, ...] = (Role.HANDLER, Role.LEADER)


def acting(user: Any) -> bool:
    """A signed-in, active account."""
    return (user is not None and bool(getattr(user, "is_authenticated", False))
            and bool(getattr(user, "is_active", False)))


@rules.predicate
def can_view_case(user: Any, case: Case | None) -> bool:
    """The user may see this case (and its full, internal timeline)."""
    if case is None or not acting(user):
        return False
    if case.kind != Kind.DENUNCIATION:
        return is_system_admin(user) or path_in_scope(user, case.unit_path, roles=CASE_VIEW_ROLES)
    if path_in_scope(user, case.unit_path, roles=DENUNCIATION_VIEW_ROLES):
        return True
    return case.handler_id == user.pk and path_in_scope(user, case.unit_path, roles=HANDLER_ROLES)


@rules.predicate
def is_case_handler(user: Any, case: Case | None) -> bool:
    """The user is the case's assigned handler and still holds a handling role over its unit."""
    if case is None or not acting(user) or case.handler_id != user.pk:
        return False
    return path_in_scope(user, case.unit_path, roles=HANDLER_ROLES)


def case_role(*roles: str) -> rules.Predicate:
    """A predicate true when the user holds one of ``roles`` on the case's unit or above."""
    def check(user: Any, case: Case | None) -> bool:
        return case is not None and acting(user) and path_in_scope(user, case.unit_path, roles=roles)

    return rules.predicate(check, name="case_role_" + "_".join(roles))


is_case_leader = case_role(Role.LEADER)
is_case_leader_or_intake = case_role(Role.LEADER, Role.INTAKE_OFFICER)

# Who may do what, once the state machine allows it. Leaders assign and approve; intake
# officers accept, refuse, route and merge; the assigned handler works the case and drafts.
ACTION_PERMISSIONS: dict[str, rules.Predicate] = {
    Action.ACCEPT: is_case_leader_or_intake,
    Action.REFUSE: is_case_leader_or_intake,
    Action.ASSIGN: is_case_leader,
    Action.START: is_case_handler | is_case_leader,
    Action.REQUEST_INFO: is_case_handler | is_case_leader,
    Action.INFO_RECEIVED: is_case_handler | is_case_leader_or_intake,
    Action.DRAFT_ANSWER: is_case_handler | is_case_leader,
    Action.SUBMIT_ANSWER: is_case_handler | is_case_leader,
    Action.APPROVE_ANSWER: is_case_leader,
    Action.RETURN_ANSWER: is_case_leader,
    Action.SEND_ANSWER: is_case_handler | is_case_leader_or_intake,
    Action.CLOSE: is_case_handler | is_case_leader,
    # A citizen reopens with the case's code instead (see workflow.case_transition).
    Action.REOPEN: is_case_leader,
    Action.MERGE: is_case_leader_or_intake,
    Action.TRANSFER: is_case_leader_or_intake,
}


@rules.predicate
def may_extend_case(user: Any, case: Case | None) -> bool:
    """Extending a deadline is the resolving authority's decision: a leader over the case's unit."""
    return bool(is_case_leader(user, case))


@rules.predicate
def may_add_note(user: Any, case: Case | None) -> bool:
    """Internal notes: anyone who may see the case and handles, leads or receives there."""
    return bool(can_view_case(user, case)) and bool(
        is_case_handler(user, case) or case_role(Role.LEADER, Role.INTAKE_OFFICER, Role.HANDLER)(user, case))


def _cleared_paths(user: Any) -> list[str]:
    return list(IdentityClearance.objects.filter(user=user, active=True, unit__status=Status.ACTIVE)
                .values_list("unit__path", flat=True))


@rules.predicate
def may_read_identity(user: Any, case: Case | None) -> bool:
    """The user may read this denunciation's denouncer identity: a leader over its unit, or
    an official holding an active clearance on a unit above or at it."""
    if case is None or case.kind != Kind.DENUNCIATION or not acting(user):
        return False
    if not getattr(user, "is_official", False):
        return False
    if path_in_scope(user, case.unit_path, roles=(Role.LEADER,)):
        return True
    return any(case.unit_path.startswith(path) for path in _cleared_paths(user))


@rules.predicate
def may_grant_clearance(user: Any, unit: Unit | None) -> bool:
    """Clearances on a unit are granted by a national administrator or a leader over it."""
    if unit is None or not acting(user):
        return False
    return is_system_admin(user) or path_in_scope(user, unit.path, roles=(Role.LEADER,))


rules.add_perm("cases.view_case", can_view_case)
rules.add_perm("cases.extend_case", may_extend_case)
rules.add_perm("cases.add_note", may_add_note)
rules.add_perm("cases.read_denouncer_identity", may_read_identity)
rules.add_perm("cases.grant_identity_clearance", may_grant_clearance)
for _action, _predicate in ACTION_PERMISSIONS.items():
    rules.add_perm(f"cases.{Action(_action).value}", _predicate)
