"""A case's "Reopen the case" sent from five tabs at the same moment reopens it once: one timeline
event, one audit entry, one score recomputation; the others find it open and say so. Needs
PostgreSQL (SQLite serialises every writer, so nothing would race); CI runs it there."""

from __future__ import annotations

import pytest
from django.conf import settings as django_settings
from django.db import connection
from django.test import Client

from backend.audit.models import AuditEntry
from backend.compliance import services
from backend.compliance.models import ComplianceCase
from backend.inspections.models import Finding
from backend.outbox.models import OutboxMessage
from tests.browser_support import sign_in_client
from tests.console.test_double_submit_at_once import at_once

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="concurrency needs PostgreSQL's row locks and parallel writers; set DATABASE_URL to run it",
    ),
    pytest.mark.django_db(transaction=True),
]

PASSWORD = "correct-horse-battery"


def test_reopen_sent_from_five_tabs_at_once_reopens_once(settings, joint, bob, carol):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    construction = joint.submit_construction(bob)
    services.submission_approve(user=carol.user, submission=construction.submission)
    findings = list(
        Finding.objects.filter(submission=construction.submission, violation_code__in=("V-02", "V-04"))
    )
    case = services.case_open(user=carol.user, findings=findings, reason="Outside the job.")
    services.case_decide(user=carol.user, case=case, outcome="closed", reason="No action.")
    recomputes = OutboxMessage.objects.filter(task_name="compliance.score_recompute").count()
    client = Client()
    sign_in_client(client, "carol", PASSWORD)
    session = client.cookies[django_settings.SESSION_COOKIE_NAME].value

    statuses = at_once(5, session, f"/compliance/cases/{case.uuid}/reopen/", {"reopen-reason": "Appeal."})

    assert statuses == [302] * 5, statuses
    assert ComplianceCase.objects.get(pk=case.pk).status == "open"
    assert case.events.filter(kind="reopened").count() == 1
    assert AuditEntry.objects.filter(verb="case_reopen").count() == 1
    assert OutboxMessage.objects.filter(task_name="compliance.score_recompute").count() == recomputes + 1
