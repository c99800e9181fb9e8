"""Re-planning a published plan after a change, moving as few visits as possible.

A change is an officer dropping out (from minute ``since``), visits added, visits removed.
Routes that left the depot before ``since`` are locked, and so are routes holding a visit the
planner pinned, except that a dropped officer's route keeps only its done stops. Visits already
done never move. Then, cheapest first:

1. **substitute**: give each affected route to an equivalent officer (same make-up, free at
   that time, no conflict; in a joint operation on duty that night and in no other team that
   night), keeping its visits together (joint teams keep their id, so the visits do not count
   as moved);
2. **reinsert** (routine): put the remaining orphans and the added visits, highest priority
   first, where they add the least route time (existing unlocked routes, or an idle shift);
3. **re-solve** (when orphans are still left): solve all unlocked work again with the routine
   (or joint) solver and keep that plan only if it covers more priority; the penalty for
   changes is applied at that choice (coverage first, then fewer moves).

Every joint route that has not left yet comes out right-justified (``schedule.justify``): each
team leaves as late as it can and reaches each target at most ``arrive_before`` minutes before
its raid, whether it was re-timed, substituted, solved again or kept.

A *move* is a visit, planned before and after, whose route key (team, or officers, and day)
changed.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace

from scheduler.solver import model as m
from scheduler.solver.control import Progress, ShouldStop, SolveOptions, report
from scheduler.solver.joint import plan_joint
from scheduler.solver.model import Officer, Plan, Problem, Route, Unplanned, Visit
from scheduler.solver.routine import plan_routine
from scheduler.solver.schedule import justify, time_route


@dataclass(frozen=True)
class Change:
    officer_out: str | None = None
    since: int = 0
    added: tuple[Visit, ...] = ()
    removed: frozenset[str] = frozenset()


@dataclass(frozen=True)
class ReplanResult:
    plan: Plan
    problem: Problem  # the problem after the change: evaluate the new plan against it
    moves: int
    moved: tuple[str, ...]
    strategy: str
    # Pinned visits whose team lost the officer who dropped out with no one to stand in: the
    # re-plan moved them or left them out, so their pins could not be kept.
    pins_dropped: tuple[str, ...] = ()


def count_moves(before: Plan, after: Plan) -> tuple[str, ...]:
    """Visits planned in both plans whose route key (team or officers, day) changed."""
    old, new = before.assignment(), after.assignment()
    return tuple(sorted(v for v in old.keys() & new.keys() if old[v] != new[v]))


def _changed_problem(problem: Problem, change: Change) -> Problem:
    officers = []
    for o in problem.officers:
        if o.id == change.officer_out:
            o = replace(o, shifts=tuple(s for s in o.shifts if s[0] < change.since))
        officers.append(o)
    visits = tuple(v for v in problem.visits if v.id not in change.removed) + tuple(change.added)
    return replace(problem, officers=tuple(officers), visits=visits)


def _retime(
    problem: Problem, route: Route, members: list[Officer], depot_id: str, visits: list[Visit]
) -> Route | None:
    """Times for ``visits`` on this route's shift with these members; None if infeasible."""
    if problem.operation is not None:
        op = problem.operation
        waves = {w.id: w for w in op.waves}
        wave_of = {s.visit_id: s.wave_id for s in route.stops}
        not_before = {s.visit_id: s.start for s in route.stops}
        not_after = {v: waves[w].start + op.sync_tolerance for v, w in wave_of.items() if w in waves}
        return time_route(
            problem,
            members,
            depot_id,
            visits,
            op.start,
            latest_back=op.end,
            not_before=not_before,
            not_after=not_after,
            wave_of=wave_of,
            team_id=route.team_id,
            leader_id=max(members, key=lambda o: (o.rank, o.id)).id,
        )
    shift_ends, starts = [], []
    for o in members:
        fitting = [(s, e) for s, e in o.shifts if s <= route.departure < e]
        if not fitting:
            return None
        starts.append(fitting[0][0])
        shift_ends.append(fitting[0][1] + problem.max_overtime)
    leader = max(members, key=lambda o: (o.rank, o.id)).id if len(members) > 1 else None
    for departure in (route.departure, max(starts)):
        r = time_route(
            problem,
            members,
            depot_id,
            visits,
            max(departure, max(starts)),
            latest_back=min(shift_ends),
            team_id=route.team_id,
            leader_id=leader,
        )
        if r is not None:
            return r
    return None


