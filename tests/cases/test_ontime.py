"""The public on-time table: figures per commune, small counts hidden, sorting, search, CSV."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import include, path

from danvan.cases.models import Case
from danvan.cases.views_ontime import ontime_rows
from danvan.units.models import Unit

from .conftest import Clock, SubmitFn

# The lead mounts the table at /phan-anh/dung-han/ in config/urls.py; this test mounts it the same way.
urlpatterns = [
    path("phan-anh/dung-han/", include("danvan.cases.urls_ontime")),
    path("", include("danvan.config.urls")),
]

pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]

URL = "/phan-anh/dung-han/"


@pytest.fixture
def figures(submit: SubmitFn, clock: Clock, ngoc_ha: Unit) -> list[Case]:
    """Phường Ba Đình: 6 cases, 4 answered on time, 1 late, 1 overdue; Phường Ngọc Hà: 2 cases."""
    cases = [submit(description=f"Rác đổ ở đầu ngõ {n} phố Đội Cấn.") for n in range(6)]
    for case in cases[:4]:
        Case.objects.filter(pk=case.pk).update(answered_at=case.received_at, status="answered")
    late = cases[4]
    Case.objects.filter(pk=late.pk).update(answered_at=clock.now + dt.timedelta(days=90), status="answered")
    Case.objects.filter(pk=cases[5].pk).update(due_on=clock.today - dt.timedelta(days=1))
    for n in range(2):
        submit(unit=ngoc_ha, description=f"Đèn đường hỏng ở ngõ {n}.")
    return cases


def test_rows_count_received_answered_on_time_and_overdue(figures: list[Case], hanoi: Unit, ba_dinh: Unit,
                                                         ngoc_ha: Unit, clock: Clock) -> None:
    rows = {r.unit.pk: r for r in ontime_rows(province=hanoi, start=clock.today, end=clock.today,
                                               today=clock.today)}
    ba = rows[ba_dinh.pk]
    assert (ba.received, ba.answered, ba.on_time, ba.overdue) == (6, 5, 4, 1)
    # 4 on time is hidden, so is the rate: 80% of a shown 5 would give the 4 back.
    assert ba.rate is None
    assert ba.shown == {"received": "6", "answered": "5", "on_time": "—", "overdue": "—", "rate": "—"}
    ngoc = rows[ngoc_ha.pk]
    assert (ngoc.received, ngoc.shown["received"], ngoc.shown["rate"]) == (2, "—", "—")
    assert all(r.received == 0 for pk, r in rows.items() if pk not in (ba_dinh.pk, ngoc_ha.pk))
    # Per province, the same cases add up under Hà Nội.
    provinces = {r.unit.pk: r for r in ontime_rows(province=None, start=clock.today, end=clock.today,
                                                    today=clock.today)}
    assert (provinces[hanoi.pk].received, provinces[hanoi.pk].answered) == (8, 5)
    # Once the on-time count reaches the threshold the rate is shown.
    Case.objects.filter(pk=figures[4].pk).update(answered_at=figures[4].received_at)
    again = {r.unit.pk: r for r in ontime_rows(province=hanoi, start=clock.today, end=clock.today,
                                                today=clock.today)}
    assert (again[ba_dinh.pk].rate, again[ba_dinh.pk].shown["rate"]) == (100.0, "100,0")
    # A period before the cases were received counts nothing received (overdue is "now").
    earlier = {r.unit.pk: r for r in ontime_rows(province=hanoi, start=dt.date(2024, 1, 1),
                                                  end=dt.date(2024, 12, 31), today=clock.today)}
    assert (earlier[ba_dinh.pk].received, earlier[ba_dinh.pk].overdue) == (0, 1)


def test_page_sorts_filters_without_accents_and_exports_csv(figures: list[Case], client: Client,
                                                           clock: Clock) -> None:
    params = {"tinh": "01", "tu": clock.today.isoformat(), "den": clock.today.isoformat()}
    page = client.get(URL, {**params, "sap_xep": "-received"})
    assert page.status_code == 200
    html = page.content.decode()
    assert "Phường Ba Đình" in html and "Tải về tệp CSV" in html
    # Ngọc Hà's 2 cases are hidden and therefore sort like zero, after Ba Đình's 6.
    names = [r.unit.name for r in page.context["rows"]]
    assert names[0] == "Phường Ba Đình"

    found = client.get(URL, {**params, "q": "ba dinh"})
    assert [r.unit.name for r in found.context["rows"]] == ["Phường Ba Đình"]

    export = client.get(URL, {**params, "q": "ngoc ha", "format": "csv"})
    assert export["Content-Type"].startswith("text/csv")
    lines = export.content.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("Mã đơn vị,Đơn vị,Tiếp nhận")
    assert lines[1:] == ["00008,Phường Ngọc Hà,—,0,0,—,0"]


def test_country_view_lists_provinces(client: Client) -> None:
    page = client.get(URL, {"sap_xep": "name", "tu": "không phải ngày"})
    assert page.status_code == 200
    assert len(page.context["rows"]) == 34
