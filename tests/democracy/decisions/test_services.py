"""The three forms end to end through the services: meeting, paper household ballot, online ballot;
the workflow table, permissions, secrecy of stored ballots and tally recomputation."""

from __future__ import annotations

from typing import Any

import pytest

from danvan.attachments.models import Attachment
from danvan.audit.models import AuditEntry
from danvan.core.errors import DomainError, NotFoundOrForbidden
from danvan.democracy.decisions.models import (
    Ballot,
    BallotChoice,
    BallotReceipt,
    Channel,
    Decision,
    Form,
    Outcome,
    Status,
    VotingCode,
)
from danvan.democracy.decisions.services import (
    TRANSITIONS,
    Action,
    IllegalTransition,
    NotPermitted,
    attachment_attach,
    attendance_set,
    ballot_cast_online,
    ballots_issue,
    code_hash,
    decision_transition,
    meeting_record,
    paper_ballot_enter,
    recount,
    tallies_enter,
    tally_verify,
    voting_codes_issue,
)
from danvan.notifications.models import Outbox

from .conftest import World, new_decision

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def options(decision: Decision) -> tuple[int, int]:
    agree = decision.options.get(is_agree=True)
    other = decision.options.exclude(pk=agree.pk).get()
    return agree.pk, other.pk


def test_workflow_table_is_the_only_way(world: World) -> None:
    decision = new_decision(world)
    assert decision.status == Status.DRAFT
    assert (Status.DRAFT, Action.PUBLISH) not in TRANSITIONS
    with pytest.raises(IllegalTransition):
        decision_transition(actor=world.head, decision=decision, action=Action.PUBLISH)
    # Seeing is not recording: the commune leader sees the village but does not record its votes.
    with pytest.raises(NotPermitted):
        decision_transition(actor=world.leader, decision=decision, action=Action.OPEN)
    # Outside the scope (another village's head, another commune) looks like "not found".
    for stranger in (world.other_head, world.outsider):
        with pytest.raises(NotFoundOrForbidden):
            decision_transition(actor=stranger, decision=decision, action=Action.OPEN)
    decision_transition(actor=world.head, decision=decision, action=Action.OPEN)
    decision_transition(actor=world.head, decision=decision, action=Action.CANCEL)
    with pytest.raises(IllegalTransition):
        decision_transition(actor=world.head, decision=decision, action=Action.OPEN)


def test_meeting_passes_published_and_reported(world: World) -> None:
    decision = new_decision(world, form=Form.MEETING, secret=False)
    decision_transition(actor=world.head, decision=decision, action=Action.OPEN)
    meeting_record(actor=world.head, decision=decision, held_on=None, location="Nhà văn hóa tổ dân phố số 1",
                   chair="Nguyễn Văn Tổ Trưởng", secretary="Lê Thị Thư Ký",
                   minutes="Hội nghị thống nhất đóng góp 500.000 đồng mỗi hộ.")
    attendance_set(actor=world.head, decision=decision, household_ids=[h.pk for h in world.households[:7]])
    agree, disagree = options(decision)
    with pytest.raises(DomainError) as too_many:
        tallies_enter(actor=world.head, decision=decision, votes={agree: 5, disagree: 3})
    assert too_many.value.code == "tally_invalid" and "vượt quá" in too_many.value.message
    with pytest.raises(DomainError):
        decision_transition(actor=world.head, decision=decision, action=Action.COUNT)
    tallies_enter(actor=world.head, decision=decision, votes={agree: 5, disagree: 2})
    attachment_attach(actor=world.head, decision=decision, name="bien-ban.pdf", content=PDF, to_minutes=True)
    decision = decision_transition(actor=world.head, decision=decision, action=Action.COUNT)
    assert (decision.eligible_households, decision.participants, decision.outcome) == (10, 7, Outcome.PASSED)
    assert decision.options.get(pk=agree).votes == 5 and decision.options.get(pk=agree).passed
    assert tally_verify(decision=decision).ok
    decision_transition(actor=world.head, decision=decision, action=Action.PUBLISH)
    decision = decision_transition(actor=world.head, decision=decision, action=Action.REPORT,
                                   note="Kính báo cáo UBND phường kết quả hội nghị.")
    assert decision.status == Status.REPORTED and decision.reported_at
    assert Attachment.objects.filter(object_id=str(decision.meeting.pk)).count() == 1
    actions = list(AuditEntry.objects.filter(object_type="decisions.decision", object_id=str(decision.pk))
                   .order_by("id").values_list("action", flat=True))
    assert actions[0] == "decisions.create" and actions[-1] == "decisions.report"
    with pytest.raises(IllegalTransition):
        meeting_record(actor=world.head, decision=decision, held_on=None, location="", chair="", secretary="",
                       minutes="sửa sau khi công bố")


