"""Reads of the tree: subtree queries and accent-insensitive, ranked search."""

from __future__ import annotations

import unicodedata

import pytest
from vietnam_provinces import Ward

from danvan.core.search import searchable
from danvan.units.models import Era, Level, Status, Unit
from danvan.units.selectors import subtree_q, subtrees_q, unit_children, unit_get, unit_search
from tests.factories import VillageFactory

pytestmark = pytest.mark.django_db


def in_subtree(path: str) -> set[int]:
    return set(Unit.objects.filter(subtree_q(path)).values_list("pk", flat=True))


def test_subtree_of_a_province_is_exactly_its_communes_and_villages(hanoi: Unit, ba_dinh: Unit) -> None:
    bac_ninh = Unit.objects.get(era=Era.CURRENT, level=Level.PROVINCE, code="24")
    bac_ninh_commune = Unit.objects.filter(parent=bac_ninh).order_by("code").first()
    ours = [VillageFactory(parent=ba_dinh), VillageFactory(parent=ba_dinh)]
    theirs = VillageFactory(parent=bac_ninh_commune)

    hanoi_codes = {f"{int(w.code):05d}" for w in Ward.iter_all() if int(w.province_code) == 1}
    expected = {hanoi.pk, *(u.pk for u in ours)}
    expected |= set(Unit.objects.filter(era=Era.CURRENT, level=Level.COMMUNE, code__in=hanoi_codes)
                    .values_list("pk", flat=True))
    assert len(expected) == 1 + len(hanoi_codes) + 2

    got = in_subtree(hanoi.path)
    assert got == expected
    assert theirs.pk not in got and bac_ninh_commune.pk not in got
    assert theirs.pk in in_subtree(bac_ninh.path)


def test_subtree_boundaries_are_whole_codes(ba_dinh: Unit) -> None:
    t1 = VillageFactory(parent=ba_dinh, code="T1")
    t10 = VillageFactory(parent=ba_dinh, code="T10")
    assert in_subtree(t1.path) == {t1.pk}
    assert in_subtree(t10.path) == {t10.pk}
    assert in_subtree(ba_dinh.path) == {ba_dinh.pk, t1.pk, t10.pk}


def test_legacy_tree_is_outside_the_current_root() -> None:
    current_root = Unit.objects.get(era=Era.CURRENT, level=Level.NATION)
    legacy_root = Unit.objects.get(era=Era.LEGACY, level=Level.NATION)
    assert legacy_root.path == "VNL."
    under_current = Unit.objects.filter(subtree_q(current_root.path))
    under_legacy = Unit.objects.filter(subtree_q(legacy_root.path))
    assert not under_current.filter(era=Era.LEGACY).exists()
    assert not under_legacy.filter(era=Era.CURRENT).exists()
    assert under_current.count() == 1 + 34 + 3321
    assert under_legacy.count() == 1 + 63 + 696 + 10051


def test_subtrees_union_and_empty(hanoi: Unit, ba_dinh: Unit) -> None:
    hue = Unit.objects.get(era=Era.CURRENT, level=Level.PROVINCE, code="46")
    both = set(Unit.objects.filter(subtrees_q([hanoi.path, hue.path])).values_list("pk", flat=True))
    assert both == in_subtree(hanoi.path) | in_subtree(hue.path)
    assert not Unit.objects.filter(subtrees_q([])).exists()


def test_unit_get_and_children(hanoi: Unit, ba_dinh: Unit) -> None:
    assert unit_get(code="00004", level=Level.COMMUNE) == ba_dinh
    assert unit_get(code="00013", era=Era.LEGACY).name == "Phường Quán Thánh"
    old = VillageFactory(parent=ba_dinh, name="Thôn Cũ", status=Status.DISSOLVED)
    new = VillageFactory(parent=ba_dinh, name="Thôn Mới")
    assert list(unit_children(unit=ba_dinh)) == [new]
    assert set(unit_children(unit=ba_dinh, include_dissolved=True)) == {old, new}
    assert unit_children(unit=hanoi).count() == 126


@pytest.mark.parametrize("query", ["phuong ba dinh", "Phường Ba Đình", "PHUONG BA ĐINH", "phường  ba  đình"])
def test_search_ranks_the_exact_ward_first(query: str, ba_dinh: Unit) -> None:
    results = list(unit_search(query=query, max_level=Level.COMMUNE)[:5])
    assert results[0] == ba_dinh


def test_search_excludes_legacy_and_dissolved_by_default(ba_dinh: Unit) -> None:
    # "Trúc Bạch" is only a legacy ward name; its legacy code 00004 is Ba Đình's code today.
    assert not unit_search(query="truc bach").exists()
    old = unit_search(query="truc bach", era=Era.LEGACY, include_dissolved=True).first()
    assert (old.code, old.era, old.status) == ("00004", Era.LEGACY, Status.DISSOLVED)
    assert not unit_search(query="truc bach", era=Era.LEGACY).exists()


@pytest.mark.parametrize("query", ["thanh hoa", "Thanh Hoá", "thanh hóa", "Thanh Hóa",
                                   unicodedata.normalize("NFD", "Thanh Hoá")])
def test_search_finds_thanh_hoa_in_either_tone_placement(query: str) -> None:
    province = Unit.objects.get(era=Era.CURRENT, level=Level.PROVINCE, code="38")
    assert province.name == "Tỉnh Thanh Hóa"
    assert unit_search(query=query, max_level=Level.PROVINCE).first() == province
    # Stored with the new tone placement, as some official lists write it.
    new_placement = "Tỉnh Thanh Hoá"
    Unit.objects.filter(pk=province.pk).update(name=new_placement, search_text=searchable(new_placement))
    found = unit_search(query=query, max_level=Level.PROVINCE).first()
    assert found is not None and found.pk == province.pk and found.name == "Tỉnh Thanh Hoá"
    assert province.pk in set(unit_search(query=query).values_list("pk", flat=True)[:10])


def test_search_within_a_parent_and_by_level(hanoi: Unit, ba_dinh: Unit) -> None:
    village = VillageFactory(parent=ba_dinh, name="Tổ dân phố Ba Đình 1")
    in_hanoi = list(unit_search(query="ba dinh", parent=hanoi))
    assert in_hanoi[0] == ba_dinh
    assert village in in_hanoi
    assert village not in unit_search(query="ba dinh", max_level=Level.COMMUNE)
    hue = Unit.objects.get(era=Era.CURRENT, level=Level.PROVINCE, code="46")
    assert not unit_search(query="ba dinh", parent=hue).exists()
    assert not unit_search(query="   ").exists()
