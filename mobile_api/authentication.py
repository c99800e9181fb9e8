"""``Authorization: Bearer <token>`` for the officers' API.

The token's validity is read from the database on every request, never cached, so a sign-out
or an administrator's revocation stops the very next request. Only ``last_used_at`` is spared
writes: it moves at most once a minute.
"""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.plumbing import build_bearer_security_scheme_object
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.request import Request

from mobile_api.models import DeviceToken
from mobile_api.services_auth import token_hash

LAST_USED_RESOLUTION = timedelta(minutes=1)
# token_urlsafe's alphabet; anything longer than this is not one of ours and is not hashed.
_TOKEN_SHAPE = re.compile(r"[A-Za-z0-9_-]{20,128}")


class TokenInvalid(exceptions.AuthenticationFailed):
    """An unknown, malformed, expired or revoked token. The error handler takes ``code`` from
    ``default_code`` for subclasses of DRF's exceptions."""

    default_code = "token_invalid"
    default_detail = _("The device token is not valid. Sign in again.")


class DeviceTokenAuthentication(BaseAuthentication):
    """Sets ``request.user`` to the token's user and ``request.auth`` to the ``DeviceToken``.

    A request without a Bearer header is left to the next authentication class (or refused by
    the permission as not authenticated); one with a bad Bearer token is refused outright.
    """

    keyword = b"bearer"

    def authenticate(self, request: Request) -> tuple[Any, DeviceToken] | None:
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() != self.keyword:
            return None
        if len(parts) != 2:
            raise TokenInvalid(_("The Authorization header must be: Bearer <token>."))
        try:
            token = parts[1].decode("ascii")
        except UnicodeDecodeError:
            raise TokenInvalid() from None
        if not _TOKEN_SHAPE.fullmatch(token):
            raise TokenInvalid()
        return self._authenticate_token(token)

    def _authenticate_token(self, token: str) -> tuple[Any, DeviceToken]:
        device_token = (
            DeviceToken.objects.select_related("user", "user__officer")
            .filter(token_hash=token_hash(token))
            .first()
        )
        now = timezone.now()
        if device_token is None or not device_token.is_usable_at(now):
            raise TokenInvalid()
        user = device_token.user
        officer = getattr(user, "officer", None) if hasattr(user, "officer") else None
        # A deactivated login or officer is refused even if revoking its tokens was forgotten.
        if not user.is_active or officer is None or not officer.is_active:
            raise TokenInvalid()
        if device_token.last_used_at is None or now - device_token.last_used_at >= LAST_USED_RESOLUTION:
            # An UPDATE of one column, never save(): a save would write back the revoked_at read
            # above and could undo a revocation made in the meantime.
            DeviceToken.objects.filter(pk=device_token.pk).update(last_used_at=now)
            device_token.last_used_at = now
        return user, device_token

    def authenticate_header(self, request: Request) -> str:
        # Naming a scheme makes DRF answer 401 (not 403) to a missing or refused token.
        return 'Bearer realm="mobile"'


class DeviceTokenScheme(OpenApiAuthenticationExtension):
    """Describes the scheme in the OpenAPI schema (registered by being defined)."""

    target_class = DeviceTokenAuthentication
    name = "deviceToken"

    def get_security_definition(self, auto_schema: Any) -> dict[str, Any]:
        return build_bearer_security_scheme_object(
            header_name="Authorization",
            token_prefix="Bearer",  # noqa: S106 (the scheme's name, not a secret)
        )
