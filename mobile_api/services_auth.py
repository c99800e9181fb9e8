"""Signing phones in and out: device tokens, failed-attempt throttling, revocation.

Every state change goes through a function here, so each leaves its audit entry. A refused
sign-in answers the same whatever the cause (unknown login, wrong password, a login without an
officer record, an inactive officer), so nobody can learn from the API which logins exist; the
cause goes to the audit log only.
"""

from __future__ import annotations

import hashlib
import logging
import math
import secrets
import time
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import authenticate, get_user_model
from django.core.cache import cache
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework.request import Request

from backend.audit.models import AuditEntry
from backend.audit.services import audit_record
from backend.core.errors import DomainError
from backend.registry.models import Officer
from mobile_api.models import DeviceToken

logger = logging.getLogger(__name__)

AnyRequest = HttpRequest | Request

# What the API and the admin record as the reason a token stopped working.
REASON_SIGN_OUT = "signed out"
REASON_REPLACED = "replaced by a new sign-in on the same device"


class InvalidCredentials(DomainError):
    """Deliberately vague: the same answer for every cause, so logins cannot be enumerated."""

    code = "invalid_credentials"
    status = 401
    title = _("The username or password is not correct.")
    # RFC 9110 asks a 401 to name a scheme; some HTTP clients (Android's HttpURLConnection)
    # even fail on a 401 without one.
    headers = {"WWW-Authenticate": 'Bearer realm="mobile"'}


class TooManyAttempts(DomainError):
    code = "too_many_attempts"
    status = 429
    title = _("Too many failed sign-ins. Try again later.")

    def __init__(self, retry_after: int) -> None:
        super().__init__()
        self.retry_after = retry_after
        self.headers = {"Retry-After": str(retry_after)}


def token_hash(token: str) -> str:
    """The stored form of a token. SHA-256 suffices: the token is 256 random bits."""
    return hashlib.sha256(token.encode()).hexdigest()


def client_address(request: AnyRequest | None) -> str:
    # REMOTE_ADDR only, as the audit log does: X-Forwarded-For is whatever the client says.
    return (request.META.get("REMOTE_ADDR") or "") if request is not None else ""


# --- Failed sign-in counters ------------------------------------------------------------
# One counter per account and one per client address, each a fixed window opened by the first
# failure. The account counter stops guessing one officer's password from many addresses; the
# address counter stops one address trying a password against many accounts. They live in the
# shared cache (Redis with several servers), not the database: they are cheap to lose.


def _key(kind: str, value: str) -> str:
    # Hashed so any username or address makes a valid, bounded cache key.
    return f"mobile-signin:{kind}:{hashlib.sha256(value.encode()).hexdigest()}"


def _throttle_keys(*, username: str, address: str) -> list[str]:
    return [_key("account", username.strip().casefold()), _key("address", address)]


def _seconds_left(key: str, window: int) -> int:
    until = cache.get(f"{key}:until")
    left = (until - time.time()) if until is not None else window
    return max(1, math.ceil(left))


def _refuse_if_locked(keys: list[str]) -> None:
    limit = settings.MOBILE_SIGNIN_MAX_FAILURES
    window = settings.MOBILE_SIGNIN_WINDOW_SECONDS
    counts = cache.get_many(keys)
    locked = [key for key in keys if counts.get(key, 0) >= limit]
    if locked:
        # Refused before the password is checked: a locked account is no oracle for guesses.
        raise TooManyAttempts(retry_after=max(_seconds_left(key, window) for key in locked))


def _count_failure(key: str) -> int:
    """Add one failure to ``key``'s window and return the count, atomically across processes."""
    window = settings.MOBILE_SIGNIN_WINDOW_SECONDS
    if cache.add(key, 0, timeout=window):  # the first failure opens the window
        cache.set(f"{key}:until", time.time() + window, timeout=window)
    try:
        count = cache.incr(key)
    except ValueError:  # the window closed between add and incr: this failure opens a new one
        cache.add(key, 0, timeout=window)
        cache.set(f"{key}:until", time.time() + window, timeout=window)
        count = cache.incr(key)
    if count == 1:
        # Redis re-creates a key that expired between its existence check and INCR without a
        # time-out; make sure the window closes.
        cache.touch(key, timeout=window)
    return count


# --- Sign-in ------------------------------------------------------------------------------


@dataclass(frozen=True)
class SignedIn:
    """The result of a sign-in. ``token`` exists only here: the database keeps its hash."""

    token: str
    device_token: DeviceToken
    officer: Officer


def _officer_of(user: Any) -> Officer | None:
    if user is None or not user.is_active:
        return None
    officer = Officer.objects.select_related("agency").prefetch_related("roles").filter(user=user).first()
    return officer if officer is not None and officer.is_active else None


def _failure_cause(username: str, user: Any) -> tuple[str, Any]:
    """Why a sign-in was refused and which login it aimed at, for the audit log only (never for
    the caller)."""
    if user is not None:
        return ("inactive_officer" if Officer.objects.filter(user=user).exists() else "no_officer"), user
    known = get_user_model()._default_manager.filter(username=username).first()
    if known is None:
        return "unknown_user", None
    return ("wrong_password" if known.is_active else "inactive_user"), known


