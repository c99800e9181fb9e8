"""Load: N simulated officers each sync a day's work through the production server.

    .venv/bin/python -m tests.load.load_officers                  # 200 officers x 20 visits
    .venv/bin/python -m tests.load.load_officers --officers 20 --visits 5 --concurrency 10
    make load                                                     # the same, full size

It starts the production stack as ``make serve`` does and as tests/deploy/test_production_stack.py
does (the Procfile through honcho: gunicorn with WEB_CONCURRENCY processes, a Celery worker and
beat) on a PostgreSQL database of its own (dropped afterwards) and Redis (broker and cache; db
numbers of its own), writes N officers with V visits each (tests/load/load_setup.py), then runs
the officers, at most ``--concurrency`` at once. Each officer does what the field app does on a
day's sync: signs in, reads the assignments, and for each visit posts the submission and uploads
its photo (a real JPEG of its own, ``--photo-edge`` pixels wide). A request that fails (5xx, 429,
no answer) is sent again with the same ids, as the phone does, up to 5 times; every failure counts
in the error rate.

Bounded in count (N x V) and in time (``--time-limit``: no new officer starts after it, and
every request has a timeout). Prints the error rate, p50/p95/p99 per kind of request, the
throughput, the server's peak memory (the resident sets of the gunicorn, worker and beat
processes, sampled every 0.5 s), and what the database holds: every submission exactly once with
its photo received. Exit status 1 when anything was lost or duplicated. The machine's CPU is
shared by the load and the server: the figures are of both on one box.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import contextlib
import datetime as dt
import hashlib
import io
import json
import os
import secrets
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import requests

from tests.checklists.engine.factories import UUID as PHOTO_REF
from tests.deploy.test_production_stack import (
    BIN,
    PG,
    REDIS,
    ROOT,
    _create_database,
    _finish,
    _free_port,
    _run,
)

RETRIES = 5
SETUP_TIMEOUT = 1800  # writing 4,000 visits through the services takes minutes on a busy machine
TIMEOUT = 60


# --- The stack ------------------------------------------------------------------------------------


def _descendants(pid: int) -> list[int]:
    children: dict[int, list[int]] = defaultdict(list)
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children[ppid].append(int(entry.name))
    out, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            out.append(child)
            todo.append(child)
    return out


def _rss_bytes(pids: list[int]) -> int:
    total = 0
    for pid in pids:
        with contextlib.suppress(OSError):
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1]) * 1024
    return total


class MemorySampler(threading.Thread):
    """The summed resident set of the stack's processes, every half second; its peak."""

    def __init__(self, root_pid: int):
        super().__init__(daemon=True)
        self.root_pid, self.peak, self.last = root_pid, 0, 0
        self.stopping = threading.Event()

    def run(self) -> None:
        while not self.stopping.wait(0.5):
            self.last = _rss_bytes(_descendants(self.root_pid))
            self.peak = max(self.peak, self.last)


