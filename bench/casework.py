"""Issue-3 budgets (feedback, petitions, complaints, denunciations), each against a baseline of
the same run. Imported only inside a worker, after ``django.setup()``.

- ``submit_phase`` (SQLite): a real HTTP server (waitress with the threads of ``danvan serve``) in this
  process, 16 client threads with keep-alive connections in a process of their own. They POST to the public JSON API
  (``POST /api/v1/cases/``: ``case_submit`` with deadlines, audit entry, timeline event,
  idempotency key) and, in alternating bursts, to a bare Django endpoint that parses the same
  JSON and inserts one row (``notifications.Outbox``, a simple model) through the same
  middleware. Budgets: submission p95 ≤ 50 ms and throughput ≥ 60 % of the bare endpoint's.
  The routing suggestion (``bench.routing.time_suggest``, baseline ``fold``) runs here too.
- ``cases_build`` (PostgreSQL): 1,000,000 cases in Hà Nội's communes by ``COPY``, spread
  over fields, kinds, states and two years like real traffic (a few busy urban wards get
  most, environment and land lead); idempotent, so ``--reuse`` only tops up.
- ``inbox_phase`` (PostgreSQL): the provincial leader's inbox exactly as the view builds it
  (``cases.selectors.case_list`` + ``core.pagination.CappedPaginator`` with
  ``case_search_page_ids``: COUNT of at most 1,001 rows and the first 25 rows) with a
  field and status filter, and the accent-insensitive search (``CaseFilters.q``), against
  reading one case by primary key.
"""

from __future__ import annotations

import datetime as dt
import functools
import http.client
import json
import logging
import random
import threading
import time
import uuid
from typing import Any

from django.conf import settings
from django.db import connection

from bench.stats import summary

SUBMIT_CLIENTS = 16
PROVINCE = "01"
PROVINCIAL_OFFICIAL = "hanoi.lanhdao"
TARGET_CASES = 1_000_000
PAGE_SIZE = 25


def log(message: str) -> None:
    print(message, flush=True)


# --- submission under 16 concurrent clients (SQLite) --------------------------------------

def _server() -> tuple[Any, int]:
    from waitress.server import create_server

    from danvan.config.wsgi import application
    from danvan.web.management.commands.serve import DEFAULT_THREADS

    server = create_server(application, host="127.0.0.1", port=0, threads=DEFAULT_THREADS, ident="danvan-bench",
                           clear_untrusted_proxy_headers=True)
    threading.Thread(target=server.run, daemon=True, name="bench-waitress").start()
    return server, int(server.effective_port)


def _payloads(n: int, seed: int) -> list[dict[str, Any]]:
    from bench.routing import synthetic_corpus
    from danvan.units.models import Era, Level, Unit

    communes = list(Unit.objects.filter(era=Era.CURRENT, level=Level.COMMUNE, parent__code=PROVINCE)
                    .values_list("code", flat=True))
    corpus = synthetic_corpus(n_per_field=40, seed=seed)
    rng = random.Random(seed)
    out = []
    for i in range(n):
        text, field = corpus[i % len(corpus)]
        out.append({"kind": "phan_anh", "field": field, "unit": rng.choice(communes), "title": text[:80],
                    "description": text, "address": "Tổ dân phố số 5"})
    return out


def _burst(port: int, path: str, payloads: list[dict[str, Any]], *, idempotent: bool) -> tuple[list[float], float]:
    """SUBMIT_CLIENTS threads share ``payloads``; latencies (ms) and the wall time (s).

    Runs in the client process (``_Clients``), never in the server's: client threads in the
    server process would compete with it for the interpreter lock and be timed as server work.
    """
    latencies: list[float] = []
    lock = threading.Lock()
    errors: list[str] = []
    shares = [payloads[i::SUBMIT_CLIENTS] for i in range(SUBMIT_CLIENTS)]
    barrier = threading.Barrier(SUBMIT_CLIENTS + 1)

    def client(share: list[dict[str, Any]]) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        mine: list[float] = []
        barrier.wait()
        for payload in share:
            body = json.dumps(payload, ensure_ascii=False).encode()
            headers = {"Content-Type": "application/json"}
            if idempotent:
                headers["Idempotency-Key"] = uuid.uuid4().hex
            started = time.perf_counter()
            conn.request("POST", path, body=body, headers=headers)
            response = conn.getresponse()
            response.read()
            mine.append((time.perf_counter() - started) * 1000)
            if response.status not in (200, 201):
                errors.append(f"{path}: HTTP {response.status}")
        conn.close()
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=client, args=(share,)) for share in shares]
    for t in threads:
        t.start()
    barrier.wait()
    started = time.perf_counter()
    for t in threads:
        t.join()
    wall = time.perf_counter() - started
    if errors:
        raise RuntimeError(f"{len(errors)} yêu cầu lỗi, ví dụ {errors[0]}")
    return latencies, wall


