"""The field app's shell: one page, its service worker and its manifest.

None of these carries data: the shell is the same for everyone and works signed out. Every
datum reaches the phone through the officers' API with the device token, like any other phone.
"""

from __future__ import annotations

import hashlib
import json
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from mobile_api.field.texts import texts_for_all_languages

STATIC_DIR = Path(__file__).resolve().parent / "static"
VENDOR_DIR = Path(settings.BASE_DIR) / "backend" / "console" / "static"
# Vendored files the app uses besides its own (the console's Leaflet and Macao's outline).
VENDOR_FILES = (
    "vendor/leaflet/1.9.4/leaflet.js",
    "vendor/leaflet/1.9.4/leaflet.css",
    "vendor/macao/macao-outline.geojson",
)
NO_CACHE = "no-cache"  # always revalidated, so a new release reaches phones at their next start


@lru_cache(maxsize=1)
def shell_assets() -> tuple[tuple[str, ...], str]:
    """(URLs the service worker keeps for offline use, a version that changes with their content)."""
    digest = hashlib.sha256()
    urls: list[str] = []
    own = sorted(p for p in (STATIC_DIR / "field").rglob("*") if p.is_file())
    for path in own:
        name = path.relative_to(STATIC_DIR).as_posix()
        urls.append(static(name))
        digest.update(name.encode() + path.read_bytes())
    for name in VENDOR_FILES:
        urls.append(static(name))
        digest.update(name.encode() + (VENDOR_DIR / name).read_bytes())
    template = Path(__file__).resolve().parent / "templates" / "field" / "app.html"
    digest.update(template.read_bytes())
    digest.update(json.dumps(texts_for_all_languages(), sort_keys=True).encode())
    return tuple(urls), digest.hexdigest()[:16]


def shell_config() -> tuple[dict, str]:
    """(The settings the shell carries, the shell's version).

    The version covers these settings as well as the files: the service worker keeps the page
    (and the settings written into it) until its version changes, so a changed setting, a new
    photo size say, must change it to reach the phones already installed."""
    _urls, files_version = shell_assets()
    config = {
        "api": "/api/mobile/v1/",
        "service_worker": "/field/sw.js",
        "tile_url": settings.MAP_TILE_URL,
        "tile_attribution": settings.MAP_TILE_ATTRIBUTION,
        "outline_url": static("vendor/macao/macao-outline.geojson"),
        "photo_max_edge": settings.FIELD_PHOTO_MAX_EDGE,
        "photo_quality": settings.FIELD_PHOTO_QUALITY,
        "checkin_radius_m": settings.CHECKIN_RADIUS_METRES,
    }
    digest = hashlib.sha256(files_version.encode() + json.dumps(config, sort_keys=True).encode())
    version = digest.hexdigest()[:16]
    return {**config, "version": version}, version


@require_GET
def app_page(request: HttpRequest) -> HttpResponse:
    """The app shell: the scripts decide what to show from what the phone holds."""
    config, _version = shell_config()
    response = render(
        request, "field/app.html", {"field_config": config, "field_texts": texts_for_all_languages()}
    )
    response["Cache-Control"] = NO_CACHE
    return response


@require_GET
def service_worker(request: HttpRequest) -> HttpResponse:
    """The service worker, served from /field/ so its scope is the app; its precache list and
    version are written in, so a changed file reaches the phones."""
    urls, _files_version = shell_assets()
    _config, version = shell_config()
    source = (STATIC_DIR / "field" / "sw.js").read_text()
    shell = ["/field/", "/field/manifest.webmanifest", *urls]
    head = f"const VERSION = {json.dumps(version)};\nconst SHELL = {json.dumps(shell)};\n"
    response = HttpResponse(head + source, content_type="application/javascript; charset=utf-8")
    response["Service-Worker-Allowed"] = "/field/"
    response["Cache-Control"] = NO_CACHE
    return response


@require_GET
def manifest(request: HttpRequest) -> JsonResponse:
    """The web app manifest: installable to the home screen, opening at /field/."""
    body = {
        "name": _("Field inspections"),
        "short_name": _("Inspections"),
        "start_url": "/field/",
        "scope": "/field/",
        "display": "standalone",
        "orientation": "portrait",
        "background_color": "#ffffff",
        "theme_color": "#0b3d5c",
        "icons": [
            {"src": static("field/icons/icon-192.png"), "sizes": "192x192", "type": "image/png"},
            {"src": static("field/icons/icon-512.png"), "sizes": "512x512", "type": "image/png"},
            {
                "src": static("field/icons/icon-maskable-512.png"),
                "sizes": "512x512",
                "type": "image/png",
                "purpose": "maskable",
            },
        ],
    }
    response = JsonResponse(body, content_type="application/manifest+json")
    response["Cache-Control"] = NO_CACHE
    return response
