"""From the database to the solver's problem, and the solver's plan back to plain JSON.

Ids in the problem are stable database ids as text: officers by UUID, sites by UUID, depots by
unit code, visits by target id (operations) or due-work UUID (programmes), so a plan stored as
JSON can be re-evaluated later against a freshly built problem.

Time is whole minutes from the horizon start, local midnight (settings.TIME_ZONE) of the first
day; opening hours, which are local wall-clock times, become windows over the horizon.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import asdict, replace
from typing import Any

from django.conf import settings
from django.db.models import Prefetch
from django.utils import timezone

from backend.inspections.models import Inspection, Operation
from backend.planning.models import DueWork
from backend.registry.models import Availability, ConflictOfInterest, Officer, OpeningHours, Site, Unit
from scheduler import solver
from scheduler.models import Programme

# Minutes a routine visit takes, by site kind (a policy value; see README).
ROUTINE_MINUTES = {"construction_site": 90, "employment_agency": 60, "venue": 45}
# Skills a routine visit needs, by category: labour categories need a labour inspector.
LABOUR_CATEGORIES = {
    "employment_agency",
    "construction_large_scale",
    "construction_preventive",
    "construction_questionnaire",
    "illegal_employment",
}


class Clock:
    """Minutes from a horizon start (local midnight) and back."""

    def __init__(self, first_day: dt.date) -> None:
        self.zone = timezone.get_default_timezone()
        self.origin = dt.datetime.combine(first_day, dt.time(0), tzinfo=self.zone)
        self.first_day = first_day

    def minute(self, moment: dt.datetime) -> int:
        return int((moment - self.origin).total_seconds() // 60)

    def at(self, minute: int) -> dt.datetime:
        return self.origin + dt.timedelta(minutes=minute)

    def day_start(self, day: dt.date) -> int:
        return self.minute(dt.datetime.combine(day, dt.time(0), tzinfo=self.zone))


def operation_clock(operation: Operation) -> Clock:
    return Clock(timezone.localtime(operation.starts_at).date())


def clock_of(job: Any) -> Clock:
    """The clock a planning job's plan is written in."""
    return operation_clock(job.operation) if job.operation_id else Clock(job.programme.start_date)


def skill_code(code: str) -> str:
    """Registry skill codes as the solver names them: ``lang-tl`` is the language ``tl``."""
    return f"lang:{code[5:]}" if code.startswith("lang-") else code


def solver_priority(db_priority: int) -> int:
    """The database counts 1 as the highest priority; the solver's prize grows with the number."""
    return max(1, 6 - db_priority)


def _opening(site: Site, clock: Clock, days: int) -> tuple[tuple[int, int], ...] | None:
    hours: list[OpeningHours] = list(site.opening_hours.all())
    if not hours:
        return None
    windows = []
    for day in range(-1, days + 1):
        date = clock.first_day + dt.timedelta(days=day)
        for h in hours:
            if h.weekday != date.weekday():
                continue
            start = day * 1440 + h.opens.hour * 60 + h.opens.minute
            end = day * 1440 + h.closes.hour * 60 + h.closes.minute
            if end <= start:
                end += 1440  # past midnight
            windows.append((start, end))
    return tuple(sorted(clip(windows, days)))


def clip(windows: Iterable[tuple[int, int]], days: int) -> list[tuple[int, int]]:
    """Windows cut to the horizon, minute 0 to the end of its last day: a shift that began the
    evening before, or an opening that runs past the last night, keeps only its part inside
    (the solvers take no minute before the horizon's start)."""
    end = days * 1440
    cut = [(max(0, a), min(end, b)) for a, b in windows]
    return [(a, b) for a, b in cut if a < b]


def _site(site: Site, clock: Clock, days: int) -> solver.Site:
    company = site.operator or site.contractor
    return solver.Site(
        id=str(site.uuid),
        lat=float(site.latitude),
        lon=float(site.longitude),
        company_id=str(company.uuid) if company else "",
        opening=_opening(site, clock, days),
    )


def _officers(officers: Iterable[Officer], clock: Clock, days: int) -> list[solver.Officer]:
    start, end = clock.at(-1440), clock.at((days + 1) * 1440)
    officers = list(officers)
    rows = Availability.objects.filter(officer__in=officers, start__lt=end, end__gt=start).order_by("start")
    shifts: dict[int, list[tuple[int, int]]] = defaultdict(list)
    absences: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for row in rows:
        window = (clock.minute(row.start), clock.minute(row.end))
        (shifts if row.kind == Availability.Kind.SHIFT else absences)[row.officer_id].append(window)
    out = []
    for o in officers:
        # A shift that an absence touches is not worked at all: simpler to explain than a cut one.
        usable = tuple(
            clip(
                (s for s in shifts[o.pk] if not any(a0 < s[1] and s[0] < a1 for a0, a1 in absences[o.pk])),
                days,
            )
        )
        out.append(
            solver.Officer(
                id=str(o.uuid),
                agency=o.agency.code,
                depot_id=o.unit.code,
                skills=frozenset(skill_code(s.code) for s in o.skills.all()),
                sex=o.sex,
                rank=o.rank,
                shifts=usable,
            )
        )
    return out


