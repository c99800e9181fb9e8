from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.http import HttpRequest

from backend.console import nav
from backend.console.access import console_verified
from backend.core.access import principal_for
from backend.registry.models import Parish


def console(request: HttpRequest) -> dict[str, Any]:
    """What the shell's layout needs on every page: the navigation of the signed-in officer."""
    user = getattr(request, "user", None)
    principal = principal_for(user)
    officer = getattr(user, "officer", None) if user is not None and principal.is_officer else None
    # No menu before the second factor is given: its links only led back to the code's page.
    shown = principal.user_id and console_verified(request)
    entries = [(entry.label, entry.url) for entry in (nav.entries_for(principal) if shown else [])]
    # The entry the page belongs to: the longest address the path begins with, so /compliance/cases/
    # is Cases alone, not also the register at /compliance/.
    current = max(
        (url for _label, url in entries if url and request.path.startswith(url)), key=len, default=None
    )
    return {
        "console_nav": [{"label": label, "url": url, "active": url == current} for label, url in entries],
        "console_officer": officer,
        # The account's links (Password) too: before the second factor they led back to the code's page.
        "console_verified": bool(shown),
        "map_tile_url": settings.MAP_TILE_URL,
        "map_tile_attribution": settings.MAP_TILE_ATTRIBUTION,
        "map_parish_names": map_parish_names,
    }


def map_parish_names() -> str:
    """The parishes' names for the maps' labels, by id, in the active language: the names the
    lists, filters, statistics and exports use (``Parish``), so a map never names a parish (Cotai
    especially) otherwise. Called by the template only where a map is drawn."""
    return json.dumps({parish.value: str(parish.label) for parish in Parish}, ensure_ascii=False)