@contextlib.contextmanager
def stack(officers: int, visits: int, *, web_concurrency: int, redis_db: int) -> Iterator[dict[str, Any]]:
    import psycopg
    import redis

    folder = Path(tempfile.mkdtemp(prefix="load-stack-"))
    database = f"load_{os.getpid()}_{secrets.token_hex(3)}"
    for db in (redis_db, redis_db + 1):
        redis.Redis.from_url(f"{REDIS}/{db}").flushdb()
    port = _free_port()
    (folder / "empty.env").write_text("")
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "CELERY_", "AWS_")) and k not in {"DATABASE_URL", "CACHE_URL"}
    }
    env.update(
        {
            "PATH": f"{BIN}{os.pathsep}{env.get('PATH', '')}",
            "DEBUG": "0",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "127.0.0.1",
            "DATABASE_URL": f"{PG}/{database}",
            "CELERY_BROKER_URL": f"{REDIS}/{redis_db}",
            "CACHE_URL": f"{REDIS}/{redis_db + 1}",
            "STATIC_ROOT": str(folder / "static"),
            "STATIC_COLLECTED": "1",
            "MEDIA_ROOT": str(folder / "media"),
            "CELERY_BEAT_SCHEDULE_FILE": str(folder / "celerybeat-schedule"),
            "WEB_CONCURRENCY": str(web_concurrency),
            "WORKER_CONCURRENCY": "1",
            "PYTHONUNBUFFERED": "1",
        }
    )
    honcho = None
    log_path = folder / "honcho.log"
    try:
        started = time.monotonic()
        _create_database(database, env)
        collect = _run([sys.executable, "manage.py", "collectstatic", "--noinput", "--verbosity", "0"], env)
        setup_process = _run([sys.executable, "-m", "tests.load.load_setup", str(officers), str(visits)], env)
        try:
            out, _ = setup_process.communicate(timeout=SETUP_TIMEOUT)
        finally:
            if setup_process.poll() is None:
                setup_process.kill()
                setup_process.wait()
        if setup_process.returncode != 0:
            raise RuntimeError(f"set-up failed:\n{out}")
        setup = json.loads(out.splitlines()[-1])
        _finish(collect, "collectstatic")
        setup_seconds = time.monotonic() - started
        with log_path.open("w") as log:
            honcho = subprocess.Popen(  # noqa: S603 (the project's Procfile)
                [str(BIN / "honcho"), "start", "--procfile", "Procfile", "--env", str(folder / "empty.env"),
                 "--port", str(port), "--no-colour"],
                cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
            )  # fmt: skip
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:
            if honcho.poll() is not None:
                raise RuntimeError(f"the stack stopped:\n{log_path.read_text()}")
            with contextlib.suppress(requests.RequestException):
                if requests.get(f"{base}/healthz", timeout=5).status_code == 200:
                    break
            if time.monotonic() > deadline:
                raise RuntimeError(f"the stack did not answer in 60 s:\n{log_path.read_text()}")
            time.sleep(0.3)
        yield {
            "base": base,
            "database_url": f"{PG}/{database}",
            "setup": setup,
            "setup_seconds": setup_seconds,
            "pid": honcho.pid,
            "log": log_path,
        }
    finally:
        if honcho is not None and honcho.poll() is None:
            os.killpg(honcho.pid, signal.SIGTERM)
            try:
                honcho.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(honcho.pid, signal.SIGKILL)
                honcho.wait()
        with psycopg.connect(f"{PG}/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
        import shutil

        shutil.rmtree(folder, ignore_errors=True)


# --- The officers ---------------------------------------------------------------------------------


@dataclass
class Results:
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    examples: list[str] = field(default_factory=list)
    sent: dict[str, str] = field(default_factory=dict)  # submission id -> photo's SHA-256
    officers_done: int = 0
    officers_skipped: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, kind: str, seconds: float, error: str | None) -> None:
        with self.lock:
            self.latencies[kind].append(seconds)
            if error:
                self.errors[kind] += 1
                if len(self.examples) < 10:
                    self.examples.append(f"{kind}: {error}")


