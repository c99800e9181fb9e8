"""Workload balancing after routing: move visits from the busiest officers to the idlest.

PyVRP prices each route on its own (a soft fair share per shift), so nothing in the routing
model sees an officer's total over the horizon; travel savings pull the work towards a few
routes. This pass works on the finished plan:

1. **insert** visits left out, highest priority first, where they add the least time (an
   existing route of an allowed crew, or an idle shift): coverage can only grow;
2. **relocate** a visit from a route of the most loaded officer to the route (or idle shift)
   of a crew allowed to do it (the idlest receiver that helps, at its best insertion among
   its least loaded shifts), when that lowers ``travel + BALANCE_WEIGHT · Σ load² / (2 ·
   mean load)``: moving 60 minutes from an officer at 600 to one at 200 (mean 400) is worth
   up to about 26 extra travel minutes. Loads are counted as the evaluator counts them
   (travel legs and visit durations, each member of a crew bearing the route's load).

Every route is re-timed with :func:`time_route`, so shifts, opening hours, due windows and
rotation hold; crews are taken from the copies the routing model allowed (make-up, conflicts
of interest). Coverage never drops. The pass stops when nothing improves, at the deadline, on
cancellation or after ``MAX_MOVES`` moves, so it is deterministic unless cut by the clock.
"""

from __future__ import annotations

import time
from collections import defaultdict

from scheduler.solver.control import ShouldStop
from scheduler.solver.model import Problem, Route
from scheduler.solver.schedule import time_route

BALANCE_WEIGHT = 0.5
MAX_MOVES = 2000
# Donors tried per round, busiest first, before the pass gives up; receivers tried per
# visit, idlest first.
DONORS = 6
RECEIVERS = 12
# Shifts of a receiver tried per visit, least loaded first.
SHIFTS = 4


def _route_cost(problem: Problem, route: Route | None) -> tuple[int, int]:
    """(travel minutes, load minutes) of a route, as the evaluator counts them."""
    if route is None:
        return (0, 0)
    travel = problem.travel
    depot = problem.depot_by_id[route.depot_id].point
    where, now, legs, work = depot, route.departure, 0, 0
    for s in route.stops:
        visit = problem.visit_by_id[s.visit_id]
        point = problem.site_by_id[visit.site_id].point
        legs += travel.minutes(where, point, now)
        work += visit.duration
        where, now = point, s.end
    legs += travel.minutes(where, depot, now)
    return legs, legs + work


def members(mask: int) -> frozenset[int]:
    """The crew indices in a bit mask (the routing model keeps sets of crews as masks)."""
    out = []
    while mask:
        low = mask & -mask
        out.append(low.bit_length() - 1)
        mask ^= low
    return frozenset(out)


class _State:
    def __init__(self, problem, crews, routes, copies):
        self.problem = problem
        self.crews = crews
        crew_index = {tuple(o.id for o in c.officers): i for i, c in enumerate(crews)}
        # (crew, shift) -> route; a crew has at most one route per shift.
        self.route: dict[tuple[int, tuple[int, int]], Route] = {}
        for r in routes:
            ci = crew_index[r.officer_ids]
            shift = next(s for s in crews[ci].shifts if s[0] <= r.departure < s[1])
            self.route[ci, shift] = r
        masks: dict[str, int] = defaultdict(int)
        self.windows: dict[str, list[tuple[int, int]]] = defaultdict(list)
        for c in copies:
            masks[c.visit.id] |= c.mask
            self.windows[c.visit.id].append(c.tw)
        self.allowed: dict[str, frozenset[int]] = {vid: members(mask) for vid, mask in masks.items()}
        self.cost = {key: _route_cost(problem, r) for key, r in self.route.items()}
        self.load: dict[str, int] = defaultdict(int)
        for (ci, _), (_, load) in self.cost.items():
            for o in crews[ci].officers:
                self.load[o.id] += load
        self.officers = [o.id for c in crews for o in c.officers]

    def retime(self, ci: int, shift, visits) -> Route | None:
        crew = self.crews[ci]
        if not visits:
            return None
        return time_route(
            self.problem,
            crew.officers,
            crew.depot_id,
            visits,
            shift[0],
            latest_back=shift[1] + self.problem.max_overtime,
            team_id=crew.id if len(crew.officers) > 1 else "",
            leader_id=max(crew.officers, key=lambda o: (o.rank, o.id)).id if len(crew.officers) > 1 else None,
        )

    def insertions(self, visit, ci: int, limit: int | None = None):
        """Feasible ways to add ``visit`` to crew ``ci``: ((crew, shift), new route). With
        ``limit``, only in that many of the crew's shifts, the least loaded first."""
        crew = self.crews[ci]
        shifts = [
            s
            for s in crew.shifts
            if any(lo <= s[1] + self.problem.max_overtime and s[0] <= hi for lo, hi in self.windows[visit.id])
        ]
        if limit is not None:
            shifts = sorted(shifts, key=lambda s: (self.cost.get((ci, s), (0, 0))[1], s))[:limit]
        for shift in shifts:
            current = self.route.get((ci, shift))
            stops = [self.problem.visit_by_id[s.visit_id] for s in current.stops] if current else []
            for pos in range(len(stops) + 1):
                new = self.retime(ci, shift, [*stops[:pos], visit, *stops[pos:]])
                if new is not None:
                    yield (ci, shift), new

    def apply(self, key, route: Route | None) -> None:
        ci = key[0]
        old_load = self.cost.get(key, (0, 0))[1]
        if route is None or not route.stops:
            self.route.pop(key, None)
            self.cost.pop(key, None)
        else:
            self.route[key] = route
            self.cost[key] = _route_cost(self.problem, route)
        delta = self.cost.get(key, (0, 0))[1] - old_load
        for o in self.crews[ci].officers:
            self.load[o.id] += delta


