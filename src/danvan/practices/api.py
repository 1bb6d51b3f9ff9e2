"""Public "Dân vận khéo" API (/api/v1/practices): the recognised models, searchable without
accents and filtered as in the gallery. Read-only; only recognised models are listed."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from danvan.core.errors import NotFoundOrForbidden

from .models import Kind, Level, Practice
from .selectors import (
    PracticeFilters,
    active_fields,
    indicator_series,
    practice_family,
    practice_public_get,
    practice_public_list,
)
from .views_public import unit_from_code

router = Router(tags=["Mô hình Dân vận khéo"])

MAX_LIMIT = 100


class ErrorOut(Schema):
    code: str
    detail: str


class FieldOut(Schema):
    code: str
    name: str


class PracticeRowOut(Schema):
    id: int
    name: str
    kind: str = Field(..., description="tap_the (tập thể) hoặc ca_nhan (cá nhân)")
    holder_name: str
    field_code: str
    field_name: str
    unit_code: str = Field(..., description="Mã đơn vị thực hiện (xã 5 chữ số, tỉnh 2 chữ số)")
    unit_name: str
    province_code: str
    province_name: str
    year: int
    certified_level: str = Field(..., description="xa (cấp xã) hoặc tinh (cấp tỉnh)")
    certified_on: dt.date | None
    latitude: float | None
    longitude: float | None

    @staticmethod
    def of(p: Practice) -> PracticeRowOut:
        return PracticeRowOut(
            id=p.pk, name=p.name, kind=p.kind, holder_name=p.holder_name, field_code=p.field.code,
            field_name=p.field.name, unit_code=p.unit.code, unit_name=p.unit.name, province_code=p.province.code,
            province_name=p.province.name, year=p.year, certified_level=p.certified_level,
            certified_on=p.certified_on, latitude=p.latitude, longitude=p.longitude)


class PracticePageOut(Schema):
    count: int
    offset: int
    limit: int
    items: list[PracticeRowOut]


class PointOut(Schema):
    on: dt.date
    value: Decimal


class IndicatorOut(Schema):
    name: str
    measure: str
    points: list[PointOut]


class PracticeDetailOut(PracticeRowOut):
    description: str
    results: str
    participants: int
    started_on: dt.date | None
    indicators: list[IndicatorOut]
    replicates_id: int | None = Field(None, description="Mô hình gốc mà mô hình này nhân rộng (nếu đã công nhận)")
    family_ids: list[int] = Field(..., description="Các mô hình đã công nhận cùng cây nhân rộng")


class ListQuery(Schema):
    q: str = Field("", max_length=200, description="Từ khóa, có dấu hoặc không dấu")
    field: str = Field("", max_length=40, description="Mã lĩnh vực (GET /practices/fields)")
    level: str = Field("", description="xa hoặc tinh")
    kind: str = Field("", description="tap_the hoặc ca_nhan")
    unit: str = Field("", pattern=r"^([0-9]{2}|[0-9]{5})?$", description="Mã tỉnh (2 chữ số) hoặc xã (5 chữ số)")
    year: int | None = Field(None, ge=2009, le=2100)
    offset: int = Field(0, ge=0)
    limit: int = Field(20, ge=1, le=MAX_LIMIT)


@router.get("/fields", response=list[FieldOut], summary="Các lĩnh vực của mô hình")
def fields(request: HttpRequest) -> list[FieldOut]:
    return [FieldOut(code=f.code, name=f.name) for f in active_fields()]


@router.get("/", response=PracticePageOut, summary="Danh sách mô hình đã được công nhận")
def practice_index(request: HttpRequest, query: Query[ListQuery]) -> PracticePageOut:
    filters = PracticeFilters(
        q=query.q, field=query.field, level=query.level if query.level in Level.values else "",
        kind=query.kind if query.kind in Kind.values else "", unit=unit_from_code(query.unit), year=query.year)
    qs = practice_public_list(filters=filters)
    count = qs.count()
    items = [PracticeRowOut.of(p) for p in qs[query.offset:query.offset + query.limit]]
    return PracticePageOut(count=count, offset=query.offset, limit=query.limit, items=items)


@router.get("/{practice_id}", response={200: PracticeDetailOut, 404: ErrorOut}, summary="Một mô hình đã công nhận")
def practice_detail(request: HttpRequest, practice_id: int) -> PracticeDetailOut:
    try:
        p = practice_public_get(pk=practice_id)
    except NotFoundOrForbidden:
        raise NotFoundOrForbidden(_("Không tìm thấy mô hình.")) from None
    family = practice_family(practice=p)
    source = getattr(p, "replicates", None)
    row = PracticeRowOut.of(p)
    return PracticeDetailOut(
        **row.model_dump(), description=p.description, results=p.results, participants=p.participants,
        started_on=p.started_on,
        indicators=[IndicatorOut(name=s.indicator.name, measure=s.indicator.measure,
                                 points=[PointOut(on=on, value=v) for on, v in s.points])
                    for s in indicator_series(practice=p)],
        replicates_id=source.source_id if source is not None and source.source.is_public else None,
        family_ids=[m.pk for m in family.members])