def _justified(problem: Problem, route: Route) -> Route:
    """A joint team's route that has not left yet, right-justified (``schedule.justify``: no team
    waits outside a target for its wave), as a plan made before may not be. Its departure stays
    on its day, so the team keeps its key and none of its visits counts as moved."""
    justified = justify(problem, route)
    return justified if justified.day == route.day else justify(problem, route, keep_departure=True)


def _qualifies(
    problem: Problem, members: list[Officer], visits: Iterable[Visit], span: tuple[int, int] | None = None
) -> bool:
    """True when ``members`` may do ``visits``; in a joint operation, as a team on duty for
    ``span`` (the route's departure and return: one night, not the operation's whole window,
    so an officer on duty that night only may stand in)."""
    for v in visits:
        if v.requirement.unmet(members) or any(problem.conflicted(o.id, v) for o in members):
            return False
    if problem.operation is not None:
        op = problem.operation
        lo, hi = span if span is not None else (op.start, op.end)
        if not all(any(a <= lo and hi <= b + problem.max_overtime for a, b in o.shifts) for o in members):
            return False
        if op.team_rule.unmet(members) or not op.team_min_size <= len(members) <= op.team_max_size:
            return False
    return True


def replan(
    problem: Problem,
    plan: Plan,
    *,
    done: frozenset[str] | set[str],
    change: Change,
    pinned: frozenset[str] | set[str] = frozenset(),
    options: SolveOptions | None = None,
    progress: Progress | None = None,
    should_stop: ShouldStop | None = None,
) -> ReplanResult:
    """Repair ``plan`` after ``change``; see the module docstring for the strategy. A route
    holding a ``pinned`` visit (the planner pinned it to its team) is kept as it is, unless it
    loses the officer who dropped out: then it is substituted like any other, and kept so; when
    no one can stand in, its pinned visits go with the other orphans and are named in
    ``pins_dropped``."""
    options = options or SolveOptions()
    report(progress, 0.0, None)
    new_problem = _changed_problem(problem, change)
    visit_by_id = new_problem.visit_by_id
    out = change.officer_out
    locked: list[Route] = []
    open_routes: list[Route] = []
    orphans: list[Visit] = []
    affected: list[Route] = []

    for route in plan.routes:
        kept = [s for s in route.stops if s.visit_id not in change.removed]
        if len(kept) != len(route.stops):
            members = [new_problem.officer_by_id[i] for i in route.officer_ids]
            retimed = _retime(
                new_problem, route, members, route.depot_id, [visit_by_id[s.visit_id] for s in kept]
            )
            route = retimed or replace(route, stops=tuple(kept))
            if not route.stops:
                continue
        if out in route.officer_ids and route.back > change.since:
            done_stops = tuple(s for s in route.stops if s.visit_id in done)
            rest = [visit_by_id[s.visit_id] for s in route.stops if s.visit_id not in done]
            if route.departure < change.since and done_stops:
                last = visit_by_id[done_stops[-1].visit_id]
                depot = new_problem.depot_by_id[route.depot_id].point
                site = new_problem.site_by_id[last.site_id].point
                end = done_stops[-1].end
                locked.append(
                    replace(route, stops=done_stops, back=end + new_problem.travel.minutes(site, depot, end))
                )
                orphans += rest
            elif rest:
                affected.append(replace(route, stops=tuple(s for s in route.stops if s.visit_id not in done)))
        elif route.departure < change.since or any(s.visit_id in pinned for s in route.stops):
            locked.append(route)
        else:
            open_routes.append(route)

    # 1. Substitute the dropped officer, route by route.
    strategy = "none"
    for route in affected:
        sub = _substitute(new_problem, route, out, locked + open_routes)
        if sub is not None:
            # A pinned visit's team, with its stand-in, stays as it is: a re-solve never moves it.
            (locked if any(s.visit_id in pinned for s in sub.stops) else open_routes).append(sub)
            strategy = "substitute"
        else:
            orphans += [visit_by_id[s.visit_id] for s in route.stops]
    pins_dropped = tuple(v.id for v in orphans if v.id in pinned)
    report(progress, 0.3, None)

    # 2. Reinsert orphans and added visits.
    pending = orphans + [v for v in change.added if v.id in visit_by_id]
    unknown = [
        Unplanned(v.id, m.REASON_UNKNOWN_SITE) for v in pending if v.site_id not in new_problem.site_by_id
    ]
    pending = [v for v in pending if v.site_id in new_problem.site_by_id]
    unplanned = [u for u in plan.unplanned if u.visit_id in visit_by_id and u.visit_id not in change.removed]
    unplanned = [u for u in unplanned if u.visit_id not in {v.id for v in pending}]
    if pending and new_problem.operation is None:
        strategy = "reinsert" if strategy == "none" else strategy + "+reinsert"
        open_routes, left = _reinsert(new_problem, pending, locked, open_routes, since=change.since)
    else:
        left = pending
    if new_problem.operation is not None:
        open_routes = [_justified(new_problem, r) for r in open_routes]
    repaired = Plan(
        tuple(locked + open_routes),
        tuple(unplanned)
        + tuple(unknown)
        + tuple(Unplanned(v.id, m.REASON_NO_CAPACITY, "replan") for v in left),
        dict(plan.stats),
    )
    report(progress, 0.6, None)

    # 3. Re-solve what is not locked, if anything is still left out.
    best = repaired
    if left and not (should_stop is not None and should_stop()):
        resolved = _resolve(new_problem, locked, open_routes, left, change, done, options)
        covered = sum(v.priority for v in new_problem.visits if v.id in resolved.planned_visit_ids())
        covered_before = sum(v.priority for v in new_problem.visits if v.id in repaired.planned_visit_ids())
        if covered > covered_before:
            best = resolved
            strategy = strategy + "+resolve" if strategy != "none" else "resolve"
    moved = count_moves(plan, best)
    best = replace(best, routes=_in_order_of(plan, best.routes))
    report(progress, 1.0, float(len(moved)))
    return ReplanResult(best, new_problem, len(moved), moved, strategy, pins_dropped)


