"""The back-office API accepts the console's session, second factor included."""

from __future__ import annotations

from typing import Any

from drf_spectacular.authentication import SessionScheme
from rest_framework.authentication import SessionAuthentication
from rest_framework.request import Request


class ConsoleSessionAuthentication(SessionAuthentication):
    """Django's session, as the console signs it in; a session still waiting for its second
    factor is not signed in for the API either."""

    def authenticate(self, request: Request) -> tuple[Any, None] | None:
        result = super().authenticate(request)
        if result is None:
            return None
        # Imported here: DRF loads this class while backend.core.errors is still importing.
        from backend.console.services import second_factor_required

        user = result[0]
        if second_factor_required(user) and not user.is_verified():
            return None
        return result


class ConsoleSessionScheme(SessionScheme):
    """The console's session in the OpenAPI schema: Django's session cookie (registered by being
    defined; without it schema generation warns on every endpoint)."""

    target_class = ConsoleSessionAuthentication
