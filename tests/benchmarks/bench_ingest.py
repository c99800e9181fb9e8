"""Submission ingest through the production server: prints figures, never fails on a time.

    .venv/bin/python tests/benchmarks/bench_ingest.py [--single 400] [--batches 8] [--clients 4]
                                                       [--photo-mb 15] [--load-seconds 20] [--profile]

What a new client meets, on PostgreSQL: gunicorn as ``make serve`` starts it (backend.gunicorn_conf,
WEB_CONCURRENCY=2 processes of 4 threads, persistent database connections), a broker (a private
redis-server on a free port), and C clients (default 4) posting over HTTP/1.1 keep-alive with
device tokens got from the sign-in endpoint. Nothing is mocked or skipped: validation, findings,
referrals, idempotency, audit and the outbox all run. A fresh database ``bench_ingest_<pid>`` is
created and dropped here (server BENCH_POSTGRES_URL, by default
postgresql://postgres@127.0.0.1:5432/postgres); without PostgreSQL the run says so and stops.

Measured, in one run:

1. single: N submissions, one per POST, dealt to the C clients (submissions/s, p50/p99); then the
   same N sent again, each a replay answered from one read with nothing written: the fixed cost of
   a request on this path (server, parsing, token, rendering), the floor of any change to the writes;
   then the same N without a token, refused 401 before anything is parsed or read: the server and
   the framework alone (gunicorn, Django's middleware, DRF's dispatch), the ceiling of any view;
   each phase with the CPU milliseconds per request of the web processes, PostgreSQL (its backends,
   those that closed included) and the clients, and the database sessions opened per request;
2. batch: B POSTs of 200 submissions, dealt to the C clients;
3. rows per submission (table by table, from the tables' counts) and SQL statements per single
   submission and per batch item (counted in-process on the same database by Django's
   CaptureQueriesContext, through the same view);
4. the raw ceiling: psycopg writing exactly the rows the HTTP run wrote (every table it grew,
   the same values, into copies of those tables with the same columns, indexes, constraints and
   foreign keys, plus the same UPDATE of each inspection's status), with C connections: the
   single run's rows as one transaction per submission (a multi-row INSERT per table), the batch
   run's as one transaction per 200 with a COPY per table; the HTTP figures as % of each;
5. a large upload: a P MB photo PUT as an attachment, and the web process's memory (VmHWM, the
   peak resident set, and VmRSS) before and after;
6. staleness under load: a Celery worker and beat (ROLLUPS_REFRESH_SECONDS=2) beside the server
   while C clients post for L seconds; the age of the rollups (now - RollupClock.as_of) sampled
   twice a second, then the time until the queue drains and ``manage.py rollups check`` (rollups
   equal to the raw aggregation).

``--profile``: py-spy samples the web processes during the single, replay and batch runs and
prints where the time goes (top functions of the project and of the libraries, inclusive).
BENCH_PYSPY="--gil" samples only the thread holding the GIL (where the CPU goes, not the waits);
BENCH_PROFILE_TOP=N prints N functions (18). BENCH_SQL=1 prints each statement of the two
single submissions whose statements are counted. WEB_CONCURRENCY and WEB_THREADS size the server
(2 x 4).
A non-2xx answer stops the run with the response printed and a non-zero exit.
"""

from __future__ import annotations

