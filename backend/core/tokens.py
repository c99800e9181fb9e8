"""Bearer tokens, one machinery for both APIs: the officers' device tokens (``mobile_api``) and
the scripts' back-office tokens (``backend.accounts``).

A token is 256 random bits handed out once; only its SHA-256 is stored, so a copy of the
database (a backup, a replica, a leaked dump) holds nothing that signs anyone in. A plain hash is
enough here, unlike passwords: the token is random and long, so there is nothing to guess and no
need for a slow, salted hash. Each kind of token has a table of its own and opens its own API
only, so a lost phone never carries its officer's planning or review rights.

Validity is read from the database on every request, never cached, so a revocation stops the
very next request. Only ``last_used_at`` is spared writes: it moves at most once a minute.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import uuid
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.request import Request

from backend.core.prepared import PreparedRead

LAST_USED_RESOLUTION = timedelta(minutes=1)


def token_hash(token: str) -> str:
    """The stored form of a token. SHA-256 suffices: the token is 256 random bits."""
    return hashlib.sha256(token.encode()).hexdigest()


class BearerToken(models.Model):
    """What every kind of token records. Each subclass adds its ``user`` (with a related name of
    its own) and what it needs besides."""

    uuid = models.UUIDField(_("UUID"), default=uuid.uuid4, unique=True, editable=False)
    token_hash = models.CharField(_("token hash (SHA-256)"), max_length=64, unique=True, editable=False)
    token_prefix = models.CharField(
        _("token starts with"),
        max_length=12,
        editable=False,
        help_text=_("The first characters of the token, to tell tokens apart; not enough to use it."),
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    expires_at = models.DateTimeField(_("expires at"))
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("revoked by"),
        null=True,
        blank=True,
        # Who revoked a token is evidence, like the audit log's actor.
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        abstract = True

    def is_usable_at(self, moment: dt.datetime) -> bool:
        """Whether the token signs its user in at ``moment``: not revoked and not expired."""
        return self.revoked_at is None and moment < self.expires_at

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None


class BearerTokenAuthentication(BaseAuthentication):
    """``Authorization: Bearer <token>``: sets ``request.user`` to the token's user and
    ``request.auth`` to the token's row.

    A request without a Bearer header is left to the next authentication class (or refused by
    the permission as not authenticated); one with a bad token (malformed, unknown, revoked,
    expired, or its user no longer allowed) is refused outright with ``invalid``.
    """

    keyword = b"bearer"
    model: type[BearerToken]
    shape: re.Pattern[str]  # anything else is not one of ours and is not even hashed
    realm: str
    invalid: type[exceptions.AuthenticationFailed] = exceptions.AuthenticationFailed
    related: tuple[str, ...] = ("user",)

    def authenticate(self, request: Request) -> tuple[Any, BearerToken] | None:
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() != self.keyword:
            return None
        if len(parts) != 2:
            raise self.invalid(_("The Authorization header must be: Bearer <token>."))
        try:
            token = parts[1].decode("ascii")
        except UnicodeDecodeError:
            raise self.invalid() from None
        if not self.shape.fullmatch(token):
            raise self.invalid()
        found = self._read()(digest=token_hash(token))
        row = found[0] if found else None
        now = timezone.now()
        if row is None or not row.is_usable_at(now):
            raise self.invalid()
        user = row.user  # type: ignore[attr-defined]
        # A deactivated login is refused even if revoking its tokens was forgotten.
        if not user.is_active or not self.user_allowed(user):
            raise self.invalid()
        if row.last_used_at is None or now - row.last_used_at >= LAST_USED_RESOLUTION:
            # An UPDATE of one column, never save(): a save would write back the revoked_at read
            # above and could undo a revocation made in the meantime.
            self.model._default_manager.filter(pk=row.pk).update(last_used_at=now)
            row.last_used_at = now
        return user, row

    @classmethod
    def _read(cls) -> PreparedRead[BearerToken]:
        """The token's row with its user (and ``related``), compiled once per class: it runs on
        every request of the API, where compiling it cost more than PostgreSQL's running it."""
        read = cls.__dict__.get("_prepared")
        if read is None:
            model, related = cls.model, cls.related

            def build(digest: str) -> models.QuerySet[BearerToken]:
                rows = model._default_manager.select_related(*related).filter(token_hash=digest)
                return rows.order_by()[:1]  # the hash is unique: at most one row, no ordering

            read = PreparedRead(model, build, digest=str)
            cls._prepared = read
        return read

    def user_allowed(self, user: Any) -> bool:
        """Whether the token's (active) user may still use this API."""
        return True

    def authenticate_header(self, request: Request) -> str:
        # Naming a scheme makes DRF answer 401 (not 403) to a missing or refused token.
        return f'Bearer realm="{self.realm}"'
