"""The official unit list: counts, old→new mapping, `units stats` / `units export`, re-runs."""

from __future__ import annotations

import csv
import datetime as dt
import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from vietnam_provinces import Province, Ward
from vietnam_provinces.legacy import Province as LegacyProvince
from vietnam_provinces.legacy import Ward as LegacyWard

from danvan.core.text import normalize
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
from danvan.units.services import (
    REORGANISATION_2025,
    unit_merge,
    unit_rename,
    units_import_official,
)
from tests.factories import VillageFactory

pytestmark = pytest.mark.django_db


def counts(era: str, level: int) -> dict[str, int]:
    out: dict[str, int] = {}
    for kind in Unit.objects.filter(era=era, level=level).values_list("kind", flat=True):
        out[kind] = out.get(kind, 0) + 1
    return out


def command(*args: str) -> str:
    out = StringIO()
    call_command("units", *args, stdout=out)
    return out.getvalue()


def test_current_structure_counts() -> None:
    assert counts(Era.CURRENT, Level.PROVINCE) == {Kind.PROVINCE: 25, Kind.CITY: 9}
    assert counts(Era.CURRENT, Level.COMMUNE) == {Kind.COMMUNE: 2621, Kind.WARD: 687, Kind.SPECIAL_ZONE: 13}
    assert not Unit.objects.filter(era=Era.CURRENT, level=Level.DISTRICT).exists()
    current = Unit.objects.filter(era=Era.CURRENT, level__gt=Level.NATION)
    assert not current.exclude(status=Status.ACTIVE).exists()
    root = Unit.objects.get(era=Era.CURRENT, level=Level.NATION)
    assert (root.path, root.name) == ("VN.", "Việt Nam")


def test_legacy_structure_counts_and_status() -> None:
    assert sum(counts(Era.LEGACY, Level.PROVINCE).values()) == 63
    assert sum(counts(Era.LEGACY, Level.DISTRICT).values()) == 696
    assert sum(counts(Era.LEGACY, Level.COMMUNE).values()) == 10051
    legacy = Unit.objects.filter(era=Era.LEGACY, level__gt=Level.NATION)
    assert not legacy.exclude(status=Status.DISSOLVED).exists()
    assert not legacy.exclude(dissolved_on=REORGANISATION_2025).exists()
    assert Unit.objects.get(era=Era.LEGACY, level=Level.NATION).path == "VNL."


def test_paths_follow_codes(ba_dinh: Unit) -> None:
    assert ba_dinh.path == "VN.01.00004."
    assert ba_dinh.parent.code == "01"
    old = Unit.objects.get(era=Era.LEGACY, level=Level.COMMUNE, code="00013")
    assert (old.name, old.path) == ("Phường Quán Thánh", "VNL.01.001.00013.")
    assert old.parent.name == "Quận Ba Đình"


def test_old_to_new_mapping(ba_dinh: Unit) -> None:
    def successors(code: str, level: int = Level.COMMUNE) -> set[tuple[str, bool]]:
        return set(UnitSuccession.objects.filter(predecessor__era=Era.LEGACY, predecessor__level=level,
                                                 predecessor__code=code)
                   .values_list("successor__code", "partial"))

    # Phường Quán Thánh went wholly into Phường Ba Đình; Ngọc Hà was divided between two wards.
    assert successors("00013") == {("00004", False)}
    assert successors("00016") == {("00004", True), ("00008", True)}
    link = UnitSuccession.objects.get(predecessor__era=Era.LEGACY, predecessor__code="00013")
    assert link.successor == ba_dinh
    assert link.kind == SuccessionKind.REORGANISATION_2025
    assert link.effective_on == dt.date(2025, 7, 1)
    assert "202/2025/QH15" in link.decision
    # Hà Giang joined Tuyên Quang.
    assert successors("02", Level.PROVINCE) == {("08", False)}
    predecessors = set(ba_dinh.successions_in.values_list("predecessor__name", flat=True))
    assert {"Phường Quán Thánh", "Phường Trúc Bạch", "Phường Ngọc Hà"} <= predecessors
    # Every legacy province says where it went.
    provinces = Unit.objects.filter(era=Era.LEGACY, level=Level.PROVINCE)
    assert not provinces.filter(successions_out__isnull=True).exists()


def test_every_commune_pair_of_the_package_is_loaded() -> None:
    from vietnam_provinces import _ward_conversion_2025 as wards_2025

    legacy_codes = {f"{int(w.code):05d}" for w in LegacyWard.iter_all()}
    # The table also names 11 old codes that the package's own legacy list lacks; those
    # pairs have no unit to start from.
    pairs = {(f"{old:05d}", f"{new.code:05d}")
             for old, entry in wards_2025.OLD_TO_NEW.items() for new in entry.new_wards
             if f"{old:05d}" in legacy_codes}
    loaded = set(UnitSuccession.objects.filter(kind=SuccessionKind.REORGANISATION_2025,
                                               predecessor__level=Level.COMMUNE)
                 .values_list("predecessor__code", "successor__code"))
    assert loaded == pairs
    # The package's table leaves out 28 legacy communes (e.g. Xã Mỹ Hưng, 01651): they stay
    # readable, with no successor, rather than being guessed.
    orphans = set(Unit.objects.filter(era=Era.LEGACY, level=Level.COMMUNE, successions_out__isnull=True)
                  .values_list("code", flat=True))
    assert orphans == legacy_codes - {old for old, _new in pairs}
    assert "01651" in orphans


