"""Reads of imports, scoped to the person: an import is seen by whoever started it (and by an
administrator), never by another official of the same unit, since its rows may hold personal data."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from danvan.core.errors import NotFoundOrForbidden

from .models import ImportJob


def _may_see(actor: Any, job: ImportJob) -> bool:
    return job.created_by_id == getattr(actor, "pk", None) or bool(getattr(actor, "is_superuser", False))


def jobs_of(*, actor: Any) -> QuerySet[ImportJob]:
    """The person's own imports, newest first (the model's ordering)."""
    return ImportJob.objects.filter(created_by_id=getattr(actor, "pk", None))


def job_get(*, actor: Any, pk: int) -> ImportJob:
    """A person's own import (an administrator sees every one); anyone else's is "not found"."""
    job = ImportJob.objects.filter(pk=pk).first()
    if job is None or not _may_see(actor, job):
        raise NotFoundOrForbidden()
    return job
