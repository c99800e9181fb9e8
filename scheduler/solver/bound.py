"""A proven lower bound on a joint operation's objective: the LP relaxation of the wave model.

The objective ``plan_joint`` minimises (and ``stats["objective"]`` reports) is

    PRIORITY_WEIGHT × priority of targets left out + travel minutes + officers deployed.

No plan of the operation's model can cost less than the optimum of this linear programme, a
relaxation of every plan the solver may return:

* one network per session (night): nodes are the options ``(target, wave)`` (the target may
  be raided in the wave: allowed, open for its duration within ``[wave start, wave start +
  tolerance]``, reachable from the muster point and back inside the session); arcs go from
  the muster point to an option, from an option to one in a **later** wave of the session that
  the fastest travel still reaches before its latest start, and from an option back. A team
  is a path, so it raids at most one target per wave. Flow is continuous (0..1);
* a target is served at most once over all sessions (the flow into its options, summed);
* officers: a team that raids ``t`` first has at least ``max(team minimum, t's minimum)``
  members, so the flow leaving the muster point weighted by that size is at most the officers
  on duty in the session, and it is what "officers deployed" costs; in every wave the teams
  at work are disjoint, so the sizes of the targets served in it add up to at most the
  officers on duty, and for every "at least one member with ..." property (an agency, a skill
  or language, a female officer, a leader's rank) the targets needing it in one wave, and the
  teams (for the team rule), are at most the officers on duty holding it;
* travel is priced on the **fastest** travel time over the session, so the LP never
  over-charges a leg the real plan drives.

What the relaxation drops (so the bound is valid but may be loose): that flow is whole, that
one set of officers must hold all of a team's properties at once, conflicts of interest and
rotation, and the slower travel of busy hours. The LP is solved by OR-Tools' GLOP (a
dependency already); ``gap = (objective - bound) / objective``.
"""

from __future__ import annotations

import time
from bisect import bisect_right
from dataclasses import dataclass

import numpy as np
from ortools.linear_solver import pywraplp

from scheduler.solver.model import Plan, Problem, Visit
from scheduler.solver.travel import GeodesicTravel, TravelTimeProvider

PRIORITY_WEIGHT = 1000
NO_LEG = 10**9  # travel time of a leg that cannot arrive in time


@dataclass(frozen=True)
class Bound:
    """The LP's optimum (a lower bound on the objective), whether GLOP proved it, its size and
    the seconds it took."""

    value: float
    optimal: bool
    variables: int
    constraints: int
    seconds: float
    travel: float = 0.0  # the LP's travel minutes and officers (fractional), for diagnosis
    officers: float = 0.0


def start_range(problem: Problem, visit: Visit, wave_start: int, tolerance: int) -> tuple[int, int] | None:
    """Earliest and latest start of ``visit`` in a wave: inside ``[wave_start, wave_start +
    tolerance]``, its due window and one opening window; None when none."""
    site = problem.site_by_id[visit.site_id]
    windows = site.opening if site.opening is not None else ((visit.earliest, visit.latest),)
    spans = []
    for open_, close in windows:
        first = max(wave_start, visit.earliest, open_)
        last = min(wave_start + tolerance, close - visit.duration, visit.latest - visit.duration)
        if first <= last:
            spans.append((first, last))
    if not spans:
        return None
    return (min(a for a, _ in spans), max(b for _, b in spans))


def _props(req) -> list[tuple[str, object]]:
    props: list[tuple[str, object]] = [("agency", a) for a in sorted(req.agencies)]
    props += [("skill", s) for s in sorted(req.skills)]
    props += [("skill", f"lang:{x}") for x in sorted(req.languages)]
    if req.female:
        props.append(("female", True))
    if req.min_leader_rank is not None:
        props.append(("rank", req.min_leader_rank))
    return props


def _holds(officer, prop) -> bool:
    kind, value = prop
    if kind == "agency":
        return officer.agency == value
    if kind == "skill":
        return value in officer.skills
    if kind == "female":
        return officer.sex == "F"
    return officer.rank >= value  # type: ignore[operator]


