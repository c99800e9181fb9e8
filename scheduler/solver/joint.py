"""Joint operation: form multi-agency teams and give each team one target per wave (CP-SAT).

One CP-SAT model decides at once who is in which team, which targets are raided in which
wave, and by which team:

* ``x[o,k]``: officer ``o`` is in team slot ``k`` (each officer in at most one team);
  ``z[t,w,k]``: team ``k`` raids target ``t`` in wave ``w`` (each target at most once, each
  team at most one target per wave);
* every active team meets the size bounds and the operation's team rule; a team raiding a
  target also meets that target's make-up (skills, agencies, female officer, interpreter for
  the languages, leader rank, size) and has no member with a conflict of interest with it or
  still inside a rotation gap;
* a target's start in wave ``w`` is fixed before solving: the first minute in
  ``[wave start, wave start + tolerance]`` that its due window and opening hours allow, so
  every wave is synchronised by construction. A (target, wave) option exists only when the
  team can reach it from the muster depot in time and still be back by the operation's end;
* a team's active waves are contiguous; between consecutive waves its next target must be
  reachable in time, and travel is priced as depot round trips minus the saving of chaining
  two targets (savings are modelled for each target's nearest candidates only);
* the objective: priority of targets left out (dominant), then travel minutes, then one
  minute per officer deployed (no larger teams than needed).

Travel uses the slowest travel time over the operation's span, so the real times re-computed
afterwards are never later. Team slots are symmetric; slot ``k`` is used only if ``k-1`` is.
"""

from __future__ import annotations

import threading
import time
from dataclasses import replace
from itertools import combinations, pairwise

from ortools.sat.python import cp_model

from scheduler.solver import model as m
from scheduler.solver.control import Progress, ShouldStop, SolveOptions, report
from scheduler.solver.model import Officer, Plan, Problem, Route, TeamRequirement, Unplanned, Visit
from scheduler.solver.schedule import time_route
from scheduler.solver.travel import max_matrix

PRIORITY_WEIGHT = 1000
NEAREST_PAIRS = 8
INTERLEAVED_WORKERS = 6


def _properties(req: TeamRequirement) -> list[tuple[str, object]]:
    """The "at least one member with ..." parts of a requirement, as (kind, value) pairs."""
    props: list[tuple[str, object]] = [("agency", a) for a in sorted(req.agencies)]
    props += [("skill", s) for s in sorted(req.skills)]
    props += [("skill", f"lang:{x}") for x in sorted(req.languages)]
    if req.female:
        props.append(("female", True))
    if req.min_leader_rank is not None:
        props.append(("rank", req.min_leader_rank))
    return props


def _has(o: Officer, prop: tuple[str, object]) -> bool:
    kind, value = prop
    if kind == "agency":
        return o.agency == value
    if kind == "skill":
        return value in o.skills
    if kind == "female":
        return o.sex == "F"
    return o.rank >= value  # type: ignore[operator]


def _start_in_wave(problem: Problem, visit: Visit, wave_start: int, tolerance: int) -> int | None:
    site = problem.site_by_id[visit.site_id]
    windows = (
        site.opening if site.opening is not None else ((wave_start, wave_start + tolerance + visit.duration),)
    )
    best = None
    for open_, close in windows:
        start = max(wave_start, visit.earliest, open_)
        if start <= wave_start + tolerance and start + visit.duration <= min(close, visit.latest):
            best = start if best is None else min(best, start)
    return best


class _Watch(cp_model.CpSolverSolutionCallback):
    def __init__(self, progress: Progress | None, time_limit: float):
        super().__init__()
        self.progress = progress
        self.time_limit = time_limit
        self.t0 = time.perf_counter()
        self.solutions = 0

    def on_solution_callback(self) -> None:
        self.solutions += 1
        if self.progress is not None:
            frac = 0.1 + 0.8 * min(1.0, (time.perf_counter() - self.t0) / max(self.time_limit, 1e-9))
            self.progress(frac, float(self.ObjectiveValue()))


