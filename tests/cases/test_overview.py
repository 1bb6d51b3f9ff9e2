"""Officials' overview: counts by field, status, unit and kind, the map's GeoJSON, exports —
all scoped to the actor, free of personal data, and readable with JavaScript off."""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from typing import Any

import pytest
from django.test import Client
from openpyxl import load_workbook

from danvan.cases import services as s
from danvan.cases.models import Case, Field, Kind, State
from danvan.cases.selectors import CaseFilters, case_list
from danvan.cases.selectors_overview import (
    MAP_MAX_POINTS,
    OverviewFilters,
    counts_by_field_status,
    counts_by_unit,
)
from danvan.cases.services import Denouncer, Submitter
from danvan.units.models import Unit
from tests.cases.conftest import Clock, People, SubmitFn

pytestmark = pytest.mark.django_db

STATS = "/lam-viec/tong-quan/"
MAP = "/lam-viec/tong-quan/ban-do/"
DATA = "/lam-viec/tong-quan/ban-do/du-lieu.geojson"
NAME = "Nguyễn Văn Riêng Tư"
PHONE = "0933111222"
EMAIL = "rieng.tu@example.vn"
DENOUNCER = "Phạm Thị Kín Đáo"
DENOUNCER_PHONE = "0944555666"
TITLE = "Ông Nguyễn Văn Riêng Tư báo cống tắc"
SECRETS = (NAME, PHONE, EMAIL, DENOUNCER, DENOUNCER_PHONE, TITLE)


def login(client: Client, user: Any) -> Client:
    client.force_login(user)
    return client


@pytest.fixture
def sample(clock: Clock, submit: SubmitFn, people: People, ngoc_ha: Unit, field_dat_dai: Field) -> dict[str, Case]:
    placed = submit(title=TITLE, latitude=21.0341, longitude=105.8372, wants_updates=True,
                    submitter=Submitter(name=NAME, phone=PHONE, email=EMAIL))
    plain = submit(title="Đèn đường hỏng ở ngõ Văn Chương")
    complaint = s.case_accept(actor=people.leader, case=submit(
        kind=Kind.COMPLAINT, instance=1, field=field_dat_dai, title="Khiếu nại quyết định thu hồi đất",
        latitude=21.0350, longitude=105.8400))
    denunciation = submit(kind=Kind.DENUNCIATION, title="Tố cáo cán bộ địa chính", latitude=21.0360,
                          longitude=105.8410,
                          denouncer=Denouncer(name=DENOUNCER, phone=DENOUNCER_PHONE, address="Số 9 phố Kim Mã"))
    clock.advance(40)  # a later receipt date, for the date filter
    neighbour = submit(unit=ngoc_ha, title="Ngập nước ở phố Hoàng Hoa Thám", latitude=21.0420, longitude=105.8330)
    return {"placed": placed, "plain": plain, "complaint": complaint, "denunciation": denunciation,
            "neighbour": neighbour}


def geojson(client: Client, query: str = "") -> dict[str, Any]:
    response = client.get(DATA + query)
    assert response.status_code == 200, response.content
    assert response["Content-Type"].startswith("application/geo+json")
    return json.loads(response.content)


def codes(data: dict[str, Any]) -> set[str]:
    return {f["properties"]["code"] for f in data["features"]}


def field_counts(response: Any) -> dict[str, dict[str, int]]:
    return {row.label: dict(row.counts) for row in response.context["fields_table"].rows}


def test_anonymous_and_citizens_are_kept_out(client: Client, people: People, sample: dict[str, Case]) -> None:
    for url in (STATS, MAP, DATA, STATS + "?format=xlsx"):
        response = client.get(url)
        assert response.status_code == 302 and "/tai-khoan/" in response["Location"]
    login(client, people.citizen)
    for url in (STATS, MAP, DATA):
        assert client.get(url).status_code == 403


