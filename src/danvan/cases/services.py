"""Writes to cases: submission, the workflow actions, extensions, notes, denouncer identity.

Every service runs in one transaction and appends to the audit trail; timeline events are
announced after commit (``signals.case_event_committed``). Status changes go through
``workflow.case_transition``; the ``case_<action>`` functions here are its typed doors.
The audit trail never holds a submitter's contact or a denouncer's identity: it is kept
forever and hash-chained, so it must not collect personal data it cannot later erase.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from dataclasses import asdict, dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from danvan.accounts.models import Role
from danvan.accounts.selectors import path_in_scope
from danvan.audit.services import audit_record
from danvan.core.errors import DomainError, NotFoundOrForbidden
from danvan.core.search import searchable
from danvan.core.text import normalize
from danvan.units.models import Era, Level, Organisation, OrganisationKind, Status, Unit

from . import crypto, deadlines, refcache
from .codes import new_code
from .models import (
    FEEDBACK_KINDS,
    OFFICIAL_CHANNELS,
    OPEN_STATES,
    Action,
    Case,
    Channel,
    DenouncerIdentity,
    EventKind,
    Extension,
    Field,
    Holiday,
    IdempotencyKey,
    IdentityClearance,
    Instance,
    Kind,
    LegalRule,
)
from .redaction import normalize_keep_lines
from .rules import acting, can_view_case, may_add_note, may_extend_case, may_grant_clearance, may_read_identity
from .workflow import (
    NOTE_MAX_LENGTH,
    ActionNotPermitted,
    IllegalTransition,
    case_transition,
    event_record,
    text_argument,
)

TITLE_MAX_LENGTH = 200
DESCRIPTION_MAX_LENGTH = 20000
IDEMPOTENCY_KEY_MAX_LENGTH = 200
# Vietnam, Hoàng Sa and Trường Sa included: a point outside is a typing or GPS error.
LATITUDE_RANGE = (6.0, 24.0)
LONGITUDE_RANGE = (101.0, 118.0)
# Roles that record walk-ins, letters and hotline calls on a citizen's behalf.
INTAKE_ROLES: tuple[str, ...] = (Role.INTAKE_OFFICER, Role.LEADER)
_PHONE_RE = re.compile(r"^\+?\d{8,15}$")


@dataclass(frozen=True)
class Submitter:
    """Who sent feedback, a petition or a complaint (never a denouncer: see Denouncer)."""

    name: str = ""
    phone: str = ""
    email: str = ""


@dataclass(frozen=True)
class Denouncer:
    """A denouncer's identity, as typed; stored sealed, apart from the case."""

    name: str = ""
    address: str = ""
    phone: str = ""
    email: str = ""
    id_number: str = ""


def _clean_phone(phone: str) -> str:
    compact = re.sub(r"[\s.\-()]", "", phone or "")
    if compact and not _PHONE_RE.match(compact):
        raise DomainError(_("Số điện thoại không hợp lệ."), code="phone_invalid")
    return compact


def _clean_email(email: str) -> str:
    email = (email or "").strip()
    if email:
        try:
            validate_email(email)
        except ValidationError as exc:
            raise DomainError(_("Địa chỉ thư điện tử không hợp lệ."), code="email_invalid") from exc
    return email


def _clean_name(name: str, max_length: int = 150) -> str:
    name = normalize(name)
    if len(name) > max_length:
        raise DomainError(_("Họ tên quá dài: tối đa %(n)d ký tự.") % {"n": max_length}, code="name_too_long")
    return name


def _clean_submitter(submitter: Submitter | None) -> Submitter:
    if submitter is None:
        return Submitter()
    return Submitter(name=_clean_name(submitter.name), phone=_clean_phone(submitter.phone),
                     email=_clean_email(submitter.email))


def _clean_denouncer(denouncer: Denouncer | None) -> Denouncer | None:
    if denouncer is None:
        return None
    id_number = re.sub(r"\s", "", denouncer.id_number or "")
    if id_number and not re.fullmatch(r"\d{9}|\d{12}", id_number):
        raise DomainError(_("Số định danh cá nhân (CCCD/CMND) phải gồm 9 hoặc 12 chữ số."), code="id_invalid")
    cleaned = Denouncer(name=_clean_name(denouncer.name), address=normalize(denouncer.address)[:300],
                        phone=_clean_phone(denouncer.phone), email=_clean_email(denouncer.email),
                        id_number=id_number)
    return cleaned if any(asdict(cleaned).values()) else None


