"""Reads of due work: planners see all of it (they plan across agencies); reviewers and team
leaders see their own agency's."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from backend.core.access import Principal, scope_rule, visible
from backend.planning.models import DueWork
from backend.registry.models import Role


@scope_rule(DueWork)
def _due_work(principal: Principal, qs: QuerySet[DueWork]) -> QuerySet[DueWork]:
    if principal.has_role(Role.PLANNER, Role.ADMINISTRATOR):
        return qs
    if principal.has_role(Role.REVIEWER, Role.TEAM_LEADER, Role.ANALYST):
        return qs.filter(agency_id=principal.agency_id)
    return qs.none()


def due_work_open(*, user: Any = None) -> QuerySet[DueWork]:
    """Open requests, soonest deadline first. Without a user: all of them (the scheduler's read)."""
    qs = DueWork.objects.filter(status=DueWork.Status.OPEN).select_related("site", "agency")
    return qs if user is None else visible(user, qs)
