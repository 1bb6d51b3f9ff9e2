"""Open311 GeoReport v2 at /open311/v2/ (plain views: the spec needs .json and .xml suffixes).

Errors answer as the spec says: a list of {code, description} (``errors/error`` in XML),
with Vietnamese descriptions. ``jurisdiction_id`` is accepted everywhere and ignored: one
deployment serves one jurisdiction tree.

``media_url``: GET answers carry the absolute URL of the request's first public photo, served
by ``media`` below. A posted ``media_url`` is never fetched (the server would request any
address a client names, inside our network too: SSRF) and nothing of it is stored; the
``service_notice`` says so. A client sends the photo itself as a multipart ``media`` file,
checked like every upload (type by content, size, metadata stripped, location dropped).
"""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.urls import reverse
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from danvan.attachments.models import Attachment
from danvan.attachments.services import attachment_add, file_check
from danvan.cases.models import Case, Channel, Kind
from danvan.cases.services import Submitter, case_submit
from danvan.cases.services_citizen import submission_rate_count, submission_rate_limited
from danvan.core.errors import DomainError
from danvan.units.models import Level
from danvan.units.selectors import unit_search

from .selectors import (
    RequestFilters,
    commune_by_code,
    commune_near,
    first_public_photos,
    last_public_notes,
    open311_status,
    public_description,
    public_photo_get,
    request_get,
    request_list,
    service_get,
    service_list,
)
from .services import api_key_check

TITLE_LENGTH = 120


class Open311Error(Exception):
    """An error answered in the spec's format."""

    def __init__(self, status: int, description: str) -> None:
        super().__init__(description)
        self.status = status
        self.description = description


# --- rendering --------------------------------------------------------------------------

def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _xml(root: str, item: str, rows: list[dict[str, Any]]) -> bytes:
    top = ET.Element(root)
    for row in rows:
        element = ET.SubElement(top, item)
        for key, value in row.items():
            child = ET.SubElement(element, key)
            if isinstance(value, list):
                # keywords are a comma-separated string in XML, attributes are nested elements.
                if value and isinstance(value[0], dict):
                    for sub in value:
                        node = ET.SubElement(child, "attribute")
                        for k, v in sub.items():
                            ET.SubElement(node, k).text = _text(v)
                else:
                    child.text = ",".join(str(v) for v in value)
            else:
                child.text = _text(value)
    body = b'<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(top, encoding="utf-8")
    return body


def _respond(fmt: str, root: str, item: str, rows: list[dict[str, Any]], status: int = 200) -> HttpResponse:
    if fmt == "xml":
        return HttpResponse(_xml(root, item, rows), status=status, content_type="text/xml; charset=utf-8")
    return JsonResponse(rows, status=status, safe=False, json_dumps_params={"ensure_ascii": False})


def _error(fmt: str, status: int, description: str) -> HttpResponse:
    return _respond(fmt, "errors", "error", [{"code": status, "description": description}], status=status)


def _iso(value: dt.datetime | None) -> str | None:
    if value is None:
        return None
    return value.astimezone(ZoneInfo(settings.TIME_ZONE)).isoformat(timespec="seconds")


def _expected(case: Case) -> str | None:
    if case.due_on is None:
        return None
    # The deadline is a day: the end of its office hours, local time.
    end = dt.datetime.combine(case.due_on, dt.time(17, 0), tzinfo=ZoneInfo(settings.TIME_ZONE))
    return end.isoformat(timespec="seconds")


def _service_row(field: Any) -> dict[str, Any]:
    return {
        "service_code": field.code, "service_name": field.name, "description": field.description,
        # The spec makes keywords one comma-separated string, in JSON as in XML.
        "metadata": False, "type": "realtime", "keywords": ", ".join(field.keywords or []),
        "group": _("Phản ánh, kiến nghị"),
    }


def _media_url(request: HttpRequest, photo: Attachment | None) -> str | None:
    if photo is None:
        return None
    ext = (photo.file.name or "").rsplit(".", 1)[-1].lower()
    return request.build_absolute_uri(reverse("open311:media", kwargs={"attachment_id": photo.pk, "ext": ext}))


def _request_row(case: Case, notes: dict[int, str], photo_url: str | None = None) -> dict[str, Any]:
    return {
        "service_request_id": str(case.pk),
        "status": open311_status(case.status),
        "status_notes": notes.get(case.pk, ""),
        "service_name": case.field.name,
        "service_code": case.field.code,
        "description": public_description(case),
        "agency_responsible": case.organisation.name,
        "service_notice": "",
        "requested_datetime": _iso(case.received_at),
        "updated_datetime": _iso(case.updated_at),
        "expected_datetime": _expected(case),
        "address": case.address or case.unit.name,
        "address_id": case.unit.code,
        "zipcode": None,
        "lat": case.latitude,
        "long": case.longitude,
        "media_url": photo_url,
    }


