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
from backend.registry.models import Officer
from mobile_api.models import DeviceToken
from tests import factories
from tests.browser_support import sign_in_client
from tests.registry.officer_forms import officer_save

PASSWORD = "correct-horse-battery"

pytestmark = pytest.mark.django_db


def _signed_in_everywhere(username: str, full_name: str):
    """An officer signed in on his phone, in a script and in the console, each checked to work;
    the three clients are kept as ``officer.devices``."""
    officer = factories.officer(
        "PSP", username=username, roles=("inspector", "team_leader"), full_name=full_name
    )
    phone = APIClient()
    signed = phone.post(
        "/api/mobile/v1/auth/sign-in/",
        {"username": username, "password": PASSWORD, "device_name": "his phone", "device_id": "p1"},
        format="json",
    )
    assert signed.status_code == 201
    phone.credentials(HTTP_AUTHORIZATION=f"Bearer {signed.json()['token']}")
    script = APIClient()
    created = script.post(
        "/api/v1/auth/tokens/", {"username": username, "password": PASSWORD, "name": "export"}, format="json"
    )
    assert created.status_code == 201
    script.credentials(HTTP_AUTHORIZATION=f"Bearer {created.json()['token']}")
    console = Client()
    sign_in_client(console, username, PASSWORD)
    for client, url in (
        (phone, "/api/mobile/v1/assignments/"),
        (script, "/api/v1/me/"),
        (console, "/api/v1/me/"),
    ):
        assert client.get(url).status_code == 200
    officer.devices = {"phone": phone, "script": script, "console": console}
    return officer


@pytest.fixture
def tom(db):
    """A team leader, signed in on his phone, in a script and in the console."""
    return _signed_in_everywhere("tom", "Tom Lead")


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


# --- Several leavers at once: the officers list's action -----------------------------------------

OFFICERS = "/admin/registry/officer/"


def _action(client: Client, officers, **extra):
    return client.post(
        OFFICERS,
        {"action": "deactivate_selected", "_selected_action": [o.pk for o in officers], **extra},
        follow=bool(extra),
    )


def test_two_leavers_deactivated_in_one_action(admin_console, tom):
    uma = _signed_in_everywhere("uma", "Uma Lead")
    stays = factories.officer("PSP", username="vic", full_name="Vic Stays")
    adele = Officer.objects.get(user__username="adele")

    # First a page that names who will be deactivated, and changes nothing yet.
    page = _action(admin_console, [tom, uma, adele])
    assert page.status_code == 200
    assert {o.pk for o in page.context["leavers"]} == {tom.pk, uma.pk}
    assert [o.pk for o in page.context["yourself"]] == [adele.pk]
    text = page.content.decode()
    assert "Tom Lead" in text and "Uma Lead" in text and 'id="not-yourself"' in text
    assert f'name="_selected_action" value="{adele.pk}"' not in text
    assert Officer.objects.filter(pk__in=[tom.pk, uma.pk], is_active=True).count() == 2
    assert not AuditEntry.objects.filter(verb="officer_deactivate").exists()

    # Confirmed, as the page posts it (the administrator's own record is not on it).
    done = _action(admin_console, page.context["leavers"], post="yes")
    assert done.status_code == 200
    assert "2 officers deactivated" in done.content.decode()

    for leaver in (tom, uma):
        leaver.refresh_from_db()
        assert not leaver.is_active
        _refused(leaver)
        entry = AuditEntry.objects.get(verb="officer_deactivate", object_id=str(leaver.uuid))
        assert entry.actor.username == "adele" and entry.changes == {"is_active": [True, False]}
        for verb in ("device_token_revoke", "api_token_revoke"):
            revoked = AuditEntry.objects.filter(verb=verb, actor__username="adele")
            assert any(leaver.user.get_username() in str(e.changes) for e in revoked), verb
        assert DeviceToken.objects.get(user=leaver.user).revoke_reason == "officer deactivated"
        assert ApiToken.objects.get(user=leaver.user).revoked_by.username == "adele"
    assert AuditEntry.objects.filter(verb="sessions_end", actor__username="adele").count() == 2

    # The acting administrator is untouched: still active, still an administrator, still signed in.
    adele.refresh_from_db()
    adele.user.refresh_from_db()
    assert adele.is_active and adele.user.is_superuser and adele.user.is_staff
    assert admin_console.get(OFFICERS).status_code == 200
    assert not AuditEntry.objects.filter(
        object_id__in=[str(adele.uuid), str(adele.user_id)],
        verb__in=["officer_deactivate", "admin_rights_withdraw", "sessions_end"],
    ).exists()
    stays.refresh_from_db()
    assert stays.is_active


def test_an_administrator_cannot_deactivate_themselves_in_bulk(admin_console):
    adele = Officer.objects.get(user__username="adele")
    for extra in ({}, {"post": "yes"}):
        answer = _action(admin_console, [adele], **extra)
        assert answer.status_code in (200, 302)
    adele.refresh_from_db()
    assert adele.is_active
    assert not AuditEntry.objects.filter(verb__in=["officer_deactivate", "sessions_end"]).exists()
    listing = admin_console.get(OFFICERS)
    assert listing.status_code == 200
    warned = admin_console.post(
        OFFICERS, {"action": "deactivate_selected", "_selected_action": [adele.pk]}, follow=True
    )
    assert "Your own officer record is not deactivated here" in warned.content.decode()


def test_an_already_inactive_officer_is_left_as_it_is(admin_console, tom):
    officer_deactivate(actor=None, officer=tom)
    uma = factories.officer("PSP", username="uma", full_name="Uma Lead")
    page = _action(admin_console, [tom, uma])
    assert [o.pk for o in page.context["leavers"]] == [uma.pk]
    assert [o.pk for o in page.context["inactive"]] == [tom.pk]
    before = AuditEntry.objects.filter(object_id=str(tom.uuid)).count()
    _action(admin_console, page.context["leavers"], post="yes")
    uma.refresh_from_db()
    assert not uma.is_active
    assert AuditEntry.objects.filter(object_id=str(tom.uuid)).count() == before


def test_a_login_without_the_change_permission_sees_no_such_action(client, tom):
    clerk = factories.officer("PSP", username="cleo", roles=("administrator",), full_name="Cleo Clerk")
    # The same page for a staff login that may only view officers: no action, nothing done.
    from django.contrib.auth.models import Permission

    user = clerk.user
    user.is_superuser = False
    user.save(update_fields=["is_superuser"])
    user.user_permissions.add(Permission.objects.get(codename="view_officer"))
    sign_in_client(client, "cleo", PASSWORD)
    listing = client.get(OFFICERS)
    assert listing.status_code == 200
    assert "deactivate_selected" not in listing.content.decode()
    client.post(OFFICERS, {"action": "deactivate_selected", "_selected_action": [tom.pk], "post": "yes"})
    tom.refresh_from_db()
    assert tom.is_active
