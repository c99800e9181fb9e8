"""Reads of the registry, with their access rules.

The registry itself is reference data every officer works with (sites, companies, agencies);
people data is narrower: an officer sees their own record, availability and declared
conflicts, and the officers of their own agency; planners and administrators see every officer,
because joint teams are drawn from several agencies.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterable
from typing import Any

from django.db.models import Prefetch, Q, QuerySet

from backend.core.access import Principal, get_visible_or_404, scope_rule, visible
from backend.registry.models import (
    Agency,
    Availability,
    Company,
    ConflictOfInterest,
    Officer,
    OfficerRole,
    OpeningHours,
    Role,
    Site,
    Skill,
    Unit,
)

PEOPLE_MANAGERS = (Role.PLANNER, Role.ADMINISTRATOR)

# Agencies by code, kept per process: ingest names the competent agency of every finding and the
# protection agency of every referral, and agencies are reference data an administrator edits a
# few times a year. A save or delete in this process empties the cache at once (signals, see
# RegistryConfig.ready); another process's edit is seen within AGENCY_CACHE_SECONDS.
AGENCY_CACHE_SECONDS = 60.0
_agencies: dict[str, Agency | None] = {}
_agencies_read_at = 0.0
_agencies_lock = threading.Lock()


def agencies_forget(**_kwargs: Any) -> None:
    """Empty the per-process cache of ``agencies_by_code`` (a signal receiver, and for tests)."""
    global _agencies_read_at
    with _agencies_lock:
        _agencies.clear()
        _agencies_read_at = 0.0


def agencies_by_code(codes: Iterable[str]) -> dict[str, Agency]:
    """The agencies of ``codes`` that exist, by code: no query once each code was read (an
    unknown code is remembered as unknown for as long)."""
    global _agencies_read_at
    wanted = {c for c in codes if c}
    now = time.monotonic()
    with _agencies_lock:
        if now - _agencies_read_at > AGENCY_CACHE_SECONDS:
            _agencies.clear()
            _agencies_read_at = now
        missing = wanted - _agencies.keys()
    if missing:
        found = {a.code: a for a in Agency.objects.filter(code__in=missing)}
        with _agencies_lock:
            for code in missing:
                _agencies[code] = found.get(code)
    with _agencies_lock:
        return {c: a for c in wanted if (a := _agencies.get(c)) is not None}


def _reference_data(principal: Principal, qs: QuerySet[Any]) -> QuerySet[Any]:
    return qs if (principal.is_officer or principal.is_superuser) else qs.none()


for _model in (Agency, Unit, Skill, Company, Site, OpeningHours):
    scope_rule(_model)(_reference_data)


@scope_rule(Officer)
def _officers(principal: Principal, qs: QuerySet[Officer]) -> QuerySet[Officer]:
    if principal.has_role(*PEOPLE_MANAGERS):
        return qs
    if principal.is_officer:
        return qs.filter(Q(pk=principal.officer_id) | Q(agency_id=principal.agency_id))
    return qs.none()


@scope_rule(OfficerRole)
def _officer_roles(principal: Principal, qs: QuerySet[OfficerRole]) -> QuerySet[OfficerRole]:
    return qs.filter(officer__in=_officers(principal, Officer.objects.all()))


def _own_or_managed(principal: Principal, qs: QuerySet[Any]) -> QuerySet[Any]:
    if principal.has_role(*PEOPLE_MANAGERS):
        return qs
    if principal.is_officer:
        mine = Q(officer_id=principal.officer_id)
        if principal.has_role(Role.TEAM_LEADER, Role.REVIEWER):
            mine |= Q(officer__agency_id=principal.agency_id)
        return qs.filter(mine)
    return qs.none()


scope_rule(Availability)(_own_or_managed)


@scope_rule(ConflictOfInterest)
def _conflicts(principal: Principal, qs: QuerySet[ConflictOfInterest]) -> QuerySet[ConflictOfInterest]:
    # Declarations are personal: the officer, planners (who must honour them) and administrators.
    if principal.has_role(*PEOPLE_MANAGERS):
        return qs
    if principal.is_officer:
        return qs.filter(officer_id=principal.officer_id)
    return qs.none()


def site_list(*, user: Any, filters: dict[str, Any] | None = None) -> QuerySet[Site]:
    qs = Site.objects.select_related("operator", "contractor").prefetch_related(
        Prefetch("opening_hours", queryset=OpeningHours.objects.order_by("weekday", "opens"))
    )
    return visible(user, qs).filter(**(filters or {}))


def site_get(*, user: Any, uuid: Any) -> Site:
    return get_visible_or_404(user, site_list(user=user), uuid=uuid)


def officer_list(*, user: Any) -> QuerySet[Officer]:
    qs = Officer.objects.select_related("agency", "unit", "user").prefetch_related("roles", "skills")
    return visible(user, qs)


def officer_get(*, user: Any, uuid: Any) -> Officer:
    return get_visible_or_404(user, officer_list(user=user), uuid=uuid)


def officer_for_user(*, user: Any) -> Officer:
    """The signed-in user's own officer record (404 for a login that is no officer)."""
    return get_visible_or_404(user, officer_list(user=user), user_id=getattr(user, "pk", None))


def availability_list(*, user: Any, officer: Officer | None = None) -> QuerySet[Availability]:
    qs = visible(user, Availability.objects.select_related("officer"))
    return qs.filter(officer=officer) if officer is not None else qs


def conflict_list(*, user: Any, officer: Officer | None = None) -> QuerySet[ConflictOfInterest]:
    qs = visible(user, ConflictOfInterest.objects.select_related("officer", "site", "company"))
    return qs.filter(officer=officer) if officer is not None else qs


def conflict_get(*, user: Any, officer: Officer, uuid: Any) -> ConflictOfInterest:
    """One of ``officer``'s own declarations: another officer's, as one that does not exist, is a
    404 (planners read everyone's, but withdraw none)."""
    return get_visible_or_404(user, conflict_list(user=user, officer=officer), uuid=uuid)


def _named(query: str) -> Q:
    return Q(name_en__icontains=query) | Q(name_zh_hant__icontains=query) | Q(name_pt__icontains=query)


def registry_search(*, user: Any, query: str, limit: int = 8) -> tuple[list[Site], list[Company]]:
    """Active sites and companies whose name in any of the three languages contains ``query``,
    at most ``limit`` of each, by English name: what an officer picks a declaration's tie from."""
    sites = visible(user, Site.objects.filter(is_active=True)).filter(_named(query))
    companies = visible(user, Company.objects.filter(is_active=True)).filter(_named(query))
    return list(sites.order_by("name_en", "pk")[:limit]), list(companies.order_by("name_en", "pk")[:limit])


def company_list(*, user: Any) -> QuerySet[Company]:
    return visible(user, Company.objects.all())