def _photo(n: int, edge: int) -> bytes:
    from PIL import Image, ImageDraw

    image = Image.effect_noise((edge, edge * 3 // 4), 40).convert("RGB")
    ImageDraw.Draw(image).text((10, 10), f"visit {n}", fill=(255, 255, 0))
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=85)
    return out.getvalue()


def _send(
    session: requests.Session, results: Results, kind: str, method: str, url: str, **kwargs: Any
) -> Any:
    """One request as a phone sends it: again with the same ids after a failure, 5 times at most."""
    for attempt in range(RETRIES):
        started = time.perf_counter()
        error = None
        try:
            response = session.request(method, url, timeout=TIMEOUT, **kwargs)
            if response.status_code >= 500 or response.status_code == 429:
                error = f"{response.status_code} {response.text[:200]}"
        except requests.RequestException as exc:
            response, error = None, f"{type(exc).__name__}: {exc}"
        results.record(kind, time.perf_counter() - started, error)
        if error is None:
            return response
        time.sleep(min(2**attempt * 0.2, 3))
    return response


def officer_day(
    base: str, person: dict[str, Any], setup: dict[str, Any], results: Results, edge: int
) -> None:
    session = requests.Session()
    signed_in = _send(
        session, results, "sign-in", "POST", f"{base}/api/mobile/v1/auth/sign-in/",
        json={"username": person["username"], "password": setup["password"], "device_name": "load phone"},
    )  # fmt: skip
    if signed_in is None or signed_in.status_code != 201:
        results.record("sign-in", 0, f"refused: {getattr(signed_in, 'status_code', None)}")
        return
    session.headers["Authorization"] = f"Bearer {signed_in.json()['token']}"
    feed = _send(session, results, "assignments", "GET", f"{base}/api/mobile/v1/assignments/")
    if feed is None or feed.status_code != 200:
        results.record("assignments", 0, f"refused: {getattr(feed, 'status_code', None)}")
        return
    for n, inspection in enumerate(person["visits"]):
        photo = _photo(n, edge)
        digest = hashlib.sha256(photo).hexdigest()
        submission_id = str(uuid.uuid4())
        submitted = _send(
            session, results, "submission", "POST", f"{base}/api/mobile/v1/submissions/",
            json={
                "id": submission_id,
                "inspection": inspection,
                "template_version": setup["template_version"],
                "answers": setup["answers"],
                "device_submitted_at": dt.datetime.now(dt.UTC).isoformat(),
                "attachments": [{"name": PHOTO_REF, "sha256": digest, "size": len(photo)}],
            },
        )  # fmt: skip
        if submitted is None or submitted.status_code not in (200, 201):
            results.record("submission", 0, f"refused: {getattr(submitted, 'status_code', None)}")
            continue
        uploaded = _send(
            session, results, "photo", "PUT",
            f"{base}/api/mobile/v1/submissions/{submission_id}/attachments/{PHOTO_REF}",
            data=photo, headers={"Content-Type": "image/jpeg"},
        )  # fmt: skip
        if uploaded is None or uploaded.status_code not in (200, 201):
            results.record("photo", 0, f"refused: {getattr(uploaded, 'status_code', None)}")
            continue
        with results.lock:
            results.sent[submission_id] = digest
    with results.lock:
        results.officers_done += 1


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))] * 1000


def database_counts(database_url: str, usernames: list[str]) -> dict[str, int]:
    import psycopg

    with psycopg.connect(database_url) as conn:
        row = conn.execute(
            """
            SELECT COUNT(*) AS submissions,
                   COUNT(DISTINCT s.uuid) AS distinct_submissions,
                   COUNT(DISTINCT s.inspection_id) AS inspections,
                   COUNT(a.id) FILTER (WHERE a.received_at IS NOT NULL) AS photos_received
            FROM inspections_submission s
            JOIN inspections_attachment a ON a.submission_id = s.id
            """
        ).fetchone()
        uuids = [r[0] for r in conn.execute("SELECT uuid::text FROM inspections_submission").fetchall()]
    return {
        "submissions": row[0],
        "distinct_submissions": row[1],
        "inspections": row[2],
        "photos_received": row[3],
        "uuids": uuids,
    }


