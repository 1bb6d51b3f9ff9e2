"""A third-party Open311 client, written here with `requests`, against a live server."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import Any

import pytest
import requests

from danvan.open311.services import api_key_create

from .support import ensure_reference_data, parse_xml


class GeoReportClient:
    """What a city app does: discover services, post a request, list and read requests."""

    def __init__(self, endpoint: str, api_key: str) -> None:
        self.endpoint = endpoint.rstrip("/") + "/"
        self.api_key = api_key
        self.http = requests.Session()

    def _get(self, path: str, **params: Any) -> Any:
        response = self.http.get(self.endpoint + path, params={"jurisdiction_id": "vn", **params}, timeout=10)
        response.raise_for_status()
        return response.json() if path.endswith(".json") else parse_xml(response.content)

    def services(self) -> list[dict[str, Any]]:
        return self._get("services.json")

    def post_request(self, **fields: Any) -> dict[str, Any]:
        response = self.http.post(self.endpoint + "requests.json", data={"api_key": self.api_key, **fields},
                                  timeout=10)
        response.raise_for_status()
        return response.json()[0]

    def requests(self, **filters: Any) -> list[dict[str, Any]]:
        return self._get("requests.json", **filters)

    def request(self, request_id: str) -> dict[str, Any]:
        return self._get(f"requests/{request_id}.json")[0]

    def requests_xml(self) -> ET.Element:
        return self._get("requests.xml")


@pytest.mark.django_db(transaction=True)
def test_a_third_party_client_lists_posts_and_reads(live_server: Any) -> None:
    ensure_reference_data()
    _, key = api_key_create(name="Ứng dụng bên thứ ba")
    client = GeoReportClient(live_server.url + "/open311/v2/", key)

    services = client.services()
    environment = next(s for s in services if s["service_code"] == "moi_truong")
    assert environment["service_name"]

    posted = client.post_request(service_code=environment["service_code"], address_string="Ba Đình",
                                 description="Nước thải tràn ra vỉa hè", phone="0901234567")
    request_id = posted["service_request_id"]
    assert posted["service_notice"]

    listed = client.requests(service_code="moi_truong", status="open")
    assert request_id in {r["service_request_id"] for r in listed}

    one = client.request(request_id)
    assert one["status"] == "open" and one["service_code"] == "moi_truong"
    assert one["description"] == "Nước thải tràn ra vỉa hè" and "0901234567" not in str(one)

    root = client.requests_xml()
    assert request_id in {r.findtext("service_request_id") for r in root.iter("request")}

    with pytest.raises(requests.HTTPError) as refused:
        GeoReportClient(client.endpoint, "khoa-sai").post_request(
            service_code="moi_truong", address_id="00004", description="x")
    assert refused.value.response.status_code == 403
