"""Every write of the oversight app: keyword-only, one transaction, permission-checked, audited."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from danvan.attachments.services import attachment_add, file_check
from danvan.audit.services import audit_record
from danvan.core.documents import unit_in_title
from danvan.core.errors import DomainError, NotFoundOrForbidden
from danvan.core.search import searchable
from danvan.core.text import normalize
from danvan.units.models import Level, Organisation, Unit

from . import rules as r
from . import workflow
from .models import (
    BOARD_KINDS,
    BoardMember,
    BoardRule,
    Commitment,
    CommitmentSource,
    CommitmentUpdate,
    Finding,
    InspectionPlan,
    InvestmentProject,
    MemberRole,
    ProjectIssue,
    ProjectReport,
    ProjectStatus,
    Recommendation,
)


def _require(allowed: bool, user: Any, path: str) -> None:
    """Outside scope looks like "not found"; inside scope without the role is a clear refusal."""
    if not r.can_view(user, path):
        raise NotFoundOrForbidden()
    if not allowed:
        raise DomainError(_("Bạn không có quyền thực hiện thao tác này."), code="forbidden")


def _today() -> dt.date:
    return timezone.localdate()


def _percent(value: int) -> int:
    if not 0 <= value <= 100:
        raise DomainError(_("Tiến độ phải từ 0 đến 100%."), code="percent")
    return value


def _text(value: str, message: str) -> str:
    value = normalize(value).strip()
    if not value:
        raise DomainError(message, code="required")
    return value


def board_rule(*, board_kind: str, on: dt.date | None = None) -> BoardRule | None:
    """The composition rule in force on ``on`` (today by default)."""
    return (BoardRule.objects.filter(board_kind=board_kind, valid_from__lte=on or _today())
            .order_by("-valid_from").first())


# -- boards ---------------------------------------------------------------------------------------

def _check_board(board: Organisation) -> None:
    if board.kind not in BOARD_KINDS or board.unit.level != Level.COMMUNE:
        raise DomainError(_("Tổ chức này không phải Ban Thanh tra nhân dân hay Ban Giám sát đầu tư của cộng đồng."),
                          code="not_a_board")


def board_member_add(*, actor: Any, board: Organisation, full_name: str, village: Unit, role: str = MemberRole.MEMBER,
                     phone: str = "", joined_on: dt.date | None = None) -> BoardMember:
    _check_board(board)
    _require(r.can_manage_board(actor, board.unit.path), actor, board.unit.path)
    if village.parent_id != board.unit_id or village.level != Level.VILLAGE:
        raise DomainError(_("Thôn, tổ dân phố phải thuộc %(unit)s.") % {"unit": board.unit.name}, code="village")
    if role == MemberRole.HEAD and BoardMember.objects.filter(board=board, role=MemberRole.HEAD,
                                                              left_on__isnull=True).exists():
        raise DomainError(_("Ban đã có Trưởng ban. Hãy cho Trưởng ban hiện tại thôi tham gia trước."),
                          code="one_head")
    with transaction.atomic():
        member = BoardMember.objects.create(
            board=board, full_name=_text(full_name, _("Hãy nhập họ và tên.")), village=village, role=role,
            phone=phone.strip(), joined_on=joined_on or _today())
        audit_record(actor=actor, action="oversight.member_add", obj=member, unit_path=board.unit.path,
                     after={"board": board.pk, "village": village.code, "role": role})
    return member


def board_member_end(*, actor: Any, member: BoardMember, left_on: dt.date | None = None,
                     reason: str = "") -> BoardMember:
    path = member.board.unit.path
    _require(r.can_manage_board(actor, path), actor, path)
    if member.left_on is not None:
        raise DomainError(_("Thành viên này đã thôi tham gia ban."), code="already_left")
    left_on = left_on or _today()
    if left_on < member.joined_on:
        raise DomainError(_("Ngày thôi tham gia không được trước ngày tham gia."), code="dates")
    with transaction.atomic():
        member.left_on, member.left_reason = left_on, reason.strip()[:250]
        member.save(update_fields=["left_on", "left_reason", "updated_at"])
        audit_record(actor=actor, action="oversight.member_end", obj=member, unit_path=path,
                     after={"left_on": left_on.isoformat(), "reason": member.left_reason})
    return member


# -- inspection plans and findings ----------------------------------------------------------------

def plan_create(*, actor: Any, board: Organisation, title: str, subject: str, starts_on: dt.date,
                ends_on: dt.date) -> InspectionPlan:
    _check_board(board)
    _require(r.can_work_as_board(actor, board.unit.path), actor, board.unit.path)
    if ends_on < starts_on:
        raise DomainError(_("Ngày kết thúc không được trước ngày bắt đầu."), code="dates")
    with transaction.atomic():
        plan = InspectionPlan.objects.create(
            board=board, unit_path=board.unit.path, title=_text(title, _("Hãy nhập tên kế hoạch.")),
            subject=_text(subject, _("Hãy nhập nội dung kiểm tra, giám sát.")), starts_on=starts_on, ends_on=ends_on)
        audit_record(actor=actor, action="oversight.plan_create", obj=plan, unit_path=plan.unit_path,
                     after={"board": board.pk, "starts_on": starts_on.isoformat(), "ends_on": ends_on.isoformat()})
    return plan


def finding_add(*, actor: Any, plan: InspectionPlan, text: str, found_on: dt.date | None = None) -> Finding:
    _require(r.can_work_as_board(actor, plan.unit_path), actor, plan.unit_path)
    with transaction.atomic():
        locked = InspectionPlan.objects.select_for_update().get(pk=plan.pk)
        locked.status = workflow.next_state(workflow.PLAN, locked.status, "finding")
        locked.save(update_fields=["status", "updated_at"])
        finding = Finding.objects.create(plan=locked, text=_text(text, _("Hãy nhập nội dung phát hiện.")),
                                         found_on=found_on or _today(), recorded_by=actor)
        audit_record(actor=actor, action="oversight.finding_add", obj=finding, unit_path=plan.unit_path)
    plan.refresh_from_db()
    return finding


def plan_complete(*, actor: Any, plan: InspectionPlan, conclusion: str) -> InspectionPlan:
    _require(r.can_work_as_board(actor, plan.unit_path), actor, plan.unit_path)
    with transaction.atomic():
        locked = InspectionPlan.objects.select_for_update().get(pk=plan.pk)
        locked.status = workflow.next_state(workflow.PLAN, locked.status, "complete")
        locked.conclusion = _text(conclusion, _("Hãy nhập kết luận."))
        locked.save(update_fields=["status", "conclusion", "updated_at"])
        audit_record(actor=actor, action="oversight.plan_complete", obj=locked, unit_path=plan.unit_path)
    return locked


# -- recommendations --------------------------------------------------------------------------------

def recommendation_send(*, actor: Any, board: Organisation, text: str, addressed_to: str = "",
                        sent_on: dt.date | None = None, plan: InspectionPlan | None = None,
                        project: InvestmentProject | None = None) -> Recommendation:
    """Record a recommendation; the answer is due after the rule's days from the day it was sent."""
    _check_board(board)
    _require(r.can_work_as_board(actor, board.unit.path), actor, board.unit.path)
    if plan is not None and plan.board_id != board.pk:
        raise DomainError(_("Kế hoạch không thuộc ban này."), code="plan")
    if project is not None and project.unit_id != board.unit_id:
        raise DomainError(_("Công trình không thuộc địa bàn của ban."), code="project")
    sent_on = sent_on or _today()
    if sent_on > _today():
        raise DomainError(_("Ngày gửi không được sau hôm nay."), code="dates")
    rule = board_rule(board_kind=board.kind, on=sent_on)
    days = rule.answer_days if rule else 15
    committee = _("Ủy ban nhân dân %(unit)s") % {"unit": unit_in_title(board.unit.name)}
    with transaction.atomic():
        rec = Recommendation.objects.create(
            board=board, unit_path=board.unit.path, plan=plan, project=project,
            addressed_to=addressed_to.strip() or committee,
            text=_text(text, _("Hãy nhập nội dung kiến nghị.")), sent_on=sent_on,
            answer_due_on=sent_on + dt.timedelta(days=days))
        audit_record(actor=actor, action="oversight.recommendation_send", obj=rec, unit_path=rec.unit_path,
                     after={"board": board.pk, "answer_due_on": rec.answer_due_on.isoformat()})
    return rec


