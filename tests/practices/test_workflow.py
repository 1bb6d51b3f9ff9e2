"""The model's life: the transition table, who may make each move, guards, audit."""

from __future__ import annotations

import datetime as dt

import pytest

from danvan.audit.models import AuditEntry
from danvan.core.errors import DomainError, NotFoundOrForbidden
from danvan.practices.models import (
    Action,
    AnnualReview,
    Appraisal,
    Certification,
    Commendation,
    Practice,
    ReviewOutcome,
    State,
)
from danvan.practices.services import appraisal_submit, commendation_add
from danvan.practices.workflow import (
    TRANSITIONS,
    ActionNotPermitted,
    IllegalTransition,
    allowed_actions,
    practice_transition,
)

from .conftest import certified, full_scores, make_practice

pytestmark = pytest.mark.django_db

CERTIFY = {"level": "xa", "decision_number": "15/QĐ-UBND", "decided_on": dt.date(2025, 2, 1),
           "body": "Ủy ban nhân dân phường Ba Đình"}


def test_table_covers_the_movement() -> None:
    """registered → appraising → certified → reviewed (keep, replicate, drop → dropped)."""
    assert TRANSITIONS[(State.REGISTERED, Action.SUBMIT)] == State.APPRAISING
    assert TRANSITIONS[(State.APPRAISING, Action.CERTIFY)] == State.CERTIFIED
    assert TRANSITIONS[(State.APPRAISING, Action.RETURN)] == State.REGISTERED
    assert TRANSITIONS[(State.APPRAISING, Action.REJECT)] == State.NOT_RECOGNISED
    assert TRANSITIONS[(State.CERTIFIED, Action.REVIEW_KEEP)] == State.CERTIFIED
    assert TRANSITIONS[(State.CERTIFIED, Action.REVIEW_REPLICATE)] == State.CERTIFIED
    assert TRANSITIONS[(State.CERTIFIED, Action.REVIEW_DROP)] == State.DROPPED
    # Nothing leaves "dropped": a model that is not kept up stays history.
    assert not [key for key in TRANSITIONS if key[0] == State.DROPPED]
    for (state, action), target in TRANSITIONS.items():
        assert state in State.values and action in Action.values and target in State.values


@pytest.mark.parametrize("state", State.values)
@pytest.mark.parametrize("action", [Action.SUBMIT, Action.RETURN, Action.REJECT])
def test_moves_outside_the_table_are_refused(people, ba_dinh, state, action) -> None:
    practice = make_practice(people.supervisor, ba_dinh)
    Practice.objects.filter(pk=practice.pk).update(status=state)
    practice.refresh_from_db()
    actor = people.leader  # a leader may make every one of these moves where the table allows it
    if (state, action) not in TRANSITIONS:
        with pytest.raises(IllegalTransition):
            practice_transition(practice=practice, action=action, actor=actor, note="Bổ sung số liệu.")
        assert Practice.objects.get(pk=practice.pk).status == state
    else:
        moved = practice_transition(practice=practice, action=action, actor=actor, note="Bổ sung số liệu.")
        assert moved.status == TRANSITIONS[(state, action)]


