"""Extensions: as many as the rule valid on receipt allows, before the deadline, in writing."""

from __future__ import annotations

import datetime as dt

import pytest

from danvan.audit.models import AuditEntry
from danvan.cases import services as s
from danvan.cases.models import CaseEvent, EventKind, Extension, Kind, LegalRule, RuleKey
from danvan.cases.workflow import ActionNotPermitted, IllegalTransition
from danvan.core.errors import DomainError, NotFoundOrForbidden
from tests.cases.conftest import Clock, People, SubmitFn

pytestmark = pytest.mark.django_db
D = dt.date.fromisoformat


def test_denunciation_extends_twice_and_no_more(clock: Clock, submit: SubmitFn, people: People) -> None:
    case = submit(kind=Kind.DENUNCIATION)
    clock.set("2025-03-05")
    case = s.case_accept(actor=people.leader, case=case)
    assert case.due_on == D("2025-04-04")
    clock.set("2025-04-01")
    case = s.case_extend(actor=people.leader, case=case, reason="Vụ việc phức tạp, cần xác minh thêm",
                         notice_reference="15/TB-UBND")
    assert (case.extensions, case.due_on) == (1, D("2025-05-05"))  # 60 days end Sun 4/5 → Mon 5/5
    case = s.case_extend(actor=people.leader, case=case, reason="Vụ việc đặc biệt phức tạp")
    assert (case.extensions, case.due_on) == (2, D("2025-06-03"))  # 90 days
    with pytest.raises(IllegalTransition, match="Đã gia hạn đủ 2 lần") as info:
        s.case_extend(actor=people.leader, case=case, reason="Lần ba")
    assert isinstance(info.value, DomainError) and info.value.code == "extension_refused"
    rows = list(Extension.objects.filter(case=case).values_list("number", "days", "previous_due_on", "new_due_on",
                                                                  "notice_reference"))
    assert rows == [(1, 30, D("2025-04-04"), D("2025-05-05"), "15/TB-UBND"),
                    (2, 30, D("2025-05-05"), D("2025-06-03"), "")]
    events = CaseEvent.objects.filter(case=case, kind=EventKind.EXTENDED).order_by("id")
    assert [e.public for e in events] == [True, True]
    assert "05/05/2025" in events[0].note and "15/TB-UBND" in events[0].note
    assert AuditEntry.objects.filter(action="cases.extend", object_id=str(case.pk)).count() == 2


def test_complaint_extends_by_becoming_complex(clock: Clock, submit: SubmitFn, people: People) -> None:
    case = s.case_accept(actor=people.intake, case=submit(kind=Kind.COMPLAINT))
    assert case.due_on == D("2025-04-02")
    case = s.case_extend(actor=people.leader, case=case, reason="Nhiều người liên quan")
    assert case.is_complex and case.extensions == 0
    assert case.due_on == D("2025-04-17")  # 45 days from 3/3
    assert Extension.objects.get(case=case).days == 15
    with pytest.raises(IllegalTransition, match="phức tạp"):
        s.case_extend(actor=people.leader, case=case, reason="Thêm nữa")


def test_remote_second_instance_complaint_goes_from_60_to_70(clock: Clock, submit: SubmitFn,
                                                             people: People) -> None:
    case = s.case_accept(actor=people.intake, case=submit(kind=Kind.COMPLAINT, instance=2), is_remote=True)
    assert case.due_on == D("2025-05-02") + dt.timedelta(days=3)  # 2/5 is a holiday (swap) → Mon 5/5
    case = s.case_extend(actor=people.leader, case=case, reason="Phức tạp")
    assert case.due_on == D("2025-05-12")
    assert Extension.objects.get(case=case).days == 10


def test_feedback_extends_by_the_local_rule(clock: Clock, submit: SubmitFn, people: People, hanoi) -> None:  # type: ignore[no-untyped-def]
    case = submit()
    case = s.case_extend(actor=people.leader, case=case, reason="Chờ ý kiến sở chuyên ngành")
    assert case.due_on == D("2025-04-15")  # 30 working days, Giỗ Tổ skipped
    with pytest.raises(IllegalTransition, match="Đã gia hạn đủ 1 lần"):
        s.case_extend(actor=people.leader, case=case, reason="Lần hai")
    # A province that forbids extensions of feedback.
    LegalRule.objects.create(key=RuleKey.FEEDBACK_RESOLVE, days=10, working_days=True, valid_from=D("2024-01-01"),
                             province=hanoi, source="Quy định của Hà Nội (thử)")
    other = submit()
    with pytest.raises(IllegalTransition, match="không cho phép gia hạn"):
        s.case_extend(actor=people.leader, case=other, reason="Chờ")


def test_extension_rule_is_the_one_valid_on_receipt(clock: Clock, submit: SubmitFn, people: People) -> None:
    case = s.case_accept(actor=people.leader, case=submit(kind=Kind.DENUNCIATION))
    LegalRule.objects.create(key=RuleKey.DENUNCIATION_RESOLVE, days=30, max_extensions=1, extension_days=20,
                             valid_from=D("2025-03-04"), source="Luật sửa đổi (thử)")
    case = s.case_extend(actor=people.leader, case=case, reason="Phức tạp")
    case = s.case_extend(actor=people.leader, case=case, reason="Đặc biệt phức tạp")
    assert case.extensions == 2  # received 3/3: the old rule's two extensions still apply


def test_extension_is_decided_before_the_deadline(clock: Clock, submit: SubmitFn, people: People) -> None:
    case = s.case_accept(actor=people.leader, case=submit(kind=Kind.DENUNCIATION))
    clock.set(case.due_on)
    case = s.case_extend(actor=people.leader, case=case, reason="Đúng ngày cuối cùng vẫn được")
    clock.set(case.due_on + dt.timedelta(days=1))
    with pytest.raises(IllegalTransition, match="Đã quá hạn"):
        s.case_extend(actor=people.leader, case=case, reason="Muộn")


def test_only_accepted_open_cases_extend(clock: Clock, submit: SubmitFn, people: People) -> None:
    with pytest.raises(IllegalTransition, match="đã thụ lý"):
        s.case_extend(actor=people.leader, case=submit(kind=Kind.DENUNCIATION), reason="x")
    refused = s.case_refuse(actor=people.intake, case=submit(), reason="Trùng")
    with pytest.raises(IllegalTransition, match="đã thụ lý"):
        s.case_extend(actor=people.leader, case=refused, reason="x")
    information = submit(kind=Kind.DENUNCIATION, denouncer=None)
    with pytest.raises(IllegalTransition):
        s.case_extend(actor=people.leader, case=information, reason="x")


def test_only_leaders_extend(clock: Clock, submit: SubmitFn, people: People) -> None:
    case = submit()
    for actor in (people.handler, people.intake, people.supervisor):
        with pytest.raises(ActionNotPermitted):
            s.case_extend(actor=actor, case=case, reason="x")
    for actor in (people.neighbour_leader, people.citizen, None):
        with pytest.raises(NotFoundOrForbidden):
            s.case_extend(actor=actor, case=case, reason="x")
    with pytest.raises(DomainError, match="lý do gia hạn"):
        s.case_extend(actor=people.leader, case=case, reason=" ")
    assert s.case_extend(actor=people.province_leader, case=case, reason="Chờ ý kiến").extensions == 1
