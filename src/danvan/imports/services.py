"""Every write of an import: upload and check, re-map, start, cancel, and the all-or-nothing run.

The run writes every good row inside ONE transaction, through the domain's own service (so its
checks and audit entries apply), and checks between batches whether the person cancelled. A
cancellation or any failure rolls the whole transaction back: nothing is ever half-imported.
Progress and the cancel flag live in the cache, outside that transaction, so the page polling
them sees them while the rows are still uncommitted (and SQLite's single writer is not needed).
"""

from __future__ import annotations

import io
import logging
import threading
from typing import IO, Any

from django.conf import settings
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.db import connections, transaction
from django.utils.translation import gettext as _

from danvan.audit.services import audit_record
from danvan.core.errors import DomainError

from . import registry
from .mapping import auto_map, missing_required
from .models import ImportJob, JobStatus
from .tabular import Table, read_upload
from .validation import Report, validate_table

BATCH = 200
MAX_STORED_ERRORS = 5_000
PROGRESS_TTL = 24 * 3600
logger = logging.getLogger("danvan.imports")


class Cancelled(Exception):
    """Raised inside the run's transaction to roll it back."""


def _progress_key(job_id: int) -> str:
    return f"imports:progress:{job_id}"


def _cancel_key(job_id: int) -> str:
    return f"imports:cancel:{job_id}"


def progress(job_id: int) -> dict[str, int]:
    return cache.get(_progress_key(job_id)) or {"done": 0, "total": 0}


def _set_progress(job_id: int, done: int, total: int) -> None:
    cache.set(_progress_key(job_id), {"done": done, "total": total}, PROGRESS_TTL)


def importer_for(kind: str) -> registry.Importer:
    try:
        return registry.get(kind)
    except KeyError:
        raise DomainError(_("Không có loại dữ liệu này để nhập."), code="kind") from None


def job_table(job: ImportJob) -> Table:
    with job.file.open("rb") as handle:
        return read_upload(job.original_name, handle)


def _store_report(job: ImportJob, report: Report) -> None:
    job.total, job.good, job.bad = report.total, len(report.good), report.bad_rows
    job.errors = [list(e) for e in report.errors[:MAX_STORED_ERRORS]]


def job_upload(*, actor: Any, kind: str, name: str, stream: IO[bytes]) -> ImportJob:
    """Read the sheet, guess the columns from its headers, and check every row; write nothing yet."""
    importer = importer_for(kind)
    content = stream.read()
    table = read_upload(name, io.BytesIO(content))
    mapping = auto_map(table.headers, list(importer.fields))
    report = validate_table(importer, actor, table.rows, mapping) if not missing_required(
        mapping, list(importer.fields)) else Report(total=len(table.rows))
    with transaction.atomic():
        job = ImportJob(kind=kind, original_name=name[:255], created_by=actor, headers=table.headers,
                        mapping=mapping)
        _store_report(job, report)
        job.file.save(name[-100:] or "bang-tinh", ContentFile(content), save=False)
        job.save()
        audit_record(actor=actor, action="imports.upload", obj=job,
                     after={"kind": kind, "rows": job.total, "good": job.good, "bad": job.bad})
    return job


def job_remap(*, actor: Any, job: ImportJob, mapping: dict[str, int]) -> ImportJob:
    """Change which column feeds which field, and check every row again."""
    if job.status != JobStatus.VALIDATED:
        raise DomainError(_("Lần nhập này không còn sửa được."), code="state")
    importer = importer_for(job.kind)
    width = len(job.headers)
    mapping = {k: v for k, v in mapping.items() if 0 <= v < width}
    if len(set(mapping.values())) != len(mapping):
        raise DomainError(_("Mỗi cột chỉ được dùng cho một trường."), code="mapping")
    missing = missing_required(mapping, list(importer.fields))
    if missing:
        raise DomainError(_("Chưa chọn cột cho: %(f)s.") % {"f": ", ".join(f.label for f in missing)}, code="mapping")
    report = validate_table(importer, actor, job_table(job).rows, mapping)
    with transaction.atomic():
        job.mapping = mapping
        _store_report(job, report)
        job.save()
        audit_record(actor=actor, action="imports.remap", obj=job, after={"good": job.good, "bad": job.bad})
    return job


