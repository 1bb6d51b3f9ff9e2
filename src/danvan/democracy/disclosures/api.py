"""Public read API of the communes' disclosure boards: the catalogue, a board, one item."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from ninja import Query, Router, Schema

from . import selectors

router = Router(tags=["Công khai thông tin ở cấp xã"])
MAX_LIMIT = 100


class CategoryOut(Schema):
    code: str
    law_item: int | None
    name: str
    recurrence: str
    mandatory: bool


class ChannelOut(Schema):
    kind: str
    kind_label: str
    village: str
    starts_on: dt.date
    days: int | None


class FileOut(Schema):
    name: str
    mime_type: str
    size: int
    url: str


class ItemOut(Schema):
    id: int
    category: str
    title: str
    year: int | None
    quarter: int | None
    posted_on: dt.date
    taken_down_on: dt.date | None
    current: bool
    url: str


class ItemDetailOut(ItemOut):
    content: str
    files: list[FileOut]
    channels: list[ChannelOut]


class BoardOut(Schema):
    commune_code: str
    commune_name: str
    count: int
    offset: int
    limit: int
    items: list[ItemOut]


class BoardFilters(Schema):
    category: str = ""
    year: int | None = None
    state: str = ""
    q: str = ""
    offset: int = 0
    limit: int = 20


def _item(item: object, today: dt.date) -> dict:
    from .models import DisclosureItem

    assert isinstance(item, DisclosureItem)
    return {"id": item.pk, "category": item.category.code, "title": item.title, "year": item.year,
            "quarter": item.quarter, "posted_on": item.posted_on, "taken_down_on": item.taken_down_on,
            "current": item.is_current(today),
            "url": reverse("disclosures_public:item", args=[item.unit_path.rstrip(".").rsplit(".", 1)[-1], item.pk])}


@router.get("/categories", response=list[CategoryOut], summary="Danh mục nội dung phải công khai (Điều 11)")
def categories(request: HttpRequest) -> list:
    return list(selectors.categories())


@router.get("/{code}", response=BoardOut, summary="Bảng công khai thông tin của một xã")
def board(request: HttpRequest, code: str, filters: Query[BoardFilters]) -> dict:
    unit = selectors.commune_by_code(code)
    qs = selectors.board(commune=unit, category=filters.category, year=filters.year, state=filters.state,
                         query=filters.q[:100])
    offset, limit = max(filters.offset, 0), min(max(filters.limit, 1), MAX_LIMIT)
    today = timezone.localdate()
    return {"commune_code": unit.code, "commune_name": unit.name, "count": qs.count(), "offset": offset,
            "limit": limit, "items": [_item(i, today) for i in qs[offset:offset + limit]]}


@router.get("/{code}/items/{pk}", response=ItemDetailOut, summary="Một thông tin công khai")
def item(request: HttpRequest, code: str, pk: int) -> dict:
    unit = selectors.commune_by_code(code)
    obj = selectors.public_item(commune=unit, pk=pk)
    return {**_item(obj, timezone.localdate()), "content": obj.content,
            "files": [{"name": a.original_name, "mime_type": a.mime_type, "size": a.size,
                       "url": reverse("disclosures_public:download", args=[a.pk])} for a in selectors.attachments(obj)],
            "channels": [{"kind": c.kind, "kind_label": c.get_kind_display(),
                          "village": c.village.name if c.village else "", "starts_on": c.starts_on, "days": c.days}
                         for c in obj.channels.select_related("village")]}