def test_counts_equal_the_data(client: Client, clock: Clock, people: People, sample: dict[str, Case],
                               ba_dinh: Unit) -> None:
    login(client, people.leader)
    response = client.get(STATS)
    assert response.status_code == 200
    # What the database says for the leader's commune (the leader sees denunciations too).
    expected: dict[str, Counter[str]] = {}
    for name, status in Case.objects.filter(unit=ba_dinh).values_list("field__name", "status"):
        expected.setdefault(name, Counter())[status] += 1
    assert field_counts(response) == {k: dict(v) for k, v in expected.items()}
    assert field_counts(response) == {"Môi trường": {State.RECEIVED: 3}, "Đất đai": {State.ACCEPTED: 1}}
    totals = response.context["totals"]
    overdue = sum(1 for c in Case.objects.filter(unit=ba_dinh) if c.due_on and c.due_on < clock.today)
    assert (totals.total, totals.open, totals.overdue, totals.with_point) == (4, 4, overdue, 3)
    table = response.context["fields_table"]
    assert [v for v, _label in table.statuses] == [State.RECEIVED, State.ACCEPTED]
    assert table.totals.total == 4
    kinds = {row.key: row.total for row in response.context["kinds_rows"]}
    assert kinds == {Kind.FEEDBACK: 2, Kind.COMPLAINT: 1, Kind.DENUNCIATION: 1}

    clock.advance(200)  # every open deadline has passed
    login(client, people.leader)  # the session of 200 days ago has expired
    response = client.get(STATS)
    overdue = sum(1 for c in Case.objects.filter(unit=ba_dinh) if c.due_on and c.due_on < clock.today)
    assert overdue == 4  # every case of the commune has a running clock
    assert response.context["totals"].overdue == overdue
    assert response.context["fields_table"].totals.overdue == overdue
    only_overdue = client.get(STATS + "?status=overdue")
    assert only_overdue.context["totals"].total == overdue


def test_counts_agree_with_the_inbox_for_each_role(people: People, sample: dict[str, Case]) -> None:
    # A handler sees no unassigned denunciation: the figures count exactly what the inbox lists.
    for actor in (people.leader, people.handler, people.viewer, people.province_leader, people.neighbour_leader):
        table = counts_by_field_status(actor=actor, filters=OverviewFilters())
        assert table.totals.total == case_list(actor=actor, filters=CaseFilters()).count()
    assert counts_by_field_status(actor=people.handler, filters=OverviewFilters()).totals.total == 3


def test_counts_by_unit_for_a_province(client: Client, people: People, sample: dict[str, Case], ba_dinh: Unit,
                                       ngoc_ha: Unit, hanoi: Unit) -> None:
    login(client, people.province_leader)
    response = client.get(STATS)
    rows = {row.label: (row.total, row.open) for row in response.context["units_table"].rows}
    assert rows == {ba_dinh.name: (4, 4), ngoc_ha.name: (1, 1)}
    assert response.context["units_table"].parent == hanoi
    html = response.content.decode()
    assert f"?unit={ba_dinh.pk}" in html  # each unit row drills down

    response = client.get(STATS + f"?unit={ba_dinh.pk}")
    assert response.context["totals"].total == 4
    assert codes(geojson(client, f"?unit={ngoc_ha.pk}")) == {sample["neighbour"].code}


