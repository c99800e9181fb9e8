"""Handing work to Celery without ever losing it, and without a request ever waiting on the broker."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from celery import current_app
from django.conf import settings
from django.db import DatabaseError, transaction
from django.db.models import F, Q
from django.utils import timezone

from backend.core.inserts import insert_many
from backend.outbox.models import OutboxMessage

logger = logging.getLogger(__name__)


class BrokerUnavailable(Exception):
    """The broker refused or did not answer a message."""


def task_enqueue(*, task_name: str, kwargs: dict[str, Any] | None = None) -> OutboxMessage:
    """Record that ``task_name`` must run with ``kwargs`` (ids and plain values only).

    Call it inside the transaction of the change that causes the work: the record commits or
    rolls back with that change. After commit the message is handed to this process's relay
    thread (``backend.outbox.relay``), which sends it at once; the request does not wait for
    that, and a broker that is down leaves the row pending for the periodic relay
    (``outbox.relay_pending``, or ``manage.py relay_outbox``). Without a broker (tests) the task
    runs in-process right after commit.
    """
    message = OutboxMessage.objects.create(task_name=task_name, kwargs=kwargs or {})
    transaction.on_commit(lambda: _after_commit(message.pk))
    return message


def task_enqueue_many(*, task_name: str, kwargs: list[dict[str, Any]]) -> list[OutboxMessage]:
    """``task_enqueue`` for many runs of one task, in one insert (a batch of submissions queues
    its notifications in one statement, whatever their number)."""
    if not kwargs:
        return []
    messages = insert_many([OutboxMessage(task_name=task_name, kwargs=k) for k in kwargs])
    ids = [m.pk for m in messages]
    transaction.on_commit(lambda: [_after_commit(pk) for pk in ids])
    return messages


def _after_commit(message_id: Any) -> None:
    if settings.CELERY_TASK_ALWAYS_EAGER:
        _run_in_process(message_id)
        return
    from backend.outbox import relay

    relay.hint(message_id)  # never blocks: a full queue or a dead thread leaves it to the beat


def outbox_relay(*, message_id: Any) -> OutboxMessage | None:
    """Send one pending message to the broker, or run it in-process when there is none.

    Raises ``BrokerUnavailable`` after recording the error on the row (still pending, or failed
    once ``OUTBOX_MAX_ATTEMPTS`` sends were refused) when the broker is down."""
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return _run_in_process(message_id)
    failure: Exception | None = None
    with transaction.atomic():
        message = (
            OutboxMessage.objects.select_for_update(skip_locked=True)
            .filter(pk=message_id, status=OutboxMessage.Status.PENDING)
            .first()
        )
        if message is None:
            return None  # relayed by someone else, or given up on
        OutboxMessage.objects.filter(pk=message.pk).update(attempts=F("attempts") + 1)
        message.attempts += 1
        try:
            current_app.send_task(
                message.task_name, kwargs=message.kwargs, task_id=str(message.pk), retry=False
            )
            message.status = OutboxMessage.Status.SENT
            message.relayed_at = message.heard_at = timezone.now()
            message.last_error = ""
        except Exception as exc:  # the broker is down
            logger.warning("outbox: %s (%s) not relayed: %s", message.task_name, message.pk, exc)
            message.last_error = f"{type(exc).__name__}: {exc}"[:2000]
            if message.attempts >= settings.OUTBOX_MAX_ATTEMPTS:
                message.status = OutboxMessage.Status.FAILED
            failure = exc
        message.save(update_fields=["status", "relayed_at", "heard_at", "last_error"])
    if failure is not None:
        raise BrokerUnavailable(message.last_error) from failure
    return message


def _run_in_process(message_id: Any) -> OutboxMessage | None:
    """No broker: claim the message, then run its task here as a worker would, outside any
    transaction of the relay. A long task (a planning run) so never holds the database's write
    lock while it works, and manages its own transactions exactly as on a worker. A task that
    fails goes back to pending for the relay (the task's own retries are a worker's business:
    here they would run back to back)."""
    with transaction.atomic():
        message = (
            OutboxMessage.objects.select_for_update(skip_locked=True)
            .filter(pk=message_id, status=OutboxMessage.Status.PENDING)
            .first()
        )
        if message is None:
            return None  # relayed by someone else, or given up on
        message.attempts += 1
        message.status = OutboxMessage.Status.SENT  # claimed: no other relay picks it up meanwhile
        message.save(update_fields=["attempts", "status"])
    task = current_app.tasks[message.task_name]
    try:
        task.apply(kwargs=message.kwargs, task_id=str(message.pk), retries=task.max_retries or 0, throw=True)
        message.status = OutboxMessage.Status.DONE
        message.relayed_at = message.finished_at = timezone.now()
        message.last_error = ""
    except Exception as exc:
        logger.warning("outbox: %s (%s) failed in-process: %s", message.task_name, message.pk, exc)
        message.last_error = f"{type(exc).__name__}: {exc}"[:2000]
        give_up = message.attempts >= settings.OUTBOX_MAX_ATTEMPTS
        message.status = OutboxMessage.Status.FAILED if give_up else OutboxMessage.Status.PENDING
    message.save(update_fields=["status", "relayed_at", "finished_at", "last_error"])
    return message


def outbox_resend_silent() -> int:
    """Put back to pending the messages sent long ago that never reported an outcome (the broker
    lost them, or the worker could not record it while the database was away). Tasks are safe to
    run twice, so sending one again is harmless. Returns how many."""
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return 0
    silent_since = timezone.now() - dt.timedelta(seconds=settings.OUTBOX_RESEND_AFTER_SECONDS)
    return OutboxMessage.objects.filter(
        Q(heard_at__lt=silent_since) | Q(heard_at__isnull=True, relayed_at__lt=silent_since),
        status=OutboxMessage.Status.SENT,
    ).update(status=OutboxMessage.Status.PENDING, last_error="no outcome reported; sent again")


def outbox_relay_pending(*, limit: int = 500) -> int:
    """Relay every pending message, oldest first. Returns how many left the outbox. Stops at the
    first message the broker refuses: the others would only wait on it in turn."""
    outbox_resend_silent()
    relayed = 0
    ids = list(
        OutboxMessage.objects.filter(status=OutboxMessage.Status.PENDING)
        .order_by("created_at")
        .values_list("pk", flat=True)[:limit]
    )
    for message_id in ids:
        try:
            message = outbox_relay(message_id=message_id)
        except BrokerUnavailable:
            break
        if message is not None and message.status != OutboxMessage.Status.PENDING:
            relayed += 1
    return relayed


# --- What the worker reports (``backend.outbox.signals`` calls these) ------------------------------


def outbox_task_heard(*, message_id: Any) -> None:
    _record(message_id, status=OutboxMessage.Status.SENT, heard_at=timezone.now())


def outbox_task_done(*, message_id: Any) -> None:
    now = timezone.now()
    _record(message_id, status=OutboxMessage.Status.DONE, heard_at=now, finished_at=now, last_error="")


def outbox_task_retrying(*, message_id: Any, error: str) -> None:
    _record(message_id, status=OutboxMessage.Status.SENT, heard_at=timezone.now(), last_error=error[:2000])


def outbox_task_failed(*, message_id: Any, error: str) -> None:
    now = timezone.now()
    _record(
        message_id, status=OutboxMessage.Status.FAILED, heard_at=now, finished_at=now, last_error=error[:2000]
    )


def _record(message_id: Any, **fields: Any) -> None:
    """One autocommit statement; a database that is away is logged, not raised: the row stays
    ``sent`` and the relay sends the task again once it has been silent long enough."""
    try:
        # A row already done keeps it: a late report of a duplicate delivery changes nothing.
        OutboxMessage.objects.filter(pk=message_id).exclude(status=OutboxMessage.Status.DONE).update(**fields)
    except (DatabaseError, ValueError) as exc:  # ValueError: a task id that is not a UUID
        logger.warning("outbox: outcome of %s not recorded: %s", message_id, exc)
