"""An administrator unlocks an officer locked out by too many wrong passwords, from the officers
list in the admin: the officer signs in again at once, on the console and on the phone, rather
than after the lock's window (15 minutes by default), and the unlock is audited. Found on the
administrator's walk: nothing in the admin cleared a lock, and the phone's counters per account
and address could not be found from the account."""

from __future__ import annotations

import pytest
from django.test import Client
from rest_framework.test import APIClient

from backend.audit.models import AuditEntry
from mobile_api.models import SignInCounter
from tests import factories
from tests.browser_support import sign_in_client

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"
PHONE_SIGN_IN = "/api/mobile/v1/auth/sign-in/"
OFFICERS = "/admin/registry/officer/"


def _console(username: str, password: str) -> int:
    return Client().post("/sign-in/", {"username": username, "password": password}).status_code


def _phone(username: str, password: str, address: str) -> int:
    body = {"username": username, "password": password, "device_name": "Pixel 8"}
    return APIClient().post(PHONE_SIGN_IN, body, format="json", REMOTE_ADDR=address).status_code


@pytest.fixture
def locked(settings):
    """Rita, a planner, typed wrong passwords on the console and on her phone until both refused
    even the right one."""
    rita = factories.officer("PSP", username="rita", full_name="Rita Planner", roles=("planner", "inspector"))
    for _ in range(settings.CONSOLE_SIGNIN_MAX_FAILURES):
        _console("rita", "wrong")
    for _ in range(settings.MOBILE_SIGNIN_MAX_FAILURES):
        _phone("rita", "wrong", "10.0.0.7")
    assert _console("rita", PASSWORD) != 302  # refused: locked
    assert _phone("rita", PASSWORD, "10.0.0.7") == 429
    return rita


def test_an_administrator_unlocks_an_officer_on_the_console_and_the_phone(admin_console, locked):
    factories.officer("PSP", username="sam")
    _phone("sam", "wrong", "10.0.0.8")
    response = admin_console.post(
        OFFICERS, {"action": "unlock_sign_in", "_selected_action": [locked.pk]}, follow=True
    )
    assert "1 officer may sign in again now, on the console and on the phone." in response.content.decode()
    assert _phone("rita", PASSWORD, "10.0.0.7") == 201
    rita = Client()
    sign_in_client(rita, "rita", PASSWORD)  # the console's page, second factor included
    entry = AuditEntry.objects.get(verb="sign_in_unlock")
    assert (entry.actor.username, entry.object_id) == ("adele", str(locked.user.pk))
    # Another officer's counts stay, and so does the address's own (it counts many accounts).
    assert SignInCounter.objects.filter(key__startswith="account:").count() == 1  # Sam's
    assert SignInCounter.objects.filter(key__startswith="address:").count() == 2


def test_only_those_who_may_change_officers_unlock(locked, client):
    planner = factories.officer("PSP", username="pia", roles=("planner",))
    sign_in_client(client, planner.user.username, PASSWORD)
    client.post(OFFICERS, {"action": "unlock_sign_in", "_selected_action": [locked.pk]})
    assert _phone("rita", PASSWORD, "10.0.0.7") == 429
    assert not AuditEntry.objects.filter(verb="sign_in_unlock").exists()


def test_a_deactivated_officer_unlocked_is_not_said_to_sign_in_again(admin_console, locked):
    """Found on an administrator's walk: a leaver unlocked was said to 'may sign in again now',
    while their login stays closed until their Active box is ticked again."""
    from backend.accounts.services import officer_deactivate

    officer_deactivate(actor=None, officer=locked)
    response = admin_console.post(
        OFFICERS, {"action": "unlock_sign_in", "_selected_action": [locked.pk]}, follow=True
    )
    page = response.content.decode()
    assert "may sign in again" not in page
    assert "1 officer selected is deactivated and still cannot sign in" in page
    assert _phone("rita", PASSWORD, "10.0.0.7") != 201
