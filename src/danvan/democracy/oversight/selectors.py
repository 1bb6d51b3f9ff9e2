"""Reads: the public accountability page of a commune, and officials' views scoped to them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from danvan.accounts.selectors import scope_q
from danvan.attachments.models import Attachment
from danvan.core.errors import NotFoundOrForbidden
from danvan.core.search import search
from danvan.units.models import Era, Level, Organisation, Status, Unit

from . import rules as r
from .models import (
    BOARD_KINDS,
    BoardMember,
    Commitment,
    CommitmentStatus,
    CommitmentUpdate,
    InspectionPlan,
    InvestmentProject,
    Recommendation,
    RecommendationStatus,
)
from .services import board_rule

OPEN_COMMITMENT = (CommitmentStatus.NOT_STARTED, CommitmentStatus.IN_PROGRESS)


def _today() -> dt.date:
    return timezone.localdate()


def overdue_recommendations_q(today: dt.date | None = None) -> Q:
    """Not answered by the due date, or answered but not carried out by the promised date."""
    today = today or _today()
    return (Q(status=RecommendationStatus.SENT, answer_due_on__lt=today)
            | Q(status=RecommendationStatus.ANSWERED, follow_up_due_on__lt=today))


def overdue_commitments_q(today: dt.date | None = None) -> Q:
    return Q(status__in=OPEN_COMMITMENT, due_on__lt=today or _today())


def commune_by_code(code: str) -> Unit:
    """A current, active commune by its 5-digit code (public pages)."""
    unit = Unit.objects.filter(era=Era.CURRENT, level=Level.COMMUNE, status=Status.ACTIVE, code=code).first()
    if unit is None:
        raise NotFoundOrForbidden(_("Không tìm thấy xã, phường, đặc khu có mã này."))
    return unit


def commune_for(*, actor: Any, code: str) -> Unit:
    """The commune, if the official may see it; otherwise the same 404 as a wrong code."""
    unit = commune_by_code(code)
    if not r.can_view(actor, unit.path):
        raise NotFoundOrForbidden()
    return unit


def boards(*, commune: Unit) -> list[Organisation]:
    found = Organisation.objects.filter(unit=commune, kind__in=BOARD_KINDS, active=True)
    # The people's inspection board first, as the law presents them.
    return sorted(found, key=lambda o: BOARD_KINDS.index(o.kind))


@dataclass
class BoardView:
    board: Organisation
    members: list[BoardMember]
    warnings: list[str] = field(default_factory=list)


def board_warnings(*, board: Organisation, members: list[BoardMember] | None = None,
                   on: dt.date | None = None) -> list[str]:
    """What the law's composition rule finds wanting: too few members, villages not represented."""
    rule = board_rule(board_kind=board.kind, on=on)
    if rule is None:
        return []
    if members is None:
        members = list(BoardMember.objects.filter(board=board, left_on__isnull=True).select_related("village"))
    warnings = []
    if len(members) < rule.min_members:
        warnings.append(_("Ban mới có %(n)d thành viên, chưa đủ tối thiểu %(min)d thành viên.")
                        % {"n": len(members), "min": rule.min_members})
    if rule.every_village:
        covered = {m.village_id for m in members}
        missing = [v.name for v in Unit.objects.filter(parent_id=board.unit_id, level=Level.VILLAGE,
                                                       status=Status.ACTIVE).order_by("name")
                   if v.pk not in covered]
        if missing:
            shown = ", ".join(missing[:10]) + ("…" if len(missing) > 10 else "")
            warnings.append(_("%(n)d thôn, tổ dân phố chưa có thành viên trong ban: %(names)s.")
                            % {"n": len(missing), "names": shown})
    return warnings


def board_views(*, commune: Unit) -> list[BoardView]:
    result = []
    for board in boards(commune=commune):
        members = list(BoardMember.objects.filter(board=board, left_on__isnull=True).select_related("village"))
        result.append(BoardView(board=board, members=members, warnings=board_warnings(board=board, members=members)))
    return result


def recommendations(*, commune: Unit, status: str = "") -> QuerySet[Recommendation]:
    qs = Recommendation.objects.filter(unit_path=commune.path).select_related("board", "project", "plan")
    if status == "overdue":
        qs = qs.filter(overdue_recommendations_q())
    elif status in RecommendationStatus.values:
        qs = qs.filter(status=status)
    return qs


def projects(*, commune: Unit, query: str = "") -> QuerySet[InvestmentProject]:
    qs = InvestmentProject.objects.filter(unit_path=commune.path).annotate(
        open_issues=Count("issues", filter=Q(issues__resolved_on__isnull=True)))
    return search(qs, query) if query else qs


def commitments(*, commune: Unit, status: str = "", query: str = "") -> QuerySet[Commitment]:
    qs = Commitment.objects.filter(unit_path__startswith=commune.path)
    if status == "overdue":
        qs = qs.filter(overdue_commitments_q())
    elif status in CommitmentStatus.values:
        qs = qs.filter(status=status)
    return search(qs, query) if query else qs


def recent_commitments(*, limit: int = 20) -> QuerySet[Commitment]:
    """Commitments to the people anywhere, most recently updated first (the public front page):
    all of them are public, cancelled ones aside."""
    return (Commitment.objects.exclude(status=CommitmentStatus.CANCELLED)
            .select_related("unit").order_by("-updated_at", "-pk")[:limit])


def plans(*, commune: Unit) -> QuerySet[InspectionPlan]:
    return InspectionPlan.objects.filter(unit_path=commune.path).select_related("board").annotate(
        finding_count=Count("findings"))


