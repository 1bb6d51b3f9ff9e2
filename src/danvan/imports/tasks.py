from __future__ import annotations

from celery import shared_task


@shared_task(ignore_result=True)
def run_import(job_id: int, actor_id: int) -> None:
    from .services import job_run

    job_run(job_id=job_id, actor_id=actor_id)
