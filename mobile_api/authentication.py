"""``Authorization: Bearer <token>`` for the officers' API (``backend.core.tokens`` does the
work: validity read on every request, ``last_used_at`` moved at most once a minute)."""

from __future__ import annotations

import re
from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.plumbing import build_bearer_security_scheme_object
from rest_framework import exceptions

from backend.core.tokens import BearerTokenAuthentication
from mobile_api.models import DeviceToken


class TokenInvalid(exceptions.AuthenticationFailed):
    """An unknown, malformed, expired or revoked token. The error handler takes ``code`` from
    ``default_code`` for subclasses of DRF's exceptions."""

    default_code = "token_invalid"
    default_detail = _("The device token is not valid. Sign in again.")


class DeviceTokenAuthentication(BearerTokenAuthentication):
    """Sets ``request.user`` to the token's user and ``request.auth`` to the ``DeviceToken``."""

    model = DeviceToken
    # token_urlsafe's alphabet; anything longer than this is not one of ours and is not hashed.
    shape = re.compile(r"[A-Za-z0-9_-]{20,128}")
    realm = "mobile"
    invalid = TokenInvalid
    related = ("user", "user__officer")

    def user_allowed(self, user: Any) -> bool:
        # An officer deactivated is refused even if revoking their tokens was forgotten.
        officer = getattr(user, "officer", None) if hasattr(user, "officer") else None
        return officer is not None and officer.is_active


class DeviceTokenScheme(OpenApiAuthenticationExtension):
    """Describes the scheme in the OpenAPI schema (registered by being defined)."""

    target_class = DeviceTokenAuthentication
    name = "deviceToken"

    def get_security_definition(self, auto_schema: Any) -> dict[str, Any]:
        return build_bearer_security_scheme_object(
            header_name="Authorization",
            token_prefix="Bearer",  # noqa: S106 (the scheme's name, not a secret)
        )
