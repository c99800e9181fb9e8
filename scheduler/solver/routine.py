"""Routine programme: assign due visits to officers (or fixed crews) and route each shift.

The whole horizon is one prize-collecting VRPTW solved by PyVRP:

* one vehicle type per (crew, shift), starting and ending at the crew's depot, with the
  shift as its time window (plus the allowed overtime);
* one optional client per (visit, opening window): the client's time window is the due
  window cut by that opening window (latest start = close - duration). A visit with several
  usable opening windows (a venue open every night of the week) becomes a *mutually
  exclusive client group*, so at most one copy is served. The prize of every copy is
  ``priority × priority_scale``, which makes coverage (priority-weighted) dominate travel;
* who may do what (skills, make-up, conflicts of interest, rotation) is enforced with PyVRP
  routing profiles: PyVRP has no per-client list of allowed vehicles, so each distinct set of
  forbidden clients gets a profile whose edges into and out of those clients are
  ``_FORBIDDEN`` long, and every vehicle type has a ``max_distance`` far below that, so using
  such an edge is infeasible, not merely expensive. Clients that share a location share its
  restrictions, so each (visit, allowed-crew set) gets a location of its own;
* rotation is applied per copy, conservatively: a copy is forbidden to a crew when the copy's
  earliest start is still inside a member's rotation gap;
* travel times are time-dependent; each shift uses the slowest travel time over its span, so
  the times re-computed afterwards with the real departure minutes are never later;
* fairness: each route has a soft target duration (the total work spread evenly over the
  shifts) and pays ``fairness_weight`` per minute above it (PyVRP overtime on
  ``shift_duration``), which spreads the work without ever costing a visit.

Scale: every profile is a dense matrix over all locations, so memory grows as profiles ×
locations². When that exceeds ``MAX_MATRIX_ENTRIES`` (weeks of work for dozens of officers),
the horizon is cut into blocks of whole days solved one after the other, each with its share
of the time limit: every visit goes to the least loaded block (work per vehicle) its copies
reach, least flexible visits first, and a visit a block leaves out moves on to the next block.
One block, the whole horizon as one model, whenever it fits.

The solution is re-timed with :func:`time_route`; then ``balance`` (``BALANCE_SHARE`` of the
time limit at most) inserts visits left out and evens out officers' totals over the horizon.
Every visit that cannot be planned comes back in ``Plan.unplanned`` with a reason code (see
``model.REASON_*``).
"""

from __future__ import annotations

import time
from bisect import bisect_left, bisect_right
from collections import defaultdict
from dataclasses import dataclass, replace
from itertools import pairwise

import numpy as np
import pyvrp
from pyvrp import Client, ClientGroup, Depot, Location, ProblemData, VehicleType

from scheduler.solver import model as m
from scheduler.solver.balance import balance, members
from scheduler.solver.control import Progress, ShouldStop, SolveOptions, StopControl, report
from scheduler.solver.model import Plan, Problem, Route, Unplanned, Visit, Window
from scheduler.solver.pairs import Crew, crews_of
from scheduler.solver.schedule import time_route
from scheduler.solver.travel import max_matrix

# Length of an edge into or out of a forbidden client, and the route distance cap that makes
# using one infeasible. Real routes are far shorter than the cap (minutes of one shift). Not
# pyvrp's MAX_VALUE: penalised excess of that size overflows and the local search never ends.
_FORBIDDEN = 10_000_000
_FORBIDDEN_LIMIT = 1_000_000
_ALWAYS: tuple[Window, ...] = ((-(10**9), 10**9),)
# Dense matrix entries (profiles × locations²) one PyVRP model may hold: about 0.5 GB for our
# distance and duration matrices and as much for PyVRP's copies. Beyond it the horizon is
# split into blocks of days solved one after the other.
MAX_MATRIX_ENTRIES = 30_000_000
# Share of the time limit kept for the workload balancing pass.
BALANCE_SHARE = 0.3


@dataclass
class _Copy:
    visit: Visit
    tw: Window
    mask: int  # the crews allowed to serve this copy, as a bit mask of crew indices

    @property
    def crews(self) -> frozenset[int]:
        return members(self.mask)


def copies_of(problem: Problem, visit: Visit) -> list[Window]:
    """Start windows of a visit: its due window cut by each opening window of its site."""
    site = problem.site_by_id[visit.site_id]
    out = []
    for open_, close in site.opening if site.opening is not None else _ALWAYS:
        early = max(visit.earliest, open_)
        late = min(visit.latest, close) - visit.duration
        if early <= late:
            out.append((early, late))
    return sorted(out)


