"""The evaluator: checks a plan against its problem and prices it.

It is the test oracle of the solvers, so it shares no code with them: it reads the plan's
stated times and recomputes everything else from the problem (travel times from the problem's
provider at each leg's departure minute). It reports every broken constraint, not just the
first, each with a stable code:

==========================  ===========================================================
code                        meaning
==========================  ===========================================================
visit_unknown               a stop names a visit that is not in the problem
visit_duplicated            a visit appears in more than one stop (or is also unplanned)
visit_outside_window        the visit does not lie inside its due window
site_closed                 the visit does not lie inside one opening window of the site
schedule_inconsistent       end != start + duration, start before arrival, back before departure
travel_infeasible           arrival earlier than the travel time allows
officer_unknown             a route names an officer who is not in the problem
officer_unavailable         no shift of the officer overlaps the route
shift_exceeded              the route overlaps a shift but leaves early or returns after its
                            end (+ allowed overtime), or leaves the operation's window
officer_double_booked       one officer on two overlapping routes, or in two joint teams
                            within one shift (a multi-night operation may regroup them)
team_makeup_missing         the team lacks size, agency, skill, language, female officer or
                            leader rank needed by the visit or by the operation's team rule
conflict_of_interest        an officer inspects a site or company they are conflicted with
rotation_violated           an officer revisits a site within the rotation gap
wave_invalid                a joint target without a wave, in an unknown or disallowed wave
wave_desynchronised         targets of one wave start further apart than the tolerance, or
                            outside [wave start, wave start + tolerance]
wrong_depot                 a route starts from a depot that is not its officers' (or the
                            operation's muster point)
==========================  ===========================================================
"""

from __future__ import annotations

import itertools
import statistics
from collections import defaultdict
from dataclasses import dataclass

from scheduler.solver.model import Plan, Problem, Route

# Weights of the scalar objective (lower is better). A missed priority point outweighs any
# realistic amount of travel; every violation outweighs everything.
WEIGHT_PRIORITY_MISSED = 1000.0
WEIGHT_TRAVEL = 1.0
WEIGHT_WAITING = 0.1
WEIGHT_OVERTIME = 2.0
WEIGHT_FAIRNESS = 0.5
WEIGHT_VIOLATION = 1_000_000.0


@dataclass(frozen=True)
class Violation:
    code: str
    detail: str
    visit_id: str | None = None
    officer_id: str | None = None
    route_index: int | None = None


@dataclass(frozen=True)
class Objective:
    visits_covered: int
    visits_missed: int
    priority_covered: int
    priority_missed: int
    travel_minutes: int
    waiting_minutes: int
    overtime_minutes: int
    workload_min: int
    workload_max: int
    workload_range: int
    workload_std: float
    scalar: float


@dataclass(frozen=True)
class Evaluation:
    violations: tuple[Violation, ...]
    objective: Objective

    @property
    def feasible(self) -> bool:
        return not self.violations

    def codes(self) -> set[str]:
        return {v.code for v in self.violations}


def _team_unmet(members, req) -> list[str]:
    """Make-up check written independently of ``TeamRequirement.unmet`` (oracle)."""
    out = []
    n = len(members)
    if n < req.min_size or (req.max_size is not None and n > req.max_size):
        out.append(f"size {n} not in [{req.min_size}, {req.max_size}]")
    for agency in req.agencies:
        if all(m.agency != agency for m in members):
            out.append(f"no officer of {agency}")
    for skill in req.skills:
        if all(skill not in m.skills for m in members):
            out.append(f"no officer with {skill}")
    for lang in req.languages:
        if all(f"lang:{lang}" not in m.skills for m in members):
            out.append(f"no interpreter for {lang}")
    if req.female and all(m.sex != "F" for m in members):
        out.append("no female officer")
    if req.min_leader_rank is not None and all(m.rank < req.min_leader_rank for m in members):
        out.append(f"leader rank below {req.min_leader_rank}")
    return out


