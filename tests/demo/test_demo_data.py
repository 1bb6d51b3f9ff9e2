"""`danvan demo-data`: deterministic, idempotent, realistic, and the demo officials' roles."""

from __future__ import annotations

import hashlib
import re
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction

from danvan.accounts.models import Role, RoleAssignment, User
from danvan.accounts.selectors import scope_paths, units_in_scope
from danvan.audit.models import AuditEntry
from danvan.core.search import searchable
from danvan.demo.generators import DEMO_PASSWORD, HOUSEHOLDS_PER_VILLAGE
from danvan.demo.names import DEMO_PHONE_RE
from danvan.demo.registry import DemoContext, register, unregister
from danvan.demo.services import demo_data_generate
from danvan.units.models import Era, Household, Kind, Level, OrganisationKind, Unit
from danvan.units.selectors import subtree_q

pytestmark = pytest.mark.django_db

# Hà Nội, limited to its first two communes (Ba Đình, Ngọc Hà) plus the officials' xã.
SMALL = {"province": "01", "scale": "small", "seed": 1, "communes_limit": 2}


def run(**overrides: object) -> str:
    out = StringIO()
    call_command("demo_data", stdout=out, **{**SMALL, **overrides})
    return out.getvalue()


def villages() -> list[Unit]:
    return list(Unit.objects.filter(era=Era.CURRENT, level=Level.VILLAGE).order_by("path"))


def digest() -> str:
    """A fingerprint of every generated name: villages, households and officials."""
    h = hashlib.sha256()
    for row in Unit.objects.filter(level=Level.VILLAGE).order_by("path").values_list("path", "name", "kind"):
        h.update(repr(row).encode())
    for row in Household.objects.order_by("village__path", "number").values_list(
            "village__path", "number", "head_name", "representative_name", "representative_phone", "address",
            "members"):
        h.update(repr(row).encode())
    for row in User.objects.filter(is_official=True).order_by("username").values_list("username", "full_name",
                                                                                      "phone"):
        h.update(repr(row).encode())
    return h.hexdigest()


class _Rollback(Exception):
    pass


def digest_of_fresh_run(**overrides: object) -> str:
    """Run demo-data on the pristine test database, fingerprint it, then undo everything."""
    result = ""
    try:
        with transaction.atomic():
            assert not villages()
            run(**overrides)
            result = digest()
            raise _Rollback
    except _Rollback:
        pass
    return result


def test_same_seed_gives_the_same_data_and_another_seed_does_not():
    first = digest_of_fresh_run()
    second = digest_of_fresh_run()
    other = digest_of_fresh_run(seed=2)
    assert first == second
    assert other != first


def ba_dinh_villages_of_fresh_run(**overrides: object) -> list[tuple[str, str]]:
    result: list[tuple[str, str]] = []
    try:
        with transaction.atomic():
            run(**overrides)
            result = [(v.code, v.name) for v in villages() if v.parent.code == "00004"]
            raise _Rollback
    except _Rollback:
        pass
    return result


def test_a_commune_gets_the_same_villages_whatever_else_the_run_covers():
    alone = ba_dinh_villages_of_fresh_run(communes_limit=1)
    assert alone
    assert ba_dinh_villages_of_fresh_run(communes_limit=5) == alone
    assert ba_dinh_villages_of_fresh_run(province="all", communes_limit=1) == alone


def test_second_run_creates_nothing_and_records_one_audit_entry():
    run()
    counts = (Unit.objects.count(), Household.objects.count(), User.objects.count(),
              RoleAssignment.objects.count())
    last_audit = AuditEntry.objects.order_by("-id").values_list("id", flat=True).first()
    output = run()
    assert (Unit.objects.count(), Household.objects.count(), User.objects.count(),
            RoleAssignment.objects.count()) == counts
    new_entries = list(AuditEntry.objects.filter(id__gt=last_audit).values_list("action", "after"))
    assert len(new_entries) == 1
    action, after = new_entries[0]
    assert action == "demo.data_generate"
    assert after["province"] == "01" and after["seed"] == 1
    assert all(n == 0 for counts_ in after["created"].values() for n in counts_.values())
    assert "đã có sẵn, không tạo thêm" in output