def _client_loop(conn: Any) -> None:
    while (job := conn.recv()) is not None:
        try:
            conn.send(("ok", _burst(*job[:3], idempotent=job[3])))
        except Exception as exc:  # reported to the server process, which stops the bench
            conn.send(("error", str(exc)))


class _Clients:
    """The 16 clients in a process of their own, forked before the server starts."""

    def __init__(self) -> None:
        import multiprocessing

        context = multiprocessing.get_context("fork")
        self._conn, child = context.Pipe()
        self._process = context.Process(target=_client_loop, args=(child,), daemon=True)
        self._process.start()

    def burst(self, port: int, path: str, payloads: list[dict[str, Any]], *,
              idempotent: bool) -> tuple[list[float], float]:
        self._conn.send((port, path, payloads, idempotent))
        status, result = self._conn.recv()
        if status != "ok":
            raise RuntimeError(result)
        return result  # type: ignore[no-any-return]

    def close(self) -> None:
        self._conn.send(None)
        self._process.join(timeout=10)


def submit_phase(*, rounds: int) -> dict[str, Any]:
    from danvan.units.models import Unit

    # Bench process only: the bare endpoint's URL, and no per-IP limit (every client is 127.0.0.1).
    settings.ROOT_URLCONF = "bench.casework_urls"
    settings.DANVAN_PUBLIC_SUBMIT_PER_IP = 10**9
    settings.ALLOWED_HOSTS = ["*"]
    # waitress logs every moment all its threads are busy: that is the point of the test.
    logging.getLogger("waitress.queue").setLevel(logging.ERROR)
    clients = _Clients()
    server, port = _server()
    per_burst = SUBMIT_CLIENTS * 10
    payloads = _payloads(per_burst * (rounds + 1), seed=3)
    samples: dict[str, list[float]] = {"bare_insert": [], "submit": []}
    walls: dict[str, float] = {"bare_insert": 0.0, "submit": 0.0}
    counts: dict[str, int] = {"bare_insert": 0, "submit": 0}
    order = random.Random(1)
    log(f"Gửi phản ánh: {SUBMIT_CLIENTS} máy khách đồng thời × {rounds} đợt × {per_burst} yêu cầu mỗi loại")
    # One warm-up burst each (imports, caches, first connections).
    clients.burst(port, "/bench/insert", payloads[:SUBMIT_CLIENTS * 2], idempotent=False)
    clients.burst(port, "/api/v1/cases/", payloads[:SUBMIT_CLIENTS * 2], idempotent=True)
    for r in range(rounds):
        batch = payloads[per_burst * (r + 1):per_burst * (r + 2)]
        for name in order.sample(["bare_insert", "submit"], 2):
            path = "/bench/insert" if name == "bare_insert" else "/api/v1/cases/"
            lat, wall = clients.burst(port, path, batch, idempotent=name == "submit")
            samples[name].extend(lat)
            walls[name] += wall
            counts[name] += len(lat)
    server.close()
    clients.close()
    throughput = {name: counts[name] / walls[name] for name in samples}
    ops: dict[str, Any] = {}
    labels = {"bare_insert": "Điểm cuối Django tối giản: thêm 1 dòng (nền)",
              "submit": "POST /api/v1/cases/ (case_submit), 16 máy khách"}
    base = summary(samples["bare_insert"])
    for name, xs in samples.items():
        s = summary(xs)
        s["ratio_p50"] = s["p50"] / base["p50"]
        s["ratio_p95"] = s["p95"] / base["p95"]
        ops[name] = {"label": labels[name], "group": "submit", "throughput_rps": throughput[name], **s}
    ratio = throughput["submit"] / throughput["bare_insert"]
    submit = ops["submit"]
    budgets = [
        _budget("submit_p95", "Gửi phản ánh p95 ≤ 50 ms (16 máy khách, SQLite)", 50.0, submit["p95"],
                submit["p95"] / base["p95"], "submit", submit),
        {"name": "submit_throughput", "label": "Thông lượng gửi ≥ 60% điểm cuối thêm 1 dòng",
         "limit_ms": 0.6, "metric": "throughput", "value_ms": ratio, "ratio": ratio, "pass": ratio >= 0.6,
         "worst_op": "submit", "worst_ms": submit["p95"],
         "display": f"{throughput['submit']:.0f}/s so với {throughput['bare_insert']:.0f}/s = {ratio:.0%}"},
    ]
    ops_routing, routing_budget = _routing()
    ops.update(ops_routing)
    budgets.append(routing_budget)
    return {"database": _database(Unit.objects.count()), "rounds": rounds, "baseline": "bare_insert",
            "ops": ops, "budgets": budgets, "throughput_rps": throughput, "plans": {},
            "load_after": list(__import__("os").getloadavg())}