def evaluate(problem: Problem, plan: Plan) -> Evaluation:
    """Check ``plan`` against ``problem``; return every violation and the objective breakdown."""
    out: list[Violation] = []
    travel = problem.travel
    op = problem.operation
    waves = {w.id: w for w in op.waves} if op else {}
    stops_by_visit: dict[str, int] = defaultdict(int)
    wave_starts: dict[str, list[int]] = defaultdict(list)
    busy: dict[str, list[tuple[int, int, int, str, int]]] = defaultdict(list)
    workload: dict[str, int] = defaultdict(int)
    total_travel = total_wait = total_overtime = 0

    for ri, route in enumerate(plan.routes):
        members = []
        for oid in route.officer_ids:
            officer = problem.officer_by_id.get(oid)
            if officer is None:
                out.append(Violation("officer_unknown", f"officer {oid}", officer_id=oid, route_index=ri))
            else:
                members.append(officer)
        depot = problem.depot_by_id.get(route.depot_id)
        if depot is None:
            out.append(Violation("wrong_depot", f"unknown depot {route.depot_id}", route_index=ri))
            continue
        if op is not None and route.depot_id != op.depot_id:
            out.append(
                Violation(
                    "wrong_depot", f"team starts at {route.depot_id}, not {op.depot_id}", route_index=ri
                )
            )
        if op is None and members and route.depot_id not in {m.depot_id for m in members}:
            out.append(Violation("wrong_depot", f"{route.depot_id} is no member's depot", route_index=ri))
        if route.back < route.departure:
            out.append(Violation("schedule_inconsistent", "back before departure", route_index=ri))

        # Shifts.
        for m in members:
            ok = [
                s for s in m.shifts if s[0] <= route.departure and route.back <= s[1] + problem.max_overtime
            ]
            # The shift the route belongs to (-1: none), so joint teams are checked per shift.
            shift_no = next((i for i, s in enumerate(m.shifts) if s in ok), -1)
            if ok:
                total_overtime += max(0, route.back - min(s[1] for s in ok))
            elif any(s[0] < route.back and route.departure < s[1] for s in m.shifts):
                out.append(
                    Violation(
                        "shift_exceeded",
                        f"route {route.departure}-{route.back} outside shift",
                        officer_id=m.id,
                        route_index=ri,
                    )
                )
            else:
                out.append(
                    Violation(
                        "officer_unavailable",
                        f"no shift at {route.departure}-{route.back}",
                        officer_id=m.id,
                        route_index=ri,
                    )
                )
            busy[m.id].append((route.departure, route.back, ri, route.team_id, shift_no))
        if op is not None and (route.departure < op.start or route.back > op.end):
            out.append(Violation("shift_exceeded", "route outside the operation window", route_index=ri))

        # Team make-up rules of the operation.
        if op is not None:
            rule = op.team_rule
            for miss in _team_unmet(members, rule):
                out.append(Violation("team_makeup_missing", f"team rule: {miss}", route_index=ri))
            n = len(members)
            if not op.team_min_size <= n <= op.team_max_size:
                out.append(
                    Violation(
                        "team_makeup_missing",
                        f"team size {n} not in [{op.team_min_size}, {op.team_max_size}]",
                        route_index=ri,
                    )
                )

        where, now = depot.point, route.departure
        for stop in route.stops:
            stops_by_visit[stop.visit_id] += 1
            visit = problem.visit_by_id.get(stop.visit_id)
            if visit is None or visit.site_id not in problem.site_by_id:
                out.append(
                    Violation("visit_unknown", f"visit {stop.visit_id}", stop.visit_id, route_index=ri)
                )
                continue
            site = problem.site_by_id[visit.site_id]
            leg = travel.minutes(where, site.point, now)
            total_travel += leg
            for m in members:
                workload[m.id] += leg + visit.duration
            if stop.arrival < now + leg:
                out.append(
                    Violation(
                        "travel_infeasible",
                        f"arrival {stop.arrival} < {now} + {leg}",
                        visit.id,
                        route_index=ri,
                    )
                )
            if stop.start < stop.arrival or stop.end != stop.start + visit.duration:
                out.append(
                    Violation(
                        "schedule_inconsistent",
                        f"arrival {stop.arrival} start {stop.start} end {stop.end}",
                        visit.id,
                        route_index=ri,
                    )
                )
            total_wait += max(0, stop.start - stop.arrival)
            if stop.start < visit.earliest or stop.end > visit.latest:
                out.append(
                    Violation(
                        "visit_outside_window",
                        f"{stop.start}-{stop.end} not in [{visit.earliest}, {visit.latest}]",
                        visit.id,
                        route_index=ri,
                    )
                )
            if site.opening is not None and not any(
                o <= stop.start and stop.end <= c for o, c in site.opening
            ):
                out.append(
                    Violation(
                        "site_closed",
                        f"{site.id} closed during {stop.start}-{stop.end}",
                        visit.id,
                        route_index=ri,
                    )
                )
            required = visit.team
            for miss in _team_unmet(members, required):
                out.append(Violation("team_makeup_missing", miss, visit.id, route_index=ri))
            for skill in sorted(visit.required_skills - required.skills):
                if all(skill not in m.skills for m in members):
                    out.append(
                        Violation("team_makeup_missing", f"no officer with {skill}", visit.id, route_index=ri)
                    )
            for m in members:
                banned = problem.conflicts.get(m.id, frozenset())
                if site.id in banned or (site.company_id and site.company_id in banned):
                    out.append(
                        Violation(
                            "conflict_of_interest", f"{m.id} conflicted with {site.id}", visit.id, m.id, ri
                        )
                    )
                last = problem.last_visits.get(m.id, {}).get(site.id)
                if last is not None and stop.start - last < problem.rotation_gap_days * 1440:
                    out.append(
                        Violation(
                            "rotation_violated",
                            f"{m.id} was at {site.id} at {last}, again at {stop.start}",
                            visit.id,
                            m.id,
                            ri,
                        )
                    )
            if op is not None:
                wave = waves.get(stop.wave_id or "")
                if wave is None or (visit.waves and wave.id not in visit.waves):
                    out.append(Violation("wave_invalid", f"wave {stop.wave_id!r}", visit.id, route_index=ri))
                else:
                    wave_starts[wave.id].append(stop.start)
                    if not wave.start <= stop.start <= wave.start + op.sync_tolerance:
                        out.append(
                            Violation(
                                "wave_desynchronised",
                                f"starts {stop.start}, wave {wave.id} at {wave.start}",
                                visit.id,
                                route_index=ri,
                            )
                        )
            where, now = site.point, stop.end
        leg = travel.minutes(where, depot.point, now)
        total_travel += leg
        for m in members:
            workload[m.id] += leg
        if route.back < now + leg:
            out.append(Violation("travel_infeasible", f"back {route.back} < {now} + {leg}", route_index=ri))

    for vid, n in stops_by_visit.items():
        if n > 1:
            out.append(Violation("visit_duplicated", f"{vid} planned {n} times", vid))
    planned = set(stops_by_visit)
    for u in plan.unplanned:
        if u.visit_id in planned:
            out.append(Violation("visit_duplicated", f"{u.visit_id} both planned and unplanned", u.visit_id))

    for oid, spans in busy.items():
        spans.sort()
        teams_by_shift: dict[int, set[str]] = defaultdict(set)
        for *_, team, shift_no in spans:
            if team:
                teams_by_shift[shift_no].add(team)
        for teams in teams_by_shift.values():
            if op is not None and len(teams) > 1:
                out.append(
                    Violation("officer_double_booked", f"{oid} in teams {sorted(teams)}", officer_id=oid)
                )
        for (_s1, e1, r1, *_), (s2, _e2, r2, *_) in itertools.pairwise(spans):
            if s2 < e1:
                out.append(
                    Violation("officer_double_booked", f"{oid} on routes {r1} and {r2}", officer_id=oid)
                )

    if op is not None:
        for wid, starts in wave_starts.items():
            if max(starts) - min(starts) > op.sync_tolerance:
                out.append(
                    Violation("wave_desynchronised", f"wave {wid} starts spread {min(starts)}-{max(starts)}")
                )

    covered = [v for v in problem.visits if v.id in planned]
    missed = [v for v in problem.visits if v.id not in planned]
    loads = [workload.get(o.id, 0) for o in problem.officers if o.shifts]
    prio_missed = sum(v.priority for v in missed)
    w_range = (max(loads) - min(loads)) if loads else 0
    scalar = (
        WEIGHT_PRIORITY_MISSED * prio_missed
        + WEIGHT_TRAVEL * total_travel
        + WEIGHT_WAITING * total_wait
        + WEIGHT_OVERTIME * total_overtime
        + WEIGHT_FAIRNESS * w_range
        + WEIGHT_VIOLATION * len(out)
    )
    objective = Objective(
        visits_covered=len(covered),
        visits_missed=len(missed),
        priority_covered=sum(v.priority for v in covered),
        priority_missed=prio_missed,
        travel_minutes=total_travel,
        waiting_minutes=total_wait,
        overtime_minutes=total_overtime,
        workload_min=min(loads) if loads else 0,
        workload_max=max(loads) if loads else 0,
        workload_range=w_range,
        workload_std=statistics.pstdev(loads) if loads else 0.0,
        scalar=scalar,
    )
    return Evaluation(tuple(out), objective)


def route_summary(route: Route) -> str:
    """One line describing a route, for logs and benchmark output."""
    stops = " ".join(f"{s.visit_id}@{s.start}" for s in route.stops)
    return f"{'+'.join(route.officer_ids)} day {route.day} {route.departure}-{route.back}: {stops}"
