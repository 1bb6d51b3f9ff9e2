"""Writes for "Dân vận khéo" models: each one checks the actor, runs in one transaction and
leaves an audit entry. State changes go through ``workflow.practice_transition``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from dataclasses import field as dc_field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from danvan.attachments.models import Attachment
from danvan.attachments.services import attachment_add, file_check
from danvan.audit.services import audit_record
from danvan.core.errors import DomainError, NotFoundOrForbidden
from danvan.core.search import searchable
from danvan.units.models import Era, Level, Organisation, Status, Unit

from .models import (
    Appraisal,
    AppraisalCriterion,
    AppraisalScore,
    Commendation,
    CommendationKind,
    Indicator,
    IndicatorValue,
    Kind,
    Practice,
    PracticeField,
    Replication,
    State,
)
from .rules import (
    acting,
    can_view_practice,
    may_appraise,
    may_commend,
    may_edit,
    may_record_results,
    may_register_in,
)
from .selectors import ancestor_ids
from .workflow import ActionNotPermitted, IllegalTransition, clean_text

NAME_MAX_LENGTH = 300
TEXT_MAX_LENGTH = 20000
FIRST_YEAR = 2009  # Plan 70-KH/BDVTW launched the movement in 2009.
# Mainland Vietnam with its islands (Hoàng Sa, Trường Sa): a generous box that still catches
# swapped or mistyped coordinates.
LATITUDE_RANGE = (6.0, 24.0)
LONGITUDE_RANGE = (102.0, 118.0)


@dataclass
class PracticeInput:
    """What a person fills in to register or edit a model."""

    name: str
    field: PracticeField
    unit: Unit
    year: int
    kind: str = Kind.COLLECTIVE
    holder_name: str = ""
    village: Unit | None = None
    organisations: list[Organisation] = dc_field(default_factory=list)
    started_on: dt.date | None = None
    ended_on: dt.date | None = None
    description: str = ""
    results: str = ""
    participants: int = 0
    latitude: float | None = None
    longitude: float | None = None


def _province_of(unit: Unit) -> Unit:
    if unit.level == Level.PROVINCE:
        return unit
    parent = unit.parent
    if parent is None or parent.level != Level.PROVINCE:
        raise DomainError(_("Không xác định được tỉnh, thành phố của đơn vị."), code="unit_invalid")
    return parent


def _checked(data: PracticeInput, *, today: dt.date) -> PracticeInput:
    """The input cleaned and checked; a DomainError with a Vietnamese message otherwise."""
    name = clean_text(data.name)
    if not name:
        raise DomainError(_("Hãy nhập tên mô hình."), code="name_required")
    if len(name) > NAME_MAX_LENGTH:
        raise DomainError(_("Tên mô hình quá dài: tối đa %(n)d ký tự.") % {"n": NAME_MAX_LENGTH}, code="too_long")
    if data.kind not in Kind.values:
        raise DomainError(_("Hãy chọn mô hình tập thể hoặc cá nhân."), code="kind_invalid")
    if not data.field.active:
        raise DomainError(_("Lĩnh vực này không còn được sử dụng."), code="field_inactive")
    unit = data.unit
    if (unit.era != Era.CURRENT or unit.status != Status.ACTIVE
            or unit.level not in (Level.PROVINCE, Level.COMMUNE)):
        raise DomainError(_("Đơn vị thực hiện phải là một tỉnh, thành phố hoặc xã, phường, đặc khu đang hoạt động."),
                          code="unit_invalid")
    if data.village is not None and (data.village.parent_id != unit.pk or data.village.level != Level.VILLAGE):
        raise DomainError(_("Thôn, tổ dân phố phải thuộc đơn vị thực hiện."), code="village_invalid")
    province = _province_of(unit)
    for org in data.organisations:
        if org.unit_id not in (unit.pk, province.pk) or not org.active:
            raise DomainError(_("Cơ quan, tổ chức %(name)s không thuộc địa bàn của mô hình.") % {"name": org.name},
                              code="organisation_invalid")
    if not FIRST_YEAR <= data.year <= today.year + 1:
        raise DomainError(_("Năm đăng ký phải từ %(first)d đến %(last)d.") % {"first": FIRST_YEAR,
                                                                          "last": today.year + 1},
                          code="year_invalid")
    if data.started_on and data.ended_on and data.ended_on < data.started_on:
        raise DomainError(_("Ngày kết thúc phải sau ngày bắt đầu."), code="dates_invalid")
    if (data.latitude is None) != (data.longitude is None):
        raise DomainError(_("Hãy nhập cả vĩ độ và kinh độ, hoặc bỏ trống cả hai."), code="location_incomplete")
    if data.latitude is not None and data.longitude is not None and not (
            LATITUDE_RANGE[0] <= data.latitude <= LATITUDE_RANGE[1]
            and LONGITUDE_RANGE[0] <= data.longitude <= LONGITUDE_RANGE[1]):
        raise DomainError(_("Vị trí nằm ngoài lãnh thổ Việt Nam: hãy kiểm tra vĩ độ, kinh độ."),
                          code="location_invalid")
    if data.participants < 0:
        raise DomainError(_("Số người tham gia không hợp lệ."), code="participants_invalid")
    description = clean_text(data.description, multiline=True)
    results = clean_text(data.results, multiline=True)
    if len(description) > TEXT_MAX_LENGTH or len(results) > TEXT_MAX_LENGTH:
        raise DomainError(_("Nội dung quá dài: tối đa %(n)d ký tự.") % {"n": TEXT_MAX_LENGTH}, code="too_long")
    return PracticeInput(
        name=name, field=data.field, unit=unit, year=data.year, kind=data.kind,
        holder_name=clean_text(data.holder_name)[:250], village=data.village,
        organisations=list(data.organisations), started_on=data.started_on, ended_on=data.ended_on,
        description=description, results=results, participants=data.participants,
        latitude=data.latitude, longitude=data.longitude)


def practice_check(*, actor: Any, data: PracticeInput) -> PracticeInput:
    """What practice_register would refuse, without writing: for checking a spreadsheet row by row."""
    clean = _checked(data, today=timezone.localdate())
    if not may_register_in(actor, clean.unit.path):
        raise DomainError(_("Đơn vị này không thuộc phạm vi bạn được đăng ký mô hình."), code="scope")
    return clean


def practice_search_text(practice: Practice) -> str:
    """The folded search column: name, holder, commune, village and province."""
    return searchable(practice.name, practice.holder_name, practice.unit.name,
                      practice.village.name if practice.village else "",
                      practice.province.name if practice.province_id != practice.unit_id else "")[:800]


def _apply(practice: Practice, data: PracticeInput) -> None:
    practice.name = data.name
    practice.kind = data.kind
    practice.holder_name = data.holder_name
    practice.field = data.field
    practice.unit = data.unit
    practice.unit_path = data.unit.path
    practice.province = _province_of(data.unit)
    practice.village = data.village
    practice.started_on = data.started_on
    practice.ended_on = data.ended_on
    practice.year = data.year
    practice.description = data.description
    practice.results = data.results
    practice.participants = data.participants
    practice.latitude = data.latitude
    practice.longitude = data.longitude
    practice.search_text = practice_search_text(practice)


def _snapshot(practice: Practice) -> dict[str, Any]:
    return {"name": practice.name, "kind": practice.kind, "holder_name": practice.holder_name,
            "field": practice.field.code, "unit": practice.unit.code, "year": practice.year,
            "village": practice.village.code if practice.village else None,
            "participants": practice.participants, "started_on": practice.started_on,
            "ended_on": practice.ended_on, "latitude": practice.latitude, "longitude": practice.longitude}


def practice_register(*, actor: Any, data: PracticeInput, replicates: Practice | None = None,
                      note: str = "") -> Practice:
    """Register a new model (status "registered"); with ``replicates``, as a replica of that model."""
    today = timezone.localdate()
    clean = _checked(data, today=today)
    if not may_register_in(actor, clean.unit.path):
        raise NotFoundOrForbidden()
    with transaction.atomic():
        practice = Practice(registered_by=actor if acting(actor) else None)
        _apply(practice, clean)
        practice.save()
        if clean.organisations:  # a new row has no links yet: add, without set()'s read of the old ones
            practice.organisations.add(*clean.organisations)
        audit_record(actor=actor, action="practices.register", obj=practice, unit_path=practice.unit_path,
                     after=_snapshot(practice))
        if replicates is not None:
            replication_record(actor=actor, source=replicates, replica=practice, note=note)
    return practice


def practice_update(*, actor: Any, practice: Practice, data: PracticeInput) -> Practice:
    """Edit a model's facts. Once recognised, its name, field and place are those of the decision."""
    if not can_view_practice(actor, practice):
        raise NotFoundOrForbidden()
    if not may_edit(actor, practice):
        raise ActionNotPermitted()
    clean = _checked(data, today=timezone.localdate())
    if not may_register_in(actor, clean.unit.path):
        raise NotFoundOrForbidden()
    with transaction.atomic():
        locked = Practice.objects.select_for_update(of=("self",)).select_related(
            "field", "unit", "village", "province").get(pk=practice.pk)
        if locked.status == State.DROPPED:
            raise IllegalTransition(_("Mô hình đã không duy trì: không sửa được nữa."), code="dropped")
        if locked.status in (State.CERTIFIED, State.APPRAISING) and (
                clean.name != locked.name or clean.field.pk != locked.field_id or clean.unit.pk != locked.unit_id):
            raise IllegalTransition(_("Mô hình đang thẩm định hoặc đã công nhận: không đổi được tên, lĩnh vực, "
                                      "đơn vị thực hiện."), code="locked_fields")
        before = _snapshot(locked)
        _apply(locked, clean)
        locked.save()
        locked.organisations.set(clean.organisations)
        audit_record(actor=actor, action="practices.update", obj=locked, unit_path=locked.unit_path,
                     before=before, after=_snapshot(locked))
    return locked


