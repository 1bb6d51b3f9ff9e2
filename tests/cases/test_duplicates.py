"""Similar open cases nearby (text + commune + time window), scoped views, and merge followers."""

from __future__ import annotations

import pytest

from danvan.cases import services as s
from danvan.cases.duplicates import similar_open_cases, similar_open_cases_public, similarity
from danvan.cases.models import Kind, State
from danvan.cases.selectors import case_followers
from danvan.cases.services import Submitter
from danvan.units.models import Unit
from tests.cases.conftest import Clock, People, SubmitFn

pytestmark = pytest.mark.django_db

POTHOLE = "Đường Hoàng Hoa Thám bị sụt lún, nhiều ổ gà gây nguy hiểm cho xe máy"
POTHOLE_AGAIN = "Duong Hoang Hoa Tham sut lun, o ga rat nguy hiem cho nguoi di xe may buoi toi"
UNRELATED = "Trường mầm non thu học phí cao bất thường, đề nghị kiểm tra lạm thu"


def test_similarity_is_accent_insensitive_and_discriminates() -> None:
    assert similarity(POTHOLE, POTHOLE) == 1.0
    assert similarity(POTHOLE, POTHOLE_AGAIN) >= 0.35
    assert similarity(POTHOLE, UNRELATED) < 0.1
    assert similarity("", POTHOLE) == 0.0


def test_near_duplicates_found_unrelated_and_elsewhere_not(clock: Clock, submit: SubmitFn, people: People,
                                                             ba_dinh: Unit, ngoc_ha: Unit) -> None:
    same = submit(title="Ổ gà đường Hoàng Hoa Thám", description=POTHOLE)
    submit(title="Lạm thu ở trường mầm non", description=UNRELATED)
    submit(unit=ngoc_ha, title="Ổ gà đường Hoàng Hoa Thám", description=POTHOLE)  # other commune
    clock.advance(2)
    found = similar_open_cases(actor=people.leader, text=POTHOLE_AGAIN, unit=ba_dinh)
    assert [f.case.pk for f in found] == [same.pk]
    assert 0.35 <= found[0].score <= 1
    # Stricter threshold: nothing is similar enough.
    assert similar_open_cases(actor=people.leader, text=POTHOLE_AGAIN, unit=ba_dinh, threshold=0.99) == []
    # The neighbour commune's official sees only the neighbour's case.
    neighbour = similar_open_cases(actor=people.neighbour_leader, text=POTHOLE_AGAIN, unit=ngoc_ha)
    assert len(neighbour) == 1 and neighbour[0].case.unit_id == ngoc_ha.pk


def test_closed_and_out_of_window_cases_excluded(clock: Clock, submit: SubmitFn, people: People,
                                                 ba_dinh: Unit) -> None:
    old = submit(title="Ổ gà", description=POTHOLE)
    clock.advance(10)
    refused = s.case_refuse(actor=people.leader, case=submit(title="Ổ gà", description=POTHOLE),
                            reason="Trùng nội dung đã trả lời")
    assert refused.status == State.REFUSED
    clock.advance(25)  # 35 days after the first one
    assert similar_open_cases(actor=people.leader, text=POTHOLE, unit=ba_dinh) == []
    found = similar_open_cases(actor=people.leader, text=POTHOLE, unit=ba_dinh, window_days=40)
    assert [f.case.pk for f in found] == [old.pk]


def test_scoped_to_actor_and_public_variant_is_safe(clock: Clock, submit: SubmitFn, people: People,
                                                    ba_dinh: Unit) -> None:
    submit(kind=Kind.DENUNCIATION, title="Ổ gà", description=POTHOLE)
    feedback = submit(title="Ổ gà đường Hoàng Hoa Thám, gọi 0912345678", description=POTHOLE)
    assert [f.case.pk for f in similar_open_cases(actor=people.citizen, text=POTHOLE, unit=ba_dinh)] == []
    assert {f.case.kind for f in similar_open_cases(actor=people.handler, text=POTHOLE, unit=ba_dinh)} == {
        Kind.FEEDBACK}
    public = similar_open_cases_public(text=POTHOLE_AGAIN, unit=ba_dinh)
    assert len(public) == 1  # the denunciation is never hinted at
    assert public[0].status == State.RECEIVED and public[0].status_label == "Đã tiếp nhận"
    assert "0912345678" not in public[0].title and "Hoàng Hoa Thám" in public[0].title
    assert feedback.code not in repr(public[0])


def test_after_merge_survivor_followers_include_both_submitters(submit: SubmitFn, people: People,
                                                                ba_dinh: Unit) -> None:
    first = submit(title="Ổ gà", description=POTHOLE, wants_updates=True,
                   submitter=Submitter(name="Nguyễn Văn An", phone="0912000111"))
    second = submit(title="Ổ gà", description=POTHOLE_AGAIN, wants_updates=True,
                    submitter=Submitter(name="Trần Thị Bình", email="binh@example.vn"))
    found = similar_open_cases(actor=people.leader, text=POTHOLE_AGAIN, unit=ba_dinh, exclude=second)
    assert [f.case.pk for f in found] == [first.pk]
    s.case_merge(actor=people.leader, duplicate=second, into=found[0].case)
    followers = case_followers(case=first)
    assert {f.case_code for f in followers} == {first.code, second.code}
    assert {f.phone or f.email for f in followers} == {"0912000111", "binh@example.vn"}
    # The merged case is no longer open: only the survivor is offered as a duplicate.
    after = similar_open_cases(actor=people.leader, text=POTHOLE_AGAIN, unit=ba_dinh)
    assert [f.case.pk for f in after] == [first.pk]
