"""Test data, built through the services as a user would build it."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from backend.registry import services
from backend.registry.models import Agency, Company, Officer, Site, Unit

_seq = itertools.count(1)

# A point in Fátima, inside Macao's service area.
FATIMA = (22.2100, 113.5450)


def agency(code: str = "PSP", name_en: str | None = None) -> Agency:
    obj, _ = Agency.objects.get_or_create(
        code=code, defaults={"name_en": name_en or f"Agency {code}", "name_zh_hant": code, "name_pt": code}
    )
    return obj


def unit(agency_obj: Agency | None = None, code: str | None = None) -> Unit:
    agency_obj = agency_obj or agency()
    code = code or f"{agency_obj.code.lower()}-unit-{next(_seq)}"
    obj, _ = Unit.objects.get_or_create(
        code=code,
        defaults={
            "agency": agency_obj,
            "name_en": code,
            "parish": "fatima",
            "latitude": FATIMA[0],
            "longitude": FATIMA[1],
        },
    )
    return obj


def officer(
    agency_code: str = "PSP",
    *,
    roles: tuple[str, ...] = ("inspector",),
    sex: str = "M",
    username: str | None = None,
    password: str | None = "correct-horse-battery",
    **kwargs: Any,
) -> Officer:
    ag = agency(agency_code)
    n = next(_seq)
    return services.officer_create(
        actor=None,
        username=username or f"officer{n}",
        password=password,
        agency=ag,
        unit=kwargs.pop("unit", None) or unit(ag, code=f"{agency_code.lower()}-hq"),
        badge_number=kwargs.pop("badge_number", f"B{n:05d}"),
        full_name=kwargs.pop("full_name", f"Officer {n}"),
        sex=sex,
        roles=roles,
        **kwargs,
    )


def company(kind: str = "operator", **kwargs: Any) -> Company:
    return services.company_create(
        actor=None, kind=kind, name_en=kwargs.pop("name_en", f"Company {next(_seq)}"), **kwargs
    )


def site(kind: str = "venue", **kwargs: Any) -> Site:
    defaults: dict[str, Any] = {
        "name_en": f"Site {next(_seq)}",
        "address": "Rua de Teste 1",
        "parish": "fatima",
        "latitude": FATIMA[0],
        "longitude": FATIMA[1],
    }
    if kind == "venue":
        defaults["venue_type"] = "karaoke"
        defaults["opening_hours"] = [(d, dt.time(20, 0), dt.time(4, 0)) for d in range(7)]
    defaults.update(kwargs)
    return services.site_create(actor=None, kind=kind, **defaults)