def _in_order_of(before: Plan, routes: Iterable[Route]) -> tuple[Route, ...]:
    """``routes`` in the order of the plan they repair: the page, the briefings and the teams'
    names number a team by its route's place, so a team kept (a joint team keeps its id, a
    stand-in included) keeps its number ("Team 2" stays Team 2 for the officers who were told
    so); a team new to the plan comes after. Locked and repaired routes are gathered apart, which
    had renumbered teams no visit of which changed."""
    place = {r.team_id: i for i, r in enumerate(before.routes) if r.team_id}
    return tuple(sorted(routes, key=lambda r: place.get(r.team_id, len(place))))


def _substitute(problem: Problem, route: Route, out: str | None, busy: list[Route]) -> Route | None:
    visits = [problem.visit_by_id[s.visit_id] for s in route.stops]
    stay = [problem.officer_by_id[i] for i in route.officer_ids if i != out]
    gone = problem.officer_by_id.get(out or "")
    taken = {i for r in busy if r.departure < route.back and route.departure < r.back for i in r.officer_ids}
    op = problem.operation
    if op is not None:
        # One joint team per officer and night: whoever is in a team that night is taken; a
        # team on another night is no obstacle.
        night = op.night_of(route.departure)
        taken |= {i for r in busy if op.night_of(r.departure) == night for i in r.officer_ids}
    taken |= set(route.officer_ids)

    def likeness(o: Officer):
        same = (
            gone is not None and o.agency == gone.agency,
            gone is not None and o.depot_id == gone.depot_id,
            gone is not None and o.skills >= gone.skills,
        )
        return (tuple(not s for s in same), o.id)

    for cand in sorted((o for o in problem.officers if o.id not in taken and o.id != out), key=likeness):
        members = [*stay, cand]
        if not _qualifies(problem, members, visits, (route.departure, route.back)):
            continue
        depot = route.depot_id if (stay or problem.operation is not None) else cand.depot_id
        timed = _retime(problem, route, members, depot, visits)
        if timed is not None:
            return replace(timed, officer_ids=tuple(o.id for o in members))
    return None


