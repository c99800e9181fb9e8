"""Submission ingest benchmark: prints figures, never fails on a time.

    .venv/bin/python tests/benchmarks/bench_ingest.py [--single 300] [--batches 5]
                                                       [--only sqlite|postgres] [--profile]

Submissions go through the whole HTTP stack of the officers' API (URL conf, middleware,
device-token authentication, the checklist engine's validation, findings, idempotency, audit),
sent with DRF's APIClient; nothing is mocked. Each database runs in a subprocess of its own,
since Django reads its settings once per process:

- SQLite: a fresh file database in a temporary folder;
- PostgreSQL: a fresh database ``bench_inspections_<pid>``, created and dropped here (the server
  is BENCH_POSTGRES_URL, by default postgresql://postgres@127.0.0.1:5432/postgres); skipped,
  saying so, when the server cannot be reached.

Measured: S single submissions POSTed one after another (submissions/s, p50/p99 latency); B
batches of 200 distinct submissions (submissions/s, p50/p99 per batch). On PostgreSQL also the
raw ceiling: psycopg inserting the same Submission rows (new uuids) with one INSERT per
transaction and with one COPY per 200 rows, and the HTTP figure as a percentage of each.

Percentiles are nearest-rank: with 5 batches, p99 is the slowest batch. A non-2xx answer stops
the run with the response printed and a non-zero exit; a slow one never does.
"""

from __future__ import annotations

