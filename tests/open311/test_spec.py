"""Open311 answers validate against JSON Schemas of GeoReport v2, and a published client reads them.

The schemas (tests/open311/schemas/) are written from the specification's field tables. The
client is `georeport` from PyPI, a third-party GeoReport v2 wrapper we did not write, pointed at
a live server in both of its output formats.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from georeport import GeoReport
from jsonschema import Draft202012Validator

from danvan.attachments.services import attachment_add, file_check
from danvan.units.models import Unit
from tests.attachments.test_attachments import jpeg_with_gps

from .support import ensure_reference_data
from .test_georeport import BASE, make_case

SCHEMAS = Path(__file__).parent / "schemas"


def validate(name: str, document: Any) -> None:
    schema = json.loads((SCHEMAS / f"{name}.schema.json").read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in Draft202012Validator(schema).iter_errors(document)]
    assert errors == []


def _datetimes(rows: list[dict[str, Any]]) -> None:
    # jsonschema only checks "format" with optional packages: check the timestamps ourselves.
    for row in rows:
        for key in ("requested_datetime", "updated_datetime", "expected_datetime"):
            if row[key] is not None:
                assert dt.datetime.fromisoformat(row[key]).tzinfo is not None


@pytest.fixture(autouse=True)
def _media_root(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path


@pytest.mark.django_db
def test_services_and_requests_validate(client: Client, ba_dinh: Unit) -> None:
    validate("services", client.get(BASE + "services.json").json())
    with_photo = make_case(ba_dinh, title="Rác thải ven hồ", latitude=21.035, longitude=105.83)
    attachment_add(target=with_photo, name="ho.jpg", checked=file_check(content=jpeg_with_gps()))
    make_case(ba_dinh, title="Đèn đường hỏng")
    rows = client.get(BASE + "requests.json").json()
    assert len(rows) == 2
    validate("requests", rows)
    _datetimes(rows)
    one = client.get(f"{BASE}requests/{with_photo.pk}.json").json()
    validate("requests", one)
    assert one[0]["media_url"].startswith("http://testserver/open311/v2/media/")


@pytest.mark.django_db(transaction=True)
def test_a_published_client_lists_services_and_requests_and_reads_one(live_server: Any) -> None:
    ensure_reference_data()
    unit = Unit.objects.get(era="current", level=3, code="00004")
    case = make_case(unit, title="Nắp cống bị vỡ trước số 12", field="giao_thong")
    for output in ("json", "xml"):
        client = GeoReport(live_server.url + BASE, jurisdiction="vn", output_format=output)
        services = client.get_service_list()
        codes = {s["service_code"] for s in services}
        assert {"giao_thong", "moi_truong", "dat_dai"} <= codes
        listed = client.get_service_requests(service_code="giao_thong", status="open")
        listed = listed if isinstance(listed, list) else [listed]
        assert str(case.pk) in {r["service_request_id"] for r in listed}
        one = client.get_service_request(str(case.pk))
        one = one[0] if isinstance(one, list) else one
        assert one["status"] == "open" and one["service_code"] == "giao_thong"
        assert one["description"].startswith("Nắp cống bị vỡ") and "0987654321" not in str(one)
