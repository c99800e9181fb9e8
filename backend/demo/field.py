"""The field part of the demo: work for the demo inspector to try the phone flow with.

Tonight: a revealed joint operation (venue checklist plus the per-person ILO screening) with three
venue visits for the demo inspector's team, from 21:00 local time, when the venues are open.
Tomorrow night: a second night of the operation, still sealed, so the same phone sees nothing of
it until its reveal time (two hours before it starts).
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from backend.checklists.selectors import template_version_latest
from backend.checklists.services import checklists_load_builtin
from backend.inspections import services
from backend.inspections.models import Operation
from backend.registry.models import Agency, Availability, Officer, Site
from scheduler.models import OperationSetup

OPERATION_NAME = "Demo joint operation"
LOCAL = ZoneInfo("Asia/Macau")
NIGHT_STARTS = dt.time(21, 0)  # the first visit; venues open from 18:00–22:00
VISIT = dt.timedelta(minutes=45)
MUSTER = dt.timedelta(minutes=30)  # the operation starts when its teams muster, before the first visit
SEALED_UNTIL = dt.timedelta(hours=2)  # an operation is revealed two hours before it starts
MORNING = dt.time(6, 0)  # before this, "tonight" is the night still running


def field_demo_is_loaded() -> bool:
    return Operation.objects.filter(name__startswith=OPERATION_NAME).exists()


def night_of(now: dt.datetime) -> dt.date:
    """The local date of the night in progress or to come: before 06:00, last night's."""
    local = timezone.localtime(now, LOCAL)
    return local.date() - dt.timedelta(days=1) if local.time() < MORNING else local.date()


def night_start(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, NIGHT_STARTS, tzinfo=LOCAL)


def _open_throughout(site: Site, start: dt.datetime, end: dt.datetime) -> bool:
    return site.is_open_at(start) and site.is_open_at(end - dt.timedelta(minutes=1))


def open_venues(
    *, parish: str, visits: list[tuple[dt.datetime, dt.datetime]], exclude: set[int]
) -> list[Site]:
    """One active venue per visit window, open for the whole window, the inspector's parish
    first; sites in ``exclude`` are not used."""
    candidates = list(
        Site.objects.filter(kind=Site.Kind.VENUE, is_active=True)
        .exclude(pk__in=exclude)
        .prefetch_related("opening_hours")
        .order_by("name_en", "pk")
    )
    candidates.sort(key=lambda s: s.parish != parish)  # stable: the parish first, then the rest
    chosen: list[Site] = []
    for start, end in visits:
        site = next(
            (s for s in candidates if s not in chosen and _open_throughout(s, start, end)),
            None,
        )
        if site is None:
            raise ValueError(f"No demo venue is open from {start:%H:%M} to {end:%H:%M}.")
        chosen.append(site)
    return chosen


def on_shift(officers: list[Officer], start: dt.datetime, end: dt.datetime) -> list[Officer]:
    """Those of ``officers`` with a shift covering ``start``–``end``, in the given order."""
    covered = set(
        Availability.objects.filter(
            Q(officer__in=officers), kind=Availability.Kind.SHIFT, start__lte=start, end__gte=end
        ).values_list("officer_id", flat=True)
    )
    return [o for o in officers if o.pk in covered]


def _night_shift(officer: Officer, start: dt.datetime, end: dt.datetime) -> None:
    """Put ``officer`` on a night shift covering ``start``–``end`` (20:00–04:00 where that holds
    it): what the roster had for those hours (an office shift, leave) gives way."""
    day = timezone.localtime(start).date()
    shift_start = min(start, dt.datetime.combine(day, dt.time(20), start.tzinfo))
    shift_end = max(end, dt.datetime.combine(day + dt.timedelta(days=1), dt.time(4), start.tzinfo))
    Availability.objects.filter(officer=officer, start__lt=shift_end, end__gt=shift_start).delete()
    Availability.objects.create(
        officer=officer, kind=Availability.Kind.SHIFT, start=shift_start, end=shift_end
    )


