"""``Authorization: Bearer <token>`` for the back-office API, beside the console's session.

Listed first among the API's authentication classes, so an anonymous caller is told which
scheme to use: 401 with ``WWW-Authenticate: Bearer realm="api"`` (DRF answers 403 when the first
class names no scheme).
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.plumbing import build_bearer_security_scheme_object
from rest_framework import exceptions

from backend.accounts.models import ApiToken
from backend.accounts.tokens import TOKEN_SHAPE
from backend.core.tokens import BearerTokenAuthentication


class TokenInvalid(exceptions.AuthenticationFailed):
    default_code = "token_invalid"
    default_detail = _("The API token is not valid. Create a new one.")


class ApiTokenAuthentication(BearerTokenAuthentication):
    """A script's token. An officer's device token (another shape, another table) is refused."""

    model = ApiToken
    shape = TOKEN_SHAPE
    realm = "api"
    invalid = TokenInvalid

    def user_allowed(self, user: Any) -> bool:
        # Imported here: this module loads with DRF's settings, before the apps it would import.
        from backend.console.services import may_use_console

        # A login that lost its back-office roles is refused even if its tokens were not revoked.
        return may_use_console(user)


class ApiTokenScheme(OpenApiAuthenticationExtension):
    """Describes the scheme in the OpenAPI schema (registered by being defined)."""

    target_class = ApiTokenAuthentication
    name = "apiToken"

    def get_security_definition(self, auto_schema: Any) -> dict[str, Any]:
        return build_bearer_security_scheme_object(
            header_name="Authorization",
            token_prefix="Bearer",  # noqa: S106 (the scheme's name, not a secret)
        )