def recommendation_answer(*, actor: Any, recommendation: Recommendation, answer: str,
                          follow_up_due_on: dt.date | None = None) -> Recommendation:
    _require(r.can_answer(actor, recommendation.unit_path), actor, recommendation.unit_path)
    answer = _text(answer, _("Hãy nhập nội dung trả lời."))
    with transaction.atomic():
        rec = Recommendation.objects.select_for_update().get(pk=recommendation.pk)
        rec.status = workflow.next_state(workflow.RECOMMENDATION, rec.status, "answer")
        if follow_up_due_on is not None and follow_up_due_on < _today():
            raise DomainError(_("Hạn thực hiện không được trước hôm nay."), code="dates")
        rec.answer, rec.answered_on, rec.answered_by, rec.follow_up_due_on = (
            answer, _today(), actor, follow_up_due_on)
        rec.save(update_fields=["status", "answer", "answered_on", "answered_by", "follow_up_due_on", "updated_at"])
        audit_record(actor=actor, action="oversight.recommendation_answer", obj=rec, unit_path=rec.unit_path,
                     after={"follow_up_due_on": follow_up_due_on.isoformat() if follow_up_due_on else None})
    return rec


def recommendation_close(*, actor: Any, recommendation: Recommendation, note: str) -> Recommendation:
    """The board confirms the recommendation was carried out."""
    _require(r.can_work_as_board(actor, recommendation.unit_path), actor, recommendation.unit_path)
    with transaction.atomic():
        rec = Recommendation.objects.select_for_update().get(pk=recommendation.pk)
        rec.status = workflow.next_state(workflow.RECOMMENDATION, rec.status, "close")
        rec.closed_on, rec.closing_note = _today(), _text(note, _("Hãy ghi kết quả thực hiện."))
        rec.save(update_fields=["status", "closed_on", "closing_note", "updated_at"])
        audit_record(actor=actor, action="oversight.recommendation_close", obj=rec, unit_path=rec.unit_path)
    return rec


