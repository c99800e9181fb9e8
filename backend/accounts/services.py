"""API tokens for scripts: created with the user's password (and authenticator code), revoked
by their owner. Every change goes through a function here, so each leaves its audit entry.

Creating a token is signing in, so it shares the console's sign-in rules: the same per-account
attempt counter (guesses through the API and through the sign-in page add up), the same roles
(back-office users only) and the same second factor. A refusal answers the same whatever the
cause, so nobody learns which logins exist or which part was wrong; the cause goes to the audit
log only.
"""

from __future__ import annotations

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
    signin_attempt_reserve,
    signin_attempts_clear,
)
from backend.core.errors import DomainError
from backend.core.tokens import token_hash

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
