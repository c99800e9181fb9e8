"""Signing phones in and out of the officers' API: device tokens, throttling, revocation."""

from __future__ import annotations

import datetime as dt
import hashlib
import json

import pytest
import time_machine
from django.core.cache import cache
from django.urls import path, reverse
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from backend import urls as project_urls
from backend.audit.models import AuditEntry
from backend.registry.models import Officer
from mobile_api.authentication import DeviceTokenAuthentication
from mobile_api.models import DeviceToken
from mobile_api.services_auth import device_token_revoke, device_tokens_revoke_for_user
from tests import factories
from tests.conftest import PASSWORD

SIGN_IN = "/api/mobile/v1/auth/sign-in/"
SIGN_OUT = "/api/mobile/v1/auth/sign-out/"
WHOAMI = "/api/test/whoami/"
T0 = dt.datetime(2025, 3, 3, 9, 0, tzinfo=dt.UTC)


class _WhoAmIApi(APIView):
    """A stand-in for any protected endpoint of the officers' API."""

    authentication_classes = [DeviceTokenAuthentication]
    permission_classes = [IsAuthenticated]

    def get(self, request):
        return Response({"username": request.user.get_username(), "token_id": str(request.auth.uuid)})


# The project's own URLs (the console's sign-in too, which the admin signs in through), and a
# test endpoint that says who a device token is.
urlpatterns = [path("api/test/whoami/", _WhoAmIApi.as_view()), *project_urls.urlpatterns]

pytestmark = pytest.mark.urls("tests.mobile_api.test_auth")


def sign_in(api, username="alice", password=PASSWORD, address="10.0.0.1", **extra):
    body = {"username": username, "password": password, "device_name": "Pixel 8", **extra}
    return api.post(SIGN_IN, body, format="json", REMOTE_ADDR=address)


def token_of(api, **kwargs) -> str:
    response = sign_in(api, **kwargs)
    assert response.status_code == 201, response.content
    return response.json()["token"]


def whoami(api, token):
    return api.get(WHOAMI, HTTP_AUTHORIZATION=f"Bearer {token}")


def assert_problem(response, status, code):
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/problem+json")
    body = response.json()
    assert body["status"] == status and body["code"] == code
    return body


# --- Signing in and using the token -------------------------------------------------------


def test_sign_in_returns_a_token_that_authenticates_a_protected_request(api, alice):
    with time_machine.travel(T0, tick=False):
        response = sign_in(api)
        assert response.status_code == 201
        assert response["Cache-Control"] == "no-store"
        body = response.json()
        assert set(body) == {"token", "token_id", "expires_at", "officer"}
        assert body["officer"] == {
            "id": str(alice.uuid),
            "full_name": "Alice Police",
            "agency": "PSP",
            "roles": ["inspector"],
        }
        assert dt.datetime.fromisoformat(body["expires_at"]) == T0 + dt.timedelta(days=30)

        response = whoami(api, body["token"])
    assert response.status_code == 200
    assert response.json() == {"username": "alice", "token_id": body["token_id"]}


def test_token_is_stored_only_hashed(api, alice):
    token = token_of(api)
    row = DeviceToken.objects.get()
    assert len(token) >= 43  # 256 bits, URL-safe base64
    assert row.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert row.token_prefix == token[:8]
    stored = [str(getattr(row, f.attname)) for f in DeviceToken._meta.fields]
    assert not any(token in value for value in stored)


def test_request_without_a_token_is_challenged_with_bearer(api, db):
    response = api.get(WHOAMI)
    assert_problem(response, 401, "not_authenticated")
    assert response["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.parametrize(
    "header",
    [
        "Bearer unknown-token-0123456789abcdefghijklmnopqrstuvwxyz",
        "Bearer",
        "Bearer two parts",
        "Bearer not/url+safe=0123456789abcdefghij",
        "Bearer " + "a" * 500,
    ],
)
def test_unknown_or_malformed_token_is_refused(api, alice, header):
    response = api.get(WHOAMI, HTTP_AUTHORIZATION=header)
    assert_problem(response, 401, "token_invalid")
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_expired_token_is_refused(api, alice):
    with time_machine.travel(T0, tick=False) as clock:
        token = token_of(api)
        clock.move_to(T0 + dt.timedelta(days=30) - dt.timedelta(seconds=1))
        assert whoami(api, token).status_code == 200
        clock.move_to(T0 + dt.timedelta(days=30))
        assert_problem(whoami(api, token), 401, "token_invalid")


def test_token_of_a_deactivated_officer_is_refused_even_if_not_revoked(api, alice):
    token = token_of(api)
    Officer.objects.filter(pk=alice.pk).update(is_active=False)
    assert_problem(whoami(api, token), 401, "token_invalid")


