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
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import authenticate, get_user_model
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework.request import Request

from backend.audit.models import AuditEntry
from backend.audit.services import audit_record
from backend.core.errors import DomainError
from backend.registry.models import Officer
from mobile_api.models import DeviceToken, SignInCounter

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
# Three counters, each a fixed window opened by its first failure:
# - account and address (MOBILE_SIGNIN_MAX_FAILURES): one phone guessing one officer's password;
# - account (MOBILE_SIGNIN_ACCOUNT_MAX_FAILURES): one officer's password guessed from many
#   addresses;
# - address (MOBILE_SIGNIN_ADDRESS_MAX_FAILURES, far higher): one address trying many accounts.
#   A station's phones share one network address, so a few officers' typing mistakes must not
#   lock the others out.
# They live in the database (``SignInCounter``), counted with atomic UPDATEs before the password
# is checked, so the limits hold across processes and under parallel attempts: of any number of
# simultaneous guesses, no more than the limit reach the password check.


@dataclass(frozen=True)
class _Counter:
    key: str
    limit: int


def _key(kind: str, value: str) -> str:
    # Hashed so any username or address makes a bounded key that stores nothing readable.
    return f"{kind}:{hashlib.sha256(value.encode()).hexdigest()}"


def _account_addresses(account: str) -> str:
    """The start of the keys of ``account``'s counters per address: an administrator who
    unlocks the account finds them by it (the address part stays hashed)."""
    return f"account-address:{hashlib.sha256(account.encode()).hexdigest()[:24]}:"


def _counters(*, username: str, address: str) -> tuple[_Counter, _Counter, _Counter]:
    account = username.strip().casefold()
    per_address = _account_addresses(account) + hashlib.sha256(address.encode()).hexdigest()[:32]
    return (
        _Counter(_key("account", account), settings.MOBILE_SIGNIN_ACCOUNT_MAX_FAILURES),
        _Counter(per_address, settings.MOBILE_SIGNIN_MAX_FAILURES),
        _Counter(_key("address", address), settings.MOBILE_SIGNIN_ADDRESS_MAX_FAILURES),
    )


def sign_in_counters_clear(*, username: str) -> int:
    """Forget ``username``'s failed sign-ins on phones, on its own and from each address, so an
    administrator unlocks the account at once rather than after the window. An address's own
    counter stays: it counts the guesses of many accounts. Returns how many counters went."""
    account = username.strip().casefold()
    deleted, _ = SignInCounter.objects.filter(
        Q(key=_key("account", account)) | Q(key__startswith=_account_addresses(account))
    ).delete()
    return deleted


def _add_attempt(key: str) -> tuple[int, Any]:
    """Add one attempt to ``key``'s current window; return the count and when the window ends.

    Atomic across processes: the increment is one UPDATE (the row lock orders parallel attempts),
    an expired window is reopened by an UPDATE that re-checks the expiry, and a missing row is
    created in a savepoint that yields to a parallel creator."""
    window = timedelta(seconds=settings.MOBILE_SIGNIN_WINDOW_SECONDS)
    while True:
        now = timezone.now()
        with transaction.atomic():
            live = SignInCounter.objects.filter(key=key, window_ends_at__gt=now)
            if live.update(count=F("count") + 1):
                row = SignInCounter.objects.get(key=key)
                return row.count, row.window_ends_at
            if SignInCounter.objects.filter(key=key, window_ends_at__lte=now).update(
                count=1, window_ends_at=now + window
            ):
                return 1, now + window
            try:
                with transaction.atomic():
                    SignInCounter.objects.create(key=key, count=1, window_ends_at=now + window)
            except IntegrityError:
                continue  # another attempt created it first: count on its row
            # Rows of closed windows are kept only until a new key is first counted.
            SignInCounter.objects.filter(window_ends_at__lte=now).delete()
            return 1, now + window


def _give_back(key: str) -> None:
    """Take back the attempt a successful sign-in added to ``key``."""
    SignInCounter.objects.filter(key=key, count__gt=0, window_ends_at__gt=timezone.now()).update(
        count=F("count") - 1
    )


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

    Every attempt first adds to its counters (account, account-and-address, address); past a
    limit it is refused with ``TooManyAttempts`` before the password is checked, even when the
    password is right, until the window passes. A success takes its attempt back and clears the
    account's counters but not the address's, or one good login would let an address keep
    guessing others.
    """
    address = client_address(request)
    counters = _counters(username=username, address=address)
    counted = [(counter, *_add_attempt(counter.key)) for counter in counters]
    over = [(count, ends) for counter, count, ends in counted if count > counter.limit]
    if over:
        logger.warning("Sign-in refused while locked: username %r from %s", username[:150], address)
        # Refused before the password is checked: a locked account is no oracle for guesses.
        retry_after = max((ends - timezone.now()).total_seconds() for _count, ends in over)
        raise TooManyAttempts(retry_after=max(1, math.ceil(retry_after)))

    # Django's authenticate: the configured backends, a dummy hash for unknown logins (no
    # timing difference) and refusal of inactive users.
    user = authenticate(request, username=username, password=password)
    officer = _officer_of(user)
    if officer is None:
        locked = any(count >= counter.limit for counter, count, _ends in counted)
        reason, target = _failure_cause(username, user)
        # Outside any transaction: the refusal below must not roll the entry back.
        audit_record(
            actor=None,
            action=AuditEntry.Action.LOGIN_FAILED,
            verb="device_sign_in",
            object_type="auth.user",
            object_id=str(target.pk) if target is not None else "",
            # The login tried, named in the log's list (which has no user to name when unknown).
            object_repr=username,
            changes={
                "username": username[:150],
                "reason": reason,
                "address": address,
                "locked": locked,
            },
            request=request,
        )
        raise InvalidCredentials()

    account, account_address, address_counter = counters
    SignInCounter.objects.filter(key__in=[account.key, account_address.key]).delete()
    _give_back(address_counter.key)
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
