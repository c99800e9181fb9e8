"""Every write of the scheduler: operation set-ups, targets, programmes, planning runs, edits
of a draft plan, and publishing (which creates teams and inspections through the inspections
service, never by writing their rows here)."""

from __future__ import annotations

import datetime as dt
import logging
import math
import threading
import time
from collections.abc import Iterable
from decimal import Decimal
from typing import Any
from uuid import UUID

from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_noop

from backend.audit.services import audit_record
from backend.checklists.selectors import template_version_latest
from backend.core.errors import Conflict, InvalidInput, NotFound
from backend.inspections import services as inspections
from backend.inspections.models import Inspection, Operation, Team
from backend.outbox.services import task_enqueue
from backend.planning.models import DueWork
from backend.registry.models import Agency, Officer, Site, Unit
from scheduler import problem as problems
from scheduler import solver
from scheduler.models import OperationSetup, PlanningJob, Programme, Target, Wave

logger = logging.getLogger(__name__)

# The checklists an inspection of each category is issued with (built-in template codes).
CHECKLISTS = {
    "prostitution_trafficking": ("venue_prostitution_trafficking", "ilo_forced_labour_screening"),
    "illegal_employment": ("construction_illegal_employment", "ilo_forced_labour_screening"),
    "construction_large_scale": ("construction_large_scale",),
    "construction_preventive": ("construction_preventive",),
    "construction_questionnaire": ("construction_questionnaire",),
    "employment_agency": ("employment_agency",),
}


class PlanNotReady(Conflict):
    code = "plan_not_ready"


class OperationNotEditable(Conflict):
    code = "operation_not_editable"


# --- Joint operations -----------------------------------------------------------------------------


@transaction.atomic
def operation_plan_create(
    *,
    actor: Any,
    planner: Officer,
    name: str,
    lead_agency: Agency,
    agencies: Iterable[Agency],
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    reveal_at: dt.datetime,
    muster_unit: Unit,
    waves: Iterable[tuple[str, dt.datetime]] = (),
    **setup: Any,
) -> Operation:
    """A draft joint operation with its team rule and waves; ``planner`` plans it."""
    waves = list(waves)
    for code, moment in waves:
        if not starts_at <= moment < ends_at:
            raise InvalidInput(errors={"waves": [f"Wave {code} must start within the operation."]})
    operation = inspections.operation_create(
        actor=actor,
        name=name,
        lead_agency=lead_agency,
        agencies=agencies,
        planners=[planner],
        starts_at=starts_at,
        ends_at=ends_at,
        reveal_at=reveal_at,
    )
    config = OperationSetup(operation=operation, muster_unit=muster_unit, **setup)
    if config.team_max_size < config.team_min_size:
        raise InvalidInput(errors={"team_max_size": ["Must be at least the minimum team size."]})
    config.save()
    Wave.objects.bulk_create(
        [Wave(operation=operation, code=code, starts_at=moment) for code, moment in waves]
    )
    return operation


def _editable(operation: Operation) -> None:
    if operation.status != Operation.Status.DRAFT:
        raise OperationNotEditable(
            "The operation is published; its targets and teams can no longer change here."
        )


def site_selection(
    *,
    kinds: Iterable[str] = (),
    venue_types: Iterable[str] = (),
    parishes: Iterable[str] = (),
    min_risk: Decimal | None = None,
    limit: int = 100,
) -> QuerySet[Site]:
    """Active sites matching a selection, riskiest first."""
    qs = Site.objects.filter(is_active=True)
    if kinds:
        qs = qs.filter(kind__in=list(kinds))
    if venue_types:
        qs = qs.filter(venue_type__in=list(venue_types))
    if parishes:
        qs = qs.filter(parish__in=list(parishes))
    if min_risk is not None:
        qs = qs.filter(risk_score__gte=min_risk)
    return qs.order_by("-risk_score", "name_en", "pk")[:limit]


