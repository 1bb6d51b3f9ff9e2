"""Cases API (/api/v1/cases): public submission and follow-up by code, officials' list.

A submission needs no account. Its ``Idempotency-Key`` header makes a retry safe: the same
key with the same content answers 200 with the case already made (201 the first time); the
same key with other content is refused (409). Nothing here ever returns a submitter's
contact or a denouncer's identity.
"""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field as SchemaField
from ninja import Header, Query, Router, Schema, Status
from ninja.errors import HttpError

from danvan.core.errors import DomainError, NotFoundOrForbidden, RateLimited
from danvan.units.models import Level, Unit
from danvan.units.selectors import unit_get

from . import refcache
from .models import Case, Field, IdempotencyKey, Kind, State
from .selectors import SORTS, CaseFilters, PublicCase, case_list, case_public_get
from .services import Submitter, case_submit
from .services_citizen import submission_rate_count, submission_rate_limited

router = Router(tags=["Phản ánh, kiến nghị"])

MAX_PAGE_SIZE = 100
# Denunciations need the sealed identity form and its legal notices: the web form takes them.
API_KINDS = (Kind.FEEDBACK, Kind.PETITION, Kind.COMPLAINT)


class ErrorOut(Schema):
    code: str = SchemaField(..., description="Mã lỗi: not_found, idempotency_key_reused, …")
    detail: str = SchemaField(..., description="Mô tả lỗi bằng tiếng Việt")


class ContactIn(Schema):
    name: str = SchemaField("", max_length=150, description="Họ và tên (bắt buộc với khiếu nại)")
    phone: str = SchemaField("", max_length=20, description="Số điện thoại")
    email: str = SchemaField("", max_length=254, description="Thư điện tử")
    wants_updates: bool = SchemaField(False, description="Nhận thông báo tiến độ qua điện thoại/thư điện tử")


class SubmitIn(Schema):
    kind: str = SchemaField(..., description="phan_anh, kien_nghi hoặc khieu_nai")
    field: str = SchemaField(..., max_length=40, description="Mã lĩnh vực (xem GET /cases/fields)")
    unit: str = SchemaField(..., pattern=r"^[0-9]{2}([0-9]{3})?$",
                            description="Mã xã, phường, đặc khu (5 chữ số) hoặc mã tỉnh (2 chữ số)")
    title: str = SchemaField(..., max_length=200, description="Tiêu đề")
    description: str = SchemaField(..., max_length=20000, description="Nội dung")
    address: str = SchemaField("", max_length=300, description="Địa điểm (số nhà, đường, thôn…)")
    latitude: float | None = SchemaField(None, description="Vĩ độ")
    longitude: float | None = SchemaField(None, description="Kinh độ")
    contact: ContactIn | None = None


class CaseCreatedOut(Schema):
    code: str = SchemaField(..., description="Mã tra cứu: người gửi giữ mã này để theo dõi")
    status: str
    status_label: str
    received_at: dt.datetime
    due_on: dt.date | None

    @staticmethod
    def resolve_status_label(obj: Case) -> str:
        return str(obj.get_status_display())


class EventOut(Schema):
    at: dt.datetime
    kind: str
    label: str
    note: str


class PublicCaseOut(Schema):
    code: str
    kind: str
    kind_label: str
    status: str
    status_label: str
    title: str
    description: str
    field_name: str
    unit_name: str
    organisation_name: str
    received_at: dt.datetime
    due_on: dt.date | None
    answered_at: dt.datetime | None
    answer_text: str
    merged_into_code: str
    events: list[EventOut]


class FieldOut(Schema):
    code: str
    name: str
    description: str


class CaseRowOut(Schema):
    code: str
    kind: str
    kind_label: str
    status: str
    status_label: str
    title: str
    field_code: str
    field_name: str
    unit_code: str
    unit_name: str
    organisation_name: str
    handler: str
    received_at: dt.datetime
    due_on: dt.date | None


class CasePageOut(Schema):
    count: int
    page: int
    page_size: int
    results: list[CaseRowOut]


def _unit(code: str) -> Unit:
    level = Level.COMMUNE if len(code) == 5 else Level.PROVINCE

    def load() -> Unit | None:
        try:
            return unit_get(code=code, level=level)
        except Unit.DoesNotExist:
            return None

    # Read once per process (cases.refcache): every submission names its commune.
    unit = refcache.cached(("unit", level, code), load)
    if unit is None:
        raise NotFoundOrForbidden(_("Không tìm thấy đơn vị hành chính có mã %(code)s.") % {"code": code})
    return unit


def _field(code: str) -> Field:
    field = refcache.cached(("field", code), lambda: Field.objects.filter(code=code, active=True).first())
    if field is None:
        raise NotFoundOrForbidden(_("Không tìm thấy lĩnh vực có mã %(code)s.") % {"code": code[:40]})
    return field


