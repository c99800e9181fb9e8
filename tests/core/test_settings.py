"""Settings refuse malformed values at start-up, naming the variable."""

import os
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