def test_an_official_never_sees_another_communes_cases(client: Client, people: People, sample: dict[str, Case],
                                                       ba_dinh: Unit, ngoc_ha: Unit, hcm: Unit) -> None:
    login(client, people.neighbour_leader)
    response = client.get(STATS)
    assert response.context["totals"].total == 1
    assert field_counts(response) == {"Môi trường": {State.RECEIVED: 1}}
    direct = f"{ngoc_ha.name} (ghi nhận trực tiếp tại đơn vị)"
    assert [r.label for r in response.context["units_table"].rows] == [direct]
    assert codes(geojson(client)) == {sample["neighbour"].code}
    for url in (STATS, MAP, DATA):
        assert client.get(url + f"?unit={ba_dinh.pk}").status_code == 404
        assert client.get(url + f"?unit={hcm.pk}").status_code == 404
        assert client.get(url + "?unit=999999999").status_code == 404

    login(client, people.leader)
    data = geojson(client)
    assert codes(data) == {sample[k].code for k in ("placed", "complaint", "denunciation")}
    assert sample["neighbour"].code not in client.get(MAP).content.decode()
    assert client.get(STATS + f"?unit={ngoc_ha.pk}").status_code == 404

    # The province sees both communes, Hồ Chí Minh City sees neither.
    login(client, people.province_leader)
    assert len(geojson(client)["features"]) == 4
    login(client, people.hcm_leader)
    assert geojson(client)["features"] == []
    assert client.get(STATS).context["totals"].total == 0


def test_geojson_carries_no_personal_data(client: Client, people: People, sample: dict[str, Case]) -> None:
    login(client, people.leader)
    response = client.get(DATA)
    body = response.content.decode()
    for secret in SECRETS:
        assert secret not in body
        assert json.dumps(secret)[1:-1] not in body
    data = json.loads(body)
    placed = next(f for f in data["features"] if f["properties"]["code"] == sample["placed"].code)
    assert placed["geometry"] == {"type": "Point", "coordinates": [105.8372, 21.0341]}
    assert set(placed["properties"]) == {"code", "kind", "kind_label", "field", "unit", "status", "status_label",
                                         "colour", "due_on", "overdue", "overdue_days", "url"}
    assert placed["properties"]["url"] == f"/lam-viec/ho-so/{sample['placed'].code}/"
    assert data["meta"] == {"shown": 3, "total": 3, "without_point": 1, "limit": MAP_MAX_POINTS,
                            "note": "Đang hiển thị 3 trên tổng số 3 hồ sơ có vị trí."}
    # Nor on the pages and exports of the overview.
    for url in (STATS, MAP, STATS + "?format=csv&table=unit", STATS + "?format=csv"):
        text = client.get(url).content.decode("utf-8")
        for secret in SECRETS:
            assert secret not in text, url


