"""The administration site for units: folded search, read-only official units, writes via services."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from danvan.audit.models import AuditEntry
from danvan.units.models import Era, Household, Kind, Level, Organisation, Status, Unit, UnitRename
from danvan.units.services import unit_merge
from tests.factories import VillageFactory

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/units/unit/"


def results(client: Client, url: str, **params: str) -> list:
    response = client.get(url, params)
    assert response.status_code == 200
    return list(response.context["cl"].result_list)


def test_every_units_admin_page_opens(admin_client: Client, ba_dinh: Unit) -> None:
    index = admin_client.get("/admin/")
    assert index.status_code == 200
    assert "Đơn vị hành chính" in index.content.decode()
    for url in (CHANGELIST, "/admin/units/organisation/", "/admin/units/household/",
                "/admin/units/unitsuccession/", "/admin/units/unitrename/", "/admin/units/unit/add/",
                "/admin/units/organisation/add/", "/admin/units/household/add/",
                f"/admin/units/unit/{ba_dinh.pk}/change/"):
        assert admin_client.get(url).status_code == 200, url


def test_search_is_accent_insensitive_and_ranked(admin_client: Client, ba_dinh: Unit) -> None:
    assert results(admin_client, CHANGELIST, q="phuong ba dinh")[0] == ba_dinh
    assert results(admin_client, CHANGELIST, q="Phường Ba Đình")[0] == ba_dinh
    assert results(admin_client, CHANGELIST, q="00004")[0] == ba_dinh
    thanh_hoa = results(admin_client, CHANGELIST, q="thanh hoa", level="1")
    assert [(u.code, u.era) for u in thanh_hoa] == [("38", Era.CURRENT), ("38", Era.LEGACY)]
    found = results(admin_client, CHANGELIST, q="ba dinh")
    assert ba_dinh in found
    assert all(" ba" in u.search_text and " dinh" in u.search_text for u in found)
    legacy = results(admin_client, CHANGELIST, q="truc bach", era=Era.LEGACY)
    assert [(u.code, u.era) for u in legacy] == [("00004", Era.LEGACY)]


def test_official_units_are_read_only(admin_client: Client, ba_dinh: Unit) -> None:
    page = admin_client.get(f"/admin/units/unit/{ba_dinh.pk}/change/").content.decode()
    assert 'name="name"' not in page
    assert "VN.01.00004." in page
    # The history of the ward is shown with it.
    assert "Phường Quán Thánh" in page
    response = admin_client.post(f"/admin/units/unit/{ba_dinh.pk}/change/", {"name": "Phường Khác"})
    assert response.status_code == 403
    assert admin_client.get(f"/admin/units/unit/{ba_dinh.pk}/delete/").status_code == 403
    ba_dinh.refresh_from_db()
    assert ba_dinh.name == "Phường Ba Đình"


def test_adding_a_village_goes_through_the_service(admin_client: Client, admin_user: object,
                                                   ba_dinh: Unit) -> None:
    response = admin_client.post("/admin/units/unit/add/", {"parent": ba_dinh.pk, "name": "tổ dân phố  9",
                                                            "kind": "", "code": ""})
    assert response.status_code == 302, response.content.decode()[:2000]
    village = Unit.objects.get(parent=ba_dinh)
    assert (village.name, village.kind, village.code, village.path, village.level) == (
        "tổ dân phố 9", Kind.RESIDENTIAL_GROUP, "T001", "VN.01.00004.T001.", Level.VILLAGE)
    entry = AuditEntry.objects.filter(action="units.village_create").latest("id")
    assert entry.actor_id == admin_user.pk

    again = admin_client.post("/admin/units/unit/add/", {"parent": ba_dinh.pk, "name": "Tổ dân phố 9",
                                                         "kind": "", "code": ""})
    assert again.status_code == 200
    assert "Phường Ba Đình đã có tổ dân phố 9." in again.content.decode()
    taken = admin_client.post("/admin/units/unit/add/", {"parent": ba_dinh.pk, "name": "Thôn Mới",
                                                         "kind": Kind.VILLAGE, "code": "t001"})
    assert "Mã T001 đã được dùng trong Phường Ba Đình." in taken.content.decode()
    # Only active communes can receive villages.
    hanoi = ba_dinh.parent
    wrong = admin_client.post("/admin/units/unit/add/", {"parent": hanoi.pk, "name": "Thôn 1"})
    assert wrong.status_code == 200
    assert Unit.objects.filter(parent=ba_dinh).count() == 1
    assert not Unit.objects.filter(parent=hanoi, level=Level.VILLAGE).exists()


def test_editing_a_village_renames_and_updates_through_services(admin_client: Client, ba_dinh: Unit) -> None:
    village = VillageFactory(parent=ba_dinh, code="T001", name="Thôn Hòa Bình")
    VillageFactory(parent=ba_dinh, code="T002", name="Thôn Đông")
    url = f"/admin/units/unit/{village.pk}/change/"
    form = {"name": "Thôn Hòa Bình Mới", "kind": Kind.HAMLET, "latitude": "21.03", "longitude": "105.83",
            "effective_on": "2026-02-01", "decision": "QĐ 12/QĐ-UBND",
            "renames-TOTAL_FORMS": "0", "renames-INITIAL_FORMS": "0",
            "successions_in-TOTAL_FORMS": "0", "successions_in-INITIAL_FORMS": "0",
            "successions_out-TOTAL_FORMS": "0", "successions_out-INITIAL_FORMS": "0"}
    response = admin_client.post(url, form)
    assert response.status_code == 302, response.content.decode()[:3000]
    village.refresh_from_db()
    assert (village.name, village.kind, village.latitude, village.code) == (
        "Thôn Hòa Bình Mới", Kind.HAMLET, 21.03, "T001")
    assert village.search_text == " thon hoa binh moi"
    rename = UnitRename.objects.get(unit=village)
    assert (rename.old_name, rename.effective_on, rename.decision) == (
        "Thôn Hòa Bình", dt.date(2026, 2, 1), "QĐ 12/QĐ-UBND")
    assert AuditEntry.objects.filter(action="units.village_update", object_id=str(village.pk)).exists()

    clash = admin_client.post(url, {**form, "name": "thôn đông"})
    assert clash.status_code == 200
    assert "Đã có Thôn Đông trong cùng đơn vị cấp xã." in clash.content.decode()
    village.refresh_from_db()
    assert village.name == "Thôn Hòa Bình Mới"


def test_autocomplete_offers_only_fitting_units(admin_client: Client, ba_dinh: Unit) -> None:
    VillageFactory(parent=ba_dinh, code="T001", name="Tổ dân phố Ba Đình")
    unit_merge(actor=None, sources=[Unit.objects.get(era=Era.CURRENT, level=Level.COMMUNE, code="00008")],
               target=ba_dinh, effective_on=dt.date(2026, 1, 1))

    def labels(model: str, field: str, term: str) -> list[str]:
        response = admin_client.get("/admin/autocomplete/", {"app_label": "units", "model_name": model,
                                                             "field_name": field, "term": term})
        assert response.status_code == 200
        return [r["text"] for r in response.json()["results"]]

    communes = labels("unit", "parent", "phuong ba dinh")
    assert communes[0] == "Phường Ba Đình"
    assert "Tổ dân phố Ba Đình" not in communes
    assert "Phường Ngọc Hà" not in labels("unit", "parent", "ngoc ha")
    assert labels("household", "village", "ba dinh") == ["Tổ dân phố Ba Đình"]
    assert labels("organisation", "unit", "thanh pho ha noi")[0] == "Thành phố Hà Nội"


def test_organisations(admin_client: Client, ba_dinh: Unit) -> None:
    ubnd = Organisation.objects.get(unit=ba_dinh, kind="ubnd")
    found = results(admin_client, "/admin/units/organisation/", q="uy ban nhan dan phuong ba dinh")
    assert found[0] == ubnd

    duplicate = admin_client.post("/admin/units/organisation/add/", {"unit": ba_dinh.pk, "kind": "ubnd"})
    assert duplicate.status_code == 200
    assert "Phường Ba Đình đã có Ủy ban nhân dân đang hoạt động." in duplicate.content.decode()

    response = admin_client.post(f"/admin/units/organisation/{ubnd.pk}/change/",
                                 {"name": "UBND  Phường Ba Đình", "active": ""})
    assert response.status_code == 302
    ubnd.refresh_from_db()
    assert (ubnd.name, ubnd.active) == ("UBND Phường Ba Đình", False)
    assert ubnd.search_text == " ubnd phuong ba dinh"
    assert AuditEntry.objects.filter(action="units.organisation_update", object_id=str(ubnd.pk)).exists()

    created = admin_client.post("/admin/units/organisation/add/", {"unit": ba_dinh.pk, "kind": "ubnd"})
    assert created.status_code == 302
    new = Organisation.objects.get(unit=ba_dinh, kind="ubnd", active=True)
    assert new.name == "Ủy ban nhân dân Phường Ba Đình"
    # Two active People's Committees on one ward are refused.
    back = admin_client.post(f"/admin/units/organisation/{ubnd.pk}/change/",
                             {"name": "UBND Phường Ba Đình", "active": "on"})
    assert back.status_code == 200
    assert admin_client.get(f"/admin/units/organisation/{ubnd.pk}/delete/").status_code == 403


def test_households(admin_client: Client, ba_dinh: Unit) -> None:
    village = VillageFactory(parent=ba_dinh, code="T001", name="Thôn Hòa Bình")
    data = {"village": village.pk, "number": "12", "head_name": "Nguyễn  Văn An", "representative_name": "",
            "representative_phone": "0912345678", "address": "", "members": "4", "active": "on"}
    response = admin_client.post("/admin/units/household/add/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    household = Household.objects.get(village=village)
    assert (household.head_name, household.representative_name) == ("Nguyễn Văn An", "Nguyễn Văn An")
    entry = AuditEntry.objects.filter(action="units.household_create").latest("id")
    # The audit trail names what changed, never the person.
    assert "Nguyễn" not in str(entry.after) + entry.object_repr
    assert "0912345678" not in str(entry.after)

    duplicate = admin_client.post("/admin/units/household/add/", {**data, "head_name": "Trần Thị Bình"})
    assert "Thôn Hòa Bình đã có hộ số 12." in duplicate.content.decode()
    assert results(admin_client, "/admin/units/household/", q="hoa binh") == [household]
    assert results(admin_client, "/admin/units/household/", q="Nguyễn Văn") == [household]


def test_history_is_read_only(admin_client: Client, ba_dinh: Unit) -> None:
    found = results(admin_client, "/admin/units/unitsuccession/", q="phuong quan thanh")
    assert (found[0].predecessor.name, found[0].successor) == ("Phường Quán Thánh", ba_dinh)
    assert all(" quan" in s.predecessor.search_text + s.successor.search_text for s in found)
    assert admin_client.get("/admin/units/unitsuccession/add/").status_code == 403
    link = found[0]
    assert admin_client.post(f"/admin/units/unitsuccession/{link.pk}/change/", {}).status_code == 403
    assert admin_client.get(f"/admin/units/unitsuccession/{link.pk}/delete/").status_code == 403


def test_dissolved_villages_are_read_only(admin_client: Client, ba_dinh: Unit) -> None:
    village = VillageFactory(parent=ba_dinh, code="T001", name="Thôn Cũ", status=Status.DISSOLVED)
    page = admin_client.get(f"/admin/units/unit/{village.pk}/change/").content.decode()
    assert 'name="name"' not in page
