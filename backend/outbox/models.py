"""Work for background tasks, written in the same transaction as the change that caused it.

A row here is the promise that a task will run. It is relayed to the broker after the
transaction commits (or run in-process when no broker is configured); a broker that is down
leaves the row pending, and the relay retries it later. Nothing is lost, and since tasks are
safe to run twice, a relay that crashes between sending and marking sent is harmless.

The row follows the task to its end: ``sent`` until a worker reports the outcome (see
``backend.outbox.signals``), then ``done``, or ``failed`` with the error once the task's own
retries are spent (the administrator's outbox list shows them). A row still ``sent`` long after
it was last heard of (the broker lost the message, or the worker could not write the outcome)
is sent again by the relay.
"""

from __future__ import annotations

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _

# Work a user asked for that no worker has taken after this long: the pages that follow it say
# that it waits for a worker (all busy, or stopped) and will go when one takes it, rather than
# showing "waiting…" for ever. A free worker starts a task within a second or two.
WAITING_NOTICE_SECONDS = 10


class OutboxMessage(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("pending")
        SENT = "sent", _("sent to the broker")
        DONE = "done", _("done")
        FAILED = "failed", _("failed")

    id = models.UUIDField(_("id"), primary_key=True, default=uuid.uuid4, editable=False)
    task_name = models.CharField(_("task"), max_length=200)
    kwargs = models.JSONField(_("arguments"), default=dict)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    relayed_at = models.DateTimeField(_("relayed"), null=True, blank=True)
    # Last news of the task from a worker (started, retrying): a row sent and silent for
    # OUTBOX_RESEND_AFTER_SECONDS since then is sent again.
    heard_at = models.DateTimeField(_("last heard of"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("outbox message")
        verbose_name_plural = _("outbox messages")
        indexes = [models.Index(fields=["status", "created_at"])]

    def __str__(self) -> str:
        return f"{self.task_name} ({self.status})"
