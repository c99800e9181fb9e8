"""API tokens for scripts: created with the user's password (and authenticator code), revoked
by their owner. Every change goes through a function here, so each leaves its audit entry.

Creating a token is signing in, so it shares the console's sign-in rules: the same per-account
attempt counter (guesses through the API and through the sign-in page add up), the same roles
(back-office users only) and the same second factor. A refusal answers the same whatever the
cause, so nobody learns which logins exist or which part was wrong; the cause goes to the audit
log only.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import authenticate
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework.request import Request

from backend.accounts.models import ApiToken
from backend.accounts.tokens import token_new
from backend.audit.models import AuditEntry
from backend.audit.services import audit_record
from backend.console.services import (
    may_use_console,
    second_factor_device,
    second_factor_required,
    sessions_end_for_users,
    signin_attempt_reserve,
    signin_attempts_clear,
)
from backend.core.errors import DomainError
from backend.core.tokens import token_hash
from backend.registry.models import Officer
from backend.registry.services import officer_admin_rights_sync
from mobile_api.services_auth import device_tokens_revoke_for_user, sign_in_counters_clear

AnyRequest = HttpRequest | Request

MAX_TTL_DAYS = 365


class InvalidCredentials(DomainError):
    """Deliberately vague: the same answer for every cause, so logins cannot be enumerated."""

    code = "invalid_credentials"
    status = 401
    title = _("The username, password or authenticator code is not correct.")
    # RFC 9110: a 401 names the scheme the client should use.
    headers = {"WWW-Authenticate": 'Bearer realm="api"'}


class TooManyAttempts(DomainError):
    code = "too_many_attempts"
    status = 429
    title = _("Too many failed sign-ins. Try again later.")

    def __init__(self) -> None:
        super().__init__()
        self.headers = {"Retry-After": str(settings.CONSOLE_SIGNIN_WINDOW_SECONDS)}


class SecondFactorEnrolmentRequired(DomainError):
    """The user must sign in with an authenticator but has not enrolled one: a password alone
    must not open a way round the console's second factor."""

    code = "second_factor_enrolment_required"
    status = 403
    title = _("Enrol an authenticator in the console before creating an API token.")


@dataclass(frozen=True)
class CreatedToken:
    """``token`` exists only here: the database keeps its hash."""

    token: str
    api_token: ApiToken


def _refuse(*, username: str, user: Any, reason: str, request: AnyRequest | None) -> None:
    # Outside any transaction: the refusal that follows must not roll the entry back.
    audit_record(
        actor=None,
        action=AuditEntry.Action.LOGIN_FAILED,
        verb="api_token_create",
        object_type="auth.user",
        object_id=str(user.pk) if user is not None else "",
        object_repr=username,
        changes={"username": username[:150], "reason": reason},
        request=request,
    )


def api_token_create(
    *,
    username: str,
    password: str,
    otp_code: str = "",
    name: str,
    expires_in_days: int | None = None,
    request: AnyRequest | None = None,
) -> CreatedToken:
    """Check a back-office user's password, and their authenticator's code when they have one,
    and issue a token for ``/api/v1/`` that lasts ``expires_in_days`` (``API_TOKEN_TTL_DAYS`` by
    default, at most a year).

    The attempt is counted before the password is checked, so parallel guesses cannot pass the
    limit; a success clears the count.
    """
    if not signin_attempt_reserve(username=username):
        _refuse(username=username, user=None, reason="locked", request=request)
        raise TooManyAttempts()
    user = authenticate(request, username=username, password=password)
    if user is None:
        _refuse(username=username, user=None, reason="wrong_password", request=request)
        raise InvalidCredentials()
    if not may_use_console(user):
        _refuse(username=username, user=user, reason="no_back_office_role", request=request)
        raise InvalidCredentials()
    device = second_factor_device(user)
    if device is not None:
        # verify_token refuses a code used before and slows repeated failures (django-otp).
        if not otp_code or not device.verify_token(otp_code.strip()):
            _refuse(username=username, user=user, reason="wrong_code", request=request)
            raise InvalidCredentials()
    elif second_factor_required(user):
        _refuse(username=username, user=user, reason="no_authenticator", request=request)
        raise SecondFactorEnrolmentRequired()
    signin_attempts_clear(username=username)
    days = expires_in_days or settings.API_TOKEN_TTL_DAYS
    return _issue(user=user, name=name, days=min(days, MAX_TTL_DAYS), request=request)


@transaction.atomic
def _issue(*, user: Any, name: str, days: int, request: AnyRequest | None) -> CreatedToken:
    token = token_new()
    now = timezone.now()
    api_token = ApiToken.objects.create(
        user=user,
        name=name,
        token_hash=token_hash(token),
        token_prefix=token[:12],
        created_at=now,
        expires_at=now + timedelta(days=days),
    )
    audit_record(
        actor=user,
        action=AuditEntry.Action.CREATE,
        verb="api_token_create",
        obj=api_token,
        changes={"name": name, "expires_at": api_token.expires_at.isoformat()},
        request=request,
    )
    return CreatedToken(token=token, api_token=api_token)


@transaction.atomic
def api_token_revoke(*, actor: Any, token: ApiToken, request: AnyRequest | None = None) -> bool:
    """Revoke a token; the very next request with it is refused. A conditional UPDATE, so two
    revocations at once record one revoker; revoking a revoked token changes nothing and returns
    False."""
    now = timezone.now()
    changed = ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(
        revoked_at=now, revoked_by=actor
    )
    if not changed:
        return False
    token.revoked_at, token.revoked_by = now, actor
    audit_record(
        actor=actor,
        action=AuditEntry.Action.UPDATE,
        verb="api_token_revoke",
        obj=token,
        changes={"user": token.user.get_username(), "name": token.name},
        request=request,
    )
    return True