def _clean_text(title: str, description: str) -> tuple[str, str]:
    title = normalize(title)
    description = normalize_keep_lines(description)
    if not title:
        raise DomainError(_("Tiêu đề không được để trống."), code="title_required")
    if len(title) > TITLE_MAX_LENGTH:
        raise DomainError(_("Tiêu đề quá dài: tối đa %(n)d ký tự.") % {"n": TITLE_MAX_LENGTH}, code="title_too_long")
    if not description:
        raise DomainError(_("Nội dung không được để trống."), code="description_required")
    if len(description) > DESCRIPTION_MAX_LENGTH:
        raise DomainError(_("Nội dung quá dài: tối đa %(n)s ký tự.") % {"n": "20.000"},
                          code="description_too_long")
    return title, description


def _check_place(latitude: float | None, longitude: float | None) -> None:
    if (latitude is None) != (longitude is None):
        raise DomainError(_("Vị trí phải có cả vĩ độ và kinh độ."), code="location_incomplete")
    if latitude is None or longitude is None:
        return
    if not (LATITUDE_RANGE[0] <= latitude <= LATITUDE_RANGE[1]
            and LONGITUDE_RANGE[0] <= longitude <= LONGITUDE_RANGE[1]):
        raise DomainError(_("Vị trí đã chọn nằm ngoài lãnh thổ Việt Nam."), code="location_outside")


def _check_unit(unit: Unit) -> None:
    if unit.era != Era.CURRENT or unit.status != Status.ACTIVE or unit.level not in (Level.PROVINCE, Level.COMMUNE):
        raise DomainError(_("Phải chọn một xã, phường, đặc khu hoặc tỉnh, thành phố đang hoạt động."),
                          code="unit_invalid")


def default_organisation(unit: Unit) -> Organisation:
    """The body that answers a case in ``unit`` unless routed elsewhere: its People's Committee."""
    org = refcache.cached(("peoples_committee", unit.pk), lambda: Organisation.objects.filter(
        unit=unit, kind=OrganisationKind.PEOPLES_COMMITTEE, active=True).first())
    if org is None:
        raise DomainError(_("%(unit)s chưa có Ủy ban nhân dân trong danh mục cơ quan.") % {"unit": unit.name},
                          code="no_peoples_committee")
    return org


def _fingerprint(kind: str, channel: str, unit: Unit, field: Field, title: str, description: str) -> str:
    payload = json.dumps([kind, channel, unit.pk, field.pk, title, description], ensure_ascii=False)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def _replayed(key: str, fingerprint: str) -> Case | None:
    # Two plain columns first: almost every key is new, and a join with the wide case row costs
    # more to build than to run.
    row = IdempotencyKey.objects.filter(key=key).values_list("fingerprint", "case_id").first()
    if row is None:
        return None
    if row[0] != fingerprint:
        raise DomainError(_("Khóa chống gửi trùng này đã được dùng cho một nội dung khác."),
                          code="idempotency_key_reused")
    return Case.objects.get(pk=row[1])


# A code is drawn from 10^12; 8 collisions in a row would mean something else is wrong.
CODE_ATTEMPTS = 8


