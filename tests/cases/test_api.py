"""Cases JSON API: public submission with Idempotency-Key, follow-up by code, officials' list."""

from __future__ import annotations

import json
import threading
import uuid
from typing import Any

import pytest
from django.db import connection
from django.test import Client

from danvan.cases.models import Case, IdempotencyKey
from danvan.cases.services import case_assign
from tests.open311.support import ensure_reference_data

from .conftest import People

URL = "/api/v1/cases/"


def body(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "kind": "phan_anh", "field": "moi_truong", "unit": "00004",
        "title": "Rác thải tồn đọng trên phố Đội Cấn",
        "description": "Rác thải không được thu gom ba ngày nay, bốc mùi.",
        "contact": {"name": "Trần Thị Bình", "phone": "0912345678", "email": "binh@example.vn",
                    "wants_updates": True},
    }
    data.update(overrides)
    return data


def post(client: Client, data: dict[str, Any], key: str = "") -> Any:
    headers = {"Idempotency-Key": key} if key else {}
    return client.post(URL, data=json.dumps(data), content_type="application/json", headers=headers)


def test_submit_without_account_returns_a_code(client: Client, db: Any) -> None:
    response = post(client, body())
    assert response.status_code == 201, response.content
    code = response.json()["code"]
    case = Case.objects.get(code=code)
    assert case.channel == "api" and case.unit.code == "00004" and case.field.code == "moi_truong"
    assert response.json()["status"] == "received"


def test_retry_with_the_same_key_returns_the_same_case(client: Client, db: Any) -> None:
    key = str(uuid.uuid4())
    first = post(client, body(), key)
    second = post(client, body(), key)
    assert (first.status_code, second.status_code) == (201, 200)
    assert first.json()["code"] == second.json()["code"]
    assert Case.objects.count() == 1
    assert IdempotencyKey.objects.filter(key=key).count() == 1


def test_a_reused_key_with_other_content_is_refused_in_vietnamese(client: Client, db: Any) -> None:
    key = str(uuid.uuid4())
    assert post(client, body(), key).status_code == 201
    response = post(client, body(title="Một nội dung khác hẳn"), key)
    assert response.status_code == 409
    assert response.json()["code"] == "idempotency_key_reused"
    assert "Khóa chống gửi trùng" in response.json()["detail"]
    assert Case.objects.count() == 1


def test_without_key_two_posts_make_two_cases(client: Client, db: Any) -> None:
    assert post(client, body()).status_code == 201
    assert post(client, body()).status_code == 201
    assert Case.objects.count() == 2


@pytest.mark.parametrize(("overrides", "status", "code"), [
    ({"field": "khong_co"}, 404, "not_found"),
    ({"unit": "99999"}, 404, "not_found"),
    ({"kind": "to_cao"}, 409, "kind_invalid"),
    ({"title": "   "}, 409, "title_required"),
    ({"latitude": 48.85, "longitude": 2.35}, 409, "location_outside"),
    ({"unit": "abc"}, 422, "validation_error"),
])
def test_errors_are_vietnamese_json(client: Client, db: Any, overrides: dict[str, Any], status: int,
                                    code: str) -> None:
    response = post(client, body(**overrides))
    assert response.status_code == status
    assert response.json()["code"] == code
    assert response.json()["detail"]
    assert Case.objects.count() == 0


def test_public_view_shows_progress_but_never_the_submitter(client: Client, db: Any) -> None:
    code = post(client, body()).json()["code"]
    response = client.get(URL + code)
    assert response.status_code == 200
    data = response.json()
    assert data["code"] == code and data["status"] == "received"
    assert [e["kind"] for e in data["events"]] == ["submitted"]
    text = response.content.decode()
    for secret in ("Trần Thị Bình", "0912345678", "binh@example.vn"):
        assert secret not in text


