"""Deadlines from the legal-rule table and the holiday calendar.

- ``rule_for`` picks the rule valid on a date: a province's own row first, then the newest
  ``valid_from`` not after the date. A case always uses the rules valid on its receipt date,
  so a later change of the law does not move the deadline of a case already received.
- ``add_days`` counts calendar or working days (weekends and holidays off, make-up Saturdays
  on). For calendar-day periods the Civil Code applies: a period whose last day is a weekend
  or holiday ends on the next working day (Bộ luật Dân sự 2015, Art. 148(5)).
- ``case_due_on`` gives the deadline that matters now: acceptance (thụ lý) for a complaint or
  denunciation not yet accepted; resolution otherwise, with extensions, the complex and
  remote flags, and the days the clock stood still while waiting for the citizen.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass

from django.db import connection
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from danvan.core.errors import DomainError
from danvan.units.models import Level, Unit

from . import refcache
from .models import FEEDBACK_KINDS, Case, Holiday, Instance, Kind, LegalRule, RuleKey

# Rules are at most a few months long; a calendar window this wide always covers them.
_WINDOW_SLACK_DAYS = 120


@dataclass(frozen=True)
class Calendar:
    """Days off and make-up working days over some period."""

    holidays: frozenset[dt.date] = frozenset()
    working_weekend_days: frozenset[dt.date] = frozenset()

    def is_working_day(self, day: dt.date) -> bool:
        """Monday to Friday except holidays, plus weekend days worked in exchange."""
        if day in self.working_weekend_days:
            return True
        return day.weekday() < 5 and day not in self.holidays


def calendar_between(start: dt.date, end: dt.date) -> Calendar:
    """The holiday calendar from the database for [start, end]."""
    holidays: set[dt.date] = set()
    working: set[dt.date] = set()
    if connection.in_atomic_block:
        rows = list(Holiday.objects.filter(date__gte=start, date__lte=end).values_list("date", "working_day"))
    else:
        # The whole calendar is a few hundred rows: read once per process (cases.refcache).
        rows = [(day, working_day) for day, working_day in refcache.cached(
            "holidays", lambda: list(Holiday.objects.values_list("date", "working_day")))
            if start <= day <= end]
    for day, working_day in rows:
        (working if working_day else holidays).add(day)
    return Calendar(frozenset(holidays), frozenset(working))


def calendar_for(start: dt.date, days: int) -> Calendar:
    """A calendar wide enough to count ``days`` (working or not) from ``start``."""
    return calendar_between(start, start + dt.timedelta(days=days * 2 + _WINDOW_SLACK_DAYS))


def _as_calendar(holidays: Calendar | Collection[dt.date]) -> Calendar:
    if isinstance(holidays, Calendar):
        return holidays
    return Calendar(frozenset(holidays))


def add_days(start: dt.date, days: int, working_days: bool,
             holidays: Calendar | Collection[dt.date] = ()) -> dt.date:
    """The last day of a period of ``days`` days counted from the day after ``start``.

    Working days skip weekends and holidays. Calendar days count every day, but a period
    ending on a day off ends on the next working day (Civil Code 2015, Art. 148(5)).
    """
    if days < 0:
        raise ValueError("days must not be negative")
    calendar = _as_calendar(holidays)
    day = start
    if working_days:
        counted = 0
        while counted < days:
            day += dt.timedelta(days=1)
            if calendar.is_working_day(day):
                counted += 1
        return day
    day = start + dt.timedelta(days=days)
    if days:
        while not calendar.is_working_day(day):
            day += dt.timedelta(days=1)
    return day


def days_between(start: dt.date, end: dt.date, working_days: bool,
                 holidays: Calendar | Collection[dt.date] = ()) -> int:
    """Days after ``start`` up to and including ``end`` (working days only, if asked); 0 if none."""
    if end <= start:
        return 0
    if not working_days:
        return (end - start).days
    calendar = _as_calendar(holidays)
    count = 0
    day = start
    while day < end:
        day += dt.timedelta(days=1)
        if calendar.is_working_day(day):
            count += 1
    return count


def province_of(unit: Unit | None) -> Unit | None:
    """The province a unit lies in (itself, for a province), by its path."""
    if unit is None:
        return None
    if unit.level == Level.PROVINCE:
        return unit
    if unit.level < Level.PROVINCE:
        return None
    parts = unit.path.split(".")
    # "VN.01.00004." → "VN.01."; legacy paths carry a district between, which changes nothing here.
    province_path = ".".join(parts[:2]) + "."
    return refcache.cached(("province", province_path),
                           lambda: Unit.objects.filter(path=province_path).first())


def rule_for(key: str, *, on: dt.date, province: Unit | None = None) -> LegalRule:
    """The rule ``key`` valid on ``on``: the province's own row first, then the newest."""
    if connection.in_atomic_block:
        condition = Q(province__isnull=True)
        if province is not None:
            condition |= Q(province=province)
        rule = (LegalRule.objects.filter(condition, key=key, valid_from__lte=on)
                .order_by(F("province").asc(nulls_last=True), "-valid_from").first())
    else:
        # The same choice over the whole table, read once per process (cases.refcache).
        province_id = province.pk if province is not None else None
        candidates = [r for r in refcache.cached("legal_rules", lambda: list(LegalRule.objects.order_by("id")))
                      if r.key == key and r.valid_from <= on and r.province_id in (None, province_id)]
        candidates.sort(key=lambda r: (r.province_id is None, -r.valid_from.toordinal()))
        rule = candidates[0] if candidates else None
    if rule is None:
        label = RuleKey(key).label if key in RuleKey.values else key
        raise DomainError(_("Chưa có quy định thời hạn «%(rule)s» áp dụng từ ngày %(day)s.")
                          % {"rule": label, "day": on.strftime("%d/%m/%Y")}, code="no_legal_rule")
    return rule


