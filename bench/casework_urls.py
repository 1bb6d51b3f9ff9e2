"""The project's URLs plus one bare endpoint, for the submission baseline (bench process only)."""

from __future__ import annotations

import json
import uuid

from django.http import HttpRequest, JsonResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from danvan.config.urls import urlpatterns as project_urlpatterns
from danvan.notifications.models import Outbox, OutboxStatus


@csrf_exempt
@require_POST
def bare_insert(request: HttpRequest) -> JsonResponse:
    """Parse the same JSON body as a submission and insert one row: the least a write can cost."""
    payload = json.loads(request.body)
    row = Outbox.objects.create(channel="email", recipient="bench@danvan.example", subject=payload["title"][:200],
                                body=payload["description"], dedupe_key=f"bench:{uuid.uuid4().hex}",
                                status=OutboxStatus.SENT)
    return JsonResponse({"id": row.pk}, status=201)


urlpatterns = [path("bench/insert", bare_insert), *project_urlpatterns]