def case_submit(*, kind: str, channel: str, unit: Unit, field: Field, title: str, description: str,
                instance: int | None = None, address: str = "", latitude: float | None = None,
                longitude: float | None = None, submitter: Submitter | None = None, wants_updates: bool = False,
                denouncer: Denouncer | None = None, is_urgent: bool = False, is_remote: bool = False,
                public: bool | None = None, received_at: dt.datetime | None = None, idempotency_key: str = "",
                actor: Any = None) -> Case:
    """Record a new case from any channel, with its deadlines and default routing (idempotent by key)."""
    if kind not in Kind.values:
        raise DomainError(_("Loại vụ việc không hợp lệ."), code="kind_invalid")
    if channel not in Channel.values:
        raise DomainError(_("Kênh tiếp nhận không hợp lệ."), code="channel_invalid")
    _check_unit(unit)
    if not field.active:
        raise DomainError(_("Lĩnh vực «%(field)s» không còn được sử dụng.") % {"field": field.name},
                          code="field_inactive")
    is_intake_official = acting(actor) and path_in_scope(actor, unit.path, roles=INTAKE_ROLES)
    if channel in OFFICIAL_CHANNELS and not is_intake_official:
        raise ActionNotPermitted(_("Chỉ cán bộ tiếp nhận của địa bàn mới được nhập đơn, thư, cuộc gọi."))
    now = timezone.now()
    if received_at is not None:
        # Letters arrive before they are typed in; only intake officials may date a receipt.
        if not is_intake_official:
            raise ActionNotPermitted(_("Chỉ cán bộ tiếp nhận mới được ghi ngày tiếp nhận."))
        if received_at > now:
            raise DomainError(_("Ngày tiếp nhận không được ở tương lai."), code="received_in_future")
    title, description = _clean_text(title, description)
    address = normalize(address)
    if len(address) > 300:
        raise DomainError(_("Địa điểm quá dài: tối đa 300 ký tự."), code="address_too_long")
    _check_place(latitude, longitude)
    if kind == Kind.COMPLAINT:
        instance = instance or Instance.FIRST
        if instance not in Instance.values:
            raise DomainError(_("Khiếu nại chỉ có lần đầu hoặc lần hai."), code="instance_invalid")
    elif instance is not None:
        raise DomainError(_("Chỉ khiếu nại mới có lần giải quyết."), code="instance_invalid")
    person = _clean_submitter(submitter)
    identity = _clean_denouncer(denouncer)
    if kind == Kind.DENUNCIATION:
        if any(asdict(person).values()):
            # Never on the case row, where every handler and the denounced body could read it.
            raise DomainError(_("Thông tin người tố cáo phải được nhập vào phần thông tin bảo mật."),
                              code="denouncer_on_case")
        # The law accepts a denunciation only with the denouncer's name and address.
        anonymous = identity is None or not (identity.name and identity.address)
        contact = bool(identity and (identity.phone or identity.email))
    else:
        if identity is not None:
            raise DomainError(_("Chỉ tố cáo mới có thông tin người tố cáo."), code="denouncer_not_denunciation")
        if kind == Kind.COMPLAINT and not person.name:
            raise DomainError(_("Đơn khiếu nại phải ghi rõ họ tên người khiếu nại."), code="complainant_required")
        anonymous = not person.name
        contact = bool(person.phone or person.email)
    if wants_updates and not contact:
        raise DomainError(_("Để nhận thông báo, hãy cho biết số điện thoại hoặc thư điện tử."),
                          code="contact_required")
    key = (idempotency_key or "").strip()
    if len(key) > IDEMPOTENCY_KEY_MAX_LENGTH:
        raise DomainError(_("Khóa chống gửi trùng quá dài."), code="idempotency_key_too_long")
    fingerprint = _fingerprint(kind, channel, unit, field, title, description)
    case = Case(
        kind=kind, instance=instance if kind == Kind.COMPLAINT else None, channel=channel,
        as_information=kind == Kind.DENUNCIATION and anonymous, unit=unit, unit_path=unit.path, field=field,
        received_by=actor if acting(actor) else None, title=title, description=description, address=address,
        latitude=latitude, longitude=longitude, is_urgent=is_urgent and kind in FEEDBACK_KINDS, is_remote=is_remote,
        received_at=received_at or now, submitter_name=person.name, submitter_phone=person.phone,
        submitter_email=person.email, anonymous=anonymous, wants_updates=wants_updates,
        # Complaints and denunciations concern identifiable people: their results are never public.
        public=kind in FEEDBACK_KINDS and (public is None or public),
    )
    # Everything read from the database to fill the case is read before the transaction: on
    # SQLite the transaction holds the one write lock, and every query inside it makes the other
    # submissions wait (docs/performance.md, issue 3).
    case.organisation = default_organisation(unit)
    received = deadlines.local_date(case.received_at)
    if not deadlines.needs_acceptance(case):
        case.clock_started_on = received
    case.acceptance_due_on = deadlines.case_acceptance_due_on(case)
    case.due_on = deadlines.case_due_on(case)
    # Nothing is read to check the key or the code before writing: almost every key is new and
    # every code unique, so their unique constraints decide, and only a refused insert costs a
    # look (a replay, a key reused for other content, or a code drawn twice).
    for _attempt in range(CODE_ATTEMPTS):
        case.code = new_code(received.year)
        case.search_text = searchable(case.code, case.title, case.description, case.address, case.submitter_name)
        try:
            return _case_create(case=case, identity=identity, key=key, fingerprint=fingerprint, actor=actor)
        except IntegrityError:
            # An earlier try with the same key, or a concurrent twin, made the case: answer with it.
            if key and (existing := _replayed(key, fingerprint)) is not None:
                return existing
            if not Case.objects.filter(code=case.code).exists():
                raise
            case.pk = None
            case._state.adding = True
    raise DomainError(_("Không tạo được mã tra cứu, vui lòng thử lại."), code="code_exhausted")