def local_date(moment: dt.datetime | None) -> dt.date:
    """The date of a moment in Vietnam's time zone (the project's TIME_ZONE)."""
    return timezone.localdate(moment) if moment is not None else timezone.localdate()


def acceptance_rule_key(case: Case) -> str | None:
    """Which rule gives the acceptance (thụ lý) deadline, if the case has one."""
    if case.as_information:
        return None
    if case.kind == Kind.COMPLAINT:
        return RuleKey.COMPLAINT_ACCEPT
    if case.kind == Kind.DENUNCIATION:
        return RuleKey.DENUNCIATION_ACCEPT
    if case.channel == "walk_in":
        # A petition handed in at a reception office must be processed within the reception rule.
        return RuleKey.PETITION_RECEPTION
    return None


def resolution_rule_key(case: Case) -> str | None:
    """Which rule gives the resolution deadline; None for information kept from an anonymous denunciation."""
    if case.as_information:
        return None
    if case.kind == Kind.COMPLAINT:
        return RuleKey.COMPLAINT_SECOND if case.instance == Instance.SECOND else RuleKey.COMPLAINT_FIRST
    if case.kind == Kind.DENUNCIATION:
        return RuleKey.DENUNCIATION_RESOLVE
    return RuleKey.FEEDBACK_URGENT if case.is_urgent else RuleKey.FEEDBACK_RESOLVE


def needs_acceptance(case: Case) -> bool:
    """Complaints and denunciations start their resolution clock only when accepted."""
    return case.kind not in FEEDBACK_KINDS and not case.as_information


def _case_province(case: Case) -> Unit | None:
    return province_of(case.unit)


def case_acceptance_due_on(case: Case) -> dt.date | None:
    """The acceptance deadline from the rule valid on the receipt date."""
    key = acceptance_rule_key(case)
    if key is None:
        return None
    received = local_date(case.received_at)
    rule = rule_for(key, on=received, province=_case_province(case))
    return add_days(received, rule.days, rule.working_days, calendar_for(received, rule.days))


def case_resolution_rule(case: Case) -> LegalRule | None:
    """The resolution rule valid on the case's receipt date (province first)."""
    key = resolution_rule_key(case)
    if key is None:
        return None
    return rule_for(key, on=local_date(case.received_at), province=_case_province(case))


def resolution_days(case: Case, rule: LegalRule) -> int:
    """Length of the running resolution clock: the rule's period for the case's flags, plus
    its extensions and the days it stood still."""
    days = rule.days_for(is_complex=case.is_complex, is_remote=case.is_remote)
    return days + case.extensions * rule.extension_days + case.paused_days


def case_due_on(case: Case) -> dt.date | None:
    """The deadline that matters now (acceptance, then resolution); None without one."""
    if needs_acceptance(case) and case.accepted_at is None:
        return case_acceptance_due_on(case)
    rule = case_resolution_rule(case)
    if rule is None:
        return None
    start = case.clock_started_on or local_date(case.received_at)
    days = resolution_days(case, rule)
    return add_days(start, days, rule.working_days, calendar_for(start, days))


def paused_days_until(case: Case, today: dt.date) -> int:
    """Days the clock stood still from ``case.paused_since`` to ``today``, in the rule's unit."""
    if case.paused_since is None:
        return 0
    rule = case_resolution_rule(case)
    working = bool(rule and rule.working_days)
    calendar = calendar_between(case.paused_since, today) if working else Calendar()
    return days_between(case.paused_since, today, working, calendar)


@dataclass(frozen=True)
class ExtensionAllowance:
    """How a case may be extended now: by the complex flag (complaints) or by a counted
    extension of ``days`` (others); ``refusal`` says why not, when it may not."""

    days: int
    by_complex_flag: bool
    refusal: str = ""


def extension_allowance(case: Case) -> ExtensionAllowance:
    """Whether and how the case's deadline may be extended, by the rule valid on receipt."""
    rule = case_resolution_rule(case)
    if rule is None:
        return ExtensionAllowance(0, False, _("Thông tin từ tố cáo nặc danh không có thời hạn để gia hạn."))
    if case.kind == Kind.COMPLAINT:
        # A complaint gets longer by being found complex (Luật Khiếu nại 2011, Art. 28, 37).
        if case.is_complex:
            return ExtensionAllowance(0, True, _("Vụ việc đã được xác định là phức tạp: không thể gia hạn thêm."))
        plain = rule.days_for(is_complex=False, is_remote=case.is_remote)
        longer = rule.days_for(is_complex=True, is_remote=case.is_remote)
        return ExtensionAllowance(longer - plain, True)
    if rule.max_extensions == 0 or rule.extension_days == 0:
        return ExtensionAllowance(0, False, _("Quy định thời hạn áp dụng cho vụ việc này không cho phép gia hạn."))
    if case.extensions >= rule.max_extensions:
        return ExtensionAllowance(0, False, _("Đã gia hạn đủ %(n)d lần theo quy định: không thể gia hạn thêm.")
                                  % {"n": rule.max_extensions})
    return ExtensionAllowance(rule.extension_days, False)
