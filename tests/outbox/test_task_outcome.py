"""A task that fails on the worker (the database restarting under it) is retried with backoff
until it succeeds, or recorded as failed on its outbox row where the administrator sees it. The
row says what really happened: before, it said `sent` for ever, and a task that failed while the
database restarted was never run again (rollups silently went stale). A row whose task never
reported an outcome is sent again by the relay."""

from __future__ import annotations

import datetime as dt
import os
import threading
import time

import pytest
from celery import shared_task
from celery.contrib.testing.worker import start_worker
from django.db import OperationalError, transaction
from django.test import override_settings
from django.utils import timezone

from backend.celery import ProjectTask, app
from backend.outbox.models import OutboxMessage
from backend.outbox.services import outbox_resend_silent, task_enqueue
from tests.outbox.conftest import broker

RUNS: dict[str, int] = {}
LOCK = threading.Lock()


def _count(key: str) -> int:
    with LOCK:
        RUNS[key] = RUNS.get(key, 0) + 1
        return RUNS[key]


# The project's retry policy with a short delay, so the test does not wait on the backoff.
@shared_task(name="tests.flaky", retry_backoff=False, default_retry_delay=0.2)
def flaky(key: str, failures: int) -> int:
    run = _count(key)
    if run <= failures:
        raise OperationalError("the database system is starting up")
    return run


@shared_task(name="tests.always_down", retry_backoff=False, default_retry_delay=0.1, max_retries=2)
def always_down(key: str) -> None:
    _count(key)
    raise OperationalError("the database system is shutting down")


@pytest.fixture
def worker():
    url = os.environ.get("CELERY_TEST_BROKER_URL", "memory://")
    with (
        broker(url, result_backend="cache+memory://") as celery_app,
        start_worker(celery_app, pool="solo", perform_ping_check=False, shutdown_timeout=10),
    ):
        yield


def _wait_for(message: OutboxMessage, *statuses: str, timeout: float = 30) -> OutboxMessage:
    deadline = time.monotonic() + timeout
    while True:
        message.refresh_from_db()
        if message.status in statuses or time.monotonic() > deadline:
            return message
        time.sleep(0.1)


def test_every_task_retries_with_backoff_and_acks_late():
    assert app.Task is ProjectTask or issubclass(app.Task, ProjectTask)
    for name in ("reporting.refresh_rollups", "compliance.score_recompute", "scheduler.run_job"):
        task = app.tasks[name]
        assert Exception in task.autoretry_for and task.retry_backoff and task.max_retries >= 5
        assert task.acks_late and task.reject_on_worker_lost


@pytest.mark.django_db(transaction=True)
@override_settings(CELERY_TASK_ALWAYS_EAGER=False)
def test_a_failing_task_runs_again_until_done_or_is_recorded_as_failed_with_its_error(worker):
    """One worker for both (a transactional test's teardown costs seconds on PostgreSQL)."""
    RUNS.clear()
    with transaction.atomic():
        flaky = task_enqueue(task_name="tests.flaky", kwargs={"key": "a", "failures": 2})
        down = task_enqueue(task_name="tests.always_down", kwargs={"key": "b"})
    flaky = _wait_for(flaky, OutboxMessage.Status.DONE, OutboxMessage.Status.FAILED)
    assert flaky.status == OutboxMessage.Status.DONE, flaky.last_error
    assert RUNS["a"] == 3 and flaky.finished_at is not None and flaky.last_error == ""

    down = _wait_for(down, OutboxMessage.Status.FAILED)
    assert down.status == OutboxMessage.Status.FAILED
    assert RUNS["b"] == 3  # the first run and its two retries
    assert "shutting down" in down.last_error and down.finished_at is not None


@pytest.mark.django_db
@override_settings(CELERY_TASK_ALWAYS_EAGER=False, OUTBOX_RESEND_AFTER_SECONDS=600)
def test_a_message_sent_that_never_reported_is_sent_again():
    """The broker lost it (a Redis restarted without persistence), or the worker could not write
    the outcome: long silent, the relay puts it back in line. A recent one is left alone."""
    old = OutboxMessage.objects.create(task_name="tests.flaky", status="sent")
    recent = OutboxMessage.objects.create(task_name="tests.flaky", status="sent")
    done = OutboxMessage.objects.create(task_name="tests.flaky", status="done")
    long_ago = timezone.now() - dt.timedelta(seconds=601)
    OutboxMessage.objects.filter(pk__in=[old.pk, done.pk]).update(relayed_at=long_ago, heard_at=long_ago)
    OutboxMessage.objects.filter(pk=recent.pk).update(relayed_at=timezone.now(), heard_at=timezone.now())
    assert outbox_resend_silent() == 1  # the first step of every periodic relay
    statuses = dict(OutboxMessage.objects.values_list("pk", "status"))
    assert statuses == {old.pk: "pending", recent.pk: "sent", done.pk: "done"}