@transaction.atomic
def _case_create(*, case: Case, identity: Denouncer | None, key: str, fingerprint: str, actor: Any) -> Case:
    """Only the writes of a submission, on a case already filled by ``case_submit``."""
    case.save()
    if identity is not None:
        DenouncerIdentity.objects.create(case=case, sealed=crypto.seal(asdict(identity)))
    note = ""
    if case.as_information:
        note = _("Tố cáo không rõ họ tên, địa chỉ người tố cáo: được tiếp nhận làm thông tin, "
                 "không thụ lý giải quyết theo thủ tục tố cáo.")
    event_record(case=case, actor=actor, kind=EventKind.SUBMITTED, public=True, note=note, at=case.received_at,
                 data={"channel": case.channel})
    audit_record(actor=actor, action="cases.submit", obj=case, unit_path=case.unit_path,
                 after={"kind": case.kind, "instance": case.instance, "channel": case.channel,
                        "field": case.field.code, "unit": case.unit.code, "organisation": case.organisation.pk,
                        "as_information": case.as_information, "acceptance_due_on": case.acceptance_due_on,
                        "due_on": case.due_on})
    if key:
        # A duplicate key fails the whole submission (no savepoint): case_submit then answers
        # with the case the key already names.
        IdempotencyKey.objects.create(key=key, case=case, fingerprint=fingerprint)
    return case


# --- the workflow's typed doors ----------------------------------------------------------

def case_accept(*, actor: Any, case: Case, is_complex: bool | None = None, is_remote: bool | None = None) -> Case:
    """Accept (thụ lý) a case; for complaints and denunciations this starts the resolution clock."""
    data: dict[str, Any] = {}
    if is_complex is not None:
        data["is_complex"] = is_complex
    if is_remote is not None:
        data["is_remote"] = is_remote
    return case_transition(case=case, action=Action.ACCEPT, actor=actor, **data)


def case_refuse(*, actor: Any, case: Case, reason: str) -> Case:
    """Decide not to accept a case (không thụ lý), with the reason the citizen will read."""
    return case_transition(case=case, action=Action.REFUSE, actor=actor, reason=reason)


def case_assign(*, actor: Any, case: Case, handler: Any) -> Case:
    """Assign (or reassign) the case to a handler who holds a handling role over its unit."""
    return case_transition(case=case, action=Action.ASSIGN, actor=actor, handler=handler)


def case_start(*, actor: Any, case: Case) -> Case:
    """The handler starts working the case."""
    return case_transition(case=case, action=Action.START, actor=actor)


def case_request_info(*, actor: Any, case: Case, question: str) -> Case:
    """Ask the citizen for more information; the deadline clock stops until it arrives."""
    return case_transition(case=case, action=Action.REQUEST_INFO, actor=actor, question=question)


def case_info_received(*, actor: Any, case: Case, response: str = "") -> Case:
    """Record the citizen's information; the deadline moves by the days the clock stood still."""
    return case_transition(case=case, action=Action.INFO_RECEIVED, actor=actor, response=response)


def case_draft_answer(*, actor: Any, case: Case, text: str) -> Case:
    """Write or rewrite the draft answer."""
    return case_transition(case=case, action=Action.DRAFT_ANSWER, actor=actor, text=text)


def case_submit_answer(*, actor: Any, case: Case) -> Case:
    """Submit the draft answer to a leader for approval."""
    return case_transition(case=case, action=Action.SUBMIT_ANSWER, actor=actor)


