"""A leaver is out the moment their officer record is deactivated: the admin, the console, the
back-office API and the phone, even when their login is an administrator's (staff, superuser).
Signed in through the real sign-in page, as they were before they left."""

from __future__ import annotations

import html

import pytest
from rest_framework.test import APIClient

from backend.registry.models import Officer
from tests import factories
from tests.browser_support import sign_in_client

PASSWORD = "correct-horse-battery"

pytestmark = pytest.mark.django_db


@pytest.fixture
def adele(db):
    """An administrator of PSP: her login is staff and superuser, as officer_create makes it."""
    officer = factories.officer("PSP", username="adele", roles=("administrator",), full_name="Adele Admin")
    assert officer.user.is_superuser and officer.user.is_staff
    return officer


def _deactivate(officer: Officer) -> None:
    # What the officer form's "Active" box writes when an administrator unticks it.
    officer.is_active = False
    officer.save(update_fields=["is_active"])


def test_a_deactivated_administrator_is_out_of_the_admin_and_the_console(client, adele):
    sign_in_client(client, "adele", PASSWORD)
    assert client.get("/admin/").status_code == 200
    assert client.get("/admin/compliance/referral/").status_code == 200
    assert client.get("/api/v1/me/").status_code == 200

    _deactivate(adele)

    # The session she holds opens nothing any more.
    assert client.get("/admin/").status_code == 302  # to the sign-in page
    assert client.get("/admin/compliance/referral/").status_code == 302
    assert client.get("/admin/registry/officer/").status_code == 302
    assert client.get("/registry/imports/").status_code in (302, 404)
    assert client.get("/api/v1/me/").status_code in (401, 403, 404)

    # Nor does she sign in again.
    client.logout()
    refused = client.post("/sign-in/", {"username": "adele", "password": PASSWORD})
    assert refused.status_code == 200
    assert client.get("/admin/").status_code == 302


def test_a_deactivated_administrators_phone_is_refused(adele):
    phone = APIClient()
    signed = phone.post(
        "/api/mobile/v1/auth/sign-in/",
        {"username": "adele", "password": PASSWORD, "device_name": "her phone"},
        format="json",
    )
    assert signed.status_code == 201
    phone.credentials(HTTP_AUTHORIZATION=f"Bearer {signed.json()['token']}")
    assert phone.get("/api/mobile/v1/assignments/").status_code == 200
    _deactivate(adele)
    refused = phone.get("/api/mobile/v1/assignments/")
    assert refused.status_code == 401 and refused.json()["code"] == "token_invalid"


def test_an_administrator_without_an_officer_record_still_gets_in(client, django_user_model):
    # The rule is about a deactivated officer record, not about superusers as such.
    django_user_model.objects.create_superuser("root", "root@example.invalid", PASSWORD)
    sign_in_client(client, "root", PASSWORD)
    assert client.get("/admin/").status_code == 200


@pytest.mark.parametrize(
    ("language", "told"),
    [
        ("en", "This account is no longer active. If you still need it, ask your agency's administrator."),
        ("zh-hant", "此帳戶已停用。如仍需使用，請聯絡本部門的系統管理員。"),
        (
            "pt",
            "Esta conta já não está activa. Se ainda precisar dela, contacte o administrador da sua "
            "entidade.",
        ),
    ],
)
def test_a_leaver_signing_in_is_told_the_account_is_no_longer_active(client, language, told):
    """Not sent to the field app as an officer of no back-office role would be: it refuses them
    too, and a leaver (a planner here) would go round in a circle."""
    paula = factories.officer("PSP", username="paula", roles=("planner",), full_name="Paula Planner")
    _deactivate(paula)
    page = html.unescape(
        client.post(
            "/sign-in/", {"username": "paula", "password": PASSWORD}, HTTP_ACCEPT_LANGUAGE=language
        ).content.decode()
    )
    assert page.count(told) == 1
    assert "no back-office role" not in page