def test_last_use_is_written_at_most_once_a_minute(api, alice, django_assert_num_queries):
    with time_machine.travel(T0, tick=False) as clock:
        token = token_of(api)
        assert whoami(api, token).status_code == 200
        assert DeviceToken.objects.get().last_used_at == T0

        clock.shift(59)
        with django_assert_num_queries(1):  # the token lookup only, no UPDATE
            assert whoami(api, token).status_code == 200
        assert DeviceToken.objects.get().last_used_at == T0

        clock.shift(1)
        assert whoami(api, token).status_code == 200
        assert DeviceToken.objects.get().last_used_at == T0 + dt.timedelta(seconds=60)


def test_a_stale_token_does_not_stop_signing_in_again(api, alice):
    token = token_of(api)
    api.post(SIGN_OUT, HTTP_AUTHORIZATION=f"Bearer {token}")
    response = api.post(
        SIGN_IN,
        {"username": "alice", "password": PASSWORD, "device_name": "Pixel 8"},
        format="json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert response.status_code == 201


def test_signing_in_again_on_the_same_device_retires_its_old_token(api, alice):
    old = token_of(api, device_id="device-1")
    other = token_of(api, device_id="device-2")
    new = token_of(api, device_id="device-1")
    assert_problem(whoami(api, old), 401, "token_invalid")
    assert whoami(api, other).status_code == 200
    assert whoami(api, new).status_code == 200


# --- Signing out and revoking ---------------------------------------------------------------


def test_sign_out_refuses_the_very_next_request(api, alice):
    token = token_of(api)
    assert whoami(api, token).status_code == 200

    response = api.post(SIGN_OUT, HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 204

    assert_problem(whoami(api, token), 401, "token_invalid")
    assert_problem(api.post(SIGN_OUT, HTTP_AUTHORIZATION=f"Bearer {token}"), 401, "token_invalid")
    row = DeviceToken.objects.get()
    assert row.revoked_by == alice.user and row.revoke_reason == "signed out"


def test_sign_out_without_a_token_is_refused(api, db):
    assert_problem(api.post(SIGN_OUT), 401, "not_authenticated")


def test_revoking_a_device_refuses_its_next_request(api, alice, admin_user):
    token = token_of(api)
    assert whoami(api, token).status_code == 200
    row = DeviceToken.objects.get()

    assert device_token_revoke(actor=admin_user, token=row, reason="phone lost") is True
    assert_problem(whoami(api, token), 401, "token_invalid")

    assert device_token_revoke(actor=admin_user, token=row, reason="again") is False
    row.refresh_from_db()
    assert row.revoked_by == admin_user and row.revoke_reason == "phone lost"
    entries = AuditEntry.objects.filter(verb="device_token_revoke", object_id=str(row.uuid))
    assert [(e.actor, e.changes["reason"]) for e in entries] == [(admin_user, "phone lost")]


def test_revoking_every_device_of_an_officer(api, alice, bob, admin_user):
    phone = token_of(api, device_id="phone")
    tablet = token_of(api, device_id="tablet")
    bobs = token_of(api, username="bob")

    assert device_tokens_revoke_for_user(actor=admin_user, user=alice.user, reason="left the service") == 2
    assert_problem(whoami(api, phone), 401, "token_invalid")
    assert_problem(whoami(api, tablet), 401, "token_invalid")
    assert whoami(api, bobs).status_code == 200


def test_administrator_revokes_selected_devices_in_the_admin(api, alice, admin_client, admin_user):
    token = token_of(api)
    row = DeviceToken.objects.get()
    changelist = reverse("admin:mobile_api_devicetoken_changelist")
    assert admin_client.get(changelist).status_code == 200

    response = admin_client.post(changelist, {"action": "revoke_selected", "_selected_action": [row.pk]})
    assert response.status_code == 302

    assert_problem(whoami(api, token), 401, "token_invalid")
    row.refresh_from_db()
    assert row.revoked_by == admin_user and row.revoked_at is not None
    assert AuditEntry.objects.filter(
        verb="device_token_revoke", actor=admin_user, object_id=str(row.uuid)
    ).exists()


def test_admin_neither_adds_nor_edits_tokens(admin_client, alice, api):
    token_of(api)
    row = DeviceToken.objects.get()
    assert admin_client.get(reverse("admin:mobile_api_devicetoken_add")).status_code == 403
    page = admin_client.get(reverse("admin:mobile_api_devicetoken_change", args=[row.pk]))
    assert page.status_code == 200 and b'name="token_hash"' not in page.content
    admin_client.post(reverse("admin:mobile_api_devicetoken_change", args=[row.pk]), {"token_hash": "0" * 64})
    row.refresh_from_db()
    assert row.token_hash != "0" * 64


# --- Refused sign-ins ------------------------------------------------------------------------


def _wrong_password(alice, oscar):
    return {"username": "alice", "password": "not-the-password"}


def _unknown_user(alice, oscar):
    return {"username": "nobody", "password": PASSWORD}


def _login_without_officer(alice, oscar):
    return {"username": "oscar", "password": PASSWORD}


def _inactive_officer(alice, oscar):
    Officer.objects.filter(pk=alice.pk).update(is_active=False)
    return {"username": "alice", "password": PASSWORD}


def _inactive_login(alice, oscar):
    alice.user.is_active = False
    alice.user.save()
    return {"username": "alice", "password": PASSWORD}


REFUSALS = {
    "wrong_password": _wrong_password,
    "unknown_user": _unknown_user,
    "no_officer": _login_without_officer,
    "inactive_officer": _inactive_officer,
    "inactive_user": _inactive_login,
}


@pytest.mark.parametrize("reason", REFUSALS)
def test_every_refused_sign_in_looks_the_same(api, alice, oscar, reason):
    credentials = REFUSALS[reason](alice, oscar)
    response = sign_in(api, **credentials, address="10.7.7.7")

    body = assert_problem(response, 401, "invalid_credentials")
    assert body == {
        "type": "https://inspections.invalid/problems/invalid_credentials",
        "title": "The username or password is not correct.",
        "status": 401,
        "detail": "The username or password is not correct.",
        "code": "invalid_credentials",
    }
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert not DeviceToken.objects.exists()

    entry = AuditEntry.objects.get(action=AuditEntry.Action.LOGIN_FAILED)
    assert entry.actor is None and entry.ip_address == "10.7.7.7"
    assert entry.changes["username"] == credentials["username"]
    assert entry.object_repr == credentials["username"]  # named in the log's list
    assert entry.changes["reason"] == reason
    assert entry.object_id == (
        "" if reason == "unknown_user" else str((oscar if reason == "no_officer" else alice.user).pk)
    )
    assert credentials["password"] not in str(entry.changes)


def test_sign_in_is_audited(api, alice):
    token_of(api, address="10.1.1.1", device_id="device-1")
    row = DeviceToken.objects.get()
    entry = AuditEntry.objects.get(action=AuditEntry.Action.LOGIN)
    assert entry.actor == alice.user and entry.ip_address == "10.1.1.1"
    assert entry.object_id == str(row.uuid)
    assert entry.changes == {"device_name": "Pixel 8", "device_id": "device-1"}


def test_sign_out_is_audited(api, alice):
    token = token_of(api)
    api.post(SIGN_OUT, HTTP_AUTHORIZATION=f"Bearer {token}", REMOTE_ADDR="10.2.2.2")
    entry = AuditEntry.objects.get(action=AuditEntry.Action.LOGOUT)
    assert entry.actor == alice.user and entry.ip_address == "10.2.2.2"
    assert entry.object_id == str(DeviceToken.objects.get().uuid)


# --- Throttling failed sign-ins ----------------------------------------------------------------


def _fail(api, times, *, usernames=("alice",), addresses=("10.0.0.1",)):
    for n in range(times):
        username, address = usernames[n % len(usernames)], addresses[n % len(addresses)]
        response = sign_in(api, username=username, password="wrong-password", address=address)
        assert_problem(response, 401, "invalid_credentials")


def test_failures_on_one_account_from_many_addresses_lock_it(api, alice, bob):
    addresses = [f"10.0.{n // 4}.{n % 4}" for n in range(20)]  # four tries each: under the per-address limit
    _fail(api, 20, usernames=("alice", "ALICE", " Alice"), addresses=addresses)

    response = sign_in(api, username="alice", address="10.0.0.99")  # the right password
    assert_problem(response, 429, "too_many_attempts")
    assert 0 < int(response["Retry-After"]) <= 900
    assert not DeviceToken.objects.exists()
    # Another account from the same address is not affected.
    assert sign_in(api, username="bob", address="10.0.0.99").status_code == 201


def test_failures_on_one_account_from_one_address_lock_that_pair(api, alice):
    _fail(api, 5, addresses=("10.0.0.1",))

    assert_problem(sign_in(api, address="10.0.0.1"), 429, "too_many_attempts")
    # The officer is not locked out everywhere by someone else's guesses.
    assert sign_in(api, address="10.0.0.2").status_code == 201


def test_a_stations_shared_address_is_not_locked_by_other_officers_mistakes(api, alice):
    """Phones behind one station's network share an address: others' typos must not lock it."""
    names = ("carl", "dora", "bob", "erin", "finn", "gina", "hugo", "ines")
    _fail(api, 16, usernames=names, addresses=("10.9.9.9",))

    assert sign_in(api, username="alice", address="10.9.9.9").status_code == 201


def test_failures_from_one_address_across_accounts_lock_the_address(api, alice, bob):
    _fail(api, 100, usernames=[f"user{n}" for n in range(25)], addresses=("10.9.9.9",))

    response = sign_in(api, username="alice", address="10.9.9.9")  # right password, new account
    assert_problem(response, 429, "too_many_attempts")
    assert 0 < int(response["Retry-After"]) <= 900
    # The same account from another address is not affected.
    assert sign_in(api, username="alice", address="10.8.8.8").status_code == 201


def test_the_counters_hold_across_processes(api, alice):
    """Another web process has its own memory: the counts must not live there."""
    _fail(api, 5)
    cache.clear()  # what a second process sees of this one's memory

    assert_problem(sign_in(api), 429, "too_many_attempts")


def test_attempts_below_the_limit_are_not_throttled(api, alice):
    _fail(api, 4)
    assert sign_in(api).status_code == 201


def test_the_lock_lifts_when_the_window_passes(api, alice):
    with time_machine.travel(T0, tick=False) as clock:
        _fail(api, 5)
        clock.shift(600)
        response = sign_in(api)
        assert_problem(response, 429, "too_many_attempts")
        assert response["Retry-After"] == "300"

        clock.shift(299)
        assert_problem(sign_in(api), 429, "too_many_attempts")

        clock.shift(1)
        assert sign_in(api).status_code == 201


def test_attempts_while_locked_do_not_extend_the_lock(api, alice):
    with time_machine.travel(T0, tick=False) as clock:
        _fail(api, 5)
        clock.shift(800)
        assert_problem(sign_in(api, password="still-wrong"), 429, "too_many_attempts")
        clock.shift(100)
        assert sign_in(api).status_code == 201


def test_a_successful_sign_in_clears_the_account_count(api, alice):
    _fail(api, 4, addresses=[f"10.0.1.{n}" for n in range(1, 5)])
    assert sign_in(api, address="10.0.1.50").status_code == 201
    _fail(api, 4, addresses=[f"10.0.2.{n}" for n in range(1, 5)])
    assert sign_in(api, address="10.0.2.50").status_code == 201


def test_the_lock_is_audited_on_the_failure_that_trips_it(api, alice):
    _fail(api, 5)
    locked = list(AuditEntry.objects.filter(action=AuditEntry.Action.LOGIN_FAILED).order_by("at"))
    assert [e.changes["locked"] for e in locked] == [False] * 4 + [True]


# --- Malformed requests ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "content_type", "code", "fields"),
    [
        ("{}", "application/json", "invalid", {"username", "password", "device_name"}),
        (
            json.dumps({"username": "alice", "password": PASSWORD}),
            "application/json",
            "invalid",
            {"device_name"},
        ),
        ("{not json", "application/json", "malformed_request", None),
        ('["alice", "x"]', "application/json", "invalid", {"non_field_errors"}),
        (
            '{"username": 123, "password": ["x"], "device_name": {"a": 1}, "device_id": true}',
            "application/json",
            "invalid",
            {"username", "password", "device_name", "device_id"},
        ),
        (
            json.dumps({"username": "alice", "password": PASSWORD, "device_name": "x" * 101}),
            "application/json",
            "invalid",
            {"device_name"},
        ),
    ],
    ids=["empty", "missing_device_name", "not_json", "not_an_object", "wrong_types", "too_long"],
)
def test_malformed_sign_in_is_a_problem_and_leaves_no_token(api, alice, body, content_type, code, fields):
    response = api.post(SIGN_IN, body, content_type=content_type)
    problem = assert_problem(response, 400, code)
    if fields is not None:
        assert set(problem["errors"]) == fields
    assert not DeviceToken.objects.exists()
    assert not AuditEntry.objects.filter(action__in=["login", "login_failed"]).exists()


def test_form_encoded_sign_in_is_refused(api, alice):
    response = api.post(SIGN_IN, {"username": "alice", "password": PASSWORD, "device_name": "x"})
    assert_problem(response, 415, "unsupported_media_type")
    assert not DeviceToken.objects.exists()


def test_malformed_attempts_do_not_count_as_failures(api, alice):
    for _ in range(6):
        api.post(SIGN_IN, {"username": "alice"}, format="json")
    assert sign_in(api).status_code == 201


def test_other_officers_can_sign_in_while_one_is_locked(api, alice):
    other = factories.officer("DSAL", username="dan")
    _fail(api, 5, addresses=[f"10.3.0.{n}" for n in range(5)])
    assert sign_in(api, username=other.user.username, address="10.3.0.99").status_code == 201