@transaction.atomic
def load_field_demo(*, now: dt.datetime | None = None, actor: Any = None) -> dict[str, int]:
    """Idempotent: does nothing when the demo operation exists."""
    checklists_load_builtin(actor=actor)
    if field_demo_is_loaded():
        return {}
    now = now or timezone.now()
    inspector = Officer.objects.get(user__username="demo-inspector")
    leader = Officer.objects.get(user__username="demo-team-leader")
    planner = Officer.objects.get(user__username="demo-planner")
    venue_v = template_version_latest(code="venue_prostitution_trafficking")
    screening_v = template_version_latest(code="ilo_forced_labour_screening")
    if venue_v is None or screening_v is None:
        raise ValueError("The built-in checklists are missing.")
    lead = inspector.agency
    agencies = list(Agency.objects.filter(code__in=["DSAL", "IAS"]))
    labour = list(
        Officer.objects.filter(agency__code="DSAL", is_active=True, roles__role="inspector")
        .select_related("user")
        .order_by("badge_number")
    )
    labour.sort(key=lambda o: o.user.username != "demo-dsal-inspector")

    tonight = night_of(now)
    start = night_start(tonight)
    windows = [(start + VISIT * i, start + VISIT * (i + 1)) for i in range(3)]
    venues = open_venues(parish=inspector.unit.parish, visits=windows, exclude=set())
    # The demo's labour-inspector login is on tonight's team, as the README's demo logins say: on
    # the night roster one week in three, on the other nights they are put on it.
    login = next((o for o in labour if o.user.username == "demo-dsal-inspector"), None)
    if login is not None and not on_shift([login], start - MUSTER, windows[-1][1]):
        _night_shift(login, start - MUSTER, windows[-1][1])
    partners = (on_shift(labour, windows[0][0], windows[-1][1]) or labour)[:1]
    first = _night(
        actor=actor,
        name=f"{OPERATION_NAME} – night 1",
        lead=lead,
        agencies=agencies,
        planner=planner,
        start=start,
        # Revealed: already now, and at the latest two hours before it starts.
        reveal_at=min(now - dt.timedelta(minutes=5), start - MUSTER - SEALED_UNTIL),
        team_name="Demo team A",
        members=[inspector, leader, *partners],
        leader=leader,
        visits=list(zip(venues, windows, strict=True)),
        versions=(venue_v, screening_v),
    )
    start2 = night_start(tonight + dt.timedelta(days=1))
    windows2 = [(start2 + VISIT * i, start2 + VISIT * (i + 1)) for i in range(2)]
    venues2 = open_venues(parish=inspector.unit.parish, visits=windows2, exclude={v.pk for v in venues})
    _night(
        actor=actor,
        # Not "(sealed)" in its name: it is revealed two hours before it starts.
        name=f"{OPERATION_NAME} – night 2",
        lead=lead,
        agencies=agencies,
        planner=planner,
        start=start2,
        reveal_at=start2 - MUSTER - SEALED_UNTIL,
        team_name="Demo team A (night 2)",
        members=[inspector, leader],
        leader=leader,
        visits=list(zip(venues2, windows2, strict=True)),
        versions=(venue_v, screening_v),
    )
    return {"operations": 2, "inspections": first.inspections.count() + len(venues2)}


def _night(
    *,
    actor: Any,
    name: str,
    lead: Agency,
    agencies: list[Agency],
    planner: Officer,
    start: dt.datetime,
    reveal_at: dt.datetime,
    team_name: str,
    members: list[Officer],
    leader: Officer,
    visits: list[tuple[Site, tuple[dt.datetime, dt.datetime]]],
    versions: tuple[Any, Any],
) -> Operation:
    """One published night of the demo operation: a team visiting venues one after another."""
    operation = services.operation_create(
        actor=actor,
        name=name,
        lead_agency=lead,
        agencies=agencies,
        planners=[planner],
        reveal_at=reveal_at,
        starts_at=start - MUSTER,
        ends_at=start + dt.timedelta(hours=7),
        status=Operation.Status.PUBLISHED,
    )
    # Where the team musters: the leader's station, as a planned operation's set-up names it (the
    # phone's visit says it, in the officer's language).
    OperationSetup.objects.create(operation=operation, muster_unit=leader.unit)
    team = services.team_create(
        actor=actor, name=team_name, members=members, leader=leader, operation=operation
    )
    for order, (venue, (begins, ends)) in enumerate(visits, start=1):
        services.inspection_issue(
            actor=actor,
            site=venue,
            category="prostitution_trafficking",
            template_version=versions[0],
            additional_versions=[versions[1]],
            planned_start=begins,
            planned_end=ends,
            team=team,
            operation=operation,
            route_order=order,
            priority=1,
        )
    return operation
