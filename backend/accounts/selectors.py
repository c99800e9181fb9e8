"""Reads of API tokens: each user sees their own tokens and nobody else's."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from backend.accounts.models import ApiToken
from backend.core.access import get_or_404


def api_token_list(*, user: Any) -> QuerySet[ApiToken]:
    """The user's tokens, newest first, revoked and expired ones included (with their dates), so
    the owner sees what was ever issued in their name."""
    return ApiToken.objects.filter(user_id=user.pk)


def api_token_get(*, user: Any, uuid: Any) -> ApiToken:
    """One of the user's own tokens; another user's answers NotFound, as an unknown one does."""
    return get_or_404(ApiToken.objects.select_related("user").filter(user_id=user.pk), uuid=uuid)
