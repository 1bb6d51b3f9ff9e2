"""Importing a province's spreadsheet of models: good rows in, bad rows reported, never half-written."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.test import Client
from openpyxl import Workbook

from danvan.accounts.models import Role, User
from danvan.core.errors import DomainError
from danvan.imports import registry
from danvan.imports import services as s
from danvan.imports.models import ImportJob, JobStatus
from danvan.practices.models import Practice
from danvan.units.models import Era, Level, Unit
from tests.cases.conftest import official

pytestmark = pytest.mark.django_db

# Accent-less and differently worded headers: the auto-mapping must still find every column.
HEADERS = ["Ten mo hinh", "Ma xa", "Linh vuc", "Loai", "Ngay bat dau", "So nguoi tham gia"]
FIELDS = ["Kinh tế", "Văn hóa – xã hội", "quoc phong – an ninh", "Xây dựng hệ thống chính trị"]
FAULTS = ("name", "field", "scope", "date", "kind")


@pytest.fixture
def hanoi_communes(db: Any) -> list[Unit]:
    return list(Unit.objects.filter(era=Era.CURRENT, level=Level.COMMUNE, path__startswith="VN.01.")
                .order_by("code")[:40])


@pytest.fixture
def supervisor(hanoi: Unit) -> User:
    return official(Role.SUPERVISOR, hanoi, username="tgdv.hanoi")


def sheet(rows: int, bad_every: int, communes: list[Unit]) -> tuple[bytes, dict[int, str]]:
    """An XLSX of ``rows`` models; every ``bad_every``-th row has one of five faults (by sheet row)."""
    outside = Unit.objects.filter(era=Era.CURRENT, level=Level.COMMUNE, path__startswith="VN.79.").first()
    book = Workbook()
    ws = book.active
    ws.append(HEADERS)
    faults: dict[int, str] = {}
    for i in range(rows):
        commune = communes[i % len(communes)]
        row = [f"Mô hình dân vận khéo số {i}", commune.code, FIELDS[i % 4], "Tập thể" if i % 3 else "ca nhan",
               "15/03/2024", i % 50]
        if bad_every and i % bad_every == bad_every - 1:
            fault = FAULTS[(i // bad_every) % len(FAULTS)]
            faults[i + 2] = fault
            if fault == "name":
                row[0] = ""
            elif fault == "field":
                row[2] = "Thể thao"
            elif fault == "scope":
                row[1] = outside.code  # type: ignore[union-attr]
            elif fault == "date":
                row[4] = "32/13/2024"
            else:
                row[3] = "nhóm"
        ws.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue(), faults


def upload(actor: User, content: bytes, name: str = "mo-hinh.xlsx") -> ImportJob:
    return s.job_upload(actor=actor, kind="practices.models", name=name, stream=io.BytesIO(content))


def test_5000_rows_with_3_percent_bad(supervisor: User, hanoi_communes: list[Unit], settings: Any,
                                      tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path
    content, faults = sheet(5000, 33, hanoi_communes)  # 151 faulty rows ≈ 3%
    job = upload(supervisor, content)
    assert set(job.mapping) >= {"name", "commune", "field", "kind", "started_on", "participants"}
    assert (job.total, job.bad, job.good) == (5000, len(faults), 5000 - len(faults))
    reported = {row for row, _column, _reason in job.errors}
    assert reported == set(faults)
    reasons = {faults[row]: reason for row, _column, reason in job.errors}
    assert reasons["name"] == "Thiếu giá trị bắt buộc."
    assert "Thể thao" in reasons["field"] and "không tìm thấy" in reasons["scope"].lower()
    assert "32/13/2024" in reasons["date"] and "Tập thể" in reasons["kind"]

    job = s.job_run(job_id=job.pk, actor_id=supervisor.pk) if s.job_start(actor=supervisor, job=job) else job
    assert job.status == JobStatus.DONE and job.written == 5000 - len(faults)
    assert Practice.objects.count() == 5000 - len(faults)
    assert s.progress(job.pk) == {"done": job.written, "total": job.written}


def _run_with(monkeypatch: pytest.MonkeyPatch, job: ImportJob, actor: User, hook: Any) -> ImportJob:
    importer = registry.get("practices.models")
    original = importer.write_row
    calls = {"n": 0}

    def write(a: Any, clean: dict[str, Any]) -> object:
        calls["n"] += 1
        hook(calls["n"], job)
        return original(a, clean)

    monkeypatch.setitem(registry._REGISTRY, "practices.models",
                        registry.Importer(kind=importer.kind, label=importer.label, fields=importer.fields,
                                          validate_row=importer.validate_row, write_row=write))
    s.job_start(actor=actor, job=job)
    return s.job_run(job_id=job.pk, actor_id=actor.pk)


def test_cancel_after_the_first_batch_writes_nothing(supervisor: User, hanoi_communes: list[Unit],
                                                      monkeypatch: pytest.MonkeyPatch, settings: Any,
                                                      tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path
    job = upload(supervisor, sheet(450, 0, hanoi_communes)[0])

    def cancel_at(n: int, job: ImportJob) -> None:
        if n == s.BATCH + 10:  # the person presses Cancel while the second batch is written
            s.job_cancel(actor=supervisor, job=ImportJob.objects.get(pk=job.pk))

    job = _run_with(monkeypatch, job, supervisor, cancel_at)
    assert job.status == JobStatus.CANCELLED and job.written == 0
    assert Practice.objects.count() == 0
    assert "không dòng nào được ghi" in job.message


def test_a_failure_midway_writes_nothing(supervisor: User, hanoi_communes: list[Unit],
                                         monkeypatch: pytest.MonkeyPatch, settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path
    job = upload(supervisor, sheet(300, 0, hanoi_communes)[0])

    def fail_at(n: int, job: ImportJob) -> None:
        if n == 250:
            raise DomainError("Lỗi thử nghiệm.")

    job = _run_with(monkeypatch, job, supervisor, fail_at)
    assert job.status == JobStatus.FAILED and Practice.objects.count() == 0
    assert job.message.startswith("Dòng 251: Lỗi thử nghiệm.")


def test_the_pages_upload_remap_start_and_report(supervisor: User, hanoi_communes: list[Unit], settings: Any,
                                                 tmp_path: Any, django_capture_on_commit_callbacks: Any) -> None:
    settings.MEDIA_ROOT = tmp_path
    settings.DANVAN_IMPORTS_INLINE = True
    client = Client()
    client.force_login(supervisor)
    csv = ("\ufeffTên mô hình;Xã, phường, đặc khu;Lĩnh vực;Ghi chú\n"
           f"Tổ tự quản đường hoa;{hanoi_communes[0].name};Kinh tế;x\n"
           f"Bữa cơm nghĩa tình;{hanoi_communes[1].code};Không rõ;y\n").encode()
    response = client.post("/lam-viec/nhap-du-lieu/", {"kind": "practices.models",
                                                        "file": _file("mo-hinh.csv", csv)})
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "Tổ tự quản đường hoa" in page  # preview
    assert "Lĩnh vực “Không rõ” không có trong danh mục." in page
    job = ImportJob.objects.get()
    assert (job.good, job.bad) == (1, 1)
    # Map "Ghi chú" as the description: rows are checked again.
    response = client.post(f"/lam-viec/nhap-du-lieu/{job.pk}/cot/", {"name": "0", "commune": "1", "field": "2",
                                                                     "description": "3"})
    assert response.status_code == 302
    assert client.get(f"/lam-viec/nhap-du-lieu/{job.pk}/dong-loi.csv").content.decode("utf-8-sig").startswith(
        "Dòng,Cột,Lý do")
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(f"/lam-viec/nhap-du-lieu/{job.pk}/bat-dau/").status_code == 302
    job.refresh_from_db()
    assert job.status == JobStatus.DONE and Practice.objects.get().description == "x"
    progress = client.get(f"/lam-viec/nhap-du-lieu/{job.pk}/tien-do/")
    assert progress["HX-Refresh"] == "true"
    # Starting twice is refused with a message, not a second import.
    client.post(f"/lam-viec/nhap-du-lieu/{job.pk}/bat-dau/")
    assert Practice.objects.count() == 1


def test_someone_elses_import_is_not_found(supervisor: User, hanoi: Unit, hanoi_communes: list[Unit],
                                           settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path
    job = upload(supervisor, sheet(3, 0, hanoi_communes)[0])
    other = official(Role.SUPERVISOR, hanoi, username="nguoi.khac")
    client = Client()
    client.force_login(other)
    assert client.get(f"/lam-viec/nhap-du-lieu/{job.pk}/").status_code == 404
    assert client.post(f"/lam-viec/nhap-du-lieu/{job.pk}/bat-dau/").status_code == 404


def _file(name: str, content: bytes) -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content, content_type="text/csv")
