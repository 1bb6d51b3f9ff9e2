"""The public submission form, driven with plain POSTs as a browser with JavaScript off would."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from danvan.cases.models import Case, DenouncerIdentity, Field, Kind
from danvan.units.models import Unit


def _token(client: Client) -> str:
    page = client.get("/phan-anh/gui/")
    assert page.status_code == 200
    return re.search(r'name="token" value="([^"]+)"', page.content.decode()).group(1)


def _payload(client: Client, unit: Unit, field: Field, **overrides: Any) -> dict[str, Any]:
    data = {"token": _token(client), "kind": Kind.FEEDBACK, "field": str(field.pk), "commune": unit.code,
            "commune_q": "", "address": "Ngõ 12 phố Đội Cấn", "title": "Rác thải tập kết trái phép",
            "description": "Rác đổ ở đầu ngõ nhiều ngày chưa được thu gom.", "name": "", "phone": "",
            "email": "", "website": ""}
    data.update(overrides)
    return data


def test_form_works_without_javascript(client: Client, ba_dinh: Unit, field_moi_truong: Field) -> None:
    page = client.get("/phan-anh/gui/").content.decode()
    assert "Tố cáo" in page and "giữ bí mật" in page
    response = client.post("/phan-anh/gui/", _payload(client, ba_dinh, field_moi_truong, phone="0912345678",
                                                        wants_updates="on"))
    assert response.status_code == 302
    case = Case.objects.get()
    assert case.unit == ba_dinh and case.channel == "web" and case.wants_updates
    assert case.submitter_phone == "0912345678"
    done = client.get(response["Location"]).content.decode()
    assert case.code in done and case.due_on.strftime("%d/%m/%Y") in done


def test_commune_search_without_javascript_keeps_what_was_typed(client: Client, ba_dinh: Unit,
                                                               field_moi_truong: Field) -> None:
    data = _payload(client, ba_dinh, field_moi_truong, commune="", commune_q="ba dinh", find="1")
    page = client.post("/phan-anh/gui/", data).content.decode()
    assert f'value="{ba_dinh.code}"' in page and "Rác đổ ở đầu ngõ nhiều ngày" in page
    assert not Case.objects.exists()


def test_errors_are_vietnamese_and_keep_the_typed_text(client: Client, ba_dinh: Unit,
                                                        field_moi_truong: Field) -> None:
    data = _payload(client, ba_dinh, field_moi_truong, title="", wants_updates="on")
    response = client.post("/phan-anh/gui/", data)
    page = response.content.decode()
    assert response.status_code == 400
    assert "Hãy ghi tiêu đề." in page and "hãy cho biết số điện thoại hoặc thư điện tử" in page
    assert "Rác đổ ở đầu ngõ nhiều ngày chưa được thu gom." in page and "Ngõ 12 phố Đội Cấn" in page
    assert not Case.objects.exists()
    missing_commune = client.post("/phan-anh/gui/", _payload(client, ba_dinh, field_moi_truong, commune=""))
    assert missing_commune.status_code == 400 and "Hãy chọn xã, phường, đặc khu" in missing_commune.content.decode()


def test_honeypot_records_nothing(client: Client, ba_dinh: Unit, field_moi_truong: Field) -> None:
    response = client.post("/phan-anh/gui/", _payload(client, ba_dinh, field_moi_truong, website="http://spam"))
    assert response.status_code == 200
    assert not Case.objects.exists()


def test_double_submit_makes_one_case(client: Client, ba_dinh: Unit, field_moi_truong: Field) -> None:
    data = _payload(client, ba_dinh, field_moi_truong)
    first = client.post("/phan-anh/gui/", data)
    second = client.post("/phan-anh/gui/", data)
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    assert Case.objects.count() == 1


def test_rate_limit_per_ip_and_per_phone(client: Client, ba_dinh: Unit, field_moi_truong: Field,
                                         settings: Any) -> None:
    settings.DANVAN_PUBLIC_SUBMIT_PER_IP = 2
    settings.DANVAN_PUBLIC_SUBMIT_PER_PHONE = 1
    assert client.post("/phan-anh/gui/", _payload(client, ba_dinh, field_moi_truong)).status_code == 302
    # The same text again: the citizen confirms past the similar-case notice.
    assert client.post("/phan-anh/gui/", _payload(client, ba_dinh, field_moi_truong, confirm_new="1",
                                                  phone="0912 345 678")).status_code == 302
    blocked = client.post("/phan-anh/gui/", _payload(client, ba_dinh, field_moi_truong))
    assert blocked.status_code == 429 and "quá nhiều lần" in blocked.content.decode()
    # Another IP with the same phone number is refused too.
    other = Client(REMOTE_ADDR="10.0.0.9")
    by_phone = other.post("/phan-anh/gui/", _payload(other, ba_dinh, field_moi_truong, phone="0912345678"))
    assert by_phone.status_code == 429
    assert other.post("/phan-anh/gui/", _payload(other, ba_dinh, field_moi_truong,
                                                 confirm_new="1")).status_code == 302
    assert Case.objects.count() == 3


def test_denouncer_identity_is_sealed_not_on_the_case(client: Client, ba_dinh: Unit,
                                                      field_dat_dai: Field) -> None:
    data = _payload(client, ba_dinh, field_dat_dai, kind=Kind.DENUNCIATION, name="Lê Văn Cường",
                    denouncer_address="Số 5 phố Kim Mã", phone="0987654321")
    response = client.post("/phan-anh/gui/", data)
    assert response.status_code == 302
    case = Case.objects.get()
    assert case.kind == Kind.DENUNCIATION and not case.as_information
    assert case.submitter_name == case.submitter_phone == ""
    sealed = DenouncerIdentity.objects.get(case=case).sealed
    assert "Lê Văn Cường" not in sealed and "0987654321" not in sealed
    for url in (response["Location"], f"/phan-anh/{case.code}/"):
        page = client.get(url).content.decode()
        assert "Lê Văn Cường" not in page and "0987654321" not in page and "Kim Mã" not in page


def test_a_new_search_replaces_the_earlier_commune(client: Client, ba_dinh: Unit, ngoc_ha: Unit,
                                                   field_moi_truong: Field) -> None:
    data = _payload(client, ba_dinh, field_moi_truong, commune_q="ngoc ha", find="1")
    page = client.post("/phan-anh/gui/", data).content.decode()
    assert f'value="{ngoc_ha.code}"' in page and f'value="{ba_dinh.code}"' not in page


def test_uploads_are_kept_across_errors_and_attached(client: Client, ba_dinh: Unit, field_moi_truong: Field,
                                                     settings: Any, tmp_path: Any) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from danvan.attachments.models import Attachment
    from tests.attachments.test_attachments import jpeg_with_gps

    settings.MEDIA_ROOT = tmp_path
    data = _payload(client, ba_dinh, field_moi_truong, title="", share_location="on")
    data["files"] = [SimpleUploadedFile("anh.jpg", jpeg_with_gps(), content_type="image/jpeg"),
                     SimpleUploadedFile("gia.jpg", b"khong phai anh", content_type="image/jpeg")]
    page = client.post("/phan-anh/gui/", data)
    text = page.content.decode()
    assert page.status_code == 400
    assert "gia.jpg: Chỉ nhận ảnh JPEG, PNG, WebP hoặc tệp PDF" in text and "anh.jpg" in text
    data.pop("files")
    data["title"] = "Rác thải tập kết trái phép"
    assert client.post("/phan-anh/gui/", data).status_code == 302
    case = Case.objects.get()
    attachment = Attachment.objects.get()
    assert attachment.target == case and attachment.mime_type == "image/jpeg"
    assert b"Exif" not in attachment.file.open("rb").read()
    # The citizen agreed: the photo's location becomes the case's place.
    assert case.latitude == pytest.approx(21.0333, abs=1e-3) and case.longitude == pytest.approx(105.8167, abs=1e-3)


def test_place_typed_or_picked_on_the_map(client: Client, ba_dinh: Unit, field_moi_truong: Field,
                                          settings: Any) -> None:
    settings.DANVAN_MAP_TILES = "http://tiles.local/{z}/{x}/{y}.png"
    page = client.get("/phan-anh/gui/").content.decode()
    assert 'data-tiles="http://tiles.local/{z}/{x}/{y}.png"' in page and "leaflet.js" in page
    outside = client.post("/phan-anh/gui/", _payload(client, ba_dinh, field_moi_truong, latitude="48.85",
                                                     longitude="2.35"))
    assert outside.status_code == 400 and "lãnh thổ Việt Nam" in outside.content.decode()
    assert client.post("/phan-anh/gui/", _payload(client, ba_dinh, field_moi_truong, latitude="21.0341",
                                                  longitude="105.8372")).status_code == 302
    case = Case.objects.get()
    assert (case.latitude, case.longitude) == (21.0341, 105.8372)
