"""The login pages' "Active" box. On an officer's login it had deactivated the login and nothing
else: no token revoked (ticked again, every phone and script of before worked again), no session
ended, nothing audited, while the officer stayed active for planners. Now an officer's login has
no such box, only a line that sends the administrator to the officer's page (which ends every
sign-in, audited); a login without an officer keeps its box, and unticking it ends every
sign-in the login holds. Every save of a login is audited, never with a password in it."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.test import APIClient

from backend.accounts.models import ApiToken
from backend.accounts.services import officer_reactivate
from backend.audit.models import AuditEntry
from tests import factories
from tests.browser_support import sign_in_client, totp_code
from tests.registry.test_admin_rights import _login_form

PASSWORD = "correct-horse-battery"

pytestmark = pytest.mark.django_db


def _script(username: str, otp_code: str = "") -> APIClient:
    script = APIClient()
    created = script.post(
        "/api/v1/auth/tokens/",
        {"username": username, "password": PASSWORD, "name": "export", "otp_code": otp_code},
        format="json",
    )
    assert created.status_code == 201, created.content
    script.credentials(HTTP_AUTHORIZATION=f"Bearer {created.json()['token']}")
    assert script.get("/api/v1/me/").status_code != 401  # signed in (a login without an officer: 404)
    return script


def test_an_officers_login_has_no_active_box_and_says_where_to_deactivate(admin_console):
    tom = factories.officer("PSP", username="tom", full_name="Tom Lead", roles=("inspector",))
    text, data = _login_form(admin_console, tom.user)
    fields = admin_console.get(f"/admin/auth/user/{tom.user.pk}/change/").context["adminform"].form.fields
    assert "is_active" not in fields and 'name="is_active"' not in text
    assert "It follows the officer" in text and "Active." in text
    assert f'href="/admin/registry/officer/{tom.pk}/change/"' in text

    # The box left out of the post (as an unticked box is) changes nothing.
    data.pop("is_active", None)
    data["first_name"] = "Thomas"
    saved = admin_console.post(f"/admin/auth/user/{tom.user.pk}/change/", data)
    assert saved.status_code == 302, saved.context["adminform"].form.errors
    tom.user.refresh_from_db()
    assert tom.user.is_active and tom.user.first_name == "Thomas"
    entry = AuditEntry.objects.get(verb="admin_user_update")
    assert entry.actor.username == "adele"
    assert entry.changes["first_name"] == ["", "Thomas"] and "is_active" not in entry.changes


def test_unticking_a_logins_active_box_ends_its_sign_ins_audited(root_console, django_user_model):
    # Edited by another login with no officer record: an agency's administrator never sees it.
    admin_console = root_console
    root = django_user_model.objects.create_superuser("root", "root@example.invalid", PASSWORD)
    console = Client()
    sign_in_client(console, "root", PASSWORD)  # enrols root's authenticator on the way
    device = TOTPDevice.objects.get(user=root)
    script = _script("root", totp_code(device.bin_key, after_t=device.last_t))
    text, data = _login_form(admin_console, root)
    assert 'name="is_active"' in text
    data.pop("is_active")
    assert admin_console.post(f"/admin/auth/user/{root.pk}/change/", data).status_code == 302

    token = ApiToken.objects.get(user=root)
    assert token.revoked_at is not None and token.revoked_by.username == "boot"
    assert AuditEntry.objects.get(verb="api_token_revoke").actor.username == "boot"
    assert AuditEntry.objects.get(verb="sessions_end").changes == {
        "reason": "login deactivated",
        "sessions": 1,
    }
    assert not [s for s in Session.objects.all() if s.get_decoded().get("_auth_user_id") == str(root.pk)]
    assert AuditEntry.objects.get(verb="admin_user_update").changes["is_active"] == [True, False]

    # Ticked again, nothing of before comes back: the script must ask for a new token.
    _text, data = _login_form(admin_console, root)
    data["is_active"] = "on"
    assert admin_console.post(f"/admin/auth/user/{root.pk}/change/", data).status_code == 302
    refused = script.get("/api/v1/me/")
    assert refused.status_code == 401 and refused.json()["code"] == "token_invalid"


def test_a_new_logins_audit_entry_holds_no_password(admin_console):
    added = admin_console.post(
        "/admin/auth/user/add/",
        {
            "username": "exporter",
            "usable_password": "true",
            "password1": "An0ther-long-secret!",
            "password2": "An0ther-long-secret!",
        },
    )
    assert added.status_code == 302, added.context["adminform"].form.errors
    entry = AuditEntry.objects.get(verb="admin_user_create")
    assert entry.changes.get("username") == [None, "exporter"]
    assert "An0ther-long-secret!" not in str(entry.changes)
    assert not {"password", "password1", "password2"} & set(entry.changes)


def test_an_officer_reactivated_gets_back_a_login_its_box_had_deactivated(admin_console):
    tom = factories.officer("PSP", username="tom", full_name="Tom Lead", roles=("inspector", "team_leader"))
    tom.is_active = False
    tom.save(update_fields=["is_active"])
    get_user_model().objects.filter(pk=tom.user_id).update(is_active=False)  # the old box's doing
    text, _data = _login_form(admin_console, tom.user)
    assert "Not active: this login signs nothing in." in text

    officer_reactivate(actor=None, officer=tom)
    tom.user.refresh_from_db()
    assert tom.user.is_active
    assert AuditEntry.objects.get(verb="login_reactivate").changes == {"is_active": [False, True]}
    _script("tom")  # signs in again