def _conflicts(officers: Iterable[Officer]) -> dict[str, set[str]]:
    by_pk = {o.pk: str(o.uuid) for o in officers}
    out: dict[str, set[str]] = defaultdict(set)
    # A withdrawn declaration (the tie has ended) is kept for the record and no longer honoured.
    standing = ConflictOfInterest.objects.filter(officer_id__in=by_pk, withdrawn_at__isnull=True)
    for c in standing.select_related("site", "company"):
        out[by_pk[c.officer_id]].add(str(c.site.uuid) if c.site_id else str(c.company.uuid))
    return out


def _last_visits(officers: Iterable[Officer], clock: Clock) -> dict[str, dict[str, int]]:
    """Each officer's latest past inspection per site (for rotation), from issued inspections."""
    by_pk = {o.pk: str(o.uuid) for o in officers}
    out: dict[str, dict[str, int]] = defaultdict(dict)
    rows = (
        Inspection.objects.filter(team__members__in=list(by_pk), planned_start__lt=clock.origin)
        .exclude(status=Inspection.Status.CANCELLED)
        .values_list("team__members", "site__uuid", "planned_start")
    )
    for officer_pk, site_uuid, start in rows:
        if officer_pk not in by_pk:
            continue
        minute = clock.minute(start)
        key = str(site_uuid)
        if minute > out[by_pk[officer_pk]].get(key, -(10**9)):
            out[by_pk[officer_pk]][key] = minute
    return out


def _depots(units: Iterable[Unit]) -> tuple[solver.Depot, ...]:
    return tuple(
        sorted(
            {
                u.code: solver.Depot(id=u.code, lat=float(u.latitude), lon=float(u.longitude)) for u in units
            }.values(),
            key=lambda d: d.id,
        )
    )


def _officer_queryset() -> Any:
    return (
        Officer.objects.select_related("agency", "unit")
        .prefetch_related("skills")
        .order_by("agency__code", "badge_number")
    )


def operation_officers(operation: Operation) -> Any:
    """The officers a joint operation plans with: the active officers of its agencies."""
    agencies = [*operation.agencies.all(), operation.lead_agency]
    return _officer_queryset().filter(agency__in=agencies, is_active=True)


def programme_officers(programme: Programme) -> Any:
    """The officers a routine programme plans with: its own list, else the agency's inspectors."""
    if programme.officers.exists():
        return _officer_queryset().filter(pk__in=programme.officers.values("pk"), is_active=True)
    return _officer_queryset().filter(agency=programme.agency, is_active=True, roles__role="inspector")


def operation_waves(operation: Operation, clock: Clock) -> tuple[solver.Wave, ...]:
    """The operation's waves as the solver sees them: minutes on ``clock``; one wave at the
    operation's start when it has none."""
    waves = tuple(solver.Wave(id=w.code, start=clock.minute(w.starts_at)) for w in operation.waves.all())
    return waves or (solver.Wave(id="W1", start=clock.minute(operation.starts_at)),)


def operation_night_spans(operation: Operation) -> tuple[Clock, tuple[solver.Night, ...], dict[str, int]]:
    """The operation's nights exactly as the solver and the checker group them
    (``JointOperation.nights``: its waves, split where they lie more than ``NIGHT_GAP`` apart),
    with the clock they are written on and each wave's start minute."""
    clock = operation_clock(operation)
    waves = operation_waves(operation, clock)
    joint = solver.JointOperation(
        waves=waves,
        depot_id="",
        start=clock.minute(operation.starts_at),
        end=clock.minute(operation.ends_at),
    )
    return clock, joint.nights, {w.id: w.start for w in waves}


def operation_problem(operation: Operation) -> tuple[solver.Problem, Clock]:
    """The joint operation as a solver problem: available officers of the participating
    agencies, the targets as visits, the waves and the team rule."""
    setup = operation.setup
    clock = operation_clock(operation)
    days = (timezone.localtime(operation.ends_at).date() - clock.first_day).days + 1
    officers = list(operation_officers(operation))
    targets = list(
        operation.targets.select_related("site__operator", "site__contractor", "wave").prefetch_related(
            Prefetch("site__opening_hours")
        )
    )
    op_start, op_end = clock.minute(operation.starts_at), clock.minute(operation.ends_at)
    waves = operation_waves(operation, clock)
    visits = tuple(
        solver.Visit(
            id=str(t.pk),
            site_id=str(t.site.uuid),
            earliest=op_start,
            latest=op_end,
            duration=setup.visit_minutes,
            priority=solver_priority(t.priority),
            team=solver.TeamRequirement(languages=frozenset(t.languages)),
            waves=frozenset({t.wave.code}) if t.wave_id else frozenset(),
        )
        for t in targets
    )
    rule = solver.TeamRequirement(
        agencies=frozenset(setup.required_agencies),
        skills=frozenset(skill_code(s) for s in setup.required_skills),
        female=setup.female_officer,
        min_leader_rank=setup.min_leader_rank,
    )
    problem = solver.Problem(
        depots=_depots([setup.muster_unit, *(o.unit for o in officers)]),
        sites=tuple({s.id: s for s in (_site(t.site, clock, days) for t in targets)}.values()),
        officers=tuple(_officers(officers, clock, days)),
        visits=visits,
        conflicts=_conflicts(officers),
        last_visits=_last_visits(officers, clock),
        rotation_gap_days=settings.SCHEDULER_ROTATION_DAYS,
        operation=solver.JointOperation(
            waves=waves,
            depot_id=setup.muster_unit.code,
            start=op_start,
            end=op_end,
            team_min_size=setup.team_min_size,
            team_max_size=setup.team_max_size,
            team_rule=rule,
            sync_tolerance=setup.sync_tolerance_minutes,
            arrive_before=settings.SCHEDULER_ARRIVE_BEFORE_MINUTES,
        ),
    )
    return problem, clock


