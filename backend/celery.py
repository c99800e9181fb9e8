"""The Celery application (composition root for tasks)."""

import os

from celery import Celery

from backend.outbox.transport import install as install_embedded_broker

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "backend.settings")
# `filesystem://` (what `make run` uses) is kombu's file-system transport with atomic writes.
install_embedded_broker()

app = Celery("backend")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