def run(
    officers: int = 200,
    visits: int = 20,
    *,
    concurrency: int = 50,
    time_limit: float = 1200,
    photo_edge: int = 1024,
    web_concurrency: int = 2,
    redis_db: int = 13,
    out: Any = sys.stdout,
) -> dict[str, Any]:
    """Run the load; return the figures (also printed to ``out``)."""

    def say(text: str) -> None:
        print(text, file=out, flush=True)

    say(f"== load: {officers} officers x {visits} visits, {concurrency} at once, photos {photo_edge} px wide")
    with stack(officers, visits, web_concurrency=web_concurrency, redis_db=redis_db) as s:
        say(f"stack up (set-up of the data {s['setup_seconds']:.1f} s), CPU cores: {os.cpu_count()} (shared)")
        results = Results()
        sampler = MemorySampler(s["pid"])
        sampler.start()
        idle = _rss_bytes(_descendants(s["pid"]))
        started = time.monotonic()
        stop_at = started + time_limit
        with concurrent.futures.ThreadPoolExecutor(max_workers=concurrency) as pool:

            def one(person: dict[str, Any]) -> None:
                if time.monotonic() > stop_at:
                    with results.lock:
                        results.officers_skipped += 1
                    return
                officer_day(s["base"], person, s["setup"], results, photo_edge)

            list(pool.map(one, s["setup"]["officers"]))
        elapsed = time.monotonic() - started
        sampler.stopping.set()
        sampler.join()
        counts = database_counts(s["database_url"], [p["username"] for p in s["setup"]["officers"]])

    requests_total = sum(len(v) for v in results.latencies.values())
    errors_total = sum(results.errors.values())
    expected = (officers - results.officers_skipped) * visits
    lost = sorted(set(results.sent) - set(counts.pop("uuids")))
    figures = {
        "officers": officers,
        "visits": visits,
        "officers_done": results.officers_done,
        "officers_skipped_time_limit": results.officers_skipped,
        "elapsed_s": round(elapsed, 1),
        "requests": requests_total,
        "errors": errors_total,
        "error_rate": round(errors_total / requests_total, 5) if requests_total else 0.0,
        "requests_per_s": round(requests_total / elapsed, 1) if elapsed else 0.0,
        "latency_ms": {
            kind: {
                "n": len(v),
                "p50": round(_pct(v, 0.50), 1),
                "p95": round(_pct(v, 0.95), 1),
                "p99": round(_pct(v, 0.99), 1),
                "mean": round(statistics.fmean(v) * 1000, 1),
            }
            for kind, v in sorted(results.latencies.items())
        },
        "server_rss_mb": {"idle": round(idle / 2**20, 1), "peak": round(sampler.peak / 2**20, 1)},
        "sent": len(results.sent),
        "expected": expected,
        "database": counts,
        "lost": len(lost),
        "duplicated": counts["submissions"] - counts["distinct_submissions"],
        "error_examples": results.examples,
    }
    say(json.dumps(figures, indent=1))
    say(
        f"== {requests_total} requests in {elapsed:.1f} s ({figures['requests_per_s']}/s), error rate "
        f"{figures['error_rate']:.3%}; sent {len(results.sent)}/{expected} submissions with photos, in the "
        f"database {counts['distinct_submissions']} ({counts['photos_received']} photos), lost {len(lost)}, "
        f"duplicated {figures['duplicated']}; server memory idle {figures['server_rss_mb']['idle']} MB, "
        f"peak {figures['server_rss_mb']['peak']} MB"
    )
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--officers", type=int, default=200)
    parser.add_argument("--visits", type=int, default=20, help="submissions with a photo per officer")
    parser.add_argument("--concurrency", type=int, default=50, help="officers syncing at once")
    parser.add_argument("--time-limit", type=float, default=1200, help="seconds; no officer starts after")
    parser.add_argument("--photo-edge", type=int, default=1024, help="photo width in pixels")
    parser.add_argument("--web-concurrency", type=int, default=2, help="gunicorn processes")
    parser.add_argument("--redis-db", type=int, default=13, help="the broker's db (the cache takes the next)")
    args = parser.parse_args()
    figures = run(
        args.officers,
        args.visits,
        concurrency=args.concurrency,
        time_limit=args.time_limit,
        photo_edge=args.photo_edge,
        web_concurrency=args.web_concurrency,
        redis_db=args.redis_db,
    )
    ok = (
        figures["lost"] == 0
        and figures["duplicated"] == 0
        and figures["database"]["distinct_submissions"] == figures["sent"]
        and figures["database"]["photos_received"] == figures["sent"]
    )
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
