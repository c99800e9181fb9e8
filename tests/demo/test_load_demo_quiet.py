"""``load_demo`` without a broker (as ``make run`` runs it) does not log each in-process task's
success: the first start printed some sixty "Task compliance.score_recompute[…] succeeded" lines
between the migrations and the demo logins, burying what the newcomer needs. A task that fails
is still logged."""

from __future__ import annotations

import io
import logging
from types import SimpleNamespace

import pytest
from django.core.management import call_command

from backend.demo.management.commands import load_demo
from backend.reporting.tasks import refresh_queued_rollups

pytestmark = pytest.mark.django_db


def _load_running_a_task(**_options):
    """What the load does many times: a task sent while no broker is configured."""
    refresh_queued_rollups.delay()
    logging.getLogger("celery.app.trace").error("Task x[1] raised unexpected: boom")
    return SimpleNamespace(city=SimpleNamespace(created=False))


def test_load_demo_does_not_log_each_task_it_runs(settings, monkeypatch, caplog):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    monkeypatch.setattr(load_demo, "demo_load", _load_running_a_task)
    with caplog.at_level(logging.INFO):
        call_command("load_demo", stdout=io.StringIO())
    trace = [r for r in caplog.records if r.name == "celery.app.trace"]
    assert not [r for r in trace if r.levelno < logging.WARNING], [r.getMessage() for r in trace]
    assert [r.getMessage() for r in trace if r.levelno >= logging.WARNING] == [
        "Task x[1] raised unexpected: boom"
    ]
    # Outside the load, the logger is as it was.
    assert logging.getLogger("celery.app.trace").level == logging.NOTSET


def test_a_task_run_in_process_is_logged_outside_the_load(settings, caplog):
    """The test above proves something: a task in process does log its success at INFO."""
    settings.CELERY_TASK_ALWAYS_EAGER = True
    with caplog.at_level(logging.INFO):
        refresh_queued_rollups.delay()
    assert any(r.name == "celery.app.trace" and "succeeded" in r.getMessage() for r in caplog.records)