def _budget(name: str, label: str, limit: float, value: float, ratio: float, worst: str,
            op: dict[str, Any]) -> dict[str, Any]:
    return {"name": name, "label": label, "limit_ms": limit, "metric": "p95", "value_ms": value, "ratio": ratio,
            "pass": value <= limit, "worst_op": worst, "worst_ms": op["p95"],
            **{k: op[k] for k in ("p50", "p95", "p99", "n")}}


def _routing() -> tuple[dict[str, Any], dict[str, Any]]:
    from bench.routing import split, synthetic_corpus, time_suggest
    from danvan.cases import router

    train, held = split(synthetic_corpus())
    model = router.train([t for t, _l in train], [lbl for _t, lbl in train])
    router.save(model)
    figures = time_suggest([t for t, _l in held])
    op = {"label": "router.suggest (gợi ý lĩnh vực, cơ quan)", "group": "routing", "n": figures["n"],
          "p50": figures["p50"], "p95": figures["p95"], "p99": figures["p95"],
          "ratio_p50": figures["p50"] / figures["baseline_fold_p50"], "ratio_p95": figures["ratio_p95"]}
    budget = _budget("routing", "Gợi ý phân loại p95 ≤ 20 ms (nền: fold() cùng văn bản)", 20.0, figures["p95"],
                     figures["ratio_p95"], "routing", op)
    return {"routing": op}, budget


def _database(units: int) -> dict[str, Any]:
    info: dict[str, Any] = {"vendor": connection.vendor, "units_total": units}
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SHOW server_version")
        else:
            cursor.execute("SELECT sqlite_version()")
        info["server_version"] = cursor.fetchone()[0]
    return info


# --- 1,000,000 cases (PostgreSQL) ---------------------------------------------------------

# Share of cases per field (environment and urban order lead city hotlines; land leads complaints).
FIELD_WEIGHTS = {"moi_truong": 20, "trat_tu_do_thi_xay_dung": 17, "dat_dai": 13, "giao_thong": 11,
                 "dien_nuoc": 9, "thu_tuc_hanh_chinh": 8, "an_sinh_xa_hoi": 6, "boi_thuong_tai_dinh_cu": 5,
                 "y_te": 4, "giao_duc": 4, "khac": 3}
KIND_WEIGHTS = {"phan_anh": 70, "kien_nghi": 15, "khieu_nai": 10, "to_cao": 5}
# Most cases are old and closed; a recent tail is still being worked.
CLOSED_STATES = {"closed": 62, "answered": 8, "refused": 2, "merged": 2}
OPEN_STATE_WEIGHTS = {"received": 5, "accepted": 2, "assigned": 5, "in_progress": 8, "awaiting_info": 2,
                      "answer_drafted": 2, "answer_approved": 1, "reopened": 1}
