"""The production stack the README's "Deploying" section documents, started for real.

Two gunicorn web processes, a Celery worker and beat (the Procfile, started by honcho as
``make serve`` does), PostgreSQL (a database of this test's own on 127.0.0.1:5432) and Redis (the
broker and the cache, db numbers of this test's own on 127.0.0.1:6379). Over HTTP: an officer
signs in on the officers' API and submits with a photo; a reviewer signs in for an API token with
her password and authenticator code, reads the finding and the photo, and approves; the worker
picks the task the approval queued off Redis and records the company's compliance score. Static
files come hashed, compressed and cached for a year. Skipped, saying why, when PostgreSQL or Redis
cannot be reached. Run it alone with ``pytest -m stack``.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
import requests

from tests.browser_support import totp_code
from tests.checklists.engine.factories import UUID as PHOTO_REF

pytestmark = pytest.mark.stack

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
PG = os.environ.get("STACK_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432")
REDIS = os.environ.get("STACK_REDIS_URL", "redis://127.0.0.1:6379")
REDIS_DB = int(os.environ.get("STACK_REDIS_DB", "11"))  # the broker; the cache takes the next one
PASSWORD = "correct-horse-battery"  # tests.factories' password for every persona


def _reachable_or_skip() -> None:
    import psycopg
    import redis

    try:
        psycopg.connect(f"{PG}/postgres", connect_timeout=3).close()
    except psycopg.OperationalError as exc:
        pytest.skip(f"PostgreSQL is unreachable at {PG} ({exc}); the production stack needs it")
    try:
        redis.Redis.from_url(f"{REDIS}/{REDIS_DB}", socket_connect_timeout=3).ping()
    except redis.RedisError as exc:
        pytest.skip(f"Redis is unreachable at {REDIS} ({exc}); the production stack needs it")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _run(args: list[str], env: dict[str, str]) -> subprocess.Popen:
    return subprocess.Popen(  # noqa: S603 (this Python, our own command lines)
        args, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )


def _finish(process: subprocess.Popen, what: str) -> str:
    out, _ = process.communicate(timeout=120)
    assert process.returncode == 0, f"{what} failed:\n{out}"
    return out


def _jpeg() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (32, 24), (200, 30, 30)).save(out, format="JPEG")
    return out.getvalue()


TEMPLATE = "stack_test_template"


def _migrations_digest() -> str:
    digest = hashlib.sha256()
    for path in sorted(ROOT.glob("**/migrations/*.py")):
        if ".venv" not in path.parts:
            digest.update(str(path.relative_to(ROOT)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def _create_database(database: str, env: dict[str, str]) -> None:
    """A fresh database for the stack, copied from a template migrated once per set of the
    project's migrations (a full migrate takes 20-30 s here; the copy under a second): what
    ``make serve``'s ``migrate`` leaves, without paying for it on every run."""
    import psycopg

    digest = _migrations_digest()
    with psycopg.connect(f"{PG}/postgres", autocommit=True) as conn:
        conn.execute("SELECT pg_advisory_lock(hashtext(%s))", (TEMPLATE,))
        try:
            row = conn.execute(
                "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s",
                (TEMPLATE,),
            ).fetchone()
            if row is None or row[0] != digest:
                conn.execute(f'DROP DATABASE IF EXISTS "{TEMPLATE}" WITH (FORCE)')
                conn.execute(f'CREATE DATABASE "{TEMPLATE}"')
                _finish(
                    _run(
                        [sys.executable, "manage.py", "migrate", "--noinput", "--verbosity", "0"],
                        {**env, "DATABASE_URL": f"{PG}/{TEMPLATE}"},
                    ),
                    "migrate (template)",
                )
                conn.execute(f"COMMENT ON DATABASE \"{TEMPLATE}\" IS '{digest}'")
            conn.execute(f'CREATE DATABASE "{database}" TEMPLATE "{TEMPLATE}"')
        finally:
            conn.execute("SELECT pg_advisory_unlock(hashtext(%s))", (TEMPLATE,))


