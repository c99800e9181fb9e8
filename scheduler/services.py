"""Every write of the scheduler: operation set-ups, targets, programmes, planning runs, edits
of a draft plan, and publishing (which creates teams and inspections through the inspections
service, never by writing their rows here)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
import math
import random
import secrets
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from uuid import UUID

from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.db.models import QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from backend.audit.services import audit_record
from backend.checklists.selectors import template_version_latest
from backend.core.errors import Conflict, InvalidInput, NotFound
from backend.core.i18n import list_separator
from backend.core.strict_input import years_refused
from backend.inspections import services as inspections
from backend.inspections.models import Inspection, Operation, Team
from backend.outbox.services import task_enqueue
from backend.planning.models import DueWork
from backend.registry.models import Agency, Officer, Role, Site, Unit
from scheduler import problem as problems
from scheduler import solver
from scheduler.models import ChosenBy, OperationSetup, PlanningJob, Programme, Target, Wave
from scheduler.selectors import operation_nights, route_night, team_label, violation_messages
from scheduler.solver.bound import gap as bound_gap
from scheduler.solver.bound import joint_objective
from scheduler.solver.evaluate import unpaired_warnings
from scheduler.solver.model import REASON_REMOVED_BY_PLANNER

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


class OperationPublished(OperationNotEditable):
    """A published operation changes only by re-planning (``plan_replan``)."""

    code = "operation_published"


class AlreadyPublished(Conflict):
    code = "already_published"


# --- Joint operations -----------------------------------------------------------------------------


def _wave_years(waves: list[tuple[str, dt.datetime]]) -> dict[str, list[str]]:
    """The waves' error when a wave starts in a year no operation has (``years_refused``)."""
    messages = [m for _code, moment in waves for m in years_refused(wave=moment).get("wave", [])]
    return {"waves": messages[:1]} if messages else {}


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
    # 0001-01-01 in Macau is before the calendar in UTC: comparing it overflowed (a server error).
    refused = years_refused(starts_at=starts_at, ends_at=ends_at, reveal_at=reveal_at) | _wave_years(waves)
    if refused:
        raise InvalidInput(errors=refused)
    for code, moment in waves:
        if not starts_at <= moment < ends_at:
            raise InvalidInput(
                errors={"waves": [_("Wave %(code)s must start within the operation.") % {"code": code}]}
            )
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
        raise OperationPublished(
            _("The operation is published; change it by re-planning (plan/replan/), not by editing it.")
        )


SETUP_FIELDS = (
    "team_min_size",
    "team_max_size",
    "required_agencies",
    "required_skills",
    "female_officer",
    "min_leader_rank",
    "visit_minutes",
    "sync_tolerance_minutes",
)


@transaction.atomic
def operation_plan_update(
    *,
    actor: Any,
    operation: Operation,
    waves: Iterable[tuple[str, dt.datetime]] | None = None,
    muster_unit: Unit | None = None,
    targets: Iterable[dict[str, Any]] | None = None,
    wave_renames: dict[str, str] | None = None,
    **changes: Any,
) -> Operation:
    """Edit a draft operation: name and times (through the inspections service), waves (the
    whole list: a wave left out is removed and its targets lose their wave; ``wave_renames``,
    old code to new, says which of the list are waves renamed, which keep their targets), the
    team rule, the muster point, and targets (the whole list of ``{"site", "wave", "priority",
    "languages", "category"}``). A published operation is refused (``operation_published``):
    it changes by re-planning. Plans made before the edit stay readable; plan again."""
    operation = Operation.objects.select_for_update().get(pk=operation.pk)
    _editable(operation)
    edited = sorted(changes)
    times = {k: changes.pop(k) for k in ("name", "starts_at", "ends_at", "reveal_at") if k in changes}
    if times:
        inspections.operation_update(actor=actor, operation=operation, **times)
    setup = operation.setup
    for field in SETUP_FIELDS:
        if field in changes:
            setattr(setup, field, changes.pop(field))
    if changes:
        raise InvalidInput(errors={k: ["This field cannot be changed."] for k in changes})
    if muster_unit is not None:
        setup.muster_unit = muster_unit
    if setup.team_max_size < setup.team_min_size:
        raise InvalidInput(errors={"team_max_size": ["Must be at least the minimum team size."]})
    setup.save()
    if waves is not None:
        waves = list(waves)
        refused = _wave_years(waves)
        if refused:
            raise InvalidInput(errors=refused)
        for code, moment in waves:
            if not operation.starts_at <= moment < operation.ends_at:
                raise InvalidInput(
                    errors={"waves": [_("Wave %(code)s must start within the operation.") % {"code": code}]}
                )
        keep = {code for code, _moment in waves}
        _waves_renamed(operation, keep, wave_renames or {})
        Wave.objects.filter(operation=operation).exclude(code__in=keep).delete()
        for code, moment in waves:
            Wave.objects.update_or_create(operation=operation, code=code, defaults={"starts_at": moment})
    else:
        for wave in operation.waves.all():
            if not operation.starts_at <= wave.starts_at < operation.ends_at:
                raise InvalidInput(
                    errors={
                        "waves": [_("Wave %(code)s must start within the operation.") % {"code": wave.code}]
                    }
                )
    if targets is not None:
        targets = list(targets)
        Target.objects.filter(operation=operation).exclude(site__in=[t["site"] for t in targets]).delete()
        by_code = {w.code: w for w in operation.waves.all()}
        for t in targets:
            code = t.get("wave")
            if code is not None and code not in by_code:
                raise InvalidInput(
                    errors={"targets": [_("The operation has no wave %(code)s.") % {"code": code}]}
                )
            Target.objects.update_or_create(
                operation=operation,
                site=t["site"],
                defaults={
                    "wave": by_code.get(code) if code else None,
                    "priority": t.get("priority", 3),
                    "languages": sorted(set(t.get("languages", ()))),
                    "category": t.get("category", "prostitution_trafficking"),
                },
            )
    audit_record(
        actor=actor,
        action="update",
        verb="operation_plan_update",
        obj=operation,
        changes={
            "fields": edited,
            "muster_unit": muster_unit is not None,
            "waves": waves is not None,
            "targets": targets is not None,
        },
    )
    operation.refresh_from_db()
    return operation


def _waves_renamed(operation: Operation, keep: set[str], renames: dict[str, str]) -> None:
    """Give each renamed wave its new code, so its targets stay in it: a planner who corrects
    "w2" to "W2" on the form renames the wave; removing it and adding another took every one of
    its targets out of any wave. A wave whose code another takes over, and that is not renamed
    itself, is removed (its targets lose their wave). Codes may be swapped."""
    existing = {w.code: w for w in operation.waves.all()}
    moving = {
        existing[old]: new for old, new in renames.items() if old in existing and new in keep and old != new
    }
    if not moving:
        return
    taken = set(moving.values())
    Wave.objects.filter(operation=operation, code__in=taken).exclude(pk__in=[w.pk for w in moving]).delete()
    # Through codes no wave holds, so that a swap never meets the one-code-per-wave constraint.
    for wave in moving:
        Wave.objects.filter(pk=wave.pk).update(code=f"-renaming-{wave.pk}"[:20])
    for wave, new in moving.items():
        Wave.objects.filter(pk=wave.pk).update(code=new)


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


