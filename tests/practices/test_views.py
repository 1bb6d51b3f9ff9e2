"""Pages: the public gallery and model page, the officials' pages, forms and refusals."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from docx import Document
from openpyxl import load_workbook
from PIL import Image

from danvan.practices.models import Appraisal, Commendation, Indicator, Practice, Replication, State
from danvan.practices.selectors import practice_photos
from danvan.practices.services import indicator_add, indicator_value_record, practice_attach, replication_record
from danvan.practices.workflow import practice_transition
from danvan.units.models import OrganisationKind

from .conftest import certified, field, full_scores, make_practice

pytestmark = pytest.mark.django_db

GALLERY = "/dan-van-kheo/"
STAFF = "/lam-viec/dan-van-kheo/"


def login(client: Client, user: Any) -> Client:
    client.force_login(user)
    return client


def jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 30, 30)).save(out, format="JPEG")
    return out.getvalue()


def test_urls() -> None:
    assert reverse("practices_public:gallery") == GALLERY
    assert reverse("practices_staff:index") == STAFF


def test_gallery_search_filters_and_empty_state(client: Client, people, ba_dinh, ngoc_ha) -> None:
    response = client.get(GALLERY)
    assert response.status_code == 200
    assert "Chưa có mô hình “Dân vận khéo” nào được công nhận." in response.content.decode()
    wanted = certified(people, ba_dinh)
    certified(people, ngoc_ha, registrar=people.neighbour_supervisor, leader=people.neighbour_leader,
              panel=people.neighbour_supervisor, name="Bữa cơm nghĩa tình", field_code="van-hoa-xa-hoi")
    make_practice(people.supervisor, ba_dinh, name="Tủ sách cộng đồng")
    page = client.get(GALLERY).content.decode()
    assert "Dân vận khéo trong giải phóng mặt bằng" in page and "Bữa cơm nghĩa tình" in page
    assert "Tủ sách cộng đồng" not in page  # registered only: not public
    page = client.get(GALLERY, {"q": "dan van kheo"}).content.decode()
    assert reverse("practices_public:detail", args=[wanted.pk]) in page and "Bữa cơm nghĩa tình" not in page
    page = client.get(GALLERY, {"field": "van-hoa-xa-hoi", "unit": "01", "year": "2024", "level": "xa"}).content
    assert "Bữa cơm nghĩa tình" in page.decode() and "giải phóng mặt bằng" not in page.decode()
    # The form shows the filters in use, each select labelled.
    text = page.decode()
    for select, value in (("gallery-field", "van-hoa-xa-hoi"), ("gallery-year", "2024"), ("gallery-level", "xa")):
        assert f'<label for="{select}">' in text
        options = text.split(f'<select id="{select}"', 1)[1].split("</select>", 1)[0]
        assert f'<option value="{value}" selected>' in options and options.count(" selected") == 1
    page = client.get(GALLERY, {"q": "khong co mo hinh nao"}).content.decode()
    assert "Không tìm thấy mô hình nào phù hợp." in page
    # Bad filter values are ignored, never an error.
    assert client.get(GALLERY, {"year": "abc", "unit": "x", "page": "-3", "level": "z"}).status_code == 200


def test_gallery_pages(client: Client, people, ba_dinh) -> None:
    practice = certified(people, ba_dinh)
    for n in range(25):
        Practice.objects.create(name=f"Mô hình số {n}", field=practice.field, unit=ba_dinh, unit_path=ba_dinh.path,
                                province=practice.province, year=2024, status=State.CERTIFIED,
                                search_text=f" mo hinh so {n}")
    page = client.get(GALLERY).content.decode()
    assert "Trang 1/2" in page and 'rel="next"' in page
    assert "Trang 2/2" in client.get(GALLERY, {"page": 2}).content.decode()


def test_public_page(client: Client, people, ba_dinh, ngoc_ha) -> None:
    practice = certified(people, ba_dinh, latitude=21.035, longitude=105.83)
    indicator = indicator_add(actor=people.supervisor, practice=practice, name="Số hộ tham gia", measure="hộ")
    indicator_value_record(actor=people.supervisor, indicator=indicator, on=dt.date(2024, 12, 31), value=1200)
    practice_attach(actor=people.supervisor, practice=practice, files=[("anh.jpg", jpeg())])
    replica = certified(people, ngoc_ha, registrar=people.neighbour_supervisor, leader=people.neighbour_leader,
                        panel=people.neighbour_supervisor, latitude=21.04, longitude=105.82)
    replication_record(actor=people.neighbour_supervisor, source=practice, replica=replica)
    response = client.get(reverse("practices_public:detail", args=[practice.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Vận động Nhân dân cùng bàn, cùng làm." in page
    assert "1.200 hộ" in page and "31/12/2024" in page
    assert 'id="practice-chart-data"' in page and "vendor/chart.js/dist/chart.umd.min.js" in page
    assert 'id="practice-map-points"' in page and "vendor/leaflet/dist/leaflet.js" in page
    assert "Phường Ngọc Hà" in page  # the replica in the family tree
    assert "Quyết định số 12/QĐ-UBND" in page
    photo = practice_photos(practice=practice).get()
    image = client.get(reverse("practices_public:photo", args=[practice.pk, photo.pk]))
    assert image.status_code == 200 and image["Content-Type"] == "image/jpeg"
    thumb = client.get(reverse("practices_public:photo", args=[practice.pk, photo.pk]), {"size": "thumb"})
    assert thumb.status_code == 200
    draft = make_practice(people.supervisor, ba_dinh, name="Tủ sách cộng đồng")
    assert client.get(reverse("practices_public:detail", args=[draft.pk])).status_code == 404
    assert client.get(reverse("practices_public:photo", args=[replica.pk, photo.pk])).status_code == 404


def test_staff_pages_need_an_official(client: Client, people, ba_dinh) -> None:
    response = client.get(STAFF)
    assert response.status_code == 302 and "/tai-khoan/" in response["Location"]
    login(client, people.citizen)
    assert client.get(STAFF).status_code == 403
    practice = make_practice(people.supervisor, ba_dinh)
    login(client, people.neighbour_supervisor)
    assert client.get(reverse("practices_staff:detail", args=[practice.pk])).status_code == 404
    assert client.get(reverse("practices_staff:edit", args=[practice.pk])).status_code == 404


def test_register_through_the_form(client: Client, people, ba_dinh, ngoc_ha) -> None:
    login(client, people.supervisor)
    page = client.get(reverse("practices_staff:register")).content.decode()
    assert "Phường Ba Đình" in page and "Phường Ngọc Hà" not in page  # only units in scope
    form = {"name": "Camera an ninh khu dân cư", "kind": "tap_the", "field": field("quoc-phong-an-ninh").pk,
            "unit": ba_dinh.pk, "year": "2025", "participants": "120", "description": "Lắp camera.",
            "organisations": [OrganisationKind.FATHERLAND_FRONT], "latitude": "21.03", "longitude": ""}
    response = client.post(reverse("practices_staff:register"), form)
    assert response.status_code == 400
    page = response.content.decode()
    assert "Hãy nhập cả vĩ độ và kinh độ" in page and "Camera an ninh khu dân cư" in page  # what was typed stays
    response = client.post(reverse("practices_staff:register"), {**form, "village": "Thôn không có"})
    assert "Không có thôn, tổ dân phố tên" in response.content.decode()
    response = client.post(reverse("practices_staff:register"), {**form, "longitude": "105.84"})
    practice = Practice.objects.get(name="Camera an ninh khu dân cư")
    assert response.status_code == 302 and response["Location"] == reverse("practices_staff:detail",
                                                                           args=[practice.pk])
    assert practice.registered_by == people.supervisor
    assert [o.kind for o in practice.organisations.all()] == [OrganisationKind.FATHERLAND_FRONT]
    # A unit outside the scope is not a choice.
    response = client.post(reverse("practices_staff:register"), {**form, "unit": ngoc_ha.pk})
    assert response.status_code == 400 and "không thuộc phạm vi phụ trách" in response.content.decode()


def test_workflow_through_the_pages(client: Client, people, ba_dinh) -> None:
    practice = make_practice(people.supervisor, ba_dinh)
    login(client, people.supervisor)
    detail = reverse("practices_staff:detail", args=[practice.pk])
    assert "Đưa ra thẩm định" in client.get(detail).content.decode()
    client.post(reverse("practices_staff:transition", args=[practice.pk, "submit"]))
    assert Practice.objects.get(pk=practice.pk).status == State.APPRAISING
    form = {f"score_{pk}": str(score) for pk, score in full_scores(8).items()}
    response = client.post(reverse("practices_staff:appraise", args=[practice.pk]), {**form, next(iter(form)): "99"})
    assert response.status_code == 400 and "Tối đa" in response.content.decode()
    response = client.post(reverse("practices_staff:appraise", args=[practice.pk]), {**form, "comment": "Tốt."})
    assert response.status_code == 302 and Appraisal.objects.get(practice=practice).comment == "Tốt."
    # The Front may not certify: the page refuses with the service's message.
    certify = reverse("practices_staff:certify", args=[practice.pk])
    data = {"level": "xa", "decision_number": "20/QĐ-UBND", "decided_on": "2025-03-01",
            "body": "Ủy ban nhân dân phường Ba Đình"}
    response = client.post(certify, data)
    assert response.status_code == 400 and "không có quyền" in response.content.decode()
    login(client, people.leader)
    response = client.post(certify, {**data, "decided_on": "31/02/2025"})
    assert response.status_code == 400 and "Ngày không hợp lệ" in response.content.decode()
    assert client.post(certify, data).status_code == 302
    assert Practice.objects.get(pk=practice.pk).status == State.CERTIFIED
    commend = reverse("practices_staff:commend", args=[practice.pk])
    assert client.post(commend, {"kind": "giay_khen", "body": "Ủy ban nhân dân phường Ba Đình",
                                 "decision_number": "21/QĐ-UBND", "decided_on": "2025-04-01"}).status_code == 302
    assert Commendation.objects.filter(practice=practice).count() == 1
    login(client, people.supervisor)
    review = reverse("practices_staff:review", args=[practice.pk])
    response = client.post(review, {"year": "2025", "outcome": "drop", "note": ""})
    assert response.status_code == 400 and "lý do" in response.content.decode()
    assert client.post(review, {"year": "2025", "outcome": "keep"}).status_code == 302
    results = reverse("practices_staff:results", args=[practice.pk])
    assert client.post(results, {"form": "indicator", "new-name": "Số camera", "new-measure": "chiếc"}).status_code \
        == 302
    indicator = Indicator.objects.get(practice=practice)
    response = client.post(results, {"form": "value", "value-indicator": indicator.pk, "value-on": "2025-06-30",
                                     "value-value": "35"})
    assert response.status_code == 302 and indicator.values.get().value == 35
    page = client.get(detail).content.decode()
    assert "Đánh giá năm 2025: Duy trì" in page and "Giấy khen" in page


def test_return_needs_a_note_on_the_page(client: Client, people, ba_dinh) -> None:
    practice = make_practice(people.supervisor, ba_dinh)
    practice_transition(practice=practice, action="submit", actor=people.supervisor)
    login(client, people.leader)
    url = reverse("practices_staff:transition", args=[practice.pk, "return"])
    response = client.post(url, {"note": ""}, follow=True)
    assert "Hãy nêu nội dung" in response.content.decode()
    assert Practice.objects.get(pk=practice.pk).status == State.APPRAISING
    client.post(url, {"note": "Bổ sung ảnh."})
    assert Practice.objects.get(pk=practice.pk).status == State.REGISTERED
    assert client.post(reverse("practices_staff:transition", args=[practice.pk, "certify"])).status_code == 404


def test_replica_page(client: Client, people, ba_dinh, ngoc_ha) -> None:
    source = certified(people, ba_dinh)
    login(client, people.neighbour_supervisor)
    url = reverse("practices_staff:replicate", args=[source.pk])
    page = client.get(url).content.decode()
    assert "Nhân rộng từ mô hình" in page and source.name in page
    response = client.post(url, {"name": source.name, "kind": "tap_the", "field": source.field_id,
                                 "unit": ngoc_ha.pk, "year": "2025", "description": "Học tập Ba Đình.",
                                 "note": "Tham quan, học tập."})
    assert response.status_code == 302
    link = Replication.objects.get(source=source)
    assert link.replica.unit == ngoc_ha and link.note == "Tham quan, học tập."


def test_attachments_page(client: Client, people, ba_dinh) -> None:
    practice = make_practice(people.supervisor, ba_dinh)
    login(client, people.supervisor)
    url = reverse("practices_staff:attach", args=[practice.pk])
    bad = io.BytesIO(b"not an image")
    bad.name = "virus.exe"
    response = client.post(url, {"documents": bad})
    assert response.status_code == 400 and "Chỉ nhận ảnh" in response.content.decode()
    good = io.BytesIO(jpeg())
    good.name = "hop-dan.jpg"
    assert client.post(url, {"documents": good}).status_code == 302
    attachment = practice_photos(practice=practice).get()
    response = client.get(reverse("practices_staff:attachment", args=[practice.pk, attachment.pk]))
    assert response.status_code == 200
    login(client, people.viewer)
    assert client.get(url).status_code == 200
    assert client.post(url, {"documents": io.BytesIO(jpeg())}).status_code in (400, 403)


def test_staff_list_and_exports(client: Client, people, ba_dinh) -> None:
    certified(people, ba_dinh)
    make_practice(people.supervisor, ba_dinh, name="Tủ sách cộng đồng")
    login(client, people.supervisor)
    page = client.get(STAFF).content.decode()
    assert "Tủ sách cộng đồng" in page and "Dân vận khéo trong giải phóng mặt bằng" in page
    page = client.get(STAFF, {"status": "registered"}).content.decode()
    assert "Tủ sách cộng đồng" in page and "giải phóng mặt bằng" not in page
    status_select = page.split('<select id="f-status"', 1)[1].split("</select>", 1)[0]
    assert '<option value="registered" selected>' in status_select
    response = client.get(STAFF, {"format": "xlsx", "q": "tu sach"})
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert [r[1] for r in rows[1:]] == ["Tủ sách cộng đồng"]
    response = client.get(STAFF, {"format": "docx"})
    assert response["Content-Disposition"].endswith('.docx"')
    document = Document(io.BytesIO(response.content))
    assert len(document.tables[1].rows) == 3
    assert document.tables[0].rows[0].cells[0].paragraphs[0].text == "PHƯỜNG BA ĐÌNH"


def test_statistics_page(client: Client, people, ba_dinh, ngoc_ha) -> None:
    certified(people, ba_dinh)
    login(client, people.province_supervisor)
    page = client.get(reverse("practices_staff:statistics")).content.decode()
    assert "So sánh giữa các xã, phường, đặc khu của Thành phố Hà Nội" in page
    assert 'id="stats-year-data"' in page and 'id="stats-unit-data"' in page
    assert "Phường Ngọc Hà" in page  # communes without models are compared too
    login(client, people.hcm_supervisor)
    assert "Chưa có mô hình nào" in client.get(reverse("practices_staff:statistics")).content.decode()
