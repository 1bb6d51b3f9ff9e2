"""Merge, split and rename: history kept, villages and grants carried along, illegal moves refused."""

from __future__ import annotations

import datetime as dt

import pytest

from danvan.accounts.models import Role, RoleAssignment
from danvan.audit.models import AuditEntry
from danvan.core.errors import DomainError
from danvan.units.models import (
    Era,
    Kind,
    Level,
    Organisation,
    Status,
    SuccessionKind,
    Unit,
    UnitRename,
    UnitSuccession,
)
from danvan.units.selectors import subtree_q, unit_search
from danvan.units.services import SplitPart, unit_merge, unit_rename, unit_split, village_create
from tests.factories import RoleAssignmentFactory, UserFactory, VillageFactory

pytestmark = pytest.mark.django_db

DAY = dt.date(2026, 3, 1)


def commune(code: str) -> Unit:
    return Unit.objects.get(era=Era.CURRENT, level=Level.COMMUNE, code=code)


@pytest.fixture
def ngoc_ha() -> Unit:
    return commune("00008")


@pytest.fixture
def giang_vo() -> Unit:
    return commune("00025")


# --- merge -------------------------------------------------------------------------------------

def test_merge_keeps_history_and_moves_villages(ba_dinh: Unit, ngoc_ha: Unit, giang_vo: Unit) -> None:
    VillageFactory(parent=ba_dinh, code="T001", name="Tổ dân phố 1")
    clash = VillageFactory(parent=ngoc_ha, code="T001", name="Tổ dân phố Ngọc Hà 1")
    other = VillageFactory(parent=giang_vo, code="T007", name="Tổ dân phố Giảng Võ 7")

    target = unit_merge(actor=None, sources=[ngoc_ha, giang_vo], target=ba_dinh, effective_on=DAY,
                        decision="Nghị quyết 1/2026/NQ-UBTVQH")

    assert target == ba_dinh
    for source in (ngoc_ha, giang_vo):
        source.refresh_from_db()
        assert (source.status, source.dissolved_on) == (Status.DISSOLVED, DAY)
        link = UnitSuccession.objects.get(predecessor=source, kind=SuccessionKind.MERGE)
        assert (link.successor, link.effective_on) == (ba_dinh, DAY)
        assert link.decision == "Nghị quyết 1/2026/NQ-UBTVQH"
        # The source keeps its place, code and name: old records still point at it.
        assert source.parent.code == "01" and source.path == f"VN.01.{source.code}."
    clash.refresh_from_db()
    other.refresh_from_db()
    # A code already taken in the target is prefixed with the source's code.
    assert (clash.parent, clash.code, clash.path) == (ba_dinh, "00008-T001", "VN.01.00004.00008-T001.")
    assert (other.parent, other.code, other.path) == (ba_dinh, "T007", "VN.01.00004.T007.")
    assert not Unit.objects.filter(subtree_q(ngoc_ha.path)).exclude(pk=ngoc_ha.pk).exists()
    assert Unit.objects.filter(parent=ba_dinh, status=Status.ACTIVE).count() == 3
    entry = AuditEntry.objects.filter(action="units.merge").latest("id")
    assert entry.before == {"sources": ["00008", "00025"]}
    assert entry.after["moved_children"] == 2


def test_merge_moves_role_assignments_and_deactivates_organisations(ba_dinh: Unit, ngoc_ha: Unit) -> None:
    handler = RoleAssignmentFactory(unit=ngoc_ha, role=Role.HANDLER)
    leader_here = RoleAssignmentFactory(unit=ba_dinh, role=Role.LEADER)
    # The same person already leads the target: their grant on the source ends instead.
    leader_there = RoleAssignmentFactory(unit=ngoc_ha, role=Role.LEADER, user=leader_here.user)
    ended = RoleAssignmentFactory(unit=ngoc_ha, role=Role.VIEWER, active=False)
    assert Organisation.objects.filter(unit=ngoc_ha, active=True).count() == 10

    unit_merge(actor=None, sources=[ngoc_ha], target=ba_dinh, effective_on=DAY)

    handler.refresh_from_db()
    leader_there.refresh_from_db()
    ended.refresh_from_db()
    assert (handler.unit, handler.active) == (ba_dinh, True)
    assert (leader_there.unit, leader_there.active) == (ngoc_ha, False)
    assert RoleAssignment.objects.filter(user=leader_here.user, unit=ba_dinh, active=True).count() == 1
    assert (ended.unit, ended.active) == (ngoc_ha, False)
    assert not Organisation.objects.filter(unit=ngoc_ha, active=True).exists()
    assert Organisation.objects.filter(unit=ngoc_ha).count() == 10
    assert Organisation.objects.filter(unit=ba_dinh, active=True).count() == 10


