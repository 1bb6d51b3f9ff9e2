"""The officials' and public pages: forms that keep input, scope, exports, evidence, the open API."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook

from danvan.democracy.oversight import services as s
from danvan.democracy.oversight.models import BoardMember, Commitment, CommitmentStatus, RecommendationStatus
from tests.attachments.test_attachments import jpeg_with_gps

from .conftest import Commune

pytestmark = pytest.mark.django_db


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_member_added_through_the_page_and_shown_publicly_without_phone(commune: Commune) -> None:
    client = _client(commune.front)
    url = f"/lam-viec/giam-sat/{commune.unit.code}/"
    response = client.post(url + "them/member/", {
        "member-board": commune.inspection.pk, "member-full_name": "Phạm Thị Hoà",
        "member-village": commune.villages[1].pk, "member-role": "truong_ban", "member-phone": "0912345678",
        "member-joined_on": "2026-01-05"})
    assert response.status_code == 302
    page = client.get(url).content.decode()
    # Names are stored with the traditional tone placement, whatever the keyboard typed.
    assert "Phạm Thị Hòa" in page and "0912345678" in page  # officials see the phone
    public = Client().get(f"/dan-chu/giam-sat/{commune.unit.code}/").content.decode()
    assert "Phạm Thị Hòa" in public and "Trưởng ban" in public
    assert "0912345678" not in public
    assert "Ban mới có 1 thành viên, chưa đủ tối thiểu 5 thành viên." in public
    api = Client().get(f"/api/v1/democracy/oversight/{commune.unit.code}").json()
    assert "0912345678" not in str(api)
    assert api["boards"][0]["members"][0]["full_name"] == "Phạm Thị Hòa"


def test_invalid_form_keeps_what_was_typed(commune: Commune) -> None:
    client = _client(commune.front)
    response = client.post(f"/lam-viec/giam-sat/{commune.unit.code}/them/member/", {
        "member-board": commune.inspection.pk, "member-full_name": "Đỗ Văn Long",
        "member-role": "thanh_vien", "member-joined_on": "2026-01-05"})  # no village
    assert response.status_code == 400
    body = response.content.decode()
    assert "Đỗ Văn Long" in body and "Trường này là bắt buộc." in body
    assert not BoardMember.objects.exists()


def test_domain_refusal_is_shown_on_the_form(commune: Commune) -> None:
    s.board_member_add(actor=commune.front, board=commune.inspection, full_name="Lê Văn Trưởng",
                       village=commune.villages[0], role="truong_ban")
    client = _client(commune.front)
    response = client.post(f"/lam-viec/giam-sat/{commune.unit.code}/them/member/", {
        "member-board": commune.inspection.pk, "member-full_name": "Đỗ Văn Long",
        "member-village": commune.villages[1].pk, "member-role": "truong_ban", "member-joined_on": "2026-01-05"})
    assert response.status_code == 400
    body = response.content.decode()
    assert "Ban đã có Trưởng ban." in body and "Đỗ Văn Long" in body


def test_roles_without_the_right_see_no_form_and_are_refused(commune: Commune) -> None:
    client = _client(commune.handler)  # a handler may not manage boards
    assert "member-form" not in client.get(f"/lam-viec/giam-sat/{commune.unit.code}/").content.decode()
    response = client.post(f"/lam-viec/giam-sat/{commune.unit.code}/them/member/", {
        "member-board": commune.inspection.pk, "member-full_name": "Đỗ Văn Long",
        "member-village": commune.villages[0].pk, "member-role": "thanh_vien", "member-joined_on": "2026-01-05"})
    assert response.status_code == 400
    assert not BoardMember.objects.exists()


def test_outsider_gets_404_and_citizens_are_sent_to_login(commune: Commune) -> None:
    rec = s.recommendation_send(actor=commune.board_member, board=commune.inspection, text="Kiến nghị về chợ")
    outsider = _client(commune.outsider)
    assert outsider.get(f"/lam-viec/giam-sat/{commune.unit.code}/").status_code == 404
    assert outsider.get(f"/lam-viec/giam-sat/kien-nghi/{rec.pk}/").status_code == 404
    assert Client().get("/lam-viec/giam-sat/").status_code == 302


def test_leader_answers_and_the_board_closes_through_the_pages(commune: Commune) -> None:
    rec = s.recommendation_send(actor=commune.board_member, board=commune.inspection,
                                text="Đề nghị sửa cống thoát nước tổ 2")
    url = f"/lam-viec/giam-sat/kien-nghi/{rec.pk}/"
    leader = _client(commune.leader)
    assert "answer-form" in leader.get(url).content.decode()
    assert leader.post(url + "?do=answer", {"answer-answer": "Sẽ sửa trong quý II"}).status_code == 302
    board = _client(commune.board_member)
    page = board.get(url).content.decode()
    assert "answer-form" not in page and "close-form" in page
    assert board.post(url + "?do=close", {"close-note": "Đã sửa xong cống"}).status_code == 302
    rec.refresh_from_db()
    assert rec.status == RecommendationStatus.CLOSED
    public = Client().get(f"/dan-chu/giam-sat/{commune.unit.code}/").content.decode()
    assert "Sẽ sửa trong quý II" in public and "Đã sửa xong cống" in public


def test_commitment_update_with_evidence_photo_is_public(commune: Commune, settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path
    c = s.commitment_create(actor=commune.leader, unit=commune.unit, title="Làm lại vỉa hè phố Đội Cấn",
                            source_kind="dialogue", responsible="UBND phường", due_on=dt.date(2030, 1, 1))
    client = _client(commune.handler)
    photo = io.BytesIO(jpeg_with_gps())
    photo.name = "via-he.jpg"
    response = client.post(f"/lam-viec/giam-sat/cam-ket/{c.pk}/?do=update", {
        "update-reported_on": "2026-02-01", "update-progress_percent": "100",
        "update-note": "Đã hoàn thành 300 m vỉa hè", "update-evidence": [photo]})
    assert response.status_code == 302
    c.refresh_from_db()
    assert c.status == CommitmentStatus.DONE
    page = Client().get(f"/dan-chu/giam-sat/{commune.unit.code}/cam-ket/{c.pk}/").content.decode()
    assert "Đã hoàn thành 300 m vỉa hè" in page and "via-he.jpg" in page
    attachment_url = page.split('href="/dan-chu/giam-sat/tep/')[1].split('"')[0]
    served = Client().get(f"/dan-chu/giam-sat/tep/{attachment_url}")
    assert served.status_code == 200 and served["Content-Type"] == "image/jpeg"
    content = b"".join(served.streaming_content)
    assert b"GPS" not in content and "Máy ảnh riêng".encode() not in content  # metadata stripped


def test_only_evidence_files_are_served(commune: Commune, settings: Any, tmp_path: Any) -> None:
    from danvan.attachments.services import attachment_add, file_check

    settings.MEDIA_ROOT = tmp_path
    rec = s.recommendation_send(actor=commune.board_member, board=commune.inspection, text="Kiến nghị")
    other = attachment_add(target=rec, name="noi-bo.jpg", checked=file_check(content=jpeg_with_gps()))
    assert Client().get(f"/dan-chu/giam-sat/tep/{other.pk}/").status_code == 404


def test_commitment_search_is_accent_insensitive(commune: Commune) -> None:
    s.commitment_create(actor=commune.leader, unit=commune.unit, title="Sửa đường Hoàng Hoa Thám",
                        source_kind="other", responsible="UBND phường", due_on=dt.date(2030, 1, 1))
    s.commitment_create(actor=commune.leader, unit=commune.unit, title="Trồng cây xanh",
                        source_kind="other", responsible="UBND phường", due_on=dt.date(2030, 1, 1))
    page = Client().get(f"/dan-chu/giam-sat/{commune.unit.code}/", {"q": "duong hoang"}).content.decode()
    assert "Sửa đường Hoàng Hoa Thám" in page and "Trồng cây xanh" not in page


def test_workbook_export(commune: Commune) -> None:
    s.recommendation_send(actor=commune.board_member, board=commune.inspection,
                          text="Công khai quỹ phòng chống thiên tai")
    s.commitment_create(actor=commune.leader, unit=commune.unit, title="Nâng cấp nhà văn hoá tổ 3",
                        source_kind="decision", responsible="UBND phường", due_on=dt.date(2030, 1, 1))
    response = _client(commune.leader).get(f"/lam-viec/giam-sat/{commune.unit.code}/xuat-excel/")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["Kiến nghị", "Công trình", "Cam kết"]
    assert book["Kiến nghị"]["C3"].value == "Công khai quỹ phòng chống thiên tai"
    assert book["Cam kết"]["A3"].value == "Nâng cấp nhà văn hóa tổ 3"
    assert Commitment.objects.count() == 1


def test_public_index_finds_communes_without_accents(commune: Commune) -> None:
    page = Client().get("/dan-chu/giam-sat/", {"q": "ba dinh"}).content.decode()
    assert f'/dan-chu/giam-sat/{commune.unit.code}/' in page
    assert Client().get("/dan-chu/giam-sat/99999/").status_code == 404


def test_staff_index_lists_communes_in_scope_with_counts(commune: Commune) -> None:
    rec = s.recommendation_send(actor=commune.board_member, board=commune.inspection, text="Kiến nghị",
                                sent_on=dt.date(2025, 1, 1))
    assert rec.answer_due_on < timezone.localdate()
    page = _client(commune.leader).get("/lam-viec/giam-sat/").content.decode()
    assert commune.unit.name in page and '<strong class="overdue">1</strong>' in page


def test_report_document_in_decree_30_layout(commune: Commune) -> None:
    from docx import Document

    s.recommendation_send(actor=commune.board_member, board=commune.inspection, text="Đề nghị công khai quỹ")
    response = _client(commune.leader).get(f"/lam-viec/giam-sat/{commune.unit.code}/xuat-word/")
    assert response.status_code == 200
    document = Document(io.BytesIO(response.content))
    texts = [p.text for p in document.paragraphs]
    assert "BÁO CÁO" in texts and "II. CÔNG TRÌNH" in texts
    heading = [p.text for p in document.tables[0].rows[0].cells[0].paragraphs]
    assert heading[:2] == ["ỦY BAN NHÂN DÂN THÀNH PHỐ HÀ NỘI", "ỦY BAN NHÂN DÂN PHƯỜNG BA ĐÌNH"]
    recommendations = document.tables[1]
    assert recommendations.rows[1].cells[3].text == "Đề nghị công khai quỹ"
    assert _client(commune.outsider).get(f"/lam-viec/giam-sat/{commune.unit.code}/xuat-word/").status_code == 404