def test_villages_are_realistic_and_well_formed(hanoi, ba_dinh):
    run()
    vs = villages()
    per_commune: dict[int, list[Unit]] = {}
    for v in vs:
        per_commune.setdefault(v.parent_id, []).append(v)
    # Ba Đình, Ngọc Hà and the first xã (the officials' second commune).
    assert len(per_commune) == 3
    for commune_id, children in per_commune.items():
        commune = Unit.objects.get(pk=commune_id)
        assert 4 <= len(children) <= 8
        assert [v.code for v in children] == [f"T{i:03d}" for i in range(1, len(children) + 1)]
        assert len({v.search_text for v in children}) == len(children)
        for v in children:
            assert v.path == f"{commune.path}{v.code}."
            assert v.search_text == searchable(v.name)
            assert v.era == Era.CURRENT and v.is_active
            if commune.kind == Kind.WARD:
                assert v.kind == Kind.RESIDENTIAL_GROUP and v.name.startswith("Tổ dân phố ")
            else:
                assert v.kind == Kind.VILLAGE and v.name.startswith("Thôn ")
    assert all(v.path.startswith(hanoi.path) for v in vs)
    assert ba_dinh.pk in per_commune


def test_southern_and_mountain_provinces_use_their_own_village_words():
    run(province="91", communes_limit=4)  # An Giang: ấp and khu phố
    run(province="14", communes_limit=4)  # Sơn La: bản
    an_giang = Unit.objects.filter(subtree_q("VN.91."), level=Level.VILLAGE)
    son_la = Unit.objects.filter(subtree_q("VN.14."), level=Level.VILLAGE)
    assert an_giang.filter(kind=Kind.HAMLET, name__startswith="Ấp ").exists()
    assert an_giang.filter(kind=Kind.QUARTER, name__startswith="Khu phố ").exists()
    assert not an_giang.filter(kind__in=[Kind.VILLAGE, Kind.RESIDENTIAL_GROUP]).exists()
    assert son_la.filter(kind=Kind.HILL_VILLAGE, name__startswith="Bản ").exists()


def test_households_have_representatives_and_demo_phone_numbers():
    run()
    surnames = {"Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ",
                "Hồ", "Ngô", "Dương", "Lý"}
    lo, hi = HOUSEHOLDS_PER_VILLAGE
    common = 0
    total = 0
    for village in villages():
        rows = list(Household.objects.filter(village=village).order_by("number"))
        assert lo <= len(rows) <= hi
        assert [h.number for h in rows] == [f"{i:03d}" for i in range(1, len(rows) + 1)]
        for h in rows:
            total += 1
            common += h.head_name.split(" ")[0] in surnames
            assert len(h.head_name.split(" ")) >= 3 and h.representative_name
            assert h.representative_phone == "" or DEMO_PHONE_RE.match(h.representative_phone)
            assert village.name in h.address and "Thành phố Hà Nội" in h.address
            assert 1 <= h.members <= 8
    # In Hà Nội nearly everyone carries one of the sixteen commonest family names.
    assert common / total > 0.85


