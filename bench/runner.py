"""``python -m bench``: build a national-scale database per engine, time, compare, judge.

Run from the checkout root with the project's virtualenv::

    .venv/bin/python -m bench                 # SQLite, and PostgreSQL if it answers
    .venv/bin/python -m bench --db sqlite --quick
    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/danvan_bench .venv/bin/python -m bench --db postgres

Exit status: 0 when every budget holds, 1 when one fails, 2 when a database is unusable.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
DEFAULT_POSTGRES_URL = "postgres://postgres@127.0.0.1:5432/danvan_bench"


def machine() -> dict[str, Any]:
    """What the figures were measured on."""
    info: dict[str, Any] = {"platform": platform.platform(), "python": platform.python_version(),
                            "cpus": os.cpu_count()}
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                info["cpu"] = line.split(":", 1)[1].strip()
                break
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                info["memory_gib"] = round(int(line.split()[1]) / 1024 / 1024, 1)
                break
    except OSError:
        pass
    return info


def _postgres_admin(url: str) -> Any:
    """A connection to the server's maintenance database, for CREATE/DROP DATABASE."""
    import psycopg

    parts = urlparse(url)
    return psycopg.connect(host=parts.hostname or "127.0.0.1", port=parts.port or 5432,
                           user=parts.username or "postgres", password=parts.password or None,
                           dbname="postgres", autocommit=True, connect_timeout=5)


def prepare_postgres(url: str, *, reuse: bool) -> str | None:
    """Create (or re-create) the bench database; a reason string if PostgreSQL is unusable."""
    name = urlparse(url).path.lstrip("/")
    if not name:
        return "DATABASE_URL thiếu tên cơ sở dữ liệu"
    try:
        with _postgres_admin(url) as conn:
            exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
            if exists and not reuse:
                conn.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
                exists = None
            if not exists:
                conn.execute(f'CREATE DATABASE "{name}"')
    except Exception as exc:
        return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return None


def prepare_sqlite(path: Path, *, reuse: bool) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if not reuse:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)


def run_worker(db: str, phase: str, env: dict[str, str], *extra: str) -> dict[str, Any]:
    """Run one phase (build, measure) of ``bench.worker`` in a fresh process; its JSON."""
    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as handle:
        out = Path(handle.name)
    try:
        cmd = [sys.executable, "-m", "bench.worker", phase, "--out", str(out), *extra]
        completed = subprocess.run(cmd, cwd=ROOT, env=env, check=False)
        if completed.returncode != 0:
            raise RuntimeError(f"bench.worker {phase} ({db}) kết thúc với mã {completed.returncode}")
        result: dict[str, Any] = json.loads(out.read_text())
        return result
    finally:
        out.unlink(missing_ok=True)


def _ms(value: float) -> str:
    return f"{value:8.2f}"


def report(db: str, result: dict[str, Any]) -> None:
    data = result["database"]
    base = result["ops"][result["baseline"]]
    print()
    print(f"== {db}: {data['vendor']} {data['server_version']}, {data['units_total']} đơn vị, "
          f"{result['rounds']} vòng; nền = {base['label']} (p50 {base['p50']:.3f} ms)")
    load = result.get("load_after")
    cpus = os.cpu_count() or 1
    if load and load[0] > cpus * 0.75:
        print(f"!! Máy đang bận (tải trung bình 1 phút {load[0]:.1f} trên {cpus} lõi): số ms phóng đại, "
              "xem cột ×nền")
    print(f"{'thao tác':58s} {'p50 ms':>8s} {'p95 ms':>8s} {'p99 ms':>8s} {'×nền p50':>9s}")
    for name, op in result["ops"].items():
        label = op["label"] if len(op["label"]) <= 58 else op["label"][:57] + "…"
        print(f"{label:58s} {_ms(op['p50'])} {_ms(op['p95'])} {_ms(op['p99'])} {op['ratio_p50']:9.1f}"
              f"{'' if name != result['baseline'] else '  (nền)'}")
    print("Ngân sách:")
    for b in result["budgets"]:
        verdict = "PASS" if b["pass"] else "FAIL"
        if "display" in b:  # a ratio budget (throughput), not milliseconds
            print(f"  {verdict}  {b['label']}: {b['display']}")
            continue
        print(f"  {verdict}  {b['label']}: {b['metric']} = {b['value_ms']:.2f} ms "
              f"(×{b['ratio']:.1f} nền; chậm nhất: {b['worst_op']} {b['worst_ms']:.2f} ms)")


