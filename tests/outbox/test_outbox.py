"""Work for tasks is recorded with the change that causes it and never lost."""

import pytest
from celery import shared_task
from django.db import transaction
from django.test import override_settings

from backend.outbox.models import OutboxMessage
from backend.outbox.services import outbox_relay_pending, task_enqueue
from tests.outbox.conftest import broker

RAN: list[dict] = []


@shared_task(name="tests.record")
def record(**kwargs):
    RAN.append(kwargs)
    return kwargs


@shared_task(name="tests.fail")
def fail(**kwargs):
    raise RuntimeError("task failed")


@pytest.fixture(autouse=True)
def _clear():
    RAN.clear()


def test_in_process_task_runs_after_commit(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        message = task_enqueue(task_name="tests.record", kwargs={"site": "abc"})
        assert RAN == []  # not before the transaction commits
    assert RAN == [{"site": "abc"}]
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.DONE and message.attempts == 1


def test_rolled_back_change_leaves_no_work(db, django_capture_on_commit_callbacks):
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        task_enqueue(task_name="tests.record", kwargs={"n": 1})
        raise RuntimeError("the change failed")
    assert RAN == [] and not OutboxMessage.objects.exists()


def test_a_failing_task_stays_pending_and_is_retried(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        message = task_enqueue(task_name="tests.fail")
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.PENDING
    assert "task failed" in message.last_error
    outbox_relay_pending()
    message.refresh_from_db()
    assert message.attempts == 2


@pytest.fixture
def silent_broker():
    """A Redis address that accepts connections and never answers: a broker that hangs, the
    worst case for whoever waits on it."""
    import socket
    import threading

    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(64)
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        server.settimeout(0.2)
        while not stop.is_set():
            try:
                held.append(server.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield f"redis://127.0.0.1:{server.getsockname()[1]}/0"
    stop.set()
    thread.join()
    for conn in held:
        conn.close()
    server.close()


@pytest.mark.django_db(transaction=True)
@override_settings(CELERY_TASK_ALWAYS_EAGER=False)
def test_broker_down_delays_work_never_the_request_and_never_loses_it(silent_broker):
    """The request's commit hands the message to the process's relay thread and returns: with a
    broker that hangs, the request itself used to wait for it (6-18 s per submission). Both a
    broker that refuses and one that accepts and never answers, in one test (a transactional
    test's teardown costs seconds on PostgreSQL)."""
    import time

    from backend.outbox import relay

    messages = []
    for url in ("redis://127.0.0.1:1/0", silent_broker):  # nothing listens on :1
        options = {"socket_connect_timeout": 1, "socket_timeout": 1}
        with broker(url, broker_connection_timeout=1, broker_transport_options=options):
            began = time.monotonic()
            with transaction.atomic():
                message = task_enqueue(task_name="tests.record", kwargs={"n": len(messages)})
            took = time.monotonic() - began
            assert took < 0.5, f"the commit waited {took:.1f} s on the broker at {url}"
            assert relay.wait_idle(timeout=30)
            message.refresh_from_db()
            assert message.status == OutboxMessage.Status.PENDING
            assert message.last_error and message.attempts == 1
            messages.append(message)
    # The broker is back (here: run in-process again); the relay sends what waited.
    with override_settings(CELERY_TASK_ALWAYS_EAGER=True):
        assert outbox_relay_pending() == 2
    assert RAN == [{"n": 0}, {"n": 1}]