def recommendation_reopen(*, actor: Any, recommendation: Recommendation, reason: str) -> Recommendation:
    """The board finds the answer insufficient: a new answer is due after the rule's days again."""
    _require(r.can_work_as_board(actor, recommendation.unit_path), actor, recommendation.unit_path)
    reason = _text(reason, _("Hãy nêu lý do chưa đồng ý với câu trả lời."))
    with transaction.atomic():
        rec = Recommendation.objects.select_for_update().select_related("board").get(pk=recommendation.pk)
        rec.status = workflow.next_state(workflow.RECOMMENDATION, rec.status, "reopen")
        rule = board_rule(board_kind=rec.board.kind)
        before = {"answer": rec.answer, "answered_on": rec.answered_on.isoformat() if rec.answered_on else None}
        rec.text = f"{rec.text}\n\n{_('Ban kiến nghị lại')} ({_today():%d/%m/%Y}): {reason}"
        rec.answer, rec.answered_on, rec.answered_by, rec.follow_up_due_on = "", None, None, None
        rec.answer_due_on = _today() + dt.timedelta(days=rule.answer_days if rule else 15)
        rec.save()
        audit_record(actor=actor, action="oversight.recommendation_reopen", obj=rec, unit_path=rec.unit_path,
                     before=before, after={"reason": reason})
    return rec


# -- investment projects ---------------------------------------------------------------------------