def test_full_life_with_audit(people, ba_dinh) -> None:
    practice = make_practice(people.supervisor, ba_dinh)
    assert practice.status == State.REGISTERED
    assert practice.search_text.startswith(" dan van kheo")
    practice = practice_transition(practice=practice, action=Action.SUBMIT, actor=people.supervisor)
    assert practice.status == State.APPRAISING and practice.appraisal_round == 1
    appraisal = appraisal_submit(actor=people.supervisor, practice=practice, scores=full_scores(7),
                                 comment="Cách làm sáng tạo.")
    assert appraisal.total == sum(min(7, s) for s in (10, 10, 20, 30, 10, 20))
    assert appraisal.max_total == 100
    # Scoring again replaces the member's sheet in this round.
    appraisal_submit(actor=people.supervisor, practice=practice, scores=full_scores(), comment="Sửa điểm.")
    assert Appraisal.objects.filter(practice=practice).count() == 1
    assert Appraisal.objects.get(practice=practice).total == 100
    practice = practice_transition(practice=practice, action=Action.CERTIFY, actor=people.leader, **CERTIFY)
    assert (practice.status, practice.certified_level) == (State.CERTIFIED, "xa")
    # The province recognises it again at its level.
    practice = practice_transition(practice=practice, action=Action.CERTIFY, actor=people.province_leader,
                                   level="tinh", decision_number="300/QĐ-UBND", decided_on=dt.date(2025, 3, 1),
                                   body="Ủy ban nhân dân thành phố Hà Nội")
    assert practice.certified_level == "tinh"
    assert list(Certification.objects.filter(practice=practice).values_list("level", flat=True)) == ["xa", "tinh"]
    commendation_add(actor=people.province_leader, practice=practice, kind="bang_khen",
                     body="Ủy ban nhân dân thành phố Hà Nội", decided_on=dt.date(2025, 4, 1),
                     decision_number="450/QĐ-UBND")
    assert Commendation.objects.filter(practice=practice, kind="bang_khen").exists()
    practice = practice_transition(practice=practice, action=Action.REVIEW_REPLICATE, actor=people.supervisor,
                                   year=2025, note="Nhân rộng ra các tổ dân phố.")
    assert practice.status == State.CERTIFIED
    practice = practice_transition(practice=practice, action=Action.REVIEW_DROP, actor=people.supervisor,
                                   year=2026, note="Không còn phù hợp.")
    assert practice.status == State.DROPPED
    assert list(AnnualReview.objects.filter(practice=practice).values_list("year", "outcome")) == [
        (2025, ReviewOutcome.REPLICATE), (2026, ReviewOutcome.DROP)]
    actions = list(AuditEntry.objects.filter(object_type="practices.practice", object_id=str(practice.pk))
                   .order_by("id").values_list("action", flat=True))
    assert actions == ["practices.register", "practices.submit", "practices.appraise", "practices.appraise",
                       "practices.certify", "practices.certify", "practices.commend", "practices.review_replicate",
                       "practices.review_drop"]


def test_certify_needs_an_appraisal(people, ba_dinh) -> None:
    practice = make_practice(people.supervisor, ba_dinh)
    practice = practice_transition(practice=practice, action=Action.SUBMIT, actor=people.supervisor)
    with pytest.raises(IllegalTransition, match="phiếu thẩm định"):
        practice_transition(practice=practice, action=Action.CERTIFY, actor=people.leader, **CERTIFY)


def test_returning_starts_a_new_round(people, ba_dinh) -> None:
    practice = make_practice(people.supervisor, ba_dinh)
    practice = practice_transition(practice=practice, action=Action.SUBMIT, actor=people.supervisor)
    appraisal_submit(actor=people.supervisor, practice=practice, scores=full_scores())
    practice = practice_transition(practice=practice, action=Action.RETURN, actor=people.leader,
                                   note="Bổ sung kết quả.")
    practice = practice_transition(practice=practice, action=Action.SUBMIT, actor=people.supervisor)
    assert practice.appraisal_round == 2
    # Last round's sheets do not count for this one.
    with pytest.raises(IllegalTransition):
        practice_transition(practice=practice, action=Action.CERTIFY, actor=people.leader, **CERTIFY)


def test_notes_are_required(people, ba_dinh) -> None:
    practice = make_practice(people.supervisor, ba_dinh)
    practice = practice_transition(practice=practice, action=Action.SUBMIT, actor=people.supervisor)
    with pytest.raises(DomainError, match="lý do"):
        practice_transition(practice=practice, action=Action.REJECT, actor=people.leader, note="  ")


