"""The officials' intake form (walk-ins, letters, hotline calls) and the printed receipt, with JavaScript off."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from danvan.attachments.models import Attachment
from danvan.cases import services as s
from danvan.cases.models import Case, Channel, DenouncerIdentity, Field, Kind, State
from danvan.units.models import Unit
from tests.cases.conftest import VN, Clock, People, SubmitFn

pytestmark = pytest.mark.django_db

URL = "/lam-viec/tiep-nhan/"


def login(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _token(client: Client) -> str:
    page = client.get(URL)
    assert page.status_code == 200
    return re.search(r'name="token" value="([^"]+)"', page.content.decode()).group(1)


def _payload(client: Client, unit: Unit, field: Field, **overrides: Any) -> dict[str, Any]:
    data = {"token": _token(client), "channel": Channel.WALK_IN, "kind": Kind.FEEDBACK, "instance": "",
            "field": str(field.pk), "commune": unit.code, "commune_q": "", "address": "Ngõ 12 phố Đội Cấn",
            "received_on": "2025-03-03", "received_time": "", "title": "Đèn chiếu sáng ngõ 12 bị hỏng",
            "description": "Toàn bộ đèn chiếu sáng trong ngõ 12 phố Đội Cấn không sáng từ tuần trước.",
            "name": "Trần Thị Bình", "phone": "0912345678", "email": "", "denouncer_address": "", "id_number": ""}
    data.update(overrides)
    return data


def test_only_intake_officers_and_leaders_may_use_the_form(clock: Clock, people: People) -> None:
    assert Client().get(URL).status_code == 302  # to the login page
    for user in (people.handler, people.viewer, people.supervisor, people.citizen):
        assert login(user).get(URL).status_code == 403
    for user in (people.intake, people.leader, people.province_intake):
        page = login(user).get(URL)
        assert page.status_code == 200
        text = page.content.decode()
        assert "Đường dây nóng" in text and "Đơn, thư gửi qua bưu chính" in text and 'value="2025-03-03"' in text


def test_walk_in_feedback_is_recorded_with_its_officer_and_receipt(clock: Clock, people: People, ba_dinh: Unit,
                                                                   field_moi_truong: Field) -> None:
    client = login(people.intake)
    response = client.post(URL, _payload(client, ba_dinh, field_moi_truong, wants_updates="on"))
    assert response.status_code == 302, response.content.decode()
    case = Case.objects.get()
    assert response["Location"] == f"{URL}phieu/{case.code}/"
    assert case.channel == Channel.WALK_IN and case.received_by == people.intake and case.received_at == clock.now
    assert case.submitter_name == "Trần Thị Bình" and case.wants_updates and case.status == State.RECEIVED
    receipt = client.get(response["Location"])
    text = receipt.content.decode()
    assert receipt.status_code == 200
    assert case.code in text and "PHIẾU TIẾP NHẬN" in text and "@media print" in text
    assert case.due_on.strftime("%d/%m/%Y") in text and "Hạn giải quyết" in text and "Phản ánh" in text
    assert "Trần Thị Bình" in text and "http://testserver/phan-anh/tra-cuu/" in text


def test_a_letter_keeps_its_past_receipt_date_but_never_a_future_one(clock: Clock, people: People, ba_dinh: Unit,
                                                                     field_dat_dai: Field) -> None:
    client = login(people.intake)
    future = client.post(URL, _payload(client, ba_dinh, field_dat_dai, channel=Channel.LETTER,
                                       received_on="2025-03-04"))
    assert future.status_code == 400 and "không được ở tương lai" in future.content.decode()
    later_today = client.post(URL, _payload(client, ba_dinh, field_dat_dai, channel=Channel.LETTER,
                                            received_time="17:30"))
    assert later_today.status_code == 400 and "Giờ tiếp nhận không được ở tương lai" in later_today.content.decode()
    assert not Case.objects.exists()
    response = client.post(URL, _payload(client, ba_dinh, field_dat_dai, channel=Channel.LETTER,
                                         kind=Kind.COMPLAINT, instance="1", received_on="24/02/2025"))
    assert response.status_code == 302, response.content.decode()
    case = Case.objects.get()
    assert case.channel == Channel.LETTER and case.kind == Kind.COMPLAINT and case.instance == 1
    assert case.received_at == dt.datetime(2025, 2, 24, 8, 0, tzinfo=VN)
    # A complaint's first deadline is its acceptance, counted from the day the letter arrived.
    assert case.acceptance_due_on is not None and case.acceptance_due_on < dt.date(2025, 3, 10)
    text = client.get(response["Location"]).content.decode()
    assert "Hạn thụ lý" in text and "24/02/2025" in text


def test_legal_rules_apply_complaint_needs_a_name(clock: Clock, people: People, ba_dinh: Unit,
                                                  field_dat_dai: Field) -> None:
    client = login(people.intake)
    response = client.post(URL, _payload(client, ba_dinh, field_dat_dai, kind=Kind.COMPLAINT, name=""))
    assert response.status_code == 400
    text = response.content.decode()
    assert "phải ghi rõ họ tên người khiếu nại" in text and "Toàn bộ đèn chiếu sáng trong ngõ 12" in text
    assert not Case.objects.exists()


def test_denouncer_identity_is_sealed_and_not_on_the_receipt(clock: Clock, people: People, ba_dinh: Unit,
                                                             field_dat_dai: Field) -> None:
    client = login(people.intake)
    data = _payload(client, ba_dinh, field_dat_dai, channel=Channel.HOTLINE, kind=Kind.DENUNCIATION,
                    title="Tố cáo cán bộ địa chính nhận tiền", name="Lê Văn Cường",
                    denouncer_address="Số 5 phố Kim Mã", id_number="001085012345", phone="0987654321")
    response = client.post(URL, data)
    assert response.status_code == 302, response.content.decode()
    case = Case.objects.get()
    assert case.kind == Kind.DENUNCIATION and not case.as_information and case.channel == Channel.HOTLINE
    assert case.submitter_name == case.submitter_phone == ""
    sealed = DenouncerIdentity.objects.get(case=case).sealed
    assert "Lê Văn Cường" not in sealed and "001085012345" not in sealed
    identity = s.denouncer_identity_read(actor=people.leader, case=case, purpose="Kiểm tra tiếp nhận")
    assert identity.name == "Lê Văn Cường" and identity.id_number == "001085012345"
    text = client.get(response["Location"]).content.decode()
    for secret in ("Lê Văn Cường", "Kim Mã", "0987654321", "001085012345"):
        assert secret not in text
    assert "được giữ bí mật" in text and "Hạn thụ lý" in text


def test_anonymous_denunciation_is_recorded_as_information(clock: Clock, people: People, ba_dinh: Unit,
                                                           field_dat_dai: Field) -> None:
    client = login(people.intake)
    response = client.post(URL, _payload(client, ba_dinh, field_dat_dai, kind=Kind.DENUNCIATION, name="",
                                         phone="", title="Tố cáo cán bộ địa chính"))
    assert response.status_code == 302
    case = Case.objects.get()
    assert case.as_information and case.due_on is None
    assert "tiếp nhận làm thông tin" in client.get(response["Location"]).content.decode()


def test_commune_search_is_accent_insensitive_and_limited_to_scope(clock: Clock, people: People, ba_dinh: Unit,
                                                                   ngoc_ha: Unit, hcm_commune: Unit,
                                                                   field_moi_truong: Field) -> None:
    client = login(people.intake)
    page = client.post(URL, _payload(client, ba_dinh, field_moi_truong, commune="", commune_q="ba dinh",
                                     find="1")).content.decode()
    assert f'value="{ba_dinh.code}"' in page and "Toàn bộ đèn chiếu sáng trong ngõ 12" in page
    outside = client.post(URL, _payload(client, ngoc_ha, field_moi_truong))
    assert outside.status_code == 400 and "thuộc phạm vi phụ trách" in outside.content.decode()
    # The province's intake officer records for any commune of the province, not of another one.
    province = login(people.province_intake)
    assert province.post(URL, _payload(province, ngoc_ha, field_moi_truong)).status_code == 302
    assert province.post(URL, _payload(province, hcm_commune, field_moi_truong)).status_code == 400
    assert Case.objects.get().unit == ngoc_ha


def test_duplicate_warning_needs_confirmation_and_keeps_scans(clock: Clock, people: People, ba_dinh: Unit,
                                                              field_moi_truong: Field, submit: SubmitFn,
                                                              settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path
    existing = submit(title="Đèn chiếu sáng ngõ 12 bị hỏng",
                      description="Đèn chiếu sáng trong ngõ 12 phố Đội Cấn không sáng từ tuần trước.")
    client = login(people.intake)
    data = _payload(client, ba_dinh, field_moi_truong, channel=Channel.LETTER)
    data["files"] = [SimpleUploadedFile("don.pdf", b"%PDF-1.4\nban quet don", content_type="application/pdf")]
    first = client.post(URL, data)
    text = first.content.decode()
    assert first.status_code == 200 and Case.objects.count() == 1
    assert "Có hồ sơ đang giải quyết tương tự" in text and existing.code in text
    assert f"/lam-viec/ho-so/{existing.code}/" in text and "Vẫn tạo hồ sơ mới" in text
    assert "don.pdf" in text and "Toàn bộ đèn chiếu sáng trong ngõ 12" in text
    data.pop("files")
    confirmed = client.post(URL, {**data, "confirm_new": "1"})
    assert confirmed.status_code == 302
    case = Case.objects.exclude(pk=existing.pk).get()
    attachment = Attachment.objects.get()
    assert attachment.target == case and attachment.mime_type == "application/pdf"
    # The same form sent again is a replay: no second warning, no second case.
    again = client.post(URL, {**data, "confirm_new": "1"})
    assert again["Location"] == confirmed["Location"] and Case.objects.count() == 2
    assert client.post(URL, data)["Location"] == confirmed["Location"]


def test_bad_scan_is_refused_in_vietnamese_and_the_form_kept(clock: Clock, people: People, ba_dinh: Unit,
                                                             field_moi_truong: Field, settings: Any,
                                                             tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path
    client = login(people.intake)
    data = _payload(client, ba_dinh, field_moi_truong)
    data["files"] = [SimpleUploadedFile("don.docx", b"PK\x03\x04 not a pdf", content_type="application/pdf")]
    response = client.post(URL, data)
    assert response.status_code == 400
    assert "don.docx: Chỉ nhận ảnh JPEG, PNG, WebP hoặc tệp PDF" in response.content.decode()
    assert not Case.objects.exists()


def test_receipt_is_scoped_to_intake_roles(clock: Clock, people: People, submit: SubmitFn) -> None:
    case = submit()
    url = f"{URL}phieu/{case.code}/"
    assert login(people.leader).get(url).status_code == 200
    assert login(people.handler).get(url).status_code == 404
    assert login(people.neighbour_leader).get(url).status_code == 404


def test_workspace_links_to_the_intake_form(clock: Clock, people: People) -> None:
    page = login(people.intake).get("/lam-viec/").content.decode()
    assert 'href="/lam-viec/tiep-nhan/"' in page
