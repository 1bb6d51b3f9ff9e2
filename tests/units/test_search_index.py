"""The search index follows every write: FTS5 triggers on SQLite, plain columns on PostgreSQL."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection

from danvan.units.models import Level
from danvan.units.search_index import ensure_unit_search_index
from danvan.units.selectors import unit_search
from danvan.units.services import unit_rename, village_create

pytestmark = pytest.mark.django_db


def codes(query: str, **kw: object) -> list[str]:
    return [u.code for u in unit_search(query=query, **kw)]  # type: ignore[arg-type]


def test_new_village_is_found_at_once(ba_dinh):
    village = village_create(actor=None, commune=ba_dinh, name="Tổ dân phố Đường Hoà Mục")
    assert village.code in codes("duong hoa muc", parent=ba_dinh)
    assert village.code in codes("hòa mục", parent=ba_dinh)


def test_renamed_unit_is_found_by_new_name_only(ba_dinh):
    unit_rename(actor=None, unit=ba_dinh, new_name="Phường Quảng Trường Đỏ Thắm", effective_on=dt.date(2026, 1, 1))
    assert "00004" in codes("quang truong do tham", max_level=Level.COMMUNE)
    assert "00004" not in codes("phuong ba dinh", max_level=Level.COMMUNE)


def test_limit_keeps_the_ranking(hanoi):
    full = codes("phuong", max_level=Level.COMMUNE, parent=hanoi)
    assert len(full) > 20
    assert codes("phuong", max_level=Level.COMMUNE, parent=hanoi, limit=20) == full[:20]


@pytest.mark.skipif(connection.vendor != "sqlite", reason="FTS5 index exists on SQLite only")
def test_index_is_rebuilt_when_out_of_step(ba_dinh):
    with connection.cursor() as cursor:
        cursor.execute("INSERT INTO units_unit_fts(units_unit_fts) VALUES ('delete-all')")
    assert codes("phuong ba dinh", max_level=Level.COMMUNE) == []
    ensure_unit_search_index()
    assert codes("phuong ba dinh", max_level=Level.COMMUNE)[0] == "00004"