SURNAMES = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Phan", "Vũ", "Đặng", "Bùi", "Đỗ"]
MIDDLE = ["Văn", "Thị", "Đức", "Minh", "Ngọc", "Thu", "Quang", "Hữu"]
GIVEN = ["An", "Bình", "Cường", "Dũng", "Hà", "Hải", "Hoa", "Hùng", "Lan", "Linh", "Mai", "Nam", "Phương",
         "Quân", "Sơn", "Thảo", "Trang", "Tuấn", "Yến"]


def _weighted_table(table: dict[str, float], size: int = 1000) -> list[str]:
    total = sum(table.values())
    out: list[str] = []
    for key, weight in table.items():
        out += [key] * max(1, round(weight / total * size))
    return out


def cases_build(*, target: int = TARGET_CASES) -> dict[str, float]:
    """Top the cases table up to ``target`` rows with COPY; returns seconds per step."""
    from bench.routing import PLACES, TEMPLATES, TIMES
    from danvan.cases.models import Case, Field
    from danvan.core.text import fold
    from danvan.units.models import Era, Level, Organisation, OrganisationKind, Unit

    seconds: dict[str, float] = {}
    # core.search.searchable(*parts) is " " + the non-empty folded parts joined by spaces; the
    # parts repeat (templates, places, names), so each is folded once.
    folded = functools.lru_cache(maxsize=None)(fold)

    def searchable(code: str, *parts: str) -> str:
        # The code is unique per row: folded directly, not cached.
        return " " + " ".join(f for f in (fold(code), *(folded(p) for p in parts)) if f)

    have = Case.objects.count()
    if have >= target:
        log(f"  đã có {have:,} vụ việc: dùng lại")
        return seconds
    started = time.perf_counter()
    communes = list(Unit.objects.filter(era=Era.CURRENT, level=Level.COMMUNE, parent__code=PROVINCE)
                    .order_by("code").values_list("id", "path", "name"))
    orgs = dict(Organisation.objects.filter(unit_id__in=[c[0] for c in communes],
                                            kind=OrganisationKind.PEOPLES_COMMITTEE, active=True)
                .values_list("unit_id", "id"))
    fields = dict(Field.objects.values_list("code", "id"))
    rng = random.Random(20261123 + have)
    # Busy urban wards get most of the traffic: a Zipf-like weight over the communes.
    order = list(range(len(communes)))
    random.Random(5).shuffle(order)
    commune_weights = [1.0 / (1 + rank) ** 0.8 for rank in order]
    field_table = _weighted_table(FIELD_WEIGHTS)
    kind_table = _weighted_table(KIND_WEIGHTS)
    closed_table = _weighted_table(CLOSED_STATES)
    open_table = _weighted_table(OPEN_STATE_WEIGHTS)
    now = dt.datetime.now(dt.UTC)
    texts = {code: TEMPLATES.get(code, TEMPLATES["thu_tuc_hanh_chinh"]) for code in FIELD_WEIGHTS}
    columns = ("created_at", "updated_at", "code", "kind", "instance", "status", "channel", "as_information",
               "unit_path", "title", "description", "search_text", "address", "is_urgent", "is_complex",
               "is_remote", "received_at", "due_on", "extensions", "paused", "paused_days", "submitter_name",
               "submitter_phone", "submitter_email", "anonymous", "wants_updates", "public", "answered_at",
               "closed_at", "organisation_id", "unit_id", "field_id", "clock_started_on")
    with connection.cursor() as cursor:
        # Building the trigram index once after the load is several times faster than
        # maintaining it row by row; the migration's definition is restored below.
        cursor.execute("DROP INDEX IF EXISTS cases_case_search_trgm")
    pg = connection.connection
    n = target - have
    log(f"  tạo {n:,} vụ việc ở {len(communes)} xã, phường của Hà Nội (COPY)…")
    with pg.cursor() as raw, raw.copy(f"COPY cases_case ({', '.join(columns)}) FROM STDIN") as copy:
        picks = rng.choices(range(len(communes)), weights=commune_weights, k=n)
        for i in range(n):
            number = have + i
            unit_id, path, unit_name = communes[picks[i]]
            field_code = rng.choice(field_table)
            kind = rng.choice(kind_table)
            age = rng.random() ** 1.6 * 730  # more recent than old
            received = now - dt.timedelta(days=age, seconds=rng.randrange(86400))
            due = (received + dt.timedelta(days=21 if kind in ("phan_anh", "kien_nghi") else 45)).date()
            status = rng.choice(closed_table) if age > 60 or rng.random() < 0.55 else rng.choice(open_table)
            if kind in ("phan_anh", "kien_nghi") and status in ("accepted",):
                status = "assigned"
            template = rng.choice(texts[field_code])
            place = rng.choice(PLACES)
            description = template.format(place=place, time=rng.choice(TIMES), ask="").strip()
            title = description.split(",")[0].split(".")[0][:120]
            name = "" if kind == "to_cao" or rng.random() < 0.25 else \
                f"{rng.choice(SURNAMES)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"
            code = f"PA{received.year}B{number:07d}"
            address = f"{place}, {unit_name}"
            finished = status in ("closed", "answered", "refused", "merged")
            answered = received + dt.timedelta(days=rng.uniform(2, 30)) if status in ("closed", "answered") else None
            closed = (answered or received + dt.timedelta(days=3)) if status != "answered" and finished else None
            copy.write_row((
                received, closed or answered or received, code, kind, 1 if kind == "khieu_nai" else None, status,
                rng.choice(("web", "web", "web", "hotline", "walk_in", "api")), kind == "to_cao" and not name,
                path, title, description, searchable(code, title, description, address, name), address,
                False, False, False, received, due, 0, False, 0,
                name, "", "", not name, False, kind in ("phan_anh", "kien_nghi"), answered, closed,
                orgs[unit_id], unit_id, fields[field_code], received.date(),
            ))
            if (i + 1) % 200_000 == 0:
                log(f"    {i + 1:,} dòng ({time.perf_counter() - started:.0f} s)")
    seconds["copy"] = time.perf_counter() - started
    log(f"  COPY: {seconds['copy']:.0f} s")
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("CREATE INDEX IF NOT EXISTS cases_case_search_trgm ON cases_case "
                       "USING gin (search_text gin_trgm_ops)")
        cursor.execute("VACUUM ANALYZE cases_case")
    seconds["index_analyze"] = time.perf_counter() - started
    log(f"  chỉ mục trigram + VACUUM ANALYZE: {seconds['index_analyze']:.0f} s")
    return seconds


