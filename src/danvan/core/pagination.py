"""Pagination helper used by every list page: bounded page size, forgiving page numbers.

Templates build the page links with Django's ``{% querystring page=... %}`` so the filters in
the address survive, and label them in Vietnamese ("Trang trước", "Trang sau").
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.functional import cached_property

DEFAULT_PAGE_SIZE = 25
MAX_PAGE_SIZE = 200


def page_size(request: HttpRequest, *, default: int = DEFAULT_PAGE_SIZE) -> int:
    """The ``per_page`` the address asks for, kept within 1..MAX_PAGE_SIZE."""
    try:
        size = int(request.GET.get("per_page", default))
    except ValueError:  # not a number, or too many digits to be one
        size = default
    return max(1, min(size, MAX_PAGE_SIZE))


def paginate(request: HttpRequest, qs: QuerySet, *, per_page: int = DEFAULT_PAGE_SIZE) -> Page:
    """The requested page of ``qs``; bad or out-of-range page numbers give the nearest page."""
    paginator = Paginator(qs, page_size(request, default=per_page))
    try:
        number = int(request.GET.get("page", 1))
    except ValueError:
        number = 1
    # Django's get_page sends 0 and negatives to the last page; the first is nearer.
    return paginator.page(max(1, min(number, paginator.num_pages)))


# How many rows a capped list counts before it says "more than": counting 110,000 matching cases
# exactly took about a second on PostgreSQL (docs/performance.md, issue 3), and nobody pages
# past the 40th page of 25 rows; a search narrows better.
COUNT_CAP = 1_000


class CappedPaginator(Paginator):
    """A Paginator that counts at most ``cap`` + 1 rows; ``count_capped`` says the count was cut.

    The count is ``SELECT COUNT(*) FROM (SELECT id ... LIMIT cap + 1)``: the database stops after
    the cap instead of reading every match. Pages beyond the cap are not offered.
    """

    def __init__(self, object_list: QuerySet, per_page: int, *, cap: int | None = None,
                 page_ids: Callable[[int, int], list[Any] | None] | None = None) -> None:
        super().__init__(object_list, per_page)
        self.queryset: QuerySet = object_list  # Paginator types object_list as any sequence
        self.cap = cap if cap is not None else COUNT_CAP
        # A quicker way some lists have to find the ids of rows [bottom:top] (None: not found).
        self.page_ids = page_ids

    @cached_property
    def counted(self) -> int:
        """Matching rows, counted up to ``cap`` + 1."""
        return int(self.queryset.order_by().values("pk")[: self.cap + 1].count())

    @cached_property
    def count(self) -> int:
        return min(self.counted, self.cap)

    @property
    def count_capped(self) -> bool:
        """True when more rows match than ``cap`` (the count shown is then a lower bound)."""
        return self.counted > self.cap

    def page(self, number: int | str) -> Page:
        """The page; with ``page_ids``, in two steps: the ids of the page, then those rows.

        A list that has a quicker way to its ids (a search) also gets the rows of the page
        only: sorting thousands of matches is cheap on ids alone, while joining first and
        sorting after made PostgreSQL fetch the related rows of every match (a search for a
        common phrase over 1,000,000 cases: 250 → 140 ms).
        """
        if self.page_ids is None:
            return super().page(number)
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        ids = self.page_ids(bottom, top)
        if ids is None:
            ids = list(self.queryset.values_list("pk", flat=True)[bottom:top])
        by_id = {obj.pk: obj for obj in self.queryset.order_by().filter(pk__in=ids)}
        return Page([by_id[pk] for pk in ids if pk in by_id], number, self)


def paginate_capped(request: HttpRequest, qs: QuerySet, *, per_page: int = DEFAULT_PAGE_SIZE,
                    cap: int | None = None, page_ids: Callable[[int, int], list[Any] | None] | None = None) -> Page:
    """``paginate`` for lists that may match very many rows: the count stops at ``cap``.

    ``page.paginator.count_capped`` is true when there are more rows than ``cap``; templates
    then say "hơn {cap}" instead of the count.
    """
    paginator = CappedPaginator(qs, page_size(request, default=per_page), cap=cap, page_ids=page_ids)
    try:
        number = int(request.GET.get("page", 1))
    except ValueError:
        number = 1
    return paginator.page(max(1, min(number, paginator.num_pages)))
