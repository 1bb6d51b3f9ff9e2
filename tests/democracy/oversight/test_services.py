"""Boards, recommendations, projects and commitments: rules of composition, workflows, scope."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from danvan.audit.models import AuditEntry
from danvan.core.errors import DomainError, NotFoundOrForbidden
from danvan.democracy.oversight import selectors
from danvan.democracy.oversight import services as s
from danvan.democracy.oversight.models import (
    BoardRule,
    CommitmentSource,
    CommitmentStatus,
    MemberRole,
    PlanStatus,
    ProjectStatus,
    RecommendationStatus,
)
from danvan.units.models import OrganisationKind

from .conftest import Commune

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 3, 2)


@pytest.fixture(autouse=True)
def _today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: TODAY)


def _members(c: Commune, n: int, villages: list | None = None) -> None:
    for i in range(n):
        village = (villages or c.villages)[i % len(villages or c.villages)]
        s.board_member_add(actor=c.front, board=c.inspection, full_name=f"Thành viên {i}", village=village,
                           role=MemberRole.HEAD if i == 0 else MemberRole.MEMBER, joined_on=dt.date(2025, 1, 1))


def test_rules_are_seeded_as_dated_data() -> None:
    rule = s.board_rule(board_kind=OrganisationKind.PEOPLES_INSPECTION_BOARD, on=TODAY)
    assert rule is not None and rule.min_members == 5 and rule.every_village and rule.unconfirmed
    assert s.board_rule(board_kind=OrganisationKind.PEOPLES_INSPECTION_BOARD, on=dt.date(2023, 6, 30)) is None


@pytest.mark.parametrize(("members", "villages_covered", "expected"), [
    (0, 0, ["chưa đủ tối thiểu 5", "3 thôn, tổ dân phố chưa có thành viên"]),
    (4, 3, ["Ban mới có 4 thành viên, chưa đủ tối thiểu 5 thành viên."]),
    (5, 2, ["1 thôn, tổ dân phố chưa có thành viên trong ban: Tổ dân phố số 3."]),
    (5, 3, []),
    (7, 3, []),
])
def test_board_composition_warnings(commune: Commune, members: int, villages_covered: int,
                                    expected: list[str]) -> None:
    if members:
        _members(commune, members, commune.villages[:villages_covered])
    warnings = selectors.board_warnings(board=commune.inspection)
    assert len(warnings) == len(expected)
    for warning, text in zip(warnings, expected, strict=True):
        assert text in warning


def test_a_later_rule_applies_from_its_date(commune: Commune) -> None:
    BoardRule.objects.create(board_kind=OrganisationKind.PEOPLES_INSPECTION_BOARD, min_members=7,
                             every_village=False, answer_days=10, valid_from=dt.date(2026, 1, 1), source="thử")
    _members(commune, 5)
    assert selectors.board_warnings(board=commune.inspection, on=dt.date(2025, 12, 31)) == []
    assert selectors.board_warnings(board=commune.inspection) == [
        "Ban mới có 5 thành viên, chưa đủ tối thiểu 7 thành viên."]


def test_member_rules(commune: Commune, ngoc_ha_village: object) -> None:
    with pytest.raises(DomainError, match="phải thuộc"):
        s.board_member_add(actor=commune.front, board=commune.inspection, full_name="Lê Văn A",
                           village=ngoc_ha_village)
    head = s.board_member_add(actor=commune.front, board=commune.inspection, full_name="Lê Văn A",
                              village=commune.villages[0], role=MemberRole.HEAD)
    with pytest.raises(DomainError, match="đã có Trưởng ban"):
        s.board_member_add(actor=commune.front, board=commune.inspection, full_name="Trần Thị B",
                           village=commune.villages[1], role=MemberRole.HEAD)
    s.board_member_end(actor=commune.leader, member=head, reason="Chuyển công tác")
    s.board_member_add(actor=commune.front, board=commune.inspection, full_name="Trần Thị B",
                       village=commune.villages[1], role=MemberRole.HEAD)
    with pytest.raises(DomainError, match="không có quyền"):
        s.board_member_add(actor=commune.handler, board=commune.inspection, full_name="X", village=commune.villages[0])
    with pytest.raises(NotFoundOrForbidden):
        s.board_member_add(actor=commune.outsider, board=commune.inspection, full_name="X",
                           village=commune.villages[0])


@pytest.fixture
def ngoc_ha_village(db: object) -> object:
    from danvan.units.models import Unit
    from tests.factories import VillageFactory

    return VillageFactory(parent=Unit.objects.get(era="current", level=3, code="00008"), name="Tổ dân phố Ngọc Hà")


def test_recommendation_is_answered_followed_up_and_closed(commune: Commune) -> None:
    plan = s.plan_create(actor=commune.board_member, board=commune.inspection, title="Kiểm tra thu chi quỹ",
                         subject="Thu, chi quỹ vì người nghèo năm 2025", starts_on=TODAY, ends_on=TODAY)
    s.finding_add(actor=commune.board_member, plan=plan, text="Thiếu chứng từ chi 3 khoản")
    plan.refresh_from_db()
    assert plan.status == PlanStatus.IN_PROGRESS
    rec = s.recommendation_send(actor=commune.board_member, board=commune.inspection, plan=plan,
                                text="Đề nghị bổ sung chứng từ và công khai lại", sent_on=TODAY)
    assert rec.answer_due_on == TODAY + dt.timedelta(days=15)
    assert rec.addressed_to == "Ủy ban nhân dân phường Ba Đình"

    with pytest.raises(DomainError, match="không có quyền"):
        s.recommendation_answer(actor=commune.board_member, recommendation=rec, answer="Tự trả lời")
    with pytest.raises(DomainError, match="trạng thái hiện tại"):
        s.recommendation_close(actor=commune.board_member, recommendation=rec, note="Xong")
    rec = s.recommendation_answer(actor=commune.leader, recommendation=rec, answer="Sẽ bổ sung trong tháng 3",
                                  follow_up_due_on=dt.date(2026, 3, 31))
    assert rec.status == RecommendationStatus.ANSWERED and rec.answered_on == TODAY
    with pytest.raises(DomainError, match="trạng thái hiện tại"):
        s.recommendation_answer(actor=commune.leader, recommendation=rec, answer="Lần hai")
    rec = s.recommendation_reopen(actor=commune.board_member, recommendation=rec,
                                reason="Chưa nêu rõ người chịu trách nhiệm")
    assert rec.status == RecommendationStatus.SENT and rec.answer == "" and "Ban kiến nghị lại" in rec.text
    rec = s.recommendation_answer(actor=commune.leader, recommendation=rec, answer="Giao kế toán bổ sung")
    rec = s.recommendation_close(actor=commune.board_member, recommendation=rec, note="Đã bổ sung đủ chứng từ")
    assert rec.status == RecommendationStatus.CLOSED
    actions = set(AuditEntry.objects.filter(action__startswith="oversight.").values_list("action", flat=True))
    assert {"oversight.plan_create", "oversight.finding_add", "oversight.recommendation_send",
            "oversight.recommendation_answer", "oversight.recommendation_reopen",
            "oversight.recommendation_close"} <= actions


@pytest.mark.parametrize(("status", "answer_due", "follow_up", "overdue"), [
    (RecommendationStatus.SENT, TODAY, None, False),            # due today: not yet late
    (RecommendationStatus.SENT, TODAY - dt.timedelta(days=1), None, True),
    (RecommendationStatus.ANSWERED, TODAY - dt.timedelta(days=9), None, False),  # answered, no promise date
    (RecommendationStatus.ANSWERED, TODAY - dt.timedelta(days=9), TODAY - dt.timedelta(days=1), True),
    (RecommendationStatus.CLOSED, TODAY - dt.timedelta(days=9), TODAY - dt.timedelta(days=1), False),
])
def test_overdue_recommendations(commune: Commune, status: str, answer_due: dt.date,
                                 follow_up: dt.date | None, overdue: bool) -> None:
    rec = s.recommendation_send(actor=commune.board_member, board=commune.inspection, text="Kiến nghị",
                                sent_on=TODAY - dt.timedelta(days=20))
    type(rec).objects.filter(pk=rec.pk).update(status=status, answer_due_on=answer_due, follow_up_due_on=follow_up)
    rec.refresh_from_db()
    assert selectors.recommendation_overdue(rec) is overdue
    assert selectors.recommendations(commune=commune.unit, status="overdue").filter(pk=rec.pk).exists() is overdue


def test_project_progress_and_issues(commune: Commune) -> None:
    project = s.project_create(actor=commune.leader, unit=commune.unit, name="Cải tạo ngõ 12 Đội Cấn",
                               investor="UBND phường Ba Đình", funding_source="Ngân sách phường",
                               budget_vnd=1_200_000_000)
    with pytest.raises(DomainError, match="100%"):
        s.project_report(actor=commune.leader, project=project, progress_percent=90,
                         status=ProjectStatus.COMPLETED, note="Xong")
    s.project_report(actor=commune.leader, project=project, progress_percent=40, status=ProjectStatus.BUILDING,
                     note="Đã lát xong một nửa")
    assert project.progress_percent == 40 and project.status == ProjectStatus.BUILDING
    issue = s.project_issue_raise(actor=commune.board_member, project=project, text="Bê tông không đủ độ dày")
    with pytest.raises(DomainError, match="không có quyền"):
        s.project_issue_resolve(actor=commune.board_member, issue=issue, resolution="Tự khắc phục")
    s.project_issue_resolve(actor=commune.leader, issue=issue, resolution="Nhà thầu đổ lại đoạn 20 m")
    with pytest.raises(DomainError, match="đã được khắc phục"):
        s.project_issue_resolve(actor=commune.leader, issue=issue, resolution="Lần hai")


def test_commitment_progress_completes_and_cannot_go_back(commune: Commune) -> None:
    c = s.commitment_create(actor=commune.leader, unit=commune.unit, title="Lắp đèn chiếu sáng ngõ 5",
                            source_kind=CommitmentSource.DIALOGUE, responsible="UBND phường",
                            due_on=dt.date(2026, 6, 30))
    s.commitment_update(actor=commune.handler, commitment=c, progress_percent=50, note="Đã lắp 10/20 bóng")
    assert c.status == CommitmentStatus.IN_PROGRESS
    with pytest.raises(DomainError, match="không được thấp hơn"):
        s.commitment_update(actor=commune.handler, commitment=c, progress_percent=30, note="Sai")
    s.commitment_update(actor=commune.handler, commitment=c, progress_percent=100, note="Đã lắp đủ")
    assert c.status == CommitmentStatus.DONE and c.done_on == TODAY
    with pytest.raises(DomainError, match="trạng thái hiện tại"):
        s.commitment_cancel(actor=commune.leader, commitment=c, reason="Muộn")
    with pytest.raises(DomainError, match="không có quyền"):
        s.commitment_create(actor=commune.board_member, unit=commune.unit, title="X", source_kind="other",
                            responsible="Y", due_on=TODAY)


def test_recent_commitments_leave_out_cancelled_ones_newest_first(commune: Commune) -> None:
    first, second, dropped = (
        s.commitment_create(actor=commune.leader, unit=commune.unit, title=title, source_kind="other",
                            responsible="UBND phường", due_on=TODAY)
        for title in ("Sửa cống ngõ 3", "Trồng cây đường Đội Cấn", "Lát vỉa hè ngõ 7"))
    s.commitment_cancel(actor=commune.leader, commitment=dropped, reason="Trùng với kế hoạch quận")
    s.commitment_update(actor=commune.leader, commitment=first, progress_percent=40, note="Đã đào rãnh")
    assert list(selectors.recent_commitments(limit=20)) == [first, second]
    assert list(selectors.recent_commitments(limit=1)) == [first]


def test_a_bad_evidence_file_writes_nothing(commune: Commune) -> None:
    c = s.commitment_create(actor=commune.leader, unit=commune.unit, title="Nạo vét mương", source_kind="other",
                            responsible="UBND phường", due_on=TODAY)
    with pytest.raises(DomainError):
        s.commitment_update(actor=commune.leader, commitment=c, progress_percent=20, note="Ảnh",
                            files=[("anh.jpg", b"khong phai anh")])
    c.refresh_from_db()
    assert c.progress_percent == 0 and not c.updates.exists()


def test_outsiders_see_nothing_of_the_commune(commune: Commune) -> None:
    rec = s.recommendation_send(actor=commune.board_member, board=commune.inspection, text="Kiến nghị")
    with pytest.raises(NotFoundOrForbidden):
        selectors.recommendation_get(actor=commune.outsider, pk=rec.pk)
    with pytest.raises(NotFoundOrForbidden):
        selectors.commune_for(actor=commune.outsider, code=commune.unit.code)
    assert selectors.recommendation_get(actor=commune.leader, pk=rec.pk) == rec
    assert list(selectors.communes_overview(actor=commune.outsider)) == [selectors.commune_by_code("00008")]
