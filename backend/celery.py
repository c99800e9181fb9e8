"""The Celery application (composition root for tasks)."""

import os

from celery import Celery, Task

from backend.core.env import load_settings_or_exit
from backend.outbox.transport import install as install_transports

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "backend.settings")
# Celery reads the settings lazily, deep in its start-up: a malformed variable would end the
# worker or beat with a traceback. Read them now, so it ends with one line naming the variable.
load_settings_or_exit()
# `filesystem://` (what `make run` uses) is kombu's file-system transport with atomic writes;
# `redis://` is kombu's Redis transport, whose worker survives losing Redis (outbox/transport.py).
install_transports()


class ProjectTask(Task):
    """Every task of the project: a task that raises (the database restarting, a lock timeout)
    is retried with exponential backoff (2 s, 4 s, ... at most 10 min apart, with jitter) up to
    ``max_retries`` times, then recorded as failed on its outbox row, where the administrator
    sees it (admin, Task outbox, status failed). The message is acknowledged only once the task
    ends (acks late) and given back to the broker when its worker process dies (reject on worker
    lost), so a killed worker's task runs again: every task is written to be safe to run twice."""

    autoretry_for = (Exception,)
    retry_backoff = 2
    retry_backoff_max = 600
    retry_jitter = True
    max_retries = 10
    acks_late = True
    reject_on_worker_lost = True


app = Celery("backend", task_cls=ProjectTask)
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
