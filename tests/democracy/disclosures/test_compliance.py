"""Compliance of a commune: table-driven over missing, late, short, pending and ok periods."""

from __future__ import annotations

import datetime as dt

import pytest

from danvan.democracy.disclosures import compliance as c
from danvan.democracy.disclosures.models import DisclosureCategory, DisclosureItem

pytestmark = pytest.mark.django_db

PATH = "VN.99.99999."


def _item(code: str, year: int, quarter: int | None, posted: dt.date, down: dt.date | None = None) -> DisclosureItem:
    category = DisclosureCategory.objects.get(code=code)
    return DisclosureItem(category=category, category_id=category.pk, unit_path=PATH, year=year, quarter=quarter,
                          posted_on=posted, taken_down_on=down, title="x")


def _status(code: str, items: list[DisclosureItem], today: dt.date, year: int = 2026,
            quarter: int | None = None) -> str | None:
    findings = c.judge(categories=list(DisclosureCategory.objects.all()), items=items, year=year, today=today,
                       book=c.RuleBook.load())
    for f in findings:
        if f.category.code == code and f.quarter == quarter:
            return f.status
    return None


Q1_END = dt.date(2026, 3, 31)  # Q1 budget execution is due 15 days later: 15 April


@pytest.mark.parametrize(("items", "today", "expected"), [
    ([], dt.date(2026, 4, 10), c.PENDING),                                       # not due yet
    ([], dt.date(2026, 4, 15), c.PENDING),                                       # due today: not late yet
    ([], dt.date(2026, 4, 16), c.MISSING),                                       # due date passed
    ([("thuc_hien_ngan_sach", 1, dt.date(2026, 4, 10), None)], dt.date(2026, 6, 1), c.OK),
    ([("thuc_hien_ngan_sach", 1, dt.date(2026, 4, 15), None)], dt.date(2026, 6, 1), c.OK),
    ([("thuc_hien_ngan_sach", 1, dt.date(2026, 4, 16), None)], dt.date(2026, 6, 1), c.LATE),
    ([("thuc_hien_ngan_sach", 1, dt.date(2026, 4, 10), dt.date(2026, 4, 20))], dt.date(2026, 6, 1), c.SHORT),
    ([("thuc_hien_ngan_sach", 1, dt.date(2026, 4, 10), dt.date(2026, 5, 9))], dt.date(2026, 6, 1), c.OK),
    # Another quarter's item does not cover Q1.
    ([("thuc_hien_ngan_sach", 2, dt.date(2026, 4, 10), None)], dt.date(2026, 6, 1), c.MISSING),
    # A late first posting stays late even if a second one came in time later (it cannot).
    ([("thuc_hien_ngan_sach", 1, dt.date(2026, 5, 1), None), ("thuc_hien_ngan_sach", 1, dt.date(2026, 5, 2), None)],
     dt.date(2026, 6, 1), c.LATE),
])
def test_quarterly_budget_execution(items: list, today: dt.date, expected: str) -> None:
    rows = [_item(code, 2026, q, posted, down) for code, q, posted, down in items]
    assert _status("thuc_hien_ngan_sach", rows, today, quarter=1) == expected


@pytest.mark.parametrize(("code", "posted", "today", "expected"), [
    ("du_toan_ngan_sach", None, dt.date(2026, 1, 31), c.PENDING),     # due 31 January (start + 30)
    ("du_toan_ngan_sach", None, dt.date(2026, 2, 1), c.MISSING),
    ("du_toan_ngan_sach", dt.date(2026, 2, 5), dt.date(2026, 3, 1), c.LATE),
    ("quyet_toan_ngan_sach", None, dt.date(2026, 12, 31), c.PENDING),  # settlement is due the next year
    ("quyet_toan_ngan_sach", None, dt.date(2027, 8, 1), c.MISSING),
])
def test_annual_items(code: str, posted: dt.date | None, today: dt.date, expected: str) -> None:
    rows = [_item(code, 2026, None, posted)] if posted else []
    assert _status(code, rows, today) == expected


def test_periods_before_the_law_are_not_judged() -> None:
    findings = c.judge(categories=list(DisclosureCategory.objects.filter(code="thuc_hien_ngan_sach")), items=[],
                       year=2023, today=dt.date(2024, 6, 1), book=c.RuleBook.load())
    assert [f.quarter for f in findings] == [3, 4]  # the law is in force from 1 July 2023
    assert all(f.status == c.MISSING for f in findings)


def test_event_items_can_only_be_short() -> None:
    short = _item("thu_tuc_hanh_chinh", 2026, None, dt.date(2026, 2, 1), dt.date(2026, 2, 10))
    fine = _item("thu_tuc_hanh_chinh", 2026, None, dt.date(2026, 2, 1), None)
    findings = c.judge(categories=list(DisclosureCategory.objects.filter(code="thu_tuc_hanh_chinh")),
                       items=[short, fine], year=2026, today=dt.date(2026, 6, 1), book=c.RuleBook.load())
    assert [(f.status, f.items) for f in findings] == [(c.SHORT, [short])]


def test_counts() -> None:
    items = [_item("thuc_hien_ngan_sach", 2026, 1, dt.date(2026, 4, 20))]
    counts = c.count(c.judge(categories=list(DisclosureCategory.objects.all()), items=items, year=2026,
                             today=dt.date(2026, 8, 1), book=c.RuleBook.load()))
    # Q1 late, Q2 missing (due 15 July); estimate, plan missing; Q3, Q4, settlement, funds pending.
    assert (counts.late, counts.missing, counts.short) == (1, 3, 0)
    assert counts.pending == 4 and counts.problems == 4


def test_period_bounds() -> None:
    assert c.period_bounds(2026, 1) == (dt.date(2026, 1, 1), dt.date(2026, 3, 31))
    assert c.period_bounds(2026, 4) == (dt.date(2026, 10, 1), dt.date(2026, 12, 31))
    assert c.period_bounds(2026, None) == (dt.date(2026, 1, 1), dt.date(2026, 12, 31))