def job_start(*, actor: Any, job: ImportJob) -> ImportJob:
    """Start writing the good rows: in the background, so the page can show progress and a Cancel."""
    if job.status != JobStatus.VALIDATED:
        raise DomainError(_("Lần nhập này đã chạy rồi."), code="state")
    if not job.good:
        raise DomainError(_("Không có dòng hợp lệ nào để nhập."), code="empty")
    if missing_required(job.mapping, list(importer_for(job.kind).fields)):
        raise DomainError(_("Hãy chọn cột cho các trường bắt buộc trước."), code="mapping")
    updated = ImportJob.objects.filter(pk=job.pk, status=JobStatus.VALIDATED).update(status=JobStatus.RUNNING)
    if not updated:
        raise DomainError(_("Lần nhập này đã chạy rồi."), code="state")
    cache.delete(_cancel_key(job.pk))
    _set_progress(job.pk, 0, job.good)
    job.refresh_from_db()
    transaction.on_commit(lambda: _dispatch(job.pk, actor.pk))
    return job


def job_cancel(*, actor: Any, job: ImportJob) -> None:
    """Ask a running import to stop; it rolls back at the next batch boundary."""
    if job.status != JobStatus.RUNNING:
        raise DomainError(_("Lần nhập này không còn đang chạy."), code="state")
    cache.set(_cancel_key(job.pk), True, PROGRESS_TTL)


def _dispatch(job_id: int, actor_id: int) -> None:
    from danvan.config.celery import app

    if getattr(settings, "DANVAN_IMPORTS_INLINE", False):
        job_run(job_id=job_id, actor_id=actor_id)
    elif app.conf.task_always_eager:
        # The embedded tier has no worker: a thread lets the request return and the page poll.
        threading.Thread(target=_run_in_thread, args=(job_id, actor_id), daemon=True,
                         name=f"import-{job_id}").start()
    else:
        from .tasks import run_import

        run_import.delay(job_id, actor_id)


def _run_in_thread(job_id: int, actor_id: int) -> None:
    try:
        job_run(job_id=job_id, actor_id=actor_id)
    finally:
        connections.close_all()


def job_run(*, job_id: int, actor_id: int) -> ImportJob:
    """Write every good row in one transaction; roll all back on cancel or failure."""
    from django.contrib.auth import get_user_model

    job = ImportJob.objects.get(pk=job_id)
    actor = get_user_model().objects.get(pk=actor_id)
    importer = importer_for(job.kind)
    # Checked again: the reference data (fields, units, scope) may have changed since the upload.
    report = validate_table(importer, actor, job_table(job).rows, job.mapping)
    total = len(report.good)
    _set_progress(job.pk, 0, total)
    status, written, message = JobStatus.DONE, 0, ""
    current_row = 0  # the sheet row being written, for the message if it fails
    try:
        with transaction.atomic():
            for index, (row_number, clean) in enumerate(report.good):
                current_row = row_number
                if index % BATCH == 0:
                    if cache.get(_cancel_key(job.pk)):
                        raise Cancelled
                    _set_progress(job.pk, index, total)
                importer.write_row(actor, clean)
            if cache.get(_cancel_key(job.pk)):
                raise Cancelled
            audit_record(actor=actor, action="imports.run", obj=job, after={"written": total, "kind": job.kind})
        written = total
    except Cancelled:
        status, message = JobStatus.CANCELLED, _("Đã hủy theo yêu cầu; không dòng nào được ghi.")
    except DomainError as exc:
        status = JobStatus.FAILED
        message = _("Dòng %(row)d: %(reason)s Không dòng nào được ghi.") % {"row": current_row, "reason": exc.message}
    except Exception:
        logger.exception("import %s failed", job.pk)
        status = JobStatus.FAILED
        message = _("Lỗi hệ thống ở dòng %(row)d; không dòng nào được ghi.") % {"row": current_row}
    job.status, job.written, job.message = status, written, message
    _store_report(job, report)
    job.save()
    _set_progress(job.pk, written if status == JobStatus.DONE else 0, total)
    return job
