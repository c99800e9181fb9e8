"""A real Celery worker consumes what the outbox relays through a real broker.

The broker is ``CELERY_TEST_BROKER_URL``: Redis in CI, Celery's in-memory transport where none
is given (a laptop with nothing installed). Either way the worker is Celery's own, consuming
from the broker in a thread, and the task reads the committed database.
"""

import os
import threading
import time

import pytest
from celery import shared_task
from celery.contrib.testing.worker import start_worker
from django.test import override_settings

from backend.outbox.models import OutboxMessage
from backend.outbox.services import task_enqueue
from backend.registry.models import Site
from tests import factories
from tests.outbox.conftest import broker

SEEN: list[str] = []
DONE = threading.Event()


@shared_task(name="tests.site_name")
def site_name(site_id: str) -> str:
    name = Site.objects.get(uuid=site_id).name_en  # the committed row, read from the worker's thread
    SEEN.append(name)
    DONE.set()
    return name


@pytest.fixture
def worker():
    url = os.environ.get("CELERY_TEST_BROKER_URL", "memory://")
    with (
        broker(url, result_backend="cache+memory://") as celery_app,
        start_worker(celery_app, pool="solo", perform_ping_check=False, shutdown_timeout=10),
    ):
        yield


@pytest.mark.django_db(transaction=True)
@override_settings(CELERY_TASK_ALWAYS_EAGER=False)
def test_worker_runs_the_task_the_outbox_relayed(worker):
    SEEN.clear()
    DONE.clear()
    site = factories.site(name_en="Lotus Sauna")
    from django.db import transaction

    with transaction.atomic():
        message = task_enqueue(task_name="tests.site_name", kwargs={"site_id": str(site.uuid)})
    assert DONE.wait(timeout=30), "the worker did not run the task"
    assert SEEN == ["Lotus Sauna"]
    for _ in range(100):  # the worker records the outcome right after the task returns
        message.refresh_from_db()
        if message.status != OutboxMessage.Status.SENT:
            break
        time.sleep(0.1)
    assert message.status == OutboxMessage.Status.DONE and message.relayed_at is not None
    assert message.finished_at is not None
