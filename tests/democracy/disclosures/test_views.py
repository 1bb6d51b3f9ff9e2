"""Public board, item page, subscription and question forms, the open API, and officials' pages."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook

from danvan.attachments.models import Attachment
from danvan.cases.models import Case
from danvan.democracy.disclosures import services as s
from danvan.democracy.disclosures.models import DisclosureCategory, DisclosureItem, Subscription

from .conftest import Commune

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 5, 4)
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def _today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: TODAY)


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def post(c: Commune, code: str, title: str, posted_on: dt.date, **kwargs: Any) -> DisclosureItem:
    return s.item_create(actor=c.leader, commune=c.unit, category=DisclosureCategory.objects.get(code=code),
                         title=title, content="Nội dung chi tiết.", posted_on=posted_on, **kwargs).item


@pytest.fixture
def board(commune: Commune) -> dict[str, DisclosureItem]:
    return {
        "land": post(commune, "thu_hoi_dat_tai_dinh_cu", "Phương án bồi thường, tái định cư đường Đội Cấn",
                     dt.date(2026, 4, 1), files=[("phuong-an.pdf", PDF)]),
        "budget": post(commune, "thuc_hien_ngan_sach", "Thực hiện ngân sách quý 1/2026", dt.date(2026, 4, 10),
                       year=2026, quarter=1),
        "old": post(commune, "phi_le_phi", "Mức thu lệ phí chứng thực", dt.date(2025, 3, 1),
                    taken_down_on=dt.date(2025, 4, 30)),
        "later": post(commune, "phi_le_phi", "Thông báo sẽ đăng tuần sau", dt.date(2026, 5, 11)),
    }


def test_public_board_filters_search_and_empty_state(commune: Commune, board: dict[str, DisclosureItem]) -> None:
    client = Client()
    url = f"/dan-chu/cong-khai/{commune.unit.code}/"
    page = client.get(url).content.decode()
    assert board["land"].title in page and board["old"].title in page
    assert board["later"].title not in page  # scheduled for a later day: not public yet
    page = client.get(url, {"trang_thai": "current"}).content.decode()
    assert board["land"].title in page and board["old"].title not in page
    page = client.get(url, {"trang_thai": "archived"}).content.decode()
    assert board["old"].title in page and board["land"].title not in page
    page = client.get(url, {"noi_dung": "thuc_hien_ngan_sach", "nam": "2026"}).content.decode()
    assert board["budget"].title in page and board["land"].title not in page
    page = client.get(url, {"q": "boi thuong doi can"}).content.decode()  # no accents
    assert board["land"].title in page and board["budget"].title not in page
    page = client.get(url, {"q": "không có gì như thế"}).content.decode()
    assert "Không có thông tin công khai nào phù hợp" in page
    assert client.get("/dan-chu/cong-khai/99999/").status_code == 404


def test_empty_board(commune: Commune) -> None:
    page = Client().get(f"/dan-chu/cong-khai/{commune.unit.code}/").content.decode()
    assert "Xã chưa đăng thông tin công khai nào" in page


def test_item_page_with_attachment_and_question(commune: Commune, board: dict[str, DisclosureItem]) -> None:
    client = Client()
    item = board["land"]
    url = f"/dan-chu/cong-khai/{commune.unit.code}/{item.pk}/"
    page = client.get(url).content.decode()
    assert item.title in page and "phuong-an.pdf" in page
    attachment = Attachment.objects.get(object_id=str(item.pk))
    assert f"/dan-chu/cong-khai/tep/{attachment.pk}/" in page
    download = client.get(f"/dan-chu/cong-khai/tep/{attachment.pk}/")
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    assert client.get(f"/dan-chu/cong-khai/{commune.unit.code}/{board['later'].pk}/").status_code == 404

    bad = client.post(url + "hoi/", {"q-kind": "kien_nghi", "q-text": "", "q-name": "Trần Thị Bình"})
    assert bad.status_code == 400 and "Trần Thị Bình" in bad.content.decode()
    done = client.post(url + "hoi/", {"q-kind": "kien_nghi", "q-text": "Khi nào chi trả tiền bồi thường?",
                                      "q-name": "Trần Thị Bình"})
    case = Case.objects.get()
    assert done.status_code == 200 and case.code in done.content.decode()
    staff = _client(commune.leader).get(f"/lam-viec/cong-khai/muc/{item.pk}/").content.decode()
    assert case.code in staff


def test_subscribe_form(commune: Commune) -> None:
    client = Client()
    url = f"/dan-chu/cong-khai/{commune.unit.code}/dang-ky/"
    bad = client.post(url, {"sub-channel": "email", "sub-address": "khong-hop-le"})
    assert bad.status_code == 400 and "khong-hop-le" in bad.content.decode()
    assert client.post(url, {"sub-channel": "email", "sub-address": "an@example.vn"}).status_code == 302
    sub = Subscription.objects.get()
    assert "Đã xác nhận" in client.get(f"/dan-chu/cong-khai/xac-nhan/{sub.token}/").content.decode()
    stop = f"/dan-chu/cong-khai/huy-dang-ky/{sub.token}/"
    assert "Hủy đăng ký" in client.get(stop).content.decode()
    sub.refresh_from_db()
    assert sub.active  # a GET only asks
    client.post(stop)
    sub.refresh_from_db()
    assert not sub.active


def test_api(commune: Commune, board: dict[str, DisclosureItem]) -> None:
    client = Client()
    data = client.get(f"/api/v1/democracy/disclosures/{commune.unit.code}", {"state": "current"}).json()
    assert data["count"] == 2 and {i["title"] for i in data["items"]} == {board["land"].title, board["budget"].title}
    data = client.get(f"/api/v1/democracy/disclosures/{commune.unit.code}", {"q": "le phi", "limit": 1}).json()
    assert [i["id"] for i in data["items"]] == [board["old"].pk]
    item = client.get(f"/api/v1/democracy/disclosures/{commune.unit.code}/items/{board['land'].pk}").json()
    assert item["files"][0]["name"] == "phuong-an.pdf" and item["content"]
    assert client.get(f"/api/v1/democracy/disclosures/{commune.unit.code}/items/{board['later'].pk}").status_code == 404
    assert len(client.get("/api/v1/democracy/disclosures/categories").json()) == 14


def test_staff_compliance_pages_and_exports(commune: Commune, board: dict[str, DisclosureItem]) -> None:
    client = _client(commune.province_leader)
    page = client.get(f"/lam-viec/cong-khai/{commune.unit.code}/", {"nam": "2026"}).content.decode()
    assert "Chưa công khai, đã quá hạn" in page and "Quý 1/2026" in page
    workbook = load_workbook(io.BytesIO(client.get(f"/lam-viec/cong-khai/{commune.unit.code}/xuat-excel/",
                                                   {"nam": "2026"}).content))
    rows = list(workbook.active.iter_rows(min_row=3, values_only=True))
    assert any(r[1].startswith("Dự toán ngân sách") and r[4] == "Chưa công khai, đã quá hạn" for r in rows)

    province = client.get("/lam-viec/cong-khai/tinh/01/", {"nam": "2026"})
    html = province.content.decode()
    assert province.status_code == 200 and commune.unit.name in html and "compliance-chart-data" in html
    sheet = load_workbook(io.BytesIO(client.get("/lam-viec/cong-khai/tinh/01/xuat-excel/").content)).active
    codes = [r[0] for r in sheet.iter_rows(min_row=3, values_only=True)]
    assert commune.unit.code in codes

    index = client.get("/lam-viec/cong-khai/", {"nam": "2026"}).content.decode()
    assert commune.unit.name in index and "/lam-viec/cong-khai/tinh/01/" in index and 'rel="next"' in index
    found = client.get("/lam-viec/cong-khai/", {"nam": "2026", "q": "ba dinh"}).content.decode()
    assert commune.unit.name in found

    outsider = _client(commune.outsider)
    assert outsider.get(f"/lam-viec/cong-khai/{commune.unit.code}/").status_code == 404
    assert outsider.get("/lam-viec/cong-khai/tinh/01/").status_code == 404
    assert outsider.get(f"/lam-viec/cong-khai/muc/{board['land'].pk}/").status_code == 404
    assert Client().get("/lam-viec/cong-khai/").status_code == 302  # sign in first


def test_staff_posts_an_item_with_a_file_and_keeps_input_on_error(commune: Commune) -> None:
    client = _client(commune.intake)
    url = f"/lam-viec/cong-khai/{commune.unit.code}/"
    category = DisclosureCategory.objects.get(code="thuc_hien_ngan_sach")
    form = {"item-category": category.pk, "item-title": "Ngân sách quý I", "item-content": "Thu, chi.",
            "item-year": "2026", "item-quarter": "", "item-posted_on": "2026-04-10"}
    bad = client.post(url, form)
    assert bad.status_code == 400 and "hằng quý" in bad.content.decode() and "Ngân sách quý I" in bad.content.decode()
    done = client.post(url, {**form, "item-quarter": "1",
                             "item-documents": SimpleUploadedFile("bao-cao.pdf", PDF, "application/pdf")})
    item = DisclosureItem.objects.get()
    assert done.status_code == 302 and done["Location"] == f"/lam-viec/cong-khai/muc/{item.pk}/"
    item_url = done["Location"]
    refused = client.post(item_url, {"action": "down", "down-taken_down_on": "2026-04-20", "down-confirm": "on"})
    assert refused.status_code == 400 and "chưa đủ tối thiểu" in refused.content.decode()
    client.post(item_url, {"action": "channel", "channel-kind": "radio", "channel-starts_on": "2026-04-10",
                           "channel-days": "3"})
    assert item.channels.count() == 1


def test_village_head_records_a_relay_through_the_page(commune: Commune, board: dict[str, DisclosureItem]) -> None:
    client = _client(commune.village_head)
    url = f"/lam-viec/cong-khai/muc/{board['land'].pk}/"
    page = client.get(url)
    assert page.status_code == 200 and "Kết thúc công khai" not in page.content.decode()
    response = client.post(url, {"action": "channel", "channel-kind": "meeting", "channel-starts_on": "2026-04-03",
                                 "channel-village": commune.villages[0].pk})
    assert response.status_code == 302 and board["land"].channels.get().village == commune.villages[0]
    s.channel_add(actor=commune.leader, item=board["land"], kind="radio", starts_on=dt.date(2026, 4, 1), days=3)
    public = Client().get(f"/dan-chu/cong-khai/{commune.unit.code}/{board['land'].pk}/").content.decode()
    assert "Tổ dân phố số 1" in public and "3 ngày liên tiếp" in public
    assert "Tổ dân phố số 1" in client.get(url).content.decode()
