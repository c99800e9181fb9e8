"""Timing of one route: given the officers, depot, visit order and departure, when is each stop?

Used by the solvers to turn a visit order into stated times with the problem's own
(time-dependent) travel times, and by re-planning to test insertions. The evaluator does not
use it: it checks stated times on its own.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

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
    far as possible without delaying the first stop, to cut waiting. Returns None when a stop
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
