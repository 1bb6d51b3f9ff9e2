"""Capped pagination: the count stops at the cap, pages beyond it are not offered."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from danvan.core.pagination import CappedPaginator, paginate_capped
from danvan.units.models import Era, Level, Unit

pytestmark = pytest.mark.django_db


def communes() -> object:
    return Unit.objects.filter(era=Era.CURRENT, level=Level.COMMUNE).order_by("path")


def test_count_below_the_cap_is_exact(rf: RequestFactory) -> None:
    total = communes().count()  # type: ignore[attr-defined]
    page = paginate_capped(rf.get("/"), communes(), cap=total)  # type: ignore[arg-type]
    assert page.paginator.count == total
    assert not page.paginator.count_capped  # type: ignore[attr-defined]


def test_count_above_the_cap_stops_there(rf: RequestFactory) -> None:
    assert communes().count() > 60  # type: ignore[attr-defined]
    page = paginate_capped(rf.get("/", {"per_page": "25", "page": "99"}), communes(), cap=60)  # type: ignore[arg-type]
    assert page.paginator.count == 60
    assert page.paginator.count_capped  # type: ignore[attr-defined]
    assert page.paginator.num_pages == 3
    assert page.number == 3  # beyond the cap: the last page offered
    # The offered pages end at the cap, as Django's last page ends at the count.
    assert list(page.object_list) == list(communes()[50:60])  # type: ignore[index]


def test_count_query_is_limited(rf: RequestFactory) -> None:
    paginator = CappedPaginator(communes(), 25, cap=40)  # type: ignore[arg-type]
    with CaptureQueriesContext(connection) as queries:
        assert paginator.count == 40
    assert len(queries) == 1
    assert "LIMIT 41" in queries[0]["sql"]
    assert "ORDER BY" not in queries[0]["sql"]


def test_bad_page_numbers_give_the_nearest_page(rf: RequestFactory) -> None:
    for number in ("0", "-3", "abc"):
        page = paginate_capped(rf.get("/", {"page": number}), communes())  # type: ignore[arg-type]
        assert page.number == 1


def test_page_rows_come_in_the_list_order(rf: RequestFactory) -> None:
    ordered = (Unit.objects.filter(era=Era.CURRENT, level=Level.COMMUNE).select_related("parent")
               .order_by("-name", "-id"))
    asked: list[tuple[int, int]] = []

    def no_quicker_way(bottom: int, top: int) -> None:
        asked.append((bottom, top))

    page = paginate_capped(rf.get("/", {"page": "2", "per_page": "30"}), ordered, page_ids=no_quicker_way)
    assert asked == [(30, 60)]
    assert [u.pk for u in page.object_list] == list(ordered.values_list("pk", flat=True)[30:60])
    with CaptureQueriesContext(connection) as queries:
        assert all(u.parent is not None for u in page.object_list)  # the joins came with the rows
    assert len(queries) == 0