def test_public_view_of_an_unknown_code_is_404(client: Client, db: Any) -> None:
    response = client.get(URL + "PA-0000-0000-0000")
    assert response.status_code == 404 and response.json()["code"] == "not_found"


def test_fields_lists_the_active_fields(client: Client, db: Any) -> None:
    codes = [f["code"] for f in client.get(URL + "fields").json()]
    assert "moi_truong" in codes and "dat_dai" in codes


def test_list_needs_a_login(client: Client, db: Any) -> None:
    response = client.get(URL)
    assert response.status_code == 401
    assert response.json()["code"] == "unauthorized"


def test_list_is_scoped_filtered_and_paginated(client: Client, people: People) -> None:
    for i in range(3):
        post(client, body(title=f"Rác thải số {i}"))
    post(client, body(unit="00008", title="Đèn đường hỏng ở Ngọc Hà"))
    client.force_login(people.leader)
    data = client.get(URL, {"page_size": 2}).json()
    assert data["count"] == 3 and len(data["results"]) == 2
    assert all(r["unit_code"] == "00004" for r in data["results"])
    page2 = client.get(URL, {"page_size": 2, "page": 2}).json()
    assert len(page2["results"]) == 1
    assert {r["code"] for r in data["results"]}.isdisjoint({r["code"] for r in page2["results"]})
    assert "0912345678" not in json.dumps(data, ensure_ascii=False)
    filtered = client.get(URL, {"q": "rac thai so 1"}).json()
    assert [r["title"] for r in filtered["results"]] == ["Rác thải số 1"]
    case = Case.objects.get(title="Rác thải số 2")
    case_assign(actor=people.leader, case=case, handler=people.handler)
    client.force_login(people.handler)
    mine = client.get(URL, {"mine": "true"}).json()
    assert [r["code"] for r in mine["results"]] == [case.code]
    client.force_login(people.province_leader)
    assert client.get(URL).json()["count"] == 4
    assert client.get(URL, {"unit": "00008"}).json()["count"] == 1
    bad = client.get(URL, {"status": "khong_co"})
    assert bad.status_code == 409 and bad.json()["code"] == "status_invalid"


@pytest.mark.django_db(transaction=True)
def test_concurrent_retries_make_one_case(db: Any) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers: concurrency is exercised on PostgreSQL")
    ensure_reference_data()
    key = str(uuid.uuid4())
    results: list[tuple[int, str]] = []
    barrier = threading.Barrier(4)

    def worker() -> None:
        try:
            barrier.wait()
            response = post(Client(), body(), key)
            results.append((response.status_code, response.json().get("code", "")))
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert {status for status, _ in results} <= {200, 201}
    assert len({code for _, code in results}) == 1
    assert Case.objects.filter(code=results[0][1]).count() == 1
    assert Case.objects.count() == 1


def test_submissions_are_limited_per_ip_but_retries_are_free(client: Client, db: Any, settings: Any) -> None:
    settings.DANVAN_PUBLIC_SUBMIT_PER_IP = 2
    first = post(client, body(), "khoa-thu-1")
    assert first.status_code == 201
    assert post(client, body(title="Đèn đường hỏng trên phố Kim Mã", contact=None)).status_code == 201
    limited = post(client, body(title="Cây đổ chắn lối đi", contact=None))
    assert limited.status_code == 429
    assert limited.json()["code"] == "rate_limited" and "quá nhiều" in limited.json()["detail"]
    # Retrying the first submission with its key answers the same case, limit or not.
    again = post(client, body(), "khoa-thu-1")
    assert (again.status_code, again.json()["code"]) == (200, first.json()["code"])
    assert Case.objects.count() == 2


def test_submissions_are_limited_per_phone(client: Client, db: Any, settings: Any) -> None:
    settings.DANVAN_PUBLIC_SUBMIT_PER_PHONE = 1
    assert post(client, body()).status_code == 201
    assert post(client, body(title="Đèn đường hỏng trên phố Kim Mã")).status_code == 429
