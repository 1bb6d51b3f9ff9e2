"""Quorum and pass threshold: the rule valid on a date, and the arithmetic that applies it.

``evaluate`` is pure (numbers in, outcome out) so the table tests can state every edge: ties,
exactly 50%, a missing quorum, an empty register. Percentages compare exactly with Decimal:
"trên 50%" (strict) of 10 needs 6, "từ 50%" (not strict) needs 5.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Hashable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, TypeVar

from django.utils.translation import gettext as _

from danvan.core.errors import DomainError

from .models import MatterType, Outcome, ThresholdBase, VotingRule

K = TypeVar("K", bound=Hashable)


@dataclass(frozen=True)
class Terms:
    """The parts of a ``VotingRule`` the arithmetic needs."""

    quorum_percent: Decimal | None
    threshold_percent: Decimal
    quorum_strict: bool = True
    threshold_strict: bool = True
    threshold_base: str = ThresholdBase.PARTICIPANTS

    @classmethod
    def of(cls, rule: VotingRule) -> Terms:
        return cls(quorum_percent=rule.quorum_percent, threshold_percent=rule.threshold_percent,
                   quorum_strict=rule.quorum_strict, threshold_strict=rule.threshold_strict,
                   threshold_base=rule.threshold_base)


def reaches(count: int, base: int, percent: Decimal, *, strict: bool) -> bool:
    """``count`` is more than (strict) or at least ``percent``% of ``base``; never true of an empty base."""
    if base <= 0:
        return False
    lhs, rhs = Decimal(count) * 100, Decimal(percent) * base
    return lhs > rhs if strict else lhs >= rhs


@dataclass(frozen=True)
class Result:
    quorum_met: bool
    outcome: str
    # Options that reached the threshold and, for an election, won a seat.
    passed: frozenset[Any]


def evaluate(*, terms: Terms, eligible: int, participants: int, votes: Mapping[K, int],
             agree: K | None = None, seats: int = 1) -> Result:
    """Apply quorum and threshold.

    ``eligible``: households in the register; ``participants``: representatives present or
    ballots returned; ``votes``: support per option. With ``agree`` the matter passes when
    that option reaches the threshold. Without it (an election) candidates reaching the
    threshold are ranked by votes and fill ``seats``; candidates tied for the last seat all
    stay out, since no rule here may choose between them (the village votes again).
    """
    quorum_met = terms.quorum_percent is None or reaches(participants, eligible, terms.quorum_percent,
                                                         strict=terms.quorum_strict)
    if not quorum_met:
        return Result(quorum_met=False, outcome=Outcome.NO_QUORUM, passed=frozenset())
    base = eligible if terms.threshold_base == ThresholdBase.ALL_HOUSEHOLDS else participants
    reaching = {key: n for key, n in votes.items()
                if reaches(n, base, terms.threshold_percent, strict=terms.threshold_strict)}
    if agree is not None:
        passed = frozenset({agree}) if agree in reaching else frozenset()
    else:
        ranked = sorted(reaching.items(), key=lambda kv: -kv[1])
        if len(ranked) > seats:
            cut = ranked[seats - 1][1] if seats > 0 else None
            # Everyone strictly above the vote count of the first loser is in; a tie at the cut is out.
            first_out = ranked[seats][1]
            ranked = [kv for kv in ranked[:seats] if cut is not None and kv[1] > first_out]
        passed = frozenset(key for key, _n in ranked)
    return Result(quorum_met=True, outcome=Outcome.PASSED if passed else Outcome.REJECTED, passed=passed)


def rule_for(*, matter_type: MatterType, form: str, on: dt.date) -> VotingRule:
    """The rule for a matter type and form valid on ``on`` (the latest one started by then)."""
    rule = (VotingRule.objects.filter(matter_type=matter_type, form=form, valid_from__lte=on)
            .order_by("-valid_from").first())
    if rule is None:
        raise DomainError(_("Chưa có quy tắc biểu quyết (số hộ tham dự tối thiểu, tỷ lệ tán thành) cho loại nội "
                            "dung và hình thức này. Đề nghị quản trị viên bổ sung."), code="rule_missing")
    return rule