def markdown(combined: dict[str, Any]) -> str:
    """The run as Markdown tables, ready to paste into docs/performance.md."""
    lines = []
    for db, result in combined["databases"].items():
        if "ops" not in result:
            continue
        data = result["database"]
        load = result.get("load_after") or [0.0]
        lines += [f"**{db}** ({data['vendor']} {data['server_version']}, {data['units_total']:,} units, "
                  f"{result['rounds']} rounds, load {load[0]:.1f}):", "",
                  "| operation | p50 ms | p95 ms | p99 ms | × baseline (p50) |", "|---|---:|---:|---:|---:|"]
        for op in result["ops"].values():
            lines.append(f"| {op['label']} | {op['p50']:.2f} | {op['p95']:.2f} | {op['p99']:.2f} | "
                         f"{op['ratio_p50']:.1f} |")
        lines += ["", "| budget | measured | verdict |", "|---|---:|---|"]
        for b in result["budgets"]:
            measured = b.get("display") or f"{b['value_ms']:.2f} ms"
            lines.append(f"| {b['label']} | {measured} | {'PASS' if b['pass'] else 'FAIL'} |")
        lines.append("")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench",
                                     description="Đo hiệu năng danvan ở quy mô cả nước.")
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both",
                        help="both: SQLite, và PostgreSQL nếu kết nối được (mặc định)")
    parser.add_argument("--quick", action="store_true", help="ít vòng đo hơn (30 thay vì 150)")
    parser.add_argument("--rounds", type=int, default=None, help="số vòng đo mỗi thao tác")
    parser.add_argument("--reuse", action="store_true", help="dùng lại cơ sở dữ liệu đã dựng lần trước")
    parser.add_argument("--explain", action="store_true", help="in câu SQL và kế hoạch thực thi")
    parser.add_argument("--postgres-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_POSTGRES_URL))
    args = parser.parse_args(argv)
    rounds = args.rounds or (30 if args.quick else 150)
    warmup = 2 if args.quick else 5

    RESULTS.mkdir(parents=True, exist_ok=True)
    base_env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DANVAN_SQLITE_PATH"}}
    paths = [str(ROOT), *filter(None, [os.environ.get("PYTHONPATH")])]
    base_env.update({"DJANGO_SETTINGS_MODULE": "danvan.config.settings", "DANVAN_DEBUG": "0",
                     "DANVAN_DATA_DIR": str(RESULTS / "var"),
                     # The worker imports bench.* from this checkout; keep any path the caller set.
                     "PYTHONPATH": os.pathsep.join(paths)})
    started = dt.datetime.now(tz=dt.UTC)
    combined: dict[str, Any] = {"started": started.isoformat(timespec="seconds"), "machine": machine(),
                                "rounds": rounds, "databases": {}}
    status = 0
    for db in (["sqlite", "postgres"] if args.db == "both" else [args.db]):
        env = dict(base_env)
        if db == "sqlite":
            path = RESULTS / "bench.sqlite3"
            prepare_sqlite(path, reuse=args.reuse)
            env["DANVAN_SQLITE_PATH"] = str(path)
        else:
            problem = prepare_postgres(args.postgres_url, reuse=args.reuse)
            if problem:
                print(f"PostgreSQL ({args.postgres_url}) không dùng được: {problem}")
                if args.db == "postgres":
                    return 2
                combined["databases"]["postgres"] = {"skipped": problem}
                continue
            env["DATABASE_URL"] = args.postgres_url
        print(f"\n### {db}")
        try:
            result = run_worker(db, "build", env)
            result.update(run_worker(db, "measure", env, "--rounds", str(rounds), "--warmup", str(warmup)))
        except RuntimeError as exc:
            print(exc)
            return 2
        combined["databases"][db] = result
        report(db, result)
        # Issue 3 (cases): submission under 16 clients on SQLite; 1,000,000 cases on PostgreSQL.
        try:
            if db == "sqlite":
                cases = run_worker(db, "cases-submit", env, "--rounds", str(rounds))
            else:
                built = run_worker(db, "cases-build", env)
                cases = run_worker(db, "cases-measure", env, "--rounds", str(rounds), "--warmup", str(warmup))
                cases.update(built)
        except RuntimeError as exc:
            print(exc)
            return 2
        combined["databases"][f"{db}-cases"] = cases
        report(f"{db} – vụ việc (issue 3)", cases)
        if args.explain:
            for name, plan in cases["plans"].items():
                print(f"\n-- {name}\n{plan['sql']}\n{plan['plan']}")
        if not all(b["pass"] for b in cases["budgets"]):
            status = 1
        if args.explain:
            for name, plan in result["plans"].items():
                print(f"\n-- {name}\n{plan['sql']}\n{plan['plan']}")
        if not all(b["pass"] for b in result["budgets"]):
            status = 1

    stamp = started.strftime("%Y%m%dT%H%M%SZ")
    target = RESULTS / f"bench-{stamp}.json"
    text = json.dumps(combined, ensure_ascii=False, indent=2)
    target.write_text(text)
    (RESULTS / "latest.json").write_text(text)
    (RESULTS / "latest.md").write_text(markdown(combined))
    print(f"\nKết quả: {target.relative_to(ROOT)}")
    print("Tất cả ngân sách đều đạt." if status == 0 else "Có ngân sách không đạt (xem FAIL ở trên).")
    return status
