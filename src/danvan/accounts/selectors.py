"""The actor's scope: which units they may see, as a set of subtree roots.

Every scoped selector in every app starts from ``scope_paths(actor)``; object checks in
``accounts.rules`` use the same paths, so a list and a detail page always agree.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from danvan.units.models import Level, Status, Unit
from danvan.units.selectors import subtree_q, subtrees_q

from .models import Role, RoleAssignment

_CACHE_ATTR = "_danvan_scope_cache"
# Cache key for a superuser's scope, which no role grant produces.
_ALL = ("*",)


def _minimal_roots(paths: set[str]) -> list[str]:
    """Drop paths already covered by an ancestor path, so filters stay short."""
    roots: list[str] = []
    for p in sorted(paths):
        if not roots or not p.startswith(roots[-1]):
            roots.append(p)
    return roots


def _acting(actor: Any) -> bool:
    """A signed-in, active account: anonymous and deactivated users reach nothing."""
    return (actor is not None and bool(getattr(actor, "is_authenticated", False))
            and bool(getattr(actor, "is_active", False)))


def _nation_paths() -> list[str]:
    """Roots of every tree (current and pre-2025): a national grant reaches the history too."""
    return list(Unit.objects.filter(level=Level.NATION).values_list("path", flat=True))


def active_assignments(actor: Any) -> QuerySet[RoleAssignment]:
    """The actor's grants in force: active, on a unit that still exists as such."""
    if not _acting(actor):
        return RoleAssignment.objects.none()
    return RoleAssignment.objects.filter(user=actor, active=True, unit__status=Status.ACTIVE).select_related(
        "unit", "organisation")


def scope_paths(actor: Any, *, roles: tuple[str, ...] | None = None) -> list[str]:
    """Subtree roots the actor reaches (through any role, or only through ``roles``).

    Built from the same grants as ``active_assignments``, so the workspace lists exactly the
    grants that give scope. A superuser, or a grant on the nation, reaches every tree.
    Cached on the user object for the request, since one page asks many times.
    """
    if not _acting(actor):
        return []
    cache: dict[tuple[str, ...] | None, list[str]] = actor.__dict__.setdefault(_CACHE_ATTR, {})
    key = _ALL if getattr(actor, "is_superuser", False) and roles is None else roles
    if key not in cache:
        if key == _ALL:
            cache[key] = _minimal_roots(set(_nation_paths()))
        else:
            qs = active_assignments(actor)
            if roles is not None:
                qs = qs.filter(role__in=roles)
            rows = set(qs.values_list("unit__path", "unit__level"))
            paths = {path for path, _level in rows}
            if any(level == Level.NATION for _path, level in rows):
                paths.update(_nation_paths())
            cache[key] = _minimal_roots(paths)
    return cache[key]


def clear_scope_cache(actor: Any) -> None:
    """Forget the cached scope after the actor's grants change."""
    actor.__dict__.pop(_CACHE_ATTR, None)


def scope_q(actor: Any, *, field: str = "path", roles: tuple[str, ...] | None = None) -> Q:
    """Filter condition for rows whose unit path ``field`` is within the actor's scope."""
    return subtrees_q(scope_paths(actor, roles=roles), field=field)


def path_in_scope(actor: Any, path: str, *, roles: tuple[str, ...] | None = None) -> bool:
    """Object form of ``scope_q``: whether one unit path lies within the actor's scope."""
    return any(path.startswith(root) for root in scope_paths(actor, roles=roles))


def units_in_scope(*, actor: Any, max_level: int | None = None) -> QuerySet[Unit]:
    """All units the actor may see; nothing for anonymous users or people with no role."""
    qs = Unit.objects.filter(scope_q(actor))
    if max_level is not None:
        qs = qs.filter(level__lte=max_level)
    return qs


def scope_roots(*, actor: Any) -> QuerySet[Unit]:
    """The units at the top of the actor's scope (for the workspace home)."""
    return Unit.objects.filter(path__in=scope_paths(actor)).order_by("path")


def has_role(actor: Any, role: str) -> bool:
    """The actor holds ``role`` somewhere, on any unit."""
    return bool(scope_paths(actor, roles=(role,)))


def _is_nation_path(path: str) -> bool:
    # A tree root's path is one code and its dot ("VN.", "VNL."); see units.models.
    return path.count(".") == 1


def is_system_admin(actor: Any) -> bool:
    """A national administrator: superuser, or system administrator granted on the nation.

    A system administrator granted on a province or commune administers that subtree only
    (through the scoped predicates), never the whole country.
    """
    if not _acting(actor):
        return False
    if getattr(actor, "is_superuser", False):
        return True
    return any(_is_nation_path(p) for p in scope_paths(actor, roles=(Role.SYSTEM_ADMIN,)))


def grants_under(*, unit: Unit | None = None, include_revoked: bool = False) -> QuerySet[RoleAssignment]:
    """Every grant (optionally under ``unit``), unscoped: for console administration only."""
    qs = RoleAssignment.objects.all()
    if unit is not None:
        qs = qs.filter(subtree_q(unit.path, field="unit__path"))
    if not include_revoked:
        qs = qs.filter(active=True)
    return qs.select_related("user", "unit", "organisation").order_by("unit__path", "user__username", "role")


def grant_list(*, actor: Any, unit: Unit | None = None,
               include_revoked: bool = False) -> QuerySet[RoleAssignment]:
    """Grants the actor may see (those on units in their scope), optionally under ``unit``."""
    return grants_under(unit=unit, include_revoked=include_revoked).filter(scope_q(actor, field="unit__path"))