# --- parameters ---------------------------------------------------------------------------

def _float(data: Any, name: str) -> float | None:
    raw = (data.get(name) or "").strip()
    if not raw:
        return None
    try:
        return float(raw)
    except ValueError as exc:
        raise Open311Error(400, _("Tham số %(name)s phải là số.") % {"name": name}) from exc


def _moment(data: Any, name: str) -> dt.datetime | None:
    raw = (data.get(name) or "").strip()
    if not raw:
        return None
    # A "+" in an unencoded query string arrives as a space.
    raw = raw.replace(" ", "+") if "T" in raw else raw
    moment = parse_datetime(raw)
    if moment is None and (day := parse_date(raw)) is not None:
        moment = dt.datetime.combine(day, dt.time.min)
    if moment is None:
        raise Open311Error(400, _("Tham số %(name)s phải là thời điểm theo chuẩn ISO 8601.") % {"name": name})
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=ZoneInfo(settings.TIME_ZONE))
    return moment


def _place(data: Any) -> tuple[Any, float | None, float | None, str]:
    """The commune, point and address of a posted request, from address_id, lat/long or address_string."""
    latitude, longitude = _float(data, "lat"), _float(data, "long")
    address = " ".join((data.get("address_string") or "").split())
    address_id = (data.get("address_id") or "").strip()
    if (latitude is None) != (longitude is None):
        raise Open311Error(400, _("Vị trí phải có cả lat và long."))
    unit = None
    if address_id:
        unit = commune_by_code(address_id)
        if unit is None:
            raise Open311Error(400, _("address_id phải là mã (5 chữ số) của một xã, phường, đặc khu đang hoạt động."))
    if unit is None and latitude is not None and longitude is not None:
        unit = commune_near(latitude=latitude, longitude=longitude)
    if unit is None and address:
        unit = next(iter(unit_search(query=address, max_level=Level.COMMUNE, limit=5).filter(
            level=Level.COMMUNE)), None)
        if unit is None:
            raise Open311Error(400, _("Không tìm thấy xã, phường, đặc khu theo address_string."))
    if unit is None:
        if latitude is not None:
            raise Open311Error(400, _("Chưa xác định được xã, phường từ tọa độ: hãy gửi kèm address_id "
                                      "(mã xã) hoặc address_string (tên xã, phường)."))
        raise Open311Error(400, _("Thiếu vị trí: cần lat và long, address_string hoặc address_id."))
    return unit, latitude, longitude, address


def _title(field_name: str, description: str) -> str:
    first_line = description.strip().splitlines()[0] if description.strip() else ""
    title = first_line or field_name
    return title if len(title) <= TITLE_LENGTH else title[:TITLE_LENGTH - 1].rstrip() + "…"


# --- views --------------------------------------------------------------------------------

@require_GET
def services(request: HttpRequest, fmt: str) -> HttpResponse:
    return _respond(fmt, "services", "service", [_service_row(f) for f in service_list()])


@require_GET
def service_definition(request: HttpRequest, code: str, fmt: str) -> HttpResponse:
    field = service_get(code=code)
    if field is None:
        return _error(fmt, 404, _("Không tìm thấy lĩnh vực có mã %(code)s.") % {"code": code[:40]})
    # No extra attributes are asked: the request's description and place are enough.
    if fmt == "xml":
        top = ET.Element("service_definition")
        ET.SubElement(top, "service_code").text = field.code
        ET.SubElement(top, "attributes")
        body = b'<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(top, encoding="utf-8")
        return HttpResponse(body, content_type="text/xml; charset=utf-8")
    return JsonResponse({"service_code": field.code, "attributes": []}, json_dumps_params={"ensure_ascii": False})


@csrf_exempt
@require_http_methods(["GET", "POST"])
def requests_view(request: HttpRequest, fmt: str) -> HttpResponse:
    try:
        if request.method == "POST":
            return _post_request(request, fmt)
        return _list_requests(request, fmt)
    except Open311Error as exc:
        return _error(fmt, exc.status, exc.description)


@require_GET
def request_detail(request: HttpRequest, request_id: str, fmt: str) -> HttpResponse:
    case = request_get(request_id=request_id)
    if case is None:
        return _error(fmt, 404, _("Không tìm thấy yêu cầu có mã %(id)s.") % {"id": request_id[:40]})
    photo = first_public_photos([case]).get(case.pk)
    return _respond(fmt, "service_requests", "request",
                    [_request_row(case, last_public_notes([case]), _media_url(request, photo))])