def appraisal_submit(*, actor: Any, practice: Practice, scores: Mapping[int, int], comment: str = "") -> Appraisal:
    """A panel member's scores (one per active criterion) and comment; scoring again replaces them."""
    if not can_view_practice(actor, practice):
        raise NotFoundOrForbidden()
    if not may_appraise(actor, practice):
        raise ActionNotPermitted(_("Chỉ thành viên hội đồng thẩm định (Mặt trận, Ban Tuyên giáo và Dân vận, "
                                   "đoàn thể, lãnh đạo) được chấm điểm."))
    criteria = list(AppraisalCriterion.objects.filter(active=True).order_by("order", "id"))
    missing = [c.name for c in criteria if c.pk not in scores]
    if missing:
        raise DomainError(_("Chưa chấm điểm tiêu chí: %(names)s.") % {"names": "; ".join(missing)},
                          code="score_missing")
    for c in criteria:
        if not 0 <= int(scores[c.pk]) <= c.max_score:
            raise DomainError(_("Điểm tiêu chí “%(name)s” phải từ 0 đến %(max)d.") % {"name": c.name,
                                                                                     "max": c.max_score},
                              code="score_invalid")
    comment = clean_text(comment, multiline=True)
    if len(comment) > TEXT_MAX_LENGTH:
        raise DomainError(_("Nhận xét quá dài."), code="too_long")
    with transaction.atomic():
        locked = Practice.objects.select_for_update(of=("self",)).get(pk=practice.pk)
        if locked.status != State.APPRAISING:
            raise IllegalTransition(_("Chỉ chấm điểm khi mô hình đang được thẩm định."), code="not_appraising")
        appraisal, created = Appraisal.objects.update_or_create(
            practice=locked, round=locked.appraisal_round, member=actor,
            defaults={"comment": comment, "at": timezone.now(),
                      "total": sum(int(scores[c.pk]) for c in criteria),
                      "max_total": sum(c.max_score for c in criteria)})
        appraisal.scores.all().delete()
        AppraisalScore.objects.bulk_create(
            [AppraisalScore(appraisal=appraisal, criterion=c, score=int(scores[c.pk])) for c in criteria])
        audit_record(actor=actor, action="practices.appraise", obj=locked, unit_path=locked.unit_path,
                     after={"round": appraisal.round, "total": appraisal.total, "max_total": appraisal.max_total,
                            "replaced": not created, "scores": {c.code: int(scores[c.pk]) for c in criteria}})
    return appraisal


