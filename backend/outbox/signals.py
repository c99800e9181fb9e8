"""The outbox row follows its task on the worker: heard of when it starts or is retried, done
when it succeeds, failed (with the error, for the administrator) when its retries are spent.

A task's id is its outbox row's id (the relay sends it so); tasks started otherwise (beat's)
match no row and change nothing. Eager runs (no broker) are recorded by the relay itself.
"""

from __future__ import annotations

from typing import Any

from celery.signals import task_failure, task_prerun, task_retry, task_success


def _is_eager(task: Any) -> bool:
    request = getattr(task, "request", None)
    return bool(getattr(request, "is_eager", False))


@task_prerun.connect(weak=False)
def _started(sender: Any = None, task_id: str | None = None, **_: Any) -> None:
    if task_id and not _is_eager(sender):
        from backend.outbox.services import outbox_task_heard

        outbox_task_heard(message_id=task_id)


@task_success.connect(weak=False)
def _succeeded(sender: Any = None, **_: Any) -> None:
    task_id = getattr(getattr(sender, "request", None), "id", None)
    if task_id and not _is_eager(sender):
        from backend.outbox.services import outbox_task_done

        outbox_task_done(message_id=task_id)


@task_retry.connect(weak=False)
def _retrying(sender: Any = None, request: Any = None, reason: Any = None, **_: Any) -> None:
    task_id = getattr(request, "id", None)
    if task_id and not getattr(request, "is_eager", False):
        from backend.outbox.services import outbox_task_retrying

        outbox_task_retrying(message_id=task_id, error=f"retrying: {reason}")


@task_failure.connect(weak=False)
def _failed(sender: Any = None, task_id: str | None = None, exception: Any = None, **_: Any) -> None:
    if task_id and not _is_eager(sender):
        from backend.outbox.services import outbox_task_failed

        outbox_task_failed(message_id=task_id, error=f"{type(exception).__name__}: {exception}")
