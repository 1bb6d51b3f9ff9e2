"""Demo data: decisions of the demo village heads' villages, through the services.

For every focus commune whose demo village head has households in their village: a community
meeting on an infrastructure contribution (passed, published, reported), a paper household
ballot on a community fund (published), the village's quy ước adopted at a meeting, and an
online vote on another self-management matter left open with some households having voted.
Codes are made without SMS (``send_sms=False``) and transitions notify no household: a demo sends nothing.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from django.utils.translation import gettext_lazy as _

from danvan.accounts.models import Role, RoleAssignment
from danvan.demo.registry import DemoContext, register
from danvan.units.models import Household, Unit

from .models import Channel, Decision, Form
from .services import (
    Action,
    OnlinePreconditions,
    attendance_set,
    ballot_cast_online,
    ballots_issue,
    decision_create,
    decision_transition,
    matter_type_by_code,
    meeting_record,
    paper_ballot_enter,
    tallies_enter,
    voting_codes_issue,
)

DEMO_DAY = dt.date(2026, 3, 15)


def _agree_ids(decision: Decision) -> tuple[int, int]:
    options = list(decision.options.order_by("order"))
    return options[0].pk, options[1].pk


def _meeting(ctx: DemoContext, head: Any, village: Unit, households: list[Household], rng: random.Random, *,
             title: str, matter: str, minutes: str, starts_at: dt.time, document_title: str = "") -> Decision:
    decision = decision_create(actor=head, village=village, title=title, matter_type=matter_type_by_code(matter),
                               form=Form.MEETING, secret=False, opens_on=DEMO_DAY, document_title=document_title)
    decision_transition(actor=head, decision=decision, action=Action.OPEN, notify=False)
    # Village meetings are held in the evening, after work.
    meeting_record(actor=head, decision=decision, held_on=DEMO_DAY, starts_at=starts_at,
                   location=f"Nhà văn hóa {village.name}",
                   chair=head.display_name, secretary="Thư ký hội nghị", minutes=minutes, notify=False)
    present = rng.sample(households, k=max(1, int(len(households) * rng.uniform(0.6, 0.85))))
    attendance_set(actor=head, decision=decision, household_ids=[h.pk for h in present])
    agree, disagree = _agree_ids(decision)
    yes = int(len(present) * rng.uniform(0.65, 0.9))
    tallies_enter(actor=head, decision=decision, votes={agree: yes, disagree: len(present) - yes})
    decision_transition(actor=head, decision=decision, action=Action.COUNT)
    decision_transition(actor=head, decision=decision, action=Action.PUBLISH, notify=False)
    return decision


def _village_decisions(ctx: DemoContext, head: Any, village: Unit) -> dict[str, int]:
    rng = ctx.rng_for("decisions", village.path)
    households = list(Household.objects.filter(village=village, active=True).order_by("number"))
    existing = set(Decision.objects.filter(village=village).values_list("title", flat=True))
    made = {"decisions": 0, "ballots": 0}
    if not households:
        return made

    title = f"Đóng góp kinh phí bê tông hóa đường ngõ xóm {village.name} năm 2026"
    if title not in existing:
        decision = _meeting(ctx, head, village, households, rng, title=title, matter="infrastructure",
                            starts_at=dt.time(19, 30),
                            minutes="Hội nghị bàn mức đóng góp 300.000 đồng mỗi hộ, hộ nghèo được miễn; "
                                    "Nhà nước hỗ trợ xi măng.")
        decision_transition(actor=head, decision=decision, action=Action.REPORT,
                            note="Kính báo cáo Ủy ban nhân dân cấp xã kết quả hội nghị cộng đồng dân cư.")
        made["decisions"] += 1

    title = f"Quy ước {village.name} (sửa đổi năm 2026)"
    if title not in existing:
        _meeting(ctx, head, village, households, rng, title=title, matter="village_charter", starts_at=dt.time(19, 0),
                 minutes="Hội nghị thảo luận dự thảo quy ước về nếp sống văn minh, giữ gìn vệ sinh môi trường.",
                 document_title=title)
        made["decisions"] += 1

    title = f"Thu, chi Quỹ khuyến học {village.name} năm 2026"
    if title not in existing:
        decision = decision_create(actor=head, village=village, title=title, opens_on=DEMO_DAY,
                                   matter_type=matter_type_by_code("community_funds"), form=Form.HOUSEHOLD_BALLOT,
                                   channel=Channel.PAPER)
        decision_transition(actor=head, decision=decision, action=Action.OPEN, notify=False)
        ballots_issue(actor=head, decision=decision)
        agree, disagree = _agree_ids(decision)
        numbers = list(decision.issues.values_list("number", flat=True))
        for number in rng.sample(numbers, k=int(len(numbers) * rng.uniform(0.75, 0.95))):
            choice = agree if rng.random() < 0.8 else disagree
            paper_ballot_enter(actor=head, decision=decision, number=number, option_ids=[choice])
            made["ballots"] += 1
        decision_transition(actor=head, decision=decision, action=Action.COUNT)
        decision_transition(actor=head, decision=decision, action=Action.PUBLISH, notify=False)
        made["decisions"] += 1

    title = f"Lịch tổng vệ sinh môi trường chung của {village.name}: sáng Chủ nhật cuối tháng"
    if title not in existing:
        decision = decision_create(
            actor=head, village=village, title=title, matter_type=matter_type_by_code("other_self_management"),
            form=Form.ONLINE_VOTE, opens_on=DEMO_DAY, closes_on=dt.date(2030, 12, 31),
            online=OnlinePreconditions(head_front_agreed=True, method_chosen=True, devices_confirmed=True,
                                       reported_on=DEMO_DAY - dt.timedelta(days=7)))
        decision_transition(actor=head, decision=decision, action=Action.OPEN, notify=False)
        codes = voting_codes_issue(actor=head, decision=decision, send_sms=False).codes
        agree, disagree = _agree_ids(decision)
        for household_id in rng.sample(sorted(codes), k=len(codes) // 3):
            ballot_cast_online(decision_id=decision.pk, code=codes[household_id],
                               option_ids=[agree if rng.random() < 0.7 else disagree])
            made["ballots"] += 1
        made["decisions"] += 1
    return made


@register("democracy.decisions", order=410,
          labels={"decisions": _("biểu quyết của cộng đồng dân cư"), "ballots": _("phiếu biểu quyết")})
def decisions(ctx: DemoContext) -> dict[str, int]:
    """Meetings, household ballots and an online vote in the demo village heads' villages."""
    total = {"decisions": 0, "ballots": 0}
    for commune in ctx.focus_communes:
        head = ctx.officials.get(f"commune.{commune.code}.village_head")
        if head is None:
            continue
        grant = (RoleAssignment.objects.filter(user=head, role=Role.VILLAGE_HEAD, active=True)
                 .select_related("unit", "unit__parent").order_by("unit__path").first())
        if grant is None:
            continue
        made = _village_decisions(ctx, head, grant.unit)
        for key, n in made.items():
            total[key] += n
    return total