@pytest.fixture
def stack(tmp_path):
    """The stack's base URL, its database URL, what the set-up wrote, and honcho's log."""
    _reachable_or_skip()
    import psycopg
    import redis

    database = f"stack_test_{os.getpid()}_{secrets.token_hex(3)}"
    for db in (REDIS_DB, REDIS_DB + 1):
        redis.Redis.from_url(f"{REDIS}/{db}").flushdb()
    port = _free_port()
    empty_env_file = tmp_path / "empty.env"
    empty_env_file.write_text("")
    log_path = tmp_path / "honcho.log"
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "CELERY_", "AWS_")) and key not in {"DATABASE_URL", "CACHE_URL"}
    }
    env.update(
        {
            "PATH": f"{BIN}{os.pathsep}{env.get('PATH', '')}",
            "DEBUG": "0",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "127.0.0.1",
            "DATABASE_URL": f"{PG}/{database}",
            "CELERY_BROKER_URL": f"{REDIS}/{REDIS_DB}",
            "CACHE_URL": f"{REDIS}/{REDIS_DB + 1}",
            "STATIC_ROOT": str(tmp_path / "static"),
            "STATIC_COLLECTED": "1",
            "MEDIA_ROOT": str(tmp_path / "media"),
            "CELERY_BEAT_SCHEDULE_FILE": str(tmp_path / "celerybeat-schedule"),
            "WEB_CONCURRENCY": "2",
            "WORKER_CONCURRENCY": "1",
            "PYTHONUNBUFFERED": "1",
        }
    )
    honcho = None
    started = time.monotonic()
    timings: dict[str, float] = {}

    def mark(phase: str) -> None:
        timings[phase] = round(time.monotonic() - started, 1)

    try:
        _create_database(database, env)
        mark("database created")
        # What `make serve` does before it starts the processes (collectstatic) beside the data.
        collect = _run([sys.executable, "manage.py", "collectstatic", "--noinput", "--verbosity", "0"], env)
        setup = json.loads(
            _finish(_run([sys.executable, "-m", "tests.deploy.stack_setup"], env), "set-up").splitlines()[-1]
        )
        mark("data set up")
        _finish(collect, "collectstatic")
        mark("static collected")

        with log_path.open("w") as log:
            honcho = subprocess.Popen(  # noqa: S603 (the project's Procfile)
                [str(BIN / "honcho"), "start", "--procfile", "Procfile", "--env", str(empty_env_file),
                 "--port", str(port), "--no-colour"],
                cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
            )  # fmt: skip
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 30
        while True:
            assert honcho.poll() is None, f"the stack stopped:\n{log_path.read_text()}"
            try:
                if requests.get(f"{base}/healthz", timeout=5).status_code == 200:
                    break
            except (requests.ConnectionError, requests.Timeout):
                pass
            assert time.monotonic() < deadline, f"the stack did not answer in 30 s:\n{log_path.read_text()}"
            time.sleep(0.3)
        mark("serving")
        yield {
            "base": base,
            "database_url": f"{PG}/{database}",
            "setup": setup,
            "log": log_path,
            "env": env,
            "timings": timings,
            "mark": mark,
        }
    finally:
        if honcho is not None and honcho.poll() is None:
            os.killpg(honcho.pid, signal.SIGTERM)
            try:
                honcho.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(honcho.pid, signal.SIGKILL)
                honcho.wait()
        with psycopg.connect(f"{PG}/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')


def _wait_for(what: str, check, log: Path, seconds: float = 30):
    deadline = time.monotonic() + seconds
    while True:
        found = check()
        if found:
            return found
        assert time.monotonic() < deadline, f"{what} did not happen in {seconds} s:\n{log.read_text()}"
        time.sleep(0.3)


def test_sign_in_submission_and_review_through_the_production_stack(stack):
    import psycopg

    base, setup, log = stack["base"], stack["setup"], stack["log"]

    # Two web processes, a worker and beat, all started by the one command.
    text = log.read_text()
    assert len(re.findall(r"Booting worker with pid", text)) == 2, text
    for process in ("web.1", "worker.1", "beat.1"):
        assert f"{process} " in text or f"{process}|" in text, text
    _wait_for("the Celery worker being ready", lambda: "ready." in log.read_text(), log)

    # The officer signs in on the officers' API and submits, then sends the photo.
    signed_in = requests.post(
        f"{base}/api/mobile/v1/auth/sign-in/",
        json={"username": "bob", "password": PASSWORD, "device_name": "stack phone"},
        timeout=10,
    )
    assert signed_in.status_code == 201, signed_in.text
    phone = requests.Session()
    phone.headers["Authorization"] = f"Bearer {signed_in.json()['token']}"
    photo = _jpeg()
    submission_id = str(uuid.uuid4())
    submitted = phone.post(
        f"{base}/api/mobile/v1/submissions/",
        json={
            "id": submission_id,
            "inspection": setup["inspection"],
            "template_version": setup["template_version"],
            "answers": setup["answers"],
            "device_submitted_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            "attachments": [
                {"name": PHOTO_REF, "sha256": hashlib.sha256(photo).hexdigest(), "size": len(photo)}
            ],
        },
        timeout=10,
    )
    assert submitted.status_code == 201, submitted.text
    uploaded = phone.put(
        f"{base}/api/mobile/v1/submissions/{submission_id}/attachments/{PHOTO_REF}",
        data=photo,
        headers={"Content-Type": "application/octet-stream"},
        timeout=10,
    )
    assert uploaded.status_code == 201, uploaded.text
    assert uploaded.json()["submission_complete"] is True

    # The reviewer's token needs her password and her authenticator's code.
    without_code = requests.post(
        f"{base}/api/v1/auth/tokens/",
        json={"username": "carol", "password": PASSWORD, "name": "review script"},
        timeout=10,
    )
    assert without_code.status_code in (400, 401, 403), without_code.text
    assert without_code.headers["Content-Type"].startswith("application/problem+json")
    token = requests.post(
        f"{base}/api/v1/auth/tokens/",
        json={
            "username": "carol",
            "password": PASSWORD,
            "otp_code": totp_code(bytes.fromhex(setup["totp_key"])),
            "name": "review script",
        },
        timeout=10,
    )
    assert token.status_code == 201, token.text
    office = requests.Session()
    office.headers["Authorization"] = f"Bearer {token.json()['token']}"

    # Signed out, or as the officer: nothing of the review.
    assert requests.get(f"{base}/api/v1/review/findings/", timeout=10).status_code == 401
    assert phone.get(f"{base}/api/v1/review/findings/", timeout=10).status_code in (401, 403)

    queue = office.get(f"{base}/api/v1/review/findings/", timeout=10)
    assert queue.status_code == 200, queue.text
    codes = sorted(f["violation_code"] for f in queue.json()["results"])
    assert codes == ["V-02", "V-04", "V-12"], codes  # the labour bureau's, not the police's V-01
    served = office.get(
        f"{base}/api/v1/review/submissions/{submission_id}/attachments/{PHOTO_REF}", timeout=10
    )
    assert served.status_code == 200 and served.headers["Content-Type"] == "image/jpeg"
    assert served.content[:3] == b"\xff\xd8\xff"
    approved = office.post(f"{base}/api/v1/review/submissions/{submission_id}/approve/", json={}, timeout=10)
    assert approved.status_code == 201, approved.text

    # The approval queued the score's recomputation; the worker took it off Redis and ran it.
    def scored():
        with psycopg.connect(stack["database_url"]) as conn:
            return conn.execute(
                "SELECT s.score FROM compliance_compliancescore s"
                " JOIN registry_company c ON c.id = s.company_id WHERE c.uuid = %s",
                (setup["company"],),
            ).fetchall()

    scores = _wait_for("the worker recording the company's score", scored, log)
    assert any(score < 100 for (score,) in scores), scores
    assert "compliance.score_recompute" in log.read_text()

    # Static files: hashed names, compressed, cached for a year.
    manifest = json.loads((Path(stack["env"]["STATIC_ROOT"]) / "staticfiles.json").read_text())
    hashed = manifest["paths"]["admin/css/base.css"]
    static = requests.get(f"{base}/static/{hashed}", headers={"Accept-Encoding": "gzip"}, timeout=10)
    assert static.status_code == 200
    assert static.headers["Content-Encoding"] == "gzip"
    assert "max-age=315360000" in static.headers["Cache-Control"]
    assert "immutable" in static.headers["Cache-Control"]
    stack["mark"]("round trip done")
    print("production stack, seconds since the test started:", stack["timings"])
