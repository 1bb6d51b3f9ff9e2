"""Pages of an import: upload → columns and check report → start → progress with Cancel → outcome.

Every step is a plain form; the progress page refreshes itself (meta refresh) and, with
JavaScript, htmx swaps only the bar every second.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from danvan.accounts.rules import is_official
from danvan.core.errors import DomainError, NotFoundOrForbidden
from danvan.core.pagination import paginate

from . import selectors, services
from .forms import MappingForm, UploadForm
from .models import ImportJob, JobStatus
from .validation import Report, report_csv, report_xlsx

PREVIEW_ROWS = 10


def _official(request: HttpRequest) -> None:
    if not is_official(request.user):
        raise PermissionDenied


def _job(request: HttpRequest, pk: int) -> ImportJob:
    _official(request)
    try:
        return selectors.job_get(actor=request.user, pk=pk)
    except NotFoundOrForbidden as exc:
        raise Http404(exc.message) from exc


@login_required
@require_http_methods(["GET", "POST"])
def index(request: HttpRequest) -> HttpResponse:
    _official(request)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            job = services.job_upload(actor=request.user, kind=form.cleaned_data["kind"], name=upload.name,
                                      stream=upload)
        except DomainError as exc:
            form.add_error("file", exc.message)
        else:
            return redirect("imports:job", pk=job.pk)
    jobs = selectors.jobs_of(actor=request.user)
    return render(request, "imports/index.html", {"form": form, "page": paginate(request, jobs, per_page=20)},
                  status=400 if form.errors else 200)


def _job_page(request: HttpRequest, job: ImportJob, mapping_form: MappingForm | None = None,
              status: int = 200) -> HttpResponse:
    importer = services.importer_for(job.kind)
    table = services.job_table(job)
    form = mapping_form or MappingForm(importer=importer, headers=job.headers, mapping=job.mapping)
    context: dict[str, Any] = {
        "job": job, "importer": importer, "form": form, "preview": table.rows[:PREVIEW_ROWS],
        "headers": job.headers, "errors": job.errors[:200], "more_errors": max(0, len(job.errors) - 200),
        "progress": services.progress(job.pk), "running": job.status == JobStatus.RUNNING,
    }
    return render(request, "imports/job.html", context, status=status)


@login_required
@require_GET
def job(request: HttpRequest, pk: int) -> HttpResponse:
    return _job_page(request, _job(request, pk))


@login_required
@require_POST
def remap(request: HttpRequest, pk: int) -> HttpResponse:
    job = _job(request, pk)
    importer = services.importer_for(job.kind)
    form = MappingForm(request.POST, importer=importer, headers=job.headers, mapping=job.mapping)
    if form.is_valid():
        try:
            services.job_remap(actor=request.user, job=job, mapping=form.mapping())
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Đã kiểm tra lại toàn bộ các dòng theo cách chọn cột mới."))
            return redirect("imports:job", pk=job.pk)
    return _job_page(request, job, form, status=400)


@login_required
@require_POST
def start(request: HttpRequest, pk: int) -> HttpResponse:
    job = _job(request, pk)
    try:
        services.job_start(actor=request.user, job=job)
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("imports:job", pk=job.pk)


@login_required
@require_POST
def cancel(request: HttpRequest, pk: int) -> HttpResponse:
    job = _job(request, pk)
    try:
        services.job_cancel(actor=request.user, job=job)
        messages.info(request, _("Đang hủy: mọi dòng đã ghi tạm sẽ được hoàn tác."))
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("imports:job", pk=job.pk)


@login_required
@require_GET
def progress(request: HttpRequest, pk: int) -> HttpResponse:
    """The bar alone, for htmx; when the run has ended, tell htmx to reload the whole page."""
    job = _job(request, pk)
    response = render(request, "imports/_progress.html", {"job": job, "progress": services.progress(job.pk),
                                                           "running": job.status == JobStatus.RUNNING})
    if job.status != JobStatus.RUNNING:
        response["HX-Refresh"] = "true"
    return response


@login_required
@require_GET
def report(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    job = _job(request, pk)
    full = Report(total=job.total, errors=[tuple(e) for e in job.errors])  # type: ignore[misc]
    if fmt == "xlsx":
        response = HttpResponse(report_xlsx(full),
                                content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    else:
        response = HttpResponse(report_csv(full), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="dong-loi-{job.pk}.{fmt}"'
    return response
