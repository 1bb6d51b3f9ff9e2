"""Decisions API (/api/v1/democracy/decisions): published results only, public and read-only.

Nothing here says which household took part or how anyone voted: results are totals per
option, as published by the village (Law 10/2022, Art. 23).
"""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from danvan.core.errors import NotFoundOrForbidden
from danvan.units.models import Era, Level, Unit

from .models import PUBLIC_RESULT_STATES, Decision, Form, Meeting
from .selectors import public_results

router = Router(tags=["Dân chủ ở cơ sở: dân bàn và quyết định"])

MAX_PAGE_SIZE = 100


class ErrorOut(Schema):
    code: str
    detail: str


class OptionOut(Schema):
    label: str = Field(..., description="Phương án hoặc tên người ứng cử")
    votes: int | None = Field(None, description="Số biểu quyết")
    passed: bool | None = Field(None, description="Đạt (tán thành đủ tỷ lệ, hoặc trúng cử)")


class MeetingOut(Schema):
    held_on: dt.date | None = Field(None, description="Ngày họp")
    starts_at: dt.time | None = Field(None, description="Giờ bắt đầu (giờ Việt Nam), nếu đã ghi")
    location: str = Field("", description="Địa điểm")


class DecisionOut(Schema):
    id: int
    title: str
    matter_type: str = Field(..., description="Mã loại nội dung (Điều 15): infrastructure, community_funds, "
                                              "village_charter, village_head, boards, other_self_management")
    matter_type_name: str
    form: str = Field(..., description="meeting, household_ballot hoặc online_vote")
    form_name: str
    village_name: str
    commune_code: str
    commune_name: str
    status: str
    outcome: str = Field(..., description="passed, rejected hoặc no_quorum")
    outcome_name: str
    eligible_households: int | None = Field(None, description="Tổng số hộ gia đình khi kiểm phiếu")
    participants: int | None = Field(None, description="Số hộ tham dự hội nghị hoặc số phiếu thu về")
    document_title: str = Field("", description="Văn bản được thông qua (hương ước, quy ước), nếu có")
    published_at: dt.datetime | None
    reported_at: dt.datetime | None
    meeting: MeetingOut | None = Field(None, description="Hội nghị cộng đồng dân cư (chỉ với hình thức meeting)")
    options: list[OptionOut]

    @staticmethod
    def of(d: Decision) -> DecisionOut:
        commune = d.village.parent
        # Reverse one-to-one: missing raises an AttributeError subclass, so getattr's default applies.
        meeting: Meeting | None = getattr(d, "meeting", None) if d.form == Form.MEETING else None
        return DecisionOut(
            id=d.pk, title=d.title, matter_type=d.matter_type.code, matter_type_name=d.matter_type.name,
            form=d.form, form_name=str(d.get_form_display()), village_name=d.village.name,
            commune_code=commune.code if commune else "", commune_name=commune.name if commune else "",
            status=d.status, outcome=d.outcome, outcome_name=str(d.get_outcome_display()),
            eligible_households=d.eligible_households, participants=d.participants,
            document_title=d.document_title, published_at=d.published_at, reported_at=d.reported_at,
            meeting=MeetingOut(held_on=meeting.held_on, starts_at=meeting.starts_at,
                               location=meeting.location) if meeting else None,
            options=[OptionOut(label=o.label, votes=o.votes, passed=o.passed) for o in d.options.all()])


class DecisionPageOut(Schema):
    count: int
    page: int
    page_size: int
    results: list[DecisionOut]


def _commune(code: str) -> Unit:
    unit = Unit.objects.filter(era=Era.CURRENT, level=Level.COMMUNE, code=code).first()
    if unit is None:
        raise NotFoundOrForbidden(_("Không tìm thấy xã, phường, đặc khu có mã này."))
    return unit


@router.get("", response={200: DecisionPageOut, 404: ErrorOut, 422: ErrorOut},
            summary="Kết quả biểu quyết đã công bố")
def list_results(
    request: HttpRequest,
    commune: str = Query("", pattern=r"^([0-9]{5})?$", description="Mã xã, phường, đặc khu (5 chữ số)"),
    q: str = Query("", max_length=200, description="Tìm theo nội dung hoặc tên thôn (không phân biệt dấu)"),
    page: int = Query(1, ge=1, le=100000),
    page_size: int = Query(20, ge=1, le=MAX_PAGE_SIZE),
) -> DecisionPageOut:
    qs = public_results(unit=_commune(commune) if commune else None, q=q)
    total = qs.count()
    rows = qs.select_related("meeting").prefetch_related("options")[(page - 1) * page_size: page * page_size]
    return DecisionPageOut(count=total, page=page, page_size=page_size, results=[DecisionOut.of(d) for d in rows])


@router.get("/{decision_id}", response={200: DecisionOut, 404: ErrorOut}, summary="Một kết quả đã công bố")
def get_result(request: HttpRequest, decision_id: int) -> DecisionOut:
    decision = (Decision.objects.select_related("village", "village__parent", "matter_type", "meeting")
                .filter(pk=decision_id, status__in=PUBLIC_RESULT_STATES).first())
    if decision is None:
        raise NotFoundOrForbidden()
    return DecisionOut.of(decision)