class _Fastest:
    """Fastest travel times for departures in a span of minutes: one matrix per stretch of
    constant speed (exact for :class:`GeodesicTravel`, whose speed changes at band edges; other
    providers are sampled every ``step`` minutes), combined by elementwise minimum."""

    def __init__(self, provider: TravelTimeProvider, points, lo: int, hi: int, step: int = 30):
        samples = set(range(lo, hi + 1, step)) | {lo, hi}
        if isinstance(provider, GeodesicTravel):
            samples = set(range(lo, hi + 1))  # minute by minute: the speed is a cheap lookup
            speeds = [provider.speed(m) for m in sorted(samples)]
            minutes = sorted(samples)
            samples = {m for k, m in enumerate(minutes) if k == 0 or speeds[k] != speeds[k - 1]}
        self.starts = sorted(samples)
        self.matrices = [np.asarray(provider.matrix(points, m), dtype=np.int64) for m in self.starts]
        self._cache: dict[tuple[int, int], np.ndarray] = {}
        self._rows: dict[tuple[int, int, int], np.ndarray] = {}

    def arriving(self, source: int, depart: int, arrive: int) -> np.ndarray:
        """Fastest travel from point ``source`` to every point leaving at ``depart`` or later
        and arriving by ``arrive``: a leg that can only arrive in time by leaving before a
        faster stretch starts pays the slower stretch's time. ``NO_LEG`` where none arrives."""
        key = (source, depart, arrive)
        cached = self._rows.get(key)
        if cached is not None:
            return cached
        best = np.full(self.matrices[0].shape[1], NO_LEG, dtype=np.int64)
        first = max(0, bisect_right(self.starts, depart) - 1)
        for k in range(first, len(self.starts)):
            leave = max(self.starts[k], depart)
            if leave > arrive:
                break
            row = self.matrices[k][source]
            best = np.where(leave + row <= arrive, np.minimum(best, row), best)
        self._rows[key] = best
        return best

    def between(self, a: int, b: int) -> np.ndarray:
        i = max(0, bisect_right(self.starts, a) - 1)
        j = max(i, bisect_right(self.starts, b) - 1)
        if (i, j) not in self._cache:
            self._cache[i, j] = np.minimum.reduce(self.matrices[i : j + 1])
        return self._cache[i, j]


