"""Deadlines: day counting, rule selection by date and province, every legal rule per kind.

Expected dates are worked out by hand from the calendar (weekdays noted beside them), not
computed by the code under test.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from danvan.cases.deadlines import (
    Calendar,
    add_days,
    calendar_between,
    case_due_on,
    days_between,
    province_of,
    rule_for,
)
from danvan.cases.models import Case, Field, Holiday, Kind, LegalRule, RuleKey
from danvan.core.errors import DomainError
from danvan.units.models import Unit
from tests.cases.conftest import at

D = dt.date.fromisoformat


# --- day counting without the database ---------------------------------------------------

@pytest.mark.parametrize(("start", "days", "working", "holidays", "expected"), [
    ("2025-03-03", 10, False, [], "2025-03-13"),  # Mon + 10 = Thu
    ("2025-03-05", 10, False, [], "2025-03-17"),  # ends Sat 15 → Mon 17 (Civil Code Art. 148)
    ("2025-03-07", 9, False, [], "2025-03-17"),  # ends Sun 16 → Mon 17
    ("2025-03-03", 0, False, [], "2025-03-03"),
    ("2025-03-06", 3, True, [], "2025-03-11"),  # Thu: Fri 7, Mon 10, Tue 11
    ("2025-03-07", 1, True, [], "2025-03-10"),  # Fri → Mon
    ("2025-03-03", 15, True, [], "2025-03-24"),  # three full weeks of working days
    ("2025-03-06", 3, True, ["2025-03-10"], "2025-03-12"),  # a Monday off pushes one day
    ("2025-03-05", 10, False, ["2025-03-17"], "2025-03-18"),  # Sat → Mon is a holiday → Tue
    ("2025-03-03", 0, True, [], "2025-03-03"),
])
def test_add_days_without_database(start: str, days: int, working: bool, holidays: list[str],
                                   expected: str) -> None:
    assert add_days(D(start), days, working, [D(h) for h in holidays]) == D(expected)


def test_add_days_refuses_negative_periods() -> None:
    with pytest.raises(ValueError, match="negative"):
        add_days(D("2025-03-03"), -1, True)


def test_make_up_saturday_is_a_working_day() -> None:
    calendar = Calendar(holidays=frozenset({D("2025-05-02")}), working_weekend_days=frozenset({D("2025-04-26")}))
    assert calendar.is_working_day(D("2025-04-26"))
    assert not calendar.is_working_day(D("2025-05-02"))
    assert not calendar.is_working_day(D("2025-04-27"))
    assert add_days(D("2025-04-25"), 1, True, calendar) == D("2025-04-26")


@pytest.mark.parametrize(("start", "end", "working", "expected"), [
    ("2025-03-03", "2025-03-05", True, 2),
    ("2025-03-03", "2025-03-05", False, 2),
    ("2025-03-07", "2025-03-10", True, 1),  # Fri → Mon: only Monday counts
    ("2025-03-07", "2025-03-10", False, 3),
    ("2025-03-07", "2025-03-07", True, 0),
    ("2025-03-10", "2025-03-07", False, 0),
])
def test_days_between(start: str, end: str, working: bool, expected: int) -> None:
    assert days_between(D(start), D(end), working) == expected


# --- day counting with the holiday calendar from the database ----------------------------

@pytest.mark.django_db
@pytest.mark.parametrize(("start", "days", "working", "expected"), [
    # Tết Bính Ngọ: off Mon 16 – Fri 20 Feb 2026 (Sat 14 – Sun 22 with the weekends).
    ("2026-02-12", 3, True, "2026-02-24"),  # Thu: Fri 13, then Mon 23, Tue 24
    ("2026-02-13", 1, True, "2026-02-23"),
    # Calendar days that end inside Tết end on the first working day after it.
    ("2026-02-08", 10, False, "2026-02-23"),  # 18 Feb (Tết) → Mon 23
    # 30/4 – 1/5/2025 with the swap: Fri 2/5 off, Sat 26/4 worked.
    ("2025-04-24", 7, True, "2025-05-07"),  # Fri 25, Sat 26, Mon 28, Tue 29, Mon 5, Tue 6, Wed 7
    ("2025-04-20", 10, False, "2025-05-05"),  # Wed 30/4 holiday, 1/5, 2/5, weekend → Mon 5/5
    # Giỗ Tổ Hùng Vương 7/4/2025 (Monday).
    ("2025-04-04", 1, True, "2025-04-08"),
    # Tết Dương lịch 2026: Thu 1/1 and the swapped Fri 2/1; Sat 10/1 worked.
    ("2025-12-31", 1, True, "2026-01-05"),
    ("2026-01-09", 1, True, "2026-01-10"),
    # Quốc khánh 2025: Mon 1/9 and Tue 2/9.
    ("2025-08-29", 1, True, "2025-09-03"),
])
def test_add_days_over_public_holidays(start: str, days: int, working: bool, expected: str) -> None:
    calendar = calendar_between(D(start), D(start) + dt.timedelta(days=60))
    assert add_days(D(start), days, working, calendar) == D(expected)


@pytest.mark.django_db
def test_an_added_holiday_moves_working_day_deadlines() -> None:
    start = D("2025-03-06")
    assert add_days(start, 3, True, calendar_between(start, D("2025-04-30"))) == D("2025-03-11")
    Holiday.objects.create(date=D("2025-03-10"), name="Ngày nghỉ thử")
    assert add_days(start, 3, True, calendar_between(start, D("2025-04-30"))) == D("2025-03-12")


# --- choosing the rule -------------------------------------------------------------------

@pytest.mark.django_db
def test_rule_changed_by_a_newer_valid_from() -> None:
    LegalRule.objects.create(key=RuleKey.COMPLAINT_ACCEPT, days=15, valid_from=D("2026-07-01"), source="Luật mới")
    assert rule_for(RuleKey.COMPLAINT_ACCEPT, on=D("2026-06-30")).days == 10
    assert rule_for(RuleKey.COMPLAINT_ACCEPT, on=D("2026-07-01")).days == 15
    assert rule_for(RuleKey.COMPLAINT_ACCEPT, on=D("2030-01-01")).days == 15


@pytest.mark.django_db
def test_province_rule_beats_national(hanoi: Unit, hcm: Unit) -> None:
    LegalRule.objects.create(key=RuleKey.FEEDBACK_RESOLVE, days=5, working_days=True, valid_from=D("2024-01-01"),
                             province=hanoi, source="Quyết định của UBND thành phố Hà Nội")
    assert rule_for(RuleKey.FEEDBACK_RESOLVE, on=D("2025-03-03"), province=hanoi).days == 5
    assert rule_for(RuleKey.FEEDBACK_RESOLVE, on=D("2025-03-03"), province=hcm).days == 15
    assert rule_for(RuleKey.FEEDBACK_RESOLVE, on=D("2025-03-03")).days == 15
    # Before the province's own rule took effect, the national one applied there too.
    assert rule_for(RuleKey.FEEDBACK_RESOLVE, on=D("2023-12-31"), province=hanoi).days == 15


@pytest.mark.django_db
def test_province_rule_beats_even_a_newer_national_one(hanoi: Unit) -> None:
    LegalRule.objects.create(key=RuleKey.FEEDBACK_RESOLVE, days=5, working_days=True, valid_from=D("2024-01-01"),
                             province=hanoi, source="Quy định của tỉnh")
    LegalRule.objects.create(key=RuleKey.FEEDBACK_RESOLVE, days=20, working_days=True, valid_from=D("2025-01-01"),
                             source="Mặc định mới")
    assert rule_for(RuleKey.FEEDBACK_RESOLVE, on=D("2025-03-03"), province=hanoi).days == 5
    assert rule_for(RuleKey.FEEDBACK_RESOLVE, on=D("2025-03-03")).days == 20


@pytest.mark.django_db
def test_no_rule_valid_yet_is_a_domain_error() -> None:
    with pytest.raises(DomainError, match="Chưa có quy định thời hạn") as info:
        rule_for(RuleKey.COMPLAINT_ACCEPT, on=D("2012-06-30"))
    assert info.value.code == "no_legal_rule"


@pytest.mark.django_db
def test_province_of(hanoi: Unit, ba_dinh: Unit) -> None:
    assert province_of(ba_dinh) == hanoi
    assert province_of(hanoi) == hanoi
    assert province_of(None) is None


@pytest.mark.parametrize(("flags", "expected"), [
    ({}, 30), ({"is_complex": True}, 45), ({"is_remote": True}, 45), ({"is_complex": True, "is_remote": True}, 60),
])
def test_days_for_flags(flags: dict[str, bool], expected: int) -> None:
    rule = LegalRule(days=30, complex_days=45, remote_days=45, remote_complex_days=60)
    assert rule.days_for(is_complex=flags.get("is_complex", False), is_remote=flags.get("is_remote", False)) == expected


def test_days_for_without_special_periods() -> None:
    rule = LegalRule(days=30)
    assert rule.days_for(is_complex=True, is_remote=True) == 30


# --- every rule, per kind, instance and flags --------------------------------------------

RECEIVED = "2025-03-03"  # Monday
ACCEPTED = "2025-03-05"  # Wednesday

# (label, case attributes, expected due_on). Accepted cases start their clock on ACCEPTED.
TABLE: list[tuple[str, dict[str, Any], str | None]] = [
    # Complaint, first instance (Luật Khiếu nại Art. 27, 28): calendar days.
    ("complaint 1 not accepted: acceptance 10 days", {"kind": Kind.COMPLAINT, "instance": 1}, "2025-03-13"),
    ("complaint 1 plain 30", {"kind": Kind.COMPLAINT, "instance": 1, "accepted": True}, "2025-04-04"),
    ("complaint 1 complex 45", {"kind": Kind.COMPLAINT, "instance": 1, "accepted": True, "is_complex": True},
     "2025-04-21"),  # Sat 19/4 → Mon 21/4
    ("complaint 1 remote 45", {"kind": Kind.COMPLAINT, "instance": 1, "accepted": True, "is_remote": True},
     "2025-04-21"),
    ("complaint 1 remote complex 60", {"kind": Kind.COMPLAINT, "instance": 1, "accepted": True, "is_complex": True,
                                       "is_remote": True}, "2025-05-05"),  # Sun 4/5 → Mon 5/5
    # Complaint, second instance (Art. 37).
    ("complaint 2 not accepted: acceptance 10 days", {"kind": Kind.COMPLAINT, "instance": 2}, "2025-03-13"),
    ("complaint 2 plain 45", {"kind": Kind.COMPLAINT, "instance": 2, "accepted": True}, "2025-04-21"),
    ("complaint 2 complex 60", {"kind": Kind.COMPLAINT, "instance": 2, "accepted": True, "is_complex": True},
     "2025-05-05"),
    ("complaint 2 remote 60", {"kind": Kind.COMPLAINT, "instance": 2, "accepted": True, "is_remote": True},
     "2025-05-05"),
    ("complaint 2 remote complex 70", {"kind": Kind.COMPLAINT, "instance": 2, "accepted": True, "is_complex": True,
                                       "is_remote": True}, "2025-05-14"),
    # Denunciation (Luật Tố cáo Art. 24, 30).
    ("denunciation not accepted: 7 working days", {"kind": Kind.DENUNCIATION}, "2025-03-12"),
    ("denunciation 30", {"kind": Kind.DENUNCIATION, "accepted": True}, "2025-04-04"),
    ("denunciation 1 extension", {"kind": Kind.DENUNCIATION, "accepted": True, "extensions": 1}, "2025-05-05"),
    ("denunciation 2 extensions", {"kind": Kind.DENUNCIATION, "accepted": True, "extensions": 2}, "2025-06-03"),
    ("denunciation complex flag changes nothing", {"kind": Kind.DENUNCIATION, "accepted": True, "is_complex": True},
     "2025-04-04"),
    ("anonymous denunciation: information, no deadline", {"kind": Kind.DENUNCIATION, "as_information": True}, None),
    # Feedback and petitions (local rule; national default 15 working days, urgent 1).
    ("feedback 15 working days", {"kind": Kind.FEEDBACK}, "2025-03-24"),
    ("petition 15 working days", {"kind": Kind.PETITION}, "2025-03-24"),
    ("feedback urgent 1 working day", {"kind": Kind.FEEDBACK, "is_urgent": True}, "2025-03-04"),
    ("feedback paused 2 working days", {"kind": Kind.FEEDBACK, "paused_days": 2}, "2025-03-26"),
    # 30 working days cross Giỗ Tổ (Mon 7/4/2025).
    ("feedback extended once", {"kind": Kind.FEEDBACK, "extensions": 1}, "2025-04-15"),
    ("feedback complex/remote flags change nothing", {"kind": Kind.FEEDBACK, "is_complex": True, "is_remote": True},
     "2025-03-24"),
    ("feedback received at reception", {"kind": Kind.FEEDBACK, "channel": "walk_in"}, "2025-03-24"),
]


def _case(unit: Unit, field: Field, attrs: dict[str, Any]) -> Case:
    attrs = dict(attrs)
    accepted = attrs.pop("accepted", False)
    attrs.setdefault("channel", "web")
    case = Case(unit=unit, unit_path=unit.path, field=field, received_at=at(RECEIVED), **attrs)
    if accepted:
        case.accepted_at = at(ACCEPTED)
        case.clock_started_on = D(ACCEPTED)
    elif case.kind in (Kind.FEEDBACK, Kind.PETITION):
        case.clock_started_on = D(RECEIVED)
    return case


@pytest.mark.django_db
@pytest.mark.parametrize(("label", "attrs", "expected"), TABLE, ids=[row[0] for row in TABLE])
def test_case_due_on(ba_dinh: Unit, field_moi_truong: Field, label: str, attrs: dict[str, Any],
                     expected: str | None) -> None:
    assert case_due_on(_case(ba_dinh, field_moi_truong, attrs)) == (D(expected) if expected else None)


@pytest.mark.django_db
@pytest.mark.parametrize(("attrs", "expected"), [
    ({"kind": Kind.COMPLAINT, "instance": 1}, "2025-03-13"),  # complaint.accept: 10 days
    ({"kind": Kind.DENUNCIATION}, "2025-03-12"),  # denunciation.accept: 7 working days
    ({"kind": Kind.FEEDBACK, "channel": "walk_in"}, "2025-03-13"),  # petition.reception: 10 days
    ({"kind": Kind.FEEDBACK}, None),
    ({"kind": Kind.DENUNCIATION, "as_information": True}, None),
])
def test_acceptance_due_on(ba_dinh: Unit, field_moi_truong: Field, attrs: dict[str, Any],
                           expected: str | None) -> None:
    from danvan.cases.deadlines import case_acceptance_due_on

    assert case_acceptance_due_on(_case(ba_dinh, field_moi_truong, attrs)) == (D(expected) if expected else None)


@pytest.mark.django_db
def test_case_received_before_a_rule_change_keeps_the_old_rule(ba_dinh: Unit, field_moi_truong: Field) -> None:
    LegalRule.objects.create(key=RuleKey.COMPLAINT_FIRST, days=20, complex_days=30, valid_from=D("2025-03-04"),
                             source="Luật sửa đổi (thử)")
    before = _case(ba_dinh, field_moi_truong, {"kind": Kind.COMPLAINT, "instance": 1, "accepted": True})
    assert case_due_on(before) == D("2025-04-04")  # received 3/3, old rule: 30 days from 5/3
    after = _case(ba_dinh, field_moi_truong, {"kind": Kind.COMPLAINT, "instance": 1, "accepted": True})
    after.received_at = at("2025-03-04")
    assert case_due_on(after) == D("2025-03-25")  # new rule: 20 days from 5/3


@pytest.mark.django_db
def test_province_override_applies_to_its_communes_only(ba_dinh: Unit, hanoi: Unit, hcm_commune: Unit,
                                                        field_moi_truong: Field) -> None:
    LegalRule.objects.create(key=RuleKey.FEEDBACK_RESOLVE, days=5, working_days=True, valid_from=D("2024-01-01"),
                             province=hanoi, source="Quy định của Hà Nội (thử)")
    assert case_due_on(_case(ba_dinh, field_moi_truong, {"kind": Kind.FEEDBACK})) == D("2025-03-10")
    assert case_due_on(_case(hcm_commune, field_moi_truong, {"kind": Kind.FEEDBACK})) == D("2025-03-24")
