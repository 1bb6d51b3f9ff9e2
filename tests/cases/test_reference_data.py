"""The data the migrations load: fields, the legal rules of LEGAL.md, the holiday calendar."""

from __future__ import annotations

import datetime as dt

import pytest

from danvan.cases.models import Field, Holiday, LegalRule, RuleKey

pytestmark = pytest.mark.django_db
D = dt.date.fromisoformat


def test_the_eleven_fields_in_order() -> None:
    names = list(Field.objects.order_by("order").values_list("name", flat=True))
    assert names == ["Đất đai", "Bồi thường, hỗ trợ, tái định cư", "Môi trường", "Trật tự đô thị – xây dựng",
                     "Giao thông", "An sinh xã hội", "Y tế", "Giáo dục", "Điện, nước", "Thủ tục hành chính", "Khác"]
    for field in Field.objects.exclude(code="khac"):
        assert len(field.keywords) >= 10, field.code
        assert all(k == k.strip() and k for k in field.keywords)


# key → (days, complex, remote, remote complex, working days, max extensions, days each, unconfirmed)
EXPECTED = {
    RuleKey.COMPLAINT_ACCEPT: (10, None, None, None, False, 0, 0, False),
    RuleKey.COMPLAINT_FIRST: (30, 45, 45, 60, False, 0, 0, False),
    RuleKey.COMPLAINT_SECOND: (45, 60, 60, 70, False, 0, 0, False),
    RuleKey.DENUNCIATION_ACCEPT: (7, None, None, None, True, 0, 0, True),
    RuleKey.DENUNCIATION_RESOLVE: (30, None, None, None, False, 2, 30, False),
    RuleKey.PETITION_RECEPTION: (10, None, None, None, False, 0, 0, False),
    RuleKey.FEEDBACK_RESOLVE: (15, None, None, None, True, 1, 15, True),
    RuleKey.FEEDBACK_URGENT: (1, None, None, None, True, 0, 0, True),
}


@pytest.mark.parametrize("key", list(EXPECTED))
def test_legal_rules_as_in_legal_md(key: str) -> None:
    rule = LegalRule.objects.get(key=key, province=None)
    got = (rule.days, rule.complex_days, rule.remote_days, rule.remote_complex_days, rule.working_days,
           rule.max_extensions, rule.extension_days, rule.unconfirmed)
    assert got == EXPECTED[key]
    assert rule.source


def test_feedback_rules_say_they_are_local() -> None:
    for key in (RuleKey.FEEDBACK_RESOLVE, RuleKey.FEEDBACK_URGENT):
        assert "địa phương" in LegalRule.objects.get(key=key).source


def test_every_rule_key_has_a_row() -> None:
    assert set(LegalRule.objects.values_list("key", flat=True)) == set(RuleKey.values)


@pytest.mark.parametrize(("day", "working_day"), [
    ("2025-01-01", False), ("2025-01-29", False), ("2025-04-07", False), ("2025-04-26", True), ("2025-05-02", False),
    ("2025-09-01", False), ("2025-09-02", False), ("2026-02-16", False), ("2026-02-20", False), ("2026-04-27", False),
    ("2026-04-30", False), ("2026-05-01", False), ("2026-09-02", False), ("2027-01-01", False), ("2027-04-16", False),
    ("2027-09-02", False),
])
def test_holidays(day: str, working_day: bool) -> None:
    assert Holiday.objects.get(date=D(day)).working_day is working_day


def test_tet_bính_ngọ_is_the_announced_week() -> None:
    tet = Holiday.objects.filter(date__gte=D("2026-02-01"), date__lte=D("2026-02-28"))
    assert sorted(h.date.day for h in tet) == [16, 17, 18, 19, 20]
    assert not any(h.unconfirmed for h in tet)


def test_uncertain_days_are_flagged() -> None:
    flagged = set(Holiday.objects.filter(unconfirmed=True).values_list("date", flat=True))
    assert D("2026-09-01") in flagged and D("2027-02-08") in flagged and D("2027-09-03") in flagged
    assert D("2025-01-01") not in flagged
