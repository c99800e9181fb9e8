"""Several leavers deactivated at once end their console sessions in one pass over the session
table. The officers list's action had read every live session (and decoded each) once per leaver,
and deleted their sessions one statement each: with a thousand people signed in, deactivating a
team read the table a dozen times. Now the session queries are the same for one leaver as for
five, each leaver's sessions end and everyone else's are kept. Everyone signs in through the
console's sign-in page."""

from __future__ import annotations

import pytest
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from backend.audit.models import AuditEntry
from backend.console.services import sessions_end_for_users
from backend.registry.models import Officer
from tests import factories
from tests.browser_support import sign_in_client

PASSWORD = "correct-horse-battery"
OFFICERS = "/admin/registry/officer/"

pytestmark = pytest.mark.django_db


def _signed_in(username: str, browsers: int) -> Officer:
    """An officer signed in to the console on ``browsers`` browsers, kept as ``officer.browsers``."""
    officer = factories.officer(
        "PSP", username=username, roles=("inspector", "team_leader"), full_name=username
    )
    officer.browsers = []
    for _ in range(browsers):
        browser = Client()
        sign_in_client(browser, username, PASSWORD)
        assert browser.get("/api/v1/me/").status_code == 200
        officer.browsers.append(browser)
    return officer


def _session_queries(queries: CaptureQueriesContext) -> list[str]:
    return [q["sql"] for q in queries.captured_queries if "django_session" in q["sql"]]


def _owners() -> list[str]:
    return sorted(str(s.get_decoded().get("_auth_user_id")) for s in Session.objects.all())


# The admin's request: its own session read, the live sessions read once, the leavers' deleted in
# one statement, whatever their number.
ACTION_SESSION_QUERIES = 3


@pytest.mark.parametrize("count", [1, 5])
def test_leavers_sessions_end_in_the_same_queries_however_many(admin_console, count):
    leavers = [_signed_in(f"leaver{i}", browsers=2) for i in range(count)]
    stays = _signed_in("vic", browsers=1)
    adele = Officer.objects.get(user__username="adele")
    kept = sorted([str(adele.user_id), str(stays.user_id)])
    assert sorted(set(_owners())) == sorted([*kept, *(str(o.user_id) for o in leavers)])

    with CaptureQueriesContext(connection) as queries:
        done = admin_console.post(
            OFFICERS,
            {"action": "deactivate_selected", "_selected_action": [o.pk for o in leavers], "post": "yes"},
        )
    assert done.status_code == 302
    assert len(_session_queries(queries)) == ACTION_SESSION_QUERIES, "\n".join(_session_queries(queries))

    assert _owners() == kept  # every leaver's sessions gone, no one else's
    for leaver in leavers:
        leaver.refresh_from_db()
        assert not leaver.is_active
        for browser in leaver.browsers:
            assert browser.get("/api/v1/me/").status_code == 401
        entry = AuditEntry.objects.get(verb="sessions_end", object_id=str(leaver.user_id))
        assert entry.actor.username == "adele"
        assert entry.changes == {"reason": "officer deactivated", "sessions": 2}
    assert stays.browsers[0].get("/api/v1/me/").status_code == 200
    assert admin_console.get(OFFICERS).status_code == 200
    assert AuditEntry.objects.filter(verb="sessions_end").count() == count


@pytest.mark.parametrize("count", [1, 5])
def test_the_service_reads_the_session_table_once(count):
    leavers = [_signed_in(f"leaver{i}", browsers=2) for i in range(count)]
    stays = _signed_in("vic", browsers=1)
    with CaptureQueriesContext(connection) as queries:
        ended = sessions_end_for_users(actor=None, users=[o.user for o in leavers], reason="test")
    assert ended == {o.user_id: 2 for o in leavers}
    assert len(_session_queries(queries)) == 2  # one read, one delete
    assert _owners() == [str(stays.user_id)]
