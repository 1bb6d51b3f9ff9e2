"""``python -m bench.practices``: the officials' "Dân vận khéo" statistics page at national scale (issue 5).

Builds 400,000 models over all communes of the current unit tree (5,000 of them in one province,
Hà Nội), then times the real statistics page (``/lam-viec/dan-van-kheo/thong-ke/`` through Django's
test client, logged in) for a province official and for a national official, and the selector it
calls (``practice_stats``) on its own. Budgets (issue 5): province p95 ≤ 100 ms, national p95
≤ 500 ms on PostgreSQL. Baseline, measured in the same run: one indexed row read with raw SQL.

    .venv/bin/python -m bench.practices                   # SQLite file kept in /tmp/danvan-pbench
    .venv/bin/python -m bench.practices --db postgres     # BENCH_DATABASE_URL or a local default
    .venv/bin/python -m bench.practices --quick           # fewer rounds

The data set is built once and reused by later runs (``--rebuild`` starts again).
Exit status 0 when every budget holds, 1 otherwise.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PROVINCE_CODE = "01"  # Hà Nội: the province official's scope
PROVINCE_MODELS = 5_000
NATIONAL_MODELS = 400_000
PROVINCE_P95_BUDGET_MS = 100.0
NATIONAL_P95_BUDGET_MS = 500.0
DEFAULT_POSTGRES_URL = "postgres://postgres@127.0.0.1:5432/danvan_pbench"
SQLITE_PATH = Path("/tmp/danvan-pbench/practices.sqlite3")


def _setup_django(db: str, *, rebuild: bool) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "danvan.config.settings")
    os.environ["DANVAN_DEBUG"] = "0"
    from bench.runner import prepare_postgres, prepare_sqlite

    if db == "postgres":
        url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_POSTGRES_URL)
        problem = prepare_postgres(url, reuse=not rebuild)
        if problem:
            raise SystemExit(f"PostgreSQL không dùng được: {problem}")
        os.environ["DATABASE_URL"] = url
    else:
        os.environ.pop("DATABASE_URL", None)
        prepare_sqlite(SQLITE_PATH, reuse=not rebuild)
        os.environ["DANVAN_SQLITE_PATH"] = str(SQLITE_PATH)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def _build() -> dict[str, Any]:
    """Units, officials and 400,000 models; a no-op (but for the officials) when already built."""
    import io

    from django.core.management import call_command
    from django.db import connection, transaction

    from danvan.core.search import searchable
    from danvan.practices.models import Kind, Level, Practice, PracticeField, State
    from danvan.units.models import Era, Unit
    from danvan.units.models import Level as UnitLevel

    out: dict[str, Any] = {"built": False}
    if not Unit.objects.filter(era=Era.CURRENT, level=UnitLevel.COMMUNE).exists():
        start = time.perf_counter()
        call_command("units", "import", stdout=io.StringIO())
        out["units_s"] = time.perf_counter() - start
    have = Practice.objects.count()
    if have >= NATIONAL_MODELS:
        out["models"] = have
        return out
    Practice.objects.all().delete()
    start = time.perf_counter()
    communes = list(Unit.objects.filter(era=Era.CURRENT, level=UnitLevel.COMMUNE)
                    .values_list("pk", "path", "parent_id", "parent__code"))
    province = Unit.objects.get(era=Era.CURRENT, level=UnitLevel.PROVINCE, code=PROVINCE_CODE)
    fields = list(PracticeField.objects.values_list("pk", flat=True))
    inside = [c for c in communes if c[3] == PROVINCE_CODE]
    outside = [c for c in communes if c[3] != PROVINCE_CODE]
    rng = random.Random(5)
    # Communes differ a lot in how active they are: a log-normal weight per commune.
    weights = [rng.lognormvariate(0, 0.8) for _ in outside]
    field_weights = [rng.uniform(0.5, 3) for _ in fields]
    years = list(range(2017, 2027))
    year_weights = [1 + i * 0.3 for i in range(len(years))]  # the movement grows every year

    def row(commune: tuple[int, str, int, str], n: int) -> Practice:
        year = rng.choices(years, year_weights)[0]
        draw = rng.random()
        status = (State.CERTIFIED if draw < 0.55 else State.REGISTERED if draw < 0.7 else
                  State.APPRAISING if draw < 0.8 else State.NOT_RECOGNISED if draw < 0.9 else State.DROPPED)
        certified = status in (State.CERTIFIED, State.DROPPED)
        level = (Level.PROVINCE if rng.random() < 0.2 else Level.COMMUNE) if certified else ""
        name = f"Mô hình dân vận khéo số {n}"
        return Practice(name=name, kind=Kind.COLLECTIVE if rng.random() < 0.8 else Kind.INDIVIDUAL,
                        field_id=rng.choices(fields, field_weights)[0], unit_id=commune[0], unit_path=commune[1],
                        province_id=commune[2], year=year, status=status, certified_level=level,
                        certified_on=dt.date(year, 11, 20) if certified else None,
                        participants=rng.randint(10, 800), search_text=" " + searchable(name))

    total = 0
    batch: list[Practice] = []
    plan = [(PROVINCE_MODELS, inside, None), (NATIONAL_MODELS - PROVINCE_MODELS, outside, weights)]
    for count, pool, w in plan:
        picks = rng.choices(pool, w, k=count) if w else [pool[i % len(pool)] for i in range(count)]
        for commune in picks:
            total += 1
            batch.append(row(commune, total))
            if len(batch) >= 5000:
                with transaction.atomic():
                    Practice.objects.bulk_create(batch, batch_size=5000)
                batch = []
    if batch:
        Practice.objects.bulk_create(batch, batch_size=5000)
    out["insert_s"] = time.perf_counter() - start
    start = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    out["analyze_s"] = time.perf_counter() - start
    out.update(built=True, models=Practice.objects.count(),
               in_province=Practice.objects.filter(unit_path__startswith=province.path).count())
    return out


def _officials() -> tuple[Any, Any, Any]:
    from danvan.accounts.models import Role, RoleAssignment, User
    from danvan.units.models import Era, Unit
    from danvan.units.models import Level as UnitLevel

    province = Unit.objects.get(era=Era.CURRENT, level=UnitLevel.PROVINCE, code=PROVINCE_CODE)
    nation = Unit.objects.get(era=Era.CURRENT, level=UnitLevel.NATION)
    users = []
    for username, unit in (("bench_tinh", province), ("bench_quocgia", nation)):
        user, created = User.objects.get_or_create(username=username, defaults={"is_official": True})
        if created:
            user.set_unusable_password()
            user.save()
            RoleAssignment.objects.create(user=user, role=Role.SUPERVISOR, unit=unit)
        users.append(user)
    return users[0], users[1], province


def _p(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, int(len(ordered) * q) - 1)]


def measure(rounds: int) -> dict[str, Any]:
    from django.db import connection
    from django.test import Client

    from danvan.practices.selectors import practice_stats

    province_user, national_user, province = _officials()
    url = "/lam-viec/dan-van-kheo/thong-ke/"
    results: dict[str, Any] = {}
    for label, user, unit in (("province", province_user, province), ("national", national_user, None)):
        client = Client()
        client.force_login(user)
        # No setup_test_environment(): its instrumented template rendering would be timed too.
        for _ in range(2):  # warm-up; the page must answer 200
            response = client.get(url)
            assert response.status_code == 200, response.status_code
        page, selector = [], []
        for _ in range(rounds):
            start = time.perf_counter()
            client.get(url)
            page.append((time.perf_counter() - start) * 1000)
            start = time.perf_counter()
            practice_stats(actor=user, unit=unit)
            selector.append((time.perf_counter() - start) * 1000)
        results[label] = {"p50": statistics.median(page), "p95": _p(page, 0.95),
                          "sel_p50": statistics.median(selector), "sel_p95": _p(selector, 0.95)}
    baseline = []
    for _ in range(rounds * 4):
        start = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute("SELECT id, name, status FROM practices_practice WHERE id = %s", [rounds])
            cursor.fetchall()
        baseline.append((time.perf_counter() - start) * 1000)
    results["baseline_p95"] = _p(baseline, 0.95)
    results["load"] = os.getloadavg()[0]
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--db", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--quick", action="store_true", help="20 rounds instead of 60")
    parser.add_argument("--rebuild", action="store_true", help="drop the kept data set and build it again")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT / "src"))
    _setup_django(args.db, rebuild=args.rebuild)
    built = _build()
    if built["built"]:
        print(f"Built {built['models']} models ({built['in_province']} in province {PROVINCE_CODE}) in "
              f"{built['insert_s']:.0f} s, ANALYZE {built['analyze_s']:.1f} s")
    else:
        print(f"Reusing {built['models']} models")
    r = measure(20 if args.quick else 60)
    base = r["baseline_p95"]
    ok = True
    for label, budget in (("province", PROVINCE_P95_BUDGET_MS), ("national", NATIONAL_P95_BUDGET_MS)):
        m = r[label]
        verdict = "PASS" if m["p95"] <= budget else "FAIL"
        ok &= m["p95"] <= budget
        print(f"{args.db} {label} statistics page: p50 {m['p50']:.1f} ms, p95 {m['p95']:.1f} ms "
              f"(budget {budget:.0f} ms, {verdict}); practice_stats p50 {m['sel_p50']:.1f} ms, "
              f"p95 {m['sel_p95']:.1f} ms; ratio to baseline {m['p95'] / base:.0f}×")
    print(f"baseline (one row by id, raw SQL) p95 {base:.3f} ms; load average {r['load']:.1f}")
    print("OK" if ok else "BUDGET EXCEEDED")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
