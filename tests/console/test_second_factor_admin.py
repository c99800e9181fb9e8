"""Resetting someone's second factor in the admin: the administrator sees no key and no QR code
(either would let them pass for that login), cannot add or edit an authenticator, and the reset
is audited; the login then sets up a new authenticator at its next sign-in. Everyone signs in
through the real sign-in page."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import translation
from django_otp.plugins.otp_totp.models import TOTPDevice

from backend.audit.models import AuditEntry
from tests import factories
from tests.browser_support import sign_in_client

PASSWORD = "correct-horse-battery"

pytestmark = pytest.mark.django_db


@pytest.fixture
def carols_device(db):
    """A reviewer who enrolled her authenticator at her first sign-in."""
    factories.officer("PSP", username="carol", roles=("reviewer",), full_name="Carol Reviewer")
    sign_in_client(Client(), "carol", PASSWORD)
    return TOTPDevice.objects.get(user__username="carol", confirmed=True)


def test_the_admin_shows_no_key_and_no_qr_code(admin_console, carols_device):
    listing = admin_console.get("/admin/otp_totp/totpdevice/")
    assert listing.status_code == 200
    page = admin_console.get(f"/admin/otp_totp/totpdevice/{carols_device.pk}/change/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "carol" in text
    for secret in (carols_device.key, "qrcode", "/config/"):
        assert secret not in text and secret not in listing.content.decode()
    assert admin_console.get(f"/admin/otp_totp/totpdevice/{carols_device.pk}/config/").status_code in (
        302,
        404,
    )
    assert admin_console.get(f"/admin/otp_totp/totpdevice/{carols_device.pk}/qrcode/").status_code in (
        302,
        404,
    )


def test_no_authenticator_is_added_or_edited_by_hand(admin_console, carols_device):
    assert admin_console.get("/admin/otp_totp/totpdevice/add/").status_code == 403
    admin_console.post(
        f"/admin/otp_totp/totpdevice/{carols_device.pk}/change/",
        {
            "user": carols_device.user_id,
            "name": "x",
            "confirmed": "on",
            "key": "00" * 20,
            "step": 30,
            "t0": 0,
            "digits": 6,
            "tolerance": 1,
            "drift": 0,
            "throttling_failure_count": 0,
        },
    )
    carols_device.refresh_from_db()
    assert carols_device.key != "00" * 20


def test_the_first_click_asks_and_resets_nothing(admin_console, carols_device):
    """The reset ran on the first click, ending the login's sessions (an administrator's walk):
    it now names the logins and what a reset does, and waits for "Yes, reset"."""
    response = admin_console.post(
        "/admin/otp_totp/totpdevice/",
        {"action": "reset_second_factor", "_selected_action": [carols_device.pk]},
    )
    page = response.content.decode()
    assert response.status_code == 200 and 'value="Yes, reset"' in page
    assert "its sessions end at once" in page and "carol · Carol Reviewer · PSP" in page
    assert 'id="reset-yours"' not in page  # not the administrator's own
    assert TOTPDevice.objects.filter(user__username="carol").exists()
    assert not AuditEntry.objects.filter(verb__in=["second_factor_reset", "sessions_end"]).exists()


def test_the_administrators_own_login_is_called_out(admin_console):
    own = TOTPDevice.objects.get(user__username="adele", confirmed=True)  # enrolled at her sign-in
    page = admin_console.post(
        "/admin/otp_totp/totpdevice/", {"action": "reset_second_factor", "_selected_action": [own.pk]}
    ).content.decode()
    assert 'id="reset-yours"' in page and "you are signed out as soon as it is reset" in page
    with translation.override("zh-hant"):
        page = admin_console.post(
            "/admin/otp_totp/totpdevice/",
            {"action": "reset_second_factor", "_selected_action": [own.pk]},
            HTTP_ACCEPT_LANGUAGE="zh-hant",
        ).content.decode()
    assert "其中包括你自己的登入帳戶" in page
    assert TOTPDevice.objects.filter(pk=own.pk).exists()


def test_a_reset_is_audited_and_the_login_sets_up_a_new_authenticator(admin_console, carols_device):
    response = admin_console.post(
        "/admin/otp_totp/totpdevice/",
        {"action": "reset_second_factor", "_selected_action": [carols_device.pk], "post": "yes"},
        follow=True,
    )
    assert response.status_code == 200
    assert "second factor reset" in response.content.decode()
    assert not TOTPDevice.objects.filter(user__username="carol").exists()
    entry = AuditEntry.objects.get(verb="second_factor_reset")
    assert entry.actor.username == "adele" and entry.object_id == str(carols_device.user_id)

    carol = Client()
    signed = carol.post("/sign-in/", {"username": "carol", "password": PASSWORD})
    assert signed["Location"].startswith("/sign-in/code/")
    assert 'id="totp-secret"' in carol.get("/sign-in/code/").content.decode()


def test_the_admin_names_the_second_factor_in_every_language(admin_console):
    for language, name in (("en", "Second factor"), ("zh-hant", "第二重驗證"), ("pt", "Segundo factor")):
        with translation.override(language):
            page = admin_console.get("/admin/", HTTP_ACCEPT_LANGUAGE=language).content.decode()
        assert name in page, language
        assert "Otp_Totp" not in page  # the app's bare label, Django's default name


def test_a_reset_ends_the_sessions_signed_in_with_the_old_authenticator(admin_console):
    factories.officer("PSP", username="carol", roles=("reviewer",), full_name="Carol Reviewer")
    carol = Client()
    sign_in_client(carol, "carol", PASSWORD)
    assert carol.get("/api/v1/me/").status_code == 200
    device = TOTPDevice.objects.get(user__username="carol", confirmed=True)

    admin_console.post(
        "/admin/otp_totp/totpdevice/",
        {"action": "reset_second_factor", "_selected_action": [device.pk], "post": "yes"},
    )

    assert carol.get("/api/v1/me/").status_code == 401
    assert "_auth_user_id" not in carol.session
    ended = AuditEntry.objects.get(verb="sessions_end")
    assert ended.actor.username == "adele" and ended.object_id == str(device.user_id)
    assert ended.changes == {"reason": "second factor reset", "sessions": 1}
    assert admin_console.get("/admin/").status_code == 200  # the administrator's own session stays
