"""View helpers shared by every app's pages."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from django.http import Http404, HttpRequest
from django.http.response import HttpResponseBase

from danvan.core.errors import NotFoundOrForbidden

_R = TypeVar("_R", bound=HttpResponseBase)


def not_found_as_404(view: Callable[..., _R]) -> Callable[..., _R]:
    """Out of scope and missing look the same to the visitor: Django's 404 page."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> _R:
        try:
            return view(request, *args, **kwargs)
        except NotFoundOrForbidden as exc:
            raise Http404(exc.message) from exc

    return wrapper
