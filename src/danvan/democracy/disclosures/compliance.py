"""Which mandatory disclosures a commune has missed, posted late, or taken down too early.

For every mandatory category that recurs, each period of the year (a quarter or the year) has a
due date from the category's rule (``due_anchor`` + ``due_days``). A period is:

- missing: nothing posted for it and the due date has passed;
- late: its first item was posted after the due date;
- short: an item for it came down before the rule's minimum posting time;
- pending: nothing posted yet, not due yet; ok otherwise.

Items of categories without periods (on event) can only be short. Periods before the law's rule
is in force (no rule valid then) are not judged. The computation is pure over rows fetched in one
query per page of communes, so a province's table costs the same few queries as one commune's.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .models import DisclosureCategory, DisclosureItem, DisclosureRule, DueAnchor, Recurrence
from .services import posted_days

MISSING, LATE, SHORT, PENDING, OK = "missing", "late", "short", "pending", "ok"
STATUS_LABELS = {
    MISSING: _("Chưa công khai, đã quá hạn"),
    LATE: _("Công khai muộn"),
    SHORT: _("Công khai chưa đủ thời gian"),
    PENDING: _("Chưa đến hạn"),
    OK: _("Đúng quy định"),
}
PROBLEMS = (MISSING, LATE, SHORT)


def period_bounds(year: int, quarter: int | None) -> tuple[dt.date, dt.date]:
    if quarter is None:
        return dt.date(year, 1, 1), dt.date(year, 12, 31)
    start = dt.date(year, 3 * quarter - 2, 1)
    end = dt.date(year + (quarter == 4), 1 if quarter == 4 else 3 * quarter + 1, 1) - dt.timedelta(days=1)
    return start, end


def periods(category: DisclosureCategory, year: int) -> list[int | None]:
    """The quarters (or the single year, None) a recurring category is due for in ``year``."""
    if category.recurrence == Recurrence.QUARTERLY:
        return [1, 2, 3, 4]
    if category.recurrence == Recurrence.ANNUAL:
        return [None]
    return []


def due_on(rule: DisclosureRule, year: int, quarter: int | None) -> dt.date | None:
    if rule.due_days is None:
        return None
    start, end = period_bounds(year, quarter)
    return (start if rule.due_anchor == DueAnchor.START else end) + dt.timedelta(days=rule.due_days)


class RuleBook:
    """All rules, loaded once, answering "which rule held on this day" without a query each time."""

    def __init__(self, rules: Iterable[DisclosureRule]) -> None:
        self._by_category: dict[int, list[DisclosureRule]] = defaultdict(list)
        for rule in sorted(rules, key=lambda r: r.valid_from, reverse=True):
            self._by_category[rule.category_id].append(rule)

    @classmethod
    def load(cls) -> RuleBook:
        return cls(DisclosureRule.objects.all())

    def on(self, category_id: int, day: dt.date) -> DisclosureRule | None:
        return next((r for r in self._by_category.get(category_id, []) if r.valid_from <= day), None)


@dataclass
class Finding:
    category: DisclosureCategory
    year: int | None
    quarter: int | None
    status: str
    due: dt.date | None = None
    items: list[DisclosureItem] = field(default_factory=list)
    detail: str = ""

    @property
    def label(self) -> str:
        return str(STATUS_LABELS[self.status])

    @property
    def period_label(self) -> str:
        if self.year and self.quarter:
            return gettext("Quý %(q)d/%(y)d") % {"q": self.quarter, "y": self.year}
        return str(self.year or "")


def _is_short(book: RuleBook, item: DisclosureItem) -> bool:
    if item.taken_down_on is None:
        return False
    rule = book.on(item.category_id, item.posted_on)
    return rule is not None and posted_days(item.posted_on, item.taken_down_on) < rule.min_days


def judge(*, categories: list[DisclosureCategory], items: list[DisclosureItem], year: int, today: dt.date,
          book: RuleBook) -> list[Finding]:
    """The findings for one commune's ``items`` of ``year`` (every period, every mandatory category)."""
    by_period: dict[tuple[int, int | None], list[DisclosureItem]] = defaultdict(list)
    for item in items:
        by_period[(item.category_id, item.quarter)].append(item)
    findings: list[Finding] = []
    for category in categories:
        if not category.mandatory:
            continue
        if not category.recurs:
            for item in items:
                if item.category_id == category.pk and _is_short(book, item):
                    findings.append(Finding(category=category, year=item.year, quarter=None, status=SHORT,
                                            items=[item], detail=item.title))
            continue
        for quarter in periods(category, year):
            end = period_bounds(year, quarter)[1]
            rule = book.on(category.pk, end)
            if rule is None:
                continue  # the obligation was not in force for this period
            due = due_on(rule, year, quarter)
            posted = sorted((i for i in by_period.get((category.pk, quarter), []) if i.year == year),
                            key=lambda i: i.posted_on)
            if not posted:
                status = MISSING if due is not None and due < today else PENDING
            elif due is not None and posted[0].posted_on > due:
                status = LATE
            elif any(_is_short(book, i) for i in posted):
                status = SHORT
            else:
                status = OK
            findings.append(Finding(category=category, year=year, quarter=quarter, status=status, due=due,
                                    items=posted))
    return findings


@dataclass
class Counts:
    missing: int = 0
    late: int = 0
    short: int = 0
    ok: int = 0
    pending: int = 0

    @property
    def problems(self) -> int:
        return self.missing + self.late + self.short


def count(findings: Iterable[Finding]) -> Counts:
    counts = Counts()
    for f in findings:
        setattr(counts, f.status, getattr(counts, f.status) + 1)
    return counts


def _year_items(paths: list[str], year: int) -> Q:
    return Q(unit_path__in=paths) & (Q(year=year) | Q(year__isnull=True, posted_on__year=year))


def commune_findings(*, path: str, year: int, today: dt.date) -> list[Finding]:
    categories = list(DisclosureCategory.objects.filter(active=True))
    items = list(DisclosureItem.objects.filter(_year_items([path], year)).select_related("category"))
    return judge(categories=categories, items=items, year=year, today=today, book=RuleBook.load())


def communes_counts(*, paths: list[str], year: int, today: dt.date) -> dict[str, Counts]:
    """Counts per commune path for a page (or a province) of communes: one query for all items."""
    categories = list(DisclosureCategory.objects.filter(active=True))
    book = RuleBook.load()
    grouped: dict[str, list[DisclosureItem]] = {p: [] for p in paths}
    for item in DisclosureItem.objects.filter(_year_items(paths, year)).only(
            "pk", "unit_path", "category_id", "year", "quarter", "posted_on", "taken_down_on", "title"):
        grouped[item.unit_path].append(item)
    return {p: count(judge(categories=categories, items=grouped[p], year=year, today=today, book=book))
            for p in paths}
