"""Reads of planning data. A joint operation's set-up, targets, waves and plans are its
planners' alone (and administrators'); every read of a sealed operation's plan is audited.
Programmes are seen by their planners and by the planners of their agency."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from backend.audit.services import audit_record
from backend.core.access import Principal, get_visible_or_404, principal_for, scope_rule, visible
from backend.inspections.models import Operation
from backend.planning.models import DueWork
from backend.registry.models import Officer, Role
from scheduler.models import OperationSetup, PlanningJob, Programme, Target, Wave
from scheduler.problem import clock_of


def _admin(principal: Principal) -> bool:
    return principal.is_superuser or principal.has_role(Role.ADMINISTRATOR)


def _by_operation(prefix: str) -> Any:
    def rule(principal: Principal, qs: QuerySet[Any]) -> QuerySet[Any]:
        if _admin(principal):
            return qs
        if not (principal.is_officer and principal.has_role(Role.PLANNER)):
            return qs.none()
        ops = Operation.objects.filter(planners__id=principal.officer_id).values("pk")
        return qs.filter(**{f"{prefix}__in": ops})

    return rule


for _model in (OperationSetup, Wave, Target):
    scope_rule(_model)(_by_operation("operation"))


@scope_rule(Programme)
def _programmes(principal: Principal, qs: QuerySet[Programme]) -> QuerySet[Programme]:
    if _admin(principal):
        return qs
    if not (principal.is_officer and principal.has_role(Role.PLANNER)):
        return qs.none()
    return qs.filter(Q(planners__id=principal.officer_id) | Q(agency_id=principal.agency_id)).distinct()


@scope_rule(PlanningJob)
def _jobs(principal: Principal, qs: QuerySet[PlanningJob]) -> QuerySet[PlanningJob]:
    if _admin(principal):
        return qs
    if not (principal.is_officer and principal.has_role(Role.PLANNER)):
        return qs.none()
    ops = Operation.objects.filter(planners__id=principal.officer_id).values("pk")
    programmes = _programmes(principal, Programme.objects.all()).values("pk")
    return qs.filter(Q(operation__in=ops) | Q(programme__in=programmes))


def planned_operation_list(*, user: Any) -> QuerySet[Operation]:
    """Operations the user plans (administrators: all)."""
    principal = principal_for(user)
    qs = Operation.objects.select_related("lead_agency").order_by("-starts_at")
    if _admin(principal):
        return qs
    if not (principal.is_officer and principal.has_role(Role.PLANNER)):
        return qs.none()
    return qs.filter(pk__in=Operation.objects.filter(planners__id=principal.officer_id).values("pk"))


def planned_operation_get(*, user: Any, uuid: Any, request: Any = None) -> Operation:
    """One operation the user plans. Reading a sealed operation leaves an audit entry."""
    operation = get_visible_or_404(user, planned_operation_list(user=user), uuid=uuid)
    if operation.reveal_at > timezone.now() or operation.status == Operation.Status.DRAFT:
        audit_record(actor=user, action="read", verb="sealed_operation_read", obj=operation, request=request)
    return operation


def job_get(*, user: Any, uuid: Any) -> PlanningJob:
    return get_visible_or_404(user, PlanningJob.objects.select_related("operation", "programme"), uuid=uuid)


def programme_list(*, user: Any) -> QuerySet[Programme]:
    return visible(user, Programme.objects.select_related("agency"))


def programme_get(*, user: Any, uuid: Any) -> Programme:
    return get_visible_or_404(user, programme_list(user=user), uuid=uuid)


def latest_job(
    *, operation: Operation | None = None, programme: Programme | None = None
) -> PlanningJob | None:
    qs = PlanningJob.objects.filter(status__in=[PlanningJob.Status.SUCCEEDED, PlanningJob.Status.PUBLISHED])
    qs = qs.filter(operation=operation) if operation is not None else qs.filter(programme=programme)
    return qs.order_by("-created_at").first()


def plan_view(job: PlanningJob) -> dict[str, Any]:
    """The draft plan for people: teams with members, routes with local arrival times, and what
    could not be planned with the reason."""
    clock = clock_of(job)
    officers = {
        str(o.uuid): o
        for o in Officer.objects.filter(
            uuid__in={i for r in job.plan.get("routes", []) for i in r["officer_ids"]}
        ).select_related("agency")
    }
    names = _visit_names(job)
    routes = []
    for index, r in enumerate(job.plan.get("routes", [])):
        routes.append(
            {
                "index": index,
                "team": r.get("team_id") or f"route {index}",
                "leader": r.get("leader_id"),
                "members": [
                    {
                        "id": i,
                        "name": officers[i].full_name,
                        "agency": officers[i].agency.code,
                        "sex": officers[i].sex,
                    }
                    for i in r["officer_ids"]
                    if i in officers
                ],
                "depot": r["depot_id"],
                "departure": clock.at(r["departure"]),
                "back": clock.at(r["back"]),
                "stops": [
                    {
                        "visit": s["visit_id"],
                        "site": names.get(s["visit_id"], ""),
                        "arrival": clock.at(s["arrival"]),
                        "start": clock.at(s["start"]),
                        "end": clock.at(s["end"]),
                        "wave": s.get("wave_id"),
                    }
                    for s in r["stops"]
                ],
            }
        )
    return {
        "job": str(job.uuid),
        "status": job.status,
        "replan_of": str(job.replan_of.uuid) if job.replan_of_id else None,
        "moves": job.moves,
        "routes": routes,
        "unplanned": [{**u, "site": names.get(u["visit_id"], "")} for u in job.plan.get("unplanned", [])],
        "evaluation": job.evaluation,
    }


def _visit_names(job: PlanningJob) -> dict[str, str]:
    if job.operation_id:
        return {str(t.pk): t.site.name_en for t in job.operation.targets.select_related("site")}
    ids = [s["visit_id"] for r in job.plan.get("routes", []) for s in r["stops"]] + [
        u["visit_id"] for u in job.plan.get("unplanned", [])
    ]
    return {str(d.uuid): d.site.name_en for d in DueWork.objects.filter(uuid__in=ids).select_related("site")}
