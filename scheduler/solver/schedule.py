"""Timing of one route: given the officers, depot, visit order and departure, when is each stop?

Used by the solvers to turn a visit order into stated times with the problem's own
(time-dependent) travel times, and by re-planning to test insertions. The evaluator does not
use it: it checks stated times on its own.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace

from scheduler.solver.model import Officer, Problem, Route, Stop, Visit


def earliest_start(
    problem: Problem, members: Sequence[Officer], visit: Visit, arrival: int, not_before: int | None = None
) -> int | None:
    """Earliest start at or after ``arrival`` that fits the due window, an opening window and
    every member's rotation gap; None when there is none."""
    site = problem.site_by_id[visit.site_id]
    low = max(arrival, visit.earliest, not_before if not_before is not None else arrival)
    for m in members:
        last = problem.last_visits.get(m.id, {}).get(site.id)
        if last is not None:
            low = max(low, last + problem.rotation_gap_days * 1440)
    windows = sorted(site.opening) if site.opening is not None else [(low, visit.latest)]
    for open_, close in windows:
        start = max(low, open_)
        if start + visit.duration <= min(close, visit.latest):
            return start
    return None


def time_route(
    problem: Problem,
    members: Sequence[Officer],
    depot_id: str,
    visits: Sequence[Visit],
    departure: int,
    *,
    latest_back: int | None = None,
    not_before: Mapping[str, int] | None = None,
    not_after: Mapping[str, int] | None = None,
    wave_of: Mapping[str, str] | None = None,
    team_id: str = "",
    leader_id: str | None = None,
    tighten: bool = True,
) -> Route | None:
    """Schedule ``visits`` in this order, leaving the depot at ``departure``.

    Each visit starts as early as allowed; with ``tighten`` the departure is then delayed as
    far as possible without delaying the first stop, to cut waiting. A joint team's route (one
    with ``wave_of``) is right-justified instead (:func:`justify`): its starts kept, it leaves
    as late as it can and reaches each target just before the raid. Returns None when a stop
    cannot be served, a start exceeds ``not_after``, or the route returns after ``latest_back``.
    """
    route = _forward(
        problem,
        members,
        depot_id,
        visits,
        departure,
        latest_back,
        not_before,
        not_after,
        wave_of,
        team_id,
        leader_id,
    )
    if route is None or not tighten or not route.stops:
        return route
    if wave_of:
        return justify(problem, route)
    first = route.stops[0]
    site = problem.site_by_id[visits[0].site_id]
    depot = problem.depot_by_id[depot_id]
    later = first.start - problem.travel.minutes(depot.point, site.point, first.start)
    for _ in range(3):  # travel time depends on the departure: settle in a few steps
        if later <= departure:
            break
        candidate = _forward(
            problem,
            members,
            depot_id,
            visits,
            later,
            latest_back,
            not_before,
            not_after,
            wave_of,
            team_id,
            leader_id,
        )
        if candidate is not None and candidate.stops[0].start == first.start:
            return candidate
        later -= 5
    return route


def _forward(
    problem,
    members,
    depot_id,
    visits,
    departure,
    latest_back,
    not_before,
    not_after,
    wave_of,
    team_id,
    leader_id,
) -> Route | None:
    travel = problem.travel
    where = problem.depot_by_id[depot_id].point
    now = departure
    stops = []
    for visit in visits:
        site = problem.site_by_id[visit.site_id]
        arrival = now + travel.minutes(where, site.point, now)
        start = earliest_start(problem, members, visit, arrival, (not_before or {}).get(visit.id))
        if start is None:
            return None
        if not_after is not None and visit.id in not_after and start > not_after[visit.id]:
            return None
        stops.append(Stop(visit.id, arrival, start, start + visit.duration, (wave_of or {}).get(visit.id)))
        where, now = site.point, start + visit.duration
    back = now + travel.minutes(where, problem.depot_by_id[depot_id].point, now)
    if latest_back is not None and back > latest_back:
        return None
    return Route(tuple(m.id for m in members), depot_id, departure, back, tuple(stops), team_id, leader_id)


def justify(
    problem: Problem, route: Route, *, earliest: int | None = None, keep_departure: bool = False
) -> Route:
    """The same route with every start kept and its other times as late as they may be
    (right-justified, the forward time slack of Savelsbergh's routing): the team leaves the
    depot as late as still reaches the first stop ``arrive_before`` minutes before it starts
    (``JointOperation.arrive_before``, 0 without an operation; later, up to the start, when
    leaving later drives faster), and reaches every later stop that much before its start, or
    when travel first allows: no stop is reached more than ``arrive_before`` minutes before it
    starts. Time the waves force between two stops is so spent away from the next target,
    never outside it: a team waiting there for its wave would give a covert raid away.

    Starts, ends and the return do not move, so no window, wave, shift or rotation rule can
    break. The departure moves later, or earlier down to ``earliest`` (the first minute the team
    may leave: :func:`earliest_departure`; by default its departure) to arrive with the margin,
    and only to a minute from which the first leg is no longer than before (travel times depend
    on the departure), so the travel the objectives count never grows. ``keep_departure`` keeps
    the departure (a team that has already left).
    """
    if not route.stops:
        return route
    op = problem.operation
    margin = max(0, op.arrive_before) if op is not None else 0
    travel = problem.travel
    depot = problem.depot_by_id[route.depot_id].point
    points = [problem.site_by_id[problem.visit_by_id[s.visit_id].site_id].point for s in route.stops]
    departure = route.departure
    if not keep_departure:
        lo = departure if earliest is None else min(earliest, departure)
        first_leg = travel.minutes(depot, points[0], departure)
        start = route.stops[0].start
        # The latest departure that arrives with the margin, and the latest that arrives by the
        # start: the second when leaving that much later drives faster (the night's band).
        early, late = (
            _latest_departure(travel, depot, points[0], lo, t, first_leg, departure)
            for t in (start - margin, start)
        )
        departure = (
            early
            if travel.minutes(depot, points[0], early) <= travel.minutes(depot, points[0], late)
            else late
        )
    stops = []
    where, now = depot, departure
    for stop, point in zip(route.stops, points, strict=True):
        ready = now + travel.minutes(where, point, now)
        arrival = max(ready, stop.start - margin) if ready <= stop.start else stop.arrival
        stops.append(replace(stop, arrival=arrival))
        where, now = point, stop.end
    return replace(route, departure=departure, stops=tuple(stops))


def earliest_departure(problem: Problem, members: Sequence[Officer], lo: int, hi: int) -> int:
    """The earliest minute a team out from ``lo`` to ``hi`` may leave its depot: not before each
    member's shift covering that span starts and, in a joint operation, not before the operation
    or that night starts; ``lo`` when that is earlier."""
    earliest = lo
    op = problem.operation
    if op is not None:
        earliest = op.start
        if op.nights:
            earliest = max(earliest, op.nights[op.night_of(lo) - 1].lo)
    for m in members:
        covering = [a for a, b in m.shifts if a <= lo and hi <= b + problem.max_overtime]
        earliest = max(earliest, max(covering, default=lo))
    return min(earliest, lo)


def _latest_departure(travel, depot, point, lo: int, arrive_by: int, max_leg: int, none: int) -> int:
    """The latest minute from ``lo`` on to leave ``depot`` and reach ``point`` by ``arrive_by``
    on a leg no longer than ``max_leg``; ``none`` when there is none."""
    for later in range(arrive_by - 1, lo - 1, -1):
        leg = travel.minutes(depot, point, later)
        if later + leg <= arrive_by and leg <= max_leg:
            return later
    return none
