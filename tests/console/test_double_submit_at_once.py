"""A console form sent twice at the same moment (two tabs, a double click that reached the server
twice before the first answer): one row results. Needs PostgreSQL (SQLite serialises every
writer, so nothing would race); CI runs it there."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.conf import settings as django_settings
from django.db import connection
from django.test import Client
from django.utils import timezone

from backend.planning.models import DueWork
from tests import factories
from tests.browser_support import sign_in_client
from tests.conftest import PASSWORD

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="concurrency needs PostgreSQL's row locks and parallel writers; set DATABASE_URL to run it",
    ),
    pytest.mark.django_db(transaction=True),
]


def at_once(count: int, session: str, path: str, body: dict) -> list[int]:
    """The same POST from ``count`` threads released together, each its own connection, all in
    the one signed-in session (the tabs of one browser)."""
    barrier = threading.Barrier(count)

    def one(_: int) -> int:
        try:
            client = Client(raise_request_exception=False)
            client.cookies[django_settings.SESSION_COOKIE_NAME] = session
            barrier.wait(timeout=30)
            return client.post(path, body).status_code
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=count) as pool:
        return list(pool.map(one, range(count)))


def test_due_work_sent_from_five_tabs_at_once_is_one_request(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    factories.officer("PSP", username="paula", roles=("planner",))
    site = factories.site()
    client = Client()
    sign_in_client(client, "paula", PASSWORD)
    today = timezone.localdate()
    body = {
        "site": site.pk,
        "category": "prostitution_trafficking",
        "reason": "manual",
        "earliest": today.isoformat(),
        "latest": today.replace(day=28).isoformat() if today.day < 28 else today.isoformat(),
        "priority": 3,
        "note": "Two tabs",
    }
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    statuses = at_once(5, session, "/planning/due-work/", body)
    assert statuses == [302] * 5, statuses
    assert DueWork.objects.filter(site=site).count() == 1