def plan_joint(
    problem: Problem,
    *,
    options: SolveOptions | None = None,
    progress: Progress | None = None,
    should_stop: ShouldStop | None = None,
) -> Plan:
    """Plan the joint operation ``problem.operation``; see the module docstring for the model."""
    op = problem.operation
    if op is None:
        raise ValueError("problem.operation is required for a joint operation")
    options = options or SolveOptions()
    t0 = time.perf_counter()
    report(progress, 0.0, None)
    waves = sorted(op.waves, key=lambda w: (w.start, w.id))
    targets = [v for v in problem.visits if v.site_id in problem.site_by_id]
    unplanned = [
        Unplanned(v.id, m.REASON_UNKNOWN_SITE) for v in problem.visits if v.site_id not in problem.site_by_id
    ]
    avail = [o for o in problem.officers if o.shift_covering(op.start, op.end) is not None]

    depot = problem.depot_by_id[op.depot_id]
    points = [depot.point] + [problem.site_by_id[t.site_id].point for t in targets]
    T = max_matrix(problem.travel, points, op.start, op.end)  # index 0 = depot, i+1 = targets[i]

    # Options (target, wave) with their fixed start.
    start: dict[tuple[int, int], int] = {}
    for ti, t in enumerate(targets):
        for wi, w in enumerate(waves):
            if t.waves and w.id not in t.waves:
                continue
            s = _start_in_wave(problem, t, w.start, op.sync_tolerance)
            if s is None or op.start + T[0, ti + 1] > s or s + t.duration + T[ti + 1, 0] > op.end:
                continue
            start[ti, wi] = s

    # Who may raid what: make-up is a team property, conflicts and rotation are per officer.
    pool_ok = {
        ti: not replace(t.requirement.merged(op.team_rule), min_size=1, max_size=None).unmet(avail)
        for ti, t in enumerate(targets)
    }
    blocked = set()
    for ti, t in enumerate(targets):
        starts = [s for (tj, _), s in start.items() if tj == ti]
        for oi, o in enumerate(avail):
            if problem.conflicted(o.id, t) or (
                starts and problem.rotation_blocks(o.id, t.site_id, min(starts))
            ):
                blocked.add((oi, ti))

    n_slots = min(len(targets), len(avail) // max(1, op.team_min_size))
    if n_slots == 0 or not start or (should_stop is not None and should_stop()):
        return _finish(problem, targets, [], start, waves, unplanned, pool_ok, t0, {}, progress)

    mdl = cp_model.CpModel()
    K = range(n_slots)
    x = {(oi, k): mdl.new_bool_var(f"x{oi}_{k}") for oi in range(len(avail)) for k in K}
    active = [mdl.new_bool_var(f"a{k}") for k in K]
    z = {(ti, wi, k): mdl.new_bool_var(f"z{ti}_{wi}_{k}") for (ti, wi) in start for k in K}

    for oi in range(len(avail)):
        mdl.add_at_most_one(x[oi, k] for k in K)
    served = {}
    for ti in range(len(targets)):
        vars_t = [z[key] for key in z if key[0] == ti]
        served[ti] = sum(vars_t)
        mdl.add(served[ti] <= 1)
    act = {}
    for k in K:
        size = sum(x[oi, k] for oi in range(len(avail)))
        mdl.add(size >= op.team_min_size * active[k])
        mdl.add(size <= op.team_max_size * active[k])
        for prop in _properties(op.team_rule):
            mdl.add(sum(x[oi, k] for oi, o in enumerate(avail) if _has(o, prop)) >= active[k])
        for wi in range(len(waves)):
            act[k, wi] = mdl.new_bool_var(f"act{k}_{wi}")
            mdl.add(sum(z[ti, wi, k] for (ti, wj) in start if wj == wi) == act[k, wi])
            mdl.add_implication(act[k, wi], active[k])
        mdl.add(sum(act[k, wi] for wi in range(len(waves))) >= active[k])
        for i, j, c in combinations(range(len(waves)), 3):
            mdl.add(act[k, i] + act[k, c] - 1 <= act[k, j])
        if k > 0:
            mdl.add(active[k] <= active[k - 1])
        for ti, t in enumerate(targets):
            y = sum(z[ti, wi, k] for (tj, wi) in start if tj == ti)
            if isinstance(y, int):
                continue
            req = t.requirement
            for prop in _properties(req):
                mdl.add(sum(x[oi, k] for oi, o in enumerate(avail) if _has(o, prop)) >= y)
            if req.min_size > op.team_min_size:
                mdl.add(size >= req.min_size * y)
            if req.max_size is not None and req.max_size < op.team_max_size:
                mdl.add(size <= req.max_size + op.team_max_size * (1 - y))
            for oi in range(len(avail)):
                if (oi, ti) in blocked:
                    mdl.add(x[oi, k] + y <= 1)

    # Consecutive waves: feasibility and chaining savings.
    travel_terms = []
    pair_vars = []
    for ti, wi in start:
        for k in K:
            travel_terms.append(int(T[0, ti + 1] + T[ti + 1, 0]) * z[ti, wi, k])
    for wi in range(len(waves) - 1):
        here = [ti for (ti, wj) in start if wj == wi]
        there = [ti for (ti, wj) in start if wj == wi + 1]
        for ti in here:
            end_t = start[ti, wi] + targets[ti].duration
            feasible = [tj for tj in there if tj != ti and end_t + T[ti + 1, tj + 1] <= start[tj, wi + 1]]
            for tj in there:
                if tj not in feasible:
                    for k in K:
                        mdl.add_bool_or([z[ti, wi, k].Not(), z[tj, wi + 1, k].Not()])
            feasible.sort(key=lambda tj: (T[ti + 1, tj + 1], tj))
            for tj in feasible[:NEAREST_PAIRS]:
                saving = int(T[ti + 1, tj + 1] - T[ti + 1, 0] - T[0, tj + 1])
                if saving >= 0:
                    continue
                for k in K:
                    p = mdl.new_bool_var(f"p{ti}_{tj}_{wi}_{k}")
                    pair_vars.append((p, (ti, tj, wi, k)))
                    mdl.add_implication(p, z[ti, wi, k])
                    mdl.add_implication(p, z[tj, wi + 1, k])
                    travel_terms.append(saving * p)

    missed = sum(PRIORITY_WEIGHT * max(1, t.priority) * (1 - served[ti]) for ti, t in enumerate(targets))
    mdl.minimize(missed + sum(travel_terms) + sum(x.values()))

    greedy = _greedy(problem, targets, waves, avail, start, blocked, T, n_slots)
    for k in K:
        members, jobs = greedy[k] if k < len(greedy) else ([], [])
        mdl.add_hint(active[k], bool(jobs))
        for oi in range(len(avail)):
            mdl.add_hint(x[oi, k], oi in members)
        for wi in range(len(waves)):
            mdl.add_hint(act[k, wi], any(wj == wi for _, wj in jobs))
        for key in start:
            mdl.add_hint(z[key[0], key[1], k], key in jobs)
    for var, (ti, tj, wi, k) in pair_vars:
        members, jobs = greedy[k] if k < len(greedy) else ([], [])
        mdl.add_hint(var, (ti, wi) in jobs and (tj, wi + 1) in jobs)

    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = options.time_limit
    if options.workers <= 1:
        # Several search strategies (incl. LNS) interleaved in one thread: reproducible, and far
        # better than the single default search on these models.
        solver.parameters.interleave_search = True
        solver.parameters.num_workers = INTERLEAVED_WORKERS
    else:
        solver.parameters.num_workers = options.workers
    solver.parameters.random_seed = options.seed
    if options.deterministic_time is not None:
        solver.parameters.max_deterministic_time = options.deterministic_time
    watch = _Watch(progress, options.time_limit)
    done = threading.Event()
    cancelled = threading.Event()

    def watchdog() -> None:
        while not done.wait(0.05):
            if should_stop is not None and should_stop():
                cancelled.set()
                solver.stop_search()
                return

    thread = threading.Thread(target=watchdog, daemon=True)
    report(progress, 0.1, None)
    thread.start()
    try:
        status = solver.solve(mdl, watch)
    finally:
        done.set()
        thread.join()

    teams: list[tuple[int, list[Officer], list[tuple[int, int]]]] = []
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        for k in K:
            if not solver.boolean_value(active[k]):
                continue
            members = [o for oi, o in enumerate(avail) if solver.boolean_value(x[oi, k])]
            jobs = sorted(
                ((ti, wi) for (ti, wi) in start if solver.boolean_value(z[ti, wi, k])),
                key=lambda tw: waves[tw[1]].start,
            )
            if jobs:
                teams.append((k, members, jobs))
    stats = {
        "status": float(status),
        "optimal": float(status == cp_model.OPTIMAL),
        "objective": solver.objective_value
        if status in (cp_model.OPTIMAL, cp_model.FEASIBLE)
        else float("inf"),
        "bound": solver.best_objective_bound,
        "solutions": float(watch.solutions),
        "cancelled": float(cancelled.is_set()),
        "teams": float(len(teams)),
        "slots": float(n_slots),
        "officers_available": float(len(avail)),
    }
    return _finish(problem, targets, teams, start, waves, unplanned, pool_ok, t0, stats, progress)


def _finish(problem, targets, teams, start, waves, unplanned, pool_ok, t0, stats, progress) -> Plan:
    op = problem.operation
    routes: list[Route] = []
    planned: set[str] = set()
    for n, (_, members, jobs) in enumerate(teams, start=1):
        visits = [targets[ti] for ti, _ in jobs]
        wave_of = {targets[ti].id: waves[wi].id for ti, wi in jobs}
        not_before = {targets[ti].id: start[ti, wi] for ti, wi in jobs}
        not_after = {targets[ti].id: waves[wi].start + op.sync_tolerance for ti, wi in jobs}
        leader = max(members, key=lambda o: (o.rank, o.id))
        route = time_route(
            problem,
            members,
            op.depot_id,
            visits,
            op.start,
            latest_back=op.end,
            not_before=not_before,
            not_after=not_after,
            wave_of=wave_of,
            team_id=f"T{n:02d}",
            leader_id=leader.id,
        )
        if route is not None:
            routes.append(route)
            planned.update(wave_of)
    for ti, t in enumerate(targets):
        if t.id in planned:
            continue
        if not any(tj == ti for tj, _ in start):
            unplanned.append(Unplanned(t.id, m.REASON_NO_WAVE))
        elif not pool_ok[ti]:
            unplanned.append(Unplanned(t.id, m.REASON_NO_QUALIFIED_OFFICER))
        else:
            reason = m.REASON_CANCELLED if stats.get("cancelled") and not routes else m.REASON_NO_CAPACITY
            unplanned.append(Unplanned(t.id, reason))
    stats = dict(stats)
    stats["runtime"] = time.perf_counter() - t0
    report(progress, 1.0, stats.get("objective"))
    return Plan(tuple(routes), tuple(unplanned), stats)


def _greedy(problem, targets, waves, avail, start, blocked, T, n_slots):
    """A quick feasible answer to hint CP-SAT: waves, then chains, then staffing.

    Targets by priority go to their least-loaded wave; each wave's targets extend the chain whose
    last target is nearest (and reachable in time); each chain is staffed greedily, the officers
    holding the rarest skills kept for the chains that need them. Returns [(members, jobs)].
    """
    op = problem.operation
    load = [0] * len(waves)
    wave_of: dict[int, int] = {}
    order = sorted(range(len(targets)), key=lambda ti: (-targets[ti].priority, targets[ti].id))
    for ti in order:
        options = [wi for (tj, wi) in start if tj == ti and load[wi] < n_slots]
        if options:
            wi = min(options, key=lambda w: (load[w], w))
            wave_of[ti] = wi
            load[wi] += 1
    chains: list[list[tuple[int, int]]] = []
    for wi in range(len(waves)):
        for ti in sorted((t for t, w in wave_of.items() if w == wi), key=lambda t: (-targets[t].priority, t)):
            best = None
            for chain in chains:
                tl, wl = chain[-1]
                if wl != wi - 1:
                    continue
                if start[tl, wl] + targets[tl].duration + T[tl + 1, ti + 1] > start[ti, wi]:
                    continue
                if best is None or T[tl + 1, ti + 1] < T[best[-1][0] + 1, ti + 1]:
                    best = chain
            if best is not None:
                best.append((ti, wi))
            elif len(chains) < n_slots:
                chains.append([(ti, wi)])
    # Rarity of each property among available officers: scarce holders are kept for need.
    holders: dict[tuple[str, object], int] = {}
    every = {p for t in targets for p in _properties(t.requirement)} | set(_properties(op.team_rule))
    for prop in every:
        holders[prop] = sum(_has(o, prop) for o in avail)
    value = [sum(1.0 / max(1, holders[p]) for p in every if _has(o, p)) for o in avail]
    used: set[int] = set()
    result = []
    chains.sort(key=lambda c: -sum(targets[ti].priority for ti, _ in c))
    for chain in chains:
        jobs = list(chain)
        while jobs:
            members = _staff(targets, jobs, avail, used, blocked, value, op)
            if members is not None:
                used.update(members)
                result.append((set(members), jobs))
                break
            jobs = sorted(jobs, key=lambda j: -targets[j[0]].priority)[:-1]
            jobs.sort(key=lambda j: j[1])
            # Dropping a middle wave would leave a gap; keep only a contiguous run.
            while len(jobs) > 1 and any(b[1] != a[1] + 1 for a, b in pairwise(jobs)):
                jobs = jobs[:-1]
            if jobs and any(
                start[b[0], b[1]] < start[a[0], a[1]] + targets[a[0]].duration + T[a[0] + 1, b[0] + 1]
                for a, b in pairwise(jobs)
            ):
                jobs = jobs[:1]
    return result


def _staff(targets, jobs, avail, used, blocked, value, op):
    req = op.team_rule
    for ti, _ in jobs:
        req = req.merged(targets[ti].requirement)
    free = [
        oi for oi in range(len(avail)) if oi not in used and all((oi, ti) not in blocked for ti, _ in jobs)
    ]
    need = list(_properties(req))
    members: list[int] = []
    while need:
        cands = [oi for oi in free if oi not in members and any(_has(avail[oi], p) for p in need)]
        if not cands:
            return None
        best = max(cands, key=lambda oi: (sum(_has(avail[oi], p) for p in need), -value[oi], -oi))
        members.append(best)
        need = [p for p in need if not _has(avail[best], p)]
    size_min = max(op.team_min_size, req.min_size)
    size_max = min(op.team_max_size, req.max_size if req.max_size is not None else op.team_max_size)
    for oi in sorted(free, key=lambda oi: (value[oi], oi)):
        if len(members) >= size_min:
            break
        if oi not in members:
            members.append(oi)
    if not size_min <= len(members) <= size_max:
        return None
    return members