def programme_problem(programme: Programme) -> tuple[solver.Problem, Clock, list[DueWork]]:
    """The routine programme as a solver problem: the agency's open due work over its dates."""
    clock = Clock(programme.start_date)
    days = (programme.end_date - programme.start_date).days + 1
    officers = list(programme_officers(programme))
    due = list(
        DueWork.objects.filter(
            agency=programme.agency,
            status=DueWork.Status.OPEN,
            earliest__lte=programme.end_date,
            latest__gte=programme.start_date,
        )
        .select_related("site__operator", "site__contractor")
        .prefetch_related("site__opening_hours")
        .order_by("latest", "priority", "pk")
    )
    horizon_end = days * 1440
    visits = tuple(
        solver.Visit(
            id=str(d.uuid),
            site_id=str(d.site.uuid),
            earliest=max(0, clock.day_start(d.earliest)),
            latest=min(horizon_end, clock.day_start(d.latest) + 1440),
            duration=ROUTINE_MINUTES.get(d.site.kind, 60),
            priority=solver_priority(d.priority),
            required_skills=frozenset({"labour-inspector"})
            if d.category in LABOUR_CATEGORIES
            else frozenset(),
        )
        for d in due
    )
    solver_officers = _officers(officers, clock, days)
    # Pairs within the agency, across its units when a unit has no partner on duty; an odd
    # officer makes a team of three (see scheduler.solver.pairs).
    crews = solver.pair_officers(solver_officers) if programme.work_in_pairs else ()
    problem = solver.Problem(
        depots=_depots(o.unit for o in officers),
        sites=tuple({s.id: s for s in (_site(d.site, clock, days) for d in due)}.values()),
        officers=tuple(solver_officers),
        visits=visits,
        conflicts=_conflicts(officers),
        last_visits=_last_visits(officers, clock),
        rotation_gap_days=settings.SCHEDULER_ROTATION_DAYS,
        crews=crews,
        work_in_pairs=programme.work_in_pairs,
    )
    return problem, clock, due


# --- Plans as JSON --------------------------------------------------------------------------------


def finite(value: Any) -> float | None:
    """A number JSON and the database accept: infinities and NaN (a search that found nothing)
    become None."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def plan_explained(problem: solver.Problem, plan: solver.Plan) -> solver.Plan:
    """The plan with every unplanned visit's reason computed by the checker for that visit."""
    return replace(plan, unplanned=solver.explain_unplanned(problem, plan))


def plan_to_json(plan: solver.Plan) -> dict[str, Any]:
    return {
        "routes": [
            {
                "officer_ids": list(r.officer_ids),
                "depot_id": r.depot_id,
                "departure": r.departure,
                "back": r.back,
                "team_id": r.team_id,
                "leader_id": r.leader_id,
                "stops": [asdict(s) for s in r.stops],
            }
            for r in plan.routes
        ],
        "unplanned": [asdict(u) for u in plan.unplanned],
        # Figures, and the lists of ids a figure was computed over (``bound_left_out``).
        "stats": {k: list(v) if isinstance(v, list | tuple) else finite(v) for k, v in plan.stats.items()},
    }


def plan_from_json(data: dict[str, Any]) -> solver.Plan:
    return solver.Plan(
        routes=tuple(
            solver.Route(
                officer_ids=tuple(r["officer_ids"]),
                depot_id=r["depot_id"],
                departure=r["departure"],
                back=r["back"],
                team_id=r.get("team_id", ""),
                leader_id=r.get("leader_id"),
                stops=tuple(solver.Stop(**s) for s in r["stops"]),
            )
            for r in data.get("routes", [])
        ),
        unplanned=tuple(solver.Unplanned(**u) for u in data.get("unplanned", [])),
        stats=data.get("stats", {}),
    )


def evaluation_to_json(evaluation: solver.Evaluation) -> dict[str, Any]:
    """The checker's verdict as stored with a plan, with the version of the rules that made it
    (``checker``): a verdict of another version is made again before anyone relies on it."""
    return {
        "checker": solver.CHECKER_VERSION,
        "feasible": evaluation.feasible,
        "violations": [asdict(v) for v in evaluation.violations],
        "warnings": [asdict(v) for v in evaluation.warnings],
        "objective": {
            k: finite(v) if isinstance(v, float) else v for k, v in asdict(evaluation.objective).items()
        },
    }