@dataclass(frozen=True)
class Selection:
    """Sites chosen from a selection: ``by_risk`` the riskiest, ``by_draw`` drawn at random from
    the rest with ``seed`` (so the same seed shows the same draw again)."""

    by_risk: list[Site]
    by_draw: list[Site]
    seed: int
    share_percent: int


def site_draw(
    *,
    kinds: Iterable[str] = (),
    venue_types: Iterable[str] = (),
    parishes: Iterable[str] = (),
    min_risk: Decimal | None = None,
    limit: int = 50,
    random_share_percent: int | None = None,
    seed: int | None = None,
) -> Selection:
    """Choose ``limit`` sites of a selection: most by risk, and a random share (the policy value
    SCHEDULER_RANDOM_SHARE_PERCENT unless given) drawn among the other matching sites, so a site
    that scores low may still be visited and the choice cannot be predicted from risk alone."""
    share = settings.SCHEDULER_RANDOM_SHARE_PERCENT if random_share_percent is None else random_share_percent
    if not 0 <= share <= 100:
        raise InvalidInput(errors={"random_share": ["Between 0 and 100 (percent)."]})
    candidates = list(
        site_selection(
            kinds=kinds, venue_types=venue_types, parishes=parishes, min_risk=min_risk, limit=100_000
        )
    )
    wanted = min(limit, len(candidates))
    n_draw = round(wanted * share / 100)
    by_risk = candidates[: wanted - n_draw]
    seed = secrets.randbelow(2**31) if seed is None else seed
    rest = candidates[wanted - n_draw :]
    by_draw = random.Random(seed).sample(rest, min(n_draw, len(rest)))
    return Selection(by_risk=by_risk, by_draw=by_draw, seed=seed, share_percent=share)


@dataclass(frozen=True)
class TargetsDrawn:
    """What adding a selection did: the targets it added by risk and by draw, and the sites of
    the selection that were targets already (left as they were)."""

    by_risk: list[Target]
    by_draw: list[Target]
    already: list[Site]


