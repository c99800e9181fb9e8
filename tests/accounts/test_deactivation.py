"""Deactivating an officer signs them out everywhere: their phones' tokens and their scripts' API
tokens are revoked (audited, with who and why) and their console sessions end. Re-activated,
they sign in afresh on each device: nothing from before comes back. Everyone signs in as they
would, through the sign-in page and the token endpoints."""

from __future__ import annotations

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from rest_framework.test import APIClient

from backend.accounts.models import ApiToken
from backend.accounts.services import officer_deactivate, officer_reactivate
from backend.audit.models import AuditEntry
from mobile_api.models import DeviceToken
from tests import factories
from tests.browser_support import sign_in_client
from tests.registry.officer_forms import officer_save

PASSWORD = "correct-horse-battery"

pytestmark = pytest.mark.django_db


@pytest.fixture
def tom(db):
    """A team leader, signed in on his phone, in a script and in the console."""
    officer = factories.officer(
        "PSP", username="tom", roles=("inspector", "team_leader"), full_name="Tom Lead"
    )
    phone = APIClient()
    signed = phone.post(
        "/api/mobile/v1/auth/sign-in/",
        {"username": "tom", "password": PASSWORD, "device_name": "his phone", "device_id": "p1"},
        format="json",
    )
    assert signed.status_code == 201
    phone.credentials(HTTP_AUTHORIZATION=f"Bearer {signed.json()['token']}")
    script = APIClient()
    created = script.post(
        "/api/v1/auth/tokens/", {"username": "tom", "password": PASSWORD, "name": "export"}, format="json"
    )
    assert created.status_code == 201
    script.credentials(HTTP_AUTHORIZATION=f"Bearer {created.json()['token']}")
    console = Client()
    sign_in_client(console, "tom", PASSWORD)
    for client, url in (
        (phone, "/api/mobile/v1/assignments/"),
        (script, "/api/v1/me/"),
        (console, "/api/v1/me/"),
    ):
        assert client.get(url).status_code == 200
    officer.devices = {"phone": phone, "script": script, "console": console}
    return officer


def _refused(tom) -> None:
    phone, script, console = (tom.devices[k] for k in ("phone", "script", "console"))
    answer = phone.get("/api/mobile/v1/assignments/")
    assert answer.status_code == 401 and answer.json()["code"] == "token_invalid"
    answer = script.get("/api/v1/me/")
    assert answer.status_code == 401 and answer.json()["code"] == "token_invalid"
    assert console.get("/api/v1/me/").status_code == 401
    assert "_auth_user_id" not in console.session


def test_deactivating_in_the_admin_revokes_every_token_and_ends_the_sessions(admin_console, tom):
    officer_save(admin_console, tom, roles=["inspector", "team_leader"], is_active=False)

    device = DeviceToken.objects.get(user=tom.user)
    assert device.revoked_at is not None and device.revoked_by.username == "adele"
    assert device.revoke_reason == "officer deactivated"
    api = ApiToken.objects.get(user=tom.user)
    assert api.revoked_at is not None and api.revoked_by.username == "adele"
    for verb in ("device_token_revoke", "api_token_revoke", "sessions_end"):
        entry = AuditEntry.objects.get(verb=verb)
        assert entry.actor.username == "adele", verb
    assert AuditEntry.objects.get(verb="sessions_end").changes == {
        "reason": "officer deactivated",
        "sessions": 1,
    }
    assert not [s for s in Session.objects.all() if s.get_decoded().get("_auth_user_id") == str(tom.user_id)]
    _refused(tom)


def test_reactivated_the_officer_signs_in_afresh_on_each_device(admin_console, tom):
    officer_save(admin_console, tom, roles=["inspector", "team_leader"], is_active=False)
    officer_save(admin_console, tom, roles=["inspector", "team_leader"], is_active=True)
    assert tom.is_active
    _refused(tom)  # nothing from before comes back

    phone = APIClient()
    signed = phone.post(
        "/api/mobile/v1/auth/sign-in/",
        {"username": "tom", "password": PASSWORD, "device_name": "his phone", "device_id": "p1"},
        format="json",
    )
    assert signed.status_code == 201
    console = Client()
    sign_in_client(console, "tom", PASSWORD)
    assert console.get("/api/v1/me/").status_code == 200


def test_an_officer_deactivated_before_revocation_gets_no_old_token_back(tom):
    # Deactivated by a bare save (as before deactivation revoked anything): tokens stayed live.
    tom.is_active = False
    tom.save(update_fields=["is_active"])
    officer_reactivate(actor=None, officer=tom)
    _refused(tom)


def test_the_services_do_it_too(tom):
    counts = officer_deactivate(actor=None, officer=tom)
    assert counts == {"device_tokens": 1, "api_tokens": 1, "sessions": 1}
    tom.refresh_from_db()
    assert not tom.is_active
    assert AuditEntry.objects.filter(verb="officer_deactivate", object_id=str(tom.uuid)).exists()
    _refused(tom)
