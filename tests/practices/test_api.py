"""The public API at /api/v1/practices: recognised models only, accent-insensitive search."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from danvan.practices.services import indicator_add, indicator_value_record, replication_record

from .conftest import certified, make_practice

pytestmark = pytest.mark.django_db

API = "/api/v1/practices"


def test_list_and_filters(client: Client, people, ba_dinh, ngoc_ha) -> None:
    wanted = certified(people, ba_dinh)
    certified(people, ngoc_ha, registrar=people.neighbour_supervisor, leader=people.neighbour_leader,
              panel=people.neighbour_supervisor, name="Bữa cơm nghĩa tình", field_code="van-hoa-xa-hoi")
    make_practice(people.supervisor, ba_dinh, name="Tủ sách cộng đồng")
    body = client.get(f"{API}/").json()
    assert body["count"] == 2
    assert {i["name"] for i in body["items"]} == {"Dân vận khéo trong giải phóng mặt bằng", "Bữa cơm nghĩa tình"}
    body = client.get(f"{API}/", {"q": "dan van kheo"}).json()
    assert [i["id"] for i in body["items"]] == [wanted.pk]
    item = body["items"][0]
    assert (item["unit_code"], item["province_code"], item["certified_level"]) == ("00004", "01", "xa")
    assert client.get(f"{API}/", {"field": "van-hoa-xa-hoi", "unit": "00008"}).json()["count"] == 1
    assert client.get(f"{API}/", {"limit": 1}).json()["items"].__len__() == 1
    response = client.get(f"{API}/", {"unit": "abc"})
    assert response.status_code == 422 and response.json()["code"] == "validation_error"
    assert [f["code"] for f in client.get(f"{API}/fields").json()][:2] == ["kinh-te", "van-hoa-xa-hoi"]


def test_detail(client: Client, people, ba_dinh, ngoc_ha) -> None:
    source = certified(people, ba_dinh)
    indicator = indicator_add(actor=people.supervisor, practice=source, name="Số hộ", measure="hộ")
    indicator_value_record(actor=people.supervisor, indicator=indicator, on=dt.date(2025, 6, 30), value=40)
    replica = certified(people, ngoc_ha, registrar=people.neighbour_supervisor, leader=people.neighbour_leader,
                        panel=people.neighbour_supervisor)
    replication_record(actor=people.neighbour_supervisor, source=source, replica=replica)
    body = client.get(f"{API}/{replica.pk}").json()
    assert body["replicates_id"] == source.pk
    assert sorted(body["family_ids"]) == sorted([source.pk, replica.pk])
    body = client.get(f"{API}/{source.pk}").json()
    assert body["indicators"] == [{"name": "Số hộ", "measure": "hộ", "points": [{"on": "2025-06-30", "value": "40"}]}]
    draft = make_practice(people.supervisor, ba_dinh, name="Tủ sách cộng đồng")
    response = client.get(f"{API}/{draft.pk}")
    assert response.status_code == 404 and response.json()["code"] == "not_found"
