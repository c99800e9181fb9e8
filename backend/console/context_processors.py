from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from backend.console import nav
from backend.core.access import principal_for


def console(request: HttpRequest) -> dict[str, Any]:
    """What the shell's layout needs on every page: the navigation of the signed-in officer."""
    user = getattr(request, "user", None)
    principal = principal_for(user)
    officer = getattr(user, "officer", None) if user is not None and principal.is_officer else None
    return {
        "console_nav": [
            {"label": entry.label, "url": entry.url, "active": request.path.startswith(entry.url)}
            for entry in (nav.entries_for(principal) if principal.user_id else [])
        ],
        "console_officer": officer,
        "map_tile_url": settings.MAP_TILE_URL,
        "map_tile_attribution": settings.MAP_TILE_ATTRIBUTION,
    }