def project_create(*, actor: Any, unit: Unit, name: str, investor: str, funding_source: str, budget_vnd: int,
                   starts_on: dt.date | None = None, planned_end_on: dt.date | None = None, description: str = "",
                   latitude: float | None = None, longitude: float | None = None) -> InvestmentProject:
    if unit.level != Level.COMMUNE:
        raise DomainError(_("Công trình phải thuộc một xã, phường, đặc khu."), code="unit")
    _require(r.can_manage_projects(actor, unit.path), actor, unit.path)
    if budget_vnd < 0:
        raise DomainError(_("Tổng mức đầu tư không được âm."), code="budget")
    if starts_on and planned_end_on and planned_end_on < starts_on:
        raise DomainError(_("Ngày dự kiến hoàn thành không được trước ngày khởi công."), code="dates")
    name = _text(name, _("Hãy nhập tên công trình."))
    with transaction.atomic():
        project = InvestmentProject.objects.create(
            unit=unit, unit_path=unit.path, name=name, search_text=searchable(name, investor),
            investor=_text(investor, _("Hãy nhập chủ đầu tư.")), funding_source=funding_source.strip(),
            budget_vnd=budget_vnd, starts_on=starts_on, planned_end_on=planned_end_on,
            description=description.strip(), latitude=latitude, longitude=longitude)
        audit_record(actor=actor, action="oversight.project_create", obj=project, unit_path=unit.path,
                     after={"budget_vnd": budget_vnd})
    return project


def project_report(*, actor: Any, project: InvestmentProject, progress_percent: int, status: str, note: str,
                   reported_on: dt.date | None = None) -> ProjectReport:
    _require(r.can_manage_projects(actor, project.unit_path), actor, project.unit_path)
    _percent(progress_percent)
    if status not in ProjectStatus.values:
        raise DomainError(_("Tình trạng không hợp lệ."), code="status")
    if status == ProjectStatus.COMPLETED and progress_percent != 100:
        raise DomainError(_("Công trình hoàn thành phải có tiến độ 100%."), code="percent")
    with transaction.atomic():
        locked = InvestmentProject.objects.select_for_update().get(pk=project.pk)
        report = ProjectReport.objects.create(project=locked, reported_on=reported_on or _today(),
                                              progress_percent=progress_percent, status=status,
                                              note=_text(note, _("Hãy nhập nội dung báo cáo.")), reported_by=actor)
        locked.progress_percent, locked.status = progress_percent, status
        locked.save(update_fields=["progress_percent", "status", "updated_at"])
        audit_record(actor=actor, action="oversight.project_report", obj=locked, unit_path=locked.unit_path,
                     after={"progress_percent": progress_percent, "status": status})
    project.refresh_from_db()
    return report


def project_issue_raise(*, actor: Any, project: InvestmentProject, text: str,
                        raised_on: dt.date | None = None) -> ProjectIssue:
    _require(r.can_work_as_board(actor, project.unit_path), actor, project.unit_path)
    with transaction.atomic():
        issue = ProjectIssue.objects.create(project=project, text=_text(text, _("Hãy mô tả vấn đề phát hiện.")),
                                            raised_on=raised_on or _today(), raised_by=actor)
        audit_record(actor=actor, action="oversight.issue_raise", obj=issue, unit_path=project.unit_path)
    return issue


def project_issue_resolve(*, actor: Any, issue: ProjectIssue, resolution: str) -> ProjectIssue:
    path = issue.project.unit_path
    _require(r.can_manage_projects(actor, path), actor, path)
    if issue.resolved_on is not None:
        raise DomainError(_("Vấn đề này đã được khắc phục."), code="already_resolved")
    with transaction.atomic():
        issue.resolved_on, issue.resolution = _today(), _text(resolution, _("Hãy ghi kết quả khắc phục."))
        issue.save(update_fields=["resolved_on", "resolution", "updated_at"])
        audit_record(actor=actor, action="oversight.issue_resolve", obj=issue, unit_path=path)
    return issue


# -- commitments -----------------------------------------------------------------------------------

def commitment_create(*, actor: Any, unit: Unit, title: str, source_kind: str, responsible: str, due_on: dt.date,
                      description: str = "", source_reference: str = "",
                      recommendation: Recommendation | None = None,
                      project: InvestmentProject | None = None) -> Commitment:
    _require(r.can_manage_commitments(actor, unit.path), actor, unit.path)
    if source_kind not in CommitmentSource.values:
        raise DomainError(_("Nguồn cam kết không hợp lệ."), code="source")
    for linked in (recommendation, project):
        if linked is not None and not linked.unit_path.startswith(unit.path):
            raise DomainError(_("Kiến nghị hoặc công trình liên quan phải thuộc cùng địa bàn."), code="scope")
    title = _text(title, _("Hãy nhập nội dung cam kết."))
    with transaction.atomic():
        commitment = Commitment.objects.create(
            unit=unit, unit_path=unit.path, title=title, search_text=searchable(title, description),
            description=description.strip(), source_kind=source_kind, source_reference=source_reference.strip(),
            recommendation=recommendation, project=project,
            responsible=_text(responsible, _("Hãy nhập cơ quan, người chịu trách nhiệm.")), due_on=due_on)
        audit_record(actor=actor, action="oversight.commitment_create", obj=commitment, unit_path=unit.path,
                     after={"due_on": due_on.isoformat(), "source_kind": source_kind})
    return commitment