import argparse
import json
import logging
import math
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
import traceback
import uuid
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[2]
PG_ADMIN_URL = os.environ.get("BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
BATCH_SIZE = 200  # mobile_api.apis.BATCH_LIMIT
WARMUP = 10  # single submissions sent before timing (imports, caches, parsed definitions)
QUERY_SAMPLE_BATCH = 20  # items in the (untimed) batch whose SQL queries are counted
PASSWORD = "correct-horse-battery"
PHOTO_REF = "1b4e28ba-2fa1-11d2-883f-0016d3cca427"  # what tests.checklists.engine.factories.fill puts in
PHOTO_SHA256 = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"
SINGLE_URL = "/api/mobile/v1/submissions/"
BATCH_URL = "/api/mobile/v1/submissions/batch/"


class Broken(Exception):
    """Something is wrong (not slow): the run stops with a non-zero exit."""


def percentile(values: list[float], p: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


# --- The parent: one subprocess per database, then the summary --------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--single", type=int, default=300, metavar="N", help="single submissions (300)")
    parser.add_argument("--batches", type=int, default=5, metavar="N", help="batches of 200 (5)")
    parser.add_argument("--only", choices=["sqlite", "postgres"], help="run one database only")
    parser.add_argument("--profile", action="store_true", help="cProfile one more batch; print the top 10")
    parser.add_argument("--worker", choices=["sqlite", "postgres"], help=argparse.SUPPRESS)
    parser.add_argument("--result", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.single < 1 or args.batches < 1:
        parser.error("--single and --batches must be at least 1")
    if args.worker:
        return worker(args)

    started = time.perf_counter()
    print(
        f"Submission ingest through the officers' HTTP API: {args.single} single submissions, "
        f"{args.batches} batches of {BATCH_SIZE} (load average at the start: "
        f"{', '.join(f'{v:.2f}' for v in os.getloadavg())})",
        flush=True,
    )
    results: list[dict[str, Any]] = []
    failed = False
    pg_server = None
    for backend in ("sqlite", "postgres"):
        if args.only and args.only != backend:
            continue
        runner = run_sqlite if backend == "sqlite" else run_postgres
        try:
            outcome = runner(args)
        except Broken as exc:
            print(f"!! {backend}: {exc}", flush=True)
            failed = True
            continue
        if outcome is not None:
            results.append(outcome)
            pg_server = outcome.get("server_version", pg_server)
    if results:
        print_summary(results)
    print_context(pg_server, time.perf_counter() - started)
    return 1 if failed else 0


def run_worker(args: argparse.Namespace, backend: str, database_url: str, scratch: Path) -> dict[str, Any]:
    result_path = scratch / "result.json"
    media = scratch / "media"
    media.mkdir(exist_ok=True)
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "backend.settings",
        "DATABASE_URL": database_url,
        "DEBUG": "0",
        "MEDIA_ROOT": str(media),
        "ALLOWED_HOSTS": "localhost,127.0.0.1,testserver",
    }
    command = [sys.executable, str(Path(__file__).resolve()), "--worker", backend]
    command += ["--single", str(args.single), "--batches", str(args.batches), "--result", str(result_path)]
    if args.profile:
        command.append("--profile")
    sys.stdout.flush()
    completed = subprocess.run(command, env=env, cwd=ROOT, check=False)  # noqa: S603 (this file, this Python)
    if completed.returncode != 0 or not result_path.is_file():
        raise Broken(f"the benchmark process exited with status {completed.returncode}")
    return json.loads(result_path.read_text())  # type: ignore[no-any-return]


def run_sqlite(args: argparse.Namespace) -> dict[str, Any]:
    scratch = Path(tempfile.mkdtemp(prefix="bench_ingest_sqlite_"))
    try:
        return run_worker(args, "sqlite", f"sqlite:///{scratch / 'bench.sqlite3'}", scratch)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def run_postgres(args: argparse.Namespace) -> dict[str, Any] | None:
    where = urlsplit(PG_ADMIN_URL)
    try:
        import psycopg

        admin = psycopg.connect(PG_ADMIN_URL, autocommit=True, connect_timeout=3)
    except Exception as exc:  # any reason at all: say so and go on without it
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        print(
            f"== postgres: not reachable at {where.hostname}:{where.port or 5432} ({reason}); skipped",
            flush=True,
        )
        return None
    name = f"bench_inspections_{os.getpid()}"
    scratch = Path(tempfile.mkdtemp(prefix="bench_ingest_postgres_"))
    with admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.execute(f'CREATE DATABASE "{name}"')
        try:
            url = urlunsplit(where._replace(path=f"/{name}"))
            return run_worker(args, "postgres", url, scratch)
        finally:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            shutil.rmtree(scratch, ignore_errors=True)


def print_summary(results: list[dict[str, Any]]) -> None:
    print("\n== summary (submissions/s; latency in ms; ratio = HTTP as % of the raw psycopg figure)")
    header = (
        f"{'database':<10}{'single/s':>9}{'p50':>7}{'p99':>7}  {'batch/s':>8}{'p50':>8}{'p99':>8}"
        f"  {'raw tx/row':>11}{'raw COPY':>10}  {'single%':>8}{'batch%':>7}"
    )
    print(header)
    print("-" * len(header))
    for r in results:
        s, b, raw = r["single"], r["batch"], r.get("raw")
        line = (
            f"{r['backend']:<10}{s['rate']:>9.1f}{s['p50_ms']:>7.1f}{s['p99_ms']:>7.1f}"
            f"  {b['rate']:>8.1f}{b['p50_ms']:>8.0f}{b['p99_ms']:>8.0f}"
        )
        if raw:
            line += (
                f"  {raw['single_rate']:>11.0f}{raw['copy_rate']:>10.0f}"
                f"  {100 * s['rate'] / raw['single_rate']:>7.1f}%{100 * b['rate'] / raw['copy_rate']:>6.2f}%"
            )
        else:
            line += f"  {'-':>11}{'-':>10}  {'-':>8}{'-':>7}"
        print(line)


def print_context(pg_server: str | None, elapsed: float) -> None:
    import django
    import rest_framework

    try:
        import psycopg

        psycopg_version = psycopg.__version__
    except ImportError:
        psycopg_version = "not installed"
    import sqlite3

    load = ", ".join(f"{v:.2f}" for v in os.getloadavg())
    print(
        f"\nmachine: {os.cpu_count()} CPUs (load average {load} at the end), {platform.machine()}, "
        f"{platform.system()} {platform.release()}; "
        f"Python {platform.python_version()}, Django {django.get_version()}, DRF {rest_framework.VERSION}, "
        f"psycopg {psycopg_version}, SQLite {sqlite3.sqlite_version}, PostgreSQL server {pg_server or '-'}; "
        f"total {elapsed:.0f} s"
    )


# --- The worker: one database, in its own process ---------------------------------------------


def worker(args: argparse.Namespace) -> int:
    os.chdir(ROOT)
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "backend.settings")
    import django

    django.setup()
    logged = LogTally()
    try:
        result = Bench(args).run()
    except Broken as exc:
        logged.report()
        print(f"!! {exc}", flush=True)
        return 1
    except Exception:
        logged.report()
        traceback.print_exc()
        return 1
    logged.report()
    Path(args.result).write_text(json.dumps(result))
    return 0


class LogTally(logging.Handler):
    """Counts the warnings and errors the app logs during the run, instead of printing one line
    per submission: the figures stay readable and the messages are still reported (once each)."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.seen: dict[tuple[str, str, str], list[Any]] = {}
        root = logging.getLogger()
        self.replaced = [h for h in root.handlers if isinstance(h, logging.StreamHandler)]
        for handler in self.replaced:
            root.removeHandler(handler)
        root.addHandler(self)

    def emit(self, record: logging.LogRecord) -> None:
        key = (record.levelname, record.name, str(record.msg))
        entry = self.seen.setdefault(key, [0, record.getMessage()])
        entry[0] += 1

    def report(self) -> None:
        for (level, name, _template), (count, first) in self.seen.items():
            print(f"logged {count} x {level} {name}: {first[:300]}", flush=True)


class Bench:
    def __init__(self, args: argparse.Namespace) -> None:
        from django.db import connection

        self.args = args
        self.backend: str = args.worker
        self.connection = connection
        self.out: dict[str, Any] = {"backend": self.backend}

    def say(self, text: str) -> None:
        print(text, flush=True)

    def run(self) -> dict[str, Any]:
        from django.core.management import call_command

        args = self.args
        if self.backend == "sqlite":
            import sqlite3

            title = f"SQLite {sqlite3.sqlite_version}, {self.connection.settings_dict['NAME']}"
        else:
            title = f"PostgreSQL, database {self.connection.settings_dict['NAME']}"
        self.say(f"\n== {self.backend} ({title})")
        t0 = time.perf_counter()
        call_command("migrate", verbosity=0, interactive=False)
        migrated = time.perf_counter() - t0
        if self.backend == "postgres":
            with self.connection.cursor() as cursor:
                cursor.execute("SHOW server_version")
                version = cursor.fetchone()[0]
                cursor.execute("SELECT current_setting('synchronous_commit'), current_setting('fsync')")
                sync, fsync = cursor.fetchone()
            self.out["server_version"] = f"{version} (synchronous_commit={sync}, fsync={fsync})"

        needed = WARMUP + args.single + args.batches * BATCH_SIZE + 2 + QUERY_SAMPLE_BATCH
        needed += BATCH_SIZE if args.profile else 0
        t0 = time.perf_counter()
        self.build_scenario(needed)
        self.say(
            f"setup: migrate {migrated:.1f} s; {needed} inspections issued (one per submission, "
            f"alternating employment_agency / venue_prostitution_trafficking), officer signed in: "
            f"{time.perf_counter() - t0:.1f} s"
        )

        for _ in range(WARMUP):
            self.post_single(self.payload())
        before = self.table_counts()
        single_uuids = self.measure_single(args.single)
        batch_uuids = self.measure_batches(args.batches)
        self.count_queries_and_rows(before, args.single + args.batches * BATCH_SIZE)
        if self.backend == "postgres":
            self.raw_ceiling(single_uuids, batch_uuids)
        if args.profile:
            self.profile_batch()
        return self.out

    # --- The scenario, built through the services -------------------------------------------

    def build_scenario(self, count: int) -> None:
        import datetime as dt

        from django.db import transaction
        from django.utils import timezone
        from rest_framework.test import APIClient

        from backend.checklists.models import TemplateVersion
        from backend.checklists.services import checklists_load_builtin, parsed_definition
        from backend.inspections import services as inspections
        from backend.inspections.models import Operation
        from tests import factories
        from tests.checklists.engine.factories import fill

        checklists_load_builtin()
        now = timezone.now()
        factories.agency("DSAL")  # the competent agency of some findings
        officer = factories.officer("PSP", username="bench", full_name="Bench Officer", password=PASSWORD)
        planner = factories.officer("PSP", username="planner", roles=("planner",))
        operation = inspections.operation_create(
            actor=None,
            name="Benchmark night",
            lead_agency=officer.agency,
            agencies=[factories.agency("DSAL")],
            planners=[planner],
            reveal_at=now - dt.timedelta(hours=1),
            starts_at=now - dt.timedelta(minutes=30),
            ends_at=now + dt.timedelta(hours=6),
            status=Operation.Status.PUBLISHED,
        )
        team = inspections.team_create(actor=None, name="Bench team", members=[officer], operation=operation)
        kinds = [
            (
                "employment_agency",
                "employment_agency",
                factories.site(kind="employment_agency", opening_hours=[]),
            ),
            (
                "venue_prostitution_trafficking",
                "prostitution_trafficking",
                factories.site(name_en="Bench Karaoke"),
            ),
        ]
        versions = {
            code: TemplateVersion.objects.get(template__code=code, status="published") for code, _, _ in kinds
        }
        answers = {code: fill(parsed_definition(v), yes=True, entries=1) for code, v in versions.items()}
        self.checklist_of = {str(v.uuid): code for code, v in versions.items()}
        self.targets: list[tuple[str, str, dict[str, Any]]] = []
        with transaction.atomic():  # one commit, not one per inspection: setup is not measured
            for i in range(count):
                code, category, site = kinds[i % 2]
                inspection = inspections.inspection_issue(
                    actor=None,
                    site=site,
                    category=category,
                    template_version=versions[code],
                    planned_start=now,
                    planned_end=now + dt.timedelta(hours=8),
                    team=team,
                    operation=operation,
                    route_order=i % 30000,
                )
                self.targets.append((str(inspection.uuid), str(versions[code].uuid), answers[code]))
        self.targets.reverse()  # popped from the end, in the order issued

        self.client = APIClient()
        response = self.client.post(
            "/api/mobile/v1/auth/sign-in/",
            {"username": "bench", "password": PASSWORD, "device_name": "bench phone"},
            format="json",
        )
        self.check(response, 201, "sign-in")
        self.client.credentials(HTTP_AUTHORIZATION=f"Bearer {response.json()['token']}")

    def payload(self) -> dict[str, Any]:
        """A valid submission for the next unused inspection (as tests/mobile_api/conftest.py's
        submission_payload makes them: every question answered by ``fill``, the photo declared)."""
        from django.utils import timezone

        inspection, version, answers = self.targets.pop()
        return {
            "id": str(uuid.uuid4()),
            "inspection": inspection,
            "template_version": version,
            "answers": answers,
            "device_submitted_at": timezone.now().isoformat(),
            "attachments": [{"name": PHOTO_REF, "sha256": PHOTO_SHA256, "size": 48213}],
        }

    # --- HTTP -----------------------------------------------------------------------------

    @staticmethod
    def check(response: Any, expected: int, what: str) -> None:
        if response.status_code != expected:
            body = response.content.decode(errors="replace")
            raise Broken(f"{what}: HTTP {response.status_code} (expected {expected})\n{body[:4000]}")

    @staticmethod
    def device_time() -> str:
        from django.utils import timezone

        return timezone.now().isoformat()

    def post_single(self, payload: dict[str, Any]) -> float:
        body = json.dumps(payload)
        headers = {"HTTP_X_DEVICE_TIME": self.device_time()}
        t0 = time.perf_counter()
        response = self.client.post(SINGLE_URL, body, content_type="application/json", **headers)
        elapsed = time.perf_counter() - t0
        self.check(response, 201, f"single submission {payload['id']}")
        return elapsed

    def post_batch(self, items: list[dict[str, Any]]) -> float:
        body = json.dumps({"items": items})
        headers = {"HTTP_X_DEVICE_TIME": self.device_time()}
        t0 = time.perf_counter()
        response = self.client.post(BATCH_URL, body, content_type="application/json", **headers)
        elapsed = time.perf_counter() - t0
        self.check(response, 200, f"batch of {len(items)}")
        bad = [r for r in response.json()["results"] if r["status"] != 201]
        if bad:
            raise Broken(
                f"batch of {len(items)}: {len(bad)} items not 201, the first:\n{json.dumps(bad[0])[:4000]}"
            )
        return elapsed

    def measure_single(self, count: int) -> list[str]:
        payloads = [self.payload() for _ in range(count)]
        t0 = time.perf_counter()
        latencies = [self.post_single(p) for p in payloads]
        wall = time.perf_counter() - t0
        rate = count / wall
        p50, p99 = percentile(latencies, 50) * 1000, percentile(latencies, 99) * 1000
        self.out["single"] = {"count": count, "rate": rate, "p50_ms": p50, "p99_ms": p99}
        size = len(json.dumps(payloads[0]))
        self.say(
            f"single: {count} POSTs of one submission ({size / 1024:.1f} KiB each): "
            f"{rate:7.1f} submissions/s, latency p50 {p50:.1f} ms, p99 {p99:.1f} ms"
        )
        return [p["id"] for p in payloads]

    def measure_batches(self, count: int) -> list[list[str]]:
        batches = [[self.payload() for _ in range(BATCH_SIZE)] for _ in range(count)]
        t0 = time.perf_counter()
        latencies = [self.post_batch(items) for items in batches]
        wall = time.perf_counter() - t0
        rate = count * BATCH_SIZE / wall
        p50, p99 = percentile(latencies, 50) * 1000, percentile(latencies, 99) * 1000
        self.out["batch"] = {"count": count, "rate": rate, "p50_ms": p50, "p99_ms": p99}
        size = len(json.dumps({"items": batches[0]}))
        self.say(
            f"batch:  {count} POSTs of {BATCH_SIZE} submissions ({size / 1024 / 1024:.2f} MiB each): "
            f"{rate:7.1f} submissions/s, per batch p50 {p50:.0f} ms, p99 {p99:.0f} ms"
        )
        return [[p["id"] for p in items] for items in batches]

    def table_counts(self) -> dict[str, int]:
        """Rows per table, for the tables of the installed models that the migrations made."""
        from django.apps import apps

        tables = set(self.connection.introspection.table_names())
        models = [m for m in apps.get_models() if not m._meta.proxy and m._meta.db_table in tables]
        return {m._meta.db_table: m._base_manager.count() for m in models}

    def count_queries_and_rows(self, before: dict[str, int], submissions: int) -> None:
        """Context for the figures: the rows the timed submissions inserted, table by table, and
        the SQL statements of one more single submission and one more small batch (untimed)."""
        from django.test.utils import CaptureQueriesContext

        after = self.table_counts()
        grown = {
            t: (after[t] - before.get(t, 0)) / submissions for t in after if after[t] != before.get(t, 0)
        }
        self.say(
            "rows inserted per submission: "
            + ", ".join(f"{t} {n:.2f}" for t, n in sorted(grown.items(), key=lambda item: -item[1]))
        )
        singles = []
        for _ in range(2):  # one of each checklist
            payload = self.payload()
            with CaptureQueriesContext(self.connection) as single:
                self.post_single(payload)
            singles.append(f"{len(single)} ({self.checklist_of[payload['template_version']]})")
        with CaptureQueriesContext(self.connection) as batch:
            self.post_batch([self.payload() for _ in range(QUERY_SAMPLE_BATCH)])
        self.say(
            f"SQL statements per single submission: {' / '.join(singles)}; {len(batch)} for a batch of "
            f"{QUERY_SAMPLE_BATCH} ({len(batch) / QUERY_SAMPLE_BATCH:.1f} per item)"
        )

    # --- The raw ceiling (PostgreSQL) -----------------------------------------------------

    def raw_ceiling(self, single_uuids: list[str], batch_uuids: list[list[str]]) -> None:
        """psycopg writing the very rows the HTTP run stored, with new uuids, on a connection of
        its own: one INSERT per transaction (autocommit), and one COPY per 200 rows."""
        import psycopg
        from psycopg.types.json import Jsonb

        from backend.inspections.models import Submission

        table = Submission._meta.db_table
        fields = [f for f in Submission._meta.concrete_fields if not f.primary_key]
        columns = [f.column for f in fields]
        json_at = {i for i, f in enumerate(fields) if f.get_internal_type() == "JSONField"}
        uuid_at = columns.index("uuid")
        column_list = ", ".join(columns)
        settings = self.connection.settings_dict
        conninfo = psycopg.conninfo.make_conninfo(
            dbname=settings["NAME"],
            user=settings["USER"] or None,
            password=settings["PASSWORD"] or None,
            host=settings["HOST"] or None,
            port=str(settings["PORT"]) if settings["PORT"] else None,
        )
        with psycopg.connect(conninfo, autocommit=True) as conn:

            def rows_of(uuids: list[str]) -> list[list[Any]]:
                stored = conn.execute(
                    f"SELECT {column_list} FROM {table} WHERE uuid = ANY(%s) ORDER BY id",
                    [[uuid.UUID(u) for u in uuids]],
                ).fetchall()
                if len(stored) != len(uuids):
                    raise Broken(f"expected {len(uuids)} stored submissions, found {len(stored)}")
                out = []
                for row in stored:
                    values = list(row)
                    values[uuid_at] = uuid.uuid4()
                    for i in json_at:
                        values[i] = Jsonb(values[i])
                    out.append(values)
                return out

            singles = rows_of(single_uuids)
            batches = [rows_of(b) for b in batch_uuids]
            insert = f"INSERT INTO {table} ({column_list}) VALUES ({', '.join(['%s'] * len(columns))})"
            t0 = time.perf_counter()
            for values in singles:
                conn.execute(insert, values)
            single_rate = len(singles) / (time.perf_counter() - t0)
            t0 = time.perf_counter()
            for rows in batches:
                with (
                    conn.transaction(),
                    conn.cursor() as cursor,
                    cursor.copy(f"COPY {table} ({column_list}) FROM STDIN") as copy,
                ):
                    for values in rows:
                        copy.write_row(values)
            copy_rate = sum(map(len, batches)) / (time.perf_counter() - t0)
        single, batch = self.out["single"]["rate"], self.out["batch"]["rate"]
        self.out["raw"] = {"single_rate": single_rate, "copy_rate": copy_rate}
        self.say(
            f"raw psycopg, the same {len(columns)} columns of {table}, new uuids:\n"
            f"  one INSERT per transaction: {single_rate:8.0f} rows/s; "
            f"single HTTP is {100 * single / single_rate:.1f}% of it\n"
            f"  COPY per {BATCH_SIZE} rows:         {copy_rate:8.0f} rows/s; "
            f"batch HTTP is {100 * batch / copy_rate:.2f}% of it"
        )

    # --- Where the time goes --------------------------------------------------------------

    def profile_batch(self) -> None:
        import cProfile
        import pstats
        import re

        items = [self.payload() for _ in range(BATCH_SIZE)]
        profiler = cProfile.Profile()
        profiler.enable()
        self.post_batch(items)
        profiler.disable()
        stats = pstats.Stats(profiler)
        total = stats.total_tt  # type: ignore[attr-defined]
        entries = stats.stats  # type: ignore[attr-defined]

        def show(title: str, key: int, keep: Any) -> None:
            self.say(f"  {title}")
            self.say(f"    {'ncalls':>9} {'tottime':>8} {'cumtime':>8}  function")
            chosen = sorted((e for e in entries.items() if keep(e[1])), key=lambda e: -e[1][key])[:10]
            for (filename, line, name), (_cc, calls, tottime, cumtime, _callers) in chosen:
                where = filename.replace(str(ROOT) + "/", "").replace(sys.prefix + "/", "")
                where = re.sub(r"^.*site-packages/", "", where)
                self.say(f"    {calls:>9} {tottime:>8.3f} {cumtime:>8.3f}  {where}:{line}({name})")

        self.say(f"profile of one more batch of {BATCH_SIZE}: {total:.2f} s under cProfile")
        # Above 95% of the total sit the wrappers of it all: the test client, the handler, the
        # middleware, the batch view and mobile_api.apis._ingest.
        show(
            "top 10 by cumulative time, under the wrappers (client, middleware, view)",
            3,
            lambda v: v[3] < 0.95 * total,
        )
        show("top 10 by own time", 2, lambda v: True)


if __name__ == "__main__":
    sys.exit(main())