@router.post(
    "/",
    response={200: CaseCreatedOut, 201: CaseCreatedOut, 404: ErrorOut, 409: ErrorOut, 429: ErrorOut},
    summary="Gửi phản ánh, kiến nghị, khiếu nại (không cần tài khoản)",
    description="Gửi kèm header Idempotency-Key (chuỗi ngẫu nhiên do ứng dụng tạo) để gửi lại an toàn: "
                "gửi lại cùng khóa, cùng nội dung trả về vụ việc đã tạo (200), không tạo vụ việc mới. "
                "Mỗi địa chỉ IP và mỗi số điện thoại chỉ được gửi một số lần mỗi giờ (429 khi vượt).",
)
def submit(request: HttpRequest, payload: SubmitIn,
           idempotency_key: str = Header("", alias="Idempotency-Key")) -> Status[Case]:
    if payload.kind not in API_KINDS:
        raise DomainError(_("Loại vụ việc không hợp lệ: chỉ nhận phản ánh, kiến nghị, khiếu nại. "
                            "Tố cáo xin gửi qua cổng thông tin để được bảo mật thông tin người tố cáo."),
                          code="kind_invalid")
    key = (idempotency_key or "").strip()
    started = timezone.now()
    contact = payload.contact or ContactIn(name="", phone="", email="", wants_updates=False)
    ip = request.META.get("REMOTE_ADDR", "") or "unknown"
    # A retry with the same key is not a new submission and must not use up the allowance; the
    # key is looked up only when the allowance is spent, so a normal submission reads nothing.
    if submission_rate_limited(ip=ip, phone=contact.phone) and not (
            key and IdempotencyKey.objects.filter(key=key).exists()):
        raise RateLimited()
    case = case_submit(
        kind=payload.kind, channel="api", unit=_unit(payload.unit), field=_field(payload.field),
        title=payload.title, description=payload.description, address=payload.address,
        latitude=payload.latitude, longitude=payload.longitude,
        submitter=Submitter(name=contact.name, phone=contact.phone, email=contact.email),
        wants_updates=contact.wants_updates, idempotency_key=key)
    # A case made before this request started was made by an earlier try with the same key.
    replay = case.created_at < started
    if not replay:
        submission_rate_count(ip=ip, phone=contact.phone)
    return Status(200 if replay else 201, case)


@router.get("/fields", response=list[FieldOut], summary="Danh sách lĩnh vực")
def fields(request: HttpRequest) -> list[Field]:
    return list(Field.objects.filter(active=True).order_by("order", "name"))


@router.get(
    "/",
    response={200: CasePageOut, 401: ErrorOut, 422: ErrorOut},
    summary="Danh sách vụ việc trong phạm vi của cán bộ (cần đăng nhập)",
)
def list_cases(
    request: HttpRequest,
    status: str = Query("", pattern=r"^([a-z_]+(,[a-z_]+)*)?$",
                        description="Trạng thái, nhiều giá trị cách nhau bằng dấu phẩy"),
    kind: str = Query("", description="Loại: phan_anh, kien_nghi, khieu_nai, to_cao"),
    field: str = Query("", max_length=40, description="Mã lĩnh vực"),
    unit: str = Query("", pattern=r"^([0-9]{2}([0-9]{3})?)?$", description="Chỉ trong địa bàn có mã này"),
    overdue: bool = Query(False, description="Chỉ vụ việc quá hạn"),
    mine: bool = Query(False, description="Chỉ vụ việc tôi xử lý"),
    awaiting_approval: bool = Query(False, description="Chỉ vụ việc chờ duyệt trả lời"),
    q: str = Query("", max_length=200, description="Tìm theo mã tra cứu hoặc từ khóa (không phân biệt dấu)"),
    sort: str = Query("due_on", description="Sắp xếp: " + ", ".join(SORTS)),
    page: int = Query(1, ge=1, le=100000),
    page_size: int = Query(20, ge=1, le=MAX_PAGE_SIZE),
) -> CasePageOut:
    if not request.user.is_authenticated:
        raise HttpError(401, "unauthorized")
    if status and not set(status.split(",")) <= set(State.values):
        raise DomainError(_("Trạng thái không hợp lệ."), code="status_invalid")
    if kind and kind not in Kind.values:
        raise DomainError(_("Loại vụ việc không hợp lệ."), code="kind_invalid")
    if sort not in SORTS:
        raise DomainError(_("Cách sắp xếp không hợp lệ."), code="sort_invalid")
    filters = CaseFilters(status=tuple(status.split(",")) if status else (), kind=kind, field=field,
                          unit_path=_unit(unit).path if unit else "", overdue=overdue, mine=mine,
                          awaiting_approval=awaiting_approval, q=q, sort=sort)
    qs = case_list(actor=request.user, filters=filters)
    count = qs.count()
    start = (page - 1) * page_size
    rows = [
        CaseRowOut(code=c.code, kind=c.kind, kind_label=str(c.get_kind_display()), status=c.status,
                   status_label=str(c.get_status_display()), title=c.title, field_code=c.field.code,
                   field_name=c.field.name, unit_code=c.unit.code, unit_name=c.unit.name,
                   organisation_name=c.organisation.name,
                   handler=(c.handler.get_full_name() or c.handler.get_username()) if c.handler else "",
                   received_at=c.received_at, due_on=c.due_on)
        for c in qs[start:start + page_size]
    ]
    return CasePageOut(count=count, page=page, page_size=page_size, results=rows)


@router.get(
    "/{code}",
    response={200: PublicCaseOut, 404: ErrorOut},
    summary="Theo dõi vụ việc bằng mã tra cứu",
    description="Chỉ gồm thông tin công khai và diễn biến công khai; không có thông tin người gửi.",
)
def public_view(request: HttpRequest, code: str) -> PublicCase:
    return case_public_get(code=code)
