"""Whether work a user asked for waits for a worker: every worker busy, or none running (stopped,
or the broker down). The pages that follow such work (a planning run, a registry import) and the
API's answers say so once it has waited WAITING_NOTICE_SECONDS, rather than "waiting…" for ever;
the work is kept and goes when a worker takes it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db.models import F, Q
from django.utils import timezone

from backend.outbox.models import WAITING_NOTICE_SECONDS, OutboxMessage


def waited_long(since: dt.datetime | None) -> bool:
    """Work asked for at ``since`` and not taken yet has waited longer than a free worker takes to
    start it."""
    return since is not None and (timezone.now() - since).total_seconds() > WAITING_NOTICE_SECONDS


def task_waiting_for_worker(*, task_names: Iterable[str], **kwargs: Any) -> bool:
    """Whether a run of one of ``task_names`` with these arguments (``import_id=…``) is in the
    outbox, not taken by any worker, since longer than WAITING_NOTICE_SECONDS.

    Not taken: still pending (the broker refused it, or the relay has not sent it yet), or sent
    and not heard of since (a worker that starts it says so: ``outbox_task_heard``). A row claimed
    by an in-process run (no broker) has no relay time and is being run."""
    rows = OutboxMessage.objects.filter(
        Q(status=OutboxMessage.Status.PENDING)
        | Q(status=OutboxMessage.Status.SENT, relayed_at__isnull=False, heard_at=F("relayed_at")),
        task_name__in=list(task_names),
        created_at__lt=timezone.now() - dt.timedelta(seconds=WAITING_NOTICE_SECONDS),
    )
    for name, value in kwargs.items():
        rows = rows.filter(**{f"kwargs__{name}": value})
    return rows.exists()