def test_merge_refusals(ba_dinh: Unit, ngoc_ha: Unit, giang_vo: Unit, hanoi: Unit) -> None:
    unit_merge(actor=None, sources=[ngoc_ha], target=ba_dinh, effective_on=DAY)
    ngoc_ha.refresh_from_db()
    with pytest.raises(DomainError, match="Phường Ngọc Hà không còn hoạt động"):
        unit_merge(actor=None, sources=[ngoc_ha], target=giang_vo, effective_on=DAY)
    with pytest.raises(DomainError, match="Phường Ngọc Hà không còn hoạt động"):
        unit_merge(actor=None, sources=[giang_vo], target=ngoc_ha, effective_on=DAY)
    with pytest.raises(DomainError, match="Chỉ sáp nhập các đơn vị cùng cấp"):
        unit_merge(actor=None, sources=[giang_vo], target=hanoi, effective_on=DAY)
    with pytest.raises(DomainError, match="Cần chọn ít nhất một đơn vị"):
        unit_merge(actor=None, sources=[ba_dinh], target=ba_dinh, effective_on=DAY)
    legacy = Unit.objects.get(era=Era.LEGACY, level=Level.COMMUNE, code="00013")
    with pytest.raises(DomainError, match="không còn hoạt động"):
        unit_merge(actor=None, sources=[legacy], target=ba_dinh, effective_on=DAY)
    giang_vo.refresh_from_db()
    assert giang_vo.status == Status.ACTIVE


# --- split ---------------------------------------------------------------------------------------

def test_split_creates_parts_moves_villages_and_ends_grants(hanoi: Unit, ba_dinh: Unit) -> None:
    v1 = VillageFactory(parent=ba_dinh, code="T001", name="Tổ dân phố 1")
    v2 = VillageFactory(parent=ba_dinh, code="T002", name="Tổ dân phố 2")
    v3 = VillageFactory(parent=ba_dinh, code="T003", name="Tổ dân phố 3")
    grant = RoleAssignmentFactory(unit=ba_dinh, role=Role.HANDLER)

    east, west = unit_split(actor=None, source=ba_dinh, effective_on=DAY, decision="NQ 2/2026", parts=[
        SplitPart(code="99901", name="Phường Ba Đình Đông", kind=Kind.WARD, children=("T001", "T002")),
        SplitPart(code="99902", name="Phường Ba Đình Tây", kind=Kind.WARD, children=("T003",)),
    ])

    assert (east.parent, east.path) == (hanoi, "VN.01.99901.")
    assert (east.status, east.valid_from) == (Status.ACTIVE, DAY)
    assert east.search_text == " phuong ba dinh dong"
    for v, part in ((v1, east), (v2, east), (v3, west)):
        v.refresh_from_db()
        assert v.parent == part and v.path == f"{part.path}{v.code}."
    ba_dinh.refresh_from_db()
    assert (ba_dinh.status, ba_dinh.dissolved_on) == (Status.DISSOLVED, DAY)
    links = UnitSuccession.objects.filter(predecessor=ba_dinh, kind=SuccessionKind.SPLIT)
    assert set(links.values_list("successor__code", "partial", "decision")) == {
        ("99901", True, "NQ 2/2026"), ("99902", True, "NQ 2/2026")}
    grant.refresh_from_db()
    assert (grant.unit, grant.active) == (ba_dinh, False)
    assert not Organisation.objects.filter(unit=ba_dinh, active=True).exists()
    assert Organisation.objects.get(unit=east, kind="ubnd").name == "Ủy ban nhân dân Phường Ba Đình Đông"
    assert Organisation.objects.filter(unit=west, active=True).count() == 10
    # The 2025 mapping of Ba Đình stays; the new wards are found by search.
    assert ba_dinh.successions_in.filter(kind=SuccessionKind.REORGANISATION_2025).exists()
    assert unit_search(query="ba dinh tay").first() == west


