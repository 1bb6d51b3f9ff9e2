"""Period enforcement, moderation, per-section report counts, answers and officials' scope."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from danvan.audit.models import AuditEntry
from danvan.core.errors import DomainError, NotFoundOrForbidden
from danvan.democracy.consultations.models import AnswerKind, CommentStatus, Stance
from danvan.democracy.consultations.selectors import (
    comments_list,
    consultation_staff_get,
    consultation_staff_list,
    section_report,
)
from danvan.democracy.consultations.services import (
    answer_add,
    comment_hide,
    comment_restore,
    comment_submit,
    comment_support,
    report_publish,
    section_add,
    section_vote,
)

from .conftest import Setup, make_consultation

pytestmark = pytest.mark.django_db


def test_comments_refused_before_and_after_the_period(setup: Setup) -> None:
    upcoming = make_consultation(actor=setup.leader, unit=setup.unit, opens=dt.timedelta(days=2),
                                 closes=dt.timedelta(days=5))
    section = section_add(actor=setup.leader, consultation=upcoming, label="Điều 1", body="Nội dung điều 1.")
    with pytest.raises(DomainError) as early:
        comment_submit(section=section, body="Tôi đề nghị bổ sung quy định.")
    assert early.value.code == "period_not_open"
    upcoming.opens_at = timezone.now() - dt.timedelta(days=3)
    upcoming.closes_at = timezone.now() - dt.timedelta(seconds=1)
    upcoming.save()
    section.refresh_from_db()
    with pytest.raises(DomainError) as late:
        comment_submit(section=section, body="Tôi đề nghị bổ sung quy định.")
    assert late.value.code == "period_closed"
    with pytest.raises(DomainError):
        section_vote(section=section, voter_key="k1", stance=Stance.SUPPORT)
    # Inside the period the same comment is accepted.
    assert comment_submit(section=setup.sections[0], body="Tôi đề nghị bổ sung quy định.").pk


def test_unpublished_consultation_takes_no_comment(setup: Setup) -> None:
    setup.consultation.published = False
    setup.consultation.save()
    with pytest.raises(NotFoundOrForbidden):
        comment_submit(section=setup.sections[0], body="Một ý kiến góp ý.")


def test_period_must_end_after_it_starts(setup: Setup) -> None:
    with pytest.raises(DomainError):
        make_consultation(actor=setup.leader, unit=setup.unit, opens=dt.timedelta(days=2), closes=dt.timedelta(days=1))


def test_moderation_keeps_the_reason_public_and_is_audited(setup: Setup) -> None:
    comment = comment_submit(section=setup.sections[0], body="Nội dung có lời lẽ xúc phạm người khác.",
                             author_name="Trần Thị B", contact="0912345678")
    with pytest.raises(DomainError):
        comment_hide(actor=setup.leader, comment=comment, reason="")
    with pytest.raises(NotFoundOrForbidden):
        comment_hide(actor=setup.outsider, comment=comment, reason="Xúc phạm cá nhân")
    comment_hide(actor=setup.leader, comment=comment, reason="Xúc phạm cá nhân")
    comment.refresh_from_db()
    assert comment.status == CommentStatus.HIDDEN and comment.hidden_reason == "Xúc phạm cá nhân"
    # Still listed publicly, with its reason; excluded only on request.
    assert list(comments_list(setup.consultation)) == [comment]
    assert not comments_list(setup.consultation, include_hidden=False).exists()
    assert AuditEntry.objects.filter(action="consultations.comment_hide", object_id=str(comment.pk)).exists()
    comment_restore(actor=setup.leader, comment=comment)
    comment.refresh_from_db()
    assert comment.status == CommentStatus.VISIBLE and comment.hidden_reason == ""
    with pytest.raises(DomainError):
        comment_support(comment=comment_hide(actor=setup.leader, comment=comment, reason="Trùng lặp nội dung"),
                        voter_key="k")


def test_report_counts_per_section(setup: Setup) -> None:
    s1, s2, s3 = setup.sections
    for key in ("a", "b", "c"):
        section_vote(section=s1, voter_key=key, stance=Stance.SUPPORT)
    section_vote(section=s1, voter_key="d", stance=Stance.OPPOSE)
    # A participant changing their mind is counted once, with the last choice.
    section_vote(section=s2, voter_key="a", stance=Stance.SUPPORT)
    section_vote(section=s2, voter_key="a", stance=Stance.OPPOSE)
    comment_submit(section=s1, body="Ý kiến thứ nhất về điều 1.")
    hidden = comment_submit(section=s1, body="Ý kiến thứ hai về điều 1.")
    comment_hide(actor=setup.leader, comment=hidden, reason="Không liên quan dự thảo")
    comment_submit(section=s2, body="Mặt trận đề nghị làm rõ điều 2.", actor=setup.front,
                   organisation=setup.front_org)
    section_vote(section=s2, voter_key="", stance=Stance.SUPPORT, actor=setup.front, organisation=setup.front_org)
    rows = {r.section.pk: r for r in section_report(setup.consultation)}
    assert (rows[s1.pk].support, rows[s1.pk].oppose, rows[s1.pk].comments, rows[s1.pk].hidden) == (3, 1, 1, 1)
    assert (rows[s2.pk].support, rows[s2.pk].oppose, rows[s2.pk].comments, rows[s2.pk].organisations) == (1, 1, 1, 1)
    assert (rows[s3.pk].support, rows[s3.pk].oppose, rows[s3.pk].comments) == (0, 0, 0)


def test_only_its_officials_speak_for_an_organisation(setup: Setup) -> None:
    with pytest.raises(DomainError) as exc:
        comment_submit(section=setup.sections[0], body="Thay mặt Mặt trận góp ý.", actor=setup.leader,
                       organisation=setup.front_org)
    assert exc.value.code == "organisation_not_allowed"


def test_comment_support_counts_once_and_sorts(setup: Setup) -> None:
    first = comment_submit(section=setup.sections[0], body="Ý kiến được nhiều người ủng hộ.")
    second = comment_submit(section=setup.sections[0], body="Ý kiến gửi sau, chưa ai ủng hộ.")
    assert comment_support(comment=first, voter_key="x") is True
    assert comment_support(comment=first, voter_key="x") is False
    assert comment_support(comment=first, voter_key="y") is True
    first.refresh_from_db()
    assert first.support_count == 2
    assert list(comments_list(setup.consultation, sort="top")) == [first, second]
    assert list(comments_list(setup.consultation, sort="new")) == [second, first]


def test_comment_search_ignores_accents(setup: Setup) -> None:
    match = comment_submit(section=setup.sections[0], body="Đề nghị mở rộng đường vào trường học.")
    comment_submit(section=setup.sections[0], body="Cần thêm cây xanh ở công viên.")
    assert list(comments_list(setup.consultation, query="duong truong")) == [match]
    assert list(comments_list(setup.consultation, query="ĐƯỜNG")) == [match]


def test_answer_and_report_publication(setup: Setup) -> None:
    comment = comment_submit(section=setup.sections[0], body="Đề nghị giữ lại sân chơi cho trẻ em.")
    answer = answer_add(actor=setup.leader, section=setup.sections[0], kind=AnswerKind.ACCEPTED,
                        body="Tiếp thu, bổ sung quy hoạch sân chơi tại tổ dân phố số 3.", comment_ids=[comment.pk])
    assert list(answer.comments.all()) == [comment]
    with pytest.raises(NotFoundOrForbidden):
        answer_add(actor=setup.outsider, section=setup.sections[0], kind=AnswerKind.EXPLAINED, body="Không hợp lệ.")
    # Not while people can still comment.
    with pytest.raises(DomainError) as exc:
        report_publish(actor=setup.leader, consultation=setup.consultation)
    assert exc.value.code == "period_not_closed"
    setup.consultation.closes_at = timezone.now() - dt.timedelta(minutes=1)
    setup.consultation.save()
    report_publish(actor=setup.leader, consultation=setup.consultation)
    assert setup.consultation.report_published_at is not None


def test_officials_see_only_their_scope(setup: Setup) -> None:
    assert list(consultation_staff_list(actor=setup.leader)) == [setup.consultation]
    assert consultation_staff_get(actor=setup.front, pk=setup.consultation.pk) == setup.consultation
    assert not consultation_staff_list(actor=setup.outsider).exists()
    with pytest.raises(NotFoundOrForbidden):
        consultation_staff_get(actor=setup.outsider, pk=setup.consultation.pk)
    with pytest.raises(NotFoundOrForbidden):
        make_consultation(actor=setup.outsider, unit=setup.unit)
