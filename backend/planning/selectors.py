"""Reads of due work: planners, reviewers, team leaders and analysts see their own agency's
(a planner plans their agency's routine work; administrators see all)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from backend.core.access import Principal, get_visible_or_404, scope_rule, visible
from backend.planning.models import DueWork
from backend.registry.models import Role


@scope_rule(DueWork)
def _due_work(principal: Principal, qs: QuerySet[DueWork]) -> QuerySet[DueWork]:
    if principal.is_superuser or principal.has_role(Role.ADMINISTRATOR):
        return qs
    if principal.has_role(Role.PLANNER, Role.REVIEWER, Role.TEAM_LEADER, Role.ANALYST):
        return qs.filter(agency_id=principal.agency_id)
    return qs.none()


def due_work_open(*, user: Any = None) -> QuerySet[DueWork]:
    """Open requests, soonest deadline first. Without a user: all of them (the scheduler's read)."""
    qs = DueWork.objects.filter(status=DueWork.Status.OPEN).select_related("site", "agency")
    return qs if user is None else visible(user, qs)


def due_work_list(*, user: Any, status: str | None = None, site: Any = None) -> QuerySet[DueWork]:
    """The due work ``user`` may see, soonest deadline first; by status or site when given."""
    qs = visible(user, DueWork.objects.select_related("site", "agency", "inspection"))
    if status:
        qs = qs.filter(status=status)
    if site is not None:
        qs = qs.filter(site=site)
    return qs.order_by("latest", "priority", "pk")


def due_work_get(*, user: Any, uuid: Any) -> DueWork:
    return get_visible_or_404(user, due_work_list(user=user), uuid=uuid)
