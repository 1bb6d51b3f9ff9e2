"""Role scope: a grant on a unit reaches its subtree, and nothing else.

The table below says, for each kind of actor, which of a fixed set of units they may see.
Every cell is checked in three forms that must agree: the predicate ``unit_in_scope`` (object
form), ``units_in_scope`` (list form) and ``user.has_perm("units.view_unit", unit)``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser

from danvan.accounts.models import Role
from danvan.accounts.rules import is_admin, manages_unit, unit_in_scope
from danvan.accounts.selectors import (
    active_assignments,
    clear_scope_cache,
    grant_list,
    has_role,
    is_system_admin,
    scope_paths,
    scope_roots,
    units_in_scope,
)
from danvan.accounts.services import role_grant, role_revoke
from danvan.units.models import Era, Level, Unit
from danvan.units.selectors import subtree_q
from tests.factories import UserFactory, VillageFactory

# The sampled units, by name: (era, level, code) or (commune code, village code) for villages.
UNITS = [
    "nation", "legacy_nation", "hanoi", "ba_dinh", "ba_dinh_t1", "ba_dinh_t2", "ngoc_ha", "ngoc_ha_t1",
    "hcm", "hcm_commune", "legacy_hanoi", "legacy_ba_dinh_district", "legacy_truc_bach",
]
BA_DINH_SUBTREE = {"ba_dinh", "ba_dinh_t1", "ba_dinh_t2"}
HANOI_SUBTREE = {"hanoi", *BA_DINH_SUBTREE, "ngoc_ha", "ngoc_ha_t1"}
CURRENT_TREE = {"nation", *HANOI_SUBTREE, "hcm", "hcm_commune"}
EVERYTHING = set(UNITS)

# actor → units it sees. Legacy units (before 1 July 2025) belong to the national history and
# are reached only from the nation; a legacy ward that shares its code with a current one
# (00004: Trúc Bạch then, Ba Đình now) is not the same unit.
TABLE: dict[str, set[str]] = {
    "commune_handler": BA_DINH_SUBTREE,
    "commune_intake_and_village_head": BA_DINH_SUBTREE,
    "village_head": {"ba_dinh_t1"},
    "commune_system_admin": BA_DINH_SUBTREE,
    "provincial_leader": HANOI_SUBTREE,
    "provincial_and_commune": HANOI_SUBTREE,
    "two_communes": {*BA_DINH_SUBTREE, "hcm_commune"},
    "national_admin": EVERYTHING,
    "superuser_without_role": EVERYTHING,
    "official_without_role": set(),
    "citizen": set(),
    "anonymous": set(),
    "revoked_handler": set(),
    "deactivated_handler": set(),
    "handler_on_dissolved_unit": set(),
}
assert CURRENT_TREE < EVERYTHING


@dataclass
class World:
    units: dict[str, Unit]
    actors: dict[str, Any]


def _unit(era: str, level: int, code: str) -> Unit:
    return Unit.objects.get(era=era, level=level, code=code)


def _grant(user: Any, role: str, unit: Unit) -> None:
    role_grant(actor=None, user=user, role=role, unit=unit)


@pytest.fixture
def world(db) -> World:  # type: ignore[no-untyped-def]
    ba_dinh = _unit(Era.CURRENT, Level.COMMUNE, "00004")
    ngoc_ha = _unit(Era.CURRENT, Level.COMMUNE, "00008")
    units = {
        "nation": Unit.objects.get(era=Era.CURRENT, level=Level.NATION),
        "legacy_nation": Unit.objects.get(era=Era.LEGACY, level=Level.NATION),
        "hanoi": _unit(Era.CURRENT, Level.PROVINCE, "01"),
        "ba_dinh": ba_dinh,
        "ba_dinh_t1": VillageFactory(parent=ba_dinh, code="T001", name="Tổ dân phố số 1"),
        "ba_dinh_t2": VillageFactory(parent=ba_dinh, code="T002", name="Tổ dân phố số 2"),
        "ngoc_ha": ngoc_ha,
        "ngoc_ha_t1": VillageFactory(parent=ngoc_ha, code="T001", name="Tổ dân phố số 1"),
        "hcm": _unit(Era.CURRENT, Level.PROVINCE, "79"),
        "hcm_commune": Unit.objects.filter(era=Era.CURRENT, level=Level.COMMUNE, path__startswith="VN.79.")
        .order_by("code").first(),
        "legacy_hanoi": _unit(Era.LEGACY, Level.PROVINCE, "01"),
        "legacy_ba_dinh_district": _unit(Era.LEGACY, Level.DISTRICT, "001"),
        "legacy_truc_bach": _unit(Era.LEGACY, Level.COMMUNE, "00004"),
    }
    assert set(units) == set(UNITS)
    u = units
    actors: dict[str, Any] = {}

    def official(key: str, **kwargs: Any) -> Any:
        actors[key] = UserFactory(**kwargs)
        return actors[key]

    _grant(official("commune_handler"), Role.HANDLER, u["ba_dinh"])
    both = official("commune_intake_and_village_head")
    _grant(both, Role.INTAKE_OFFICER, u["ba_dinh"])
    _grant(both, Role.VILLAGE_HEAD, u["ba_dinh_t1"])
    _grant(official("village_head"), Role.VILLAGE_HEAD, u["ba_dinh_t1"])
    _grant(official("commune_system_admin"), Role.SYSTEM_ADMIN, u["ba_dinh"])
    _grant(official("provincial_leader"), Role.LEADER, u["hanoi"])
    mixed = official("provincial_and_commune")
    _grant(mixed, Role.SUPERVISOR, u["hanoi"])
    _grant(mixed, Role.HANDLER, u["ba_dinh"])
    two = official("two_communes")
    _grant(two, Role.HANDLER, u["ba_dinh"])
    _grant(two, Role.VIEWER, u["hcm_commune"])
    _grant(official("national_admin"), Role.SYSTEM_ADMIN, u["nation"])
    official("superuser_without_role", is_superuser=True, is_staff=True)
    official("official_without_role")
    official("citizen", is_official=False)
    actors["anonymous"] = AnonymousUser()
    revoked = official("revoked_handler")
    _grant(revoked, Role.HANDLER, u["ba_dinh"])
    role_revoke(actor=None, grant=revoked.roles.get())
    deactivated = official("deactivated_handler")
    _grant(deactivated, Role.HANDLER, u["ba_dinh"])
    deactivated.is_active = False
    deactivated.save(update_fields=["is_active"])
    # A grant that outlived its unit (the reorganisation services end such grants; this one
    # was left behind) must not give scope, exactly as the workspace does not list it.
    dissolved_holder = official("handler_on_dissolved_unit")
    grant = dissolved_holder.roles.model.objects.create(user=dissolved_holder, role=Role.HANDLER,
                                                        unit=u["ngoc_ha_t1"])
    Unit.objects.filter(pk=grant.unit_id).update(status="dissolved")
    u["ngoc_ha_t1"].refresh_from_db()
    for actor in actors.values():
        if not isinstance(actor, AnonymousUser):
            # Fresh objects, as a new request would load them: no scope cached during setup.
            actor.refresh_from_db()
            clear_scope_cache(actor)
    assert set(actors) == set(TABLE)
    return World(units=units, actors=actors)


@pytest.mark.parametrize("actor_key", sorted(TABLE))
def test_scope_table(world: World, actor_key: str) -> None:
    """One row of the table: for each sampled unit, the three forms give the expected answer."""
    actor = world.actors[actor_key]
    listed = set(units_in_scope(actor=actor).filter(pk__in=[u.pk for u in world.units.values()])
                 .values_list("pk", flat=True))
    row = {
        key: {"predicate": unit_in_scope(actor, unit), "list": unit.pk in listed,
              "permission": actor.has_perm("units.view_unit", unit)}
        for key, unit in world.units.items()
    }
    expected = {key: dict.fromkeys(("predicate", "list", "permission"), key in TABLE[actor_key])
                for key in UNITS}
    assert row == expected


@pytest.mark.parametrize("actor_key", sorted(TABLE))
def test_list_and_object_form_agree_on_a_sample_of_all_units(world: World, actor_key: str) -> None:
    """Beyond the table: every 97th unit of both trees, plus all villages, in both forms."""
    actor = world.actors[actor_key]
    ids = list(Unit.objects.order_by("id").values_list("id", flat=True))
    sample = list(Unit.objects.filter(id__in=ids[::97]) | Unit.objects.filter(level=Level.VILLAGE))
    visible = set(units_in_scope(actor=actor).filter(id__in=[s.pk for s in sample])
                  .values_list("id", flat=True))
    assert len(sample) > 100
    for unit in sample:
        assert unit_in_scope(actor, unit) is (unit.pk in visible), unit.path


def test_commune_official_sees_exactly_the_commune_subtree(world: World) -> None:
    actor = world.actors["commune_handler"]
    seen = set(units_in_scope(actor=actor).values_list("path", flat=True))
    assert seen == {"VN.01.00004.", "VN.01.00004.T001.", "VN.01.00004.T002."}
    assert list(scope_roots(actor=actor)) == [world.units["ba_dinh"]]
    # The neighbouring commune's village has the same code, and is still out of scope.
    assert not unit_in_scope(actor, world.units["ngoc_ha_t1"])


def test_provincial_official_sees_the_whole_province_and_nothing_else(world: World) -> None:
    actor = world.actors["provincial_leader"]
    seen = units_in_scope(actor=actor)
    in_hanoi = Unit.objects.filter(subtree_q("VN.01."))
    assert set(seen.values_list("id", flat=True)) == set(in_hanoi.values_list("id", flat=True))
    assert seen.count() > 100  # the province, its 126 communes and the villages made here
    assert not seen.exclude(path__startswith="VN.01.").exists()
    assert not seen.filter(era=Era.LEGACY).exists()
    assert units_in_scope(actor=actor, max_level=Level.PROVINCE).get() == world.units["hanoi"]


@pytest.mark.parametrize("actor_key", ["official_without_role", "citizen", "anonymous", "revoked_handler",
                                       "deactivated_handler"])
def test_nobody_without_a_grant_in_force_sees_anything(world: World, actor_key: str) -> None:
    actor = world.actors[actor_key]
    assert scope_paths(actor) == []
    assert not units_in_scope(actor=actor).exists()
    assert not active_assignments(actor).exists()
    assert not is_system_admin(actor)


def test_revoking_takes_effect_for_the_same_user_object(world: World) -> None:
    """The per-request scope cache is cleared by the service that changes the grants."""
    actor = world.actors["commune_handler"]
    assert unit_in_scope(actor, world.units["ba_dinh_t2"])
    role_revoke(actor=None, grant=actor.roles.get())
    clear_scope_cache(actor)  # another object loaded the grant; a new request starts afresh
    assert not unit_in_scope(actor, world.units["ba_dinh_t2"])
    assert not units_in_scope(actor=actor).exists()


def test_a_grant_on_the_same_object_updates_its_scope_at_once(world: World) -> None:
    actor = world.actors["official_without_role"]
    assert not unit_in_scope(actor, world.units["ngoc_ha"])
    _grant(actor, Role.HANDLER, world.units["ngoc_ha"])
    assert unit_in_scope(actor, world.units["ngoc_ha"])


def test_scope_roots_are_minimal(world: World) -> None:
    # A provincial grant already covers the commune grant below it.
    assert scope_paths(world.actors["provincial_and_commune"]) == ["VN.01."]
    assert scope_paths(world.actors["two_communes"]) == ["VN.01.00004.", sorted(
        [world.units["hcm_commune"].path])[0]]


@pytest.mark.parametrize(("actor_key", "expected"), [
    ("national_admin", True), ("superuser_without_role", True), ("commune_system_admin", False),
    ("provincial_leader", False), ("anonymous", False), ("citizen", False),
])
def test_only_national_administrators_are_admins(world: World, actor_key: str, expected: bool) -> None:
    """A system administrator on a commune administers that commune, not the country."""
    actor = world.actors[actor_key]
    assert is_system_admin(actor) is expected
    assert is_admin(actor) is expected
    assert actor.has_perm("units.reorganise") is expected


@pytest.mark.parametrize(("actor_key", "unit_key", "expected"), [
    ("provincial_leader", "ba_dinh_t1", True), ("provincial_leader", "hcm_commune", False),
    ("commune_handler", "ba_dinh_t1", False), ("commune_system_admin", "ba_dinh_t1", True),
    ("commune_system_admin", "ngoc_ha", False), ("national_admin", "hcm_commune", True),
    ("village_head", "ba_dinh_t1", False),
])
def test_managing_villages_needs_a_leader_or_admin_grant_above(world: World, actor_key: str, unit_key: str,
                                                               expected: bool) -> None:
    actor = world.actors[actor_key]
    unit = world.units[unit_key]
    assert manages_unit(actor, unit) is expected or is_admin(actor)
    assert actor.has_perm("units.manage_villages", unit) is expected


def test_has_role_reads_only_grants_in_force(world: World) -> None:
    assert has_role(world.actors["commune_intake_and_village_head"], Role.VILLAGE_HEAD)
    assert not has_role(world.actors["commune_intake_and_village_head"], Role.LEADER)
    assert not has_role(world.actors["revoked_handler"], Role.HANDLER)


def test_grant_list_shows_grants_within_scope_only(world: World) -> None:
    leader = world.actors["provincial_leader"]
    usernames = {g.user.username for g in grant_list(actor=leader)}
    assert world.actors["commune_handler"].username in usernames
    assert world.actors["two_communes"].username in usernames  # its Ba Đình grant
    two_communes_grants = grant_list(actor=leader).filter(user=world.actors["two_communes"])
    assert [g.unit for g in two_communes_grants] == [world.units["ba_dinh"]]
    assert not grant_list(actor=world.actors["anonymous"]).exists()
    assert {g.user.username for g in grant_list(actor=world.actors["village_head"])} == {
        world.actors["village_head"].username, world.actors["commune_intake_and_village_head"].username}
