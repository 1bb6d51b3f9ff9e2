"""Reads: scope, accent-insensitive search, the public list, family trees, statistics, services' checks."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from danvan.core.errors import DomainError, NotFoundOrForbidden
from danvan.practices.models import Practice, Replication, State
from danvan.practices.selectors import (
    PracticeFilters,
    chart_data,
    indicator_series,
    practice_family,
    practice_get,
    practice_list,
    practice_public_get,
    practice_public_list,
    practice_stats,
)
from danvan.practices.services import (
    PracticeInput,
    indicator_add,
    indicator_value_record,
    practice_register,
    practice_update,
    replication_record,
)
from danvan.practices.workflow import IllegalTransition
from danvan.units.models import Level, OrganisationKind, Unit
from tests.factories import VillageFactory

from .conftest import certified, field, make_practice

pytestmark = pytest.mark.django_db


def test_scope_of_lists_and_details(people, ba_dinh, ngoc_ha) -> None:
    mine = make_practice(people.supervisor, ba_dinh)
    theirs = make_practice(people.neighbour_supervisor, ngoc_ha, name="Ngày thứ bảy cùng dân")
    assert list(practice_list(actor=people.supervisor)) == [mine]
    assert set(practice_list(actor=people.province_supervisor)) == {mine, theirs}
    assert list(practice_list(actor=people.hcm_supervisor)) == []
    assert list(practice_list(actor=people.handler)) == []
    assert list(practice_list(actor=people.citizen)) == []
    assert practice_get(actor=people.viewer, pk=mine.pk) == mine
    with pytest.raises(NotFoundOrForbidden):
        practice_get(actor=people.supervisor, pk=theirs.pk)


def test_register_only_in_scope(people, ngoc_ha, hanoi) -> None:
    with pytest.raises(NotFoundOrForbidden):
        make_practice(people.supervisor, ngoc_ha)
    with pytest.raises(NotFoundOrForbidden):
        make_practice(people.viewer, ngoc_ha)
    # A province's staff register in any commune of the province, or at province level.
    assert make_practice(people.province_supervisor, ngoc_ha).province == hanoi
    assert make_practice(people.province_supervisor, hanoi).unit == hanoi


def test_register_checks_input(people, ba_dinh, ngoc_ha) -> None:
    village = VillageFactory(parent=ba_dinh, name="Tổ dân phố số 7")
    stranger = VillageFactory(parent=ngoc_ha, name="Tổ dân phố số 9")
    for kwargs, message in [
        ({"name": "  "}, "tên mô hình"),
        ({"village": stranger}, "Thôn, tổ dân phố"),
        ({"year": 2001}, "Năm đăng ký"),
        ({"latitude": 48.85, "longitude": 2.35}, "lãnh thổ"),
        ({"latitude": 21.0}, "cả vĩ độ và kinh độ"),
        ({"started_on": dt.date(2024, 5, 1), "ended_on": dt.date(2024, 1, 1)}, "Ngày kết thúc"),
    ]:
        with pytest.raises(DomainError, match=message):
            make_practice(people.supervisor, ba_dinh, **kwargs)
    practice = make_practice(people.supervisor, ba_dinh, village=village, name="Thắp sáng  đường quê",
                             holder_name="Chi hội Phụ nữ tổ dân phố số 7",
                             organisations=list(ba_dinh.organisations.filter(kind=OrganisationKind.WOMENS_UNION)))
    assert practice.name == "Thắp sáng đường quê"
    assert practice.organisations.count() == 1
    assert " to dan pho so 7" in practice.search_text


def test_update_locks_recognised_facts(people, ba_dinh) -> None:
    practice = certified(people, ba_dinh)
    data = PracticeInput(name="Tên khác", field=practice.field, unit=ba_dinh, year=practice.year,
                         description=practice.description)
    with pytest.raises(IllegalTransition):
        practice_update(actor=people.supervisor, practice=practice, data=data)
    data.name = practice.name
    data.participants = 250
    assert practice_update(actor=people.supervisor, practice=practice, data=data).participants == 250
    with pytest.raises(NotFoundOrForbidden):
        practice_update(actor=people.neighbour_supervisor, practice=practice, data=data)


@pytest.mark.parametrize("query", ["dan van kheo", "Dân vận khéo", "DAN VAN", "giai phong mat", "khéo dân"])
def test_accent_insensitive_search(people, ba_dinh, query) -> None:
    wanted = certified(people, ba_dinh)
    certified(people, ba_dinh, name="Camera an ninh khu dân cư", field_code="quoc-phong-an-ninh")
    found = list(practice_public_list(filters=PracticeFilters(q=query)))
    assert found == [wanted]
    assert list(practice_list(actor=people.supervisor, filters=PracticeFilters(q=query))) == [wanted]


def test_search_by_place_and_holder(people, ba_dinh) -> None:
    wanted = certified(people, ba_dinh, holder_name="Hội Cựu chiến binh phường Ba Đình")
    assert list(practice_public_list(filters=PracticeFilters(q="cuu chien binh"))) == [wanted]
    assert list(practice_public_list(filters=PracticeFilters(q="ba dinh"))) == [wanted]
    assert list(practice_public_list(filters=PracticeFilters(q="%"))) == []


def test_public_list_shows_recognised_models_only(people, ba_dinh, ngoc_ha, hanoi) -> None:
    shown = certified(people, ba_dinh)
    make_practice(people.supervisor, ba_dinh, name="Tủ sách cộng đồng")
    other = certified(people, ngoc_ha, registrar=people.neighbour_supervisor, leader=people.neighbour_leader,
                      panel=people.neighbour_supervisor, name="Bữa cơm nghĩa tình", field_code="van-hoa-xa-hoi",
                      year=2023)
    assert set(practice_public_list()) == {shown, other}
    assert list(practice_public_list(filters=PracticeFilters(field="van-hoa-xa-hoi"))) == [other]
    assert list(practice_public_list(filters=PracticeFilters(year=2023))) == [other]
    assert list(practice_public_list(filters=PracticeFilters(unit=ba_dinh))) == [shown]
    assert set(practice_public_list(filters=PracticeFilters(unit=hanoi, level="xa"))) == {shown, other}
    assert list(practice_public_list(filters=PracticeFilters(level="tinh"))) == []
    registered = Practice.objects.get(name="Tủ sách cộng đồng")
    with pytest.raises(NotFoundOrForbidden):
        practice_public_get(pk=registered.pk)


def test_replication_tree_across_units(people, ba_dinh, ngoc_ha, hcm) -> None:
    source = certified(people, ba_dinh)
    replica = certified(people, ngoc_ha, registrar=people.neighbour_supervisor, leader=people.neighbour_leader,
                        panel=people.neighbour_supervisor, name="Dân vận khéo trong giải phóng mặt bằng Ngọc Hà")
    replication_record(actor=people.neighbour_supervisor, source=source, replica=replica, note="Học tập cách làm.")
    hcm_commune = Unit.objects.filter(parent=hcm, level=Level.COMMUNE).order_by("code").first()
    assert hcm_commune is not None
    # A commune of another province registers its own replica of Ngọc Hà's replica.
    data = PracticeInput(name="Dân vận khéo trong giải phóng mặt bằng", field=field(), unit=hcm_commune,
                         year=2025, description="Học tập Hà Nội.")
    far = practice_register(actor=people.hcm_supervisor, data=data, replicates=replica)
    assert Replication.objects.get(replica=far).source == replica
    family = practice_family(practice=far)
    assert family.root.practice == source
    assert [c.practice for c in family.root.children] == [replica]
    assert [c.practice for c in family.root.children[0].children] == [far]
    assert not family.root.children[0].children[0].shown  # not recognised yet: hidden from the public
    assert set(family.members) == {source, replica}
    # An official of Hồ Chí Minh City sees their own model in the tree.
    assert far in practice_family(practice=far, actor=people.hcm_supervisor).members
    with pytest.raises(IllegalTransition):
        replication_record(actor=people.supervisor, source=replica, replica=source)  # a cycle
    with pytest.raises(IllegalTransition):
        replication_record(actor=people.hcm_supervisor, source=source, replica=far)  # one source per replica
    with pytest.raises(NotFoundOrForbidden):
        replication_record(actor=people.supervisor, source=far, replica=source)  # neither public nor mine
    draft = make_practice(people.supervisor, ba_dinh, name="Tủ sách cộng đồng")
    with pytest.raises(NotFoundOrForbidden):
        replication_record(actor=people.neighbour_supervisor, source=draft, replica=replica)  # not public
    with pytest.raises(IllegalTransition, match="đã được công nhận"):
        replication_record(actor=people.supervisor, source=draft, replica=source)
    with pytest.raises(NotFoundOrForbidden):
        replication_record(actor=people.supervisor, source=source, replica=replica)  # replica not mine


def test_indicators_over_time(people, ba_dinh) -> None:
    practice = certified(people, ba_dinh)
    money = indicator_add(actor=people.supervisor, practice=practice, name="Số tiền vận động", measure="đồng")
    roads = indicator_add(actor=people.supervisor, practice=practice, name="Đường bê tông", measure="km")
    indicator_value_record(actor=people.supervisor, indicator=money, on=dt.date(2024, 12, 31), value="150000000")
    indicator_value_record(actor=people.supervisor, indicator=money, on=dt.date(2025, 12, 31), value=Decimal("2.5e8"))
    indicator_value_record(actor=people.supervisor, indicator=roads, on=dt.date(2025, 12, 31), value="3.5")
    # The same date again corrects the value.
    indicator_value_record(actor=people.supervisor, indicator=roads, on=dt.date(2025, 12, 31), value="4.25")
    with pytest.raises(DomainError, match="số"):
        indicator_value_record(actor=people.supervisor, indicator=roads, on=dt.date(2025, 6, 1), value="nhiều")
    with pytest.raises(DomainError, match="Mô hình đã có chỉ tiêu"):
        indicator_add(actor=people.supervisor, practice=practice, name="Số tiền vận động", measure="đồng")
    with pytest.raises(NotFoundOrForbidden):
        indicator_add(actor=people.neighbour_supervisor, practice=practice, name="Khác", measure="hộ")
    series = indicator_series(practice=practice)
    assert [(s.indicator.name, [str(v) for _d, v in s.points]) for s in series] == [
        ("Số tiền vận động", ["150000000", "250000000"]), ("Đường bê tông", ["4.25"])]
    chart = chart_data(series)
    assert chart["labels"] == ["31/12/2024", "31/12/2025"]
    assert chart["datasets"][1]["data"] == [None, 4.25]


def test_statistics(people, ba_dinh, ngoc_ha, hanoi) -> None:
    certified(people, ba_dinh)
    certified(people, ba_dinh, name="Camera an ninh", field_code="quoc-phong-an-ninh", year=2023)
    make_practice(people.supervisor, ba_dinh, name="Tủ sách", field_code="van-hoa-xa-hoi")
    certified(people, ngoc_ha, registrar=people.neighbour_supervisor, leader=people.neighbour_leader,
              panel=people.neighbour_supervisor, name="Bữa cơm nghĩa tình")
    stats = practice_stats(actor=people.province_supervisor, unit=hanoi)
    assert (stats.total, stats.certified, stats.province_level) == (4, 3, 0)
    assert {r["year"]: (r["total"], r["certified"]) for r in stats.by_year} == {2023: (1, 1), 2024: (3, 2)}
    by_field = {r["label"]: r["total"] for r in stats.by_field}
    assert by_field == {"Xây dựng hệ thống chính trị": 2, "Quốc phòng – an ninh": 1, "Văn hóa – xã hội": 1}
    rows = {r["code"]: (r["total"], r["certified"]) for r in stats.by_unit}
    assert rows["00004"] == (3, 2) and rows["00008"] == (1, 1)
    # Every commune of the province is in the comparison, those without models too.
    assert len(stats.by_unit) == Unit.objects.filter(parent=hanoi, level=Level.COMMUNE, status="active").count()
    assert stats.by_unit[0]["code"] == "00004"
    # The commune's staff count their own models only.
    assert practice_stats(actor=people.supervisor).total == 3
    assert practice_stats(actor=people.hcm_supervisor).total == 0
    assert practice_stats(actor=people.province_supervisor, unit=hanoi, year=2023).total == 1
    assert {r["status"]: r["n"] for r in stats.by_status} == {State.CERTIFIED: 3, State.REGISTERED: 1}
