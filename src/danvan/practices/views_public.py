"""The public showcase of recognised "Dân vận khéo" models (mounted under /dan-van-kheo/)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from danvan.core.errors import NotFoundOrForbidden
from danvan.core.pagination import paginate
from danvan.units.models import Era, Level, Status, Unit
from danvan.units.selectors import provinces as province_list

from .models import Kind
from .models import Level as PracticeLevel
from .selectors import (
    PracticeFilters,
    chart_data,
    field_choices,
    indicator_series,
    map_points,
    practice_family,
    practice_photos,
    practice_public_get,
    practice_public_list,
    public_years,
)

GALLERY_PAGE_SIZE = 24
DEFAULT_MAP_TILES = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
DEFAULT_MAP_ATTRIBUTION = "© OpenStreetMap"


def map_settings() -> dict[str, str]:
    """The tile server is a setting: offline installs point it at their own, or the map stays hidden."""
    return {"map_tiles": getattr(settings, "DANVAN_MAP_TILES", DEFAULT_MAP_TILES),
            "map_attribution": getattr(settings, "DANVAN_MAP_ATTRIBUTION", DEFAULT_MAP_ATTRIBUTION)}


def unit_from_code(code: str) -> Unit | None:
    """A current province (2 digits) or commune (5 digits) by its official code."""
    code = code.strip()
    level = {2: Level.PROVINCE, 5: Level.COMMUNE}.get(len(code))
    if level is None or not code.isdigit():
        return None
    return Unit.objects.filter(era=Era.CURRENT, level=level, code=code, status=Status.ACTIVE).first()


def filters_from(request: HttpRequest) -> PracticeFilters:
    """The gallery's filters from the address; unknown values are ignored, never an error."""
    get = request.GET
    field = get.get("field", "").strip()[:40]
    level = get.get("level", "")
    kind = get.get("kind", "")
    try:
        year: int | None = int(get.get("year", ""))
    except ValueError:
        year = None
    return PracticeFilters(
        q=get.get("q", "").strip()[:200], field=field,
        level=level if level in PracticeLevel.values else "",
        kind=kind if kind in Kind.values else "",
        unit=unit_from_code(get.get("unit", "")), year=year)


def linked_points(practices: list[Any], *, highlight: int | None = None) -> list[dict[str, Any]]:
    """Map markers whose popups link to each model's public page."""
    points = map_points(practices, highlight=highlight)
    for point in points:
        point["url"] = reverse("practices_public:detail", args=[point["id"]])
    return points


@require_GET
def gallery(request: HttpRequest) -> HttpResponse:
    """Recognised models: searchable without accents, filtered by field, level, unit and year."""
    filters = filters_from(request)
    page = paginate(request, practice_public_list(filters=filters), per_page=GALLERY_PAGE_SIZE)
    provinces = province_list().values_list("code", "name")
    return render(request, "practices/public/gallery.html", {
        "page": page, "filters": filters, "field_choices": field_choices(), "levels": PracticeLevel.choices,
        "kinds": Kind.choices, "year_choices": [(y, y) for y in public_years()], "provinces": provinces,
        # The page's models on a map (24 at most: a map of thousands would say nothing).
        "points": linked_points(list(page.object_list)), **map_settings(),
        "unit_code": filters.unit.code if filters.unit else "",
        "filtered": bool(filters.q or filters.field or filters.level or filters.unit or filters.year
                         or filters.kind),
    })


@require_GET
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A recognised model's page: what it does, its results over time, photos, where it spread."""
    try:
        practice = practice_public_get(pk=pk)
    except NotFoundOrForbidden:
        raise Http404(_("Không tìm thấy mô hình.")) from None
    series = indicator_series(practice=practice)
    family = practice_family(practice=practice)
    return render(request, "practices/public/detail.html", {
        "practice": practice, "series": series, "chart": chart_data(series),
        "photos": practice_photos(practice=practice), "family": family,
        "points": linked_points(family.members, highlight=practice.pk),
        "certifications": practice.certifications.order_by("decided_on"),
        "commendations": practice.commendations.order_by("decided_on"),
        "organisations": practice.organisations.order_by("kind"),
        **map_settings(),
    })


@require_GET
def photo(request: HttpRequest, pk: int, attachment_id: int) -> FileResponse:
    """A photo of a recognised model (re-encoded without metadata when it was uploaded)."""
    try:
        practice = practice_public_get(pk=pk)
        from .selectors import practice_attachment_get

        attachment = practice_attachment_get(practice=practice, attachment_id=attachment_id, images_only=True)
    except NotFoundOrForbidden:
        raise Http404(_("Không tìm thấy ảnh.")) from None
    use_thumb = request.GET.get("size") == "thumb" and bool(attachment.thumbnail)
    stored = attachment.thumbnail if use_thumb else attachment.file
    response = FileResponse(stored.open("rb"), content_type="image/jpeg" if use_thumb else attachment.mime_type)
    response["Cache-Control"] = "public, max-age=3600"
    response["X-Content-Type-Options"] = "nosniff"
    return response