def commitment_update(*, actor: Any, commitment: Commitment, progress_percent: int, note: str,
                      files: list[tuple[str, bytes]] | None = None,
                      reported_on: dt.date | None = None) -> CommitmentUpdate:
    """Report progress with evidence; 100% completes the commitment."""
    _require(r.can_manage_commitments(actor, commitment.unit_path), actor, commitment.unit_path)
    _percent(progress_percent)
    note = _text(note, _("Hãy ghi kết quả thực hiện hoặc minh chứng."))
    # Check every file before writing anything: a bad file must not leave half an update behind.
    checked = [(name, file_check(content=content)) for name, content in files or []]
    with transaction.atomic():
        locked = Commitment.objects.select_for_update().get(pk=commitment.pk)
        if progress_percent < locked.progress_percent:
            raise DomainError(_("Tiến độ mới không được thấp hơn tiến độ đã báo cáo (%(p)d%%).")
                              % {"p": locked.progress_percent}, code="percent")
        action = "complete" if progress_percent == 100 else "progress"
        locked.status = workflow.next_state(workflow.COMMITMENT, locked.status, action)
        locked.progress_percent = progress_percent
        if action == "complete":
            locked.done_on = reported_on or _today()
        locked.save(update_fields=["status", "progress_percent", "done_on", "updated_at"])
        update = CommitmentUpdate.objects.create(commitment=locked, reported_on=reported_on or _today(),
                                                 progress_percent=progress_percent, note=note, reported_by=actor)
        for name, item in checked:
            attachment_add(target=update, name=name, checked=item, actor=actor)
        audit_record(actor=actor, action="oversight.commitment_update", obj=locked, unit_path=locked.unit_path,
                     after={"progress_percent": progress_percent, "status": locked.status, "files": len(checked)})
    commitment.refresh_from_db()
    return update


def commitment_cancel(*, actor: Any, commitment: Commitment, reason: str) -> Commitment:
    _require(r.can_manage_commitments(actor, commitment.unit_path), actor, commitment.unit_path)
    reason = _text(reason, _("Hãy nêu lý do hủy bỏ cam kết."))
    with transaction.atomic():
        locked = Commitment.objects.select_for_update().get(pk=commitment.pk)
        locked.status = workflow.next_state(workflow.COMMITMENT, locked.status, "cancel")
        locked.save(update_fields=["status", "updated_at"])
        CommitmentUpdate.objects.create(commitment=locked, reported_on=_today(),
                                        progress_percent=locked.progress_percent,
                                        note=_("Hủy bỏ: %(reason)s") % {"reason": reason}, reported_by=actor)
        audit_record(actor=actor, action="oversight.commitment_cancel", obj=locked, unit_path=locked.unit_path,
                     after={"reason": reason})
    return locked



def board_rule_save(*, actor: Any, rule: BoardRule, created: bool) -> BoardRule:
    """An administrator's change to a composition rule, with the values before and after."""
    if rule.min_members < 1 or rule.answer_days < 1:
        raise DomainError(_("Số thành viên và số ngày phải lớn hơn 0."), code="rule")
    fields = ("board_kind", "min_members", "every_village", "answer_days", "valid_from", "source", "unconfirmed")
    old = None if created else BoardRule.objects.filter(pk=rule.pk).first()
    with transaction.atomic():
        rule.save()
        audit_record(actor=actor, action="oversight.rule_save", obj=rule,
                     before={f: str(getattr(old, f)) for f in fields} if old else None,
                     after={f: str(getattr(rule, f)) for f in fields})
    return rule