def joint_bound(problem: Problem, sessions, waves) -> Bound:
    """The LP bound of ``problem.operation`` planned over ``sessions`` (see ``joint._sessions``)
    of the sorted ``waves``."""
    t0 = time.perf_counter()
    op = problem.operation
    assert op is not None
    targets = [v for v in problem.visits if v.site_id in problem.site_by_id]
    depot = problem.depot_by_id[op.depot_id]
    points = [depot.point] + [problem.site_by_id[t.site_id].point for t in targets]
    prize = [PRIORITY_WEIGHT * max(1, t.priority) for t in targets]
    reqs = [t.requirement.merged(op.team_rule) for t in targets]
    size = [max(op.team_min_size, r.min_size) for r in reqs]
    needs = [_props(r) for r in reqs]
    rule = _props(op.team_rule)

    lp = pywraplp.Solver.CreateSolver("GLOP")
    inf = lp.infinity()
    objective = lp.Objective()
    served = [lp.Constraint(-inf, 1.0) for _ in targets]
    arcs: list[tuple[pywraplp.Variable, float]] = []  # (variable, travel minutes)
    nodes: list[tuple[pywraplp.Variable, int]] = []  # (variable, officers of a team it starts)

    def arc(travel: float, tail, head, *more: tuple[pywraplp.Constraint, float]) -> None:
        """A flow variable priced at ``travel``, leaving ``tail``'s row, entering ``head``'s."""
        var = lp.NumVar(0.0, inf, "")
        arcs.append((var, travel))
        objective.SetCoefficient(var, travel)
        if tail is not None:
            tail.SetCoefficient(var, 1.0)
        if head is not None:
            head.SetCoefficient(var, 1.0)
        for row, coef in more:
            row.SetCoefficient(var, coef)

    for session in sessions:
        fastest = _Fastest(problem.travel, points, session.lo, session.hi)
        avail = [
            o
            for o in problem.officers
            if any(a < session.hi and session.lo < b + problem.max_overtime for a, b in o.shifts)
        ]
        holders: dict[tuple[str, object], int] = {}

        def holding(prop, avail=avail, holders=holders) -> int:
            if prop not in holders:
                holders[prop] = sum(_holds(o, prop) for o in avail)
            return holders[prop]

        reach = fastest.between(session.lo, session.hi)
        options: dict[tuple[int, int], tuple[int, int]] = {}
        for ti, t in enumerate(targets):
            if size[ti] > op.team_max_size or any(holding(p) == 0 for p in needs[ti]):
                continue
            for wi in session.waves:
                w = waves[wi]
                if t.waves and w.id not in t.waves:
                    continue
                span = start_range(problem, t, w.start, op.sync_tolerance)
                if span is None:
                    continue
                first, last = span
                if session.lo + reach[0, ti + 1] > last or first + t.duration + reach[ti + 1, 0] > session.hi:
                    continue
                options[ti, wi] = (first, last)
        if not options:
            continue
        officers_row = lp.Constraint(-inf, float(len(avail)))
        rule_rows = [lp.Constraint(-inf, float(holding(p))) for p in rule]
        wave_officers = {wi: lp.Constraint(-inf, float(len(avail))) for wi in session.waves}
        wave_props: dict[tuple[int, tuple[str, object]], pywraplp.Constraint] = {}
        # y = flow into an option = flow out of it; the rows about targets and waves read y only.
        inflow, outflow = {}, {}
        for (ti, wi), (first, last) in options.items():
            y = lp.NumVar(0.0, 1.0, "")
            objective.SetCoefficient(y, -float(prize[ti]))
            inflow[ti, wi] = lp.Constraint(0.0, 0.0)
            outflow[ti, wi] = lp.Constraint(0.0, 0.0)
            inflow[ti, wi].SetCoefficient(y, -1.0)
            outflow[ti, wi].SetCoefficient(y, -1.0)
            served[ti].SetCoefficient(y, 1.0)
            wave_officers[wi].SetCoefficient(y, float(size[ti]))
            for p in needs[ti]:
                if (wi, p) not in wave_props:
                    wave_props[wi, p] = lp.Constraint(-inf, float(holding(p)))
                wave_props[wi, p].SetCoefficient(y, 1.0)
            nodes.append((y, 0))
            # From the muster point (a new team of at least size[ti] officers), and back.
            # Legs priced at the fastest time that still arrives in time (``arriving``).
            out_leg = fastest.arriving(0, session.lo, last)[ti + 1]
            if out_leg < NO_LEG:
                team = lp.NumVar(0.0, inf, "")
                nodes.append((team, size[ti]))
                objective.SetCoefficient(team, float(out_leg + size[ti]))
                inflow[ti, wi].SetCoefficient(team, 1.0)
                officers_row.SetCoefficient(team, float(size[ti]))
                for row in rule_rows:
                    row.SetCoefficient(team, 1.0)
                arcs.append((team, float(out_leg)))
            back_leg = fastest.arriving(ti + 1, first + targets[ti].duration, session.hi)[0]
            if back_leg < NO_LEG:
                arc(float(back_leg), outflow[ti, wi], None)
        by_wave: dict[int, list[int]] = {}
        for ti, wi in options:
            by_wave.setdefault(wi, []).append(ti)
        for wi in session.waves:
            for wj in session.waves:
                if waves[wj].start <= waves[wi].start or wj not in by_wave:
                    continue
                latest = waves[wj].start + op.sync_tolerance
                for ti in by_wave.get(wi, []):
                    done = options[ti, wi][0] + targets[ti].duration
                    leg = fastest.arriving(ti + 1, done, latest)
                    for tj in by_wave[wj]:
                        if tj != ti and done + leg[tj + 1] <= options[tj, wj][1]:
                            # Arriving by the wave's latest start; a target that starts earlier
                            # in the tolerance needs the leg sooner, so this never overcharges.
                            arc(float(leg[tj + 1]), outflow[ti, wi], inflow[tj, wj])

    objective.SetMinimization()
    status = lp.Solve()
    constant = float(sum(prize))
    optimal = status == pywraplp.Solver.OPTIMAL
    # Without a proven optimum the LP proves nothing beyond the trivial bound 0.
    value = max(0.0, constant + objective.Value()) if optimal else 0.0
    travel = sum(v.solution_value() * c for v, c in arcs) if optimal else 0.0
    officers = sum(v.solution_value() * c for v, c in nodes) if optimal else 0.0
    return Bound(
        value, optimal, lp.NumVariables(), lp.NumConstraints(), time.perf_counter() - t0, travel, officers
    )


def joint_objective(problem: Problem, plan: Plan) -> float:
    """The objective the bound bounds, of any plan (a solver's or one a planner edited): the
    priority of targets left out × PRIORITY_WEIGHT, travel minutes at each leg's departure,
    officers deployed."""
    planned = plan.planned_visit_ids()
    total = sum(
        PRIORITY_WEIGHT * max(1, v.priority)
        for v in problem.visits
        if v.id not in planned and v.site_id in problem.site_by_id
    )
    for route in plan.routes:
        depot = problem.depot_by_id[route.depot_id].point
        where, now = depot, route.departure
        for stop in route.stops:
            point = problem.site_by_id[problem.visit_by_id[stop.visit_id].site_id].point
            total += problem.travel.minutes(where, point, now)
            where, now = point, stop.end
        total += problem.travel.minutes(where, depot, now) + len(route.officer_ids)
    return float(total)


def gap(objective: float, bound: float) -> float:
    """Relative distance of a plan's objective to the bound (0 = proven optimal)."""
    if objective <= 0:
        return 0.0
    return max(0.0, (objective - bound) / objective)


__all__ = ["Bound", "gap", "joint_bound", "joint_objective", "start_range"]
