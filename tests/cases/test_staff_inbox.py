"""Officials' inbox: tabs, filters, sort, pages, read-only detail and exports, all within scope."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from danvan.cases import services as s
from danvan.cases.models import Case, Field, Kind, State
from danvan.units.models import Unit
from tests.cases.conftest import Clock, People, SubmitFn

pytestmark = pytest.mark.django_db

INBOX = "/lam-viec/ho-so/"
SEALED_NAME = "Lê Văn Cường"  # the denouncer's name in conftest.submit
SEALED_PHONE = "0987654321"
SUBMITTER_PHONE = "0912345678"


def login(client: Client, user: Any) -> Client:
    client.force_login(user)
    return client


@pytest.fixture
def sample(clock: Clock, submit: SubmitFn, people: People, ngoc_ha: Unit, field_dat_dai: Field) -> dict[str, Case]:
    feedback = submit(title="Đèn đường hỏng ở ngõ Văn Chương")
    mine = s.case_accept(actor=people.leader, case=submit(kind=Kind.COMPLAINT, instance=1, field=field_dat_dai,
                                                          title="Khiếu nại quyết định thu hồi đất"))
    mine = s.case_assign(actor=people.leader, case=mine, handler=people.handler)
    denunciation = submit(kind=Kind.DENUNCIATION, title="Tố cáo cán bộ địa chính")
    neighbour = submit(unit=ngoc_ha, title="Ngập nước ở phố Hoàng Hoa Thám")
    return {"feedback": feedback, "mine": mine, "denunciation": denunciation, "neighbour": neighbour}


def codes_in(response: Any) -> set[str]:
    return {row["case"].code for row in response.context["rows"]}


def test_anonymous_is_sent_to_login(client: Client, sample: dict[str, Case]) -> None:
    for url in (INBOX, INBOX + "?format=csv", reverse("cases_staff:detail", args=[sample["feedback"].code])):
        response = client.get(url)
        assert response.status_code == 302
        assert reverse("accounts:login") in response["Location"]


def test_a_citizen_account_is_refused(client: Client, people: People, sample: dict[str, Case]) -> None:
    login(client, people.citizen)
    assert client.get(INBOX).status_code == 403
    assert client.get(reverse("cases_staff:detail", args=[sample["feedback"].code])).status_code == 403


def test_tabs_and_counts(client: Client, clock: Clock, people: People, sample: dict[str, Case]) -> None:
    login(client, people.leader)
    response = client.get(INBOX)
    assert response.status_code == 200
    ours = {sample[k].code for k in ("feedback", "mine", "denunciation")}
    assert codes_in(response) == ours
    counts = {t["key"]: t["count"] for t in response.context["tabs"]}
    assert counts == {"mine": 0, "unit": 3, "overdue": 0, "approval": 0}
    assert "Chưa có hồ sơ nào được giao cho bạn." in client.get(INBOX + "?tab=mine").content.decode()
    assert "Không có hồ sơ quá hạn." in client.get(INBOX + "?tab=overdue").content.decode()
    assert "Không có văn bản trả lời nào chờ duyệt." in client.get(INBOX + "?tab=approval").content.decode()

    login(client, people.handler)
    assert codes_in(client.get(INBOX + "?tab=mine")) == {sample["mine"].code}

    clock.advance(120)  # every open deadline has long passed
    login(client, people.leader)
    response = client.get(INBOX + "?tab=overdue")
    assert codes_in(response) == ours
    html = response.content.decode()
    days = (clock.today - sample["feedback"].due_on).days
    assert f"quá hạn {days} ngày" in html
    assert 'class="overdue"' in html


def test_other_commune_never_visible(client: Client, clock: Clock, people: People,
                                     sample: dict[str, Case]) -> None:
    clock.advance(120)
    login(client, people.neighbour_leader)
    neighbour = sample["neighbour"].code
    for tab in ("mine", "unit", "overdue", "approval"):
        response = client.get(f"{INBOX}?tab={tab}")
        assert codes_in(response) <= {neighbour}
        for key in ("feedback", "mine", "denunciation"):
            assert sample[key].code not in response.content.decode()
    for fmt in ("csv", "xlsx"):
        body = client.get(f"{INBOX}?format={fmt}")
        text = body.content.decode("utf-8-sig") if fmt == "csv" else _xlsx_text(body.content)
        assert neighbour in text
        for key in ("feedback", "mine", "denunciation"):
            assert sample[key].code not in text
    for key in ("feedback", "mine", "denunciation"):
        assert client.get(reverse("cases_staff:detail", args=[sample[key].code])).status_code == 404
    assert client.get(reverse("cases_staff:detail", args=[neighbour])).status_code == 200


def test_filters_search_and_sort(client: Client, people: People, sample: dict[str, Case]) -> None:
    login(client, people.province_leader)
    assert codes_in(client.get(INBOX + "?kind=khieu_nai")) == {sample["mine"].code}
    assert codes_in(client.get(INBOX + "?field=dat_dai")) == {sample["mine"].code}
    assert codes_in(client.get(INBOX + f"?status={State.ASSIGNED}")) == {sample["mine"].code}
    # Accent-insensitive search: "den duong" finds "Đèn đường".
    assert codes_in(client.get(INBOX + "?q=den+duong")) == {sample["feedback"].code}
    assert codes_in(client.get(INBOX + "?q=" + sample["neighbour"].code)) == {sample["neighbour"].code}
    assert "Không có hồ sơ nào thuộc phạm vi" in client.get(INBOX + "?q=khongcogi").content.decode()
    # Unknown values are ignored rather than failing.
    assert client.get(INBOX + "?kind=xyz&sort=bad&tab=zzz&page=abc").status_code == 200
    newest = [r["case"].code for r in client.get(INBOX + "?sort=-received_at").context["rows"]]
    oldest = [r["case"].code for r in client.get(INBOX + "?sort=received_at").context["rows"]]
    assert newest == list(reversed(oldest))
    assert len(newest) == 4


def test_pagination_keeps_filters(client: Client, people: People, submit: SubmitFn) -> None:
    for i in range(5):
        submit(title=f"Phản ánh số {i}")
    login(client, people.leader)
    first = client.get(INBOX + "?per_page=2&sort=received_at&kind=phan_anh")
    second = client.get(INBOX + "?per_page=2&sort=received_at&kind=phan_anh&page=2")
    assert first.context["page"].paginator.count == 5
    assert codes_in(first).isdisjoint(codes_in(second))
    assert len(codes_in(second)) == 2
    html = first.content.decode()
    assert "Trang sau" in html
    assert "kind=phan_anh" in html and "page=2" in html


def test_query_count_is_bounded(client: Client, people: People, submit: SubmitFn,
                                django_assert_max_num_queries: Any) -> None:
    for i in range(25):
        submit(title=f"Phản ánh số {i}")
    login(client, people.leader)
    with django_assert_max_num_queries(12):
        response = client.get(INBOX)
    assert len(response.context["rows"]) == 25


def test_detail_shows_facts_and_timeline(client: Client, people: People, sample: dict[str, Case]) -> None:
    login(client, people.leader)
    response = client.get(reverse("cases_staff:detail", args=[sample["mine"].code]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Khiếu nại quyết định thu hồi đất" in html
    assert sample["mine"].due_on.strftime("%d/%m/%Y") in html
    events = list(response.context["events"])
    assert len(events) >= 3  # received, accepted, assigned
    assert "Diễn biến xử lý" in html
    # Lower-case code works too.
    assert client.get(reverse("cases_staff:detail", args=[sample["mine"].code.lower()])).status_code == 200
    assert client.get(reverse("cases_staff:detail", args=["PA-KHONG-CO"])).status_code == 404


def test_approval_tab_and_internal_timeline(client: Client, people: People, sample: dict[str, Case]) -> None:
    case = s.case_start(actor=people.handler, case=sample["mine"])
    case = s.case_draft_answer(actor=people.handler, case=case, text="UBND phường đã giải quyết.")
    case = s.case_submit_answer(actor=people.handler, case=case)
    login(client, people.leader)
    response = client.get(INBOX + "?tab=approval")
    assert codes_in(response) == {case.code}
    assert {t["key"]: t["count"] for t in response.context["tabs"]}["approval"] == 1
    detail = client.get(reverse("cases_staff:detail", args=[case.code]))
    events = list(detail.context["events"])
    assert any(e.public for e in events) and any(not e.public for e in events)
    html = detail.content.decode()
    assert "(nội bộ)" in html and "(công khai)" in html
    # Another commune's leader still cannot open it.
    login(client, people.neighbour_leader)
    assert client.get(reverse("cases_staff:detail", args=[case.code])).status_code == 404
    assert codes_in(client.get(INBOX + "?tab=approval")) == set()


def test_denouncer_identity_never_shown(client: Client, people: People, sample: dict[str, Case]) -> None:
    login(client, people.leader)
    code = sample["denunciation"].code
    pages = [
        client.get(INBOX).content.decode(),
        client.get(reverse("cases_staff:detail", args=[code])).content.decode(),
        client.get(INBOX + "?format=csv").content.decode("utf-8-sig"),
        _xlsx_text(client.get(INBOX + "?format=xlsx").content),
    ]
    assert code in pages[0] and code in pages[1] and code in pages[2] and code in pages[3]
    for text in pages:
        assert SEALED_NAME not in text
        assert SEALED_PHONE not in text
    for text in pages[2:]:
        assert SUBMITTER_PHONE not in text  # exports carry no submitter contact either


def test_csv_export(client: Client, people: People, sample: dict[str, Case]) -> None:
    login(client, people.leader)
    response = client.get(INBOX + "?format=csv&kind=khieu_nai")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    assert response.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["Mã hồ sơ", "Ngày tiếp nhận", "Loại"]
    assert "Hạn giải quyết" in rows[0]
    assert [r[0] for r in rows[1:]] == [sample["mine"].code]
    assert rows[1][2] == "Khiếu nại"
    assert "Trần Thị Bình" not in response.content.decode("utf-8-sig")


def test_xlsx_export(client: Client, people: People, sample: dict[str, Case]) -> None:
    login(client, people.leader)
    response = client.get(INBOX + "?format=xlsx")
    assert response.status_code == 200
    assert "spreadsheetml" in response["Content-Type"]
    sheet = load_workbook(io.BytesIO(response.content)).active
    header = [c.value for c in sheet[1]]
    assert header[0] == "Mã hồ sơ"
    assert all(c.font.bold for c in sheet[1])
    assert sheet.column_dimensions["A"].width == 16
    codes = {row[0] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert codes == {sample[k].code for k in ("feedback", "mine", "denunciation")}


def _xlsx_text(content: bytes) -> str:
    sheet = load_workbook(io.BytesIO(content)).active
    return "\n".join(" ".join(str(v) for v in row if v is not None) for row in sheet.iter_rows(values_only=True))
