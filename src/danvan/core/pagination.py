"""Pagination helper used by every list page: bounded page size, forgiving page numbers.

Templates build the page links with Django's ``{% querystring page=... %}`` so the filters in
the address survive, and label them in Vietnamese ("Trang trước", "Trang sau").
"""

from __future__ import annotations

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest

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