import argparse
import collections
import contextlib
import hashlib
import http.client
import io
import json
import math
import os
import platform
import queue
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[2]
PY = sys.executable
BIN = Path(PY).parent
PG_ADMIN_URL = os.environ.get("BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
BATCH_SIZE = 200  # mobile_api.apis.BATCH_LIMIT
WARMUP = 8  # single submissions per client before timing (imports, caches, connections)
QUERY_SAMPLE_BATCH = 20
PASSWORD = "correct-horse-battery"
PHOTO_REF = "1b4e28ba-2fa1-11d2-883f-0016d3cca427"  # what tests.checklists.engine.factories.fill puts in
PHOTO_SHA256 = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"
SINGLE_URL = "/api/mobile/v1/submissions/"
BATCH_URL = "/api/mobile/v1/submissions/batch/"
# Tables the background (rollup refresh, outbox relay) writes, never a request: not in the ceiling.
BACKGROUND_TABLES = (
    "reporting_inspectionrollup",
    "reporting_inspectionmonthrollup",
    "reporting_findingrollup",
)
BACKGROUND_TABLES += ("reporting_rollupday", "reporting_rollupclock")


class Broken(Exception):
    """Something is wrong (not slow): the run stops with a non-zero exit."""


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


TICK = os.sysconf("SC_CLK_TCK")


def _stat(pid: int) -> list[str]:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return []


def tree_cpu(parent: int) -> float:
    """CPU seconds (user + system) of a process and all its children, the live ones and those
    that ended and were waited for (a PostgreSQL backend that closed, a gunicorn worker replaced)."""
    own = _stat(parent)
    if not own:
        return 0.0
    ticks = sum(int(v) for v in own[11:15])  # utime, stime, cutime, cstime (stat fields 14-17)
    children = subprocess.run(  # noqa: S603
        ["/bin/ps", "-o", "pid=", "--ppid", str(parent)], capture_output=True, text=True, check=False
    ).stdout.split()
    for pid in children:
        fields = _stat(int(pid))
        if fields:
            ticks += int(fields[11]) + int(fields[12])
    return ticks / TICK


def machine_cpu() -> tuple[float, float]:
    """Busy and total time of all the machine's cores so far (/proc/stat), in ticks."""
    fields = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = fields[3] + fields[4]  # idle, iowait
    return float(sum(fields) - idle), float(sum(fields))


def postmaster() -> int:
    out = subprocess.run(
        ["/usr/bin/pgrep", "-o", "-x", "postgres"], capture_output=True, text=True, check=False
    )
    return int(out.stdout.split()[0]) if out.stdout.split() else 0


def say(text: str = "") -> None:
    print(text, flush=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


# --- HTTP clients -------------------------------------------------------------------------------


class Client:
    """One phone: a keep-alive HTTP/1.1 connection and a device token."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
        self.token = ""

    def request(
        self, method: str, path: str, body: bytes | None, headers: dict[str, str]
    ) -> tuple[int, bytes]:
        for attempt in range(2):
            try:
                self.conn.request(method, path, body=body, headers=headers)
                response = self.conn.getresponse()
                return response.status, response.read()
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                # gunicorn replaces a process after WEB_MAX_REQUESTS: reconnect once
                self.conn.close()
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=300)
                if attempt:
                    raise
        raise AssertionError("unreachable")

    def sign_in(self, device: str) -> None:
        body = json.dumps({"username": "bench", "password": PASSWORD, "device_name": device}).encode()
        status, content = self.request(
            "POST", "/api/mobile/v1/auth/sign-in/", body, {"Content-Type": "application/json"}
        )
        if status != 201:
            raise Broken(f"sign-in: HTTP {status}: {content[:2000]!r}")
        self.token = json.loads(content)["token"]

    def headers(self, content_type: str = "application/json") -> dict[str, str]:
        return {
            "Content-Type": content_type,
            "Authorization": f"Bearer {self.token}",
            "X-Device-Time": time.strftime("%Y-%m-%dT%H:%M:%S+00:00", time.gmtime()),
        }

    def post_single(self, payload: dict[str, Any], expected: int = 201) -> float:
        body = json.dumps(payload).encode()
        t0 = time.perf_counter()
        status, content = self.request("POST", SINGLE_URL, body, self.headers())
        elapsed = time.perf_counter() - t0
        if status != expected:
            raise Broken(f"single submission: HTTP {status}: {content[:3000]!r}")
        return elapsed

    def post_batch(self, items: list[dict[str, Any]]) -> float:
        body = json.dumps({"items": items}).encode()
        t0 = time.perf_counter()
        status, content = self.request("POST", BATCH_URL, body, self.headers())
        elapsed = time.perf_counter() - t0
        if status != 200:
            raise Broken(f"batch: HTTP {status}: {content[:3000]!r}")
        bad = [r for r in json.loads(content)["results"] if r["status"] != 201]
        if bad:
            raise Broken(
                f"batch of {len(items)}: {len(bad)} items not 201, the first: {json.dumps(bad[0])[:3000]}"
            )
        return elapsed


def run_parallel(clients: list[Client], work: list[list[Any]], send: Any) -> tuple[float, list[float]]:
    """Each client sends its share of ``work`` one after another; all clients at once. Returns
    (wall seconds, latencies)."""
    latencies: list[float] = []
    errors: list[BaseException] = []
    lock = threading.Lock()
    start = threading.Barrier(len(clients) + 1)

    def one(client: Client, share: list[Any]) -> None:
        start.wait()
        try:
            mine = [send(client, item) for item in share]
        except BaseException as exc:
            errors.append(exc)
            return
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=one, args=(c, w)) for c, w in zip(clients, work, strict=True)]
    for t in threads:
        t.start()
    start.wait()
    t0 = time.perf_counter()
    for t in threads:
        t.join()
    wall = time.perf_counter() - t0
    if errors:
        raise Broken(str(errors[0]))
    return wall, latencies


def deal(items: list[Any], n: int) -> list[list[Any]]:
    return [items[i::n] for i in range(n)]


# --- The parent ---------------------------------------------------------------------------------


class Run:
    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.procs: list[subprocess.Popen[bytes]] = []
        self.scratch = Path(tempfile.mkdtemp(prefix="bench_ingest_"))
        self.out: dict[str, Any] = {}

    # processes

    def start(self, name: str, command: list[str], env: dict[str, str]) -> subprocess.Popen[bytes]:
        log = open(self.scratch / f"{name}.log", "wb")  # noqa: SIM115 (closed with the process)
        proc = subprocess.Popen(  # noqa: S603 (our own programs)
            command, env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
        self.procs.append(proc)
        return proc

    def stop(self, proc: subprocess.Popen[bytes]) -> None:
        if proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()

    def manage(self, *argv: str, check: bool = True) -> tuple[int, str]:
        done = subprocess.run(  # noqa: S603
            [PY, "manage.py", *argv], env=self.env, cwd=ROOT, capture_output=True, text=True, check=False
        )
        if check and done.returncode != 0:
            raise Broken(f"manage.py {' '.join(argv)}: {done.stdout[-2000:]}{done.stderr[-3000:]}")
        return done.returncode, done.stdout + done.stderr

    def log_tail(self, name: str) -> str:
        path = self.scratch / f"{name}.log"
        return path.read_text(errors="replace")[-3000:] if path.exists() else ""

    def main(self) -> int:
        import psycopg

        where = urlsplit(PG_ADMIN_URL)
        try:
            admin = psycopg.connect(PG_ADMIN_URL, autocommit=True, connect_timeout=3)
        except Exception as exc:
            say(
                f"PostgreSQL not reachable at {where.hostname}:{where.port or 5432} ({exc}); nothing measured"
            )
            return 0
        self.dbname = f"bench_ingest_{os.getpid()}"
        admin.execute(f'DROP DATABASE IF EXISTS "{self.dbname}"')
        admin.execute(f'CREATE DATABASE "{self.dbname}"')
        self.url = urlunsplit(where._replace(path=f"/{self.dbname}"))
        started = time.perf_counter()
        try:
            self.measure()
            return 0
        except Broken as exc:
            say(f"!! {exc}")
            for name in ("web", "worker"):
                tail = self.log_tail(name)
                if tail:
                    say(f"-- {name} log (end):\n{tail}")
            return 1
        finally:
            for proc in reversed(self.procs):
                self.stop(proc)
            admin.execute(f'DROP DATABASE IF EXISTS "{self.dbname}" WITH (FORCE)')
            admin.close()
            shutil.rmtree(self.scratch, ignore_errors=True)
            print_context(time.perf_counter() - started)

    def measure(self) -> None:
        import psycopg

        args = self.args
        c = args.clients
        self.redis_port, self.web_port = free_port(), free_port()
        media = self.scratch / "media"
        media.mkdir()
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "backend.settings",
            "DATABASE_URL": self.url,
            "DB_CONN_MAX_AGE": "60",
            "DEBUG": "0",
            "MEDIA_ROOT": str(media),
            "ALLOWED_HOSTS": "localhost,127.0.0.1,testserver",
            "CELERY_BROKER_URL": f"redis://127.0.0.1:{self.redis_port}/0",
            "CACHE_URL": f"redis://127.0.0.1:{self.redis_port}/1",
            "HOST": "127.0.0.1",
            "PORT": str(self.web_port),
            "WEB_CONCURRENCY": os.environ.get("WEB_CONCURRENCY", "2"),
            "WEB_THREADS": os.environ.get("WEB_THREADS", "4"),
            "WEB_MAX_REQUESTS": "0",
            "ROLLUPS_REFRESH_SECONDS": "2",
            "LOG_LEVEL": "WARNING",
            "PATH": f"{BIN}:{os.environ.get('PATH', '')}",
        }
        say(
            f"Submission ingest through gunicorn ({self.env['WEB_CONCURRENCY']} processes x "
            f"{self.env['WEB_THREADS']} threads) on PostgreSQL, {c} clients: "
            f"{args.single} single submissions, {args.batches} batches of {BATCH_SIZE} "
            f"(load average at the start: {', '.join(f'{v:.2f}' for v in os.getloadavg())})"
        )
        t0 = time.perf_counter()
        self.manage("migrate", "--noinput", "-v", "0")
        migrated = time.perf_counter() - t0
        needed = c * WARMUP + args.single + args.batches * BATCH_SIZE + 2 + QUERY_SAMPLE_BATCH + 1
        needed += int(args.load_seconds * 60) + 100  # the staleness run's submissions
        scenario_file = self.scratch / "scenario.json"
        t0 = time.perf_counter()
        done = subprocess.run(  # noqa: S603
            [PY, __file__, "--setup", str(needed), "--result", str(scenario_file)],
            env=self.env,
            cwd=ROOT,
            check=False,
        )
        if done.returncode != 0:
            raise Broken("the scenario could not be built")
        scenario = json.loads(scenario_file.read_text())
        self.targets: list[list[Any]] = scenario["targets"]
        self.targets.reverse()
        say(f"setup: migrate {migrated:.1f} s; {needed} inspections issued: {time.perf_counter() - t0:.1f} s")

        self.start(
            "redis",
            ["redis-server", "--port", str(self.redis_port), "--save", "", "--appendonly", "no"],
            self.env,
        )
        self.web = self.start(
            "web",
            [str(BIN / "gunicorn"), "backend.wsgi:application", "--config", "python:backend.gunicorn_conf"],
            {**self.env, "FORWARDED_ALLOW_IPS": "127.0.0.1"},
        )
        self.wait_for_server()
        self.clients = [Client(self.web_port) for _ in range(c)]
        for i, client in enumerate(self.clients):
            client.sign_in(f"bench phone {i}")
        for client in self.clients:
            for _ in range(WARMUP):
                client.post_single(self.payload())

        self.pg = psycopg.connect(self.url, autocommit=True)
        self.tables = [
            r[0]
            for r in self.pg.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
            ).fetchall()
        ]
        self.pks = {t: self.primary_key(t) for t in self.tables}

        before = self.snapshot()
        single_ids = self.measure_single()
        mid = self.snapshot()
        self.measure_replays()
        self.measure_floor()
        batch_ids = self.measure_batches()
        after = self.snapshot()
        self.rows_per_submission(before, after, args.single + args.batches * BATCH_SIZE)
        self.count_statements()
        self.raw_ceiling(before, mid, after, single_ids, batch_ids)
        self.large_upload()
        self.staleness()
        self.summary()

    def wait_for_server(self) -> None:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.web.poll() is not None:
                raise Broken("gunicorn exited at start")
            try:
                conn = http.client.HTTPConnection("127.0.0.1", self.web_port, timeout=5)
                conn.request("GET", "/healthz")
                if conn.getresponse().status in (200, 503):
                    return
            except OSError:
                time.sleep(0.3)
        raise Broken("gunicorn did not answer within 60 s")

    def web_workers(self) -> list[int]:
        out = subprocess.run(  # noqa: S603
            ["/bin/ps", "-o", "pid=", "--ppid", str(self.web.pid)],
            capture_output=True,
            text=True,
            check=False,
        )
        return [int(p) for p in out.stdout.split()]

    # scenario

    def payload(self, photo: tuple[str, int] | None = None) -> dict[str, Any]:
        inspection, version, answers = self.targets.pop()
        sha, size = photo or (PHOTO_SHA256, 48213)
        return {
            "id": str(uuid.uuid4()),
            "inspection": inspection,
            "template_version": version,
            "answers": answers,
            "device_submitted_at": time.strftime("%Y-%m-%dT%H:%M:%S+00:00", time.gmtime()),
            "attachments": [{"name": PHOTO_REF, "sha256": sha, "size": size}],
        }

    # database helpers

    def primary_key(self, table: str) -> str:
        row = self.pg.execute(
            "SELECT a.attname FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid "
            "AND a.attnum = ANY(i.indkey) WHERE i.indrelid = %s::regclass AND i.indisprimary",
            [table],
        ).fetchone()
        return str(row[0]) if row else ""

    def snapshot(self) -> dict[str, set[Any]]:
        """The primary keys of every table (they are small here): what a phase added is the
        difference."""
        return {
            t: {r[0] for r in self.pg.execute(f'SELECT "{pk}"::text FROM "{t}"').fetchall()}
            for t, pk in self.pks.items()
            if pk
        }

    # 1, 2: HTTP

    def measure_single(self) -> list[str]:
        args = self.args
        payloads = [self.payload() for _ in range(args.single)]
        with self.profiling("single"), self.cpu("single", args.single):
            wall, latencies = run_parallel(
                self.clients, deal(payloads, args.clients), lambda c, p: c.post_single(p)
            )
        rate = args.single / wall
        p50, p99 = percentile(latencies, 50) * 1000, percentile(latencies, 99) * 1000
        self.out["single"] = {"rate": rate, "p50": p50, "p99": p99}
        say(
            f"single: {args.single} POSTs of one submission ({len(json.dumps(payloads[0])) / 1024:.1f} KiB) "
            f"from {args.clients} clients: {rate:7.1f} submissions/s, "
            f"latency p50 {p50:.1f} ms, p99 {p99:.1f} ms; {self.cpu_text('single')}"
        )
        self.single_payloads = payloads
        return [p["id"] for p in payloads]

    def measure_replays(self) -> None:
        """The same single submissions sent again (a phone that lost the answers): the same
        server, clients, parsing, token and rendering, one read and no write. The fixed cost of a
        request on this path, which no change to the writes can go below."""
        args = self.args
        payloads = self.single_payloads
        with self.profiling("replay"), self.cpu("replay", len(payloads)):
            wall, latencies = run_parallel(
                self.clients, deal(payloads, args.clients), lambda c, p: c.post_single(p, expected=200)
            )
        rate = len(payloads) / wall
        self.out["replay"] = {"rate": rate, "p50": percentile(latencies, 50) * 1000}
        say(
            f"replays: the same {len(payloads)} POSTs again (answered 200 from one read, nothing written): "
            f"{rate:7.1f}/s, latency p50 {percentile(latencies, 50) * 1000:.1f} ms; a new submission costs "
            f"{self.out['single']['rate'] / rate:.2f} of a replay's rate; {self.cpu_text('replay')}"
        )

    @contextlib.contextmanager
    def cpu(self, phase: str, n: int) -> Any:
        """CPU milliseconds per request of the web processes, PostgreSQL and the clients (this
        process) over a phase: where the machine's two cores went, whatever the wall clock says."""
        pg = postmaster()
        query = "SELECT sessions FROM pg_stat_database WHERE datname = current_database()"

        def sessions() -> int:
            row = self.pg.execute(query).fetchone()
            return int(row[0]) if row else 0

        opened = sessions()
        workers = self.web_workers()
        each = [tree_cpu(w) for w in workers]
        before = (tree_cpu(self.web.pid), tree_cpu(pg), time.process_time())
        machine = machine_cpu()
        started = time.perf_counter()
        yield
        wall = time.perf_counter() - started
        client_cpu = time.process_time()
        machine = [a - b for a, b in zip(machine_cpu(), machine, strict=True)]
        each = [tree_cpu(w) - b for w, b in zip(workers, each, strict=True)]
        time.sleep(0.5)  # backends that closed at the end are reaped into the postmaster's total
        after = (tree_cpu(self.web.pid), tree_cpu(pg), client_cpu)
        self.out.setdefault("sessions", {})[phase] = (sessions() - opened) / n
        # How the work spread over the web processes (a client's keep-alive connection stays with
        # the process that accepted it), how busy the machine's cores were, and how much of that
        # was this run's web processes and clients (PostgreSQL's total counts every database of
        # the cluster, so it is left out here).
        ours = (after[0] - before[0]) + (after[2] - before[2])
        self.out.setdefault("spread", {})[phase] = (
            [100 * e / max(sum(each), 1e-9) for e in each],
            100 * machine[0] / max(machine[1], 1e-9),
            100 * ours / (wall * (os.cpu_count() or 1)),
        )
        per = [1000 * (a - b) / n for a, b in zip(after, before, strict=True)]
        self.out.setdefault("cpu", {})[phase] = per

    def cpu_text(self, phase: str, unit: str = "request") -> str:
        web, pg, clients = self.out["cpu"][phase]
        shares, busy, ours = self.out["spread"][phase]
        return (
            f"CPU per {unit}: web {web:.2f} ms, PostgreSQL {pg:.2f} ms, clients {clients:.2f} ms; "
            f"database sessions opened per {unit}: {self.out['sessions'][phase]:.2f}; "
            f"web CPU by process {' / '.join(f'{x:.0f}' for x in shares)} %, "
            f"the cores were {busy:.0f} % busy, {ours:.0f} % with this server and its clients"
        )

    def measure_floor(self) -> None:
        """The same POSTs with no token, refused 401 by the API before anything is parsed or read:
        gunicorn, Django's middleware, DRF's dispatch and a problem+json answer, no database. What
        any endpoint of this stack costs before it does its work: the ceiling of every view here."""
        args = self.args
        payloads = self.single_payloads

        def refused(client: Client, payload: dict[str, Any]) -> float:
            body = json.dumps(payload).encode()
            headers = {k: v for k, v in client.headers().items() if k != "Authorization"}
            t0 = time.perf_counter()
            status, content = client.request("POST", SINGLE_URL, body, headers)
            elapsed = time.perf_counter() - t0
            if status != 401:
                raise Broken(f"a submission without a token: HTTP {status}: {content[:2000]!r}")
            return elapsed

        with self.cpu("floor", len(payloads)):
            wall, latencies = run_parallel(self.clients, deal(payloads, args.clients), refused)
        rate = len(payloads) / wall
        self.out["floor"] = {"rate": rate, "p50": percentile(latencies, 50) * 1000}
        say(
            f"floor: the same {len(payloads)} POSTs without a token (refused 401, nothing parsed or read): "
            f"{rate:7.1f}/s, latency p50 {percentile(latencies, 50) * 1000:.1f} ms; the framework "
            f"alone, the ceiling of any view on this server; {self.cpu_text('floor')}"
        )

    def measure_batches(self) -> list[str]:
        args = self.args
        batches = [[self.payload() for _ in range(BATCH_SIZE)] for _ in range(args.batches)]
        with self.profiling("batch"), self.cpu("batch", args.batches * BATCH_SIZE):
            wall, latencies = run_parallel(
                self.clients, deal(batches, args.clients), lambda c, items: c.post_batch(items)
            )
        rate = args.batches * BATCH_SIZE / wall
        p50, p99 = percentile(latencies, 50) * 1000, percentile(latencies, 99) * 1000
        self.out["batch"] = {"rate": rate, "p50": p50, "p99": p99}
        size = len(json.dumps({"items": batches[0]})) / 1024 / 1024
        say(
            f"batch:  {args.batches} POSTs of {BATCH_SIZE} submissions ({size:.2f} MiB) from "
            f"{args.clients} clients: {rate:7.1f} submissions/s, per batch p50 {p50:.0f} ms, "
            f"p99 {p99:.0f} ms; "
            f"{self.cpu_text('batch', 'submission')}"
        )
        return [p["id"] for items in batches for p in items]

    # 3: rows and statements

    def rows_per_submission(self, before: dict[str, set[Any]], after: dict[str, set[Any]], n: int) -> None:
        grown = {t: len(after[t] - before[t]) / n for t in after if len(after[t]) > len(before[t])}
        self.out["rows"] = sum(grown.values())
        say(
            f"rows inserted per submission: {sum(grown.values()):.2f} ("
            + ", ".join(f"{t} {v:.2f}" for t, v in sorted(grown.items(), key=lambda kv: -kv[1]))
            + "); plus one UPDATE of the inspection's status"
        )

    def count_statements(self) -> None:
        out = self.scratch / "statements.json"
        items = [self.payload() for _ in range(2 + QUERY_SAMPLE_BATCH)]
        (self.scratch / "statement_items.json").write_text(json.dumps(items))
        done = subprocess.run(  # noqa: S603
            [PY, __file__, "--count", str(self.scratch / "statement_items.json"), "--result", str(out)],
            env=self.env,
            cwd=ROOT,
            check=False,
        )
        if done.returncode != 0:
            raise Broken("counting statements failed")
        counted = json.loads(out.read_text())
        self.out["statements"] = counted
        say(
            f"SQL statements (transaction control included): single submission {counted['single'][0]} "
            f"({counted['names'][0]}) / {counted['single'][1]} ({counted['names'][1]}); a batch of "
            f"{QUERY_SAMPLE_BATCH}: {counted['batch']} ({counted['batch'] / QUERY_SAMPLE_BATCH:.1f} "
            "per item; a batch costs the same whatever its size)"
        )

    # 4: the raw ceiling

    def raw_ceiling(
        self,
        before: dict[str, set[Any]],
        mid: dict[str, set[Any]],
        after: dict[str, set[Any]],
        single_ids: list[str],
        batch_ids: list[str],
    ) -> None:
        import psycopg

        tables = [t for t in self.tables if len(after[t]) > len(before[t]) and t not in BACKGROUND_TABLES]
        columns: dict[str, list[tuple[str, str]]] = {}
        for t in tables:
            columns[t] = [
                (str(name), str(kind))
                for name, kind in self.pg.execute(
                    "SELECT attname, format_type(atttypid, atttypmod) FROM pg_attribute "
                    "WHERE attrelid = %s::regclass AND attnum > 0 AND NOT attisdropped "
                    "AND attgenerated = '' ORDER BY attnum",
                    [t],
                ).fetchall()
            ]
            self.pg.execute(f'CREATE TABLE "raw_{t}" (LIKE "{t}" INCLUDING ALL)')
            for (definition,) in self.pg.execute(
                "SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = %s::regclass "
                "AND contype = 'f'",
                [t],
            ).fetchall():
                self.pg.execute(f'ALTER TABLE "raw_{t}" ADD {definition}')

        def rows_of(table: str, keys: set[Any]) -> list[tuple[Any, ...]]:
            names = ", ".join(f'"{n}"::text' for n, _ in columns[table])
            pk = self.pks[table]
            return self.pg.execute(
                f'SELECT {names} FROM "{table}" WHERE "{pk}"::text = ANY(%s) ORDER BY "{pk}"',
                [sorted(keys)],
            ).fetchall()

        def inspections_of(ids: list[str]) -> list[int]:
            return [
                r[0]
                for r in self.pg.execute(
                    "SELECT inspection_id FROM inspections_submission WHERE uuid::text = ANY(%s)", [ids]
                ).fetchall()
            ]

        def split(rows: list[Any], n: int) -> list[list[Any]]:
            size, extra = divmod(len(rows), n)
            out, at = [], 0
            for i in range(n):
                take = size + (1 if i < extra else 0)
                out.append(rows[at : at + take])
                at += take
            return out

        def units(
            phase_before: dict[str, set[Any]], phase_after: dict[str, set[Any]], ids: list[str], n: int
        ):
            """n transactions' worth of work: each table's rows of the phase dealt evenly."""
            per_table = {t: split(rows_of(t, phase_after[t] - phase_before[t]), n) for t in tables}
            inspections = split(inspections_of(ids), n)
            return [({t: per_table[t][i] for t in tables}, inspections[i]) for i in range(n)]

        conninfo = self.url
        clients = self.args.clients

        def inserts(conn: Any, unit: Any) -> None:
            rows, inspection_ids = unit
            with conn.transaction():
                for t in tables:
                    if not rows[t]:
                        continue
                    cast = ", ".join(f"%s::{kind}" for _, kind in columns[t])
                    names = ", ".join(f'"{n}"' for n, _ in columns[t])
                    values = ", ".join(f"({cast})" for _ in rows[t])
                    conn.execute(
                        f'INSERT INTO "raw_{t}" ({names}) VALUES {values}',
                        [v for row in rows[t] for v in row],
                    )
                conn.execute(
                    "UPDATE inspections_inspection SET status = 'submitted', updated_at = now() "
                    "WHERE id = ANY(%s)",
                    [inspection_ids],
                )

        def copies(conn: Any, unit: Any) -> None:
            rows, inspection_ids = unit
            with conn.transaction():
                for t in tables:
                    names = ", ".join(f'"{n}"' for n, _ in columns[t])
                    with conn.cursor().copy(f'COPY "raw_{t}" ({names}) FROM STDIN') as copy:
                        for row in rows[t]:
                            copy.write_row(row)
                conn.execute(
                    "UPDATE inspections_inspection SET status = 'submitted', updated_at = now() "
                    "WHERE id = ANY(%s)",
                    [inspection_ids],
                )

        def drive(work: list[Any], do: Any) -> float:
            todo: queue.Queue[Any] = queue.Queue()
            for unit in work:
                todo.put(unit)
            connections = [psycopg.connect(conninfo, autocommit=True) for _ in range(clients)]
            errors: list[BaseException] = []

            def loop(conn: Any) -> None:
                try:
                    while True:
                        try:
                            unit = todo.get_nowait()
                        except queue.Empty:
                            return
                        do(conn, unit)
                except BaseException as exc:
                    errors.append(exc)

            threads = [threading.Thread(target=loop, args=(conn,)) for conn in connections]
            t0 = time.perf_counter()
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            wall = time.perf_counter() - t0
            for conn in connections:
                conn.close()
            if errors:
                raise Broken(f"raw ceiling: {errors[0]}")
            return wall

        single_units = units(before, mid, single_ids, len(single_ids))
        with self.cpu("raw", len(single_ids)):
            single_rate = len(single_ids) / drive(single_units, inserts)
        for t in tables:
            self.pg.execute(f'TRUNCATE "raw_{t}" CASCADE')
        batch_units = units(mid, after, batch_ids, len(batch_ids) // BATCH_SIZE)
        copy_rate = len(batch_ids) / drive(batch_units, copies)
        rows = sum(len(r) for unit in single_units for r in unit[0].values()) / len(single_ids)
        self.out["raw"] = {"single": single_rate, "copy": copy_rate}
        say(
            f"raw psycopg, the same rows ({rows:.2f} per submission in {len(tables)} tables: "
            f"{', '.join(tables)}) and the status UPDATE, {clients} connections:\n"
            f"  one transaction per submission, a multi-row INSERT per table: {single_rate:8.0f}/s; "
            f"single HTTP is {100 * self.out['single']['rate'] / single_rate:.1f}% of it (replays "
            f"{100 * self.out['replay']['rate'] / single_rate:.1f}%, refused without a token "
            f"{100 * self.out['floor']['rate'] / single_rate:.1f}%); PostgreSQL "
            f"{self.out['cpu']['raw'][1]:.2f} ms CPU per submission, the clients "
            f"{self.out['cpu']['raw'][2]:.2f} ms\n"
            f"  one transaction per {BATCH_SIZE}, a COPY per table:              {copy_rate:8.0f}/s; "
            f"batch HTTP is {100 * self.out['batch']['rate'] / copy_rate:.1f}% of it"
        )

    # 5: a large upload

    def large_upload(self) -> None:
        photo = make_photo(int(self.args.photo_mb * 1000 * 1000))  # 15 MB: under the 15 MiB limit
        sha = hashlib.sha256(photo).hexdigest()
        client = self.clients[0]
        payload = self.payload(photo=(sha, len(photo)))
        client.post_single(payload)
        workers = self.web_workers()
        before = {pid: memory(pid) for pid in workers}
        headers = client.headers("image/jpeg")
        headers["Content-Length"] = str(len(photo))
        t0 = time.perf_counter()
        status, content = client.request(
            "PUT", f"/api/mobile/v1/submissions/{payload['id']}/attachments/{PHOTO_REF}", photo, headers
        )
        elapsed = time.perf_counter() - t0
        if status not in (200, 201):
            raise Broken(f"large upload: HTTP {status}: {content[:2000]!r}")
        after = {pid: memory(pid) for pid in workers}
        peak_rise = max(after[p]["VmHWM"] - before[p]["VmHWM"] for p in workers)
        rss_rise = max(after[p]["VmRSS"] - before[p]["VmRSS"] for p in workers)
        mb = len(photo) / 1024 / 1024
        self.out["upload"] = {"mb": mb, "peak_rise_mb": peak_rise / 1024, "rss_rise_mb": rss_rise / 1024}
        say(
            f"large upload: a {mb:.1f} MB JPEG PUT in {elapsed:.2f} s; the web process's peak memory rose "
            f"{peak_rise / 1024:.1f} MB ({100 * peak_rise / 1024 / mb:.0f}% of the file), its resident "
            f"memory after by {rss_rise / 1024:.1f} MB"
        )

    # 6: staleness under load

    def staleness(self) -> None:
        args = self.args
        self.worker = self.start(
            "worker",
            [
                str(BIN / "celery"), "-A", "backend", "worker", "--beat", "--concurrency", "2",
                "--schedule", str(self.scratch / "beat-schedule"), "--without-gossip", "--without-mingle",
                "--loglevel", "WARNING",
            ],
            self.env,
        )  # fmt: skip
        started = time.monotonic()
        deadline = started + 300
        while not self.clock():
            if time.monotonic() > deadline or self.worker.poll() is not None:
                raise Broken(f"the worker never refreshed the rollups:\n{self.log_tail('worker')}")
            time.sleep(0.5)
        say(
            f"worker and beat started: the first refresh after {time.monotonic() - started:.0f} s "
            "(behind the outbox's tasks of the runs above)"
        )
        stop = threading.Event()
        sent = [0] * len(self.clients)
        lock = threading.Lock()

        def load(i: int, client: Client) -> None:
            while not stop.is_set():
                with lock:
                    if not self.targets:
                        return
                    payload = self.payload()
                client.post_single(payload)
                sent[i] += 1

        threads = [threading.Thread(target=load, args=(i, c)) for i, c in enumerate(self.clients)]
        for t in threads:
            t.start()
        ages: list[float] = []
        refreshes: list[int] = []
        t0 = time.monotonic()
        while time.monotonic() - t0 < args.load_seconds:
            time.sleep(0.5)
            as_of = self.clock()
            ages.append(time.time() - as_of)
            row = self.pg.execute("SELECT took_ms FROM reporting_rollupclock WHERE key = 'queue'").fetchone()
            refreshes.append(int(row[0]) if row else 0)
        stop.set()
        for t in threads:
            t.join()
        load_end = time.time()
        load_rate = sum(sent) / (time.monotonic() - t0)
        drained = None
        while time.time() - load_end < 120:
            queued = self.pg.execute("SELECT count(*) FROM reporting_rollupqueue").fetchone()[0]
            as_of = self.clock()
            if queued == 0 and as_of >= load_end:
                drained = time.time() - load_end
                break
            time.sleep(0.2)
        code, check = self.manage("rollups", "check", check=False)
        exact = code == 0
        self.out["staleness"] = {"max": max(ages), "p50": percentile(ages, 50), "drained": drained}
        refresh = max(refreshes) if refreshes else 0
        say(
            f"staleness under load ({sum(sent)} submissions in {args.load_seconds:.0f} s from "
            f"{len(self.clients)} clients, {load_rate:.0f}/s; beat refreshes every 2 s): the rollups' "
            f"age (now - as_of) p50 {percentile(ages, 50):.1f} s, max {max(ages):.1f} s; the longest "
            f"refresh {refresh} ms; "
            + (
                f"exact {drained:.1f} s after the load stopped"
                if drained is not None
                else "the queue did not drain within 120 s"
            )
        )
        say(f"  manage.py rollups check: {'rollups equal the raw aggregation' if exact else check[-1500:]}")
        if not exact or drained is None:
            raise Broken("the rollups are not exact once the queue drained")

    def clock(self) -> float:
        row = self.pg.execute(  # the queue's clock (backend.reporting.services.QUEUE_CLOCK), not another's
            "SELECT extract(epoch FROM as_of) FROM reporting_rollupclock WHERE key = 'queue'"
        ).fetchone()
        return float(row[0]) if row else 0.0

    # profile

    @contextlib.contextmanager
    def profiling(self, name: str) -> Any:
        if not self.args.profile:
            yield
            return
        spies = []
        for pid in self.web_workers():
            out = self.scratch / f"profile-{name}-{pid}.txt"
            spy = subprocess.Popen(  # noqa: S603
                [str(BIN / "py-spy"), "record", "--pid", str(pid), "--format", "raw", "--rate", "200",
                 "--output", str(out), "--nonblocking", *os.environ.get("BENCH_PYSPY", "").split()],
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            )  # fmt: skip
            spies.append((spy, out))
        time.sleep(1.0)
        try:
            yield
        finally:
            for spy, _ in spies:
                spy.send_signal(signal.SIGINT)
            for spy, _ in spies:
                spy.wait(timeout=60)
            print_profile(name, [out for _, out in spies])

    def summary(self) -> None:
        s, b, raw = self.out["single"], self.out["batch"], self.out["raw"]
        u, st = self.out["upload"], self.out["staleness"]
        say(f"\n== summary (PostgreSQL, gunicorn, {len(self.clients)} clients)")
        say(
            f"single {s['rate']:.1f}/s = {100 * s['rate'] / raw['single']:.1f}% of raw psycopg "
            f"({raw['single']:.0f}/s; replays of the same {self.out['replay']['rate']:.0f}/s = "
            f"{100 * self.out['replay']['rate'] / raw['single']:.1f}%; refused without a token "
            f"{self.out['floor']['rate']:.0f}/s = {100 * self.out['floor']['rate'] / raw['single']:.1f}%); "
            f"batch {b['rate']:.1f}/s = {100 * b['rate'] / raw['copy']:.1f}% of raw "
            f"COPY ({raw['copy']:.0f}/s); {self.out['rows']:.2f} rows and "
            f"{self.out['statements']['single'][1]} statements per single submission, "
            f"{self.out['statements']['batch']} per batch ({QUERY_SAMPLE_BATCH} items); "
            f"{u['mb']:.0f} MB upload: peak memory +{u['peak_rise_mb']:.1f} MB; rollups' age under load max "
            f"{st['max']:.1f} s, exact {st['drained']:.1f} s after"
        )


def memory(pid: int) -> dict[str, int]:
    """VmHWM and VmRSS of a process, in KiB."""
    values = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, rest = line.partition(":")
        if key in ("VmHWM", "VmRSS"):
            values[key] = int(rest.split()[0])
    return values


def make_photo(target: int) -> bytes:
    """A real JPEG of about ``target`` bytes: camera-like noise, which JPEG cannot shrink much."""
    import random

    from PIL import Image

    rng = random.Random(7)
    side = int(math.sqrt(target / 1.2))  # about 1.2 bytes per pixel for noise at quality 90
    for _ in range(8):
        width, height = side * 4 // 3, side * 3 // 4
        image = Image.frombytes("RGB", (width, height), rng.randbytes(width * height * 3))
        out = io.BytesIO()
        image.save(out, format="JPEG", quality=90)
        data = out.getvalue()
        if target * 0.95 < len(data) <= target:
            return data
        side = int(side * math.sqrt(target * 0.98 / len(data)))
    return data


def _frame_label(frame: str) -> str:
    """``function (file.py)`` of a py-spy frame ``function (path/file.py:line)``."""
    function, _, where = frame.partition(" (")
    return f"{function} ({where.split(':')[0].rsplit('/', 1)[-1]})"


def print_profile(name: str, files: list[Path]) -> None:
    """py-spy's raw output (folded stacks with counts): the functions most often on the stack
    (inclusive), the project's and the libraries' apart."""
    inclusive: collections.Counter[str] = collections.Counter()
    own: collections.Counter[str] = collections.Counter()
    total = 0
    for path in files:
        if not path.exists():
            continue
        for line in path.read_text(errors="replace").splitlines():
            stack, _, count = line.rpartition(" ")
            if not count.isdigit():
                continue
            n = int(count)
            frames = [f for f in stack.split(";") if f]
            # only the threads handling a request (gthread workers idle in select otherwise)
            if not any("handle_request" in f for f in frames):
                continue
            total += n
            seen = set()
            for frame in frames:
                label = (
                    frame.split(" (")[0] + " (" + frame.split(" (")[-1].split(":")[0].rsplit("/", 1)[-1] + ")"
                )
                if label not in seen:
                    inclusive[label] += n
                    seen.add(label)
            own[
                frames[-1].split(" (")[0]
                + " ("
                + frames[-1].split(" (")[-1].split(":")[0].rsplit("/", 1)[-1]
                + ")"
            ] += n
    if not total:
        say(f"profile of {name}: no samples (py-spy needs ptrace)")
        return
    say(f"profile of {name} (py-spy, {total} samples in requests): inclusive share of the time")
    skip = ("handle_request", "handle", "__call__", "inner", "_get_response", "view", "dispatch", "wrapper")
    shown = 0
    for label, n in inclusive.most_common(200):
        if label.split(" (")[0] in skip or n / total > 0.97:
            continue
        say(f"  {100 * n / total:5.1f}%  {label}")
        shown += 1
        if shown >= int(os.environ.get("BENCH_PROFILE_TOP", "18")):
            break
    say("  own time: " + "; ".join(f"{label} {100 * n / total:.1f}%" for label, n in own.most_common(8)))


def print_context(elapsed: float) -> None:
    import django
    import psycopg
    import rest_framework

    load = ", ".join(f"{v:.2f}" for v in os.getloadavg())
    server = "-"
    with contextlib.suppress(Exception), psycopg.connect(PG_ADMIN_URL, connect_timeout=3) as conn:
        row = conn.execute(
            "SELECT current_setting('server_version'), current_setting('synchronous_commit'), "
            "current_setting('fsync')"
        ).fetchone()
        server = f"{row[0]} (synchronous_commit={row[1]}, fsync={row[2]})"
    say(
        f"\nmachine: {os.cpu_count()} CPUs (load average {load} at the end), {platform.machine()}, "
        f"{platform.system()} {platform.release()}; Python {platform.python_version()}, Django "
        f"{django.get_version()}, DRF {rest_framework.VERSION}, psycopg {psycopg.__version__}, PostgreSQL "
        f"{server}; total {elapsed:.0f} s"
    )


# --- Child processes: the scenario, and the statement count -------------------------------------


def setup_scenario(count: int, result: str) -> int:
    os.chdir(ROOT)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    import datetime as dt

    from django.db import transaction
    from django.utils import timezone

    from backend.checklists.models import TemplateVersion
    from backend.checklists.services import checklists_load_builtin, parsed_definition
    from backend.inspections import services as inspections
    from backend.inspections.models import Operation
    from tests import factories
    from tests.checklists.engine.factories import fill

    checklists_load_builtin()
    now = timezone.now()
    factories.agency("DSAL")
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
    targets = []
    with transaction.atomic():
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
            targets.append([str(inspection.uuid), str(versions[code].uuid), answers[code]])
    Path(result).write_text(json.dumps({"targets": targets}))
    return 0


def count_statements(items_file: str, result: str) -> int:
    """The statements of two single submissions (one of each checklist) and one batch, through
    the same view in-process (DRF's test client, a device token from the sign-in endpoint)."""
    os.chdir(ROOT)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from rest_framework.test import APIClient

    from backend.checklists.models import TemplateVersion

    items = json.loads(Path(items_file).read_text())
    client = APIClient()
    response = client.post(
        "/api/mobile/v1/auth/sign-in/",
        {"username": "bench", "password": PASSWORD, "device_name": "counting phone"},
        format="json",
    )
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {response.json()['token']}")
    client.post(SINGLE_URL, json.dumps(items[0]), content_type="application/json")  # token's first use
    singles, names = [], []
    for payload in items[:2]:
        payload = {**payload, "id": str(uuid.uuid4())} if payload is items[0] else payload
        with CaptureQueriesContext(connection) as queries:
            response = client.post(SINGLE_URL, json.dumps(payload), content_type="application/json")
        if response.status_code not in (200, 201):
            print(response.content[:2000])
            return 1
        singles.append(len(queries))
        if os.environ.get("BENCH_SQL"):  # BENCH_SQL=1: each statement of the single submissions
            for query in queries.captured_queries:
                print(f"  [{query['time']} s] {query['sql'][:400]}")
        names.append(TemplateVersion.objects.get(uuid=payload["template_version"]).template.code)
    with CaptureQueriesContext(connection) as queries:
        response = client.post(BATCH_URL, json.dumps({"items": items[2:]}), content_type="application/json")
    if response.status_code != 200:
        print(response.content[:2000])
        return 1
    Path(result).write_text(json.dumps({"single": singles, "names": names, "batch": len(queries)}))
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--single", type=int, default=400, metavar="N", help="single submissions (400)")
    parser.add_argument("--batches", type=int, default=8, metavar="B", help="batches of 200 (8)")
    parser.add_argument("--clients", type=int, default=4, metavar="C", help="concurrent clients (4)")
    parser.add_argument("--photo-mb", type=float, default=15.0, metavar="P", help="the large upload (15 MB)")
    parser.add_argument("--load-seconds", type=float, default=20.0, metavar="L", help="staleness run (20 s)")
    parser.add_argument("--profile", action="store_true", help="py-spy the web processes; print the top")
    parser.add_argument("--setup", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--count", help=argparse.SUPPRESS)
    parser.add_argument("--result", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.setup:
        return setup_scenario(args.setup, args.result)
    if args.count:
        return count_statements(args.count, args.result)
    if args.single < args.clients or args.batches < 1 or args.clients < 1:
        parser.error("--single must be at least --clients; --batches and --clients at least 1")
    return Run(args).main()


if __name__ == "__main__":
    sys.exit(main())