@transaction.atomic
def operation_targets_set(
    *,
    actor: Any,
    operation: Operation,
    sites: Iterable[Site],
    wave: str | None = None,
    priority: int = 3,
    languages: Iterable[str] = (),
    category: str = "prostitution_trafficking",
) -> list[Target]:
    """Add ``sites`` as targets (in ``wave`` when given); a site already targeted is updated."""
    _editable(operation)
    wave_obj = None
    if wave is not None:
        wave_obj = Wave.objects.filter(operation=operation, code=wave).first()
        if wave_obj is None:
            raise InvalidInput(errors={"wave": [f"The operation has no wave {wave!r}."]})
    out = []
    for site in sites:
        target, _created = Target.objects.update_or_create(
            operation=operation,
            site=site,
            defaults={
                "wave": wave_obj,
                "priority": priority,
                "languages": sorted(set(languages)),
                "category": category,
            },
        )
        out.append(target)
    audit_record(
        actor=actor, action="update", verb="operation_targets_set", obj=operation, changes={"added": len(out)}
    )
    return out


@transaction.atomic
def operation_target_remove(*, actor: Any, operation: Operation, site: Site) -> None:
    _editable(operation)
    Target.objects.filter(operation=operation, site=site).delete()
    audit_record(actor=actor, action="update", verb="operation_target_remove", obj=operation)


# --- Routine programmes ---------------------------------------------------------------------------


@transaction.atomic
def programme_create(
    *,
    actor: Any,
    planner: Officer,
    name: str,
    agency: Agency,
    start_date: dt.date,
    end_date: dt.date,
    officers: Iterable[Officer] = (),
    work_in_pairs: bool = True,
) -> Programme:
    if end_date < start_date:
        raise InvalidInput(errors={"end_date": ["The last day comes before the first."]})
    if (end_date - start_date).days > 62:
        raise InvalidInput(errors={"end_date": ["A programme covers at most nine weeks."]})
    programme = Programme.objects.create(
        name=name, agency=agency, start_date=start_date, end_date=end_date, work_in_pairs=work_in_pairs
    )
    programme.officers.set(list(officers))
    programme.planners.set([planner])
    audit_record(actor=actor, action="create", verb="programme_create", obj=programme)
    return programme


# --- Planning runs --------------------------------------------------------------------------------