def test_meeting_without_quorum(world: World) -> None:
    decision = new_decision(world, form=Form.MEETING, secret=True)
    decision_transition(actor=world.head, decision=decision, action=Action.OPEN)
    attendance_set(actor=world.head, decision=decision, household_ids=[h.pk for h in world.households[:5]])
    agree, disagree = options(decision)
    tallies_enter(actor=world.head, decision=decision, votes={agree: 5, disagree: 0})
    decision = decision_transition(actor=world.head, decision=decision, action=Action.COUNT)
    assert decision.outcome == Outcome.NO_QUORUM and not decision.options.get(pk=agree).passed


def test_attendance_only_from_the_village_register(world: World) -> None:
    from .conftest import make_households

    stranger = make_households(world.other_village, 1)[0]
    decision = new_decision(world)
    decision_transition(actor=world.head, decision=decision, action=Action.OPEN)
    assert attendance_set(actor=world.head, decision=decision,
                          household_ids=[world.households[0].pk, stranger.pk]) == 1


def test_paper_household_ballot(world: World) -> None:
    decision = new_decision(world, form=Form.HOUSEHOLD_BALLOT, channel=Channel.PAPER, matter_code="community_funds")
    decision_transition(actor=world.head, decision=decision, action=Action.OPEN)
    assert ballots_issue(actor=world.head, decision=decision) == 10
    assert ballots_issue(actor=world.head, decision=decision) == 0
    agree, disagree = options(decision)
    for number in range(1, 7):
        paper_ballot_enter(actor=world.head, decision=decision, number=number, option_ids=[agree])
    paper_ballot_enter(actor=world.head, decision=decision, number=7, option_ids=[disagree])
    paper_ballot_enter(actor=world.head, decision=decision, number=8, option_ids=[], spoilt=True)
    with pytest.raises(DomainError) as twice:
        paper_ballot_enter(actor=world.head, decision=decision, number=3, option_ids=[disagree])
    assert "Phiếu số 3 đã được nhập" in twice.value.message
    with pytest.raises(DomainError) as unknown:
        paper_ballot_enter(actor=world.head, decision=decision, number=99, option_ids=[agree])
    assert unknown.value.code == "ballot_unknown"
    with pytest.raises(DomainError) as both:
        paper_ballot_enter(actor=world.head, decision=decision, number=9, option_ids=[agree, disagree])
    assert both.value.code == "too_many_choices"
    decision = decision_transition(actor=world.head, decision=decision, action=Action.COUNT)
    # 6 of 10 households agree: more than half of all households.
    assert (decision.participants, decision.outcome) == (8, Outcome.PASSED)
    assert BallotReceipt.objects.filter(decision=decision).count() == Ballot.objects.filter(decision=decision).count()


def test_online_ballot_codes_one_vote_per_household_and_secrecy(world: World) -> None:
    world.households[9].representative_phone = ""
    world.households[9].save()
    decision = new_decision(world, form=Form.HOUSEHOLD_BALLOT, channel=Channel.ONLINE)
    with pytest.raises(IllegalTransition):
        voting_codes_issue(actor=world.head, decision=decision)
    decision_transition(actor=world.head, decision=decision, action=Action.OPEN)
    sent = voting_codes_issue(actor=world.head, decision=decision)
    assert sent.sent == 9 and sent.without_phone == ["010"]
    # Only keyed hashes at rest; the SMS carries the code.
    household = world.households[0]
    code = sent.codes[household.pk]
    stored = VotingCode.objects.get(decision=decision, household=household)
    assert stored.code_hash == code_hash(code) and code not in stored.code_hash
    sms = Outbox.objects.get(recipient=household.representative_phone, dedupe_key__contains=":code:")
    assert f"{code[:4]}-{code[4:]}" in sms.body
    agree, disagree = options(decision)
    with pytest.raises(DomainError) as wrong:
        ballot_cast_online(decision_id=decision.pk, code="AAAA-AAAA", option_ids=[agree])
    assert wrong.value.code == "code_invalid"
    # The code is accepted with its dash, spaces or lower case.
    ballot_cast_online(decision_id=decision.pk, code=f"{code[:4].lower()} {code[4:]}", option_ids=[agree])
    with pytest.raises(DomainError) as again:
        ballot_cast_online(decision_id=decision.pk, code=code, option_ids=[disagree])
    assert again.value.code == "already_voted" and "đã biểu quyết" in again.value.message
    assert BallotReceipt.objects.filter(decision=decision, household=household).count() == 1
    # What is stored about the choice names no household and no time.
    ballot_fields = {f.name for f in Ballot._meta.get_fields()}
    assert "household" not in ballot_fields and not any(f == "at" or f.endswith("_at") for f in ballot_fields)
    assert "household" not in {f.name for f in BallotChoice._meta.get_fields()}
    vote_audit = AuditEntry.objects.get(action="decisions.ballot_cast")
    assert vote_audit.after == {"channel": "online"} and str(agree) not in str(vote_audit.after)
    for h in world.households[1:6]:
        ballot_cast_online(decision_id=decision.pk, code=sent.codes[h.pk], option_ids=[agree])
    decision = decision_transition(actor=world.head, decision=decision, action=Action.COUNT)
    assert (decision.participants, decision.outcome) == (6, Outcome.PASSED)
    # Codes no longer work once counted, and their SMS text is blanked.
    with pytest.raises(DomainError) as closed:
        ballot_cast_online(decision_id=decision.pk, code=sent.codes[world.households[7].pk], option_ids=[agree])
    assert closed.value.code == "closed"
    assert code not in Outbox.objects.get(pk=sms.pk).body


