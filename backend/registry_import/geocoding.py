"""Addresses into places, through geopy and the geocoder ``GEOCODER`` names.

``GEOCODER`` is ``<service>:<base URL>`` (e.g. ``nominatim:https://nominatim.example.org``): the
service is any name geopy's ``get_geocoder_for_service`` knows, the URL its host (and path). Empty
(the default): nothing is geocoded and addresses without coordinates are placed on the map.
Calls go through geopy's ``RateLimiter`` at ``GEOCODER_MIN_DELAY_SECONDS`` apart (Nominatim's
policy asks for one a second), answers are kept in the Django cache for
``GEOCODER_CACHE_SECONDS``, and an answer outside the service area or the named parish is not used.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import lru_cache
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.cache import cache
from geopy.exc import GeocoderServiceError, GeopyError
from geopy.extra.rate_limiter import RateLimiter
from geopy.geocoders import Nominatim, get_geocoder_for_service
from geopy.point import Point

from backend.registry_import.kinds import in_area, in_parish


@dataclass(frozen=True)
class Place:
    latitude: float | None
    longitude: float | None
    problem: str = ""  # a code of columns.PLACE_REASONS when no place


def _build(spec: str, user_agent: str, timeout: float) -> tuple[Any, dict[str, Any]]:
    service, _sep, url = spec.partition(":")
    cls = get_geocoder_for_service(service.strip().lower())
    kwargs: dict[str, Any] = {"user_agent": user_agent, "timeout": timeout}
    if url:
        parts = urlsplit(url)
        kwargs.update(domain=(parts.netloc + parts.path).rstrip("/"), scheme=parts.scheme or "https")
    if settings.GEOCODER_API_KEY:
        kwargs["api_key"] = settings.GEOCODER_API_KEY
    geocoder = cls(**kwargs)
    options: dict[str, Any] = {"exactly_one": True}
    if isinstance(geocoder, Nominatim):
        area = settings.SERVICE_AREA
        options.update(viewbox=[Point(area.south, area.west), Point(area.north, area.east)], bounded=True)
    return geocoder, options


@lru_cache(maxsize=4)
def _limited(spec: str, user_agent: str, timeout: float, delay: float) -> tuple[RateLimiter, dict[str, Any]]:
    geocoder, options = _build(spec, user_agent, timeout)
    # One limiter per process, so the delay holds across rows and imports alike.
    return RateLimiter(
        geocoder.geocode, min_delay_seconds=delay, max_retries=1, error_wait_seconds=delay
    ), options


def configured() -> bool:
    return bool(settings.GEOCODER)


def geocode(address: str, parish: str) -> Place:
    spec = settings.GEOCODER
    if not spec:
        return Place(None, None, "no_geocoder")
    key = "geocode:v1:" + hashlib.sha256(f"{spec}\n{address}".encode()).hexdigest()
    hit = cache.get(key)
    if hit is None:
        limited, options = _limited(
            spec,
            settings.GEOCODER_USER_AGENT,
            float(settings.GEOCODER_TIMEOUT_SECONDS),
            float(settings.GEOCODER_MIN_DELAY_SECONDS),
        )
        try:
            location = limited(address, **options)
        except (GeocoderServiceError, GeopyError, OSError):
            return Place(None, None, "unavailable")  # not cached: a later try may find it
        hit = [location.latitude, location.longitude] if location is not None else []
        cache.set(key, hit, settings.GEOCODER_CACHE_SECONDS)
    if not hit:
        return Place(None, None, "not_found")
    lat, lon = float(hit[0]), float(hit[1])
    if not in_area(lat, lon):
        return Place(None, None, "outside_area")
    if parish and not in_parish(parish, lat, lon):
        return Place(None, None, "outside_parish")
    return Place(round(lat, 6), round(lon, 6))
