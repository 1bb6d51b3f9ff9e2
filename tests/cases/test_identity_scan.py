"""A denouncer's identity never leaks: every page, API route and Open311 route of the project,
discovered automatically from the URL resolver and the OpenAPI document, is requested by an
anonymous visitor, the handler and the leader of the denounced unit and an administrator, and
every notification in the outbox is read; none may contain the sealed name, phone, e-mail or
ID number. New routes are covered without touching this test."""

from __future__ import annotations

import itertools
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from danvan.cases import services as s
from danvan.cases.models import Case, Kind
from danvan.cases.services import Denouncer
from danvan.notifications.models import Outbox
from danvan.units.models import Unit
from tests.factories import UserFactory

from .conftest import Clock, People, SubmitFn

pytestmark = pytest.mark.django_db

NAME = "Hoàng Thị Tố Giác Xuyên"
PHONE = "0977123456"
EMAIL = "to.giac.xuyen@example.vn"
ID_NUMBER = "038199001234"
ADDRESS = "Số 77 ngõ Bí Mật"
SECRETS = (NAME, PHONE, EMAIL, ID_NUMBER, ADDRESS)
# JSON may escape non-ASCII text: look for that spelling too.
NEEDLES = tuple({*SECRETS, *(json.dumps(v)[1:-1] for v in SECRETS)})

_PARAM = re.compile(r"<(?:\w+:)?(\w+)>|\(\?P<(\w+)>[^)]*\)")


def _templates(resolver: URLResolver, prefix: str = "") -> Iterator[str]:
    for pattern in resolver.url_patterns:
        text = prefix + str(pattern.pattern).lstrip("^").rstrip("$")
        if isinstance(pattern, URLResolver):
            yield from _templates(pattern, text)
        elif isinstance(pattern, URLPattern):
            yield text


def _urls(template: str, values: dict[str, list[str]]) -> list[str]:
    names = [a or b for a, b in _PARAM.findall(template)]
    skeleton = _PARAM.sub("\x00", template).replace("\\.", ".").replace("\\", "")
    options = [values.get(name, ["1"]) for name in names]
    urls = []
    for combo in itertools.product(*options):
        parts = skeleton.split("\x00")
        url = parts[0] + "".join(str(v) + rest for v, rest in zip(combo, parts[1:], strict=True))
        urls.append("/" + url)
    return urls


def _assert_clean(where: str, text: str) -> None:
    for needle in NEEDLES:
        assert needle not in text, f"{where} lộ thông tin người tố cáo ({needle!r})"


@pytest.fixture
def denunciation(people: People, submit: SubmitFn, clock: Clock, settings: Any, tmp_path: Path,
                 django_capture_on_commit_callbacks: Any) -> Case:
    settings.DATA_DIR = tmp_path
    with django_capture_on_commit_callbacks(execute=True):
        case = submit(kind=Kind.DENUNCIATION, wants_updates=True,
                      denouncer=Denouncer(name=NAME, address=ADDRESS, phone=PHONE, email=EMAIL, id_number=ID_NUMBER))
        case = s.case_accept(actor=people.leader, case=case)
        case = s.case_assign(actor=people.leader, case=case, handler=people.handler)
    return case


def test_identity_never_appears_anywhere(denunciation: Case, people: People, ba_dinh: Unit) -> None:
    case = denunciation
    identity = case.denouncer_identity
    values = {
        "code": [case.code, ba_dinh.code, "01", case.field.code], "request_id": [case.code, str(case.pk)],
        "object_id": [str(case.pk), str(identity.pk)], "pk": [str(case.pk)], "id": [str(case.pk)],
        "fmt": ["json", "xml"], "app_label": ["cases"], "content_type_id": ["1"],
    }
    admin = UserFactory(username="quantri", is_staff=True, is_superuser=True)
    visitors: list[tuple[str, Any]] = [("ẩn danh", None), ("cán bộ xử lý", people.handler),
                                       ("lãnh đạo", people.leader), ("quản trị", admin)]
    urls = sorted({url for template in _templates(get_resolver()) for url in _urls(template, values)})
    assert any(case.code in url for url in urls)  # the case's own pages are among them

    schema_client = Client()
    schema = schema_client.get("/api/v1/openapi.json").json()
    for route, operations in schema["paths"].items():
        if "get" in operations:
            urls.extend(_urls(route.lstrip("/").replace("{", "<").replace("}", ">"), values))
    assert any(u.startswith("/api/v1/cases/") and case.code in u for u in urls)

    requested = 0
    for label, user in visitors:
        # A third-party admin view answering 500 for a made-up id must not stop the scan.
        client = Client(raise_request_exception=False)
        if user is not None:
            client.force_login(user)
        for url in urls:
            if "logout" in url or "dang-xuat" in url:
                continue
            response = client.get(url)
            requested += 1
            body = b"".join(response.streaming_content) if response.streaming else response.content
            _assert_clean(f"{url} ({label}, {response.status_code})", body.decode("utf-8", "replace"))
    assert requested > 100

    rows = list(Outbox.objects.values_list("recipient", "subject", "body"))
    assert rows  # the officials' notifications exist and were scanned
    for recipient, subject, body in rows:
        _assert_clean(f"thông báo gửi {recipient}", f"{recipient}\n{subject}\n{body}")
