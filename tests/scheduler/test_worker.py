"""Planning on the default setup, through the path `make run` uses: the web process records the
run in the outbox and hands it to kombu's file-system transport; a real Celery worker process,
started here with `make run`'s options, consumes it and plans; the planner follows the job.

The database is made for this test (a SQLite file, or a new PostgreSQL database on the server
DATABASE_URL names), since the worker is another process and cannot see a test transaction.
Run the suite with DATABASE_URL set to PostgreSQL to plan on PostgreSQL.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import uuid
from pathlib import Path

import dj_database_url
import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]
CELERY = str(Path(sys.executable).with_name("celery"))
# The worker `make run` starts (see the Makefile's CELERY_WORKER).
WORKER_OPTIONS = [
    "--concurrency",
    "2",
    "--without-gossip",
    "--without-mingle",
    "--without-heartbeat",
    "--loglevel=INFO",
]


@pytest.fixture
def fresh_database(tmp_path):
    """A DATABASE_URL for a new, empty database of the kind the suite runs on."""
    db = settings.DATABASES["default"]
    if db["ENGINE"] == "django.db.backends.sqlite3":
        yield f"sqlite:///{tmp_path / 'night.sqlite3'}"
        return
    import psycopg

    name = f"night_{uuid.uuid4().hex[:10]}"
    url = dj_database_url.parse(os.environ["DATABASE_URL"])
    admin = dict(
        host=url["HOST"], port=url["PORT"] or 5432, user=url["USER"], password=url["PASSWORD"] or None
    )
    with psycopg.connect(dbname="postgres", autocommit=True, **admin) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"postgresql://{url['USER']}@{url['HOST']}:{url['PORT'] or 5432}/{name}"
    finally:
        with psycopg.connect(dbname="postgres", autocommit=True, **admin) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _env(database_url: str, broker: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST", "DJANGO_"))}
    env.update(
        DATABASE_URL=database_url,
        CELERY_BROKER_URL="filesystem://",
        CELERY_BROKER_FOLDER=str(broker),
        DJANGO_SETTINGS_MODULE="backend.settings",
        ALLOWED_HOSTS="testserver,localhost",
        CONSOLE_2FA_REQUIRED="false",  # the second factor has tests of its own; here: planning
    )
    return env


def test_a_night_operation_plans_in_a_real_worker_on_the_embedded_transport(fresh_database, tmp_path):
    env = _env(fresh_database, tmp_path / "broker")
    migrate = subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        timeout=300,
    )
    assert migrate.returncode == 0, migrate.stderr.decode()[-2000:]
    worker_log = (tmp_path / "worker.log").open("wb")
    worker = subprocess.Popen(  # noqa: S603 (our own command line)
        [CELERY, "-A", "backend", "worker", "--beat", "--schedule", str(tmp_path / "beat"), *WORKER_OPTIONS],
        cwd=ROOT,
        env=env,
        stdout=worker_log,
        stderr=subprocess.STDOUT,
    )
    try:
        driver = subprocess.run(
            [sys.executable, "-m", "tests.scheduler.night_city", "10"],
            cwd=ROOT,
            env=env,
            capture_output=True,
            timeout=400,
        )
    finally:
        worker.send_signal(signal.SIGTERM)  # what Ctrl-C in `make run` does to it
        try:
            worker.wait(timeout=60)
        finally:
            if worker.poll() is None:
                worker.kill()
            worker_log.close()
    log = (tmp_path / "worker.log").read_text(errors="replace")
    out = driver.stdout.decode()
    assert driver.returncode == 0, (driver.stderr.decode()[-3000:], log[-3000:])
    result = json.loads(out.split("RESULT ", 1)[1])
    print(
        json.dumps({k: result[k] for k in ("answered_seconds", "writes", "samples")})
    )  # figures for the record
    job, samples = result["job"], result["samples"]

    assert job["status"] == "succeeded", (job, log[-3000:])
    # At once, not after the 10 s solve (the margin is for a shared, busy machine).
    assert result["answered_seconds"] < 8, "plan/start must answer at once, not after the solve"
    running = [s for s in samples if s["status"] == "running"]
    assert len({s["progress"] for s in running}) >= 2, samples  # the bar moves while it runs
    assert any(s["best_objective"] is not None for s in running), samples
    # The run holds no lock while it solves: the web process writes at once meanwhile.
    assert len(result["writes"]) == 3 and all(w["status"] == 201 for w in result["writes"]), result["writes"]
    assert max(w["seconds"] for w in result["writes"]) < 3, result["writes"]
    assert "scheduler.run_job" in log and "succeeded" in log  # the worker process did the work
    plan = result["plan"]
    stops = [s for r in plan["routes"] for s in r["stops"]]
    assert len(stops) + len(plan["unplanned"]) == 15
    assert len(stops) >= 10 and {s["wave"] for s in stops} == {"W1", "W2"}
    assert all(u["detail"] for u in plan["unplanned"])
    assert worker.returncode is not None
