"""Reads for Open311 GeoReport v2: services (the fields) and public-safe service requests.

Only cases whose result is public are listed (never complaints or denunciations: their
``public`` flag is always false), and a request carries no submitter name or contact.
The tracking code (``Case.code``) is not the request id: it lets its holder reopen the
case, so only the application that posted the request is told it (in ``service_notice``).

A request's ``media_url`` is its first public photo: an image (EXIF already stripped when it
was stored) attached to a listed request that a citizen sent (web, API, Open311). Scans an
official attached to a walk-in, letter or hotline case are never public: they are letters and
identity papers, not pictures of the problem.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db.models import QuerySet
from django.utils import timezone

from danvan.attachments.models import Attachment
from danvan.attachments.services import IMAGE_TYPES
from danvan.cases.models import OFFICIAL_CHANNELS, Case, CaseEvent, Field, Kind, State
from danvan.cases.redaction import redact
from danvan.units.models import Era, Level, Status, Unit

DEFAULT_DAYS = 90
MAX_REQUESTS = 1000
CLOSED_STATES = frozenset({State.ANSWERED, State.CLOSED, State.REFUSED, State.MERGED})
# How far (in degrees, ~11 km per 0.1°) a point may be from a commune's centre to be placed in it.
NEAREST_COMMUNE_RADIUS = 0.1


def service_list() -> QuerySet[Field]:
    """The services offered: the active fields, in their display order."""
    return Field.objects.filter(active=True).order_by("order", "name")


def service_get(*, code: str) -> Field | None:
    """One active field by its code, or None."""
    return Field.objects.filter(active=True, code=code).first()


def open311_status(case_status: str) -> str:
    """GeoReport status of a case: closed once answered, closed, refused or merged."""
    return "closed" if case_status in CLOSED_STATES else "open"


@dataclass(frozen=True)
class RequestFilters:
    """The filters of GET requests; empty means not filtered."""

    ids: tuple[int, ...] = ()
    service_codes: tuple[str, ...] = ()
    start: dt.datetime | None = None
    end: dt.datetime | None = None
    status: str = ""


def _public_cases() -> QuerySet[Case]:
    return (Case.objects.filter(public=True).exclude(kind=Kind.DENUNCIATION)
            .select_related("field", "unit", "organisation"))


def request_list(*, filters: RequestFilters) -> list[Case]:
    """Public requests, newest first: by id, or in a date window (default the last 90 days), ≤ 1,000."""
    qs = _public_cases()
    if filters.ids:
        # The spec: other filters are ignored when ids are given.
        qs = qs.filter(pk__in=filters.ids)
    else:
        end = filters.end or timezone.now()
        start = filters.start or end - dt.timedelta(days=DEFAULT_DAYS)
        qs = qs.filter(received_at__gte=start, received_at__lte=end)
        if filters.service_codes:
            qs = qs.filter(field__code__in=filters.service_codes)
        if filters.status == "closed":
            qs = qs.filter(status__in=CLOSED_STATES)
        elif filters.status == "open":
            qs = qs.exclude(status__in=CLOSED_STATES)
    return list(qs.order_by("-received_at", "-id")[:MAX_REQUESTS])


def request_get(*, request_id: str) -> Case | None:
    """One public request by its id, or None."""
    if not request_id.isdigit():
        return None
    return _public_cases().filter(pk=int(request_id)).first()


def _public_photos() -> QuerySet[Attachment]:
    return Attachment.objects.filter(content_type=ContentType.objects.get_for_model(Case),
                                     mime_type__in=list(IMAGE_TYPES))


def first_public_photos(cases: list[Case]) -> dict[int, Attachment]:
    """For each listed case sent by a citizen, its first image attachment (one query)."""
    ids = [str(c.pk) for c in cases if c.channel not in OFFICIAL_CHANNELS]
    photos: dict[int, Attachment] = {}
    if not ids:
        return photos
    for attachment in _public_photos().filter(object_id__in=ids).order_by("id"):
        photos.setdefault(int(attachment.object_id), attachment)
    return photos


def public_photo_get(*, attachment_id: int) -> Attachment | None:
    """An image that some listed request shows as its media_url, or None."""
    attachment = _public_photos().filter(pk=attachment_id).first()
    if attachment is None or not attachment.object_id.isdigit():
        return None
    case = _public_cases().filter(pk=int(attachment.object_id)).exclude(channel__in=OFFICIAL_CHANNELS).first()
    if case is None:
        return None
    return attachment if first_public_photos([case]).get(case.pk) == attachment else None


def last_public_notes(cases: list[Case]) -> dict[int, str]:
    """For each case, the note (or label) of its latest public event: the request's status_notes."""
    notes: dict[int, str] = {}
    events = (CaseEvent.objects.filter(case__in=[c.pk for c in cases], public=True)
              .order_by("case_id", "-at", "-id"))
    for event in events:
        if event.case_id not in notes:
            notes[event.case_id] = event.note or str(event.get_kind_display())
    return notes


def public_description(case: Case) -> str:
    """The case's text with personal data masked, as the public answer page does."""
    return redact(case.description, names=[case.submitter_name] if case.submitter_name else [])


def commune_by_code(code: str) -> Unit | None:
    """An active current commune by its five-digit code, or None."""
    return Unit.objects.filter(era=Era.CURRENT, level=Level.COMMUNE, status=Status.ACTIVE, code=code.strip()).first()


def commune_near(*, latitude: float, longitude: float) -> Unit | None:
    """The active commune whose recorded centre is nearest the point, if one is close enough."""
    r = NEAREST_COMMUNE_RADIUS
    candidates = Unit.objects.filter(
        era=Era.CURRENT, level=Level.COMMUNE, status=Status.ACTIVE,
        latitude__range=(latitude - r, latitude + r), longitude__range=(longitude - r, longitude + r))
    best = min(candidates, default=None,
               key=lambda u: (u.latitude - latitude) ** 2 + (u.longitude - longitude) ** 2)
    return best
