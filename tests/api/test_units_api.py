"""Units API: /api/v1/units/search and /api/v1/units/{code}/children, errors, OpenAPI."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.test import Client, RequestFactory
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from ninja.errors import AuthenticationError, HttpError, Throttled

from danvan.api.main import api
from danvan.core.errors import DomainError, NotFoundOrForbidden
from danvan.core.search import searchable
from danvan.units.models import Era, Level, Unit
from tests.factories import VillageFactory

pytestmark = pytest.mark.django_db

SEARCH = "/api/v1/units/search"
VIETNAMESE_LETTER = re.compile("[àáảãạâầấẩẫậăằắẳẵặđèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ]",
                               re.IGNORECASE)


def get_json(client: Client, url: str, params: dict[str, Any] | None = None, status: int = 200) -> Any:
    response = client.get(url, params or {})
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    return response.json()


def assert_vietnamese_error(body: dict[str, Any], code: str) -> None:
    assert body["code"] == code
    assert VIETNAMESE_LETTER.search(body["detail"]), body["detail"]


# --- search --------------------------------------------------------------------------------


def test_search_without_accents_finds_the_exact_ward_first(client: Client) -> None:
    results = get_json(client, SEARCH, {"q": "phuong ba dinh"})
    assert results[0]["code"] == "00004"
    assert results[0]["name"] == "Phường Ba Đình"
    assert results[0]["type"] == "phuong"
    assert results[0]["type_name"] == "Phường"
    assert results[0]["level"] == Level.COMMUNE
    assert results[0]["parent_code"] == "01"
    assert results[0]["parent_name"] == "Thành phố Hà Nội"
    assert results[0]["path"] == "VN.01.00004."


def test_search_with_accents_and_case_gives_the_same_results(client: Client) -> None:
    plain = get_json(client, SEARCH, {"q": "ba dinh"})
    assert plain == get_json(client, SEARCH, {"q": "BA ĐÌNH"})
    assert {r["name"] for r in plain} >= {"Phường Ba Đình", "Xã Ba Đình"}


def test_both_tone_placements_return_the_same_results(client: Client) -> None:
    new = get_json(client, SEARCH, {"q": "hoà", "limit": 100})
    old = get_json(client, SEARCH, {"q": "hòa", "limit": 100})
    assert new == old
    assert len(new) == 100
    assert all(re.search(r"(?i)\bh[oòóỏõọ][aàáảãạ]\b|\bho[aàáảãạ]", r["name"]) for r in new)


def test_thanh_hoa_is_found_whichever_tone_placement_is_stored(client: Client) -> None:
    for query in ["thanh hoa", "Thanh Hóa", "thanh hoá"]:
        results = get_json(client, SEARCH, {"q": query, "level": Level.PROVINCE})
        assert [(r["code"], r["name"]) for r in results] == [("38", "Tỉnh Thanh Hóa")]
    # Data typed with the new placement, stored as given, is found all the same.
    Unit.objects.filter(era=Era.CURRENT, level=Level.PROVINCE, code="38").update(
        name="Tỉnh Thanh Hoá", search_text=searchable("Tỉnh Thanh Hoá"))
    for query in ["thanh hoa", "Thanh Hóa", "thanh hoá"]:
        results = get_json(client, SEARCH, {"q": query})
        assert results[0]["code"] == "38"
        assert results[0]["name"] == "Tỉnh Thanh Hoá"


def test_level_limits_the_depth(client: Client, ba_dinh: Unit) -> None:
    VillageFactory(parent=ba_dinh, name="Tổ dân phố Hà Nội Xanh")
    provinces_only = get_json(client, SEARCH, {"q": "ha noi", "level": Level.PROVINCE})
    assert [r["code"] for r in provinces_only] == ["01"]
    default = get_json(client, SEARCH, {"q": "ha noi xanh"})
    assert default == []
    with_villages = get_json(client, SEARCH, {"q": "ha noi xanh", "level": Level.VILLAGE})
    assert [(r["name"], r["parent_code"], r["level"]) for r in with_villages] == [
        ("Tổ dân phố Hà Nội Xanh", "00004", Level.VILLAGE)]


def test_parent_restricts_the_search_to_a_subtree(client: Client) -> None:
    everywhere = get_json(client, SEARCH, {"q": "ba dinh"})
    assert {r["parent_code"] for r in everywhere} >= {"01", "38"}  # Phường Ba Đình, Xã Ba Đình
    in_hanoi = get_json(client, SEARCH, {"q": "ba dinh", "parent": "01"})
    assert [r["code"] for r in in_hanoi] == ["00004"]
    assert all(r["path"].startswith("VN.01.") for r in get_json(client, SEARCH, {"q": "hoa", "parent": "01"}))
    whole_country = get_json(client, SEARCH, {"q": "ba dinh", "parent": "VN"})
    assert whole_country == everywhere


def test_parent_commune_searches_its_villages(client: Client, ba_dinh: Unit) -> None:
    village = VillageFactory(parent=ba_dinh, name="Thôn Dân Vận Khéo")
    results = get_json(client, SEARCH, {"q": "dan van kheo", "parent": "00004", "level": Level.VILLAGE})
    assert [(r["code"], r["name"]) for r in results] == [(village.code, "Thôn Dân Vận Khéo")]


def test_limit_caps_the_number_of_results(client: Client) -> None:
    assert len(get_json(client, SEARCH, {"q": "xa", "limit": 5})) == 5
    assert len(get_json(client, SEARCH, {"q": "xa"})) == 20
    assert len(get_json(client, SEARCH, {"q": "xa", "limit": 100})) == 100


@pytest.mark.parametrize("q", ["", "   ", "%", "_", "'", "\\", "%_'\"\\"])
def test_empty_or_punctuation_queries_return_an_empty_list(client: Client, q: str) -> None:
    assert get_json(client, SEARCH, {"q": q}) == []


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({"q": "hoa", "limit": 0}, "limit", "Phải lớn hơn hoặc bằng 1."),
        ({"q": "hoa", "limit": 101}, "limit", "Phải nhỏ hơn hoặc bằng 100."),
        ({"q": "hoa", "limit": "nhieu"}, "limit", "Phải là số nguyên."),
        ({"q": "hoa", "level": 0}, "level", "Phải lớn hơn hoặc bằng 1."),
        ({"q": "hoa", "level": 5}, "level", "Phải nhỏ hơn hoặc bằng 4."),
        ({"q": "hoa", "parent": "1"}, "parent", "Không đúng định dạng."),
        ({"q": "hoa", "parent": "01'--"}, "parent", "Không đúng định dạng."),
        ({"q": "a" * 201}, "q", "Không được dài quá 200 ký tự."),
        ({}, "q", "Thiếu giá trị bắt buộc."),
    ],
)
def test_invalid_parameters_give_a_vietnamese_422(client: Client, params: dict[str, Any], field: str,
                                                  message: str) -> None:
    body = get_json(client, SEARCH, params, status=422)
    assert_vietnamese_error(body, "validation_error")
    assert body["detail"] == "Tham số không hợp lệ."
    assert [(e["loc"][-1], e["msg"]) for e in body["errors"]] == [(field, message)]


def test_unknown_parent_gives_a_vietnamese_404(client: Client) -> None:
    body = get_json(client, SEARCH, {"q": "hoa", "parent": "99"}, status=404)
    assert_vietnamese_error(body, "not_found")
    assert "99" in body["detail"]


# --- children ------------------------------------------------------------------------------


def test_children_of_the_nation_are_the_provinces(client: Client) -> None:
    from vietnam_provinces import Province

    results = get_json(client, "/api/v1/units/VN/children")
    assert len(results) == len(list(Province.iter_all())) == 34
    assert {r["level"] for r in results} == {Level.PROVINCE}
    assert {r["parent_code"] for r in results} == {None}
    assert {"01", "38", "79"} <= {r["code"] for r in results}
    assert get_json(client, "/api/v1/units/vn/children") == results


def test_children_of_hanoi_are_its_communes(client: Client) -> None:
    from vietnam_provinces import Ward

    expected = {f"{int(w.code):05d}" for w in Ward.iter_all() if int(w.province_code) == 1}
    results = get_json(client, "/api/v1/units/01/children")
    assert len(expected) == 126
    assert {r["code"] for r in results} == expected
    assert len(results) == len(expected)
    assert {r["parent_code"] for r in results} == {"01"}
    assert {r["parent_name"] for r in results} == {"Thành phố Hà Nội"}
    assert {r["type"] for r in results} <= {"xa", "phuong"}


def test_children_of_a_commune_are_its_villages(client: Client, ba_dinh: Unit) -> None:
    made = [VillageFactory(parent=ba_dinh, name=name) for name in ["Tổ dân phố 2", "Tổ dân phố 1"]]
    results = get_json(client, "/api/v1/units/00004/children")
    assert [r["name"] for r in results] == ["Tổ dân phố 1", "Tổ dân phố 2"]
    assert {r["code"] for r in results} == {v.code for v in made}
    assert {r["parent_code"] for r in results} == {"00004"}
    assert {r["level"] for r in results} == {Level.VILLAGE}


@pytest.mark.parametrize("code", ["99", "00000", "ABC", "1", "001", "0000a", "T001", "%25", "VN1975"])
def test_unknown_code_gives_a_vietnamese_404(client: Client, code: str) -> None:
    body = get_json(client, f"/api/v1/units/{code}/children", status=404)
    assert_vietnamese_error(body, "not_found")


def test_dissolved_legacy_units_are_not_addressable(client: Client) -> None:
    # Legacy province 38 (old Thanh Hóa) shares its code with the current one: the current wins.
    results = get_json(client, "/api/v1/units/38/children")
    assert results
    assert all(r["path"].startswith("VN.38.") for r in results)
    # A legacy-only commune code (dissolved in 2025) is not found among current units.
    legacy_only = (Unit.objects.filter(era=Era.LEGACY, level=Level.COMMUNE)
                   .exclude(code__in=Unit.objects.filter(era=Era.CURRENT, level=Level.COMMUNE).values("code"))
                   .values_list("code", flat=True).first())
    assert legacy_only is not None
    get_json(client, f"/api/v1/units/{legacy_only}/children", status=404)


# --- errors and OpenAPI --------------------------------------------------------------------


def test_wrong_method_is_rejected(client: Client) -> None:
    assert client.post(SEARCH, {"q": "hoa"}).status_code == 405


@pytest.mark.parametrize(
    ("exc", "status", "code"),
    [
        (Http404("x"), 404, "not_found"),
        (PermissionDenied(), 403, "forbidden"),
        (HttpError(400, "Cannot parse request body"), 400, "bad_request"),
        (AuthenticationError(), 401, "unauthorized"),
        (Throttled(wait=5), 429, "too_many_requests"),
        (HttpError(418, "I'm a teapot"), 418, "http_error"),
        (NotFoundOrForbidden(), 404, "not_found"),
        (DomainError("Hồ sơ đã đóng, không thể chuyển."), 409, "domain_error"),
        (RuntimeError("boom"), 500, "server_error"),
    ],
)
def test_every_error_is_vietnamese_json(rf: RequestFactory, exc: Exception, status: int, code: str) -> None:
    """What the API answers for errors no public endpoint can trigger on purpose."""
    request = rf.get("/api/v1/units/search")
    response = api.on_exception(request, exc)
    assert response.status_code == status
    body = json.loads(response.content)
    assert_vietnamese_error(body, code)


def test_openapi_document_describes_the_units_endpoints(client: Client) -> None:
    spec = get_json(client, "/api/v1/openapi.json")
    assert spec["openapi"].startswith("3.")
    assert "/api/v1/units/search" in spec["paths"]
    assert "/api/v1/units/{code}/children" in spec["paths"]
    search_params = {p["name"]: p for p in spec["paths"]["/api/v1/units/search"]["get"]["parameters"]}
    assert set(search_params) == {"q", "level", "parent", "limit"}
    assert search_params["limit"]["schema"]["maximum"] == 100
    responses = spec["paths"]["/api/v1/units/search"]["get"]["responses"]
    assert {"200", "404", "422"} <= set(responses)


def test_openapi_document_is_valid_openapi_3(client: Client) -> None:
    validator = pytest.importorskip("openapi_spec_validator")
    validator.validate(get_json(client, "/api/v1/openapi.json"))


def test_api_docs_never_load_from_a_cdn(client: Client) -> None:
    response = client.get("/api/v1/docs")
    if response.status_code == 200:
        assert b"cdn." not in response.content
    else:
        assert response.status_code == 404


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    q=st.text(st.characters(codec="utf-8"), max_size=60),
    level=st.integers(min_value=1, max_value=4),
    limit=st.integers(min_value=1, max_value=100),
)
@example(q="\x00", level=4, limit=100)
@example(q="ba\x00dinh '; --", level=3, limit=1)
def test_any_query_string_answers_a_list(client: Client, q: str, level: int, limit: int) -> None:
    results = get_json(client, SEARCH, {"q": q, "level": level, "limit": limit})
    assert isinstance(results, list)
    assert len(results) <= limit
    assert all(r["level"] <= level for r in results)
