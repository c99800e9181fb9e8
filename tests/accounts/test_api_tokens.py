"""A script signs in to the back-office API with a token of its user's: created with the user's
password (and authenticator code), listed and revoked by its owner, refused the moment it is
revoked, expired, or its user leaves the back office. Every test signs in through the token
endpoint, as a script does."""

from __future__ import annotations

import datetime as dt
import hashlib
import time

import pytest
import time_machine
from django.utils import timezone
from django_otp.oath import TOTP
from rest_framework.test import APIClient

from backend.accounts.models import ApiToken
from backend.audit.models import AuditEntry
from backend.console.services import second_factor_enrolment_confirm, second_factor_enrolment_start
from backend.registry.models import OfficerRole
from tests.browser_support import sign_in_client
from tests.conftest import PASSWORD

TOKENS = "/api/v1/auth/tokens/"


def code(device, steps_ahead: int = 0) -> str:
    """The authenticator's current code (or the next one: a code is accepted once only)."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + steps_ahead * device.step
    return f"{totp.token():0{device.digits}d}"


def enrol(user):
    """Enrol an authenticator as the console does: start, then confirm with a current code."""
    device = second_factor_enrolment_start(user=user)
    assert second_factor_enrolment_confirm(device=device, token=code(device), request=None)
    return device


def create(client: APIClient, username: str, password: str = PASSWORD, **extra):
    body = {"username": username, "password": password, "name": "nightly export", **extra}
    return client.post(TOKENS, body, format="json")


@pytest.fixture
def paula_device(paula):
    return enrol(paula.user)


@pytest.fixture
def script(paula, paula_device):
    """A client signed in as Paula (a planner) with a token made through the endpoint."""

    client = APIClient()
    response = create(client, "paula", otp_code=code(paula_device, steps_ahead=1))
    assert response.status_code == 201, response.content
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {response.json()['token']}")
    client.created = response.json()
    return client


def test_created_token_signs_the_script_in_and_only_its_hash_is_stored(script, paula):
    created = script.created
    assert created["token"].startswith("jia_") and created["name"] == "nightly export"
    row = ApiToken.objects.get(uuid=created["id"])
    assert row.user == paula.user
    assert row.token_hash == hashlib.sha256(created["token"].encode()).hexdigest()
    assert created["token"] not in {row.token_hash, row.token_prefix}
    assert row.expires_at - row.created_at == dt.timedelta(days=90)

    me = script.get("/api/v1/me/")
    assert me.status_code == 200 and me.json()["full_name"] == "Paula Planner"
    assert script.get("/api/v1/planning/operations/").status_code == 200


def test_creation_is_audited_and_the_answer_is_not_cached(paula, paula_device):
    response = create(APIClient(), "paula", otp_code=code(paula_device, steps_ahead=1))
    assert response.status_code == 201
    assert response["Cache-Control"] == "no-store"
    entry = AuditEntry.objects.get(verb="api_token_create", action=AuditEntry.Action.CREATE)
    assert entry.actor == paula.user and entry.object_id == response.json()["id"]
    assert response.json()["token"] not in str(entry.changes)


def test_wrong_password_is_refused_vaguely_and_audited(paula, paula_device):
    response = create(APIClient(), "paula", password="wrong-password", otp_code=code(paula_device, 1))
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["code"] == "invalid_credentials"
    assert response["WWW-Authenticate"] == 'Bearer realm="api"'
    assert not ApiToken.objects.exists()
    entry = AuditEntry.objects.get(verb="api_token_create", action=AuditEntry.Action.LOGIN_FAILED)
    assert entry.changes["reason"] == "wrong_password"
    assert entry.object_repr == entry.changes["username"] != ""


def test_a_user_with_an_authenticator_needs_its_code(paula, paula_device):
    assert create(APIClient(), "paula").json()["code"] == "invalid_credentials"
    assert create(APIClient(), "paula", otp_code="000000").status_code == 401
    assert not ApiToken.objects.exists()
    # django-otp makes a device wait after a wrong code (one second after the first).
    with time_machine.travel(timezone.now() + dt.timedelta(seconds=5)):
        assert create(APIClient(), "paula", otp_code=code(paula_device, 1)).status_code == 201


def test_a_code_is_accepted_once(paula, paula_device):
    once = code(paula_device, 1)
    assert create(APIClient(), "paula", otp_code=once).status_code == 201
    assert create(APIClient(), "paula", otp_code=once).status_code == 401


def test_password_alone_does_not_get_round_a_required_second_factor(settings, paula):
    settings.CONSOLE_2FA_REQUIRED = True
    response = create(APIClient(), "paula")
    assert response.status_code == 403
    assert response.json()["code"] == "second_factor_enrolment_required"
    assert not ApiToken.objects.exists()


def test_without_a_required_second_factor_the_password_suffices(settings, carol):
    settings.CONSOLE_2FA_REQUIRED = False
    assert create(APIClient(), "carol").status_code == 201


def test_an_inspector_without_a_back_office_role_gets_no_token(settings, bob, oscar):
    settings.CONSOLE_2FA_REQUIRED = False
    for username in ("bob", "oscar"):
        response = create(APIClient(), username)
        assert response.status_code == 401 and response.json()["code"] == "invalid_credentials"
    assert not ApiToken.objects.exists()


def test_attempts_are_limited_per_account_even_with_the_right_password(settings, paula, paula_device):
    settings.CONSOLE_SIGNIN_MAX_FAILURES = 3
    for _ in range(3):
        assert create(APIClient(), "paula", password="guess").status_code == 401
    response = create(APIClient(), "paula", otp_code=code(paula_device, 1))
    assert response.status_code == 429
    assert response.json()["code"] == "too_many_attempts"
    assert int(response["Retry-After"]) > 0
    assert not ApiToken.objects.exists()


def test_expiry_can_be_chosen_within_a_year(settings, carol):
    settings.CONSOLE_2FA_REQUIRED = False
    response = create(APIClient(), "carol", expires_in_days=7)
    row = ApiToken.objects.get(uuid=response.json()["id"])
    assert row.expires_at - row.created_at == dt.timedelta(days=7)
    too_long = create(APIClient(), "carol", expires_in_days=366)
    assert too_long.status_code == 400 and "expires_in_days" in too_long.json()["errors"]


def test_owner_lists_own_tokens_without_their_secrets(settings, script, carol):
    settings.CONSOLE_2FA_REQUIRED = False
    assert create(APIClient(), "carol").status_code == 201
    listed = script.get(TOKENS)
    assert listed.status_code == 200
    assert [t["id"] for t in listed.json()] == [script.created["id"]]
    assert set(listed.json()[0]) == {
        "id",
        "name",
        "token_prefix",
        "created_at",
        "expires_at",
        "last_used_at",
        "revoked_at",
    }
    assert listed.json()[0]["last_used_at"] is not None


def test_revoked_token_is_refused_on_the_next_request_and_the_revocation_audited(script, paula):
    token_id = script.created["id"]
    assert script.delete(f"{TOKENS}{token_id}/").status_code == 204
    response = script.get("/api/v1/me/")
    assert response.status_code == 401
    assert response.json()["code"] == "token_invalid"
    assert response["WWW-Authenticate"] == 'Bearer realm="api"'
    entry = AuditEntry.objects.get(verb="api_token_revoke")
    assert entry.actor == paula.user and entry.object_id == token_id
    assert ApiToken.objects.get(uuid=token_id).revoked_by == paula.user


def test_nobody_revokes_or_sees_another_users_token(settings, script, carol):
    settings.CONSOLE_2FA_REQUIRED = False
    carols = APIClient()
    carols.credentials(HTTP_AUTHORIZATION=f"Bearer {create(APIClient(), 'carol').json()['token']}")
    response = carols.delete(f"{TOKENS}{script.created['id']}/")
    assert response.status_code == 404
    assert carols.delete(f"{TOKENS}not-a-uuid/").status_code == 404
    assert script.get("/api/v1/me/").status_code == 200


def test_expired_token_is_refused(script):
    with time_machine.travel(timezone.now() + dt.timedelta(days=91)):
        assert script.get("/api/v1/me/").status_code == 401


def test_token_stops_when_its_user_leaves_the_back_office(script, paula):
    OfficerRole.objects.filter(officer=paula, role="planner").delete()
    assert script.get("/api/v1/me/").status_code == 401


def test_token_stops_when_its_login_is_deactivated(script, paula):
    paula.user.is_active = False
    paula.user.save()
    assert script.get("/api/v1/me/").status_code == 401


def test_device_tokens_and_api_tokens_open_their_own_api_only(script, alice, phone):
    officer_phone = phone(alice)
    response = officer_phone.get("/api/v1/me/")
    assert response.status_code == 401 and response.json()["code"] == "token_invalid"
    assert script.get("/api/mobile/v1/assignments/").status_code == 401


@pytest.mark.parametrize("header", ["Bearer", "Bearer a b", "Bearer jia_short", "Bearer jia_" + "x" * 43])
def test_malformed_or_unknown_tokens_are_refused(db, header):
    response = APIClient().get("/api/v1/me/", HTTP_AUTHORIZATION=header)
    assert response.status_code == 401
    assert response.json()["code"] == "token_invalid"


def test_signed_out_callers_cannot_list_or_revoke(db):
    assert APIClient().get(TOKENS).status_code == 401
    assert APIClient().delete(f"{TOKENS}00000000-0000-0000-0000-000000000000/").status_code == 401


@pytest.mark.parametrize(
    ("language", "title"),
    [("zh-hant", "用戶名稱、密碼或驗證器代碼不正確。"), ("pt", "O nome de utilizador, a palavra-passe")],
)
def test_refusals_speak_the_callers_language(paula, language, title):
    response = APIClient().post(
        TOKENS,
        {"username": "paula", "password": "wrong", "name": "x"},
        format="json",
        HTTP_ACCEPT_LANGUAGE=language,
    )
    assert response.json()["title"].startswith(title)


def test_the_console_session_lists_and_revokes_the_owners_tokens(settings, carol, client):
    settings.CONSOLE_2FA_REQUIRED = False
    script = APIClient()
    created = create(script, "carol").json()
    script.credentials(HTTP_AUTHORIZATION=f"Bearer {created['token']}")
    sign_in_client(client, "carol", PASSWORD)

    assert [t["id"] for t in client.get(TOKENS).json()] == [created["id"]]
    assert client.delete(f"{TOKENS}{created['id']}/").status_code == 204
    assert script.get("/api/v1/me/").status_code == 401
    assert client.get(TOKENS).json()[0]["revoked_at"] is not None