def summary(*, commune: Unit) -> dict[str, int]:
    """Headline counts of the accountability page."""
    recs = Recommendation.objects.filter(unit_path=commune.path)
    comm = Commitment.objects.filter(unit_path__startswith=commune.path)
    return {
        "recommendations": recs.count(),
        "recommendations_open": recs.exclude(status=RecommendationStatus.CLOSED).count(),
        "recommendations_overdue": recs.filter(overdue_recommendations_q()).count(),
        "commitments": comm.exclude(status=CommitmentStatus.CANCELLED).count(),
        "commitments_done": comm.filter(status=CommitmentStatus.DONE).count(),
        "commitments_overdue": comm.filter(overdue_commitments_q()).count(),
        "projects": InvestmentProject.objects.filter(unit_path=commune.path).count(),
    }


def public_project(*, commune: Unit, pk: int) -> InvestmentProject:
    project = InvestmentProject.objects.filter(unit_path=commune.path, pk=pk).first()
    if project is None:
        raise NotFoundOrForbidden(_("Không tìm thấy công trình."))
    return project


def public_commitment(*, commune: Unit, pk: int) -> Commitment:
    commitment = Commitment.objects.filter(unit_path__startswith=commune.path, pk=pk).first()
    if commitment is None:
        raise NotFoundOrForbidden(_("Không tìm thấy cam kết."))
    return commitment


def _scoped(actor: Any, qs: QuerySet, pk: int) -> Any:
    obj = qs.filter(scope_q(actor, field="unit_path"), pk=pk).first()
    if obj is None:
        raise NotFoundOrForbidden()
    return obj


def plan_get(*, actor: Any, pk: int) -> InspectionPlan:
    return _scoped(actor, InspectionPlan.objects.select_related("board", "board__unit"), pk)


def recommendation_get(*, actor: Any, pk: int) -> Recommendation:
    return _scoped(actor, Recommendation.objects.select_related("board", "board__unit", "project", "plan"), pk)


def project_get(*, actor: Any, pk: int) -> InvestmentProject:
    return _scoped(actor, InvestmentProject.objects.select_related("unit"), pk)


def commitment_get(*, actor: Any, pk: int) -> Commitment:
    return _scoped(actor, Commitment.objects.select_related("unit", "recommendation", "project"), pk)


def member_get(*, actor: Any, pk: int) -> BoardMember:
    member = BoardMember.objects.select_related("board", "board__unit").filter(pk=pk).first()
    if member is None or not r.can_view(actor, member.board.unit.path):
        raise NotFoundOrForbidden()
    return member


@dataclass
class CommuneRow:
    unit: Unit
    recommendations_open: int = 0
    recommendations_overdue: int = 0
    commitments_open: int = 0
    commitments_overdue: int = 0


def communes_overview(*, actor: Any, query: str = "") -> QuerySet[Unit]:
    """Communes in the official's scope, for the workspace list (paginate, then `overview_rows`)."""
    qs = Unit.objects.filter(scope_q(actor), era=Era.CURRENT, level=Level.COMMUNE, status=Status.ACTIVE)
    return search(qs, query) if query else qs.order_by("path")


def overview_rows(units: list[Unit]) -> list[CommuneRow]:
    """Counts for one page of communes, in four grouped queries rather than four per commune."""
    rows = {u.path: CommuneRow(unit=u) for u in units}
    paths = list(rows)
    today = _today()
    for attr, qs in (
        ("recommendations_open", Recommendation.objects.exclude(status=RecommendationStatus.CLOSED)),
        ("recommendations_overdue", Recommendation.objects.filter(overdue_recommendations_q(today))),
        ("commitments_open", Commitment.objects.filter(status__in=OPEN_COMMITMENT)),
        ("commitments_overdue", Commitment.objects.filter(overdue_commitments_q(today))),
    ):
        for path, n in qs.filter(unit_path__in=paths).values_list("unit_path").annotate(n=Count("pk")):
            setattr(rows[path], attr, n)
    return list(rows.values())


def recommendation_overdue(rec: Recommendation, today: dt.date | None = None) -> bool:
    today = today or _today()
    return bool((rec.status == RecommendationStatus.SENT and rec.answer_due_on < today)
                or (rec.status == RecommendationStatus.ANSWERED and rec.follow_up_due_on
                    and rec.follow_up_due_on < today))


@dataclass
class UpdateView:
    update: CommitmentUpdate
    files: list[Attachment]


def commitment_updates(*, commitment: Commitment) -> list[UpdateView]:
    """The progress reports, newest first, each with its evidence files (one query for all files)."""
    updates = list(commitment.updates.all())
    content_type = ContentType.objects.get_for_model(CommitmentUpdate)
    files: dict[str, list[Attachment]] = {}
    for a in Attachment.objects.filter(content_type=content_type,
                                       object_id__in=[str(u.pk) for u in updates]).order_by("pk"):
        files.setdefault(a.object_id, []).append(a)
    return [UpdateView(update=u, files=files.get(str(u.pk), [])) for u in updates]


def evidence_file(*, pk: int) -> Attachment:
    """A file the public may download: evidence of a commitment's progress, nothing else."""
    attachment = Attachment.objects.filter(
        pk=pk, content_type=ContentType.objects.get_for_model(CommitmentUpdate)).first()
    if attachment is None:
        raise NotFoundOrForbidden(_("Không tìm thấy tệp."))
    return attachment