def case_approve_answer(*, actor: Any, case: Case, published_text: str = "") -> Case:
    """Approve the submitted answer (not one's own draft), fixing its public, masked text."""
    return case_transition(case=case, action=Action.APPROVE_ANSWER, actor=actor, published_text=published_text)


def case_return_answer(*, actor: Any, case: Case, note: str) -> Case:
    """Send the draft answer back to the handler with the leader's remarks."""
    return case_transition(case=case, action=Action.RETURN_ANSWER, actor=actor, note=note)


def case_send_answer(*, actor: Any, case: Case, published_text: str = "") -> Case:
    """Send the approved answer to the citizen and publish its masked text."""
    return case_transition(case=case, action=Action.SEND_ANSWER, actor=actor, published_text=published_text)


def case_close(*, actor: Any, case: Case, note: str = "") -> Case:
    """Close the case (after the answer, or with a reason when there will be none)."""
    return case_transition(case=case, action=Action.CLOSE, actor=actor, note=note)


def case_reopen(*, case: Case, reason: str, actor: Any = None, code: str = "") -> Case:
    """Reopen an answered feedback case within the window: by a leader, or by the citizen with its code."""
    return case_transition(case=case, action=Action.REOPEN, actor=actor, reason=reason, code=code)


def case_merge(*, actor: Any, duplicate: Case, into: Case) -> Case:
    """Merge a duplicate into a surviving case; the duplicate's followers follow the survivor."""
    return case_transition(case=duplicate, action=Action.MERGE, actor=actor, into=into)


def case_transfer(*, actor: Any, case: Case, organisation: Organisation, reason: str) -> Case:
    """Hand the case to another responsible body (up, down or sideways), keeping its state."""
    return case_transition(case=case, action=Action.TRANSFER, actor=actor, organisation=organisation,
                           reason=reason)


# --- extensions and notes ----------------------------------------------------------------

@transaction.atomic
def case_extend(*, actor: Any, case: Case, reason: str, notice_reference: str = "") -> Case:
    """Extend the deadline as the rule allows, before it passes; the citizen is notified in writing."""
    locked = Case.objects.select_for_update().select_related("unit").filter(pk=case.pk).first()
    if locked is None or not can_view_case(actor, locked):
        raise NotFoundOrForbidden()
    if locked.status not in OPEN_STATES or (deadlines.needs_acceptance(locked) and locked.accepted_at is None):
        raise IllegalTransition(_("Chỉ gia hạn được vụ việc đã thụ lý và đang giải quyết."))
    if not may_extend_case(actor, locked):
        raise ActionNotPermitted(_("Chỉ lãnh đạo cơ quan giải quyết mới được quyết định gia hạn."))
    reason = text_argument({"reason": reason}, "reason", required_message=_("Phải nêu lý do gia hạn."))
    notice_reference = normalize(notice_reference)[:100]
    now = timezone.now()
    today = deadlines.local_date(now)
    if locked.due_on is not None and today > locked.due_on:
        raise IllegalTransition(_("Đã quá hạn giải quyết: việc gia hạn phải quyết định trước khi hết hạn."))
    allowance = deadlines.extension_allowance(locked)
    if allowance.refusal:
        raise IllegalTransition(allowance.refusal, code="extension_refused")
    previous = locked.due_on
    if allowance.by_complex_flag:
        locked.is_complex = True
    else:
        locked.extensions += 1
    new_due_on = deadlines.case_due_on(locked)
    assert new_due_on is not None  # a case with a resolution rule (checked above) has a deadline
    locked.due_on = new_due_on
    locked.save(update_fields=["is_complex", "extensions", "due_on", "updated_at"])
    row = Extension.objects.create(case=locked, number=locked.extension_rows.count() + 1, days=allowance.days,
                                   reason=reason, notice_reference=notice_reference, previous_due_on=previous,
                                   new_due_on=new_due_on, by=actor if acting(actor) else None, at=now)
    note = _("Gia hạn giải quyết đến ngày %(day)s. Lý do: %(reason)s") % {
        "day": new_due_on.strftime("%d/%m/%Y"), "reason": reason}
    if notice_reference:
        note += " " + _("(Văn bản thông báo số %(ref)s.)") % {"ref": notice_reference}
    event_record(case=locked, actor=actor, kind=EventKind.EXTENDED, public=True, note=note, at=now,
                 data={"extension_id": row.pk, "due_on": locked.due_on})
    audit_record(actor=actor, action="cases.extend", obj=locked, unit_path=locked.unit_path,
                 before={"due_on": previous},
                 after={"due_on": locked.due_on, "number": row.number, "days": row.days, "reason": reason,
                        "complex": allowance.by_complex_flag, "notice_reference": notice_reference})
    return locked


