"""Where one submission's time goes, one request at a time (no concurrency), on SQLite.

    .venv/bin/python -m bench.submit_floor [--rounds 20] [--per-round 50]

The issue-3 throughput budget asks a submission to reach 60 % of the throughput of a bare
Django endpoint that inserts one row, that is to cost at most 1/0.6 ≈ 1.67 times as much.
Under 16 clients both run on the same two cores, so the ratio of their costs per request is
the ceiling of the throughput ratio. This bench splits a submission into its layers, each
timed against the bare insert in the same rounds (interleaved, so a noisy machine affects all
alike), through Django's test client (every middleware, no HTTP):

- ``bare``: the bare endpoint of ``bench/casework_urls.py`` (JSON parse + one ``Outbox`` row);
- ``insert``: ``Outbox.objects.create`` alone (the baseline's database part);
- ``writes``: ``cases.services._case_create`` alone on a case filled beforehand: the writes a
  submission cannot do without (case row, timeline event, audit-chain link, idempotency key)
  in one transaction;
- ``service``: ``cases.services.case_submit`` (validation, routing, deadlines, search text,
  writes, notification receiver);
- ``api``: ``POST /api/v1/cases/`` (plus Django Ninja's parsing, rate limits, the response).

Builds its own database in a temporary folder (migrate + the official units, ~10 s).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench.stats import summary


def _setup() -> None:
    folder = Path(tempfile.mkdtemp(prefix="danvan-floor-"))
    os.environ["DANVAN_SQLITE_PATH"] = str(folder / "floor.sqlite3")
    os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "danvan.config.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    call_command("units", "import", stdout=open(os.devnull, "w"))  # noqa: SIM115


def run(rounds: int, per_round: int) -> dict[str, dict[str, float]]:
    _setup()
    from django.conf import settings
    from django.test import Client
    from django.utils import timezone

    from bench.casework import _payloads
    from danvan.cases import deadlines, services
    from danvan.cases.api import _field, _unit
    from danvan.cases.codes import new_code
    from danvan.cases.models import Case
    from danvan.core.search import searchable
    from danvan.notifications.models import Outbox, OutboxStatus

    settings.ROOT_URLCONF = "bench.casework_urls"
    settings.DANVAN_PUBLIC_SUBMIT_PER_IP = 10**9
    settings.ALLOWED_HOSTS = ["*"]
    client = Client()
    payloads = iter(_payloads(rounds * per_round * 5 + 200, seed=21))

    def bare() -> None:
        body = json.dumps(next(payloads), ensure_ascii=False)
        assert client.post("/bench/insert", data=body, content_type="application/json").status_code == 201

    def insert() -> None:
        p = next(payloads)
        Outbox.objects.create(channel="email", recipient="bench@danvan.example", subject=p["title"][:200],
                              body=p["description"], dedupe_key=f"bench:{uuid.uuid4().hex}",
                              status=OutboxStatus.SENT)

    def _submit_kwargs(p: dict[str, Any]) -> dict[str, Any]:
        return {"kind": p["kind"], "channel": "api", "unit": _unit(p["unit"]), "field": _field(p["field"]),
                "title": p["title"], "description": p["description"], "address": p["address"]}

    def writes_timed() -> float:
        # The case is filled by the real service code path up to the transaction, outside the timer.
        p = next(payloads)
        case = Case(kind=p["kind"], channel="api", unit=_unit(p["unit"]), field=_field(p["field"]),
                    title=p["title"], description=p["description"], address=p["address"], public=True)
        case.unit_path = case.unit.path
        case.organisation = services.default_organisation(case.unit)
        case.received_at = timezone.now()
        case.code = new_code(case.received_at.year)
        case.clock_started_on = deadlines.local_date(case.received_at)
        case.due_on = deadlines.case_due_on(case)
        case.search_text = searchable(case.code, case.title, case.description, case.address)
        started = time.perf_counter()
        services._case_create(case=case, identity=None, key=uuid.uuid4().hex, fingerprint="f" * 64, actor=None)
        return (time.perf_counter() - started) * 1000

    def service() -> None:
        services.case_submit(**_submit_kwargs(next(payloads)), idempotency_key=uuid.uuid4().hex)

    def api() -> None:
        body = json.dumps(next(payloads), ensure_ascii=False)
        response = client.post("/api/v1/cases/", data=body, content_type="application/json",
                               HTTP_IDEMPOTENCY_KEY=uuid.uuid4().hex)
        assert response.status_code == 201, response.content

    def timed(fn: Callable[[], None]) -> Callable[[], float]:
        def run_once() -> float:
            started = time.perf_counter()
            fn()
            return (time.perf_counter() - started) * 1000
        return run_once

    ops: dict[str, Callable[[], float]] = {"bare": timed(bare), "insert": timed(insert), "writes": writes_timed,
                                           "service": timed(service), "api": timed(api)}
    samples: dict[str, list[float]] = {name: [] for name in ops}
    for fn in ops.values():  # warm-up: imports, caches, prepared statements
        for _ in range(20):
            fn()
    for _ in range(rounds):
        for name, fn in ops.items():
            samples[name].extend(fn() for _ in range(per_round))
    return {name: summary(xs) for name, xs in samples.items()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.submit_floor")
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--per-round", type=int, default=50)
    args = parser.parse_args(argv)
    result = run(args.rounds, args.per_round)
    base = result["bare"]["p50"]
    print(f"{'lớp':10s} {'p50 ms':>8s} {'p95 ms':>8s} {'×bare p50':>10s}")
    for name, s in result.items():
        print(f"{name:10s} {s['p50']:8.3f} {s['p95']:8.3f} {s['p50'] / base:10.2f}")
    ceiling = base / result["api"]["p50"]
    print(f"Trần tỉ lệ thông lượng (bare/api, p50): {ceiling:.0%}; "
          f"chỉ riêng phần ghi (bare/(bare - insert + writes)): "
          f"{base / (base - result['insert']['p50'] + result['writes']['p50']):.0%}")
    print(f"load {os.getloadavg()[0]:.1f}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
