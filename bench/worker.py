"""One benchmark run against one database; started by ``bench.runner`` in its own process.

The environment (DJANGO_SETTINGS_MODULE, DATABASE_URL or DANVAN_SQLITE_PATH) is set by the
runner before this process starts, so ``django.setup()`` sees the right database.
"""

from __future__ import annotations

import argparse
import gc
import io
import json
import os
import random
import sys
import time
from pathlib import Path
from typing import Any


def log(message: str) -> None:
    print(message, flush=True)


def build(*, skip_demo: bool) -> dict[str, float]:
    """Migrate, import the official units, generate the national villages; seconds per step."""
    from django.core.management import call_command

    from danvan.units.models import Era, Level, Unit

    seconds: dict[str, float] = {}
    started = time.perf_counter()
    call_command("migrate", interactive=False, verbosity=0)
    seconds["migrate"] = time.perf_counter() - started
    log(f"  migrate: {seconds['migrate']:.1f} s")

    current = Unit.objects.filter(era=Era.CURRENT)
    if current.filter(level=Level.COMMUNE).count() < 3321:
        started = time.perf_counter()
        call_command("units", "import", stdout=io.StringIO())
        seconds["units_import"] = time.perf_counter() - started
        log(f"  danvan units import: {seconds['units_import']:.1f} s")
    if not skip_demo:
        started = time.perf_counter()
        call_command("demo_data", province="all", scale="large", seed=1, stdout=io.StringIO())
        seconds["demo_data_large"] = time.perf_counter() - started
        log(f"  danvan demo-data --province all --scale large: {seconds['demo_data_large']:.1f} s")
    return seconds


def refresh_statistics() -> None:
    """PostgreSQL: VACUUM ANALYZE, the state autovacuum reaches soon after a bulk load.

    SQLite needs nothing here: `danvan demo-data` runs ANALYZE itself after a bulk load.
    """
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")


def dataset() -> dict[str, Any]:
    from django.db import connection
    from django.db.models import Count

    from danvan.units.models import Household, Unit

    by_level = {f"{row['era']}:{row['level']}": row["n"] for row in
                Unit.objects.values("era", "level").annotate(n=Count("id")).order_by("era", "level")}
    info: dict[str, Any] = {"units_total": Unit.objects.count(), "units_by_era_level": by_level,
                            "households": Household.objects.count(), "vendor": connection.vendor}
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SHOW server_version")
            info["server_version"] = cursor.fetchone()[0]
            cursor.execute("SELECT pg_database_size(current_database())")
            info["database_bytes"] = cursor.fetchone()[0]
        else:
            cursor.execute("SELECT sqlite_version()")
            info["server_version"] = cursor.fetchone()[0]
            name = connection.settings_dict["NAME"]
            info["database_bytes"] = Path(name).stat().st_size if Path(str(name)).exists() else None
    return info


def explain(qs: Any) -> dict[str, str]:
    from django.db import connection

    sql = str(qs.query)
    try:
        # PostgreSQL runs the query and reports real times; SQLite only shows its plan.
        plan = qs.explain(analyze=True, buffers=True) if connection.vendor == "postgresql" else qs.explain()
    except Exception as exc:  # a plan is a diagnostic: never fail the run for it
        plan = f"(EXPLAIN failed: {exc})"
    return {"sql": sql, "plan": plan}


