"""Pagination: bounded page size, forgiving page numbers, on the real unit table."""

from __future__ import annotations

import pytest
from django.test import RequestFactory

from danvan.core.pagination import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, page_size, paginate
from danvan.units.models import Era, Level, Unit

pytestmark = pytest.mark.django_db


def communes() -> object:
    return Unit.objects.filter(era=Era.CURRENT, level=Level.COMMUNE).order_by("path")


@pytest.mark.parametrize(
    ("per_page", "expected"),
    [
        (None, DEFAULT_PAGE_SIZE),
        ("10", 10),
        ("0", 1),
        ("-5", 1),
        ("100000", MAX_PAGE_SIZE),
        ("mười", DEFAULT_PAGE_SIZE),
        ("1e3", DEFAULT_PAGE_SIZE),
        ("9" * 5000, DEFAULT_PAGE_SIZE),
    ],
)
def test_page_size_is_bounded(rf: RequestFactory, per_page: str | None, expected: int) -> None:
    params = {} if per_page is None else {"per_page": per_page}
    assert page_size(rf.get("/", params)) == expected


def test_pages_follow_each_other(rf: RequestFactory) -> None:
    total = communes().count()  # type: ignore[attr-defined]
    first = paginate(rf.get("/", {"per_page": "50"}), communes())  # type: ignore[arg-type]
    second = paginate(rf.get("/", {"per_page": "50", "page": "2"}), communes())  # type: ignore[arg-type]
    assert first.paginator.count == total
    assert len(first) == 50
    assert first[-1].path < second[0].path
    assert second.number == 2


@pytest.mark.parametrize(
    ("page", "expected"), [("abc", 1), ("", 1), ("2.5", 1), ("0", 1), ("-1", 1), ("999999", "last"), ("3", 3)]
)
def test_bad_page_numbers_give_the_nearest_page(rf: RequestFactory, page: str, expected: int | str) -> None:
    result = paginate(rf.get("/", {"page": page}), communes())  # type: ignore[arg-type]
    want = result.paginator.num_pages if expected == "last" else expected
    assert result.number == want


def test_an_empty_list_has_one_empty_page(rf: RequestFactory) -> None:
    result = paginate(rf.get("/", {"page": "5"}), Unit.objects.none())  # type: ignore[arg-type]
    assert result.number == 1
    assert list(result) == []