def _shift_fits(problem, shift: Window, tw: Window, visit: Visit, out_min: int, back_min: int) -> bool:
    start = max(tw[0], shift[0] + out_min)
    return start <= tw[1] and start + visit.duration + back_min <= shift[1] + problem.max_overtime


def plan_routine(
    problem: Problem,
    *,
    options: SolveOptions | None = None,
    progress: Progress | None = None,
    should_stop: ShouldStop | None = None,
) -> Plan:
    """Plan the routine programme of ``problem``; see the module docstring for the model."""
    options = options or SolveOptions()
    t0, c0 = time.perf_counter(), time.process_time()
    report(progress, 0.0, None)
    crews = crews_of(problem)
    unplanned: list[Unplanned] = []

    # Points: depots, then distinct site points. Matrices are computed once per shift shape.
    depot_ids = [d.id for d in problem.depots]
    points = [d.point for d in problem.depots]
    point_index = {p: i for i, p in enumerate(points)}
    for s in problem.sites:
        if s.point not in point_index:
            point_index[s.point] = len(points)
            points.append(s.point)
    matrices: dict[tuple[int, int], np.ndarray] = {}

    def shift_matrix(start: int, end: int) -> np.ndarray:
        key = (start % 1440, end - start)
        if key not in matrices:
            matrices[key] = max_matrix(problem.travel, points, start, end)
        return matrices[key]

    copies = _copies(problem, crews, point_index, shift_matrix, unplanned)
    vehicles = [(ci, shift) for ci, c in enumerate(crews) for shift in c.shifts]
    if not copies or not vehicles or (should_stop is not None and should_stop()):
        reason = m.REASON_CANCELLED if should_stop is not None and should_stop() else m.REASON_NO_SHIFT_FITS
        unplanned += [Unplanned(vid, reason) for vid in dict.fromkeys(c.visit.id for c in copies)]
        report(progress, 1.0, None)
        return Plan((), tuple(unplanned), {"runtime": time.perf_counter() - t0, "iterations": 0})

    blocks = _blocks(copies, vehicles, crews, len(problem.depots))
    assigned = _assign_to_blocks(copies, vehicles, blocks)
    build_time = time.perf_counter() - t0
    build_cpu = time.process_time() - c0
    search = replace(
        options,
        time_limit=options.time_limit * (1 - BALANCE_SHARE) / len(blocks),
        max_iterations=None
        if options.max_iterations is None
        else max(1, options.max_iterations // len(blocks)),
    )
    routes: list[Route] = []
    planned: set[str] = set()
    dropped: list[str] = []
    carried: set[str] = set()
    stats: dict[str, float] = {"iterations": 0.0, "cost": 0.0, "clients": 0.0, "profiles": 0.0}
    cancelled = False
    for bi, (lo, hi) in enumerate(blocks):
        wanted = assigned[bi] | carried
        block_copies = [c for c in copies if c.visit.id in wanted and _in_block(c, lo, hi)]
        block_vehicles = [(ci, s) for ci, s in vehicles if lo <= s[0] < hi]
        if cancelled or not block_copies or not block_vehicles:
            carried = wanted
            continue
        t_build, c_build = time.perf_counter(), time.process_time()
        data, client_copy, vehicle_of_type = _build_data(
            problem,
            options,
            crews,
            block_copies,
            block_vehicles,
            depot_ids,
            points,
            point_index,
            shift_matrix,
        )
        build_time += time.perf_counter() - t_build
        build_cpu += time.process_time() - c_build
        span = (0.05 + 0.85 * bi / len(blocks), 0.05 + 0.85 * (bi + 1) / len(blocks))
        # PyVRP's best cost is one block's, penalised and scaled: not the plan's objective, so the
        # bar moves with it but no figure is shown until the checker scores the whole plan.
        fraction_only = None if progress is None else (lambda f, _cost: progress(f, None))
        stop = StopControl(search, fraction_only, should_stop, span=span)
        report(progress, span[0], None)
        result = pyvrp.solve(data, stop, seed=options.seed, display=False, collect_stats=False)
        cancelled = stop.cancelled
        stats["iterations"] += stop.iterations
        stats["cost"] += float(result.cost()) if result.best.is_feasible() else float("inf")
        stats["clients"] += data.num_clients
        stats["profiles"] = max(stats["profiles"], data.num_profiles)
        if result.best.is_feasible():
            for r in result.best.routes():
                ci, shift = vehicle_of_type[r.vehicle_type()]
                crew = crews[ci]
                visits = [client_copy[a.idx].visit for a in r.schedule() if a.is_client()]
                route = _time_crew_route(problem, crew, shift, visits, r.start_time())
                while route is None and visits:
                    # Never expected (the model is conservative); keep what stays feasible.
                    dropped.append(visits.pop().id)
                    route = _time_crew_route(problem, crew, shift, visits, shift[0])
                if route is not None and route.stops:
                    routes.append(route)
                    planned.update(s.visit_id for s in route.stops)
        # What this block could not take moves on to the next one, if its window allows.
        carried = {v for v in wanted if v not in planned}
    balance_stats = {"moves": 0.0, "balance_runtime": 0.0}
    if not cancelled:
        deadline = time.perf_counter() + max(0.05, options.time_limit * BALANCE_SHARE)
        routes, balance_stats = balance(problem, crews, routes, copies, deadline, should_stop)
        planned = {s.visit_id for r in routes for s in r.stops}
    seen = {u.visit_id for u in unplanned}
    reason = m.REASON_CANCELLED if cancelled and not routes else m.REASON_NO_CAPACITY
    for c in copies:
        if c.visit.id not in planned and c.visit.id not in seen:
            seen.add(c.visit.id)
            detail = "re-timing failed" if c.visit.id in dropped else ""
            unplanned.append(Unplanned(c.visit.id, reason, detail))
    routes.sort(key=lambda r: (r.departure, r.officer_ids))
    stats.update(
        {
            "runtime": time.perf_counter() - t0,
            "build": build_time,
            "build_cpu": build_cpu,
            "blocks": float(len(blocks)),
            "vehicle_types": float(len(vehicles)),
            "cancelled": float(cancelled),
            **balance_stats,
        }
    )
    report(progress, 1.0, None)
    return Plan(tuple(routes), tuple(unplanned), stats)


def _copies(problem, crews, point_index, shift_matrix, unplanned) -> list[_Copy]:
    """Copies of each visit (one per usable opening window) and the crews allowed for each;
    visits that cannot be planned at all go to ``unplanned`` with their reason.

    Linear in the visits: sets of crews are bit masks, conflicts of interest and rotation are
    looked up from the site's side (who is barred from it, who visited it), and a copy's shifts
    are found among the distinct shifts (with the mask of the crews working each, per depot),
    never by walking every crew."""
    crew_ids: dict[str, list[int]] = defaultdict(list)
    for i, c in enumerate(crews):
        for o in c.officers:
            crew_ids[o.id].append(i)
    barred: dict[str, int] = defaultdict(int)  # site or company id -> crews with a conflict
    for oid, items in problem.conflicts.items():
        for i in crew_ids.get(oid, ()):
            for item in items:
                barred[item] |= 1 << i
    visited: dict[str, list[tuple[int, str]]] = defaultdict(list)  # site -> (crew, officer)
    for oid, last in problem.last_visits.items():
        for i in crew_ids.get(oid, ()):
            for sid in last:
                visited[sid].append((i, oid))
    # Distinct shifts, sorted by start, and per shift the crews working it by depot.
    working: dict[Window, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for i, c in enumerate(crews):
        for shift in c.shifts:
            working[shift][c.depot_id] |= 1 << i
    shifts = sorted(working)
    starts = [s for s, _ in shifts]
    longest = max((e - s for s, e in shifts), default=0)
    depot_point = {d: point_index[problem.depot_by_id[d].point] for d in {c.depot_id for c in crews}}
    qualified_for: dict[object, int] = {}
    copies: list[_Copy] = []
    for visit in problem.visits:
        site = problem.site_by_id.get(visit.site_id)
        if site is None:
            unplanned.append(Unplanned(visit.id, m.REASON_UNKNOWN_SITE, visit.site_id))
            continue
        req = visit.requirement
        if req not in qualified_for:
            qualified_for[req] = sum(1 << i for i, c in enumerate(crews) if not req.unmet(c.officers))
        qualified = qualified_for[req]
        if not qualified:
            unplanned.append(Unplanned(visit.id, m.REASON_NO_QUALIFIED_OFFICER, ", ".join(req.unmet(()))))
            continue
        conflicted = barred.get(site.id, 0) | (barred.get(site.company_id, 0) if site.company_id else 0)
        free = qualified & ~conflicted
        windows = copies_of(problem, visit)
        if not windows:
            unplanned.append(Unplanned(visit.id, m.REASON_NO_OPENING_IN_DUE_WINDOW))
            continue
        any_allowed = False
        visit_copies = []
        pi = point_index[site.point]
        # Only crews with a member who visited this site before can be held back by rotation.
        seen_site = [(i, oid) for i, oid in visited.get(site.id, ()) if free >> i & 1]
        for tw in windows:
            allowed = free
            for i, oid in seen_site:
                if problem.rotation_blocks(oid, site.id, tw[0]):
                    allowed &= ~(1 << i)
            any_allowed |= bool(allowed)
            fitting = 0
            # Shifts (shorter than ``longest``) starting before the window closes and ending
            # after the visit could end.
            lo = bisect_left(starts, tw[0] + visit.duration - problem.max_overtime - longest)
            for shift in shifts[lo : bisect_right(starts, tw[1])]:
                if shift[1] + problem.max_overtime < tw[0] + visit.duration:
                    continue
                for depot_id, mask in working[shift].items():
                    if not mask & allowed & ~fitting:
                        continue
                    mat = shift_matrix(shift[0], shift[1] + problem.max_overtime)
                    di = depot_point[depot_id]
                    if _shift_fits(problem, shift, tw, visit, int(mat[di, pi]), int(mat[pi, di])):
                        fitting |= mask & allowed
            if fitting:
                visit_copies.append(_Copy(visit, tw, fitting))
        if not any_allowed:
            unplanned.append(Unplanned(visit.id, m.REASON_CONFLICT_OR_ROTATION))
        elif not visit_copies:
            unplanned.append(Unplanned(visit.id, m.REASON_NO_SHIFT_FITS))
        copies += visit_copies
    return copies


def _blocks(copies, vehicles, crews, n_depots) -> list[tuple[int, int]]:
    """Split the horizon into blocks of whole days, few enough that each block's PyVRP model
    (one dense matrix per routing profile, roughly one profile per crew) fits the memory
    budget; one block, the whole horizon, whenever it fits."""
    n_locs = len({(c.visit.id, c.mask) for c in copies}) + n_depots
    n_profiles = len({(ci, s[0] % 1440, s[1] - s[0]) for ci, s in vehicles})
    first = min(s[0] for _, s in vehicles) // 1440
    last = max(s[0] for _, s in vehicles) // 1440 + 1
    days = last - first
    n_blocks = 1
    while n_blocks < days and n_profiles * (n_locs / n_blocks) ** 2 > MAX_MATRIX_ENTRIES:
        n_blocks += 1
    size = -(-days // n_blocks)
    edges = [(first + k * size) * 1440 for k in range(1, n_blocks)]
    return list(pairwise([-(10**9), *edges, 10**9]))


def _in_block(copy: _Copy, lo: int, hi: int) -> bool:
    """True when a shift starting in ``[lo, hi)`` may serve the copy (a shift lasts < a day)."""
    return lo <= copy.tw[1] and copy.tw[0] < hi + 1440


def _assign_to_blocks(copies, vehicles, blocks) -> list[set[str]]:
    """Each visit to one block its copies reach, least flexible first, to the least loaded
    block (work per vehicle), so the work is spread over the horizon."""
    if len(blocks) == 1:
        return [{c.visit.id for c in copies}]
    capacity = [max(1, sum(1 for _, s in vehicles if lo <= s[0] < hi)) for lo, hi in blocks]
    options: dict[str, set[int]] = defaultdict(set)
    work: dict[str, int] = {}
    for c in copies:
        work[c.visit.id] = c.visit.duration + 20
        for bi, (lo, hi) in enumerate(blocks):
            if _in_block(c, lo, hi):
                options[c.visit.id].add(bi)
    load = [0.0] * len(blocks)
    out: list[set[str]] = [set() for _ in blocks]
    for vid in sorted(options, key=lambda v: (len(options[v]), v)):
        bi = min(options[vid], key=lambda b: (load[b] / capacity[b], b))
        out[bi].add(vid)
        load[bi] += work[vid]
    return out


def _time_crew_route(
    problem: Problem, crew: Crew, shift: Window, visits: list[Visit], departure: int
) -> Route | None:
    departure = max(shift[0], departure)
    return time_route(
        problem,
        crew.officers,
        crew.depot_id,
        visits,
        departure,
        latest_back=shift[1] + problem.max_overtime,
        team_id=crew.id if len(crew.officers) > 1 else "",
        leader_id=max(crew.officers, key=lambda o: (o.rank, o.id)).id if len(crew.officers) > 1 else None,
    )


def _build_data(problem, options, crews, copies, vehicles, depot_ids, points, point_index, shift_matrix):
    n_depots = len(depot_ids)
    # One location per depot, then one per (visit, allowed-crew set).
    loc_points = list(range(n_depots))
    loc_key: dict[tuple[str, int], int] = {}
    client_loc = []
    for c in copies:
        key = (c.visit.id, c.mask)
        if key not in loc_key:
            loc_key[key] = len(loc_points)
            loc_points.append(point_index[problem.site_by_id[c.visit.site_id].point])
        client_loc.append(loc_key[key])
    idx = np.asarray(loc_points)
    locations = [Location(x=points[p][1], y=points[p][0]) for p in loc_points]

    # Crews allowed at each client location: a boolean matrix (location, crew), unpacked from
    # the copies' bit masks in numpy, so a crew's forbidden locations are one column's zeros.
    width = max(1, (len(crews) + 7) // 8)
    packed = b"".join(mask.to_bytes(width, "little") for (_, mask) in loc_key)
    allowed_at = np.unpackbits(
        np.frombuffer(packed, dtype=np.uint8).reshape(len(loc_key), width), axis=1, bitorder="little"
    )[:, : len(crews)].astype(bool)

    # Fair share of work per route: service plus a rough travel allowance, spread over shifts.
    work = sum(c.visit.duration + 20 for c in _one_copy_per_visit(copies))
    share = max(60, int(work / max(1, len(vehicles)) * 1.15))

    profiles: dict[tuple[tuple[int, ...], tuple[int, int]], int] = {}
    dist_mats: list[np.ndarray] = []
    dur_mats: list[np.ndarray] = []
    base_cache: dict[tuple[int, int], np.ndarray] = {}
    vehicle_types = []
    vehicle_of_type = []
    forbidden_of: dict[int, tuple[int, ...]] = {}
    for ci, shift in vehicles:
        crew = crews[ci]
        end = shift[1] + problem.max_overtime
        span_key = (shift[0] % 1440, end - shift[0])
        if ci not in forbidden_of:
            forbidden_of[ci] = tuple((np.flatnonzero(~allowed_at[:, ci]) + n_depots).tolist())
        forbidden = forbidden_of[ci]
        pkey = (forbidden, span_key)
        if pkey not in profiles:
            if span_key not in base_cache:
                base_cache[span_key] = shift_matrix(shift[0], end)[np.ix_(idx, idx)].astype(np.int64)
            base = base_cache[span_key]
            dist = base.copy()
            if forbidden:
                f = np.asarray(forbidden)
                dist[:, f] = _FORBIDDEN
                dist[f, :] = _FORBIDDEN
                np.fill_diagonal(dist, 0)
            profiles[pkey] = len(dist_mats)
            dist_mats.append(dist)
            dur_mats.append(base)
        length = end - shift[0]
        target = min(length, share)
        depot = depot_ids.index(crew.depot_id)
        vehicle_types.append(
            VehicleType(
                num_available=1,
                start_depot=depot,
                end_depot=depot,
                tw_early=shift[0],
                tw_late=end,
                shift_duration=target,
                max_overtime=length - target,
                unit_overtime_cost=options.fairness_weight,
                max_distance=_FORBIDDEN_LIMIT,
                unit_distance_cost=1,
                profile=profiles[pkey],
                name=f"{crew.id}@{shift[0]}",
            )
        )
        vehicle_of_type.append((ci, shift))

    clients = []
    groups_members: dict[str, list[int]] = defaultdict(list)
    for c in copies:
        groups_members[c.visit.id].append(len(clients))
        clients.append(None)
    group_index = {}
    groups = []
    for vid, group in groups_members.items():
        if len(group) > 1:
            group_index[vid] = len(groups)
            groups.append(ClientGroup(group, required=False))
    for k, c in enumerate(copies):
        clients[k] = Client(
            location=client_loc[k],
            service_duration=c.visit.duration,
            tw_early=max(0, c.tw[0]),
            tw_late=max(0, c.tw[1]),
            prize=max(1, c.visit.priority) * options.priority_scale,
            required=False,
            group=group_index.get(c.visit.id),
            name=c.visit.id,
        )
    depots = [Depot(location=i) for i in range(n_depots)]
    data = ProblemData(locations, clients, depots, vehicle_types, dist_mats, dur_mats, groups)
    return data, copies, vehicle_of_type


def _one_copy_per_visit(copies):
    seen = {}
    for c in copies:
        seen.setdefault(c.visit.id, c)
    return list(seen.values())