def test_election_has_candidate_options(world: World) -> None:
    decision = new_decision(world, form=Form.MEETING, matter_code="village_head",
                            candidates=["Nguyễn Văn An", "Trần Thị Bình"], seats=1)
    assert list(decision.options.values_list("label", flat=True)) == ["Nguyễn Văn An", "Trần Thị Bình"]
    with pytest.raises(DomainError) as no_candidates:
        new_decision(world, form=Form.MEETING, matter_code="boards")
    assert no_candidates.value.code == "candidates_required"


def test_tally_recomputation_detects_tampering(world: World) -> None:
    decision = new_decision(world, form=Form.HOUSEHOLD_BALLOT, channel=Channel.ONLINE)
    decision_transition(actor=world.head, decision=decision, action=Action.OPEN)
    codes = voting_codes_issue(actor=world.head, decision=decision).codes
    agree, disagree = options(decision)
    for i, h in enumerate(world.households[:8]):
        ballot_cast_online(decision_id=decision.pk, code=codes[h.pk], option_ids=[agree if i < 5 else disagree])
    decision = decision_transition(actor=world.head, decision=decision, action=Action.COUNT)
    check = tally_verify(decision=decision)
    assert check.ok and check.recount.votes == {agree: 5, disagree: 3}
    assert recount(decision).participants == 8
    # A result overwritten after the count no longer matches the stored ballots.
    decision.options.filter(pk=disagree).update(votes=1)
    check = tally_verify(decision=decision)
    assert not check.ok and any("đếm lại 3" in p for p in check.problems)
    # A ballot slipped in without a receipt is found too.
    decision.options.filter(pk=disagree).update(votes=3)
    Ballot.objects.create(decision=decision)
    problems = tally_verify(decision=decision).problems
    assert any("khác số phiếu lưu trữ" in p for p in problems)


def test_village_charter_adopted_with_its_document(world: World) -> None:
    decision = new_decision(world, form=Form.MEETING, matter_code="village_charter",
                            document_title="Quy ước tổ dân phố số 1 năm 2026")
    attachment_attach(actor=world.head, decision=decision, name="quy-uoc.pdf", content=PDF, to_minutes=False)
    decision_transition(actor=world.head, decision=decision, action=Action.OPEN)
    attendance_set(actor=world.head, decision=decision, household_ids=[h.pk for h in world.households])
    agree, disagree = options(decision)
    tallies_enter(actor=world.head, decision=decision, votes={agree: 9, disagree: 1})
    decision = decision_transition(actor=world.head, decision=decision, action=Action.COUNT)
    assert decision.outcome == Outcome.PASSED and decision.document_title.startswith("Quy ước")
    assert Attachment.objects.filter(object_id=str(decision.pk), original_name="quy-uoc.pdf").exists()


def test_open_needs_a_register(world: World, ba_dinh: Any) -> None:
    from danvan.units.models import Household

    Household.objects.filter(village=world.village).update(active=False)
    decision = new_decision(world)
    with pytest.raises(DomainError) as empty:
        decision_transition(actor=world.head, decision=decision, action=Action.OPEN)
    assert empty.value.code == "register_empty"


def test_resent_code_replaces_the_old_one_and_is_refused_after_voting(world: World) -> None:
    from danvan.democracy.decisions.services import voting_code_resend

    decision = new_decision(world, form=Form.ONLINE_VOTE)
    decision_transition(actor=world.head, decision=decision, action=Action.OPEN)
    household = world.households[0]
    old = voting_codes_issue(actor=world.head, decision=decision).codes[household.pk]
    voting_code_resend(actor=world.head, decision=decision, household_id=household.pk)
    agree, _disagree = options(decision)
    with pytest.raises(DomainError) as stale:
        ballot_cast_online(decision_id=decision.pk, code=old, option_ids=[agree])
    assert stale.value.code == "code_invalid"
    sms = Outbox.objects.filter(recipient=household.representative_phone).order_by("-id").first()
    assert sms is not None
    new_code = sms.body.split("”: ")[1][:9]
    ballot_cast_online(decision_id=decision.pk, code=new_code, option_ids=[agree])
    with pytest.raises(DomainError) as voted:
        voting_code_resend(actor=world.head, decision=decision, household_id=household.pk)
    assert voted.value.code == "already_voted"
    with pytest.raises(NotPermitted):
        voting_code_resend(actor=world.leader, decision=decision, household_id=household.pk)
