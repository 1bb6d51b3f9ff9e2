"""An import is seen only by whoever started it, and by an administrator."""

from __future__ import annotations

from typing import Any

import pytest

from danvan.accounts.models import Role
from danvan.core.errors import NotFoundOrForbidden
from danvan.imports import selectors
from danvan.imports.models import ImportJob
from danvan.units.models import Unit
from tests.cases.conftest import official


@pytest.fixture
def people(ba_dinh: Unit, db: Any) -> tuple[Any, Any]:
    return official(Role.LEADER, ba_dinh), official(Role.HANDLER, ba_dinh)


def _job(owner: Any, name: str) -> ImportJob:
    return ImportJob.objects.create(kind="practices", original_name=name, created_by=owner, headers=["Tên"])


def test_jobs_of_lists_only_the_persons_own_newest_first(people: tuple[Any, Any]) -> None:
    leader, handler = people
    older, newer = _job(leader, "mo-hinh-2025.xlsx"), _job(leader, "mo-hinh-2026.xlsx")
    _job(handler, "cua-nguoi-khac.csv")
    assert list(selectors.jobs_of(actor=leader)) == [newer, older]


def test_job_get_hides_another_persons_import(people: tuple[Any, Any], django_user_model: Any) -> None:
    leader, handler = people
    job = _job(leader, "mo-hinh.xlsx")
    assert selectors.job_get(actor=leader, pk=job.pk) == job
    with pytest.raises(NotFoundOrForbidden):
        selectors.job_get(actor=handler, pk=job.pk)
    with pytest.raises(NotFoundOrForbidden):
        selectors.job_get(actor=leader, pk=job.pk + 1000)
    admin = django_user_model.objects.create_superuser(username="quantri", password="mat-khau-dai-123")
    assert selectors.job_get(actor=admin, pk=job.pk) == job
