"""Table tests: quorum and thresholds (ties, exactly 50%, missing quorum), the dated rule data,
and the online vote's matter-type restriction with Decree 59's preconditions."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from danvan.core.errors import DomainError
from danvan.democracy.decisions.models import Form, MatterType, Outcome, ThresholdBase, VotingRule
from danvan.democracy.decisions.services import OnlinePreconditions, online_vote_check
from danvan.democracy.decisions.voting import Terms, evaluate, reaches, rule_for

from .conftest import READY, World, new_decision

MEETING = Terms(quorum_percent=Decimal("50"), threshold_percent=Decimal("50"))
NO_QUORUM_RULE = Terms(quorum_percent=None, threshold_percent=Decimal("50"),
                       threshold_base=ThresholdBase.ALL_HOUSEHOLDS)
AT_LEAST = Terms(quorum_percent=Decimal("50"), threshold_percent=Decimal("50"), quorum_strict=False,
                 threshold_strict=False)
TWO_THIRDS = Terms(quorum_percent=Decimal("50"), threshold_percent=Decimal("66.67"))


@pytest.mark.parametrize(("count", "base", "percent", "strict", "expected"), [
    (6, 10, "50", True, True),
    (5, 10, "50", True, False),   # exactly half is not "more than half"
    (5, 10, "50", False, True),   # ... but is "at least half"
    (4, 10, "50", False, False),
    (51, 101, "50", True, True),
    (50, 101, "50", True, False),
    (0, 0, "50", True, False),    # an empty base never reaches anything
    (0, 0, "0", False, False),
    (1, 1, "50", True, True),
    (2, 3, "66.67", True, False),  # 66.66…% of 3 is not above 66.67%
    (3, 3, "66.67", True, True),
])
def test_reaches(count: int, base: int, percent: str, strict: bool, expected: bool) -> None:
    assert reaches(count, base, Decimal(percent), strict=strict) is expected


AGREE, DISAGREE = "agree", "disagree"


@pytest.mark.parametrize(("name", "terms", "eligible", "present", "agree", "disagree", "outcome"), [
    ("clear majority", MEETING, 20, 15, 10, 5, Outcome.PASSED),
    ("tie among those present", MEETING, 20, 12, 6, 6, Outcome.REJECTED),
    ("exactly half present: no quorum", MEETING, 20, 10, 10, 0, Outcome.NO_QUORUM),
    ("one above half present", MEETING, 20, 11, 6, 5, Outcome.PASSED),
    ("exactly half of those present agree", MEETING, 20, 12, 6, 0, Outcome.REJECTED),
    ("abstentions count against", MEETING, 20, 15, 7, 2, Outcome.REJECTED),
    ("nobody present", MEETING, 20, 0, 0, 0, Outcome.NO_QUORUM),
    ("empty register", MEETING, 0, 0, 0, 0, Outcome.NO_QUORUM),
    ("at-least rule: half present, half agree", AT_LEAST, 20, 10, 5, 5, Outcome.PASSED),
    ("at-least rule: under half present", AT_LEAST, 20, 9, 9, 0, Outcome.NO_QUORUM),
    ("two thirds needed, 2 of 3", TWO_THIRDS, 5, 3, 2, 1, Outcome.REJECTED),
    ("two thirds needed, 3 of 3", TWO_THIRDS, 5, 3, 3, 0, Outcome.PASSED),
    # Household ballot: no quorum, but more than half of ALL households must agree.
    ("ballot: majority of returned but not of all", NO_QUORUM_RULE, 20, 12, 9, 3, Outcome.REJECTED),
    ("ballot: majority of all", NO_QUORUM_RULE, 20, 12, 11, 1, Outcome.PASSED),
    ("ballot: exactly half of all", NO_QUORUM_RULE, 20, 20, 10, 10, Outcome.REJECTED),
])
def test_agree_disagree(name: str, terms: Terms, eligible: int, present: int, agree: int, disagree: int,
                        outcome: str) -> None:
    result = evaluate(terms=terms, eligible=eligible, participants=present,
                      votes={AGREE: agree, DISAGREE: disagree}, agree=AGREE)
    assert result.outcome == outcome, name
    assert (AGREE in result.passed) is (outcome == Outcome.PASSED)
    assert DISAGREE not in result.passed
    assert result.quorum_met is (outcome != Outcome.NO_QUORUM)


@pytest.mark.parametrize(("name", "votes", "seats", "elected", "outcome"), [
    ("one seat, clear winner", {"An": 8, "Bình": 3}, 1, {"An"}, Outcome.PASSED),
    ("one seat, nobody above half", {"An": 5, "Bình": 5}, 1, set(), Outcome.REJECTED),
    ("one seat, both above half: the higher wins", {"An": 9, "Bình": 7}, 1, {"An"}, Outcome.PASSED),
    ("one seat, tie above half: nobody, vote again", {"An": 8, "Bình": 8}, 1, set(), Outcome.REJECTED),
    ("two seats, three reach, tie for the last", {"An": 9, "Bình": 7, "Chi": 7}, 2, {"An"}, Outcome.PASSED),
    ("two seats, three reach, clear order", {"An": 9, "Bình": 8, "Chi": 7}, 2, {"An", "Bình"}, Outcome.PASSED),
    ("three seats, two reach", {"An": 9, "Bình": 8, "Chi": 2}, 3, {"An", "Bình"}, Outcome.PASSED),
])
def test_elections(name: str, votes: dict[str, int], seats: int, elected: set[str], outcome: str) -> None:
    result = evaluate(terms=MEETING, eligible=14, participants=12, votes=votes, seats=seats)
    assert set(result.passed) == elected, name
    assert result.outcome == outcome


def test_election_without_quorum_elects_nobody() -> None:
    result = evaluate(terms=MEETING, eligible=30, participants=12, votes={"An": 12}, seats=1)
    assert result.outcome == Outcome.NO_QUORUM and not result.passed


# --- rules as data --------------------------------------------------------------------------

def test_every_matter_type_has_rules_and_online_only_for_other_matters(db: Any) -> None:
    codes = list(MatterType.objects.order_by("order").values_list("code", flat=True))
    assert codes == ["infrastructure", "community_funds", "village_charter", "village_head", "boards",
                     "other_self_management"]
    for matter in MatterType.objects.all():
        forms = set(VotingRule.objects.filter(matter_type=matter).values_list("form", flat=True))
        expected = {Form.MEETING, Form.HOUSEHOLD_BALLOT}
        if matter.code == "other_self_management":
            expected.add(Form.ONLINE_VOTE)
        assert forms == expected, matter.code
    assert set(MatterType.objects.filter(allows_online_vote=True).values_list("code", flat=True)) == {
        "other_self_management"}
    meeting = rule_for(matter_type=MatterType.objects.get(code="infrastructure"), form=Form.MEETING,
                       on=dt.date(2025, 1, 1))
    assert (meeting.quorum_percent, meeting.threshold_percent, meeting.threshold_base) == (
        Decimal("50"), Decimal("50"), ThresholdBase.PARTICIPANTS)
    # The law-level quorum is not confirmed against the original text: flagged.
    assert meeting.unconfirmed and "chưa đối chiếu" in meeting.source


def test_rule_valid_on_the_date_is_chosen(db: Any) -> None:
    infra = MatterType.objects.get(code="infrastructure")
    VotingRule.objects.create(matter_type=infra, form=Form.MEETING, valid_from=dt.date(2027, 1, 1),
                              quorum_percent=Decimal("66.67"), threshold_percent=Decimal("50"))
    assert rule_for(matter_type=infra, form=Form.MEETING, on=dt.date(2026, 12, 31)).quorum_percent == Decimal("50")
    assert rule_for(matter_type=infra, form=Form.MEETING, on=dt.date(2027, 1, 1)).quorum_percent == Decimal("66.67")
    with pytest.raises(DomainError) as missing:
        rule_for(matter_type=infra, form=Form.MEETING, on=dt.date(2023, 6, 30))
    assert missing.value.code == "rule_missing" and "Chưa có quy tắc" in missing.value.message


# --- the online vote's restriction (Decree 59/2023, Art. 5) ------------------------------------

@pytest.mark.parametrize(("matter_code", "allowed"), [
    ("infrastructure", False),
    ("community_funds", False),
    ("village_charter", False),
    ("village_head", False),
    ("boards", False),
    ("other_self_management", True),
])
def test_online_vote_only_for_other_self_management_matters(world: World, matter_code: str, allowed: bool) -> None:
    kwargs: dict[str, Any] = {"candidates": ["Nguyễn Văn An"]} if matter_code in ("village_head", "boards") else {}
    if allowed:
        decision = new_decision(world, form=Form.ONLINE_VOTE, matter_code=matter_code, **kwargs)
        assert decision.channel == "online"
    else:
        with pytest.raises(DomainError) as refused:
            new_decision(world, form=Form.ONLINE_VOTE, matter_code=matter_code, **kwargs)
        assert refused.value.code == "online_not_allowed"
        assert "Chỉ được biểu quyết trực tuyến đối với các công việc tự quản khác" in refused.value.message
        # The same matter may go to a meeting or a household ballot.
        assert new_decision(world, form=Form.MEETING, matter_code=matter_code, **kwargs).pk


@pytest.mark.parametrize(("pre", "missing"), [
    (OnlinePreconditions(), "Trưởng thôn và Ban công tác Mặt trận"),
    (OnlinePreconditions(head_front_agreed=True, devices_confirmed=True, reported_on=dt.date(2026, 1, 1)),
     "lựa chọn cách thức"),
    (OnlinePreconditions(head_front_agreed=True, method_chosen=True, reported_on=dt.date(2026, 1, 1)),
     "thiết bị kết nối mạng"),
    (OnlinePreconditions(head_front_agreed=True, method_chosen=True, devices_confirmed=True),
     "báo cáo trước Ủy ban nhân dân"),
])
def test_online_vote_needs_every_precondition(db: Any, pre: OnlinePreconditions, missing: str) -> None:
    other = MatterType.objects.get(code="other_self_management")
    with pytest.raises(DomainError) as refused:
        online_vote_check(matter_type=other, pre=pre)
    assert refused.value.code == "online_preconditions" and missing in refused.value.message
    online_vote_check(matter_type=other, pre=READY)
