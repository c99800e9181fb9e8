"""Settings refuse malformed values at start-up, naming the variable."""

import os
import runpy
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from backend.core import env

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("value", ["maybe", "2", "yes please"])
def test_bool_refuses_garbage(value):
    with pytest.raises(ImproperlyConfigured, match="DEBUG"):
        env.env_bool("DEBUG", False, environ={"DEBUG": value})


@pytest.mark.parametrize(("value", "expected"), [("1", True), ("true", True), ("No", False), ("", False)])
def test_bool_reads_the_usual_spellings(value, expected):
    assert env.env_bool("DEBUG", not expected, environ={"DEBUG": value}) is expected


def test_int_refuses_words_and_out_of_range():
    with pytest.raises(ImproperlyConfigured, match="OUTBOX_MAX_ATTEMPTS must be a whole number"):
        env.env_int("OUTBOX_MAX_ATTEMPTS", 1, environ={"OUTBOX_MAX_ATTEMPTS": "ten"})
    with pytest.raises(ImproperlyConfigured, match="at least 1"):
        env.env_int("OUTBOX_MAX_ATTEMPTS", 1, minimum=1, environ={"OUTBOX_MAX_ATTEMPTS": "0"})


def test_url_must_have_a_known_scheme():
    with pytest.raises(ImproperlyConfigured, match="DATABASE_URL"):
        env.env_url("DATABASE_URL", None, ("sqlite", "postgres"), environ={"DATABASE_URL": "mysql://x/y"})
    with pytest.raises(ImproperlyConfigured, match="CELERY_BROKER_URL"):
        env.env_url("CELERY_BROKER_URL", None, ("redis",), environ={"CELERY_BROKER_URL": "localhost:6379"})
    assert env.env_url("X", None, ("redis",), environ={}) is None


def test_timezone_must_exist():
    with pytest.raises(ImproperlyConfigured, match="TIME_ZONE"):
        env.env_timezone("TIME_ZONE", "UTC", environ={"TIME_ZONE": "Asia/Nowhere"})
    assert env.env_timezone("TIME_ZONE", "Asia/Macau", environ={}) == "Asia/Macau"


@pytest.mark.parametrize(
    "value", ["22,113,22.2", "a,b,c,d", "22.2,113.5,22.1,113.6", "22.1,113.6,22.2,113.5"]
)
def test_service_area_refuses_malformed_boxes(value):
    with pytest.raises(ImproperlyConfigured, match="SERVICE_AREA"):
        env.env_bbox("SERVICE_AREA", env.MACAO, environ={"SERVICE_AREA": value})


def test_service_area_defaults_to_macao():
    area = env.env_bbox("SERVICE_AREA", env.MACAO, environ={})
    assert area.contains(22.19, 113.54)  # the peninsula
    assert not area.contains(22.54, 114.05)  # Shenzhen


def _start(**overrides):
    environ = {
        k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG", "DJANGO_SETTINGS_MODULE"}
    }
    environ.update({"SECRET_KEY_FILE": "/nonexistent/secret", "DJANGO_SETTINGS_MODULE": "backend.settings"})
    environ.update(overrides)
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=ROOT,
        env=environ,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_start_up_without_secret_key_fails_when_debug_is_off():
    result = _start()
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("DEBUG", "perhaps"),
        ("TIME_ZONE", "Mars/Olympus"),
        ("SERVICE_AREA", "north"),
        ("DATABASE_URL", "oracle://db"),
        ("LANGUAGE_CODE", "fr"),
        ("CELERY_BROKER_URL", "not a url"),
        ("EMAIL_PORT", "smtp"),
    ],
)
def test_start_up_names_the_malformed_variable(name, value):
    result = _start(SECRET_KEY="x" * 50, **{name: value})
    assert result.returncode != 0
    assert name in result.stderr


def test_start_up_with_good_values_succeeds():
    result = _start(SECRET_KEY="x" * 50, TIME_ZONE="Asia/Macau", LANGUAGE_CODE="pt")
    assert result.returncode == 0, result.stderr


