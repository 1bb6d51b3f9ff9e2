"""Open311 media: media_url of a request's first public photo, the photo served bare, no server-side fetch."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from danvan.accounts.models import Role
from danvan.attachments.models import Attachment
from danvan.attachments.services import attachment_add, file_check
from danvan.cases.models import Case, Channel, Field, Kind
from danvan.cases.services import case_submit
from danvan.open311.services import api_key_create
from danvan.units.models import Unit
from tests.attachments.test_attachments import jpeg_with_gps
from tests.cases.conftest import official

from .support import parse_xml
from .test_georeport import BASE, assert_error, make_case

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media_root(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def key(db: Any) -> str:
    return api_key_create(name="Ứng dụng thử nghiệm")[1]


def _attach(case: Case, content: bytes, name: str = "anh.jpg") -> Attachment:
    return attachment_add(target=case, name=name, checked=file_check(content=content))


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), (0, 128, 0)).save(out, format="PNG")
    return out.getvalue()


def test_requests_carry_the_absolute_url_of_the_first_photo(client: Client, ba_dinh: Unit) -> None:
    with_photo = make_case(ba_dinh)
    _attach(with_photo, b"%PDF-1.4\nkhong phai anh", name="van-ban.pdf")
    first = _attach(with_photo, jpeg_with_gps())
    _attach(with_photo, _png(), name="anh2.png")
    without = make_case(ba_dinh, title="Đèn đường hỏng")
    rows = {r["service_request_id"]: r for r in client.get(BASE + "requests.json").json()}
    url = rows[str(with_photo.pk)]["media_url"]
    assert url == f"http://testserver{BASE}media/{first.pk}.jpg"
    assert rows[str(without.pk)]["media_url"] is None
    [one] = client.get(BASE + f"requests/{with_photo.pk}.json").json()
    assert one["media_url"] == url
    root = parse_xml(client.get(BASE + "requests.xml").content)
    assert url in {r.findtext("media_url") for r in root.iter("request")}
    photo = client.get(url.removeprefix("http://testserver"))
    body = b"".join(photo.streaming_content)
    assert photo.status_code == 200 and photo["Content-Type"] == "image/jpeg"
    assert photo["X-Content-Type-Options"] == "nosniff"
    # Stored bare: no EXIF (camera, GPS) reaches the public.
    assert body.startswith(b"\xff\xd8") and b"Exif" not in body


def test_only_photos_shown_by_a_listed_request_are_served(client: Client, ba_dinh: Unit) -> None:
    listed = make_case(ba_dinh)
    first = _attach(listed, jpeg_with_gps())
    second = _attach(listed, _png(), name="anh2.png")
    complaint = make_case(ba_dinh, kind=Kind.COMPLAINT, title="Khiếu nại thu hồi đất", field="dat_dai")
    private = _attach(complaint, jpeg_with_gps())
    # A letter's scan attached by an intake officer is never public, even on a public feedback case.
    letter = case_submit(kind=Kind.FEEDBACK, channel=Channel.LETTER, unit=ba_dinh,
                         field=Field.objects.get(code="moi_truong"), title="Đơn về rác thải",
                         description="Đơn phản ánh rác thải", actor=official(Role.INTAKE_OFFICER, ba_dinh))
    scan = _attach(letter, jpeg_with_gps())
    assert client.get(BASE + f"media/{first.pk}.jpg").status_code == 200
    assert client.get(BASE + f"media/{first.pk}.png").status_code == 404
    for hidden in (second, private, scan):
        ext = "png" if hidden.mime_type == "image/png" else "jpg"
        assert client.get(BASE + f"media/{hidden.pk}.{ext}").status_code == 404
    assert client.get(BASE + "media/999999.jpg").status_code == 404
    rows = {r["service_request_id"]: r for r in client.get(BASE + "requests.json").json()}
    assert rows[str(letter.pk)]["media_url"] is None


def test_posted_media_url_is_never_fetched_nor_stored(client: Client, key: str, monkeypatch: Any) -> None:
    import socket
    import urllib.request

    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("máy chủ không được tải địa chỉ do ứng dụng gửi")

    monkeypatch.setattr(urllib.request, "urlopen", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    url = "http://169.254.169.254/latest/meta-data/"
    response = client.post(BASE + "requests.json", {
        "api_key": key, "service_code": "moi_truong", "address_id": "00004",
        "description": "Rác thải tồn đọng", "media_url": url})
    assert response.status_code == 201
    [row] = response.json()
    assert "không tải tệp từ media_url" in row["service_notice"]
    case = Case.objects.get()
    assert not Attachment.objects.exists()
    assert url not in f"{case.title} {case.description} {case.address} {case.search_text}"


def test_a_photo_posted_as_a_multipart_media_file_is_checked_and_attached(client: Client, key: str) -> None:
    data = {"api_key": key, "service_code": "moi_truong", "address_id": "00004", "description": "Cống bị tắc"}
    bad = client.post(BASE + "requests.json", {**data, "media": SimpleUploadedFile("a.jpg", b"khong phai anh")})
    assert_error(bad, 400)
    assert "JPEG, PNG, WebP" in bad.json()[0]["description"] and not Case.objects.exists()
    response = client.post(BASE + "requests.json", {**data, "media": SimpleUploadedFile("a.jpg", jpeg_with_gps())})
    assert response.status_code == 201
    case = Case.objects.get()
    attachment = Attachment.objects.get()
    assert attachment.target == case and b"Exif" not in attachment.file.open("rb").read()
    [one] = client.get(BASE + f"requests/{case.pk}.json").json()
    assert one["media_url"].endswith(f"media/{attachment.pk}.jpg")
