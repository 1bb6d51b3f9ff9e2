"""The inbox tab counts: exact below the cap, "hơn …" above it, each tab the list it opens.

A provincial leader's inbox holds a million cases; like the list's own count, each tab reads
at most ``COUNT_CAP`` + 1 rows (docs/performance.md, issue 3). The cap is lowered here
instead of making 1,001 cases.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext

from danvan.cases import services as s
from danvan.cases.models import Case, Field, Kind
from danvan.cases.selectors import INBOX_TABS, CappedCount, CaseFilters, case_list, case_tab_counts, with_inbox_tab
from danvan.core import pagination
from danvan.units.models import Unit
from tests.cases.conftest import Clock, People, SubmitFn

pytestmark = pytest.mark.django_db

INBOX = "/lam-viec/ho-so/"


@pytest.fixture
def cases(clock: Clock, submit: SubmitFn, people: People, ngoc_ha: Unit, field_dat_dai: Field) -> dict[str, Case]:
    """Four cases in Phường Ba Đình (one per tab's reason) and one in Phường Ngọc Hà, all overdue."""
    received = submit(title="Đèn đường hỏng ở ngõ Văn Chương")
    land = s.case_accept(actor=people.leader, case=submit(kind=Kind.COMPLAINT, instance=1, field=field_dat_dai,
                                                          title="Khiếu nại quyết định thu hồi đất"))
    land = s.case_assign(actor=people.leader, case=land, handler=people.handler)
    drafted = s.case_assign(actor=people.leader, case=s.case_accept(actor=people.leader, case=submit()),
                            handler=people.handler)
    drafted = s.case_start(actor=people.handler, case=drafted)
    drafted = s.case_draft_answer(actor=people.handler, case=drafted, text="UBND phường đã thu gom rác.")
    drafted = s.case_submit_answer(actor=people.handler, case=drafted)
    denunciation = submit(kind=Kind.DENUNCIATION, title="Tố cáo cán bộ địa chính")
    neighbour = submit(unit=ngoc_ha, title="Ngập nước ở phố Hoàng Hoa Thám")
    clock.advance(120)  # every running deadline has passed
    return {"received": received, "land": land, "drafted": drafted, "denunciation": denunciation,
            "neighbour": neighbour}


def plain(counts: dict[str, CappedCount]) -> dict[str, tuple[int, bool]]:
    return {tab: (c.count, c.capped) for tab, c in counts.items()}


def test_exact_below_the_cap(people: People, cases: dict[str, Case]) -> None:
    everything = CaseFilters()
    assert plain(case_tab_counts(actor=people.leader, filters=everything)) == {
        "mine": (0, False), "unit": (4, False), "overdue": (4, False), "approval": (1, False)}
    # The handler sees the cases of the commune but not the denunciation he does not handle.
    assert plain(case_tab_counts(actor=people.handler, filters=everything)) == {
        "mine": (2, False), "unit": (3, False), "overdue": (3, False), "approval": (1, False)}
    assert plain(case_tab_counts(actor=people.province_leader, filters=CaseFilters(field="dat_dai"))) == {
        "mine": (0, False), "unit": (1, False), "overdue": (1, False), "approval": (0, False)}
    assert plain(case_tab_counts(actor=people.hcm_leader, filters=everything)) == {
        "mine": (0, False), "unit": (0, False), "overdue": (0, False), "approval": (0, False)}
    # The other filters of the list are kept; the tab the list shows does not change the counts.
    searched = CaseFilters(q="thu hoi dat", mine=True, overdue=True)
    assert plain(case_tab_counts(actor=people.handler, filters=searched)) == {
        "mine": (1, False), "unit": (1, False), "overdue": (1, False), "approval": (0, False)}


@pytest.mark.parametrize("filters", [
    CaseFilters(), CaseFilters(kind=Kind.COMPLAINT), CaseFilters(field="dat_dai"), CaseFilters(q="rac"),
    CaseFilters(status=("assigned", "answer_drafted")), CaseFilters(field="khong_co"),
])
def test_each_tab_counts_the_list_it_opens(people: People, cases: dict[str, Case], filters: CaseFilters) -> None:
    for actor in (people.leader, people.handler, people.province_leader, people.neighbour_leader, people.citizen):
        counts = case_tab_counts(actor=actor, filters=filters)
        assert set(counts) == set(INBOX_TABS)
        for tab, counted in counts.items():
            assert counted == CappedCount(case_list(actor=actor, filters=with_inbox_tab(filters, tab)).count(), False)


def test_capped_above_the_cap_and_exact_at_it(monkeypatch: pytest.MonkeyPatch, people: People,
                                              cases: dict[str, Case]) -> None:
    monkeypatch.setattr(pagination, "COUNT_CAP", 3)
    assert plain(case_tab_counts(actor=people.province_leader, filters=CaseFilters())) == {
        "mine": (0, False), "unit": (3, True), "overdue": (3, True), "approval": (1, False)}
    # Exactly the cap is still exact.
    assert plain(case_tab_counts(actor=people.handler, filters=CaseFilters())) == {
        "mine": (2, False), "unit": (3, False), "overdue": (3, False), "approval": (1, False)}
    # An explicit cap wins over COUNT_CAP.
    assert plain(case_tab_counts(actor=people.handler, filters=CaseFilters(), cap=1)) == {
        "mine": (1, True), "unit": (1, True), "overdue": (1, True), "approval": (1, False)}


def test_each_tab_reads_at_most_the_cap_plus_one(monkeypatch: pytest.MonkeyPatch, people: People,
                                                 cases: dict[str, Case]) -> None:
    monkeypatch.setattr(pagination, "COUNT_CAP", 3)
    with CaptureQueriesContext(connection) as queries:
        case_tab_counts(actor=people.province_leader, filters=CaseFilters(kind=Kind.FEEDBACK))
    # One statement for all the tabs, each tab's rows cut at the cap + 1.
    counts = [q["sql"] for q in queries.captured_queries if "COUNT(" in q["sql"].upper()]
    assert len(counts) == 1
    sql = counts[0]
    assert sql.upper().count("SELECT COUNT(*) FROM (") == len(INBOX_TABS)
    assert len(re.findall(r"\bLIMIT 4\b", sql)) == len(INBOX_TABS), sql


def tab_text(html: str, tab: str) -> str:
    found = re.search(rf'id="tab-{tab}">[^<]*<span class="count">([^<]*)</span>', html)
    assert found, html
    return found.group(1)


def test_the_inbox_says_more_than_the_cap(client: Client, monkeypatch: pytest.MonkeyPatch, people: People,
                                          cases: dict[str, Case]) -> None:
    monkeypatch.setattr(pagination, "COUNT_CAP", 3)
    client.force_login(people.province_leader)
    response = client.get(INBOX, {"tab": "approval"})
    assert response.status_code == 200
    tabs = {t["key"]: (t["count"], t["capped"]) for t in response.context["tabs"]}
    assert tabs == {"mine": (0, False), "unit": (3, True), "overdue": (3, True), "approval": (1, False)}
    html = response.content.decode()
    assert [tab_text(html, tab) for tab in ("mine", "unit", "overdue", "approval")] == ["0", "hơn 3", "hơn 3", "1"]


def test_counts_are_written_the_vietnamese_way(rf: RequestFactory, people: People) -> None:
    request = rf.get(INBOX)
    request.user = people.province_leader
    tabs = [{"key": "unit", "label": "Toàn đơn vị", "count": 1000, "capped": True, "active": True},
            {"key": "overdue", "label": "Quá hạn", "count": 1000, "capped": False, "active": False},
            {"key": "mine", "label": "Được giao cho tôi", "count": 999, "capped": False, "active": False}]
    context: dict[str, Any] = {"tab": "unit", "tabs": tabs, "filters": CaseFilters(), "rows": [],
                               "empty_message": "", "states": [], "kinds": [], "fields": [], "sorts": []}
    html = render_to_string("cases/staff/inbox.html", context, request=request)
    assert [tab_text(html, tab) for tab in ("unit", "overdue", "mine")] == ["hơn 1.000", "1.000", "999"]
