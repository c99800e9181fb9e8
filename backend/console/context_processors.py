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
    entries = [
        (entry.label, entry.url) for entry in (nav.entries_for(principal) if principal.user_id else [])
    ]
    # The entry the page belongs to: the longest address the path begins with, so /compliance/cases/
    # is Cases alone, not also the register at /compliance/.
    current = max(
        (url for _label, url in entries if url and request.path.startswith(url)), key=len, default=None
    )
    return {
        "console_nav": [{"label": label, "url": url, "active": url == current} for label, url in entries],
        "console_officer": officer,
        "map_tile_url": settings.MAP_TILE_URL,
        "map_tile_attribution": settings.MAP_TILE_ATTRIBUTION,
    }
