"""The field part of the demo: work for the demo inspector to try the phone flow with.

Today: a revealed joint operation (venue checklist plus the per-person ILO screening) with three
venue visits for the demo inspector's team. Tomorrow: a second night of the operation, still
sealed, so the same phone sees nothing of it until its reveal time.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from backend.checklists.selectors import template_version_latest
from backend.checklists.services import checklists_load_builtin
from backend.inspections import services
from backend.inspections.models import Operation
from backend.registry.models import Agency, Officer, Site

OPERATION_NAME = "Demo joint operation"


def field_demo_is_loaded() -> bool:
    return Operation.objects.filter(name__startswith=OPERATION_NAME).exists()


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
    partners = list(
        Officer.objects.filter(agency__code="DSAL", is_active=True, roles__role="inspector").order_by(
            "badge_number"
        )[:1]
    )
    venue_v = template_version_latest(code="venue_prostitution_trafficking")
    screening_v = template_version_latest(code="ilo_forced_labour_screening")
    assert venue_v is not None and screening_v is not None
    venues = list(
        Site.objects.filter(kind=Site.Kind.VENUE, is_active=True, parish=inspector.unit.parish).order_by(
            "name_en"
        )[:5]
    ) or list(Site.objects.filter(kind=Site.Kind.VENUE).order_by("name_en")[:5])
    lead = inspector.agency
    agencies = list(Agency.objects.filter(code__in=["DSAL", "IAS"]))

    tonight = _night(
        actor=actor,
        name=f"{OPERATION_NAME} – night 1",
        lead=lead,
        agencies=agencies,
        planner=planner,
        start=now,
        reveal_at=now - dt.timedelta(minutes=5),
        team_name="Demo team A",
        members=[inspector, leader, *partners],
        leader=leader,
        venues=venues[:3],
        versions=(venue_v, screening_v),
    )
    tomorrow = now + dt.timedelta(days=1)
    _night(
        actor=actor,
        name=f"{OPERATION_NAME} – night 2 (sealed)",
        lead=lead,
        agencies=agencies,
        planner=planner,
        start=tomorrow,
        reveal_at=tomorrow - dt.timedelta(hours=2),
        team_name="Demo team A (night 2)",
        members=[inspector, leader],
        leader=leader,
        venues=venues[3:5],
        versions=(venue_v, screening_v),
    )
    assert tonight.inspections.exists()
    return {"operations": 2, "inspections": min(len(venues), 5)}


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
    venues: list[Site],
    versions: tuple[Any, Any],
) -> Operation:
    """One published night of the demo operation: a team visiting venues 45 minutes apart."""
    operation = services.operation_create(
        actor=actor,
        name=name,
        lead_agency=lead,
        agencies=agencies,
        planners=[planner],
        reveal_at=reveal_at,
        starts_at=start,
        ends_at=start + dt.timedelta(hours=8),
        status=Operation.Status.PUBLISHED,
    )
    team = services.team_create(
        actor=actor, name=team_name, members=members, leader=leader, operation=operation
    )
    for order, venue in enumerate(venues, start=1):
        visit = start + dt.timedelta(minutes=45 * (order - 1))
        services.inspection_issue(
            actor=actor,
            site=venue,
            category="prostitution_trafficking",
            template_version=versions[0],
            additional_versions=[versions[1]],
            planned_start=visit,
            planned_end=visit + dt.timedelta(minutes=45),
            team=team,
            operation=operation,
            route_order=order,
            priority=1,
        )
    return operation