def test_officials_have_their_roles_scope_and_the_demo_password(hanoi, ba_dinh):
    output = run()

    def grant(username: str) -> RoleAssignment:
        return RoleAssignment.objects.select_related("unit", "organisation").get(user__username=username,
                                                                                 active=True)

    leader = grant("hanoi.lanhdao")
    assert (leader.role, leader.unit, leader.organisation.kind) == (Role.LEADER, hanoi,
                                                                     OrganisationKind.PEOPLES_COMMITTEE)
    supervisor = grant("hanoi.tgdv")
    assert (supervisor.role, supervisor.unit, supervisor.organisation.kind) == (
        Role.SUPERVISOR, hanoi, OrganisationKind.PROPAGANDA_MOBILIZATION)
    front = grant("hanoi.mttq")
    assert (front.role, front.organisation.kind) == (Role.SUPERVISOR, OrganisationKind.FATHERLAND_FRONT)
    for username, role in (("phuongbadinh.lanhdao", Role.LEADER),
                           ("phuongbadinh.tiepnhan", Role.INTAKE_OFFICER),
                           ("phuongbadinh.xuly", Role.HANDLER)):
        g = grant(username)
        assert (g.role, g.unit) == (role, ba_dinh)
        assert g.organisation.kind == OrganisationKind.PEOPLES_COMMITTEE
    head = grant("phuongbadinh.totruong")
    assert head.role == Role.VILLAGE_HEAD and head.unit.parent == ba_dinh and head.unit.code == "T001"
    assert head.title.startswith("Tổ trưởng tổ dân phố")

    # A second commune of another kind (a xã) has its own set.
    xa_leaders = RoleAssignment.objects.filter(role=Role.LEADER, unit__level=Level.COMMUNE,
                                               unit__kind=Kind.COMMUNE, user__username__endswith=".lanhdao")
    assert xa_leaders.count() == 1

    province_leader = User.objects.get(username="hanoi.lanhdao")
    commune_leader = User.objects.get(username="phuongbadinh.lanhdao")
    assert scope_paths(province_leader) == [hanoi.path]
    assert scope_paths(commune_leader) == [ba_dinh.path]
    ngoc_ha_village = Unit.objects.filter(level=Level.VILLAGE).exclude(parent=ba_dinh).first()
    assert units_in_scope(actor=province_leader).filter(pk=ngoc_ha_village.pk).exists()
    assert not units_in_scope(actor=commune_leader).filter(pk=ngoc_ha_village.pk).exists()
    assert units_in_scope(actor=commune_leader).filter(parent=ba_dinh, level=Level.VILLAGE).count() >= 4

    officials = User.objects.filter(is_official=True)
    assert officials.count() == 3 + 2 * 4
    for user in officials:
        assert user.check_password(DEMO_PASSWORD)
        assert DEMO_PHONE_RE.match(user.phone)
        assert len(user.full_name.split(" ")) >= 2
    # They were made through the services, which write the audit trail.
    assert AuditEntry.objects.filter(action="accounts.official_create").count() == 11
    assert AuditEntry.objects.filter(action="accounts.role_grant").count() == 11

    assert "mật khẩu chung: " + DEMO_PASSWORD in output
    for username in ("hanoi.lanhdao", "hanoi.tgdv", "hanoi.mttq", "phuongbadinh.tiepnhan"):
        assert re.search(rf"^{re.escape(username)}\s", output, re.MULTILINE)


def test_large_scale_tops_up_the_small_run_without_renaming():
    run()
    before = {(v.path, v.name) for v in villages()}
    households_before = Household.objects.count()
    run(scale="large")
    after = {(v.path, v.name) for v in villages()}
    assert before < after
    per_commune: dict[str, int] = {}
    for path, _name in after:
        commune_path = path.rsplit(".", 2)[0] + "."
        per_commune[commune_path] = per_commune.get(commune_path, 0) + 1
    assert all(14 <= n <= 22 for n in per_commune.values())
    # Old villages keep their households; the new ones get theirs.
    assert Household.objects.count() > households_before
    assert not Unit.objects.filter(level=Level.VILLAGE, households__isnull=True).exists()


def test_all_provinces_get_villages_but_no_households():
    run(province="all", communes_limit=1)
    provinces_with_villages = set(
        Unit.objects.filter(level=Level.VILLAGE).values_list("parent__parent__code", flat=True))
    assert len(provinces_with_villages) == 34
    assert Household.objects.count() == 0
    # The officials belong to the configured demo province, Hà Nội.
    assert RoleAssignment.objects.get(user__username="hanoi.lanhdao").unit.code == "01"


def test_unknown_province_or_scale_is_refused():
    with pytest.raises(CommandError, match="Không có tỉnh, thành phố mã 77"):
        run(province="77")
    with pytest.raises(CommandError):
        run(scale="huge")
    assert not villages()


def test_registered_generators_run_after_the_built_ins_with_their_own_stream():
    seen: list[tuple[int, float, list[str]]] = []

    @register("tests.probe", order=500)
    def probe(ctx: DemoContext) -> dict[str, int]:
        seen.append((len(ctx.communes), ctx.rng.random(), sorted(ctx.officials)))
        return {"probes": 1}

    try:
        report = demo_data_generate(province="01", scale="small", seed=7, communes_limit=2)
        report_again = demo_data_generate(province="01", scale="small", seed=7, communes_limit=2)
    finally:
        unregister("tests.probe")
    assert list(report.created)[-1] == "tests.probe"
    assert report.created["tests.probe"] == {"probes": 1}
    (communes, value, keys), (_, value_again, _) = seen
    assert communes == 3
    assert value == value_again
    assert "province.leader" in keys and "commune.00004.intake_officer" in keys
    assert report_again.created["units.villages"] == {"villages": 0}