def test_the_map_is_capped_with_a_note(client: Client, people: People, sample: dict[str, Case],
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    from danvan.cases import views_overview

    monkeypatch.setattr(views_overview, "MAP_MAX_POINTS", 2)
    login(client, people.leader)
    data = geojson(client)
    assert len(data["features"]) == 2
    assert data["meta"]["note"] == "Đang hiển thị 2 trên tổng số 3 hồ sơ có vị trí."
    # Newest first: the two cases received last.
    assert codes(data) == {sample["complaint"].code, sample["denunciation"].code}
    html = client.get(MAP).content.decode()
    assert "Bản đồ hiển thị 2 trên tổng số 3 hồ sơ có vị trí" in html
    assert "Hãy lọc theo địa bàn" in html


def test_filters_narrow_counts_and_geojson(client: Client, clock: Clock, people: People, sample: dict[str, Case],
                                           field_dat_dai: Field) -> None:
    login(client, people.province_leader)
    response = client.get(STATS + f"?field={field_dat_dai.code}")
    assert response.context["totals"].total == 1
    assert codes(geojson(client, f"?field={field_dat_dai.code}")) == {sample["complaint"].code}
    assert codes(geojson(client, f"?kind={Kind.DENUNCIATION}")) == {sample["denunciation"].code}
    assert codes(geojson(client, f"?status={State.ACCEPTED}")) == {sample["complaint"].code}
    assert client.get(STATS + "?status=open").context["totals"].total == 5
    # Receipt dates: four cases on 3 March 2025, the neighbour's 40 days later.
    later = sample["neighbour"].received_at.date().isoformat()
    assert codes(geojson(client, f"?start={later}")) == {sample["neighbour"].code}
    assert client.get(STATS + "?start=2025-03-03&end=03/03/2025").context["totals"].total == 4
    assert client.get(STATS + "?end=2025-03-02").context["totals"].total == 0


def test_bad_filters_get_a_vietnamese_message_and_keep_the_input(client: Client, people: People,
                                                                 sample: dict[str, Case]) -> None:
    login(client, people.leader)
    response = client.get(STATS + "?start=31-02-2025&kind=la")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Ngày không hợp lệ" in html
    assert 'value="31-02-2025"' in html
    assert "Loại vụ việc không hợp lệ." in html
    assert response.context["totals"].total == 4  # the bad filters are left out, not guessed
    html = client.get(STATS + "?start=2025-03-10&end=2025-03-01").content.decode()
    assert "Ngày kết thúc phải bằng hoặc sau ngày bắt đầu." in html
    assert "Đơn vị không hợp lệ." in client.get(STATS + "?unit=abc").content.decode()
    response = client.get(DATA + "?start=hom-qua")
    assert response.status_code == 400
    assert "start" in response.json()["errors"]


def test_exports_open_and_match_the_tables(client: Client, people: People, sample: dict[str, Case]) -> None:
    login(client, people.province_leader)
    page = client.get(STATS)
    fields = page.context["fields_table"]
    units = page.context["units_table"]

    response = client.get(STATS + "?format=xlsx")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["Theo lĩnh vực", "Theo địa bàn", "Theo loại"]
    sheet = [list(r) for r in book["Theo lĩnh vực"].iter_rows(values_only=True)]
    assert sheet[0] == ["Lĩnh vực", *(label for _v, label in fields.statuses), "Tổng số", "Đang giải quyết",
                        "Quá hạn"]
    body = [[row.label, *(n for _l, n in row.cells), row.total, row.open, row.overdue] for row in fields.rows]
    total = fields.totals
    assert sheet[1:] == [*body, ["Tổng cộng", *(n for _l, n in total.cells), total.total, total.open, total.overdue]]
    unit_rows = [list(r) for r in book["Theo địa bàn"].iter_rows(values_only=True)][1:]
    assert unit_rows == [[row.label, row.total, row.open, row.overdue] for row in units.rows]

    response = client.get(STATS + "?format=csv&table=unit")
    assert response["Content-Type"].startswith("text/csv")
    text = response.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == ["Đơn vị", "Tổng số", "Đang giải quyết", "Quá hạn"]
    assert rows[1:] == [[row.label, str(row.total), str(row.open), str(row.overdue)] for row in units.rows]
    # The export follows the filters on the page.
    rows = list(csv.reader(io.StringIO(client.get(STATS + f"?format=csv&kind={Kind.COMPLAINT}")
                                       .content.decode("utf-8-sig"))))
    assert rows[-1][0] == "Tổng cộng" and rows[-1][-3] == "1"


def test_pages_work_without_javascript(client: Client, people: People, sample: dict[str, Case]) -> None:
    login(client, people.leader)
    html = client.get(STATS).content.decode()
    for marker in ('id="table-by-field"', 'id="table-by-unit"', 'id="table-by-kind"', "<caption>",
                   'id="overview-chart-data"', '<figure class="chart" hidden>', 'scope="row"'):
        assert marker in html
    html = client.get(MAP).content.decode()
    assert 'id="map-table"' in html and 'id="case-map" class="case-map" hidden' in html
    for key in ("placed", "complaint", "denunciation"):
        assert f"/lam-viec/ho-so/{sample[key].code}/" in html
    assert sample["plain"].code not in html  # no point, so not in the map's list
    assert "1 hồ sơ chưa có vị trí" in html


def test_empty_states(client: Client, people: People, sample: dict[str, Case], ngoc_ha: Unit) -> None:
    login(client, people.hcm_leader)
    assert "Không có hồ sơ nào thuộc phạm vi phụ trách phù hợp với điều kiện lọc." in client.get(STATS).content.decode()
    assert 'id="map-empty"' in client.get(MAP).content.decode()
    login(client, people.neighbour_leader)
    html = client.get(MAP + f"?kind={Kind.COMPLAINT}").content.decode()
    assert 'id="map-empty"' in html
    Case.objects.filter(pk=sample["neighbour"].pk).update(latitude=None, longitude=None)
    assert "chưa hồ sơ nào có vị trí" in client.get(MAP).content.decode()


def test_unit_search_is_accent_insensitive_and_scoped(client: Client, people: People, sample: dict[str, Case],
                                                     ngoc_ha: Unit) -> None:
    login(client, people.province_leader)
    response = client.get(STATS + "?unit_q=ngoc ha")
    matches = [m["unit"] for m in response.context["unit_matches"]]
    assert ngoc_ha in matches
    assert f"unit={ngoc_ha.pk}" in response.context["unit_matches"][matches.index(ngoc_ha)]["url"]
    login(client, people.leader)
    response = client.get(STATS + "?unit_q=ngoc ha")
    assert ngoc_ha not in [m["unit"] for m in response.context["unit_matches"]]
    assert "Không tìm thấy đơn vị phù hợp trong phạm vi phụ trách." in response.content.decode()


def test_counts_are_aggregate_queries(people: People, submit: SubmitFn, clock: Clock, ngoc_ha: Unit) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    filters = OverviewFilters()
    actor = people.province_leader

    def queries() -> tuple[int, int]:
        with CaptureQueriesContext(connection) as fields:
            counts_by_field_status(actor=actor, filters=filters)
        with CaptureQueriesContext(connection) as units:
            counts_by_unit(actor=actor, filters=filters)
        return len(fields), len(units)

    submit()
    queries()  # the actor's scope is read once and kept for the request
    few = queries()
    assert few[0] <= 2 and few[1] <= 3
    for _ in range(10):
        submit()
        submit(unit=ngoc_ha)
    assert queries() == few  # one grouped query whatever the number of cases
    assert counts_by_field_status(actor=actor, filters=filters).totals.total == 21
    assert sum(r.total for r in counts_by_unit(actor=actor, filters=filters).rows) == 21


def test_workspace_links_to_the_overview(client: Client, people: People) -> None:
    login(client, people.leader)
    html = client.get("/lam-viec/").content.decode()
    assert 'href="/lam-viec/tong-quan/"' in html and 'href="/lam-viec/tong-quan/ban-do/"' in html


def test_unit_picker_drills_down_within_scope(client: Client, people: People, sample: dict[str, Case],
                                              hanoi: Unit, ba_dinh: Unit, ngoc_ha: Unit) -> None:
    login(client, people.province_leader)
    response = client.get(STATS)
    assert response.context["current_unit"] == hanoi
    assert {ba_dinh, ngoc_ha} <= set(response.context["children"])
    response = client.get(MAP + f"?unit={ba_dinh.pk}&kind={Kind.FEEDBACK}")
    assert response.context["trail"] == [hanoi, ba_dinh]
    html = response.content.decode()
    assert f'<option value="{ba_dinh.pk}" selected>' in html
    # The way back up keeps the other filters.
    assert f"?unit={hanoi.pk}&amp;kind={Kind.FEEDBACK}" in html
    # The commune leader's trail starts at their own commune, never at the province.
    login(client, people.leader)
    assert client.get(STATS + f"?unit={ba_dinh.pk}").context["trail"] == [ba_dinh]


def test_a_national_administrator_sees_every_tree(client: Client, sample: dict[str, Case]) -> None:
    from tests.factories import UserFactory

    admin = UserFactory(username="quantri", is_superuser=True)
    login(client, admin)
    response = client.get(STATS)
    # Everything but the denunciation, which only roles over its unit may see (as in the inbox).
    assert response.context["totals"].total == case_list(actor=admin, filters=CaseFilters()).count() == 4
    rows = response.context["units_table"].rows
    assert sum(row.total for row in rows) == 4 and all(row.link for row in rows)
    assert codes(geojson(client)) == {sample[k].code for k in ("placed", "complaint", "neighbour")}
