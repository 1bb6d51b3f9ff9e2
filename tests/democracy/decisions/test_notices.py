"""SMS to household representatives when a decision opens and when its result is published
(Art. 18, 21 of Law 10/2022/QH15): one per household with a phone, once, and the same text for all."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from danvan.democracy.decisions.models import Channel, Form, Status
from danvan.democracy.decisions.services import (
    NOTICE_OPEN,
    NOTICE_RESULT,
    Action,
    attendance_set,
    ballot_cast_online,
    decision_transition,
    households_notify,
    meeting_record,
    notice_dedupe,
    tallies_enter,
    voting_codes_issue,
)
from danvan.notifications.models import NotificationChannel, Outbox

from .conftest import World, new_decision
from .test_services import options


def notices(kind: str) -> list[Outbox]:
    return list(Outbox.objects.filter(dedupe_key__contains=f":notice:{kind}:").order_by("recipient"))


def test_meeting_called_then_result_published(world: World) -> None:
    world.households[9].representative_phone = ""
    world.households[9].save()
    decision = new_decision(world, form=Form.MEETING, secret=False)
    meeting_record(actor=world.head, decision=decision, held_on=dt.date(2026, 3, 8),
                   location="Nhà văn hóa tổ dân phố số 1", chair="", secretary="", minutes="")
    decision_transition(actor=world.head, decision=decision, action=Action.OPEN)
    called = notices(NOTICE_OPEN)
    # One SMS per household with a phone; the household without one gets none.
    assert len(called) == 9 and {n.channel for n in called} == {NotificationChannel.SMS}
    assert world.households[9].representative_phone not in {n.recipient for n in called}
    assert sorted(n.recipient for n in called) == sorted(h.representative_phone for h in world.households[:9])
    body = called[0].body
    assert "Đóng góp làm đường bê tông ngõ 5" in body and "08/03/2026" in body
    assert "Nhà văn hóa tổ dân phố số 1" in body and {n.body for n in called} == {body}
    # Re-running queues nothing new.
    assert households_notify(decision=decision, kind=NOTICE_OPEN) == 0
    assert len(notices(NOTICE_OPEN)) == 9
    assert called[0].dedupe_key == notice_dedupe(decision, world.households[0].pk, NOTICE_OPEN)

    attendance_set(actor=world.head, decision=decision, household_ids=[h.pk for h in world.households[:7]])
    agree, disagree = options(decision)
    tallies_enter(actor=world.head, decision=decision, votes={agree: 5, disagree: 2})
    decision_transition(actor=world.head, decision=decision, action=Action.COUNT)
    decision = decision_transition(actor=world.head, decision=decision, action=Action.PUBLISH)
    assert decision.status == Status.PUBLISHED
    results = notices(NOTICE_RESULT)
    assert len(results) == 9 and {n.body for n in results} == {results[0].body}
    assert "Thông qua" in results[0].body or decision.get_outcome_display() in results[0].body
    assert f"/dan-chu/bieu-quyet/{decision.pk}/" in results[0].body
    assert households_notify(decision=decision, kind=NOTICE_RESULT) == 0


def test_online_vote_notice_reveals_no_vote_and_no_code(world: World) -> None:
    start = timezone.localdate()
    end = start + dt.timedelta(days=9)
    decision = new_decision(world, form=Form.HOUSEHOLD_BALLOT, channel=Channel.ONLINE,
                            opens_on=start, closes_on=end)
    decision_transition(actor=world.head, decision=decision, action=Action.OPEN)
    opened = notices(NOTICE_OPEN)
    assert len(opened) == 10
    body = opened[0].body
    assert start.strftime("%d/%m/%Y") in body and end.strftime("%d/%m/%Y") in body and "mã" in body
    sent = voting_codes_issue(actor=world.head, decision=decision)
    agree, disagree = options(decision)
    ballot_cast_online(decision_id=decision.pk, code=sent.codes[world.households[0].pk], option_ids=[disagree])
    for h in world.households[1:7]:
        ballot_cast_online(decision_id=decision.pk, code=sent.codes[h.pk], option_ids=[agree])
    decision_transition(actor=world.head, decision=decision, action=Action.COUNT)
    decision_transition(actor=world.head, decision=decision, action=Action.PUBLISH)
    results = notices(NOTICE_RESULT)
    assert len(results) == 10 and len({n.body for n in results}) == 1
    for row in opened + results:
        assert not any(code in row.body or f"{code[:4]}-{code[4:]}" in row.body for code in sent.codes.values())
        assert world.households[0].number not in row.body.split("hộ tham gia")[0].split("“")[0]
    # The notices are sent in addition to the code SMS, not instead of it.
    assert Outbox.objects.filter(dedupe_key__contains=":code:").count() == 10


def test_paper_ballot_notice(world: World) -> None:
    decision = new_decision(world, form=Form.HOUSEHOLD_BALLOT, channel=Channel.PAPER, matter_code="community_funds",
                            opens_on=dt.date(2026, 4, 1), closes_on=dt.date(2026, 4, 5))
    decision_transition(actor=world.head, decision=decision, action=Action.OPEN)
    opened = notices(NOTICE_OPEN)
    assert len(opened) == 10 and "phiếu" in opened[0].body and "05/04/2026" in opened[0].body


def test_a_moved_meeting_is_announced_once_per_change(world: World) -> None:
    decision = new_decision(world, form=Form.MEETING, secret=False)
    day = timezone.localdate() + dt.timedelta(days=7)
    place = "Nhà văn hóa tổ dân phố số 1"
    meeting_record(actor=world.head, decision=decision, held_on=day, starts_at=dt.time(19, 30), location=place,
                   chair="", secretary="", minutes="")
    assert not Outbox.objects.filter(dedupe_key__contains=":notice:change-").exists()  # still a draft
    decision_transition(actor=world.head, decision=decision, action=Action.OPEN)
    invited = len(notices(NOTICE_OPEN))
    # The same day, hour and place saved again (say, with the chair's name): nobody is texted.
    again = meeting_record(actor=world.head, decision=decision, held_on=day, starts_at=dt.time(19, 30),
                           location=place, chair="Ông Tổ trưởng", secretary="", minutes="")
    assert again.notified == 0
    # Moved by a day and half an hour: every representative with a phone hears of it, once.
    moved = meeting_record(actor=world.head, decision=decision, held_on=day + dt.timedelta(days=1),
                           starts_at=dt.time(20, 0), location=place, chair="", secretary="", minutes="")
    changes = list(Outbox.objects.filter(dedupe_key__contains=":notice:change-"))
    assert moved.notified == invited == len(changes)
    later = (day + dt.timedelta(days=1)).strftime("%d/%m/%Y")
    assert {c.body for c in changes} == {c.body for c in changes[:1]}
    assert f"20 giờ 00, ngày {later}" in changes[0].body and "Thay đổi lịch" in changes[0].body
    assert changes[0].subject == "Thay đổi lịch hội nghị"
    same = meeting_record(actor=world.head, decision=decision, held_on=day + dt.timedelta(days=1),
                          starts_at=dt.time(20, 0), location=place, chair="", secretary="", minutes="")
    assert same.notified == 0
    # Minutes typed after the meeting, with its real (past) day, tell nobody.
    past = meeting_record(actor=world.head, decision=decision, held_on=timezone.localdate() - dt.timedelta(days=1),
                          starts_at=dt.time(20, 0), location=place, chair="", secretary="", minutes="Biên bản")
    assert past.notified == 0
    assert Outbox.objects.filter(dedupe_key__contains=":notice:change-").count() == len(changes)
