"""The public accountability pages (dân kiểm tra, giám sát, thụ hưởng): no account needed.

Shown: who sits on the boards (name, village, position: they are public roles), what the boards
recommended and what the authority answered, the projects under supervision with their progress
and issues, and the commitments with their evidence. Never shown: members' phone numbers, who in
the administration recorded what.
"""

from __future__ import annotations

from django.conf import settings
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from danvan.cases.views_public import DEFAULT_MAP_TILES
from danvan.core.pagination import paginate
from danvan.core.views import not_found_as_404
from danvan.units.models import Level
from danvan.units.selectors import unit_search

from . import selectors
from .models import CommitmentStatus, RecommendationStatus


@require_GET
@not_found_as_404
def index(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:100]
    results = ([u for u in unit_search(query=query, max_level=Level.COMMUNE, limit=30) if u.level == Level.COMMUNE]
               if query else [])
    recent = selectors.recent_commitments(limit=20)
    return render(request, "oversight/public/index.html", {"query": query, "results": results, "recent": recent})


@require_GET
@not_found_as_404
def commune(request: HttpRequest, code: str) -> HttpResponse:
    unit = selectors.commune_by_code(code)
    rec_status = request.GET.get("kien_nghi", "")
    commit_status = request.GET.get("cam_ket", "")
    query = request.GET.get("q", "").strip()[:100]
    projects = list(selectors.projects(commune=unit))
    points = [{"name": p.name, "lat": p.latitude, "lon": p.longitude, "progress": p.progress_percent,
               "url": f"du-an/{p.pk}/"} for p in projects if p.latitude is not None and p.longitude is not None]
    return render(request, "oversight/public/commune.html", {
        "commune": unit, "boards": selectors.board_views(commune=unit), "summary": selectors.summary(commune=unit),
        "recommendations": paginate(request, selectors.recommendations(commune=unit, status=rec_status), per_page=10),
        "rec_status": rec_status, "rec_statuses": RecommendationStatus.choices,
        "projects": projects, "points": points,
        "commitments": selectors.commitments(commune=unit, status=commit_status, query=query)[:100],
        "commit_status": commit_status, "commit_statuses": CommitmentStatus.choices, "query": query,
        "map_tiles": getattr(settings, "DANVAN_MAP_TILES", DEFAULT_MAP_TILES),
    })


@require_GET
@not_found_as_404
def project(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    unit = selectors.commune_by_code(code)
    obj = selectors.public_project(commune=unit, pk=pk)
    return render(request, "oversight/public/project.html", {
        "commune": unit, "obj": obj, "reports": obj.reports.all(), "issues": obj.issues.all(),
        "recommendations": obj.recommendations.all(), "commitments": obj.commitments.all()})


@require_GET
@not_found_as_404
def commitment(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    unit = selectors.commune_by_code(code)
    obj = selectors.public_commitment(commune=unit, pk=pk)
    return render(request, "oversight/public/commitment.html", {
        "commune": unit, "obj": obj, "updates": selectors.commitment_updates(commitment=obj)})


@require_GET
@not_found_as_404
def evidence(request: HttpRequest, pk: int) -> FileResponse:
    attachment = selectors.evidence_file(pk=pk)
    response = FileResponse(attachment.file.open("rb"), content_type=attachment.mime_type,
                            as_attachment=attachment.mime_type == "application/pdf",
                            filename=attachment.original_name)
    response["X-Content-Type-Options"] = "nosniff"
    return response
