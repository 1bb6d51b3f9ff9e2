"""Domain errors: raised by services, turned into Vietnamese messages by views and the API."""

from __future__ import annotations


class DomainError(Exception):
    """A request that is well-formed but not allowed in the current state (HTTP 409)."""

    status_code = 409

    def __init__(self, message: str, *, code: str = "domain_error") -> None:
        super().__init__(message)
        self.message = message
        self.code = code


class NotFoundOrForbidden(DomainError):
    """Outside the actor's scope or missing: the two look the same on purpose (HTTP 404)."""

    status_code = 404

    def __init__(self, message: str = "", *, code: str = "not_found") -> None:
        from django.utils.translation import gettext

        super().__init__(message or gettext("Không tìm thấy hoặc bạn không có quyền truy cập."), code=code)


class RateLimited(DomainError):
    """Too many submissions from one source in the window (HTTP 429)."""

    status_code = 429

    def __init__(self, message: str = "", *, code: str = "rate_limited") -> None:
        from django.utils.translation import gettext

        super().__init__(message or gettext("Bạn đã gửi quá nhiều lần trong thời gian ngắn. Xin thử lại sau một giờ."),
                         code=code)