@transaction.atomic
def case_note_add(*, actor: Any, case: Case, note: str) -> Any:
    """Add an internal note to the timeline (never shown to the citizen)."""
    if not can_view_case(actor, case):
        raise NotFoundOrForbidden()
    if not may_add_note(actor, case):
        raise ActionNotPermitted()
    text = text_argument({"note": note}, "note", required_message=_("Ghi chú không được để trống."),
                         max_length=NOTE_MAX_LENGTH)
    event = event_record(case=case, actor=actor, kind=EventKind.NOTE, public=False, note=text)
    audit_record(actor=actor, action="cases.note", obj=case, unit_path=case.unit_path, after={"event": event.pk})
    return event


# --- denouncer identity ------------------------------------------------------------------

@dataclass(frozen=True)
class DenouncerIdentityData:
    """A denouncer's identity, opened for one cleared reader."""

    name: str
    address: str
    phone: str
    email: str
    id_number: str


def denouncer_identity_read(*, actor: Any, case: Case, purpose: str) -> DenouncerIdentityData:
    """Open a denouncer's identity for a cleared reader with a stated purpose; every attempt is audited."""
    purpose = normalize(purpose)[:300]
    allowed = bool(purpose) and bool(may_read_identity(actor, case))
    # Written in its own transaction before anything else, so a refusal is recorded even
    # though the caller then sees an error.
    with transaction.atomic():
        audit_record(actor=actor, action="cases.identity_read" if allowed else "cases.identity_read_refused",
                     obj=case, unit_path=case.unit_path, after={"purpose": purpose})
    if not purpose and may_read_identity(actor, case):
        raise DomainError(_("Phải nêu mục đích xem thông tin người tố cáo."), code="purpose_required")
    if not allowed:
        raise NotFoundOrForbidden()
    identity = DenouncerIdentity.objects.filter(case=case).first()
    if identity is None:
        raise DomainError(_("Vụ việc này không có thông tin người tố cáo."), code="no_identity")
    values = crypto.unseal(identity.sealed)
    return DenouncerIdentityData(**{k: str(values.get(k, "")) for k in
                                    ("name", "address", "phone", "email", "id_number")})


@transaction.atomic
def identity_clearance_grant(*, actor: Any, user: Any, unit: Unit) -> IdentityClearance:
    """Clear an official to read denouncers' identities in ``unit``'s subtree (idempotent)."""
    if not may_grant_clearance(actor, unit):
        raise ActionNotPermitted(_("Bạn không có quyền cấp quyền xem thông tin người tố cáo trên đơn vị này."))
    if not getattr(user, "is_active", False) or not getattr(user, "is_official", False):
        raise DomainError(_("Chỉ cấp quyền cho tài khoản cán bộ đang hoạt động."), code="user_invalid")
    if unit.status != Status.ACTIVE or unit.era != Era.CURRENT:
        raise DomainError(_("Không thể cấp quyền trên đơn vị đã giải thể."), code="unit_invalid")
    existing = IdentityClearance.objects.filter(user=user, unit=unit, active=True).first()
    if existing is not None:
        return existing
    clearance = IdentityClearance.objects.create(user=user, unit=unit, granted_by=actor if acting(actor) else None)
    audit_record(actor=actor, action="cases.identity_clearance_grant", obj=clearance, unit_path=unit.path,
                 after={"user": user.get_username(), "unit": unit.code})
    return clearance