def balance(
    problem: Problem, crews, routes: list[Route], copies, deadline: float, should_stop: ShouldStop | None
):
    """Insert left-out visits, then even out workloads; see the module docstring."""
    t0 = time.perf_counter()
    st = _State(problem, crews, routes, copies)

    def out_of_time() -> bool:
        return time.perf_counter() > deadline or (should_stop is not None and should_stop())

    # 1. Insert what is left out, where it adds least time.
    planned = {s.visit_id for r in st.route.values() for s in r.stops}
    inserted = 0
    missing = sorted(
        (problem.visit_by_id[v] for v in st.allowed if v not in planned), key=lambda v: (-v.priority, v.id)
    )
    for visit in missing:
        if out_of_time():
            break
        best = None
        for ci in sorted(st.allowed[visit.id]):
            for key, new in st.insertions(visit, ci):
                extra = _route_cost(problem, new)[1] - st.cost.get(key, (0, 0))[1]
                if best is None or extra < best[0]:
                    best = (extra, key, new)
        if best is not None:
            st.apply(best[1], best[2])
            inserted += 1

    # 2. Relocate visits from the busiest officers.
    moves = 0
    stuck: dict[str, int] = {}
    while moves < MAX_MOVES and not out_of_time():
        loads = st.load
        mean = max(1.0, sum(loads[o] for o in st.officers) / max(1, len(st.officers)))
        moved = False
        donors = sorted((o for o in st.officers if stuck.get(o) != loads[o]), key=lambda o: (-loads[o], o))
        for donor in donors[:DONORS]:
            best = _best_move(st, donor, mean)
            if best is None:
                stuck[donor] = loads[donor]  # nothing to move while the load stays the same
            else:
                _, src_key, src_route, dst_key, dst_route = best
                st.apply(src_key, src_route)
                st.apply(dst_key, dst_route)
                moves += 1
                moved = True
                break
            if out_of_time():
                break
        if not moved:
            break
    routes = sorted(st.route.values(), key=lambda r: (r.departure, r.officer_ids))
    return routes, {
        "inserted": float(inserted),
        "moves": float(moves),
        "balance_runtime": time.perf_counter() - t0,
    }


def _best_move(st: _State, donor: str, mean: float):
    problem = st.problem
    loads = st.load
    best = None
    for key, route in sorted(st.route.items(), key=lambda kv: kv[1].departure):
        ci = key[0]
        if donor not in {o.id for o in st.crews[ci].officers}:
            continue
        visits = [problem.visit_by_id[s.visit_id] for s in route.stops]
        src_travel, src_load = st.cost[key]
        for k, visit in enumerate(visits):
            rest = visits[:k] + visits[k + 1 :]
            src_new = st.retime(ci, key[1], rest) if rest else None
            if rest and src_new is None:
                continue
            new_src_travel, new_src_load = _route_cost(problem, src_new)
            ceiling = min(mean, loads[donor] - visit.duration)
            receivers = sorted(
                (max(loads[o.id] for o in st.crews[cj].officers), cj)
                for cj in st.allowed[visit.id]
                if cj != ci
            )
            for load, cj in receivers[:RECEIVERS]:
                if load >= ceiling:
                    break
                for dst_key, dst_new in st.insertions(visit, cj, SHIFTS):
                    dst_travel, dst_load = st.cost.get(dst_key, (0, 0))
                    new_dst_travel, new_dst_load = _route_cost(problem, dst_new)
                    delta = _delta(st, ci, src_load, new_src_load, cj, dst_load, new_dst_load, mean)
                    delta += new_src_travel - src_travel + new_dst_travel - dst_travel
                    if delta < -1e-9 and (best is None or delta < best[0]):
                        best = (delta, key, src_new, dst_key, dst_new)
                if best is not None:
                    # First improvement: the best insertion with the first receiver that helps.
                    return best
    return best


def _delta(st: _State, ci, src_load, new_src_load, cj, dst_load, new_dst_load, mean) -> float:
    """Change of BALANCE_WEIGHT · Σ load² / (2 · mean) when the two routes change."""
    change: dict[str, int] = defaultdict(int)
    for o in st.crews[ci].officers:
        change[o.id] += new_src_load - src_load
    for o in st.crews[cj].officers:
        change[o.id] += new_dst_load - dst_load
    total = 0.0
    for oid, d in change.items():
        before = st.load[oid]
        total += (before + d) ** 2 - before**2
    return BALANCE_WEIGHT * total / (2 * mean)
