"""The JSON API at /api/v1: one NinjaAPI, each domain app adds its router.

Every error leaves as JSON ``{"code": ..., "detail": ...}`` with a Vietnamese ``detail``:
domain errors, missing objects, permission refusals, ninja's own HTTP errors, parameter
validation (422, with a Vietnamese message per field) and unexpected failures (500).
"""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.signals import got_request_exception
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import HttpError, ValidationError

from danvan.core.errors import DomainError

logger = logging.getLogger("django.request")

api = NinjaAPI(
    title="danvan API",
    version="1",
    description="API của nền tảng danvan: đơn vị hành chính, phản ánh, kiến nghị, dân chủ ở cơ sở. "
                "Lỗi trả về dạng JSON {\"code\": \"…\", \"detail\": \"…\"} bằng tiếng Việt.",
    urls_namespace="api-v1",
    # ninja serves Swagger UI from its own static files only when "ninja" is an installed app;
    # otherwise it would load it from a CDN, which intranets and offline installs cannot reach.
    docs_url="/docs" if "ninja" in settings.INSTALLED_APPS else None,
)


def _error(request: HttpRequest, status: int, code: str, detail: str, **extra: Any) -> HttpResponse:
    return api.create_response(request, {"code": code, "detail": detail, **extra}, status=status)


@api.exception_handler(DomainError)
def domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
    return _error(request, exc.status_code, exc.code, exc.message)


@api.exception_handler(Http404)
def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return _error(request, 404, "not_found", _("Không tìm thấy."))


@api.exception_handler(PermissionDenied)
def permission_denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return _error(request, 403, "forbidden", _("Bạn không có quyền thực hiện thao tác này."))


def _http_error_detail(status: int) -> tuple[str, str]:
    """Code and Vietnamese text for ninja's own HTTP errors, whose messages are English."""
    known = {
        400: ("bad_request", _("Yêu cầu không hợp lệ.")),
        401: ("unauthorized", _("Bạn cần đăng nhập để thực hiện thao tác này.")),
        403: ("forbidden", _("Bạn không có quyền thực hiện thao tác này.")),
        404: ("not_found", _("Không tìm thấy.")),
        405: ("method_not_allowed", _("Phương thức không được hỗ trợ.")),
        429: ("too_many_requests", _("Quá nhiều yêu cầu, vui lòng thử lại sau.")),
    }
    return known.get(status, ("http_error", _("Không xử lý được yêu cầu.")))


@api.exception_handler(HttpError)
def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    code, detail = _http_error_detail(exc.status_code)
    return _error(request, exc.status_code, code, detail)


def _field_error_message(error: dict[str, Any]) -> str:
    """A Vietnamese sentence for one pydantic error (pydantic's own messages are English)."""
    kind = str(error.get("type", ""))
    ctx = error.get("ctx") or {}
    messages = {
        "missing": _("Thiếu giá trị bắt buộc."),
        "int_parsing": _("Phải là số nguyên."),
        "int_type": _("Phải là số nguyên."),
        "int_from_float": _("Phải là số nguyên."),
        "float_parsing": _("Phải là số."),
        "float_type": _("Phải là số."),
        "bool_parsing": _("Phải là true hoặc false."),
        "string_type": _("Phải là chuỗi ký tự."),
        "string_pattern_mismatch": _("Không đúng định dạng."),
        "date_parsing": _("Ngày không hợp lệ (định dạng YYYY-MM-DD)."),
        "date_from_datetime_parsing": _("Ngày không hợp lệ (định dạng YYYY-MM-DD)."),
        "datetime_parsing": _("Thời điểm không hợp lệ."),
        "datetime_from_date_parsing": _("Thời điểm không hợp lệ."),
        "uuid_parsing": _("Mã định danh không hợp lệ."),
        "enum": _("Giá trị không nằm trong danh sách cho phép."),
        "literal_error": _("Giá trị không nằm trong danh sách cho phép."),
        "json_invalid": _("Dữ liệu JSON không hợp lệ."),
        "list_type": _("Phải là một danh sách."),
        "dict_type": _("Phải là một đối tượng."),
        "model_attributes_type": _("Phải là một đối tượng."),
    }
    bounded = {
        "greater_than_equal": (_("Phải lớn hơn hoặc bằng %(limit)s."), "ge"),
        "greater_than": (_("Phải lớn hơn %(limit)s."), "gt"),
        "less_than_equal": (_("Phải nhỏ hơn hoặc bằng %(limit)s."), "le"),
        "less_than": (_("Phải nhỏ hơn %(limit)s."), "lt"),
        "string_too_short": (_("Phải có ít nhất %(limit)s ký tự."), "min_length"),
        "string_too_long": (_("Không được dài quá %(limit)s ký tự."), "max_length"),
        "too_short": (_("Phải có ít nhất %(limit)s phần tử."), "min_length"),
        "too_long": (_("Không được quá %(limit)s phần tử."), "max_length"),
    }
    if kind in bounded and bounded[kind][1] in ctx:
        template, key = bounded[kind]
        return template % {"limit": ctx[key]}
    return messages.get(kind, _("Giá trị không hợp lệ."))


@api.exception_handler(ValidationError)
def validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    errors = [
        {"loc": [str(p) if not isinstance(p, int) else p for p in e.get("loc", ())],
         "type": str(e.get("type", "")), "msg": _field_error_message(e)}
        for e in exc.errors
    ]
    return _error(request, 422, "validation_error", _("Tham số không hợp lệ."), errors=errors)


@api.exception_handler(Exception)
def unexpected_error(request: HttpRequest, exc: Exception) -> HttpResponse:
    # Do what Django does for an unhandled exception (log it, tell listeners such as error
    # trackers and the test client), but answer in the API's JSON and in Vietnamese.
    if settings.DEBUG:
        raise exc
    logger.error("Lỗi máy chủ: %s", request.path, exc_info=exc,
                 extra={"status_code": 500, "request": request})
    got_request_exception.send(sender=None, request=request)
    return _error(request, 500, "server_error", _("Lỗi hệ thống. Vui lòng thử lại sau."))


def _register_routers() -> None:
    from danvan.units.api import router as units_router

    api.add_router("/units", units_router)
    from danvan.cases.api import router as cases_router

    api.add_router("/cases", cases_router)
    from danvan.practices.api import router as practices_router

    api.add_router("/practices", practices_router)
    from danvan.democracy.oversight.api import router as oversight_router

    api.add_router("/democracy/oversight", oversight_router)
    from danvan.democracy.disclosures.api import router as disclosures_router

    api.add_router("/democracy/disclosures", disclosures_router)
    from danvan.democracy.decisions.api import router as decisions_router

    api.add_router("/democracy/decisions", decisions_router)
    from danvan.democracy.consultations.api import router as consultations_router

    api.add_router("/democracy/consultations", consultations_router)


_register_routers()
