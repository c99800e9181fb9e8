"""Typed readers of the environment.

Settings read every variable through these helpers so that a malformed value stops the
process at start-up with a message that names the variable, instead of surfacing later as a
strange runtime error. Each helper takes the mapping to read (``os.environ`` by default) so the
rules are testable without touching the real environment.
"""

from __future__ import annotations

import importlib
import os
import re
import zoneinfo
from collections.abc import Mapping
from dataclasses import dataclass

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


class ConfigurationError(ImproperlyConfigured):
    """A variable of the environment is missing or malformed; the message names it."""


def load_settings_or_exit(module: str | None = None) -> None:
    """Import the settings module, as every entry point does first (manage.py, the WSGI
    application, the Celery app, gunicorn's master): a malformed variable stops the process with
    one line naming it, not a traceback an operator must read to the bottom."""
    name = module or os.environ.get("DJANGO_SETTINGS_MODULE", "backend.settings")
    try:
        importlib.import_module(name)
    except ConfigurationError as error:
        raise SystemExit(f"Configuration error: {error}") from None


def _raw(name: str, environ: Mapping[str, str] | None) -> str | None:
    env = os.environ if environ is None else environ
    value = env.get(name)
    return None if value is None else value.strip()


def env_str(name: str, default: str | None = None, *, environ: Mapping[str, str] | None = None) -> str:
    value = _raw(name, environ)
    if value is None or value == "":
        if default is None:
            raise ConfigurationError(f"{name} must be set.")
        return default
    return value


def env_bool(name: str, default: bool, *, environ: Mapping[str, str] | None = None) -> bool:
    value = _raw(name, environ)
    if value is None:
        return default
    lowered = value.lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ConfigurationError(f"{name} must be a boolean (true/false, 1/0, yes/no), not {value!r}.")


def env_int(
    name: str,
    default: int,
    *,
    minimum: int | None = None,
    maximum: int | None = None,
    environ: Mapping[str, str] | None = None,
) -> int:
    value = _raw(name, environ)
    if value is None or value == "":
        return default
    try:
        number = int(value)
    except ValueError:
        raise ConfigurationError(f"{name} must be a whole number, not {value!r}.") from None
    if minimum is not None and number < minimum:
        raise ConfigurationError(f"{name} must be at least {minimum}, not {number}.")
    if maximum is not None and number > maximum:
        raise ConfigurationError(f"{name} must be at most {maximum}, not {number}.")
    return number


def env_list(name: str, default: list[str], *, environ: Mapping[str, str] | None = None) -> list[str]:
    value = _raw(name, environ)
    if value is None:
        return list(default)
    return [item.strip() for item in value.split(",") if item.strip()]


def env_choice(
    name: str, default: str, choices: list[str], *, environ: Mapping[str, str] | None = None
) -> str:
    value = _raw(name, environ)
    if value is None or value == "":
        return default
    if value not in choices:
        raise ConfigurationError(f"{name} must be one of {', '.join(choices)}, not {value!r}.")
    return value


def env_timezone(name: str, default: str, *, environ: Mapping[str, str] | None = None) -> str:
    value = env_str(name, default, environ=environ)
    try:
        zoneinfo.ZoneInfo(value)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise ConfigurationError(
            f"{name} must be an IANA time zone such as Asia/Macau, not {value!r}."
        ) from None
    return value


def env_url(
    name: str, default: str | None, schemes: tuple[str, ...], *, environ: Mapping[str, str] | None = None
) -> str | None:
    """A URL whose scheme is one of ``schemes``; unset gives ``default`` (which may be None)."""
    value = _raw(name, environ)
    if value is None or value == "":
        return default
    scheme, sep, rest = value.partition("://")
    if not sep or not rest or scheme.lower() not in schemes:
        allowed = ", ".join(s + "://" for s in schemes)
        raise ConfigurationError(
            f"{name} must be a URL starting with one of {allowed}, not {masked(value)!r}."
        )
    return value


def masked(url: str) -> str:
    """The URL with its password replaced by ``***``: an error message ends up in logs."""
    return re.sub(r"^([^:/]+://[^:/@]*):.*@", r"\1:***@", url)


@dataclass(frozen=True)
class BoundingBox:
    """The area that site coordinates must fall in (WGS84 decimal degrees)."""

    south: float
    west: float
    north: float
    east: float

    def contains(self, lat: float, lon: float) -> bool:
        return self.south <= lat <= self.north and self.west <= lon <= self.east


# Macao's extent (peninsula, Taipa, Cotai, Coloane) from ../shared/domain/macao_districts.json.
MACAO = BoundingBox(south=22.11, west=113.52, north=22.22, east=113.60)


def env_bbox(name: str, default: BoundingBox, *, environ: Mapping[str, str] | None = None) -> BoundingBox:
    """``south,west,north,east`` in decimal degrees."""
    value = _raw(name, environ)
    if value is None or value == "":
        return default
    parts = value.split(",")
    message = f"{name} must be 'south,west,north,east' in decimal degrees, not {value!r}."
    if len(parts) != 4:
        raise ConfigurationError(message)
    try:
        south, west, north, east = (float(p) for p in parts)
    except ValueError:
        raise ConfigurationError(message) from None
    if not (-90 <= south < north <= 90 and -180 <= west < east <= 180):
        raise ConfigurationError(message + " South must be below north and west left of east.")
    return BoundingBox(south=south, west=west, north=north, east=east)