@transaction.atomic
def identity_clearance_revoke(*, actor: Any, clearance: IdentityClearance) -> IdentityClearance:
    """End a clearance (kept for history)."""
    clearance = IdentityClearance.objects.select_for_update().select_related("unit", "user").get(pk=clearance.pk)
    if not may_grant_clearance(actor, clearance.unit):
        raise ActionNotPermitted(_("Bạn không có quyền thu hồi quyền này."))
    if not clearance.active:
        raise DomainError(_("Quyền này đã hết hiệu lực."), code="already_revoked")
    clearance.active = False
    clearance.revoked_at = timezone.now()
    clearance.save(update_fields=["active", "revoked_at"])
    audit_record(actor=actor, action="cases.identity_clearance_revoke", obj=clearance,
                 unit_path=clearance.unit.path, after={"user": clearance.user.get_username(),
                                                       "unit": clearance.unit.code})
    return clearance


# --- reference data (fields, legal rules, holidays) -------------------------------------

REFERENCE_MODELS = (Field, LegalRule, Holiday)
_REFERENCE_AUDIT_FIELDS: dict[type, tuple[str, ...]] = {
    Field: ("code", "name", "description", "order", "active", "keywords"),
    LegalRule: ("key", "days", "complex_days", "remote_days", "remote_complex_days", "working_days",
                "max_extensions", "extension_days", "valid_from", "province_id", "source", "unconfirmed"),
    Holiday: ("date", "name", "working_day", "unconfirmed", "source"),
}


def _reference_values(obj: Any) -> dict[str, Any]:
    return {name: getattr(obj, name) for name in _REFERENCE_AUDIT_FIELDS[type(obj)]}


def legal_rule_check(rule: LegalRule) -> None:
    """Raise DomainError when a rule's numbers contradict each other."""
    if rule.complex_days is not None and rule.complex_days < rule.days:
        raise DomainError(_("Số ngày nếu phức tạp không được ít hơn số ngày thông thường."), code="rule_invalid")
    if rule.remote_days is not None and rule.remote_days < rule.days:
        raise DomainError(_("Số ngày ở vùng sâu, vùng xa không được ít hơn số ngày thông thường."),
                          code="rule_invalid")
    if (rule.max_extensions > 0) != (rule.extension_days > 0):
        raise DomainError(_("Số lần gia hạn và số ngày mỗi lần gia hạn phải cùng được khai báo."),
                          code="rule_invalid")
    if rule.province is not None and rule.province.level != Level.PROVINCE:
        raise DomainError(_("Quy định riêng chỉ áp dụng cho cấp tỉnh."), code="rule_invalid")


def holiday_check(holiday: Holiday) -> None:
    """Raise DomainError when a make-up working day is not a weekend day."""
    if holiday.working_day and holiday.date.weekday() < 5:
        raise DomainError(_("Ngày làm bù phải là thứ Bảy hoặc Chủ nhật."), code="holiday_invalid")


@transaction.atomic
def reference_save(*, actor: Any, obj: Field | LegalRule | Holiday, created: bool) -> Any:
    """Save a field, legal rule or holiday edited by an administrator, recording the change.

    Existing cases keep their deadlines: a rule applies to cases received from its
    ``valid_from`` on, so changing the law means adding a row, not editing the old one.
    """
    if isinstance(obj, LegalRule):
        legal_rule_check(obj)
    if isinstance(obj, Holiday):
        holiday_check(obj)
    before = None
    if not created and obj.pk:
        old = type(obj).objects.filter(pk=obj.pk).first()
        if old is not None:
            old_values, new_values = _reference_values(old), _reference_values(obj)
            before = {k: v for k, v in old_values.items() if new_values[k] != v}
    obj.save()
    label = type(obj)._meta.model_name
    after = _reference_values(obj) if created else {k: getattr(obj, k) for k in (before or {})}
    audit_record(actor=actor, action=f"cases.{label}_{'create' if created else 'update'}", obj=obj,
                 before=before, after=after)
    return obj


@transaction.atomic
def reference_delete(*, actor: Any, obj: Field | LegalRule | Holiday) -> None:
    """Delete a field, legal rule or holiday, recording what it was (fields in use cannot go)."""
    if isinstance(obj, Field) and obj.cases.exists():
        raise DomainError(_("Lĩnh vực đã có vụ việc: hãy ngừng sử dụng thay vì xóa."), code="field_in_use")
    values = _reference_values(obj)
    label = type(obj)._meta.model_name
    audit_record(actor=actor, action=f"cases.{label}_delete", obj=obj, before=values)
    obj.delete()