def test_password_reset_mail_goes_to_the_smtp_server_the_environment_names():
    environ = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "backend.settings",
            "SECRET_KEY": "x" * 50,
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": "mail.example.org",
            "EMAIL_PORT": "587",
            "EMAIL_HOST_USER": "inspections",
            "EMAIL_HOST_PASSWORD": "s3cret",
            "EMAIL_USE_TLS": "true",
        }
    )
    script = (
        "import django; django.setup(); from django.core.mail import get_connection; "
        "c = get_connection(); print(type(c).__name__, c.host, c.port, c.username, c.password, c.use_tls)"
    )
    result = subprocess.run(  # noqa: S603 - our own interpreter and a fixed script
        [sys.executable, "-c", script], cwd=ROOT, env=environ, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    expected = ["EmailBackend", "mail.example.org", "587", "inspections", "s3cret", "True"]
    assert result.stdout.split() == expected


def test_production_settings_pass_the_deploy_check():
    """``check --deploy`` with production settings over HTTPS: no HSTS, SSL-redirect or cookie
    warning (#15); the Content Security Policy is set."""
    environ = {
        k: v
        for k, v in os.environ.items()
        # The test run's own switches (async-unsafe for the browser tests) are not production's.
        if k not in {"SECRET_KEY", "DEBUG", "DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    environ.update(
        {
            "SECRET_KEY_FILE": "/nonexistent/secret",
            "DJANGO_SETTINGS_MODULE": "backend.settings",
            "SECRET_KEY": "k" * 20 + "Q7!x" * 10,
            "HTTPS": "true",
            "ALLOWED_HOSTS": "inspections.example.org",
        }
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=environ,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "security.W" not in result.stdout + result.stderr


# What an operator meets: each entry point refuses a malformed variable in one line naming it.
_MALFORMED = {
    "DATABASE_URL=postgresql://inspections@db:five432/inspections": "DATABASE_URL is not a valid URL",
    "DATABASE_URL=postgresql://db:5432/": "DATABASE_URL must name the database",
    "LOG_LEVEL=LOUD": "LOG_LEVEL must be one of",
    "EMAIL_USE_TLS=true EMAIL_USE_SSL=true": "EMAIL_USE_TLS and EMAIL_USE_SSL cannot both be on",
    "EMAIL_BACKEND=smtp": "EMAIL_BACKEND must be the dotted path",
    "SCHEDULER_RANDOM_SHARE_PERCENT=150": "SCHEDULER_RANDOM_SHARE_PERCENT must be at most 100",
    "SCHEDULER_TIME_LIMIT_SECONDS=900": "SCHEDULER_TIME_LIMIT_SECONDS (900) must not exceed",
    "ALLOWED_HOSTS=": "ALLOWED_HOSTS must name at least one host",
    "CSRF_TRUSTED_ORIGINS=inspections.example.org": "CSRF_TRUSTED_ORIGINS must list origins with",
    "WORKER_CONCURRENCY=0": "WORKER_CONCURRENCY must be at least 1",
    "AWS_STORAGE_BUCKET_NAME=b AWS_S3_ADDRESSING_STYLE=sideways": "AWS_S3_ADDRESSING_STYLE must be auto",
    "STATIC_COLLECTED=perhaps": "STATIC_COLLECTED must be a boolean",
}


def _production_environ(**overrides):
    environ = {
        k: v
        for k, v in os.environ.items()
        if k not in {"SECRET_KEY", "DEBUG", "DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    environ.update({"SECRET_KEY_FILE": "/nonexistent/secret", "SECRET_KEY": "x" * 50, **overrides})
    return environ


@pytest.mark.parametrize(("assignments", "message"), list(_MALFORMED.items()))
def test_manage_py_refuses_a_malformed_value_in_one_line(assignments, message):
    overrides = dict(pair.split("=", 1) for pair in assignments.split())
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=_production_environ(**overrides),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "Traceback" not in result.stderr, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"Configuration error: {message}")


@pytest.mark.parametrize(
    "command",
    [
        # The Procfile's three processes, as `make serve` and honcho start them.
        [
            "gunicorn",
            "backend.wsgi:application",
            "--config",
            "python:backend.gunicorn_conf",
            "--check-config",
        ],
        ["celery", "-A", "backend", "worker", "--concurrency", "1"],
        ["celery", "-A", "backend", "beat"],
    ],
    ids=["web", "worker", "beat"],
)
def test_procfile_processes_refuse_a_malformed_value_in_one_line(command):
    executable = str(Path(sys.executable).parent / command[0])
    result = subprocess.run(  # noqa: S603 - the venv's own gunicorn and celery
        [executable, *command[1:]],
        cwd=ROOT,
        env=_production_environ(TIME_ZONE="Mars/Olympus", CELERY_BROKER_URL="memory://"),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "Traceback" not in result.stderr, result.stderr
    assert "Configuration error: TIME_ZONE must be an IANA time zone" in result.stderr


def test_gunicorn_refuses_no_web_processes():
    gunicorn = str(Path(sys.executable).parent / "gunicorn")
    result = subprocess.run(  # noqa: S603 - the venv's own gunicorn
        [gunicorn, "backend.wsgi:application", "--config", "python:backend.gunicorn_conf", "--check-config"],
        cwd=ROOT,
        env=_production_environ(WEB_CONCURRENCY="0"),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "Traceback" not in result.stderr, result.stderr
    assert "Configuration error: WEB_CONCURRENCY must be at least 1, not 0." in result.stderr


def test_a_bare_worker_and_beat_follow_the_environment():
    """README, "Deploying": `celery -A backend worker` and `celery -A backend beat` on their own
    machines take WORKER_CONCURRENCY and CELERY_BEAT_SCHEDULE_FILE as the Procfile does."""
    script = (
        "from backend.celery import app; print(app.conf.worker_concurrency, app.conf.beat_schedule_filename)"
    )
    result = subprocess.run(  # noqa: S603 - our own interpreter and a fixed script
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=_production_environ(WORKER_CONCURRENCY="3", CELERY_BEAT_SCHEDULE_FILE="/srv/beat/schedule"),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["3", "/srv/beat/schedule"]


def test_a_refused_url_does_not_print_its_password():
    with pytest.raises(ImproperlyConfigured) as refused:
        env.env_url(
            "CACHE_URL", None, ("redis",), environ={"CACHE_URL": "memcached://app:s3c@ret@cache:11211"}
        )
    assert "s3c" not in str(refused.value) and "ret" not in str(refused.value)
    assert "memcached://app:***@cache:11211" in str(refused.value)


@pytest.mark.parametrize(
    ("given", "disabled", "path"), [("", True, None), ("/srv/ji/gunicorn.ctl", False, "/srv/ji/gunicorn.ctl")]
)
def test_gunicorns_control_socket_is_off_unless_named(given, disabled, path, monkeypatch):
    """Two deployments on one machine (or the production-stack test beside a benchmark) shared
    gunicorn 27's one control socket per user, ~/.gunicorn/gunicorn.ctl: the second took it over."""
    from gunicorn.config import Config

    monkeypatch.setenv("WEB_CONTROL_SOCKET", given)
    namespace = runpy.run_path(str(ROOT / "backend" / "gunicorn_conf.py"))
    config = Config()
    for name in ("control_socket", "control_socket_disable"):
        if name in namespace:
            config.set(name, namespace[name])
    assert config.control_socket_disable is disabled
    if path:
        assert config.control_socket == path