def measure(ops: list[Any], *, rounds: int, warmup: int) -> dict[str, list[float]]:
    """Interleave the operations round by round, in a shuffled order each round, so drift
    (other load, CPU frequency, being preempted after a long operation) spreads evenly over
    all of them, including the baseline."""
    samples: dict[str, list[float]] = {op.name: [] for op in ops}
    for _ in range(warmup):
        for op in ops:
            op.run()
    gc.collect()
    clock = time.perf_counter_ns
    order = random.Random(1)  # the same order in every run
    for r in range(rounds):
        for op in order.sample(ops, len(ops)):
            started = clock()
            op.run()
            samples[op.name].append((clock() - started) / 1e6)
        if (r + 1) % max(1, rounds // 5) == 0:
            log(f"  vòng {r + 1}/{rounds}")
    return samples


def build_phase(args: argparse.Namespace) -> dict[str, Any]:
    from danvan.units.models import Era, Level, Unit

    log("Dựng cơ sở dữ liệu:")
    setup_seconds = build(skip_demo=args.skip_demo)
    refresh_statistics()
    data = dataset()
    villages = Unit.objects.filter(era=Era.CURRENT, level=Level.VILLAGE).count()
    log(f"  {data['units_total']} đơn vị, trong đó {villages} thôn, tổ dân phố ({data['vendor']} "
        f"{data['server_version']})")
    return {"database": data, "setup_seconds": setup_seconds}


def measure_phase(args: argparse.Namespace) -> dict[str, Any]:
    from bench.cases import BASELINE, BUDGETS, build_ops
    from bench.stats import summary

    ops = build_ops()
    plans = {op.name: explain(op.queryset()) for op in ops if op.queryset is not None}
    log(f"Đo {len(ops)} thao tác × {args.rounds} vòng:")
    load_before = os.getloadavg()
    measure_started = time.perf_counter()
    samples = measure(ops, rounds=args.rounds, warmup=args.warmup)
    load_after = os.getloadavg()

    baseline = summary(samples[BASELINE])
    results: dict[str, Any] = {}
    for op in ops:
        s = summary(samples[op.name])
        s["ratio_p50"] = s["p50"] / baseline["p50"]
        s["ratio_p95"] = s["p95"] / baseline["p95"]
        results[op.name] = {"label": op.label, "group": op.group, **s}
    budgets = []
    for budget in BUDGETS:
        pooled = [x for name in budget.ops for x in samples[name]]
        s = summary(pooled)
        value = s[budget.metric]
        worst = max(budget.ops, key=lambda name: results[name][budget.metric])
        budgets.append({"name": budget.name, "label": budget.label, "limit_ms": budget.limit_ms,
                        "metric": budget.metric, "value_ms": value, "ratio": value / baseline[budget.metric],
                        "pass": value <= budget.limit_ms, "worst_op": worst,
                        "worst_ms": results[worst][budget.metric],
                        **{k: s[k] for k in ("p50", "p95", "p99", "n")}})
    return {
        "rounds": args.rounds,
        "baseline": BASELINE,
        "ops": results,
        "budgets": budgets,
        "plans": plans,
        "python": sys.version.split()[0],
        # Load average (1, 5, 15 min) around the measurement: other work on the machine
        # inflates absolute times; the ratios to the baseline move much less.
        "load_before": load_before,
        "load_after": load_after,
        "measure_seconds": time.perf_counter() - measure_started,
    }


def cases_phase(args: argparse.Namespace) -> dict[str, Any]:
    """The issue-3 budgets (bench.casework): submission on SQLite, 1M-case inbox on PostgreSQL."""
    from bench import casework

    if args.phase == "cases-submit":
        return casework.submit_phase(rounds=max(3, args.rounds // 6))
    if args.phase == "cases-build":
        started = time.perf_counter()
        seconds = casework.cases_build()
        return {"cases_build_seconds": {**seconds, "total": time.perf_counter() - started}}
    return casework.inbox_phase(rounds=args.rounds, warmup=args.warmup)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.worker")
    parser.add_argument("phase", choices=["build", "measure", "cases-submit", "cases-build", "cases-measure"])
    parser.add_argument("--out", required=True)
    parser.add_argument("--rounds", type=int, default=150)
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--skip-demo", action="store_true")
    args = parser.parse_args(argv)

    import django

    django.setup()
    # Building and measuring run in separate processes: the measuring one is as fresh as a
    # web worker, without the hundreds of thousands of objects an import leaves behind,
    # which make every full garbage collection (and so the p95) slower.
    out = build_phase(args) if args.phase == "build" else measure_phase(args) if args.phase == "measure" \
        else cases_phase(args)
    Path(args.out).write_text(json.dumps(out, ensure_ascii=False, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