def device_sign_in(
    *,
    username: str,
    password: str,
    device_name: str,
    device_id: str = "",
    request: AnyRequest | None = None,
) -> SignedIn:
    """Sign a phone in: check the password of an active officer's login and issue a token.

    Failures are counted per account and per address; past the limit every attempt, even with
    the right password, is refused with ``TooManyAttempts`` until the window passes. A success
    clears the account's count but not the address's, or one good login would let an address
    keep guessing others.
    """
    address = client_address(request)
    account_key, address_key = keys = _throttle_keys(username=username, address=address)
    try:
        _refuse_if_locked(keys)
    except TooManyAttempts:
        logger.warning("Sign-in refused while locked: username %r from %s", username[:150], address)
        raise

    # Django's authenticate: the configured backends, a dummy hash for unknown logins (no
    # timing difference) and refusal of inactive users.
    user = authenticate(request, username=username, password=password)
    officer = _officer_of(user)
    if officer is None:
        limit = settings.MOBILE_SIGNIN_MAX_FAILURES
        locked = max(_count_failure(account_key), _count_failure(address_key)) >= limit
        reason, target = _failure_cause(username, user)
        # Outside any transaction: the refusal below must not roll the entry back.
        audit_record(
            actor=None,
            action=AuditEntry.Action.LOGIN_FAILED,
            verb="device_sign_in",
            object_type="auth.user",
            object_id=str(target.pk) if target is not None else "",
            changes={
                "username": username[:150],
                "reason": reason,
                "address": address,
                "locked": locked,
            },
            request=request,
        )
        raise InvalidCredentials()

    cache.delete_many([account_key, f"{account_key}:until"])
    return _issue_token(officer=officer, device_name=device_name, device_id=device_id, request=request)


@transaction.atomic
def _issue_token(
    *, officer: Officer, device_name: str, device_id: str, request: AnyRequest | None
) -> SignedIn:
    user = officer.user
    now = timezone.now()
    if device_id:
        # A phone signing in again (a reinstall, a forgotten token) retires its old token
        # instead of leaving it live until it expires.
        for old in DeviceToken.objects.filter(user=user, device_id=device_id, revoked_at__isnull=True):
            device_token_revoke(actor=user, token=old, reason=REASON_REPLACED, request=request)
    token = secrets.token_urlsafe(32)
    device_token = DeviceToken.objects.create(
        user=user,
        device_name=device_name,
        device_id=device_id,
        token_hash=token_hash(token),
        token_prefix=token[:8],
        created_at=now,
        expires_at=now + timedelta(days=settings.MOBILE_TOKEN_TTL_DAYS),
    )
    user.last_login = now
    user.save(update_fields=["last_login"])
    audit_record(
        actor=user,
        action=AuditEntry.Action.LOGIN,
        verb="device_sign_in",
        obj=device_token,
        changes={"device_name": device_name, "device_id": device_id},
        request=request,
    )
    return SignedIn(token=token, device_token=device_token, officer=officer)


# --- Sign-out and revocation ----------------------------------------------------------------


def _revoke(*, token: DeviceToken, actor: Any, reason: str) -> bool:
    """Mark ``token`` revoked unless it already is. A conditional UPDATE, so two revocations at
    once record one revoker and never overwrite each other; returns whether this call revoked."""
    now = timezone.now()
    revoked_by = actor if actor is not None and getattr(actor, "is_authenticated", False) else None
    changed = DeviceToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(
        revoked_at=now, revoked_by=revoked_by, revoke_reason=reason[:200]
    )
    if changed:
        token.revoked_at, token.revoked_by, token.revoke_reason = now, revoked_by, reason[:200]
    return bool(changed)


@transaction.atomic
def device_sign_out(*, token: DeviceToken, request: AnyRequest | None = None) -> None:
    """The phone gives its token up; the very next request with it is refused."""
    if _revoke(token=token, actor=token.user, reason=REASON_SIGN_OUT):
        audit_record(
            actor=token.user,
            action=AuditEntry.Action.LOGOUT,
            verb="device_sign_out",
            obj=token,
            request=request,
        )


@transaction.atomic
def device_token_revoke(
    *, actor: Any, token: DeviceToken, reason: str, request: AnyRequest | None = None
) -> bool:
    """Revoke one device (a lost phone, a departing officer). Takes effect on the device's next
    request. Revoking a revoked token changes nothing and returns False."""
    revoked = _revoke(token=token, actor=actor, reason=reason)
    if revoked:
        audit_record(
            actor=actor,
            action=AuditEntry.Action.UPDATE,
            verb="device_token_revoke",
            obj=token,
            changes={"reason": reason, "user": token.user.get_username()},
            request=request,
        )
    return revoked


@transaction.atomic
def device_tokens_revoke_for_user(
    *, actor: Any, user: Any, reason: str, request: AnyRequest | None = None
) -> int:
    """Revoke every live token of ``user`` (an officer deactivated, a password compromised).
    Returns how many were revoked."""
    count = 0
    for token in DeviceToken.objects.select_related("user").filter(user=user, revoked_at__isnull=True):
        count += device_token_revoke(actor=actor, token=token, reason=reason, request=request)
    return count
