"""Parallel wrong passwords for one account: the limit holds however many arrive at once.

Needs PostgreSQL (SQLite serialises every writer, so nothing would race); CI runs it there."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection
from rest_framework.test import APIClient

from backend.audit.models import AuditEntry
from tests.mobile_api.test_auth import SIGN_IN

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="parallel sign-ins need PostgreSQL's parallel writers; set DATABASE_URL to run it",
    ),
    pytest.mark.django_db(transaction=True),
]


def test_twenty_four_parallel_wrong_passwords_check_at_most_the_limit(alice, settings):
    attempts = 24
    barrier = threading.Barrier(attempts)

    def one(_: int) -> int:
        try:
            body = {"username": "alice", "password": "wrong-password", "device_name": "x"}
            client = APIClient()
            barrier.wait(timeout=30)
            return client.post(SIGN_IN, body, format="json", REMOTE_ADDR="10.7.7.7").status_code
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=attempts) as pool:
        statuses = list(pool.map(one, range(attempts)))

    limit = settings.MOBILE_SIGNIN_MAX_FAILURES
    assert statuses.count(401) == limit
    assert statuses.count(429) == attempts - limit
    checked = AuditEntry.objects.filter(action=AuditEntry.Action.LOGIN_FAILED)
    assert checked.count() == limit
