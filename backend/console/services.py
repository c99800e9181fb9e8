"""Console sign-in: attempts throttled per account, the second factor, and their audit entries."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from importlib import import_module
from typing import Any

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.core.cache import cache, caches
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from backend.audit.models import AuditEntry
from backend.audit.services import audit_record
from backend.console.nav import BACK_OFFICE_ROLES, SECOND_FACTOR_ROLES
from backend.core.access import login_deactivated, principal_for


def _attempts_key(username: str) -> str:
    digest = hashlib.sha256(username.strip().lower().encode()).hexdigest()[:32]
    return f"console-signin:{digest}"


def signin_attempt_reserve(*, username: str) -> bool:
    """Count one attempt for ``username`` before its password is checked.

    Counting first, with the cache's atomic increment, keeps the limit under parallel attempts:
    the sixth of twenty simultaneous guesses is refused without its password being tried.
    """
    key = _attempts_key(username)
    cache.add(key, 0, timeout=settings.CONSOLE_SIGNIN_WINDOW_SECONDS)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=settings.CONSOLE_SIGNIN_WINDOW_SECONDS)
        count = 1
    return count <= settings.CONSOLE_SIGNIN_MAX_FAILURES


def password_reset_reserve(*, email: str) -> bool:
    """Count one password-reset mail to ``email``: at most CONSOLE_SIGNIN_MAX_FAILURES in
    CONSOLE_SIGNIN_WINDOW_SECONDS, so the reset page cannot be used to flood a mailbox."""
    key = "console-reset:" + hashlib.sha256(email.strip().lower().encode()).hexdigest()[:32]
    cache.add(key, 0, timeout=settings.CONSOLE_SIGNIN_WINDOW_SECONDS)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=settings.CONSOLE_SIGNIN_WINDOW_SECONDS)
        count = 1
    return count <= settings.CONSOLE_SIGNIN_MAX_FAILURES


def signin_attempts_clear(*, username: str) -> None:
    cache.delete(_attempts_key(username))


def signin_failed_record(*, username: str, request: HttpRequest, reason: str) -> None:
    audit_record(
        actor=None,
        action=AuditEntry.Action.LOGIN_FAILED,
        verb="console_sign_in",
        object_type="auth.user",
        object_id=username[:64],
        object_repr=username,
        changes={"reason": reason},
        request=request,
    )


def signin_succeeded_record(*, user: Any, request: HttpRequest, step: str) -> None:
    audit_record(
        actor=user,
        action=AuditEntry.Action.LOGIN,
        verb=f"console_sign_in_{step}",
        obj=user,
        request=request,
    )


def may_use_console(user: Any) -> bool:
    """Officers holding a back-office role, superusers and staff (the admin's users); never the
    login of a deactivated officer (a leaver), staff or not."""
    if login_deactivated(user):
        return False
    principal = principal_for(user)
    return principal.is_superuser or user.is_staff or bool(principal.roles & BACK_OFFICE_ROLES)


def second_factor_required(user: Any) -> bool:
    """Planners, reviewers, victim protection, data protection and administrators, when
    CONSOLE_2FA_REQUIRED is on; administrators are also whoever enters the admin (staff), with
    or without a role."""
    if not settings.CONSOLE_2FA_REQUIRED:
        return False
    principal = principal_for(user)
    return (
        principal.is_superuser
        or bool(getattr(user, "is_staff", False))
        or bool(principal.roles & SECOND_FACTOR_ROLES)
    )


def second_factor_device(user: Any) -> TOTPDevice | None:
    """The user's confirmed authenticator, if they enrolled one."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("id").first()


@transaction.atomic
def second_factor_enrolment_start(*, user: Any) -> TOTPDevice:
    """An unconfirmed authenticator for ``user``: the same one until confirmed, so a reload of
    the enrolment page does not change the secret the officer has just scanned."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("id").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="console", confirmed=False)
    return device


@transaction.atomic
def second_factor_enrolment_confirm(*, device: TOTPDevice, token: str, request: HttpRequest) -> bool:
    """Confirm the authenticator when ``token`` is a current code of it."""
    if not device.verify_token(token.strip()):
        return False
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=device.user, confirmed=False).delete()
    audit_record(
        actor=device.user,
        action=AuditEntry.Action.CREATE,
        verb="second_factor_enrol",
        obj=device.user,
        request=request,
    )
    return True


def sessions_end(*, actor: Any, user: Any, reason: str, request: HttpRequest | None = None) -> int:
    """End every console session of ``user``, on every browser: the next request of each is
    signed out and must sign in again (second factor included). Returns how many were ended; one
    audit entry (``sessions_end``) when any were."""
    return sessions_end_for_users(actor=actor, users=[user], reason=reason, request=request)[user.pk]


# Sessions deleted per statement: well under any database's limit on a statement's parameters.
SESSIONS_PER_DELETE = 500


def sessions_end_for_users(
    *, actor: Any, users: Iterable[Any], reason: str, request: HttpRequest | None = None
) -> dict[Any, int]:
    """``sessions_end`` for several logins at once (leavers deactivated together), in a fixed
    number of queries whatever their number: one read of the live sessions, one delete per
    ``SESSIONS_PER_DELETE`` sessions ended. Returns how many each login had ended, by its primary
    key; one audit entry per login that had any.

    Sessions are kept in the database (Django's db or cached_db engine), one row each with the
    user's id inside its signed data, so each live row is read and decoded once, and those of the
    logins deleted. The acting request's own session, when it is one of them, is flushed through
    the request, so the response does not write it back.
    """
    users = list({user.pk: user for user in users}.values())
    store = import_module(settings.SESSION_ENGINE).SessionStore
    model = store.get_model_class()  # the db and cached_db engines (the project's: sessions in the database)
    ended: dict[str, list[str]] = {str(user.pk): [] for user in users}
    if ended:
        decoder = store()
        live = model.objects.filter(expire_date__gt=timezone.now()).values_list("session_key", "session_data")
        for key, data in live.iterator():
            owner = ended.get(str(decoder.decode(data).get(SESSION_KEY)))
            if owner is not None:
                owner.append(key)
    keys = [key for owned in ended.values() for key in owned]
    own = getattr(request, "session", None) if request is not None else None
    if own is not None and own.session_key in keys:
        keys.remove(own.session_key)
        own.flush()
    prefix = getattr(store, "cache_key_prefix", None)  # cached_db: its copies in the cache too
    for start in range(0, len(keys), SESSIONS_PER_DELETE):
        chunk = keys[start : start + SESSIONS_PER_DELETE]
        model.objects.filter(session_key__in=chunk).delete()
        if prefix is not None:
            caches[settings.SESSION_CACHE_ALIAS].delete_many([prefix + key for key in chunk])
    for user in users:
        if ended[str(user.pk)]:
            audit_record(
                actor=actor,
                action=AuditEntry.Action.LOGOUT,
                verb="sessions_end",
                obj=user,
                changes={"reason": reason, "sessions": len(ended[str(user.pk)])},
                request=request,
            )
    return {user.pk: len(ended[str(user.pk)]) for user in users}