def commendation_add(*, actor: Any, practice: Practice, kind: str, body: str, decided_on: dt.date,
                     decision_number: str, note: str = "") -> Commendation:
    """Record a Giấy khen or Bằng khen awarded to a recognised model."""
    if not can_view_practice(actor, practice):
        raise NotFoundOrForbidden()
    if not may_commend(actor, practice):
        raise ActionNotPermitted(_("Chỉ lãnh đạo được ghi nhận khen thưởng."))
    if practice.status != State.CERTIFIED:
        raise IllegalTransition(_("Chỉ khen thưởng mô hình đã được công nhận."), code="not_certified")
    if kind not in CommendationKind.values:
        raise DomainError(_("Hãy chọn hình thức khen thưởng."), code="kind_invalid")
    body = clean_text(body)
    number = clean_text(decision_number)
    if not body or not number:
        raise DomainError(_("Hãy nhập cơ quan khen thưởng và số quyết định."), code="required")
    if decided_on > timezone.localdate():
        raise DomainError(_("Ngày quyết định không được sau ngày hôm nay."), code="date_invalid")
    with transaction.atomic():
        commendation = Commendation.objects.create(
            practice=practice, kind=kind, body=body[:250], decided_on=decided_on, decision_number=number[:60],
            note=clean_text(note, multiline=True)[:TEXT_MAX_LENGTH], recorded_by=actor if acting(actor) else None)
        audit_record(actor=actor, action="practices.commend", obj=practice, unit_path=practice.unit_path,
                     after={"kind": kind, "body": commendation.body, "decided_on": decided_on,
                            "decision_number": commendation.decision_number})
    return commendation


