"""Handing work to Celery without ever losing it."""

from __future__ import annotations

import logging
from typing import Any

from celery import current_app
from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from backend.outbox.models import OutboxMessage

logger = logging.getLogger(__name__)


def task_enqueue(*, task_name: str, kwargs: dict[str, Any] | None = None) -> OutboxMessage:
    """Record that ``task_name`` must run with ``kwargs`` (ids and plain values only).

    Call it inside the transaction of the change that causes the work: the record commits or
    rolls back with that change. After commit the message is relayed at once; if that fails, the
    periodic relay (``outbox.relay_pending``, or ``manage.py relay_outbox``) tries again.
    """
    message = OutboxMessage.objects.create(task_name=task_name, kwargs=kwargs or {})
    transaction.on_commit(lambda: outbox_relay(message_id=message.pk))
    return message


def outbox_relay(*, message_id: Any) -> OutboxMessage | None:
    """Send one pending message to the broker, or run it in-process when there is none."""
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return _run_in_process(message_id)
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
            message.relayed_at = timezone.now()
            message.last_error = ""
        except Exception as exc:  # the broker is down
            logger.warning("outbox: %s (%s) not relayed: %s", message.task_name, message.pk, exc)
            message.last_error = f"{type(exc).__name__}: {exc}"[:2000]
            if message.attempts >= settings.OUTBOX_MAX_ATTEMPTS:
                message.status = OutboxMessage.Status.FAILED
        message.save(update_fields=["status", "relayed_at", "last_error"])
        return message


def _run_in_process(message_id: Any) -> OutboxMessage | None:
    """No broker: claim the message, then run its task here as a worker would, outside any
    transaction of the relay. A long task (a planning run) so never holds the database's write
    lock while it works, and manages its own transactions exactly as on a worker."""
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
    try:
        current_app.tasks[message.task_name].apply(kwargs=message.kwargs, throw=True)
        message.status = OutboxMessage.Status.DONE
        message.relayed_at = timezone.now()
        message.last_error = ""
    except Exception as exc:
        logger.warning("outbox: %s (%s) failed in-process: %s", message.task_name, message.pk, exc)
        message.last_error = f"{type(exc).__name__}: {exc}"[:2000]
        give_up = message.attempts >= settings.OUTBOX_MAX_ATTEMPTS
        message.status = OutboxMessage.Status.FAILED if give_up else OutboxMessage.Status.PENDING
    message.save(update_fields=["status", "relayed_at", "last_error"])
    return message


def outbox_relay_pending(*, limit: int = 500) -> int:
    """Relay every pending message, oldest first. Returns how many left the outbox."""
    relayed = 0
    ids = list(
        OutboxMessage.objects.filter(status=OutboxMessage.Status.PENDING)
        .order_by("created_at")
        .values_list("pk", flat=True)[:limit]
    )
    for message_id in ids:
        message = outbox_relay(message_id=message_id)
        if message is not None and message.status != OutboxMessage.Status.PENDING:
            relayed += 1
    return relayed
