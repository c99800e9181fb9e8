"""A slow task for the worker-kill test, loaded into the fault tests' worker (``-I``).

It announces each start (a line in FAULTS_TASK_LOG: key and pid), pauses long enough to be
killed in the middle, then writes its effect: one audit entry per key, in one transaction that
first takes the key's lock, as the project's tasks are written to be safe to run twice (a
second delivery finds the effect and changes nothing).
"""

from __future__ import annotations

import os
import time

from celery import shared_task
from django.db import transaction


@shared_task(name="faults.slow_effect", retry_backoff=False, default_retry_delay=1)
def slow_effect(key: str, pause: float) -> str:
    from backend.audit.models import AuditEntry
    from backend.audit.services import audit_record
    from backend.registry.models import Company

    with open(os.environ["FAULTS_TASK_LOG"], "a") as log:
        log.write(f"start {key} {os.getpid()}\n")
    time.sleep(pause)
    with transaction.atomic():
        company = Company.objects.select_for_update().get(uuid=key)  # the key's lock
        if AuditEntry.objects.filter(verb="fault_effect", object_id=str(company.uuid)).exists():
            return "already done"
        audit_record(actor=None, action="other", verb="fault_effect", obj=company)
    return "done"