def _check_results_writable(actor: Any, practice: Practice) -> None:
    if not can_view_practice(actor, practice):
        raise NotFoundOrForbidden()
    if not may_record_results(actor, practice):
        raise ActionNotPermitted()
    if practice.status == State.DROPPED:
        raise IllegalTransition(_("Mô hình đã không duy trì: không ghi thêm kết quả."), code="dropped")


def indicator_add(*, actor: Any, practice: Practice, name: str, measure: str) -> Indicator:
    """A new measurable result of the model (e.g. "Số hộ được hỗ trợ", unit "hộ")."""
    _check_results_writable(actor, practice)
    name, measure = clean_text(name)[:200], clean_text(measure)[:40]
    if not name or not measure:
        raise DomainError(_("Hãy nhập tên chỉ tiêu và đơn vị tính."), code="required")
    with transaction.atomic():
        if Indicator.objects.filter(practice=practice, name=name).exists():
            raise DomainError(_("Mô hình đã có chỉ tiêu “%(name)s”.") % {"name": name}, code="indicator_exists")
        order = Indicator.objects.filter(practice=practice).count() + 1
        indicator = Indicator.objects.create(practice=practice, name=name, measure=measure, order=order)
        audit_record(actor=actor, action="practices.indicator_add", obj=practice, unit_path=practice.unit_path,
                     after={"indicator": name, "measure": measure})
    return indicator


def indicator_value_record(*, actor: Any, indicator: Indicator, on: dt.date, value: Decimal | str | float) -> \
        IndicatorValue:
    """The value of an indicator at a date; recording the same date again corrects it."""
    practice = indicator.practice
    _check_results_writable(actor, practice)
    try:
        amount = Decimal(str(value)).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        raise DomainError(_("Giá trị phải là một số."), code="value_invalid") from None
    if amount < 0 or amount >= Decimal("1e16"):
        raise DomainError(_("Giá trị phải là số không âm, nhỏ hơn 10 triệu tỷ."), code="value_invalid")
    if on > timezone.localdate():
        raise DomainError(_("Thời điểm không được sau ngày hôm nay."), code="date_invalid")
    with transaction.atomic():
        row, created = IndicatorValue.objects.update_or_create(
            indicator=indicator, on=on, defaults={"value": amount, "recorded_by": actor if acting(actor) else None})
        audit_record(actor=actor, action="practices.indicator_value", obj=practice, unit_path=practice.unit_path,
                     after={"indicator": indicator.name, "on": on, "value": str(amount), "corrected": not created})
    return row


def replication_record(*, actor: Any, source: Practice, replica: Practice, note: str = "") -> Replication:
    """Record that ``replica`` replicates ``source`` (a recognised model, possibly in another province)."""
    if not may_register_in(actor, replica.unit_path):
        raise NotFoundOrForbidden()
    if not (source.is_public or can_view_practice(actor, source)):
        raise NotFoundOrForbidden()
    if source.status != State.CERTIFIED:
        raise IllegalTransition(_("Chỉ nhân rộng mô hình đã được công nhận."), code="source_not_certified")
    if source.pk == replica.pk or source.pk in ancestor_ids(replica.pk) or replica.pk in ancestor_ids(source.pk):
        raise IllegalTransition(_("Một mô hình không thể nhân rộng từ chính nó hoặc từ mô hình nhân rộng của nó."),
                                code="replication_cycle")
    with transaction.atomic():
        if Replication.objects.filter(replica=replica).exists():
            raise IllegalTransition(_("Mô hình này đã được ghi nhận là nhân rộng từ một mô hình khác."),
                                    code="replication_exists")
        link = Replication.objects.create(source=source, replica=replica, recorded_on=timezone.localdate(),
                                          note=clean_text(note, multiline=True)[:TEXT_MAX_LENGTH],
                                          recorded_by=actor if acting(actor) else None)
        audit_record(actor=actor, action="practices.replicate", obj=replica, unit_path=replica.unit_path,
                     after={"source": source.pk, "source_unit": source.unit_path, "replica": replica.pk})
    return link


def practice_attach(*, actor: Any, practice: Practice, files: Iterable[tuple[str, bytes]]) -> list[Attachment]:
    """Photos and documents of a model (JPEG, PNG, WebP, PDF; checked and stripped of metadata)."""
    if not can_view_practice(actor, practice):
        raise NotFoundOrForbidden()
    if not may_edit(actor, practice):
        raise ActionNotPermitted()
    checked = [(name, file_check(content=content)) for name, content in files]
    with transaction.atomic():
        return [attachment_add(target=practice, name=name, checked=c, actor=actor) for name, c in checked]