# --- the inbox and search over 1,000,000 cases (PostgreSQL) -------------------------------

SEARCH_QUERIES = ("rác thải", "rac thai", "sổ đỏ", "ô nhiễm tiếng ồn", "lấn chiếm vỉa hè", "karaoke",
                  "Nguyễn Văn", "đèn tín hiệu", "mat nuoc", "bồi thường tái định cư", "hoc phi", "ổ gà")
INBOX_FILTERS: tuple[tuple[str, tuple[str, ...], str], ...] = (
    ("dat_dai", ("received", "accepted", "assigned", "in_progress"), "due_on"),
    ("moi_truong", ("in_progress",), "due_on"),
    ("giao_thong", (), "-received_at"),
    ("", ("answer_drafted",), "due_on"),
)


def inbox_phase(*, rounds: int, warmup: int) -> dict[str, Any]:
    from bench.worker import explain, measure
    from danvan.accounts.models import User
    from danvan.accounts.selectors import scope_paths
    from danvan.cases.models import Case
    from danvan.cases.selectors import CaseFilters, case_list, case_search_page_ids
    from danvan.core.pagination import COUNT_CAP, CappedPaginator
    from danvan.units.models import Unit

    official = User.objects.get(username=PROVINCIAL_OFFICIAL)
    scope_paths(official)  # resolved once per request, cached on the user
    some_pk = Case.objects.order_by("-id").values_list("id", flat=True)[500]

    class Op:
        def __init__(self, name: str, group: str, label: str, run: Any, queryset: Any = None) -> None:
            self.name, self.group, self.label, self.run, self.queryset = name, group, label, run, queryset

    def first_page(filters: CaseFilters) -> Any:
        def run() -> Any:
            # What core.pagination.paginate_capped (the inbox) does for page 1: COUNT of at most
            # COUNT_CAP + 1 rows, then the rows.
            page = CappedPaginator(case_list(actor=official, filters=filters), PAGE_SIZE,
                                   page_ids=case_search_page_ids(actor=official, filters=filters)).page(1)
            return list(page.object_list)
        return run

    ops = [Op("pk", "baseline", "Đọc một vụ việc theo khóa chính", lambda: Case.objects.get(pk=some_pk),
              lambda: Case.objects.filter(pk=some_pk))]
    for field_code, status, sort in INBOX_FILTERS:
        filters = CaseFilters(field=field_code, status=status, sort=sort)
        label = (f"Hộp thư lãnh đạo tỉnh: lĩnh vực={field_code or '–'}, trạng thái={','.join(status) or '–'}, "
                 f"sắp xếp {sort}: trang 1 (đếm + 25 dòng)")
        ops.append(Op(f"inbox:{field_code}:{'+'.join(status)}", "inbox", label, first_page(filters),
                      lambda f=filters: case_list(actor=official, filters=f)[:PAGE_SIZE]))
    for query in SEARCH_QUERIES:
        filters = CaseFilters(q=query)
        ops.append(Op(f"search:{query}", "search", f"Tìm “{query}”: trang 1 (đếm + 25 dòng)", first_page(filters),
                      lambda f=filters: case_list(actor=official, filters=f)[:PAGE_SIZE]))
    plans = {op.name: explain(op.queryset()) for op in ops if op.queryset is not None}
    for op in ops:
        if op.group != "baseline":
            plans[op.name + ":count"] = explain(case_list(actor=official, filters=_filters_of(op.name)).order_by()
                                                .values("pk")[: COUNT_CAP + 1])
    log(f"Hộp thư và tìm kiếm trên {Case.objects.count():,} vụ việc: {len(ops)} thao tác × {rounds} vòng")
    samples = measure(ops, rounds=rounds, warmup=warmup)  # type: ignore[arg-type]
    base = summary(samples["pk"])
    results: dict[str, Any] = {}
    for op in ops:
        s = summary(samples[op.name])
        s["ratio_p50"] = s["p50"] / base["p50"]
        s["ratio_p95"] = s["p95"] / base["p95"]
        results[op.name] = {"label": op.label, "group": op.group, **s}
    budgets = []
    for group, label, limit in (("inbox", "Trang đầu hộp thư lãnh đạo tỉnh có lọc, 1 triệu vụ việc, p95 ≤ 150 ms",
                                 150.0),
                                ("search", "Tìm không dấu trên 1 triệu vụ việc, p95 ≤ 200 ms", 200.0)):
        names = [op.name for op in ops if op.group == group]
        pooled = summary([x for n in names for x in samples[n]])
        worst = max(names, key=lambda n: results[n]["p95"])
        budgets.append({"name": group, "label": label, "limit_ms": limit, "metric": "p95",
                        "value_ms": pooled["p95"], "ratio": pooled["p95"] / base["p95"],
                        "pass": pooled["p95"] <= limit, "worst_op": worst, "worst_ms": results[worst]["p95"],
                        **{k: pooled[k] for k in ("p50", "p95", "p99", "n")}})
    database = _database(Unit.objects.count())
    database["cases_total"] = Case.objects.count()
    return {"database": database, "rounds": rounds, "baseline": "pk", "ops": results, "budgets": budgets,
            "plans": plans, "load_after": list(__import__("os").getloadavg())}


def _filters_of(name: str) -> Any:
    from danvan.cases.selectors import CaseFilters

    group, _sep, rest = name.partition(":")
    if group == "search":
        return CaseFilters(q=rest)
    field_code, _sep, status = rest.partition(":")
    return CaseFilters(field=field_code, status=tuple(s for s in status.split("+") if s))