def test_submit_needs_a_description(people, ba_dinh) -> None:
    practice = make_practice(people.supervisor, ba_dinh, description="")
    with pytest.raises(IllegalTransition, match="mô tả"):
        practice_transition(practice=practice, action=Action.SUBMIT, actor=people.supervisor)


def test_refused_roles(people, ba_dinh) -> None:
    practice = make_practice(people.supervisor, ba_dinh)
    # A viewer sees the model but does not run the movement.
    with pytest.raises(ActionNotPermitted):
        practice_transition(practice=practice, action=Action.SUBMIT, actor=people.viewer)
    practice = practice_transition(practice=practice, action=Action.SUBMIT, actor=people.supervisor)
    with pytest.raises(ActionNotPermitted):
        appraisal_submit(actor=people.viewer, practice=practice, scores=full_scores())
    appraisal_submit(actor=people.supervisor, practice=practice, scores=full_scores())
    # The Front appraises; recognition is the leadership's decision.
    with pytest.raises(ActionNotPermitted):
        practice_transition(practice=practice, action=Action.CERTIFY, actor=people.supervisor, **CERTIFY)
    # A commune leader cannot recognise at province level.
    with pytest.raises(ActionNotPermitted, match="cấp tỉnh"):
        practice_transition(practice=practice, action=Action.CERTIFY, actor=people.leader,
                            **{**CERTIFY, "level": "tinh"})
    # Outside one's scope the model does not exist; a handler has no role in the movement.
    for outsider in (people.neighbour_leader, people.handler, people.citizen):
        with pytest.raises(NotFoundOrForbidden):
            practice_transition(practice=practice, action=Action.CERTIFY, actor=outsider, **CERTIFY)
    assert Practice.objects.get(pk=practice.pk).status == State.APPRAISING
    with pytest.raises(ActionNotPermitted):
        commendation_add(actor=people.supervisor, practice=practice, kind="giay_khen", body="UBND",
                         decided_on=dt.date(2025, 1, 1), decision_number="1/QĐ-UBND")


def test_commendation_only_for_recognised(people, ba_dinh) -> None:
    practice = make_practice(people.supervisor, ba_dinh)
    with pytest.raises(IllegalTransition):
        commendation_add(actor=people.leader, practice=practice, kind="giay_khen", body="UBND phường Ba Đình",
                         decided_on=dt.date(2025, 1, 1), decision_number="1/QĐ-UBND")


def test_review_guards(people, ba_dinh) -> None:
    practice = certified(people, ba_dinh)
    with pytest.raises(DomainError, match="lý do"):
        practice_transition(practice=practice, action=Action.REVIEW_DROP, actor=people.supervisor, year=2025)
    practice_transition(practice=practice, action=Action.REVIEW_KEEP, actor=people.supervisor, year=2025)
    with pytest.raises(IllegalTransition, match="2025"):
        practice_transition(practice=practice, action=Action.REVIEW_KEEP, actor=people.supervisor, year=2025)
    with pytest.raises(DomainError, match="công nhận"):
        practice_transition(practice=practice, action=Action.REVIEW_KEEP, actor=people.supervisor, year=2020)
    with pytest.raises(IllegalTransition, match="cấp này"):
        practice_transition(practice=practice, action=Action.CERTIFY, actor=people.province_leader, **CERTIFY)


def test_allowed_actions_follow_role_and_state(people, ba_dinh) -> None:
    practice = make_practice(people.supervisor, ba_dinh)
    assert allowed_actions(practice=practice, actor=people.supervisor) == [Action.SUBMIT]
    assert allowed_actions(practice=practice, actor=people.viewer) == []
    assert allowed_actions(practice=practice, actor=people.neighbour_leader) == []
    practice = practice_transition(practice=practice, action=Action.SUBMIT, actor=people.supervisor)
    assert set(allowed_actions(practice=practice, actor=people.leader)) == {Action.RETURN, Action.CERTIFY,
                                                                           Action.REJECT}
    assert allowed_actions(practice=practice, actor=people.supervisor) == []
