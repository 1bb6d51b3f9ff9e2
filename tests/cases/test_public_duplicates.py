"""Similar open cases shown on the public form: a two-step confirm that keeps the form, and no personal data."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from danvan.attachments.models import Attachment
from danvan.cases.models import Case, Field, Kind
from danvan.cases.services import Submitter
from danvan.units.models import Unit
from tests.cases.conftest import Clock, SubmitFn
from tests.cases.test_public_submit import _payload

pytestmark = pytest.mark.django_db

NOTICE = "Có thể vấn đề này đã được phản ánh"


@pytest.fixture
def existing(clock: Clock, submit: SubmitFn) -> Case:
    return submit(title="Rác thải tập kết trái phép ở ngõ 12 Đội Cấn",
                  description="Rác đổ ở đầu ngõ nhiều ngày chưa được thu gom, ông Nguyễn Văn Hùng báo 0912345678.",
                  submitter=Submitter(name="Phạm Thị Hoa", phone="0909111222", email="hoa@example.vn"))


def test_similar_cases_are_shown_then_confirmed_keeping_the_upload(client: Client, existing: Case, ba_dinh: Unit,
                                                                   field_moi_truong: Field, settings: Any,
                                                                   tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path
    data = _payload(client, ba_dinh, field_moi_truong, phone="0987000111")
    data["files"] = [SimpleUploadedFile("rac.pdf", b"%PDF-1.4\nanh rac", content_type="application/pdf")]
    first = client.post("/phan-anh/gui/", data)
    page = first.content.decode()
    assert first.status_code == 200 and NOTICE in page and "Vẫn gửi phản ánh này" in page
    assert "Rác thải tập kết trái phép ở ngõ 12 Đội Cấn" in page and existing.get_status_display() in page
    # Only public information: no code (it lets its holder reopen), no name, phone or e-mail.
    for secret in (existing.code, "Phạm Thị Hoa", "0909111222", "hoa@example.vn", "Nguyễn Văn Hùng"):
        assert secret not in page
    assert "rac.pdf" in page and "Rác đổ ở đầu ngõ nhiều ngày chưa được thu gom." in page
    assert Case.objects.count() == 1
    data.pop("files")
    confirmed = client.post("/phan-anh/gui/", {**data, "confirm_new": "1"})
    assert confirmed.status_code == 302
    case = Case.objects.exclude(pk=existing.pk).get()
    assert Attachment.objects.get().target == case
    # Sent again after success, the form is a replay: the same case, no new notice.
    assert client.post("/phan-anh/gui/", data)["Location"] == confirmed["Location"]
    assert Case.objects.count() == 2


def test_works_with_javascript_off_and_counts_one_submission(client: Client, existing: Case, ba_dinh: Unit,
                                                             field_moi_truong: Field, settings: Any) -> None:
    settings.DANVAN_PUBLIC_SUBMIT_PER_IP = 1
    data = _payload(client, ba_dinh, field_moi_truong)
    # The notice does not use up the allowance; the confirmed submission does.
    assert NOTICE in client.post("/phan-anh/gui/", data).content.decode()
    assert client.post("/phan-anh/gui/", {**data, "confirm_new": "1"}).status_code == 302
    blocked = client.post("/phan-anh/gui/", {**_payload(client, ba_dinh, field_moi_truong), "confirm_new": "1"})
    assert blocked.status_code == 429


def test_no_notice_for_other_communes_texts_or_kinds(client: Client, existing: Case, ba_dinh: Unit, ngoc_ha: Unit,
                                                     field_moi_truong: Field) -> None:
    assert client.post("/phan-anh/gui/", _payload(client, ngoc_ha, field_moi_truong)).status_code == 302
    other_text = _payload(client, ba_dinh, field_moi_truong, title="Cây xanh đổ chắn lối đi",
                          description="Cây bàng cổ thụ bật gốc sau mưa bão chắn ngang vỉa hè.")
    assert client.post("/phan-anh/gui/", other_text).status_code == 302
    complaint = _payload(client, ba_dinh, field_moi_truong, kind=Kind.COMPLAINT, name="Trần Thị Bình")
    assert client.post("/phan-anh/gui/", complaint).status_code == 302
    assert Case.objects.count() == 4


def test_honeypot_still_wins_before_the_notice(client: Client, existing: Case, ba_dinh: Unit,
                                               field_moi_truong: Field) -> None:
    response = client.post("/phan-anh/gui/", _payload(client, ba_dinh, field_moi_truong, website="http://spam"))
    assert response.status_code == 200 and NOTICE not in response.content.decode()
    assert Case.objects.count() == 1


def test_denunciations_are_never_hinted(client: Client, clock: Clock, submit: SubmitFn, ba_dinh: Unit,
                                        field_moi_truong: Field) -> None:
    submit(kind=Kind.DENUNCIATION)
    assert client.post("/phan-anh/gui/", _payload(client, ba_dinh, field_moi_truong)).status_code == 302