def test_standard_organisations(ba_dinh: Unit, hanoi: Unit) -> None:
    names = set(Organisation.objects.filter(unit=ba_dinh, active=True).values_list("name", flat=True))
    assert "Ủy ban nhân dân Phường Ba Đình" in names
    assert "Ban Thanh tra nhân dân Phường Ba Đình" in names
    assert len(names) == 10
    assert Organisation.objects.filter(unit=hanoi, kind="ban_tgdv").get().name == (
        "Ban Tuyên giáo và Dân vận Thành phố Hà Nội")


def test_stats_json(ba_dinh: Unit) -> None:
    VillageFactory(parent=ba_dinh, name="Tổ dân phố 1", kind=Kind.RESIDENTIAL_GROUP)
    VillageFactory(parent=ba_dinh, name="Thôn 2")
    data = json.loads(command("stats", "--json"))
    assert data["era"] == "current"
    assert (data["provinces"], data["communes"], data["villages"]) == (34, 3321, 2)
    assert data["kinds"]["province"] == {"thanh_pho_tw": 9, "tinh": 25}
    assert data["kinds"]["commune"] == {"xa": 2621, "phuong": 687, "dac_khu": 13}
    assert data["kinds"]["village"] == {"thon": 1, "to_dan_pho": 1}

    legacy = json.loads(command("stats", "--json", "--legacy"))
    assert (legacy["provinces"], legacy["districts"], legacy["communes"]) == (63, 696, 10051)


def test_stats_text_is_vietnamese() -> None:
    text = command("stats")
    assert "Cấp tỉnh: 34 (Thành phố trực thuộc trung ương: 9, Tỉnh: 25)" in text
    assert "Cấp xã: 3321 (Đặc khu: 13, Phường: 687, Xã: 2621)" in text


def test_export_csv_matches_the_package() -> None:
    rows = list(csv.DictReader(StringIO(command("export", "--format", "csv"))))
    expected = {f"{int(p.code):02d}": ("", normalize(p.name)) for p in Province.iter_all()}
    expected |= {f"{int(w.code):05d}": (f"{int(w.province_code):02d}", normalize(w.name))
                 for w in Ward.iter_all()}
    assert len(rows) == len(expected) == 34 + 3321
    assert {r["code"] for r in rows} == set(expected)
    for r in rows:
        assert (r["parent_code"], r["name"]) == expected[r["code"]], r
    ba_dinh = next(r for r in rows if r["code"] == "00004")
    assert ba_dinh == {"code": "00004", "name": "Phường Ba Đình", "type": "phuong", "parent_code": "01"}


def test_export_levels_formats_and_file(tmp_path: Path, ba_dinh: Unit) -> None:
    VillageFactory(parent=ba_dinh, code="T001", name="Tổ dân phố 1", kind=Kind.RESIDENTIAL_GROUP)
    provinces = json.loads(command("export", "--format", "json", "--level", "province"))
    assert len(provinces) == 34
    assert {"code": "01", "name": "Thành phố Hà Nội", "type": "thanh_pho_tw", "parent_code": ""} in provinces
    villages = list(csv.DictReader(StringIO(command("export", "--level", "village"))))
    assert villages == [
        {"code": "T001", "name": "Tổ dân phố 1", "type": "to_dan_pho", "parent_code": "00004"}]

    out = tmp_path / "xa-cu.csv"
    command("export", "--legacy", "--level", "commune", "--output", str(out))
    with out.open(encoding="utf-8") as f:
        legacy = list(csv.DictReader(f))
    assert {r["code"] for r in legacy} == {f"{int(w.code):05d}" for w in LegacyWard.iter_all()}
    assert len(legacy) == 10051
    legacy_provinces = json.loads(command("export", "--legacy", "--level", "province", "--format", "json"))
    assert {r["code"] for r in legacy_provinces} == {f"{int(p.code):02d}" for p in LegacyProvince.iter_all()}


def test_rerunning_the_import_changes_nothing() -> None:
    before = (Unit.objects.count(), UnitSuccession.objects.count(), Organisation.objects.count())
    stamp = Unit.objects.order_by("-updated_at").values_list("updated_at", flat=True).first()
    assert command("import").strip() == (
        "Đã nạp danh mục: 0 đơn vị mới, 0 cập nhật, 0 liên kết cũ→mới, 0 cơ quan, tổ chức.")
    assert (Unit.objects.count(), UnitSuccession.objects.count(), Organisation.objects.count()) == before
    assert Unit.objects.order_by("-updated_at").values_list("updated_at", flat=True).first() == stamp


def test_rerunning_the_import_keeps_local_reorganisations(ba_dinh: Unit) -> None:
    """A rename or merge done here is newer than the package: a refresh must not undo it."""
    neighbour = Unit.objects.get(era=Era.CURRENT, level=Level.COMMUNE, code="00008")
    unit_merge(actor=None, sources=[neighbour], target=ba_dinh, effective_on=dt.date(2026, 1, 1))
    unit_rename(actor=None, unit=ba_dinh, new_name="Phường Ba Đình Mới", effective_on=dt.date(2026, 1, 1))
    orgs = Organisation.objects.count()

    report = units_import_official()

    assert (report.created, report.updated, report.organisations) == (0, 0, 0)
    ba_dinh.refresh_from_db()
    neighbour.refresh_from_db()
    assert ba_dinh.name == "Phường Ba Đình Mới"
    assert neighbour.status == Status.DISSOLVED
    assert not Organisation.objects.filter(unit=neighbour, active=True).exists()
    assert Organisation.objects.count() == orgs
    assert UnitRename.objects.filter(unit=ba_dinh).count() == 1