def _list_requests(request: HttpRequest, fmt: str) -> HttpResponse:
    data = request.GET
    ids: list[int] = []
    for part in (data.get("service_request_id") or "").split(","):
        part = part.strip()
        if not part:
            continue
        if not part.isdigit():
            raise Open311Error(400, _("service_request_id phải là các số, cách nhau bằng dấu phẩy."))
        ids.append(int(part))
    status = (data.get("status") or "").strip()
    statuses = {s.strip() for s in status.split(",") if s.strip()}
    if not statuses <= {"open", "closed"}:
        raise Open311Error(400, _("status chỉ nhận open hoặc closed."))
    filters = RequestFilters(
        ids=tuple(ids),
        service_codes=tuple(c.strip() for c in (data.get("service_code") or "").split(",") if c.strip()),
        start=_moment(data, "start_date"), end=_moment(data, "end_date"),
        status=statuses.pop() if len(statuses) == 1 else "",
    )
    if filters.start and filters.end and filters.start > filters.end:
        raise Open311Error(400, _("start_date phải trước end_date."))
    cases = request_list(filters=filters)
    notes = last_public_notes(cases)
    photos = first_public_photos(cases)
    return _respond(fmt, "service_requests", "request",
                    [_request_row(c, notes, _media_url(request, photos.get(c.pk))) for c in cases])


def _post_request(request: HttpRequest, fmt: str) -> HttpResponse:
    data = request.POST
    key = (data.get("api_key") or "").strip()
    if not key:
        raise Open311Error(403, _("Thiếu api_key: cần có khóa API để gửi yêu cầu."))
    api_key = api_key_check(key=key)
    if api_key is None:
        raise Open311Error(403, _("api_key không hợp lệ hoặc đã bị thu hồi."))
    code = (data.get("service_code") or "").strip()
    if not code:
        raise Open311Error(400, _("Thiếu service_code (mã lĩnh vực)."))
    field = service_get(code=code)
    if field is None:
        raise Open311Error(404, _("Không tìm thấy lĩnh vực có mã %(code)s.") % {"code": code[:40]})
    description = (data.get("description") or "").strip()
    if not description:
        raise Open311Error(400, _("Thiếu description: hãy mô tả nội dung phản ánh."))
    unit, latitude, longitude, address = _place(data)
    name = " ".join(p for p in ((data.get("last_name") or "").strip(), (data.get("first_name") or "").strip()) if p)
    submitter = Submitter(name=name, phone=(data.get("phone") or "").strip(), email=(data.get("email") or "").strip())
    if submission_rate_limited(ip="", phone=submitter.phone, api_key_id=api_key.pk):
        raise Open311Error(429, _("Ứng dụng hoặc số điện thoại này đã gửi quá nhiều yêu cầu trong một giờ. "
                                  "Xin thử lại sau."))
    media = request.FILES.get("media")
    try:
        # Checked before the case is made, so a bad file refuses the whole request.
        checked = file_check(content=media.read()) if media is not None else None
        with transaction.atomic():
            case = case_submit(
                kind=Kind.FEEDBACK, channel=Channel.OPEN311, unit=unit, field=field,
                title=_title(field.name, description), description=description, address=address,
                latitude=latitude, longitude=longitude, submitter=submitter,
                wants_updates=bool(submitter.phone or submitter.email))
            if media is not None and checked is not None:
                attachment_add(target=case, name=media.name or "media", checked=checked)
    except DomainError as exc:
        raise Open311Error(400, exc.message) from exc
    submission_rate_count(ip="", phone=submitter.phone, api_key_id=api_key.pk)
    notice = _("Đã tiếp nhận. Mã tra cứu của người gửi: %(code)s (chỉ người gửi được biết mã này).") % {
        "code": case.code}
    if (data.get("media_url") or "").strip():
        notice += " " + _("Máy chủ không tải tệp từ media_url (vì lý do an ninh) và không lưu địa chỉ này; "
                          "hãy gửi kèm chính tệp ảnh trong trường media (multipart/form-data).")
    row = {"service_request_id": str(case.pk), "service_notice": notice, "account_id": None}
    return _respond(fmt, "service_requests", "request", [row], status=201)


CONTENT_TYPES = {"jpg": "image/jpeg", "png": "image/png", "webp": "image/webp"}


@require_GET
def media(request: HttpRequest, attachment_id: str, ext: str) -> FileResponse:
    """A request's public photo (metadata stripped on upload); 404 for anything not shown in a request."""
    photo = public_photo_get(attachment_id=int(attachment_id))
    if photo is None or CONTENT_TYPES.get(ext) != photo.mime_type:
        raise Http404
    response = FileResponse(photo.file.open("rb"), content_type=photo.mime_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Disposition"] = f'inline; filename="{photo.pk}.{ext}"'
    response["Cache-Control"] = "public, max-age=3600"
    return response
