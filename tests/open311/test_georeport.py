"""Open311 GeoReport v2 at /open311/v2/: shapes per the spec, XML, api_key, privacy."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from danvan.cases.models import Case, Channel, Field, Kind
from danvan.cases.services import Submitter, case_submit
from danvan.open311.demo_data import demo_key
from danvan.open311.models import ApiKey
from danvan.open311.services import api_key_create, api_key_revoke
from danvan.units.models import Unit

from .support import parse_xml

BASE = "/open311/v2/"
# GeoReport v2 field lists (wiki.open311.org/GeoReport_v2).
SERVICE_FIELDS = {"service_code", "service_name", "description", "metadata", "type", "keywords", "group"}
REQUEST_FIELDS = {"service_request_id", "status", "status_notes", "service_name", "service_code", "description",
                  "agency_responsible", "service_notice", "requested_datetime", "updated_datetime",
                  "expected_datetime", "address", "address_id", "zipcode", "lat", "long", "media_url"}
POST_RESPONSE_FIELDS = {"service_request_id", "service_notice", "account_id"}
ERROR_FIELDS = {"code", "description"}


@pytest.fixture
def key(db: Any) -> str:
    return api_key_create(name="Ứng dụng thử nghiệm")[1]


def make_case(unit: Unit, *, title: str = "Cống thoát nước bị tắc", field: str = "moi_truong",
              kind: str = Kind.FEEDBACK, **kwargs: Any) -> Case:
    submitter = kwargs.pop("submitter", Submitter(name="Lê Văn Cường", phone="0987654321",
                                                  email="cuong@example.vn"))
    return case_submit(kind=kind, channel=Channel.WEB, unit=unit, field=Field.objects.get(code=field), title=title,
                       description=f"{title}. Liên hệ Lê Văn Cường 0987654321.", submitter=submitter, **kwargs)


def assert_error(response: Any, status: int) -> None:
    assert response.status_code == status
    errors = response.json()
    assert isinstance(errors, list) and set(errors[0]) == ERROR_FIELDS
    assert errors[0]["code"] == status and errors[0]["description"]


def test_services_json_has_the_spec_fields(client: Client, db: Any) -> None:
    services = client.get(BASE + "services.json").json()
    assert len(services) == Field.objects.filter(active=True).count() >= 10
    for s in services:
        assert set(s) == SERVICE_FIELDS
        assert s["metadata"] is False and s["type"] == "realtime"
        assert isinstance(s["keywords"], str) and isinstance(s["service_code"], str)
    assert "moi_truong" in {s["service_code"] for s in services}


def test_inactive_fields_are_not_services(client: Client, db: Any) -> None:
    Field.objects.filter(code="y_te").update(active=False)
    codes = {s["service_code"] for s in client.get(BASE + "services.json").json()}
    assert "y_te" not in codes
    assert_error(client.get(BASE + "services/y_te.json"), 404)


def test_services_xml_is_well_formed_with_spec_element_names(client: Client, db: Any) -> None:
    response = client.get(BASE + "services.xml")
    assert response["Content-Type"].startswith("text/xml")
    root = parse_xml(response.content)
    assert root.tag == "services"
    services = root.findall("service")
    assert services and all({c.tag for c in s} == SERVICE_FIELDS for s in services)
    assert services[0].find("metadata").text == "false"


def test_service_definition_has_no_attributes(client: Client, db: Any) -> None:
    assert client.get(BASE + "services/moi_truong.json").json() == {"service_code": "moi_truong", "attributes": []}
    root = parse_xml(client.get(BASE + "services/moi_truong.xml").content)
    assert root.tag == "service_definition" and root.find("attributes") is not None


def test_post_needs_a_valid_api_key(client: Client, db: Any) -> None:
    data = {"service_code": "moi_truong", "address_id": "00004", "description": "Đèn đường hỏng"}
    assert_error(client.post(BASE + "requests.json", data), 403)
    assert_error(client.post(BASE + "requests.json", {**data, "api_key": "sai"}), 403)
    row, key = api_key_create(name="Ứng dụng cũ")
    api_key_revoke(api_key=row)
    assert_error(client.post(BASE + "requests.json", {**data, "api_key": key}), 403)
    assert Case.objects.count() == 0


def test_post_with_address_id_creates_a_feedback_case(client: Client, key: str) -> None:
    response = client.post(BASE + "requests.json", {
        "api_key": key, "jurisdiction_id": "vn", "service_code": "moi_truong", "address_id": "00004",
        "description": "Rác thải tồn đọng trên phố Đội Cấn", "first_name": "An", "last_name": "Phạm Văn",
        "email": "an@example.vn", "attribute[x]": "bỏ qua", "media_url": "https://example.vn/anh.jpg"})
    assert response.status_code == 201, response.content
    [row] = response.json()
    assert set(row) == POST_RESPONSE_FIELDS
    case = Case.objects.get(pk=int(row["service_request_id"]))
    assert case.channel == Channel.OPEN311 and case.kind == Kind.FEEDBACK and case.unit.code == "00004"
    assert case.submitter_name == "Phạm Văn An" and case.wants_updates
    # Only the posting application learns the tracking code.
    assert case.code in row["service_notice"]


def test_post_with_address_string_finds_the_commune(client: Client, key: str) -> None:
    response = client.post(BASE + "requests.xml", {
        "api_key": key, "service_code": "giao_thong", "address_string": "phuong ba dinh",
        "description": "Ổ gà lớn giữa đường"})
    assert response.status_code == 201
    root = parse_xml(response.content)
    assert root.tag == "service_requests"
    request_id = root.find("request/service_request_id").text
    assert Case.objects.get(pk=int(request_id)).unit.code == "00004"


def test_post_with_only_lat_long_uses_commune_coordinates_when_known(client: Client, key: str,
                                                                     ba_dinh: Unit) -> None:
    point = {"api_key": key, "service_code": "moi_truong", "lat": "21.0340", "long": "105.8400",
             "description": "Cây đổ chắn đường"}
    # Communes without recorded centres: the place must be named.
    if not Unit.objects.filter(level=3, latitude__isnull=False).exists():
        assert_error(client.post(BASE + "requests.json", point), 400)
    Unit.objects.filter(pk=ba_dinh.pk).update(latitude=21.0341, longitude=105.8401)
    response = client.post(BASE + "requests.json", point)
    assert response.status_code == 201
    case = Case.objects.get(pk=int(response.json()[0]["service_request_id"]))
    assert case.unit == ba_dinh and case.latitude == pytest.approx(21.034)


@pytest.mark.parametrize(("data", "status"), [
    ({"address_id": "00004", "description": "x"}, 400),  # no service_code
    ({"service_code": "khong_co", "address_id": "00004", "description": "x"}, 404),
    ({"service_code": "moi_truong", "description": "x"}, 400),  # no place
    ({"service_code": "moi_truong", "address_id": "99999", "description": "x"}, 400),
    ({"service_code": "moi_truong", "address_id": "00004"}, 400),  # no description
    ({"service_code": "moi_truong", "address_id": "00004", "description": "x", "phone": "abc"}, 400),
])
def test_post_errors_follow_the_spec(client: Client, key: str, data: dict[str, str], status: int) -> None:
    assert_error(client.post(BASE + "requests.json", {"api_key": key, **data}), status)
    xml = client.post(BASE + "requests.xml", {"api_key": key, **data})
    root = parse_xml(xml.content)
    assert root.tag == "errors" and root.find("error/code").text == str(status)
    assert root.find("error/description").text


def test_requests_json_has_the_spec_fields_and_no_identity(client: Client, ba_dinh: Unit) -> None:
    case = make_case(ba_dinh)
    response = client.get(BASE + "requests.json")
    [row] = response.json()
    assert set(row) == REQUEST_FIELDS
    assert row["service_request_id"] == str(case.pk) and row["status"] == "open"
    assert row["service_code"] == "moi_truong" and row["address_id"] == "00004"
    assert row["status_notes"] == "Tiếp nhận"
    dt.datetime.fromisoformat(row["requested_datetime"])
    text = response.content.decode()
    for secret in ("Lê Văn Cường", "0987654321", "cuong@example.vn", case.code):
        assert secret not in text


def test_requests_xml_is_well_formed(client: Client, ba_dinh: Unit) -> None:
    make_case(ba_dinh)
    root = parse_xml(client.get(BASE + "requests.xml").content)
    assert root.tag == "service_requests"
    [request] = root.findall("request")
    assert {c.tag for c in request} == REQUEST_FIELDS


def test_complaints_and_denunciations_are_never_listed(client: Client, ba_dinh: Unit) -> None:
    make_case(ba_dinh, kind=Kind.COMPLAINT, title="Khiếu nại quyết định thu hồi đất", field="dat_dai")
    make_case(ba_dinh, kind=Kind.DENUNCIATION, title="Tố cáo cán bộ", submitter=None)
    assert client.get(BASE + "requests.json").json() == []
    for case in Case.objects.all():
        assert_error(client.get(BASE + f"requests/{case.pk}.json"), 404)


def test_request_filters(client: Client, ba_dinh: Unit) -> None:
    from danvan.accounts.models import Role
    from danvan.cases.services import case_merge
    from tests.cases.conftest import official

    leader = official(Role.LEADER, ba_dinh)
    first = make_case(ba_dinh, title="Rác thải ở ngõ 10")
    second = make_case(ba_dinh, title="Tắc đường giờ cao điểm", field="giao_thong")
    case_merge(actor=leader, duplicate=first, into=second)

    def ids(**params: str) -> set[str]:
        return {r["service_request_id"] for r in client.get(BASE + "requests.json", params).json()}

    assert ids() == {str(first.pk), str(second.pk)}
    assert ids(status="closed") == {str(first.pk)}
    assert ids(status="open") == {str(second.pk)}
    assert ids(service_code="giao_thong") == {str(second.pk)}
    assert ids(service_request_id=f"{first.pk}") == {str(first.pk)}
    assert ids(service_request_id=f"{first.pk},{second.pk}") == {str(first.pk), str(second.pk)}
    tomorrow = (timezone.now() + dt.timedelta(days=1)).isoformat()
    assert ids(start_date=tomorrow) == set()
    assert ids(end_date="2020-01-01T00:00:00Z") == set()
    assert_error(client.get(BASE + "requests.json", {"status": "pending"}), 400)
    assert_error(client.get(BASE + "requests.json", {"start_date": "hôm qua"}), 400)


def test_old_requests_fall_outside_the_default_window(client: Client, ba_dinh: Unit) -> None:
    case = make_case(ba_dinh)
    Case.objects.filter(pk=case.pk).update(received_at=timezone.now() - dt.timedelta(days=120))
    assert client.get(BASE + "requests.json").json() == []
    old = client.get(BASE + "requests.json", {"start_date": "2000-01-01"}).json()
    assert [r["service_request_id"] for r in old] == [str(case.pk)]


def test_one_request_and_unknown_ids(client: Client, ba_dinh: Unit) -> None:
    case = make_case(ba_dinh)
    [row] = client.get(BASE + f"requests/{case.pk}.json").json()
    assert set(row) == REQUEST_FIELDS and row["service_request_id"] == str(case.pk)
    root = parse_xml(client.get(BASE + f"requests/{case.pk}.xml").content)
    assert root.find("request/service_request_id").text == str(case.pk)
    assert_error(client.get(BASE + "requests/999999999.json"), 404)
    assert_error(client.get(BASE + "requests/abc.json"), 404)


def test_create_list_revoke_commands(db: Any, capsys: pytest.CaptureFixture[str]) -> None:
    call_command("open311", "create-key", "--name", "Ứng dụng phường")
    out = capsys.readouterr().out
    key = next(line for line in out.splitlines() if line.startswith("o311_"))
    row = ApiKey.objects.get(name="Ứng dụng phường")
    assert key not in row.digest and row.active
    call_command("open311", "list")
    assert "Ứng dụng phường" in capsys.readouterr().out
    call_command("open311", "revoke", str(row.pk))
    row.refresh_from_db()
    assert not row.active
    client = Client()
    data = {"api_key": key, "service_code": "moi_truong", "address_id": "00004", "description": "x"}
    assert_error(client.post(BASE + "requests.json", data), 403)


def test_demo_generator_makes_a_deterministic_key(db: Any) -> None:
    from danvan.demo.registry import DemoContext, generators_in_order

    generator = next(g for g in generators_in_order() if g.name == "open311.api_key")
    ctx = DemoContext(rng=None, seed=2025, scale="small", province=None, provinces=[], communes=[],  # type: ignore[arg-type]
                      focus_communes=[], focus_province=None)
    assert generator.func(ctx) == {"api_keys": 1}
    assert generator.func(ctx) == {"api_keys": 0}
    assert ctx.credentials[0][0] == demo_key(2025)
    client = Client()
    response = client.post(BASE + "requests.json", {"api_key": demo_key(2025), "service_code": "moi_truong",
                                                    "address_id": "00004", "description": "Thử khóa trình diễn"})
    assert response.status_code == 201


def test_post_is_limited_per_api_key_and_per_phone(client: Client, key: str, settings: Any) -> None:
    settings.DANVAN_OPEN311_SUBMIT_PER_KEY = 3
    settings.DANVAN_PUBLIC_SUBMIT_PER_PHONE = 1
    data = {"api_key": key, "service_code": "moi_truong", "address_id": "00004",
            "description": "Cống thoát nước bị tắc"}
    assert client.post(BASE + "requests.json", {**data, "phone": "0912 345 678"}).status_code == 201
    # The same phone, written differently, has used its allowance.
    limited = client.post(BASE + "requests.json", {**data, "phone": "0912345678"})
    assert_error(limited, 429)
    assert "quá nhiều" in limited.json()[0]["description"]
    assert client.post(BASE + "requests.json", data).status_code == 201
    assert client.post(BASE + "requests.json", data).status_code == 201
    # The key has used its 3; another application's key is counted apart.
    assert_error(client.post(BASE + "requests.json", data), 429)
    other = api_key_create(name="Ứng dụng khác")[1]
    assert client.post(BASE + "requests.json", {**data, "api_key": other}).status_code == 201
    assert Case.objects.filter(channel=Channel.OPEN311).count() == 4