@transaction.atomic
def operation_targets_draw(
    *, actor: Any, operation: Operation, selection: Selection, **target: Any
) -> TargetsDrawn:
    """Add a selection's sites as targets, each marked as chosen by risk or by draw (with the
    draw's seed); ``target`` holds ``operation_targets_set``'s wave, priority, languages and
    category. A site that is already a target is left as it is: the planner may have named it
    and put it in its wave by hand, and a selection is no reason to undo that."""
    _editable(operation)
    targeted = set(operation.targets.values_list("site_id", flat=True))
    already = [s for s in (*selection.by_risk, *selection.by_draw) if s.pk in targeted]
    by_risk = operation_targets_set(
        actor=actor,
        operation=operation,
        sites=[s for s in selection.by_risk if s.pk not in targeted],
        chosen_by=ChosenBy.RISK,
        **target,
    )
    by_draw = operation_targets_set(
        actor=actor,
        operation=operation,
        sites=[s for s in selection.by_draw if s.pk not in targeted],
        chosen_by=ChosenBy.DRAW,
        draw_seed=selection.seed,
        **target,
    )
    audit_record(
        actor=actor,
        action="update",
        verb="operation_targets_draw",
        obj=operation,
        changes={
            "by_risk": len(by_risk),
            "by_draw": len(by_draw),
            "already_targets": len(already),
            "seed": selection.seed,
            "share_percent": selection.share_percent,
        },
    )
    return TargetsDrawn(by_risk=by_risk, by_draw=by_draw, already=already)


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
    chosen_by: str = "planner",
    draw_seed: int | None = None,
) -> list[Target]:
    """Add ``sites`` as targets (in ``wave`` when given); a site already targeted is updated."""
    _editable(operation)
    wave_obj = None
    if wave is not None:
        wave_obj = Wave.objects.filter(operation=operation, code=wave).first()
        if wave_obj is None:
            raise InvalidInput(errors={"wave": [_("The operation has no wave %(code)s.") % {"code": wave}]})
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
                "chosen_by": chosen_by,
                "draw_seed": draw_seed,
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
    if planner.agency_id != agency.pk and not planner.has_role(Role.ADMINISTRATOR):
        # Planners plan their own agency's routine work; another agency's is given to them by
        # being named among its programmes' planners (by that agency or an administrator).
        raise NotFound(_("No such agency among those you plan for."))
    if end_date < start_date:
        raise InvalidInput(errors={"end_date": ["The last day comes before the first."]})
    if (end_date - start_date).days > 62:
        raise InvalidInput(errors={"end_date": ["A programme covers at most nine weeks."]})
    officers = list(officers)
    others = [officer for officer in officers if officer.agency_id != agency.pk]
    if others:
        # A routine programme is one agency's work, its pairs formed within it
        # (scheduler/solver/pairs.py): another agency's officer named by the API was saved among
        # them. Refused as the admin's and the console's forms refuse it.
        said = _("Only officers of %(agency)s can work in its programme, not %(names)s.")
        names = list_separator().join(officer.full_name for officer in others)
        raise InvalidInput(errors={"officers": [said % {"agency": agency, "names": names}]})
    programme = Programme.objects.create(
        name=name, agency=agency, start_date=start_date, end_date=end_date, work_in_pairs=work_in_pairs
    )
    programme.officers.set(officers)
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
    longest = settings.SCHEDULER_MAX_TIME_LIMIT_SECONDS
    if not 1 <= limit <= longest:
        # In the reader's language: a number in an f-string matched no catalogue entry, and the
        # Chinese planning panel said "Between 1 and 600 seconds.".
        raise InvalidInput(
            errors={"time_limit_seconds": [_("Between 1 and %(limit)s seconds.") % {"limit": longest}]}
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
        if job.status == PlanningJob.Status.FAILED and job.error == REASON_WORKER_LOST:
            return job  # its worker had died: it is over, and a new run may start
        raise Conflict("The planning run has already finished.")
    PlanningJob.objects.filter(pk=job.pk).update(cancel_requested=True)
    # A run that has not beaten for CANCEL_SILENCE is not there to read the flag: it ends now.
    job = planning_expire_stale(job=job)
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


# A live run beats every second and reads its cancel flag as often: one asked to stop that has
# been silent this long has no worker left to stop it, so the cancel takes effect without it.
CANCEL_SILENCE = dt.timedelta(seconds=10)


def _is_stale(job: PlanningJob, now: dt.datetime) -> bool:
    """A running job whose worker is gone: no heartbeat for the timeout (``CANCEL_SILENCE`` once
    a cancel was asked), or still running past its time limit plus the grace (a busy worker's
    heartbeat may lag; the clock does not)."""
    silent = dt.timedelta(seconds=settings.SCHEDULER_HEARTBEAT_TIMEOUT_SECONDS)
    if job.cancel_requested:
        silent = min(silent, CANCEL_SILENCE)
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
        # Asked to stop, it stopped (its worker with it); otherwise it failed, saying why.
        end = (
            {"status": PlanningJob.Status.CANCELLED}
            if running.cancel_requested
            else {"status": PlanningJob.Status.FAILED, "error": REASON_WORKER_LOST}
        )
        expired = PlanningJob.objects.filter(pk=running.pk, status=PlanningJob.Status.RUNNING).update(
            finished_at=now, **end
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

    def __init__(self, job_id: int, time_limit: float | None = None) -> None:
        self.job_id = job_id
        self.time_limit = time_limit
        self.began = time.monotonic()
        self.owner = threading.get_ident()
        self.last_write = 0.0
        self.last_read = 0.0
        self.cancelled = False
        self.latest: tuple[float, float | None] | None = None
        self._written: tuple[float, float | None] | None = None
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def __call__(self, fraction: float, best: float | None) -> None:
        # Never backwards: the clock may have moved the bar past a solver's milestone.
        fraction = round(min(max(fraction, self.latest[0] if self.latest else 0.0), 1.0), 3)
        best = best if best is not None and math.isfinite(best) else None
        self.latest = (fraction, best)
        now = time.monotonic()
        if threading.get_ident() == self.owner and (now - self.last_write >= 0.5 or fraction >= 1.0):
            self.last_write = now
            self._write()

    def _write(self, heartbeat: bool = False) -> None:
        fields: dict[str, Any] = {"heartbeat_at": timezone.now()} if heartbeat else {}
        if heartbeat and self.time_limit:
            # The solvers report at their own milestones; between them the bar follows the clock
            # (never past 95 % before the run says it is done).
            elapsed = round(min(0.95, (time.monotonic() - self.began) / self.time_limit), 3)
            fraction, best = self.latest or (0.0, None)
            if elapsed > fraction:
                self.latest = (elapsed, best)
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
        if connection.vendor == "sqlite":
            # The beat is best effort: on SQLite a write waits for the database's one writer (20 s,
            # settings' timeout), and a heartbeat that late is worth nothing, while the run's end
            # waits for this thread. Its own connection gives up after a second instead.
            connection.ensure_connection()
            connection.connection.execute("PRAGMA busy_timeout = 1000")
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


def _previous_plan(job: PlanningJob) -> PlanningJob | None:
    """The plan a new run of the same operation or programme replaces: the latest finished,
    unpublished one before it (the one whose pins the planner last set)."""
    return (
        PlanningJob.objects.filter(
            operation_id=job.operation_id,
            programme_id=job.programme_id,
            status=PlanningJob.Status.SUCCEEDED,
            created_at__lte=job.created_at,
        )
        .exclude(pk=job.pk)
        .order_by("-created_at", "-pk")
        .first()
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
        with _Progress(job.pk, time_limit=float(job.time_limit_seconds)) as progress:
            problem, _clock = _build(job)
            options = solver.SolveOptions(time_limit=float(job.time_limit_seconds), seed=job.seed)
            plan_fn = solver.plan_joint if job.operation_id else solver.plan_routine
            previous = _previous_plan(job)
            # "Plan again" keeps what the planner did by hand on the plan this run replaces: the
            # officers taken out stay out, those moved rejoin their teammates, pinned visits
            # go back to their teams.
            held = _officers_held(problem, previous)
            plan = plan_fn(held, options=options, progress=progress, should_stop=progress.should_stop)
            plan = problems.plan_explained(problem, plan)
            plan, officer_pins, officer_notes = _officers_carried(problem, plan, previous)
            plan, pins, notes = _pins_carried(problem, plan, previous)
            evaluation = _judged(problem, plan, officer_pins)
        status = PlanningJob.Status.CANCELLED if progress.cancelled else PlanningJob.Status.SUCCEEDED
        _finish(
            job,
            status=status,
            plan={**problems.plan_to_json(plan), **notes, **officer_notes},
            pins=pins,
            officer_pins=officer_pins,
            evaluation=problems.evaluation_to_json(evaluation),
            progress=1.0,
            # The figure the workspace shows beside the bound (a joint plan's objective), else the
            # checker's: what the bar showed as "best so far" ends on the plan's own figure.
            best_objective=problems.finite(plan.stats.get("objective", evaluation.objective.scalar)),
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


# --- The checker's verdict ------------------------------------------------------------------------


def verdict_outdated(job: PlanningJob) -> bool:
    """True when ``job`` is a draft plan whose verdict another version of the checker made (or
    none that says which): its rules may have changed since, either way."""
    return (
        job.status == PlanningJob.Status.SUCCEEDED
        and (job.evaluation or {}).get("checker") != solver.CHECKER_VERSION
    )


def _recheck(actor: Any, job: PlanningJob) -> None:
    """Check ``job``'s plan again with this release's rules, against the problem built afresh
    from what it plans (as a move does), and store the verdict; the caller holds the row."""
    before = job.evaluation or {}
    problem, _clock = _build(job)
    plan = problems.plan_explained(problem, problems.plan_from_json(job.plan))
    evaluation = _judged(problem, plan, job.officer_pins)
    # Why each visit is left out is the checker's answer too: it follows the same rules.
    job.plan = {**job.plan, "unplanned": problems.plan_to_json(plan)["unplanned"]}
    job.evaluation = problems.evaluation_to_json(evaluation)
    job.save(update_fields=["plan", "evaluation"])
    audit_record(
        actor=actor,
        action="update",
        verb="plan_recheck",
        obj=job,
        changes={
            "checker": [before.get("checker"), solver.CHECKER_VERSION],
            "feasible": [before.get("feasible"), evaluation.feasible],
            "violations": [len(before.get("violations", [])), len(evaluation.violations)],
        },
    )


def plan_recheck(*, actor: Any = None, job: PlanningJob) -> PlanningJob:
    """``job`` with a verdict of this release's checker: a draft whose stored verdict another
    version made (a rule changed between releases) is checked again and the new verdict stored
    (and audited), so the page, the API and publishing never trust a rule that no longer holds.
    Costs nothing when the versions match: the plan is then returned as it is."""
    if not verdict_outdated(job):
        return job
    with transaction.atomic():
        locked = (
            PlanningJob.objects.select_for_update(of=("self",))
            .select_related("operation", "programme")
            .get(pk=job.pk)
        )
        if verdict_outdated(locked):  # nobody re-checked it meanwhile
            _recheck(actor, locked)
    return locked


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
    if visit_id not in problem.visit_by_id:
        raise NotFound(f"The plan has no visit {visit_id!r}.")
    if to_route is not None and not 0 <= to_route < len(plan.routes):
        raise InvalidInput(errors={"to_route": [f"Between 0 and {len(plan.routes) - 1}."]})
    new_plan = _moved(problem, plan, visit_id, to_route, position)
    evaluation = _judged(problem, new_plan, job.officer_pins)
    # What the plan says of its pins stays with it: the pins carried over from the previous run,
    # and each pinned visit's site (so a pin dropped later, its target gone, can still be named).
    notes = _pin_notes(job.plan)
    notes["pinned_sites"] = {**notes.get("pinned_sites", {}), visit_id: problem.visit_by_id[visit_id].site_id}
    job.plan = {**problems.plan_to_json(new_plan), **notes}
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


@transaction.atomic
def plan_officer_move(
    *, actor: Any, job: PlanningJob, officer_id: str, from_route: int | None, to_route: int | None
) -> PlanningJob:
    """Move an officer from team ``from_route`` to team ``to_route`` of a draft plan: ``from_route``
    None brings in an officer the plan leaves out (available, in no team), ``to_route`` None takes
    the officer out of the team. Both teams keep their visits and waves and are re-timed around
    their new members (their shifts); each team's leader is then its highest-ranked officer, as
    the planner forms them. The whole plan is judged again by the independent checker, and a
    move that breaks a rule (team size, the agencies or skills every team needs, a conflict of
    interest, a shift) is kept and reported, as a visit's move is. A team cannot be left with no
    officer while it has visits: move its visits first."""
    job = PlanningJob.objects.select_for_update().get(pk=job.pk)
    if job.status != PlanningJob.Status.SUCCEEDED:
        raise PlanNotReady(_("Only a finished, unpublished plan can be edited."))
    problem, _clock = _build(job)
    plan = problems.plan_from_json(job.plan)
    routes = list(plan.routes)

    def team(index: int) -> str:
        return _("Team %(number)s") % {"number": index + 1}

    for field, index in (("from_route", from_route), ("to_route", to_route)):
        if index is not None and not 0 <= index < len(routes):
            raise InvalidInput(errors={field: [_("Choose a team of this plan.")]})
    if from_route == to_route:
        raise InvalidInput(errors={"to_route": [_("Choose another team than the officer's own.")]})
    officer = problem.officer_by_id.get(officer_id)
    if from_route is not None:
        if officer_id not in routes[from_route].officer_ids:
            raise InvalidInput(
                errors={"officer": [_("This officer is not in %(team)s.") % {"team": team(from_route)}]}
            )
    elif officer is None:
        raise InvalidInput(errors={"officer": [_("This officer is not available for this plan.")]})
    if to_route is not None:
        # One team a night: over several nights, an officer in a team on one night may join
        # another night's team as well (from no team), or move there from their own.
        night = _period(problem, routes[to_route].departure)
        teams = [
            i
            for i, r in enumerate(routes)
            if officer_id in r.officer_ids and i != from_route and _period(problem, r.departure) == night
        ]
        if teams:
            field = "to_route" if teams[0] == to_route else "officer"
            raise InvalidInput(
                errors={field: [_("This officer is in %(team)s already.") % {"team": team(teams[0])}]}
            )
    if officer is None and to_route is not None:  # on a team, but no longer available (inactive)
        raise InvalidInput(errors={"officer": [_("This officer is not available for this plan.")]})
    if from_route is not None and routes[from_route].stops and len(routes[from_route].officer_ids) == 1:
        raise InvalidInput(
            errors={
                "officer": [
                    _("%(team)s would be left with no officer: move its visits first.")
                    % {"team": team(from_route)}
                ]
            }
        )

    for index in {from_route, to_route} - {None}:
        ids = [o for o in routes[index].officer_ids if o != officer_id]
        routes[index] = _regrouped(problem, routes[index], [*ids, officer_id] if index == to_route else ids)
    new_plan = _replanned_teams(problem, plan, routes)
    job.plan = {**problems.plan_to_json(new_plan), **_pin_notes(job.plan)}
    # Placed by hand: "Plan again" puts the officer back with the same teammates, or keeps them
    # out of that night's (or day's) teams (``_officers_carried``). A later move of the same
    # officer on the same night takes the place of this one.
    minute = routes[to_route if to_route is not None else from_route].departure  # type: ignore[index]
    period = _period(problem, minute)
    job.officer_pins = [
        p
        for p in job.officer_pins or []
        if not (p["officer"] == officer_id and _period(problem, p["minute"]) == period)
    ] + [{"officer": officer_id, "route": to_route, "minute": minute}]
    job.evaluation = problems.evaluation_to_json(_judged(problem, new_plan, job.officer_pins))
    job.save(update_fields=["plan", "evaluation", "officer_pins"])
    audit_record(
        actor=actor,
        action="update",
        verb="plan_officer_move",
        obj=job,
        changes={"officer": officer_id, "from_route": from_route, "to_route": to_route},
    )
    return job


def _regrouped(problem: solver.Problem, route: solver.Route, ids: list[str]) -> solver.Route:
    """``route`` with the officers ``ids``: its visits and waves kept, re-timed around its new
    members' shifts, its leader the highest-ranked of them, as the planner chooses (a joint team
    always has one, a routine crew when it is more than one officer)."""
    members = [problem.officer_by_id[o] for o in ids if o in problem.officer_by_id]
    leads = members if problem.operation is not None or len(members) > 1 else []
    leader = max(leads, key=lambda o: (o.rank, o.id)).id if leads else None
    regrouped = solver.Route(
        officer_ids=tuple(ids),
        depot_id=route.depot_id,
        departure=route.departure,
        back=route.back,
        stops=route.stops,
        team_id=route.team_id,
        leader_id=leader,
    )
    visits = [problem.visit_by_id[s.visit_id] for s in route.stops if s.visit_id in problem.visit_by_id]
    waves = {s.visit_id: s.wave_id for s in route.stops if s.wave_id}
    return solver_time_route(problem, members, regrouped, visits, waves) if visits else regrouped


def _replanned_teams(problem: solver.Problem, plan: solver.Plan, routes: list[solver.Route]) -> solver.Plan:
    """``plan`` with its teams regrouped as ``routes``: why each visit is left out found again,
    its objective and gap restated."""
    explained = problems.plan_explained(
        problem, solver.Plan(routes=tuple(routes), unplanned=plan.unplanned, stats=plan.stats)
    )
    return solver.Plan(explained.routes, explained.unplanned, _restated(problem, plan.stats, explained))


def _period(problem: solver.Problem, minute: int) -> int:
    """The night (a joint operation's) or the day (a programme's) a minute belongs to: an
    officer is in one team of each."""
    if problem.operation is not None:
        return problem.operation.night_of(minute)
    return minute // solver.MINUTES_PER_DAY


def _period_window(problem: solver.Problem, minute: int) -> tuple[int, int]:
    """The minutes of ``minute``'s night (or day)."""
    op = problem.operation
    if op is not None and op.nights:
        night = next(n for n in op.nights if n.number == op.night_of(minute))
        first, last = night.number == op.nights[0].number, night.number == op.nights[-1].number
        return (-(10**9) if first else night.lo, 10**9 if last else night.hi)
    day = minute // solver.MINUTES_PER_DAY
    return day * solver.MINUTES_PER_DAY, (day + 1) * solver.MINUTES_PER_DAY


def _officers_held(problem: solver.Problem, previous: PlanningJob | None) -> solver.Problem:
    """The problem the planner solves when planning again: the officers the planner took out of
    the previous plan's teams are off duty on that night (or day), so the teams are formed
    without them, as a sick officer is planned around."""
    return _held_by(problem, previous.officer_pins if previous is not None else None)


def _judged(problem: solver.Problem, plan: solver.Plan, officer_pins: list[dict] | None) -> Any:
    """The checker's verdict on ``plan``, its warnings on pairs said of the officers on duty once
    those the planner took out of the plan (``officer_pins`` with no team) are off: a partner
    they leave without a pair that day is named, not silently left at the station."""
    evaluation = solver.evaluate(problem, plan)
    held = _held_by(problem, officer_pins)
    if held is problem:
        return evaluation
    pairs = unpaired_warnings(held, plan)
    return dataclasses.replace(
        evaluation, warnings=(*pairs, *(w for w in evaluation.warnings if w.rule != "pairs"))
    )


def _held_by(problem: solver.Problem, officer_pins: list[dict] | None) -> solver.Problem:
    """``problem`` with each officer the pins take out of a team off duty on that night (or day)."""
    out: dict[str, list[tuple[int, int]]] = {}
    for pin in officer_pins or []:
        if pin["route"] is None and pin["officer"] in problem.officer_by_id:
            out.setdefault(pin["officer"], []).append(_period_window(problem, pin["minute"]))
    if not out:
        return problem
    officers = []
    for officer in problem.officers:
        shifts = list(officer.shifts)
        for lo, hi in out.get(officer.id, ()):
            shifts = [
                piece
                for s, e in shifts
                for piece in ((s, min(e, lo)), (max(s, hi), e))
                if piece[0] < piece[1]
            ]
        officers.append(dataclasses.replace(officer, shifts=tuple(shifts)) if officer.id in out else officer)
    return dataclasses.replace(problem, officers=tuple(officers))


# Why an officer placed by hand on the previous plan could not be placed so again.
OFFICER_PIN_GONE = "officer_gone"  # no longer available to plan (inactive, no shift, left the agency)
OFFICER_PIN_TEAM_GONE = "team_gone"  # the new plan forms no team with most of the same teammates
OFFICER_PIN_LAST = "last_officer"  # moving the officer would leave a team with visits and no officer
OFFICER_PIN_OUT = "officer_out"  # the officer dropped out of the published plan (``plan_replan``)


def _officers_carried(
    problem: solver.Problem, plan: solver.Plan, previous: PlanningJob | None
) -> tuple[solver.Plan, list[dict[str, Any]], dict[str, Any]]:
    """The officers placed by hand on the previous plan, placed so on a new one: each put in the
    team (of the same night or day) that has at least half of the teammates it was placed with,
    the most of them, those placed by hand left aside; one taken out stays out (the problem was
    solved without them, ``_officers_held``). Those that cannot be placed so are dropped and
    recorded with the reason, as dropped pins of visits are."""
    pins = (previous.officer_pins if previous is not None else None) or []
    if not pins:
        return plan, [], {}
    old = problems.plan_from_json(previous.plan)  # type: ignore[union-attr]
    placed = {(p["officer"], _period(problem, p["minute"])) for p in pins}
    routes = list(plan.routes)
    kept: list[dict[str, Any]] = []
    dropped: list[dict[str, Any]] = []
    for pin in pins:
        officer_id, period, index = pin["officer"], _period(problem, pin["minute"]), pin["route"]
        team = index + 1 if index is not None else None
        if officer_id not in problem.officer_by_id:
            dropped.append({"officer": officer_id, "reason": OFFICER_PIN_GONE, "team": team})
            continue
        same_period = [i for i, r in enumerate(routes) if _period(problem, r.departure) == period]
        source = next((i for i in same_period if officer_id in routes[i].officer_ids), None)
        if index is None:
            # Solved without them; should a team hold them anyway, they leave it, as by hand.
            if source is not None:
                if routes[source].stops and len(routes[source].officer_ids) == 1:
                    dropped.append({"officer": officer_id, "reason": OFFICER_PIN_LAST, "team": None})
                    continue
                routes[source] = _regrouped(
                    problem, routes[source], [o for o in routes[source].officer_ids if o != officer_id]
                )
            kept.append({"officer": officer_id, "route": None, "minute": pin["minute"]})
            continue
        old_route = old.routes[index] if 0 <= index < len(old.routes) else None
        mates = {o for o in (old_route.officer_ids if old_route else ()) if (o, period) not in placed}
        overlap = {i: len(mates & set(routes[i].officer_ids)) for i in same_period}
        best = max(
            (i for i in same_period if overlap[i] and 2 * overlap[i] >= len(mates)),
            default=None,
            key=lambda i: (overlap[i], -i),
        )
        if best is None:
            dropped.append({"officer": officer_id, "reason": OFFICER_PIN_TEAM_GONE, "team": team})
            continue
        if source is not None and source != best:
            if routes[source].stops and len(routes[source].officer_ids) == 1:
                dropped.append({"officer": officer_id, "reason": OFFICER_PIN_LAST, "team": team})
                continue
            routes[source] = _regrouped(
                problem, routes[source], [o for o in routes[source].officer_ids if o != officer_id]
            )
        if source != best:
            routes[best] = _regrouped(problem, routes[best], [*routes[best].officer_ids, officer_id])
        kept.append({"officer": officer_id, "route": best, "minute": routes[best].departure})
    if routes != list(plan.routes):
        plan = _replanned_teams(problem, plan, routes)
    return plan, kept, {"officers_carried": {"from_job": str(previous.uuid), "dropped": dropped}}  # type: ignore[union-attr]


@transaction.atomic
def plan_officer_unpin(*, actor: Any, job: PlanningJob, officer_id: str) -> PlanningJob:
    """Release an officer the planner placed by hand: the plan stays as it is, and planning
    again forms that officer's teams afresh."""
    job = PlanningJob.objects.select_for_update().get(pk=job.pk)
    if job.status != PlanningJob.Status.SUCCEEDED:
        raise PlanNotReady(_("Only a finished, unpublished plan can be edited."))
    if not any(p["officer"] == officer_id for p in job.officer_pins or []):
        raise NotFound(_("This officer was not placed by hand."))
    job.officer_pins = [p for p in job.officer_pins if p["officer"] != officer_id]
    job.save(update_fields=["officer_pins"])
    audit_record(
        actor=actor, action="update", verb="plan_officer_unpin", obj=job, changes={"officer": officer_id}
    )
    return job


def _moved(
    problem: solver.Problem, plan: solver.Plan, visit_id: str, to_route: int | None, position: int | None
) -> solver.Plan:
    """``plan`` with the visit moved onto route ``to_route`` at ``position`` (or out of the plan),
    every route re-timed around its waves and every unplanned visit's reason found again."""
    visit = problem.visit_by_id[visit_id]
    routes = [list(r.stops) for r in plan.routes]
    for stops in routes:
        stops[:] = [s for s in stops if s.visit_id != visit_id]
    unplanned = [u for u in plan.unplanned if u.visit_id != visit_id]
    new_routes = []
    for index, (route, stops) in enumerate(zip(plan.routes, routes, strict=True)):
        visits = [problem.visit_by_id[s.visit_id] for s in stops]
        waves = {s.visit_id: s.wave_id for s in stops if s.wave_id}
        if index == to_route:
            visits.insert(len(visits) if position is None else max(0, min(position, len(visits))), visit)
            wave = _wave_for(problem, visit, set(waves.values()), route)
            if wave is not None:
                waves[visit_id] = wave
        members = [problem.officer_by_id[o] for o in route.officer_ids if o in problem.officer_by_id]
        new_routes.append(solver_time_route(problem, members, route, visits, waves))
    if to_route is None:
        unplanned.append(solver.Unplanned(visit_id, REASON_REMOVED_BY_PLANNER))
    new_plan = problems.plan_explained(
        problem, solver.Plan(routes=tuple(new_routes), unplanned=tuple(unplanned), stats=plan.stats)
    )
    return solver.Plan(new_plan.routes, new_plan.unplanned, _restated(problem, plan.stats, new_plan))


# Why a pin of the previous plan could not be carried into a new one.
PIN_VISIT_GONE = "visit_gone"  # its target or due work is no longer to be planned
PIN_TEAM_GONE = "team_gone"  # no route of the new plan has the same officers on that day
# (A re-plan after a drop-out) its team lost the officer who dropped out, with no one to stand in.
PIN_OFFICER_OUT = "officer_out"


def _pin_notes(plan_json: dict[str, Any]) -> dict[str, Any]:
    return {k: plan_json[k] for k in ("pins_carried", "pinned_sites", "officers_carried") if k in plan_json}


def _same_team(old: solver.Route, plan: solver.Plan) -> int | None:
    """The route of ``plan`` that is ``old``'s team, leaving the same day: the same officers, else
    the one holding most of them, more than half (officers placed by hand join the teams the
    planner formed around them, so a team the planner made by moving an officer comes back with
    the same officers and one or two others), the fewest others first."""
    officers = set(old.officer_ids)
    day = [
        (i, set(r.officer_ids))
        for i, r in enumerate(plan.routes)
        if r.departure // 1440 == old.departure // 1440
    ]
    for index, team in day:
        if team == officers:
            return index
    shared = [(len(team & officers), -len(team - officers), -index) for index, team in day]
    best = max(shared, default=None)
    return -best[2] if best is not None and 2 * best[0] > len(officers) else None


def _pins_carried(
    problem: solver.Problem, plan: solver.Plan, previous: PlanningJob | None
) -> tuple[solver.Plan, dict[str, int | None], dict[str, Any]]:
    """The pins of the previous plan applied to a new one: each pinned visit put back on the
    team of the same officers (or taken out again), as the planner's moves put it. A pin whose
    visit is no longer to be planned, or whose team the new plan does not form, is dropped and
    recorded with the reason, so the plan page can say which and why."""
    if previous is None or not previous.pins:
        return plan, {}, {}
    old = problems.plan_from_json(previous.plan)
    where = {s.visit_id: (i, n) for i, r in enumerate(old.routes) for n, s in enumerate(r.stops)}
    sites = previous.plan.get("pinned_sites", {})
    pins: dict[str, int | None] = {}
    dropped = []
    for visit_id, route in previous.pins.items():
        if visit_id not in problem.visit_by_id:
            dropped.append({"visit_id": visit_id, "reason": PIN_VISIT_GONE, "site_id": sites.get(visit_id)})
            continue
        target: int | None = None
        if route is not None:
            old_index, position = where.get(visit_id, (route, None))
            target = _same_team(old.routes[old_index], plan) if old_index < len(old.routes) else None
            if target is None:
                dropped.append({"visit_id": visit_id, "reason": PIN_TEAM_GONE, "team": old_index + 1})
                continue
            if visit_id not in {s.visit_id for s in plan.routes[target].stops}:
                plan = _moved(problem, plan, visit_id, target, position)
        elif any(s.visit_id == visit_id for r in plan.routes for s in r.stops):
            plan = _moved(problem, plan, visit_id, None, None)
        pins[visit_id] = target
    # A later move may have shifted an earlier pin's route index: read each pin's place again.
    pins = _pins_in(plan, pins)
    notes = {
        "pins_carried": {"from_job": str(previous.uuid), "dropped": dropped},
        "pinned_sites": {v: problem.visit_by_id[v].site_id for v in pins},
    }
    return plan, pins, notes


@transaction.atomic
def plan_unpin(*, actor: Any, job: PlanningJob, visit_id: str) -> PlanningJob:
    """Release a visit the planner pinned: the plan stays as it is, and a re-plan may move it."""
    job = PlanningJob.objects.select_for_update().get(pk=job.pk)
    if job.status not in (PlanningJob.Status.SUCCEEDED, PlanningJob.Status.PUBLISHED):
        raise PlanNotReady("Only a finished plan has pins.")
    if visit_id not in (job.pins or {}):
        raise NotFound("This visit is not pinned.")
    job.pins = {v: r for v, r in job.pins.items() if v != visit_id}
    job.save(update_fields=["pins"])
    audit_record(actor=actor, action="update", verb="plan_unpin", obj=job, changes={"visit": visit_id})
    return job


def _pins_in(plan: solver.Plan, pins: dict[str, int | None]) -> dict[str, int | None]:
    """The pins carried into a new plan: each pinned visit at its route's index there (out of
    the plan stays out)."""
    where = {s.visit_id: i for i, r in enumerate(plan.routes) for s in r.stops}
    return {v: where.get(v) for v, route in pins.items() if route is None or v in where}


def _restated(problem: solver.Problem, stats: Any, plan: solver.Plan) -> dict[str, Any]:
    """A joint plan's statistics after an edit or a re-plan: its objective again, and its gap to
    the bound. The operation's bound holds for every plan of it (and a re-plan's problem, an
    officer fewer and the work done kept, is only harder); once the planner has taken visits
    out, the gap is measured to the bound of the plans that leave them out (their priority, as
    the objective counts it, plus the bound of the rest), so it says how much better a plan
    could be given the planner's choice, not the cost of the choice itself. That bound is
    computed again only when the set of visits taken out changes (``bound_left_out``); the
    operation's own stays in ``operation_lower_bound``."""
    stats = dict(stats)
    if problem.operation is None or (stats.get("lower_bound") is None and stats.get("objective") is None):
        return stats
    stats["objective"] = joint_objective(problem, plan)
    if stats.get("lower_bound") is None:
        return stats
    operation_bound = stats.setdefault("operation_lower_bound", stats["lower_bound"])
    left_out = sorted(
        u.visit_id
        for u in plan.unplanned
        if u.reason == REASON_REMOVED_BY_PLANNER and u.visit_id in problem.visit_by_id
    )
    if left_out != stats.get("bound_left_out", []):
        bound = operation_bound
        if left_out:
            bound = max(operation_bound, solver.operation_bound(problem, left_out=frozenset(left_out)).value)
        stats["lower_bound"], stats["bound_left_out"] = bound, left_out
    stats["gap"] = bound_gap(stats["objective"], stats["lower_bound"])
    return stats


def _wave_for(
    problem: solver.Problem, visit: solver.Visit, taken: set[str], route: solver.Route | None = None
) -> str | None:
    """The wave a target moved onto a team joins: the earliest it may join that the team does
    not raid yet (one target per team and wave), on the team's own night when the operation has
    several (each night's teams are their own), else its first allowed one (the checker then
    says what breaks)."""
    op = problem.operation
    if op is None:
        return None
    allowed = sorted((w for w in op.waves if not visit.waves or w.id in visit.waves), key=lambda w: w.start)
    if route is not None and len(op.nights) > 1:
        night = op.night_of(route.departure)
        allowed = [w for w in allowed if op.night_of(w.start) == night] or allowed
    free = [w for w in allowed if w.id not in taken]
    chosen = (free or allowed or [None])[0]
    return chosen.id if chosen is not None else None


def solver_time_route(
    problem: solver.Problem,
    members: list[solver.Officer],
    route: solver.Route,
    visits: list[solver.Visit],
    waves: dict,
) -> solver.Route:
    """Re-time a route after an edit; when it no longer fits, keep the stops in order at their
    earliest times anyway so the checker can say what breaks.

    In a joint operation every stop keeps its wave's start: the route is re-timed around the
    waves (a stop starts at its wave's start, or within the tolerance after it, never at mere
    arrival), in wave order, so an edit to one team never desynchronises a wave; and
    right-justified (``schedule.justify``): a team that lost its first target leaves later, and
    reaches each target just before its raid rather than waiting outside it. It is timed from the
    earliest minute the team may leave (the operation's start, its night's, its officers'
    shifts), so a target moved onto a team that leaves late is still reached in its wave."""
    from scheduler.solver.schedule import earliest_departure, justify, time_route

    not_before = not_after = None
    op = problem.operation
    departure = route.departure
    if op is not None:
        departure = earliest_departure(problem, members, route.departure, route.back)
        starts = {w.id: w.start for w in op.waves}
        visits = sorted(visits, key=lambda v: starts.get(waves.get(v.id, ""), 10**9))
        not_before = {vid: starts[w] for vid, w in waves.items() if w in starts}
        not_after = {vid: starts[w] + op.sync_tolerance for vid, w in waves.items() if w in starts}
    timed = time_route(
        problem,
        members,
        route.depot_id,
        visits,
        departure,
        not_before=not_before,
        not_after=not_after,
        wave_of=waves,
        team_id=route.team_id,
        leader_id=route.leader_id,
        tighten=op is not None,
    )
    if timed is not None:
        return timed
    # Each stop at its earliest: the travel from the stop before (or the muster point), then its
    # wave's start; opening hours and rules aside, which the checker reports. Travel is never
    # dropped, nor the way back, so the times shown are ones the team could keep.
    travel = problem.travel
    depot = problem.depot_by_id[route.depot_id].point
    where, clock = depot, departure
    stops = []
    for v in visits:
        site = problem.site_by_id[v.site_id].point
        arrival = clock + travel.minutes(where, site, clock)
        start = max(arrival, (not_before or {}).get(v.id, arrival))
        stops.append(solver.Stop(v.id, arrival, start, start + v.duration, waves.get(v.id)))
        where, clock = site, start + v.duration
    back = clock + travel.minutes(where, depot, clock)
    laid = solver.Route(
        officer_ids=route.officer_ids,
        depot_id=route.depot_id,
        departure=departure,
        back=back,
        stops=tuple(stops),
        team_id=route.team_id,
        leader_id=route.leader_id,
    )
    # Laid from the earliest minute the team may leave, a joint team would leave then and wait
    # outside its first target: right-justified, it leaves as late as reaches it within the
    # margin, so the checker names the breach the edit made, not an early arrival it did not.
    return justify(problem, laid) if op is not None else laid


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


def plan_publish(*, actor: Any, job: PlanningJob) -> PlanningJob:
    """Turn the draft plan into teams and inspections (through the inspections service) and
    publish the operation or programme. Nothing reaches a phone before the reveal time.

    A plan the checker finds broken is refused, by a verdict of this release's rules: one stored
    under another version is made again first (and kept, even when the plan is then refused).

    A re-plan (``job.replan_of``) changes the published teams and inspections in place instead:
    new members, moved or cancelled visits; work already started is never touched."""
    return _publish(actor=actor, job=plan_recheck(actor=actor, job=job))


@transaction.atomic
def _publish(*, actor: Any, job: PlanningJob) -> PlanningJob:
    job = (
        PlanningJob.objects.select_for_update(of=("self",))
        .select_related("operation", "programme")
        .get(pk=job.pk)
    )
    if job.status == PlanningJob.Status.PUBLISHED:
        raise AlreadyPublished(_("This plan is already published."))
    if job.status != PlanningJob.Status.SUCCEEDED:
        raise PlanNotReady(_("Only a finished plan can be published."))
    # Publishing decides on a verdict of this release's rules, never on one stored under others.
    if verdict_outdated(job):
        _recheck(actor, job)
    if not job.evaluation.get("feasible", False):
        raise Conflict(
            "The plan breaks rules; fix it before publishing.",
            extra={"violations": violation_messages(job, job.evaluation.get("violations", [])[:50])},
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
    nights = operation_nights(job.operation)
    touched = 0
    planned_visits: set[str] = set()
    for index, route in enumerate(plan.routes, start=1):
        if not route.stops:
            continue
        members = [officers[i] for i in route.officer_ids]
        leader = officers.get(route.leader_id or "")
        team = teams.get(refs["teams"].get(route_ref(route), ""))
        if team is None:
            night = route_night(nights, clock.at(route.departure))
            names = _team_names(subject, route, index, members, night)
            team = inspections.team_create(
                actor=actor,
                name=names[settings.LANGUAGE_CODE],
                names=names,
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


def _team_name(
    subject: Any, route: solver.Route, index: int, members: list[Officer], night: dt.date | None = None
) -> str:
    """ "Night Shield – Team 3 (PSP·DSAL)": numbered as the plan and its briefings number it; over
    several nights, "Night Shield – Team 3 (PSP·DSAL), night of Fri 6 Dec" (a team a night: the
    same officers may make other teams on other nights)."""
    label = team_label(index, (m.agency.code for m in members), night)
    if not isinstance(subject, Operation):
        label = _("day %(day)s") % {"day": route.day + 1} + f" – {label}"
    # A team's name holds 100 characters: a long operation's name gives way, never the team's
    # number or night.
    room = Team._meta.get_field("name").max_length - len(label) - len(" – ")
    name = subject.name if len(subject.name) <= room else subject.name[: max(0, room - 1)] + "…"
    return f"{name} – {label}"


def _team_names(
    subject: Any, route: solver.Route, index: int, members: list[Officer], night: dt.date | None = None
) -> dict[str, str]:
    """The team's name in each of the console's languages, whatever the publishing planner's:
    read in Chinese, a plan published from a Portuguese page named its teams "Equipa 1"."""
    out = {}
    for code, _language in settings.LANGUAGES:
        with translation.override(code):
            out[code] = _team_name(subject, route, index, members, night)
    return out


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
    # Locked first: two re-plans asked at once (a double click, two tabs) each found none
    # waiting before the other stored its own, and the plan had two drafts of the same change.
    job = PlanningJob.objects.select_for_update().get(pk=job.pk)
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
    # The officers the planner took out of this plan's teams stay out: none of them stands in.
    problem = _officers_held(problem, job)
    result = solver.replan(
        problem,
        plan,
        done=done,
        change=solver.Change(officer_out=str(officer_out.uuid), since=clock.minute(since or timezone.now())),
        # What the planner pinned to a team before publishing stays with it.
        pinned=frozenset(v for v, route in (job.pins or {}).items() if route is not None),
        options=solver.SolveOptions(time_limit=float(time_limit_seconds), seed=job.seed),
    )
    evaluation = solver.evaluate(result.problem, result.plan)
    pins, notes = _pins_replanned(job, plan, result, officer_out)
    officer_pins, officer_notes = _officers_replanned(job, result, officer_out)
    # A joint re-plan carries the published plan's statistics: its own objective (and gap) instead,
    # the figure the plan page shows beside the bound and the job panel explains.
    replanned = solver.Plan(
        result.plan.routes, result.plan.unplanned, _restated(result.problem, result.plan.stats, result.plan)
    )
    new = PlanningJob.objects.create(
        operation=job.operation,
        programme=job.programme,
        status=PlanningJob.Status.SUCCEEDED,
        seed=job.seed,
        time_limit_seconds=time_limit_seconds,
        progress=1.0,
        best_objective=problems.finite(replanned.stats.get("objective", evaluation.objective.scalar)),
        plan={**problems.plan_to_json(replanned), **notes, **officer_notes},
        evaluation=problems.evaluation_to_json(evaluation),
        published_refs=job.published_refs,
        replan_of=job,
        moves=result.moves,
        pins=pins,
        officer_pins=officer_pins,
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


def _officers_replanned(
    job: PlanningJob, result: solver.ReplanResult, officer_out: Officer
) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """The officers placed by hand on the published plan, carried into its re-plan: one taken
    out stays out (the re-plan was solved with them off duty, so none stood in); one placed in
    a team keeps the team the re-plan left them in. The officer who dropped out loses their
    placing, and one the re-plan moved out of every team that night loses it too; both are
    recorded with the reason, as "Plan again" records them."""
    kept: list[dict[str, Any]] = []
    dropped: list[dict[str, Any]] = []
    routes = result.plan.routes
    for pin in job.officer_pins or []:
        officer_id, index = pin["officer"], pin["route"]
        team = index + 1 if index is not None else None
        if officer_id == str(officer_out.uuid):
            dropped.append({"officer": officer_id, "reason": OFFICER_PIN_OUT, "team": team})
            continue
        if index is None:
            kept.append(pin)
            continue
        period = _period(result.problem, pin["minute"])
        now = next(
            (
                i
                for i, r in enumerate(routes)
                if officer_id in r.officer_ids and _period(result.problem, r.departure) == period
            ),
            None,
        )
        if now is None:
            dropped.append({"officer": officer_id, "reason": OFFICER_PIN_TEAM_GONE, "team": team})
            continue
        kept.append({"officer": officer_id, "route": now, "minute": routes[now].departure})
    notes = {"officers_carried": {"from_job": str(job.uuid), "dropped": dropped}} if job.officer_pins else {}
    return kept, notes


def _pins_replanned(
    job: PlanningJob, plan: solver.Plan, result: solver.ReplanResult, officer_out: Officer
) -> tuple[dict[str, int | None], dict[str, Any]]:
    """The pins of the published plan carried into its re-plan, and those it could not keep,
    each with the reason, recorded as "Plan again" records them (``_pins_carried``) so the plan
    page says which and why: a pin whose team lost the officer who dropped out with no one to
    stand in (the re-plan moved the visit or left it out), or whose visit is no longer to be
    planned."""
    pins = job.pins or {}
    lost = set(result.pins_dropped)
    kept = _pins_in(result.plan, {v: r for v, r in pins.items() if v not in lost})
    where = {s.visit_id: i for i, r in enumerate(plan.routes) for s in r.stops}
    sites = job.plan.get("pinned_sites", {})
    visits = result.problem.visit_by_id
    dropped = []
    for visit_id, route in pins.items():
        if visit_id in kept:
            continue
        if visit_id not in visits:
            dropped.append({"visit_id": visit_id, "reason": PIN_VISIT_GONE, "site_id": sites.get(visit_id)})
            continue
        team = where.get(visit_id, route)
        dropped.append(
            {
                "visit_id": visit_id,
                "reason": PIN_OFFICER_OUT,
                "team": team + 1 if team is not None else "",
                "officer": str(officer_out.uuid),
            }
        )
    notes = {
        "pins_carried": {"from_job": str(job.uuid), "dropped": dropped},
        "pinned_sites": {v: visits[v].site_id for v in kept if v in visits},
    }
    return kept, notes
