"""Inbox reads that stay fast at a million cases, with the same answers as the plain queries.

A search with no chosen order shows the newest matches first and finds its page among the newest
cases (``case_search_page_ids``); the field filter looks the field's id up first; the count of a
long list stops at a cap. The scale itself is measured in bench/ (docs/performance.md, issue 3).
"""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from danvan.cases import selectors
from danvan.cases.models import Case, Field
from danvan.cases.selectors import CaseFilters, case_list, case_search_page_ids
from danvan.core import pagination
from danvan.core.pagination import CappedPaginator
from tests.cases.conftest import Clock, People, SubmitFn

pytestmark = pytest.mark.django_db


def pks(qs: Any) -> list[int]:
    return [c.pk for c in qs]


def test_a_search_without_a_chosen_order_is_newest_first(clock: Clock, submit: SubmitFn, people: People) -> None:
    older = submit(title="Rác thải ở ngõ 12", is_urgent=True)  # the earlier deadline
    clock.advance(2)
    newer = submit(title="Rác thải ở ngõ 14")
    leader = people.leader
    assert pks(case_list(actor=leader, filters=CaseFilters(q="rac thai"))) == [newer.pk, older.pk]
    # A chosen order is kept, and a list without a search stays by deadline.
    assert pks(case_list(actor=leader, filters=CaseFilters(q="rac thai", sort="due_on"))) == [older.pk, newer.pk]
    assert pks(case_list(actor=leader, filters=CaseFilters())) == [older.pk, newer.pk]
    # A code is not a word search: the one case, whatever the order.
    assert pks(case_list(actor=leader, filters=CaseFilters(q=newer.code))) == [newer.pk]


def test_the_field_filter_uses_the_field_id(submit: SubmitFn, people: People, field_dat_dai: Field) -> None:
    land = submit(title="Lấn chiếm đất công", field=field_dat_dai)
    submit(title="Rác thải")
    with CaptureQueriesContext(connection) as queries:
        found = pks(case_list(actor=people.leader, filters=CaseFilters(field="dat_dai")))
    assert found == [land.pk]
    assert f'"field_id" = {field_dat_dai.pk}' in queries[-1]["sql"].replace("cases_case.", "")
    assert pks(case_list(actor=people.leader, filters=CaseFilters(field="khong_co"))) == []


@pytest.mark.parametrize("window", [3, 1000])
def test_search_pages_from_the_newest_window_match_the_plain_query(
        clock: Clock, submit: SubmitFn, people: People, monkeypatch: pytest.MonkeyPatch, window: int) -> None:
    monkeypatch.setattr(selectors, "SEARCH_WINDOW", window)
    for i in range(7):
        submit(title=f"Rác thải lần {i}" if i % 2 == 0 else f"Đèn đường hỏng lần {i}")
        clock.advance(1)
    filters = CaseFilters(q="rác thải")  # 4 matches among 7
    qs = case_list(actor=people.leader, filters=filters)
    expected = pks(qs)
    assert len(expected) == 4 and expected == sorted(expected, reverse=True)
    page_ids = case_search_page_ids(actor=people.leader, filters=filters)
    assert page_ids is not None
    for per_page in (1, 2, 3, 4):
        paginator = CappedPaginator(qs, per_page, page_ids=page_ids)
        got = [c.pk for n in paginator.page_range for c in paginator.page(n).object_list]
        assert got == expected
    if window == 3:  # the newest 3 cases hold only 2 matches: a third is looked for the usual way
        assert page_ids(0, 2) == expected[:2]
        assert page_ids(0, 3) is None
    else:
        assert page_ids(1, 4) == expected[1:4]


def test_no_window_for_other_lists(people: People) -> None:
    leader = people.leader
    assert case_search_page_ids(actor=leader, filters=CaseFilters()) is None
    assert case_search_page_ids(actor=leader, filters=CaseFilters(q="rac", sort="due_on")) is None
    assert case_search_page_ids(actor=leader, filters=CaseFilters(q="PA2025ABCDEFGH")) is None
    assert case_search_page_ids(actor=leader, filters=CaseFilters(q="%_")) is None


def test_the_window_keeps_the_other_filters_and_the_scope(clock: Clock, submit: SubmitFn, people: People,
                                                          field_dat_dai: Field) -> None:
    land = submit(title="Rác thải trên đất công", field=field_dat_dai)
    clock.advance(1)
    submit(title="Rác thải ven hồ")
    filters = CaseFilters(q="rac thai", field="dat_dai")
    page_ids = case_search_page_ids(actor=people.leader, filters=filters)
    assert page_ids is not None and page_ids(0, 1) == [land.pk]
    outsider = case_search_page_ids(actor=people.hcm_leader, filters=CaseFilters(q="rac thai"))
    assert outsider is not None and outsider(0, 1) is None
    assert Case.objects.count() == 2


def test_the_inbox_search_is_newest_first_with_a_capped_count(client: Client, clock: Clock, submit: SubmitFn,
                                                              people: People,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pagination, "COUNT_CAP", 2)
    made = []
    for street in ("Đội Cấn", "Kim Mã", "Liễu Giai"):
        made.append(submit(title=f"Rác thải trên phố {street}"))
        clock.advance(1)
    client.force_login(people.leader)
    response = client.get("/lam-viec/ho-so/", {"q": "rac thai", "per_page": "1", "tab": "unit"})
    assert response.status_code == 200
    page = response.context["page"]
    assert [r["case"].pk for r in response.context["rows"]] == [made[-1].pk]  # newest first
    assert page.paginator.count_capped and page.paginator.num_pages == 2
    assert "Trang 1/hơn 2" in response.content.decode()
    # A chosen order is kept.
    by_due = client.get("/lam-viec/ho-so/", {"q": "rac thai", "per_page": "1", "sort": "due_on", "tab": "unit"})
    assert [r["case"].pk for r in by_due.context["rows"]] == [made[0].pk]