@transaction.atomic
def planning_start(
    *,
    actor: Any,
    operation: Operation | None = None,
    programme: Programme | None = None,
    time_limit_seconds: int | None = None,
    seed: int = 1,
) -> PlanningJob:
    """Queue a planning run. The work is recorded in the outbox with the job, so it runs even if
    the broker is down when asked."""
    limit = time_limit_seconds or settings.SCHEDULER_TIME_LIMIT_SECONDS
    if not 1 <= limit <= settings.SCHEDULER_MAX_TIME_LIMIT_SECONDS:
        raise InvalidInput(
            errors={
                "time_limit_seconds": [f"Between 1 and {settings.SCHEDULER_MAX_TIME_LIMIT_SECONDS} seconds."]
            }
        )
    if operation is not None:
        _editable(operation)
        if not operation.targets.exists():
            raise InvalidInput(errors={"targets": ["Choose the operation's targets first."]})
    elif programme is not None and programme.status != Programme.Status.DRAFT:
        raise Conflict("The programme is published.")
    planning_expire_stale(operation=operation, programme=programme)
    busy = PlanningJob.objects.filter(
        operation=operation,
        programme=programme,
        status__in=[PlanningJob.Status.QUEUED, PlanningJob.Status.RUNNING],
    )
    if busy.exists():
        raise Conflict("A planning run is already under way; cancel it or wait for it.")
    job = PlanningJob.objects.create(
        operation=operation,
        programme=programme,
        seed=seed,
        time_limit_seconds=limit,
        requested_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    audit_record(actor=actor, action="create", verb="planning_start", obj=job)
    task_enqueue(task_name="scheduler.run_job", kwargs={"job_id": str(job.uuid)})
    return job


def planning_cancel(*, actor: Any, job: PlanningJob) -> PlanningJob:
    """Ask a run to stop; it stops within about a second and keeps the best plan found. A queued
    run, or one whose worker died, ends at once."""
    job = planning_expire_stale(job=job)
    if job.is_finished:
        raise Conflict("The planning run has already finished.")
    PlanningJob.objects.filter(pk=job.pk).update(cancel_requested=True)
    job.refresh_from_db()
    if job.status == PlanningJob.Status.QUEUED:
        PlanningJob.objects.filter(pk=job.pk, status=PlanningJob.Status.QUEUED).update(
            status=PlanningJob.Status.CANCELLED, finished_at=timezone.now()
        )
        job.refresh_from_db()
    audit_record(actor=actor, action="update", verb="planning_cancel", obj=job)
    return job


# Plain reasons a run ends without a plan (translated where shown, see JobOutput).
REASON_WORKER_LOST = gettext_noop(
    "The planning worker stopped before this run ended (it was restarted or killed); start the run again."
)
REASON_NOTHING_TO_PLAN = gettext_noop("The operation has no targets to plan.")


def _is_stale(job: PlanningJob, now: dt.datetime) -> bool:
    """A running job whose worker is gone: no heartbeat for the timeout, or still running past
    its time limit plus the grace (a busy worker's heartbeat may lag; the clock does not)."""
    silent = dt.timedelta(seconds=settings.SCHEDULER_HEARTBEAT_TIMEOUT_SECONDS)
    overdue = dt.timedelta(seconds=job.time_limit_seconds + settings.SCHEDULER_RUN_GRACE_SECONDS)
    last_sign = job.heartbeat_at or job.started_at or job.created_at
    began = job.started_at or job.created_at
    return job.status == PlanningJob.Status.RUNNING and (now - last_sign > silent or now - began > overdue)


def planning_expire_stale(*, job: PlanningJob | None = None, **subject: Any) -> PlanningJob | None:
    """Fail running jobs whose worker died, with the reason: ``job`` itself, or those of an
    operation or programme (``subject``). Returns ``job`` fresh from the database."""
    now = timezone.now()
    qs = PlanningJob.objects.filter(status=PlanningJob.Status.RUNNING)
    qs = qs.filter(pk=job.pk) if job is not None else qs.filter(**subject)
    for running in qs:
        if not _is_stale(running, now):
            continue
        expired = PlanningJob.objects.filter(pk=running.pk, status=PlanningJob.Status.RUNNING).update(
            status=PlanningJob.Status.FAILED, error=REASON_WORKER_LOST, finished_at=now
        )
        if expired:
            logger.warning("planning job %s: worker lost, failed", running.uuid)
            audit_record(actor=None, action="update", verb="planning_worker_lost", obj=running)
    if job is not None:
        job.refresh_from_db()
    return job


class _Progress:
    """The solver's progress and cancel flag, kept in step with the job row.

    The solver calls it from its own thread and from CP-SAT's threads, far more often than the
    database needs. On the run's thread it writes and reads directly (at most twice and once a
    second); a beat thread with its own connection writes the latest progress and a heartbeat
    every second and reads the cancel flag, so the row moves while CP-SAT holds the run's
    thread. Every write is one short autocommit statement: the run holds no transaction while
    it solves, so nothing ever waits on it. A failed write is logged and skipped: progress is a
    courtesy, never a reason to lose the plan."""

    def __init__(self, job_id: int) -> None:
        self.job_id = job_id
        self.owner = threading.get_ident()
        self.last_write = 0.0
        self.last_read = 0.0
        self.cancelled = False
        self.latest: tuple[float, float | None] | None = None
        self._written: tuple[float, float | None] | None = None
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def __call__(self, fraction: float, best: float | None) -> None:
        fraction = round(min(max(fraction, 0.0), 1.0), 3)
        best = best if best is not None and math.isfinite(best) else None
        self.latest = (fraction, best)
        now = time.monotonic()
        if threading.get_ident() == self.owner and (now - self.last_write >= 0.5 or fraction >= 1.0):
            self.last_write = now
            self._write()

    def _write(self, heartbeat: bool = False) -> None:
        fields: dict[str, Any] = {"heartbeat_at": timezone.now()} if heartbeat else {}
        latest = self.latest
        if latest is not None and latest != self._written:
            fields.update(progress=latest[0], best_objective=latest[1])
        if not fields:
            return
        try:
            PlanningJob.objects.filter(pk=self.job_id, status=PlanningJob.Status.RUNNING).update(**fields)
            self._written = latest
        except DatabaseError as exc:
            logger.warning("planning job %s: progress not written: %s", self.job_id, exc)

    def should_stop(self) -> bool:
        now = time.monotonic()
        if threading.get_ident() == self.owner and not self.cancelled and now - self.last_read >= 1.0:
            self.last_read = now
            self._read_cancel()
        return self.cancelled

    def _read_cancel(self) -> None:
        try:
            if PlanningJob.objects.filter(pk=self.job_id, cancel_requested=True).exists():
                self.cancelled = True
        except DatabaseError as exc:
            logger.warning("planning job %s: cancel flag not read: %s", self.job_id, exc)

    def _beat(self) -> None:
        try:
            while not self._stop.wait(1.0):
                self._write(heartbeat=True)
                self._read_cancel()
        finally:
            connection.close()  # this thread's own connection

    def __enter__(self) -> _Progress:
        self._write(heartbeat=True)
        self._thread = threading.Thread(target=self._beat, name=f"planning-{self.job_id}", daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=30)


def _build(job: PlanningJob) -> tuple[solver.Problem, problems.Clock]:
    if job.operation_id:
        return problems.operation_problem(job.operation)
    problem, clock, _due = problems.programme_problem(job.programme)
    return problem, clock


def _finish(job: PlanningJob, **fields: Any) -> None:
    """The run's one write of its outcome: a short transaction, and only over a job still
    running (a job failed meanwhile as stale, or cancelled while queued, keeps that end)."""
    with transaction.atomic():
        PlanningJob.objects.filter(pk=job.pk, status=PlanningJob.Status.RUNNING).update(
            finished_at=timezone.now(), **fields
        )


def planning_run(*, job_id: Any) -> PlanningJob | None:
    """Run one queued job (the Celery task calls this). Safe to run twice: only a queued job runs.

    The run reads its problem, solves outside any transaction (progress goes to the row on short
    transactions of its own, see ``_Progress``), and writes the result in one short
    transaction, so a SQLite database stays writable by everyone else throughout. It always
    ends: succeeded (possibly with every visit unplanned, each with its reason), failed with
    the reason, or cancelled."""
    claimed = PlanningJob.objects.filter(uuid=job_id, status=PlanningJob.Status.QUEUED).update(
        status=PlanningJob.Status.RUNNING, started_at=timezone.now(), heartbeat_at=timezone.now()
    )
    job = PlanningJob.objects.select_related("operation", "programme").filter(uuid=job_id).first()
    if not claimed or job is None:
        return job
    try:
        with _Progress(job.pk) as progress:
            problem, _clock = _build(job)
            options = solver.SolveOptions(time_limit=float(job.time_limit_seconds), seed=job.seed)
            plan_fn = solver.plan_joint if job.operation_id else solver.plan_routine
            plan = plan_fn(problem, options=options, progress=progress, should_stop=progress.should_stop)
            evaluation = solver.evaluate(problem, plan)
            plan = problems.plan_explained(problem, plan)
        status = PlanningJob.Status.CANCELLED if progress.cancelled else PlanningJob.Status.SUCCEEDED
        _finish(
            job,
            status=status,
            plan=problems.plan_to_json(plan),
            evaluation=problems.evaluation_to_json(evaluation),
            progress=1.0,
            best_objective=problems.finite(evaluation.objective.scalar),
            error="",
        )
    except Exception as exc:
        logger.exception("planning job %s failed", job.uuid)
        _finish(
            job,
            status=PlanningJob.Status.FAILED,
            error=f"The planner stopped on an error: {type(exc).__name__}: {exc}"[:2000],
        )
    job.refresh_from_db()
    return job


# --- Editing a draft plan -------------------------------------------------------------------------


@transaction.atomic
def plan_move(
    *, actor: Any, job: PlanningJob, visit_id: str, to_route: int | None, position: int | None = None
) -> PlanningJob:
    """Move a visit to another route (at ``position``), or out of the plan (``to_route`` None),
    pin it there, and re-evaluate the whole plan with the independent checker. A move that
    breaks a rule is kept and reported, so the planner sees exactly what it costs."""
    job = PlanningJob.objects.select_for_update().get(pk=job.pk)
    if job.status != PlanningJob.Status.SUCCEEDED:
        raise PlanNotReady("Only a finished, unpublished plan can be edited.")
    problem, _clock = _build(job)
    plan = problems.plan_from_json(job.plan)
    visit = problem.visit_by_id.get(visit_id)
    if visit is None:
        raise NotFound(f"The plan has no visit {visit_id!r}.")
    if to_route is not None and not 0 <= to_route < len(plan.routes):
        raise InvalidInput(errors={"to_route": [f"Between 0 and {len(plan.routes) - 1}."]})
    routes = [list(r.stops) for r in plan.routes]
    for stops in routes:
        stops[:] = [s for s in stops if s.visit_id != visit_id]
    unplanned = [u for u in plan.unplanned if u.visit_id != visit_id]
    new_routes = []
    for index, (route, stops) in enumerate(zip(plan.routes, routes, strict=True)):
        visits = [problem.visit_by_id[s.visit_id] for s in stops]
        if index == to_route:
            visits.insert(len(visits) if position is None else max(0, min(position, len(visits))), visit)
        members = [problem.officer_by_id[o] for o in route.officer_ids if o in problem.officer_by_id]
        waves = {s.visit_id: s.wave_id for s in route.stops if s.wave_id} | (
            {visit_id: next(iter(visit.waves))} if index == to_route and visit.waves else {}
        )
        timed = solver_time_route(problem, members, route, visits, waves)
        new_routes.append(timed)
    if to_route is None:
        unplanned.append(solver.Unplanned(visit_id, "removed_by_planner"))
    new_plan = solver.Plan(routes=tuple(new_routes), unplanned=tuple(unplanned), stats=plan.stats)
    evaluation = solver.evaluate(problem, new_plan)
    job.plan = problems.plan_to_json(new_plan)
    job.evaluation = problems.evaluation_to_json(evaluation)
    job.pins = {**job.pins, visit_id: to_route}
    job.save(update_fields=["plan", "evaluation", "pins"])
    audit_record(
        actor=actor,
        action="update",
        verb="plan_move",
        obj=job,
        changes={"visit": visit_id, "to_route": to_route},
    )
    return job


def solver_time_route(
    problem: solver.Problem,
    members: list[solver.Officer],
    route: solver.Route,
    visits: list[solver.Visit],
    waves: dict,
) -> solver.Route:
    """Re-time a route after an edit; when it no longer fits, keep the stops in order at their
    earliest times anyway so the checker can say what breaks."""
    from scheduler.solver.schedule import time_route

    timed = time_route(
        problem,
        members,
        route.depot_id,
        visits,
        route.departure,
        wave_of=waves,
        team_id=route.team_id,
        leader_id=route.leader_id,
        tighten=False,
    )
    if timed is not None:
        return timed
    kept = {s.visit_id: s for s in route.stops}
    stops = []
    clock = route.departure
    for v in visits:
        stop = kept.get(v.id) or solver.Stop(v.id, clock, clock, clock + v.duration, waves.get(v.id))
        stops.append(stop)
        clock = stop.end
    return solver.Route(
        officer_ids=route.officer_ids,
        depot_id=route.depot_id,
        departure=route.departure,
        back=max(route.back, clock),
        stops=tuple(stops),
        team_id=route.team_id,
        leader_id=route.leader_id,
    )


# --- Publishing -----------------------------------------------------------------------------------


def _versions(category: str) -> tuple[Any, list[Any]]:
    codes = CHECKLISTS.get(category)
    if not codes:
        raise InvalidInput(errors={"category": [f"No checklist is configured for {category!r}."]})
    versions = [template_version_latest(code=c) for c in codes]
    if any(v is None for v in versions):
        raise Conflict("The checklists are not loaded; run `manage.py load_checklists`.")
    return versions[0], versions[1:]


def route_ref(route: solver.Route) -> str:
    """A route's identity across re-plans: its joint team, else its officers and day."""
    return route.team_id or f"{'+'.join(route.officer_ids)}@{route.day}"


@transaction.atomic
def plan_publish(*, actor: Any, job: PlanningJob) -> PlanningJob:
    """Turn the draft plan into teams and inspections (through the inspections service) and
    publish the operation or programme. Nothing reaches a phone before the reveal time.

    A re-plan (``job.replan_of``) changes the published teams and inspections in place instead:
    new members, moved or cancelled visits; work already started is never touched."""
    job = (
        PlanningJob.objects.select_for_update(of=("self",))
        .select_related("operation", "programme")
        .get(pk=job.pk)
    )
    if job.status != PlanningJob.Status.SUCCEEDED:
        raise PlanNotReady("Only a finished plan can be published.")
    if job.evaluation and not job.evaluation.get("feasible", False):
        raise Conflict(
            "The plan breaks rules; fix it before publishing.",
            extra={"violations": job.evaluation.get("violations", [])[:50]},
        )
    problem, clock = _build(job)
    plan = problems.plan_from_json(job.plan)
    officers = {
        str(o.uuid): o
        for o in Officer.objects.filter(uuid__in={i for r in plan.routes for i in r.officer_ids})
    }
    subject = job.operation or job.programme
    if job.operation_id and job.replan_of_id is None:
        _editable(job.operation)
    refs: dict[str, dict[str, str]] = {
        "teams": dict(job.published_refs.get("teams", {})),
        "inspections": dict(job.published_refs.get("inspections", {})),
    }
    teams = {str(t.uuid): t for t in Team.objects.filter(uuid__in=refs["teams"].values())}
    issued = {str(i.uuid): i for i in Inspection.objects.filter(uuid__in=refs["inspections"].values())}
    work = _work_items(job, problem)
    touched = 0
    planned_visits: set[str] = set()
    for index, route in enumerate(plan.routes, start=1):
        if not route.stops:
            continue
        members = [officers[i] for i in route.officer_ids]
        leader = officers.get(route.leader_id or "")
        team = teams.get(refs["teams"].get(route_ref(route), ""))
        if team is None:
            team = inspections.team_create(
                actor=actor,
                name=_team_name(subject, route, index),
                members=members,
                leader=leader,
                operation=job.operation,
            )
            refs["teams"][route_ref(route)] = str(team.uuid)
        elif {o.pk for o in team.members.all()} != {o.pk for o in members}:
            inspections.team_set_members(actor=actor, team=team, members=members, leader=leader)
        for order, stop in enumerate(route.stops, start=1):
            planned_visits.add(stop.visit_id)
            start, end = clock.at(stop.start), clock.at(stop.end)
            existing = issued.get(refs["inspections"].get(stop.visit_id, ""))
            if existing is None:
                inspection = _issue(actor, job, work[stop.visit_id], team, start, end, order)
                refs["inspections"][stop.visit_id] = str(inspection.uuid)
                touched += 1
            elif existing.status in (Inspection.Status.PLANNED, Inspection.Status.ASSIGNED) and (
                existing.team_id != team.pk or existing.planned_start != start
            ):
                inspections.inspection_reschedule(
                    actor=actor,
                    inspection=existing,
                    team=team,
                    planned_start=start,
                    planned_end=end,
                    route_order=order,
                )
                touched += 1
    for visit_id, inspection_uuid in refs["inspections"].items():
        existing = issued.get(inspection_uuid)
        if (
            visit_id not in planned_visits
            and existing is not None
            and existing.status
            in (
                Inspection.Status.PLANNED,
                Inspection.Status.ASSIGNED,
            )
        ):
            inspections.inspection_cancel(actor=actor, inspection=existing, reason="left out by a re-plan")
            touched += 1
    if job.replan_of_id is None:
        if job.operation_id:
            inspections.operation_publish(actor=actor, operation=job.operation)
        else:
            job.programme.status = Programme.Status.PUBLISHED
            job.programme.save(update_fields=["status"])
    job.status = PlanningJob.Status.PUBLISHED
    job.published_refs = refs
    job.save(update_fields=["status", "published_refs"])
    audit_record(actor=actor, action="update", verb="plan_publish", obj=job, changes={"inspections": touched})
    return job


def _team_name(subject: Any, route: solver.Route, index: int) -> str:
    if isinstance(subject, Operation):
        return f"{subject.name} – team {index}"
    return f"{subject.name} – day {route.day + 1} crew {index}"


def _work_items(job: PlanningJob, problem: solver.Problem) -> dict[str, Any]:
    """The database object behind each visit id: targets of an operation, or due work."""
    if job.operation_id:
        return {str(t.pk): t for t in job.operation.targets.select_related("site")}
    return {
        str(d.uuid): d
        for d in DueWork.objects.filter(uuid__in=[v.id for v in problem.visits]).select_related("site")
    }


def _issue(
    actor: Any, job: PlanningJob, item: Any, team: Any, start: dt.datetime, end: dt.datetime, order: int
) -> Any:
    main, extra = _versions(item.category)
    inspection = inspections.inspection_issue(
        actor=actor,
        site=item.site,
        category=item.category,
        template_version=main,
        additional_versions=extra,
        planned_start=start,
        planned_end=end,
        team=team,
        operation=job.operation,
        route_order=order,
        priority=item.priority,
    )
    if isinstance(item, DueWork):
        item.status, item.inspection = DueWork.Status.PLANNED, inspection
        item.save(update_fields=["status", "inspection"])
    return inspection


DONE = {
    Inspection.Status.IN_PROGRESS,
    Inspection.Status.SUBMITTED,
    Inspection.Status.REVIEWED,
    Inspection.Status.CLOSED,
    Inspection.Status.NO_ACCESS,
}


@transaction.atomic
def plan_replan(
    *,
    actor: Any,
    job: PlanningJob,
    officer_out: Officer,
    since: dt.datetime | None = None,
    time_limit_seconds: int = 10,
) -> PlanningJob:
    """An officer drops out of a published plan: keep what is done, replace the officer or move
    their visits, changing as few visits as possible. The result is a draft (with ``moves``
    counted) that the planner reads and publishes like any plan."""
    if job.status != PlanningJob.Status.PUBLISHED:
        raise PlanNotReady("Re-planning starts from a published plan.")
    if job.replans.filter(status=PlanningJob.Status.SUCCEEDED).exists():
        raise Conflict("A re-plan of this plan awaits publication; publish or discard it first.")
    problem, clock = _build(job)
    plan = problems.plan_from_json(job.plan)
    if str(officer_out.uuid) not in {i for r in plan.routes for i in r.officer_ids}:
        raise InvalidInput(errors={"officer": ["This officer has no visit in the plan."]})
    statuses = dict(
        Inspection.objects.filter(uuid__in=job.published_refs.get("inspections", {}).values()).values_list(
            "uuid", "status"
        )
    )
    done = frozenset(
        visit
        for visit, inspection in job.published_refs.get("inspections", {}).items()
        if statuses.get(UUID(inspection)) in DONE
    )
    result = solver.replan(
        problem,
        plan,
        done=done,
        change=solver.Change(officer_out=str(officer_out.uuid), since=clock.minute(since or timezone.now())),
        options=solver.SolveOptions(time_limit=float(time_limit_seconds), seed=job.seed),
    )
    evaluation = solver.evaluate(result.problem, result.plan)
    new = PlanningJob.objects.create(
        operation=job.operation,
        programme=job.programme,
        status=PlanningJob.Status.SUCCEEDED,
        seed=job.seed,
        time_limit_seconds=time_limit_seconds,
        progress=1.0,
        best_objective=evaluation.objective.scalar,
        plan=problems.plan_to_json(result.plan),
        evaluation=problems.evaluation_to_json(evaluation),
        published_refs=job.published_refs,
        replan_of=job,
        moves=result.moves,
        requested_by=actor if getattr(actor, "is_authenticated", False) else None,
        started_at=timezone.now(),
        finished_at=timezone.now(),
    )
    audit_record(
        actor=actor,
        action="create",
        verb="plan_replan",
        obj=new,
        changes={"officer_out": str(officer_out.uuid), "moves": result.moves, "strategy": result.strategy},
    )
    return new