def test_split_refusals(ba_dinh: Unit, ngoc_ha: Unit) -> None:
    VillageFactory(parent=ba_dinh, code="T001")
    VillageFactory(parent=ba_dinh, code="T002")

    def parts(*specs: tuple[str, tuple[str, ...]]) -> list[SplitPart]:
        return [SplitPart(code=c, name=f"Phường Mới {c}", kind=Kind.WARD, children=ch) for c, ch in specs]

    with pytest.raises(DomainError, match=r"chưa phân: T002; không có: –"):
        unit_split(actor=None, source=ba_dinh, effective_on=DAY,
                   parts=parts(("99901", ("T001",)), ("99902", ())))
    with pytest.raises(DomainError, match=r"không có: T009"):
        unit_split(actor=None, source=ba_dinh, effective_on=DAY,
                   parts=parts(("99901", ("T001", "T009")), ("99902", ("T002",))))
    with pytest.raises(DomainError, match="Mỗi thôn, tổ dân phố phải thuộc đúng một đơn vị mới"):
        unit_split(actor=None, source=ba_dinh, effective_on=DAY,
                   parts=parts(("99901", ("T001", "T002")), ("99902", ("T002",))))
    with pytest.raises(DomainError, match="Chia tách cần ít nhất hai đơn vị mới"):
        unit_split(actor=None, source=ba_dinh, effective_on=DAY, parts=parts(("99901", ("T001", "T002"))))
    # Codes are never reused: not an active ward's, not a dissolved ward's, not the source's own.
    for taken in ("00008", "00004"):
        with pytest.raises(DomainError, match=f"Mã {taken} đã tồn tại"):
            unit_split(actor=None, source=ba_dinh, effective_on=DAY,
                       parts=parts((taken, ("T001",)), ("99902", ("T002",))))
    with pytest.raises(DomainError, match="Mã 9990 không hợp lệ"):
        unit_split(actor=None, source=ba_dinh, effective_on=DAY,
                   parts=parts(("9990", ("T001",)), ("99902", ("T002",))))
    with pytest.raises(DomainError, match="Loại «thon» không dùng được"):
        unit_split(actor=None, source=ba_dinh, effective_on=DAY, parts=[
            SplitPart(code="99901", name="Thôn A", kind=Kind.VILLAGE, children=("T001",)),
            SplitPart(code="99902", name="Thôn B", kind=Kind.VILLAGE, children=("T002",))])
    # Nothing of the refused attempts was written.
    assert not Unit.objects.filter(code__in=["99901", "99902", "9990"]).exists()
    ba_dinh.refresh_from_db()
    assert ba_dinh.status == Status.ACTIVE

    unit_merge(actor=None, sources=[ngoc_ha], target=ba_dinh, effective_on=DAY)
    ngoc_ha.refresh_from_db()
    with pytest.raises(DomainError, match="Mã 00008 đã tồn tại"):
        unit_split(actor=None, source=ba_dinh, effective_on=DAY,
                   parts=parts(("00008", ("T001",)), ("99902", ("T002",))))
    with pytest.raises(DomainError, match="không còn hoạt động"):
        unit_split(actor=None, source=ngoc_ha, effective_on=DAY, parts=parts(("99901", ()), ("99902", ())))


# --- rename --------------------------------------------------------------------------------------