@transaction.atomic
def api_tokens_revoke_for_user(*, actor: Any, user: Any, request: AnyRequest | None = None) -> int:
    """Revoke every live API token of ``user``, each audited; returns how many."""
    live = ApiToken.objects.select_related("user").filter(user=user, revoked_at__isnull=True)
    return sum(api_token_revoke(actor=actor, token=token, request=request) for token in live)


@transaction.atomic
def login_sign_out_everywhere(
    *, actor: Any, user: Any, reason: str, request: AnyRequest | None = None
) -> dict[str, int]:
    """Sign ``user`` out of every device: their phones' tokens and their scripts' API tokens are
    revoked (each audited, with who and why) and their console sessions ended. Each device must
    sign in again; nothing revoked here comes back."""
    return logins_sign_out_everywhere(actor=actor, users=[user], reason=reason, request=request)[user.pk]


@transaction.atomic
def logins_sign_out_everywhere(
    *, actor: Any, users: Sequence[Any], reason: str, request: AnyRequest | None = None
) -> dict[Any, dict[str, int]]:
    """``login_sign_out_everywhere`` for several logins at once, by primary key. Their console
    sessions end in one pass over the session table (``sessions_end_for_users``), not one per
    login: that table holds every browser signed in."""
    out = {
        user.pk: {
            "device_tokens": device_tokens_revoke_for_user(
                actor=actor, user=user, reason=reason, request=request
            ),
            "api_tokens": api_tokens_revoke_for_user(actor=actor, user=user, request=request),
        }
        for user in users
    }
    sessions = sessions_end_for_users(actor=actor, users=users, reason=reason, request=request)
    for pk, counts in out.items():
        counts["sessions"] = sessions[pk]
    return out


def logins_unlock(*, actor: Any, users: Sequence[Any], request: AnyRequest | None = None) -> None:
    """Logins locked out by too many wrong passwords may sign in again at once, not after the
    window: their counts of failed attempts are forgotten on the console (and for scripts' tokens,
    which share it) and on phones. Each unlock is audited."""
    for user in users:
        signin_attempts_clear(username=user.username)
        phone_counters = sign_in_counters_clear(username=user.username)
        audit_record(
            actor=actor,
            action=AuditEntry.Action.UPDATE,
            verb="sign_in_unlock",
            obj=user,
            changes={"phone_counters_cleared": phone_counters},
            request=request,
        )


REASON_DEACTIVATED = "officer deactivated"
REASON_REACTIVATED = "officer reactivated: sign in again"


def _officer_set_active(*, actor: Any, officer: Officer, active: bool, request: AnyRequest | None) -> None:
    # Conditional: after the admin's form has saved the box, there is nothing left to write
    # (and the form's own audit entry has recorded it).
    if Officer.objects.filter(pk=officer.pk).exclude(is_active=active).update(is_active=active):
        audit_record(
            actor=actor,
            action=AuditEntry.Action.UPDATE,
            verb="officer_reactivate" if active else "officer_deactivate",
            obj=officer,
            changes={"is_active": [not active, active]},
            request=request,
        )
    officer.is_active = active


@transaction.atomic
def officer_deactivate(*, actor: Any, officer: Officer, request: AnyRequest | None = None) -> dict[str, int]:
    """A leaver: the officer record is deactivated, the login loses any admin rights, and every
    sign-in it holds ends (phones, scripts, console). Safe to call on an officer the admin's form
    has just deactivated: only what is left is done."""
    return officers_deactivate(actor=actor, officers=[officer], request=request)[officer.pk]


@transaction.atomic
def officers_deactivate(
    *, actor: Any, officers: Sequence[Officer], request: AnyRequest | None = None
) -> dict[Any, dict[str, int]]:
    """``officer_deactivate`` for several leavers at once (the officers list's action), all or
    none; what each had signed out, by the officer's primary key. Their console sessions end in
    one pass over the session table, whatever their number."""
    for officer in officers:
        _officer_set_active(actor=actor, officer=officer, active=False, request=request)
        officer_admin_rights_sync(actor=actor, officer=officer, request=request)
    signed_out = logins_sign_out_everywhere(
        actor=actor, users=[o.user for o in officers], reason=REASON_DEACTIVATED, request=request
    )
    return {officer.pk: signed_out[officer.user_id] for officer in officers}


@transaction.atomic
def officer_reactivate(*, actor: Any, officer: Officer, request: AnyRequest | None = None) -> dict[str, int]:
    """The officer is back: the record is active again and the administrator role, if held,
    gives the admin again, but no earlier sign-in comes back. Anything still live from before
    (an officer deactivated before deactivation revoked anything) is revoked now, so each phone,
    script and browser signs in afresh."""
    _officer_set_active(actor=actor, officer=officer, active=True, request=request)
    # A login deactivated by its own box (before the box left officers' logins) comes back with
    # its officer: the officer's page is the one place that decides.
    user = officer.user
    if type(user).objects.filter(pk=user.pk, is_active=False).update(is_active=True):
        audit_record(
            actor=actor,
            action=AuditEntry.Action.UPDATE,
            verb="login_reactivate",
            obj=user,
            changes={"is_active": [False, True]},
            request=request,
        )
        user.is_active = True
    officer_admin_rights_sync(actor=actor, officer=officer, request=request)
    return login_sign_out_everywhere(
        actor=actor, user=officer.user, reason=REASON_REACTIVATED, request=request
    )