def _reinsert(
    problem: Problem, pending: list[Visit], locked: list[Route], open_routes: list[Route], *, since: int
) -> tuple[list[Route], list[Visit]]:
    routes = list(open_routes)
    left: list[Visit] = []
    for visit in sorted(pending, key=lambda v: (-v.priority, v.id)):
        best: tuple[int, int, Route] | None = None
        for ri, route in enumerate(routes):
            members = [problem.officer_by_id[i] for i in route.officer_ids]
            if not _qualifies(problem, members, [visit]):
                continue
            visits = [problem.visit_by_id[s.visit_id] for s in route.stops]
            for pos in range(len(visits) + 1):
                cand = _retime(problem, route, members, route.depot_id, [*visits[:pos], visit, *visits[pos:]])
                if cand is None:
                    continue
                extra = (cand.back - cand.departure) - (route.back - route.departure)
                if best is None or extra < best[0]:
                    best = (extra, ri, cand)
        if best is None:
            best = _idle_shift(problem, visit, locked + routes, since)
        if best is None:
            left.append(visit)
        elif best[1] < 0:
            routes.append(best[2])
        else:
            routes[best[1]] = best[2]
    return routes, left


def _idle_shift(problem: Problem, visit: Visit, routes: list[Route], since: int):
    """A new single-visit route for a qualified officer on a shift with no route yet."""
    best = None
    for o in problem.officers:
        if not _qualifies(problem, [o], [visit]):
            continue
        for s, e in o.shifts:
            if s < since or any(o.id in r.officer_ids and r.departure < e and s < r.back for r in routes):
                continue
            r = time_route(problem, [o], o.depot_id, [visit], s, latest_back=e + problem.max_overtime)
            if r is not None and (best is None or r.back - r.departure < best[0]):
                best = (r.back - r.departure, -1, r)
    return best


def _resolve(
    problem: Problem,
    locked: list[Route],
    open_routes: list[Route],
    left: list[Visit],
    change: Change,
    done,
    options: SolveOptions,
) -> Plan:
    """Solve every unlocked visit again on the shifts after ``since``; locked routes stay."""
    free_ids = {s.visit_id for r in open_routes for s in r.stops} | {v.id for v in left}
    free_ids -= set(done)
    busy = {(i, r.departure) for r in locked for i in r.officer_ids}
    if problem.operation is None:
        officers = tuple(
            replace(
                o,
                shifts=tuple(
                    sh
                    for sh in o.shifts
                    if sh[0] >= change.since and not any(i == o.id and sh[0] <= d < sh[1] for i, d in busy)
                ),
            )
            for o in problem.officers
            if o.id != change.officer_out
        )
        sub = replace(problem, officers=officers, visits=tuple(v for v in problem.visits if v.id in free_ids))
        fresh = plan_routine(sub, options=options)
    else:
        # An officer in a kept team is busy that night only: their shifts lose the nights they
        # are kept on, and they may still join a team on another night.
        op = problem.operation
        spans = {n.number: (n.lo, n.hi) for n in op.nights}
        kept_nights: dict[str, set[int]] = {}
        for r in locked:
            for i in r.officer_ids:
                kept_nights.setdefault(i, set()).add(op.night_of(r.departure))
        officers = tuple(
            replace(o, shifts=_without(o.shifts, [spans[n] for n in kept_nights[o.id] if n in spans]))
            if o.id in kept_nights
            else o
            for o in problem.officers
            if o.id != change.officer_out
        )
        sub = replace(problem, officers=officers, visits=tuple(v for v in problem.visits if v.id in free_ids))
        fresh = plan_joint(sub, options=options)
    return Plan(tuple(locked) + fresh.routes, fresh.unplanned, dict(fresh.stats))


def _without(shifts: tuple[m.Window, ...], cuts: list[tuple[int, int]]) -> tuple[m.Window, ...]:
    """``shifts`` with the minutes of ``cuts`` taken out (a shift may fall into two parts)."""
    out = list(shifts)
    for lo, hi in cuts:
        out = [part for a, b in out for part in ((a, min(b, lo)), (max(a, hi), b)) if part[0] < part[1]]
    return tuple(out)


__all__ = ["Change", "ReplanResult", "count_moves", "replan"]