def test_rename_keeps_the_old_name_and_renames_organisations(ba_dinh: Unit) -> None:
    unit_rename(actor=UserFactory(), unit=ba_dinh, new_name="  Phường  Ba Đình Thủ Đô ", effective_on=DAY,
                decision="QĐ 5/QĐ-UBND")
    ba_dinh.refresh_from_db()
    assert (ba_dinh.name, ba_dinh.code, ba_dinh.path) == ("Phường Ba Đình Thủ Đô", "00004", "VN.01.00004.")
    rename = UnitRename.objects.get(unit=ba_dinh)
    assert (rename.old_name, rename.new_name, rename.effective_on, rename.decision) == (
        "Phường Ba Đình", "Phường Ba Đình Thủ Đô", DAY, "QĐ 5/QĐ-UBND")
    assert Organisation.objects.get(unit=ba_dinh, kind="mttq").name == (
        "Ủy ban Mặt trận Tổ quốc Việt Nam Phường Ba Đình Thủ Đô")
    assert unit_search(query="ba dinh thu do").first() == ba_dinh
    entry = AuditEntry.objects.filter(action="units.rename").latest("id")
    assert (entry.before, entry.after["name"]) == ({"name": "Phường Ba Đình"}, "Phường Ba Đình Thủ Đô")
    assert entry.actor_id is not None


def test_rename_refusals(ba_dinh: Unit, ngoc_ha: Unit) -> None:
    with pytest.raises(DomainError, match="Tên mới không được để trống"):
        unit_rename(actor=None, unit=ba_dinh, new_name="   ", effective_on=DAY)
    with pytest.raises(DomainError, match="Tên mới trùng với tên hiện tại"):
        unit_rename(actor=None, unit=ba_dinh, new_name="Phường  Ba Đình", effective_on=DAY)
    hoa = village_create(actor=None, commune=ba_dinh, name="Thôn Hòa Bình")
    with pytest.raises(DomainError, match="Tên mới trùng với tên hiện tại"):
        unit_rename(actor=None, unit=hoa, new_name="Thôn Hoà Bình", effective_on=DAY)
    other = village_create(actor=None, commune=ba_dinh, name="Thôn Đông")
    with pytest.raises(DomainError, match="Đã có Thôn Hòa Bình trong cùng đơn vị cấp xã"):
        unit_rename(actor=None, unit=other, new_name="thôn hoà bình", effective_on=DAY)
    unit_merge(actor=None, sources=[ngoc_ha], target=ba_dinh, effective_on=DAY)
    ngoc_ha.refresh_from_db()
    with pytest.raises(DomainError, match="không còn hoạt động"):
        unit_rename(actor=None, unit=ngoc_ha, new_name="Phường Khác", effective_on=DAY)
    assert not UnitRename.objects.filter(unit__in=[ba_dinh, hoa, other, ngoc_ha]).exists()


# --- villages created one by one -------------------------------------------------------------------

def test_village_create(ba_dinh: Unit) -> None:
    village = village_create(actor=None, commune=ba_dinh, name="TỔ DÂN PHỐ SỐ 3")
    assert (village.name, village.kind, village.code, village.path) == (
        "Tổ dân phố Số 3", Kind.RESIDENTIAL_GROUP, "T001", "VN.01.00004.T001.")
    assert village_create(actor=None, commune=ba_dinh, name="4", kind=Kind.QUARTER).name == "Khu phố 4"
    with pytest.raises(DomainError, match="Phường Ba Đình đã có Tổ dân phố Số 3"):
        village_create(actor=None, commune=ba_dinh, name="Tổ dân phố số 3")
    with pytest.raises(DomainError, match="Mã T001 đã được dùng"):
        village_create(actor=None, commune=ba_dinh, name="Thôn Mới", code="t001")
    with pytest.raises(DomainError, match="chỉ có số"):
        village_create(actor=None, commune=ba_dinh, name="5")
    hanoi = ba_dinh.parent
    with pytest.raises(DomainError, match="chỉ được tạo trong một đơn vị cấp xã đang hoạt động"):
        village_create(actor=None, commune=hanoi, name="Thôn 1")
