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
                            in one night of the operation (``JointOperation.nights``: a
                            multi-night operation may regroup them from night to night,
                            whether their shifts are one a night or one long one)
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

``team_makeup_missing`` also covers an officer alone in a programme whose officers work in
pairs (rule ``pairs``, case ``alone``). An officer of such a programme whom no crew holds breaks
no rule (they are not sent at all) but is named among the evaluation's ``warnings``
(``officer_unpaired``, case ``unpaired``); so is a crew's officer on a shift when their
crew-mates are all off and no stand-in pair holds them (case ``partner_off``).

Each rule is a short function (``rule_*``, listed in ``RULES`` by name): the route rules
(known officers, depot, route times, shifts, operation window, team rule), the stop rules
(travel, stop times, due window, opening hours, the visit's team, conflicts, rotation, wave) and
the plan rules (each visit once, one place at a time, waves together); and two warnings that do
not break a plan (officers of a programme of pairs left unpaired, joint targets reached more than
the arrival margin before their raid). A violation carries the
``rule`` that found it, a ``case`` (which of the rule's messages) and ``params`` in codes and
local times, so the console says it in the reader's language (``scheduler.selectors.
VIOLATION_TEXTS``); ``detail`` is the English text. Details give times as local wall-clock
times (``22:30``), never minutes of the horizon.
``explain_unplanned`` answers, for each visit a plan leaves out, the first rule that binds it
(opening hours, wave, shift, agency, language, skill, female officer, leader's rank, conflict,
rotation, no team having it, capacity), with parameters for a message in any language.

``CHECKER_VERSION`` names this set of rules. **Bump it with any change to what a rule accepts or
refuses** (or to its cases and parameters, or to ``explain_unplanned``'s reasons): every stored
verdict carries the version that made it, and the scheduler checks a draft plan again, with the
rules of the release, when it is next read or published under another version (see
``scheduler.services.plan_recheck``), so no plan is published, or held back, on a rule that no
longer holds.
"""

from __future__ import annotations

import itertools
import statistics
from collections import defaultdict
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from scheduler.solver.model import (
    REASON_CONFLICT_OR_ROTATION,
    REASON_NO_CAPACITY,
    REASON_NO_OPENING_IN_DUE_WINDOW,
    REASON_NO_QUALIFIED_OFFICER,
    REASON_NO_SHIFT_FITS,
    REASON_NO_TEAM_QUALIFIES,
    REASON_NO_WAVE,
    REASON_REMOVED_BY_PLANNER,
    REASON_UNKNOWN_SITE,
    Depot,
    Officer,
    Plan,
    Problem,
    Route,
    Site,
    Stop,
    Unplanned,
    Visit,
    hhmm,
)
from scheduler.solver.pairs import crews_of

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
    """One broken rule. ``code`` is the kind (see the table above); ``rule`` names the check
    that found it (one of ``RULES``); ``params`` (codes and local times) and ``case`` (which of
    the rule's messages) let a reader show it in any language; ``detail`` is English."""

    code: str
    detail: str
    visit_id: str | None = None
    officer_id: str | None = None
    route_index: int | None = None
    rule: str = ""
    case: str = ""
    params: Mapping[str, Any] = field(default_factory=dict, hash=False, compare=False)


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
    """Every broken rule, the objective, and ``warnings``: what breaks no rule but the planner
    must know (an officer of a programme of pairs who could not be paired and is not sent)."""

    violations: tuple[Violation, ...]
    objective: Objective
    warnings: tuple[Violation, ...] = ()

    @property
    def feasible(self) -> bool:
        return not self.violations

    def codes(self) -> set[str]:
        return {v.code for v in self.violations}


# What a team lacks, by case: (English text, parameters). Written independently of
# ``TeamRequirement.unmet`` (the oracle shares no code with the solvers).
_LACK_TEXT = {
    "size": "size {size} not in [{min}, {max}]",
    "agency": "no officer of {agency}",
    "skill": "no officer with {skill}",
    "language": "no interpreter for {language}",
    "female": "no female officer",
    "leader_rank": "leader rank below {rank}",
}


def _team_lacks(members, req) -> list[tuple[str, dict[str, Any]]]:
    """Everything ``members`` together lack for ``req``, as (case, params)."""
    out: list[tuple[str, dict[str, Any]]] = []
    n = len(members)
    if n < req.min_size or (req.max_size is not None and n > req.max_size):
        out.append(("size", {"size": n, "min": req.min_size, "max": req.max_size}))
    out += [("agency", {"agency": a}) for a in req.agencies if all(m.agency != a for m in members)]
    out += [("skill", {"skill": s}) for s in req.skills if all(s not in m.skills for m in members)]
    out += [
        ("language", {"language": x})
        for x in req.languages
        if all(f"lang:{x}" not in m.skills for m in members)
    ]
    if req.female and all(m.sex != "F" for m in members):
        out.append(("female", {}))
    if req.min_leader_rank is not None and all(m.rank < req.min_leader_rank for m in members):
        out.append(("leader_rank", {"rank": req.min_leader_rank}))
    return out


def _team_unmet(members, req) -> list[str]:
    """The English texts of what ``members`` lack for ``req``."""
    return [_LACK_TEXT[case].format(**params) for case, params in _team_lacks(members, req)]


# --- The rules ------------------------------------------------------------------------------------
#
# Each rule is a short function yielding the violations it finds. Route rules see one route and
# its members; stop rules one stop of it; plan rules the whole plan (with what the route pass
# recorded in the tally). ``_v`` builds a violation naming its rule.


@dataclass
class _Tally:
    """What the route pass records for the plan rules and the objective."""

    stops_by_visit: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    wave_starts: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))
    busy: dict[str, list[tuple[int, int, int, str, int]]] = field(default_factory=lambda: defaultdict(list))
    workload: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    travel: int = 0
    waiting: int = 0
    overtime: int = 0


@dataclass(frozen=True)
class _RouteCtx:
    problem: Problem
    route: Route
    index: int
    members: tuple[Officer, ...]
    depot: Depot


@dataclass(frozen=True)
class _StopCtx:
    route: _RouteCtx
    stop: Stop
    visit: Visit
    site: Site
    leg: int  # travel minutes from the previous place
    left: int  # when the team left the previous place


def _v(rule: str, code: str, detail: str, case: str = "", params=None, **where: Any) -> Violation:
    return Violation(code, detail, rule=rule, case=case or code, params=dict(params or {}), **where)


def rule_known_officers(problem: Problem, route: Route, index: int) -> Iterator[Violation]:
    """Every officer a route names exists."""
    for oid in route.officer_ids:
        if oid not in problem.officer_by_id:
            yield _v(
                "known_officers",
                "officer_unknown",
                f"officer {oid}",
                params={"officer": oid},
                officer_id=oid,
                route_index=index,
            )


def rule_depot(problem: Problem, route: Route, index: int, members) -> Iterator[Violation]:
    """A route leaves from a known depot: the muster point of an operation, else a member's unit."""
    op = problem.operation
    if route.depot_id not in problem.depot_by_id:
        yield _v(
            "depot",
            "wrong_depot",
            f"unknown depot {route.depot_id}",
            "depot_unknown",
            {"depot": route.depot_id},
            route_index=index,
        )
    elif op is not None and route.depot_id != op.depot_id:
        yield _v(
            "depot",
            "wrong_depot",
            f"team starts at {route.depot_id}, not {op.depot_id}",
            "not_muster_point",
            {"depot": route.depot_id, "muster": op.depot_id},
            route_index=index,
        )
    elif op is None and members and route.depot_id not in {m.depot_id for m in members}:
        yield _v(
            "depot",
            "wrong_depot",
            f"{route.depot_id} is no member's depot",
            "not_members_depot",
            {"depot": route.depot_id},
            route_index=index,
        )


def rule_route_times(ctx: _RouteCtx) -> Iterator[Violation]:
    """A route comes back after it leaves."""
    if ctx.route.back < ctx.route.departure:
        yield _v(
            "route_times",
            "schedule_inconsistent",
            "back before departure",
            "back_before_departure",
            {"departure": hhmm(ctx.route.departure), "back": hhmm(ctx.route.back)},
            route_index=ctx.index,
        )


def rule_shifts(ctx: _RouteCtx, tally: _Tally) -> Iterator[Violation]:
    """Each member is on a shift (plus the allowed overtime) for the whole route."""
    problem, route = ctx.problem, ctx.route
    span = {"departure": hhmm(route.departure), "back": hhmm(route.back)}
    for m in ctx.members:
        ok = [s for s in m.shifts if s[0] <= route.departure and route.back <= s[1] + problem.max_overtime]
        # The night the route belongs to, so joint teams are checked one night at a time: not by
        # shift, since a shift of the registry may span two nights of the operation.
        night = problem.operation.night_of(route.departure) if problem.operation is not None else 0
        tally.busy[m.id].append((route.departure, route.back, ctx.index, route.team_id, night))
        if ok:
            tally.overtime += max(0, route.back - min(s[1] for s in ok))
        elif any(s[0] < route.back and route.departure < s[1] for s in m.shifts):
            yield _v(
                "shifts",
                "shift_exceeded",
                f"route {span['departure']}-{span['back']} outside shift",
                params={**span, "officer": m.id},
                officer_id=m.id,
                route_index=ctx.index,
            )
        else:
            yield _v(
                "shifts",
                "officer_unavailable",
                f"no shift at {span['departure']}-{span['back']}",
                params={**span, "officer": m.id},
                officer_id=m.id,
                route_index=ctx.index,
            )


def rule_operation_window(ctx: _RouteCtx) -> Iterator[Violation]:
    """A joint team works inside the operation's window."""
    op, route = ctx.problem.operation, ctx.route
    if op is not None and (route.departure < op.start or route.back > op.end):
        yield _v(
            "operation_window",
            "shift_exceeded",
            "route outside the operation window",
            "outside_operation",
            {"start": hhmm(op.start), "end": hhmm(op.end)},
            route_index=ctx.index,
        )


def rule_team_rule(ctx: _RouteCtx) -> Iterator[Violation]:
    """A joint team meets the operation's team rule and size bounds."""
    op = ctx.problem.operation
    if op is None:
        return
    for case, params in _team_lacks(ctx.members, op.team_rule):
        text = "team rule: " + _LACK_TEXT[case].format(**params)
        yield _v("team_rule", "team_makeup_missing", text, f"team_{case}", params, route_index=ctx.index)
    n = len(ctx.members)
    if not op.team_min_size <= n <= op.team_max_size:
        params = {"size": n, "min": op.team_min_size, "max": op.team_max_size}
        yield _v(
            "team_rule",
            "team_makeup_missing",
            _LACK_TEXT["size"].format(**params).replace("size", "team size", 1),
            "team_size",
            params,
            route_index=ctx.index,
        )


def rule_pairs(ctx: _RouteCtx) -> Iterator[Violation]:
    """In a routine programme whose officers work in pairs, nobody goes out alone."""
    problem = ctx.problem
    if problem.operation is None and problem.work_in_pairs and len(ctx.members) == 1:
        officer = ctx.members[0].id
        yield _v(
            "pairs",
            "team_makeup_missing",
            f"{officer} works alone; officers work in pairs",
            "alone",
            {"officer": officer},
            officer_id=officer,
            route_index=ctx.index,
        )


def unpaired_warnings(problem: Problem, plan: Plan | None = None) -> tuple[Violation, ...]:
    """Not a broken rule, but what the planner must know: in a programme of pairs, each officer
    on duty whom no crew holds, and who is therefore not sent out at all; and each shift of a
    crew's officer whose crew-mates are all off then and whom no stand-in pair holds
    (``pairs.crews_of``): the officer is not sent out that shift (unless ``plan`` sends them, as
    a planner's edit may: a team of one then breaks the rule ``pairs``)."""
    if problem.operation is not None or not problem.work_in_pairs:
        return ()
    in_crew = {i for crew in problem.crews for i in crew}
    unpaired = tuple(
        _v(
            "pairs",
            "officer_unpaired",
            f"{o.id} could not be paired and is not sent alone",
            "unpaired",
            {"officer": o.id},
            officer_id=o.id,
        )
        for o in problem.officers
        if o.shifts and o.id not in in_crew
    )
    held: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for crew in crews_of(problem):
        for o in crew.officers:
            held[o.id] += crew.shifts
    left: list[Violation] = []
    for o in problem.officers:
        if o.id not in in_crew:
            continue
        for start, end in o.shifts:
            sent = plan is not None and any(
                o.id in r.officer_ids and r.departure < end and start < r.back for r in plan.routes
            )
            if not sent and not any(s < end and start < e for s, e in held[o.id]):
                left.append(
                    _v(
                        "pairs",
                        "officer_unpaired",
                        f"{o.id}'s crew-mates are off {hhmm(start)}–{hhmm(end)} and nobody could be"
                        " paired with them: not sent alone",
                        "partner_off",
                        {"officer": o.id, "from": hhmm(start), "to": hhmm(end)},
                        officer_id=o.id,
                    )
                )
    return unpaired + tuple(left)


def rule_travel(ctx: _StopCtx) -> Iterator[Violation]:
    """The team cannot arrive before the travel time from where it was allows."""
    stop, ready = ctx.stop, ctx.left + ctx.leg
    if stop.arrival < ready:
        params = {
            "arrival": hhmm(stop.arrival),
            "ready": hhmm(ready),
            "left": hhmm(ctx.left),
            "minutes": ctx.leg,
        }
        yield _v(
            "travel",
            "travel_infeasible",
            f"arrival {params['arrival']} before {params['ready']}"
            f" (left {params['left']}, {ctx.leg} min away)",
            "arrival",
            params,
            visit_id=ctx.visit.id,
            route_index=ctx.route.index,
        )


def rule_stop_times(ctx: _StopCtx) -> Iterator[Violation]:
    """A visit starts after arrival and lasts exactly its duration."""
    stop = ctx.stop
    if stop.start < stop.arrival or stop.end != stop.start + ctx.visit.duration:
        params = {"arrival": hhmm(stop.arrival), "start": hhmm(stop.start), "end": hhmm(stop.end)}
        yield _v(
            "stop_times",
            "schedule_inconsistent",
            f"arrival {params['arrival']} start {params['start']} end {params['end']}",
            "stop_times",
            params,
            visit_id=ctx.visit.id,
            route_index=ctx.route.index,
        )


def rule_due_window(ctx: _StopCtx) -> Iterator[Violation]:
    """The whole visit lies inside its due window."""
    stop, visit = ctx.stop, ctx.visit
    if stop.start < visit.earliest or stop.end > visit.latest:
        params = {
            "start": hhmm(stop.start),
            "end": hhmm(stop.end),
            "from": hhmm(visit.earliest),
            "to": hhmm(visit.latest),
        }
        yield _v(
            "due_window",
            "visit_outside_window",
            f"{params['start']}-{params['end']} not within {params['from']}-{params['to']}",
            params=params,
            visit_id=visit.id,
            route_index=ctx.route.index,
        )


def rule_opening_hours(ctx: _StopCtx) -> Iterator[Violation]:
    """The whole visit lies inside one opening window of the site."""
    stop, site = ctx.stop, ctx.site
    if site.opening is not None and not any(o <= stop.start and stop.end <= c for o, c in site.opening):
        params = {"site": site.id, "start": hhmm(stop.start), "end": hhmm(stop.end)}
        yield _v(
            "opening_hours",
            "site_closed",
            f"{site.id} closed during {params['start']}-{params['end']}",
            params=params,
            visit_id=ctx.visit.id,
            route_index=ctx.route.index,
        )


def rule_visit_team(ctx: _StopCtx) -> Iterator[Violation]:
    """The team brings what the visit needs: size, agencies, skills, languages, a female
    officer, a leader's rank."""
    visit, members = ctx.visit, ctx.route.members
    lacks = _team_lacks(members, visit.team)
    lacks += [
        ("skill", {"skill": s})
        for s in sorted(visit.required_skills - visit.team.skills)
        if all(s not in m.skills for m in members)
    ]
    for case, params in lacks:
        yield _v(
            "visit_team",
            "team_makeup_missing",
            _LACK_TEXT[case].format(**params),
            f"visit_{case}",
            params,
            visit_id=visit.id,
            route_index=ctx.route.index,
        )


def rule_conflicts(ctx: _StopCtx) -> Iterator[Violation]:
    """No member inspects a site or company they have a conflict of interest with."""
    site = ctx.site
    for m in ctx.route.members:
        banned = ctx.route.problem.conflicts.get(m.id, frozenset())
        if site.id in banned or (site.company_id and site.company_id in banned):
            yield _v(
                "conflicts",
                "conflict_of_interest",
                f"{m.id} conflicted with {site.id}",
                params={"officer": m.id, "site": site.id},
                visit_id=ctx.visit.id,
                officer_id=m.id,
                route_index=ctx.route.index,
            )


def rule_rotation(ctx: _StopCtx) -> Iterator[Violation]:
    """No member revisits a site within the rotation gap."""
    problem, site, start = ctx.route.problem, ctx.site, ctx.stop.start
    for m in ctx.route.members:
        last = problem.last_visits.get(m.id, {}).get(site.id)
        if last is not None and start - last < problem.rotation_gap_days * 1440:
            params = {"officer": m.id, "site": site.id, "last": hhmm(last), "start": hhmm(start)}
            yield _v(
                "rotation",
                "rotation_violated",
                f"{m.id} was at {site.id} at {params['last']}, again at {params['start']}",
                params=params,
                visit_id=ctx.visit.id,
                officer_id=m.id,
                route_index=ctx.route.index,
            )


def rule_wave(ctx: _StopCtx, tally: _Tally) -> Iterator[Violation]:
    """A joint target is raided in a wave it may join, within the wave's tolerance."""
    op, stop, visit = ctx.route.problem.operation, ctx.stop, ctx.visit
    if op is None:
        return
    wave = next((w for w in op.waves if w.id == (stop.wave_id or "")), None)
    if wave is None or (visit.waves and wave.id not in visit.waves):
        yield _v(
            "wave",
            "wave_invalid",
            f"wave {stop.wave_id!r}",
            params={"wave": stop.wave_id or ""},
            visit_id=visit.id,
            route_index=ctx.route.index,
        )
        return
    tally.wave_starts[wave.id].append(stop.start)
    if not wave.start <= stop.start <= wave.start + op.sync_tolerance:
        params = {"start": hhmm(stop.start), "wave": wave.id, "wave_start": hhmm(wave.start)}
        yield _v(
            "wave",
            "wave_desynchronised",
            f"starts {params['start']}, wave {wave.id} at {params['wave_start']}",
            "late_in_wave",
            params,
            visit_id=visit.id,
            route_index=ctx.route.index,
        )


def rule_travel_back(ctx: _RouteCtx, left: int, leg: int) -> Iterator[Violation]:
    """The team cannot be back before the travel time from its last place allows."""
    if ctx.route.back < left + leg:
        params = {"back": hhmm(ctx.route.back), "ready": hhmm(left + leg), "left": hhmm(left), "minutes": leg}
        yield _v(
            "travel",
            "travel_infeasible",
            f"back {params['back']} before {params['ready']} (left {params['left']}, {leg} min away)",
            "back",
            params,
            route_index=ctx.index,
        )


STOP_RULES = (
    rule_travel,
    rule_stop_times,
    rule_due_window,
    rule_opening_hours,
    rule_visit_team,
    rule_conflicts,
    rule_rotation,
)


def rule_unknown_visit(stop: Stop, index: int) -> Violation:
    return _v(
        "known_visits",
        "visit_unknown",
        f"visit {stop.visit_id}",
        params={"visit": stop.visit_id},
        visit_id=stop.visit_id,
        route_index=index,
    )


def _route_violations(problem: Problem, route: Route, index: int, tally: _Tally) -> Iterator[Violation]:
    """The route rules, then every stop's, walking the route with the problem's travel times."""
    yield from rule_known_officers(problem, route, index)
    members = tuple(problem.officer_by_id[o] for o in route.officer_ids if o in problem.officer_by_id)
    yield from rule_depot(problem, route, index, members)
    depot = problem.depot_by_id.get(route.depot_id)
    if depot is None:
        return
    ctx = _RouteCtx(problem, route, index, members, depot)
    yield from rule_route_times(ctx)
    yield from rule_shifts(ctx, tally)
    yield from rule_operation_window(ctx)
    yield from rule_team_rule(ctx)
    yield from rule_pairs(ctx)
    where, now = depot.point, route.departure
    for stop in route.stops:
        tally.stops_by_visit[stop.visit_id] += 1
        visit = problem.visit_by_id.get(stop.visit_id)
        if visit is None or visit.site_id not in problem.site_by_id:
            yield rule_unknown_visit(stop, index)
            continue
        site = problem.site_by_id[visit.site_id]
        leg = problem.travel.minutes(where, site.point, now)
        tally.travel += leg
        tally.waiting += max(0, stop.start - stop.arrival)
        for m in members:
            tally.workload[m.id] += leg + visit.duration
        stop_ctx = _StopCtx(ctx, stop, visit, site, leg, now)
        for rule in STOP_RULES:
            yield from rule(stop_ctx)
        yield from rule_wave(stop_ctx, tally)
        where, now = site.point, stop.end
    leg = problem.travel.minutes(where, depot.point, now)
    tally.travel += leg
    for m in members:
        tally.workload[m.id] += leg
    yield from rule_travel_back(ctx, now, leg)


def rule_each_visit_once(plan: Plan, tally: _Tally) -> Iterator[Violation]:
    """A visit is in one stop at most, and not also among the unplanned."""
    for vid, n in tally.stops_by_visit.items():
        if n > 1:
            yield _v(
                "each_visit_once",
                "visit_duplicated",
                f"{vid} planned {n} times",
                "planned_twice",
                {"visit": vid, "times": n},
                visit_id=vid,
            )
    for u in plan.unplanned:
        if u.visit_id in tally.stops_by_visit:
            yield _v(
                "each_visit_once",
                "visit_duplicated",
                f"{u.visit_id} both planned and unplanned",
                "planned_and_unplanned",
                {"visit": u.visit_id},
                visit_id=u.visit_id,
            )


def rule_one_place_at_a_time(problem: Problem, tally: _Tally) -> Iterator[Violation]:
    """An officer is on one route at a time, and in one joint team per night of the operation
    (another team on another night is allowed)."""
    for oid, spans in tally.busy.items():
        spans.sort()
        teams_by_night: dict[int, set[str]] = defaultdict(set)
        for *_, team, night in spans:
            if team:
                teams_by_night[night].add(team)
        for teams in teams_by_night.values():
            if problem.operation is not None and len(teams) > 1:
                yield _v(
                    "one_place_at_a_time",
                    "officer_double_booked",
                    f"{oid} in teams {sorted(teams)}",
                    "two_teams",
                    {"officer": oid, "teams": ", ".join(sorted(teams))},
                    officer_id=oid,
                )
        for (_s1, e1, r1, *_), (s2, _e2, r2, *_) in itertools.pairwise(spans):
            if s2 < e1:
                yield _v(
                    "one_place_at_a_time",
                    "officer_double_booked",
                    f"{oid} on routes {r1} and {r2}",
                    "two_routes",
                    {"officer": oid, "first": r1 + 1, "second": r2 + 1},
                    officer_id=oid,
                )


def rule_waves_together(problem: Problem, tally: _Tally) -> Iterator[Violation]:
    """A wave's targets start within the tolerance of one another."""
    op = problem.operation
    if op is None:
        return
    for wid, starts in tally.wave_starts.items():
        if max(starts) - min(starts) > op.sync_tolerance:
            params = {"wave": wid, "first": hhmm(min(starts)), "last": hhmm(max(starts))}
            yield _v(
                "waves_together",
                "wave_desynchronised",
                f"wave {wid} starts spread {params['first']}-{params['last']}",
                "spread",
                params,
            )


def early_arrival_warnings(problem: Problem, plan: Plan) -> tuple[Violation, ...]:
    """Not a broken rule, but what the planner must know: in a joint operation, each target a team
    reaches more than ``arrive_before`` minutes (``SCHEDULER_ARRIVE_BEFORE_MINUTES``) before its
    raid, so it would wait outside and could give the raid away. The planner's times keep the
    margin (``schedule.justify``) unless leaving later would lengthen the drive, or the team had
    already left; a plan stored before they did may not."""
    op = problem.operation
    if op is None:
        return ()
    margin = max(0, op.arrive_before)
    return tuple(
        _v(
            "arrive_before",
            "early_arrival",
            f"arrives {hhmm(stop.arrival)}, {stop.start - stop.arrival} min before its raid at"
            f" {hhmm(stop.start)} (at most {margin})",
            "early_arrival",
            {
                "arrival": hhmm(stop.arrival),
                "start": hhmm(stop.start),
                "minutes": stop.start - stop.arrival,
                "most": margin,
            },
            visit_id=stop.visit_id,
            route_index=index,
        )
        for index, route in enumerate(plan.routes)
        for stop in route.stops
        if stop.wave_id and stop.start - stop.arrival > margin
    )


# The version of the rules below, stored with every verdict (see the module docstring). Bump it
# with any change to what they accept or refuse, and say why here. A verdict stored without a
# version (before versions were kept) counts as another version. History:
#   2  officer_double_booked counts joint teams per night of the operation, not per registry
#      shift (282de85): one long shift over two nights no longer makes an officer "in two teams".
#   3  a warning (not a breach) for each joint target a team reaches more than the operation's
#      arrive_before minutes before its raid (early_arrival_warnings).
CHECKER_VERSION = 3

# Every rule, by the name a violation carries in ``rule``.
RULES = {
    f.__name__.removeprefix("rule_"): f
    for f in (
        rule_known_officers,
        rule_depot,
        rule_route_times,
        rule_shifts,
        rule_operation_window,
        rule_team_rule,
        rule_pairs,
        *STOP_RULES,
        rule_wave,
        rule_each_visit_once,
        rule_one_place_at_a_time,
        rule_waves_together,
    )
} | {"known_visits": rule_unknown_visit}


def _objective(problem: Problem, tally: _Tally, violations: int, idle: set[str]) -> Objective:
    planned = set(tally.stops_by_visit)
    covered = [v for v in problem.visits if v.id in planned]
    missed = [v for v in problem.visits if v.id not in planned]
    # Officers who could not be paired are not sent: their nil workload is no unfairness.
    loads = [tally.workload.get(o.id, 0) for o in problem.officers if o.shifts and o.id not in idle]
    prio_missed = sum(v.priority for v in missed)
    w_range = (max(loads) - min(loads)) if loads else 0
    scalar = (
        WEIGHT_PRIORITY_MISSED * prio_missed
        + WEIGHT_TRAVEL * tally.travel
        + WEIGHT_WAITING * tally.waiting
        + WEIGHT_OVERTIME * tally.overtime
        + WEIGHT_FAIRNESS * w_range
        + WEIGHT_VIOLATION * violations
    )
    return Objective(
        visits_covered=len(covered),
        visits_missed=len(missed),
        priority_covered=sum(v.priority for v in covered),
        priority_missed=prio_missed,
        travel_minutes=tally.travel,
        waiting_minutes=tally.waiting,
        overtime_minutes=tally.overtime,
        workload_min=min(loads) if loads else 0,
        workload_max=max(loads) if loads else 0,
        workload_range=w_range,
        workload_std=statistics.pstdev(loads) if loads else 0.0,
        scalar=scalar,
    )


def evaluate(problem: Problem, plan: Plan) -> Evaluation:
    """Check ``plan`` against ``problem``; return every violation and the objective breakdown."""
    tally = _Tally()
    out: list[Violation] = []
    for index, route in enumerate(plan.routes):
        out += _route_violations(problem, route, index, tally)
    out += rule_each_visit_once(plan, tally)
    out += rule_one_place_at_a_time(problem, tally)
    out += rule_waves_together(problem, tally)
    warnings = unpaired_warnings(problem, plan) + early_arrival_warnings(problem, plan)
    idle = {w.officer_id for w in warnings if w.officer_id is not None}
    return Evaluation(tuple(out), _objective(problem, tally, len(out), idle), warnings)


def route_summary(route: Route) -> str:
    """One line describing a route, for logs and benchmark output."""
    stops = " ".join(f"{s.visit_id}@{s.start}" for s in route.stops)
    return f"{'+'.join(route.officer_ids)} day {route.day} {route.departure}-{route.back}: {stops}"


# --- Why a visit is not in the plan ---------------------------------------------------------------
#
# The checker answers for each unplanned visit with the first rule that binds it, tried from the
# most fundamental (the site is never open when the visit is due) to the plan's own choices (the
# teams that could do it are busy): a planner reads what to change, not a solver's status code.


def _missing(members, req) -> tuple[str, dict[str, Any]] | None:
    """The first thing ``members`` together lack for ``req``: (rule, params), or None."""
    for agency in sorted(req.agencies):
        if all(m.agency != agency for m in members):
            return "agency", {"agency": agency}
    for lang in sorted(req.languages):
        if all(f"lang:{lang}" not in m.skills for m in members):
            return "language", {"language": lang}
    for skill in sorted(req.skills):
        if all(skill not in m.skills for m in members):
            if skill.startswith("lang:"):
                return "language", {"language": skill[5:]}
            return "skill", {"skill": skill}
    if req.female and all(m.sex != "F" for m in members):
        return "female", {}
    if req.min_leader_rank is not None and all(m.rank < req.min_leader_rank for m in members):
        return "leader_rank", {"rank": req.min_leader_rank}
    return None


_MISSING_TEXT = {
    "agency": "no officer of {agency}",
    "language": "no officer who speaks {language} (interpreter)",
    "skill": "no officer with the skill {skill}",
    "female": "no female officer (persons may be searched)",
    "leader_rank": "no officer of rank {rank} or above to lead",
}


def _starts(problem: Problem, visit: Visit, site: Site) -> list[tuple[int, str | None]]:
    """Every (start minute, wave) at which the visit fits its due window and the site's
    opening hours: for a joint target, within each allowed wave's tolerance; else the earliest
    start in each opening window."""
    op = problem.operation
    out: list[tuple[int, str | None]] = []
    if op is not None:
        for wave in sorted(op.waves, key=lambda w: w.start):
            if visit.waves and wave.id not in visit.waves:
                continue
            for start in range(wave.start, wave.start + op.sync_tolerance + 1):
                end = start + visit.duration
                if visit.earliest <= start and end <= visit.latest and site.is_open(start, end):
                    out.append((start, wave.id))
                    break
        return out
    for open_, close in site.opening if site.opening is not None else ((visit.earliest, visit.latest),):
        start = max(open_, visit.earliest)
        if start + visit.duration <= min(close, visit.latest):
            out.append((start, None))
    return out


def _on_duty(problem: Problem, depot_point, site: Site, visit: Visit, starts) -> list[Officer]:
    """Officers with a shift covering the trip out, the visit and the trip back, for some start."""
    travel = problem.travel
    out = []
    for o in problem.officers:
        home = problem.depot_by_id.get(problem.operation.depot_id if problem.operation else o.depot_id)
        point = home.point if home is not None else depot_point
        for start, _wave in starts:
            lo = start - travel.minutes(point, site.point, start)
            hi = start + visit.duration + travel.minutes(site.point, point, start + visit.duration)
            if any(a <= lo and hi <= b + problem.max_overtime for a, b in o.shifts):
                out.append(o)
                break
    return out


def _blocked(problem: Problem, officer: Officer, site: Site, start: int) -> str | None:
    banned = problem.conflicts.get(officer.id, frozenset())
    if site.id in banned or (site.company_id and site.company_id in banned):
        return "conflict"
    last = problem.last_visits.get(officer.id, {}).get(site.id)
    if last is not None and start - last < problem.rotation_gap_days * 1440:
        return "rotation"
    return None


def _free_in(route: Route, visit: Visit, start: int, wave: str | None, problem: Problem, site: Site) -> bool:
    """Whether the route could take the visit at ``start`` between its stops, on travel time."""
    if wave is not None and any(s.wave_id == wave for s in route.stops):
        return False
    travel = problem.travel
    depot = problem.depot_by_id.get(route.depot_id)
    if depot is None:
        return False
    where, ready = depot.point, route.departure
    stops = sorted(route.stops, key=lambda s: s.start)
    nexts = [*stops, None]
    for nxt in nexts:
        if nxt is not None and nxt.end <= start:
            nxt_visit = problem.visit_by_id.get(nxt.visit_id)
            nxt_site = problem.site_by_id.get(nxt_visit.site_id) if nxt_visit else None
            if nxt_site is not None:
                where, ready = nxt_site.point, nxt.end
            continue
        if ready + travel.minutes(where, site.point, ready) > start:
            return False
        end = start + visit.duration
        if nxt is None:
            back = end + travel.minutes(site.point, depot.point, end)
            return route.departure <= start and (problem.operation is None or back <= problem.operation.end)
        nxt_visit = problem.visit_by_id.get(nxt.visit_id)
        nxt_site = problem.site_by_id.get(nxt_visit.site_id) if nxt_visit else None
        return nxt_site is not None and end + travel.minutes(site.point, nxt_site.point, end) <= nxt.start
    return False


def explain_visit(problem: Problem, plan: Plan, visit_id: str, reason: str = "") -> Unplanned:
    """The binding reason ``visit_id`` is not in ``plan``, in terms a planner can act on."""
    visit = problem.visit_by_id.get(visit_id)
    site = problem.site_by_id.get(visit.site_id) if visit is not None else None
    if visit is None or site is None:
        return Unplanned(visit_id, REASON_UNKNOWN_SITE, "the site is not in the problem", "site", {})
    if reason == REASON_REMOVED_BY_PLANNER:
        return Unplanned(visit_id, reason, "taken out of the plan by the planner", "planner", {})
    op = problem.operation
    due = {"from": hhmm(visit.earliest), "to": hhmm(visit.latest)}
    opening = [
        f"{hhmm(a)}-{hhmm(b)}" for a, b in (site.opening or ()) if a < visit.latest and visit.earliest < b
    ]
    starts = _starts(problem, visit, site)
    if not starts:
        if op is not None:
            allowed = [w for w in op.waves if not visit.waves or w.id in visit.waves]
            waves = ", ".join(f"{w.id} at {hhmm(w.start)}" for w in sorted(allowed, key=lambda w: w.start))
            params = {"waves": waves, "opening": ", ".join(opening) or "-", "minutes": visit.duration}
            return Unplanned(
                visit_id,
                REASON_NO_WAVE,
                f"no wave ({waves or 'none allowed'}) starts while the site is open ({params['opening']}) "
                f"for the {visit.duration} minutes a visit takes",
                "wave",
                params,
            )
        params = {**due, "opening": ", ".join(opening) or "-", "minutes": visit.duration}
        return Unplanned(
            visit_id,
            REASON_NO_OPENING_IN_DUE_WINDOW,
            f"the site is not open for {visit.duration} minutes between {due['from']} and {due['to']}"
            f" (opening hours: {params['opening']})",
            "opening_hours",
            params,
        )
    depot = problem.depot_by_id.get(op.depot_id) if op else None
    point = depot.point if depot is not None else site.point
    on_duty = _on_duty(problem, point, site, visit, starts)
    when = ", ".join(f"{hhmm(s)}" + (f" ({w})" if w else "") for s, w in starts)
    if not on_duty:
        return Unplanned(
            visit_id,
            REASON_NO_SHIFT_FITS,
            f"no officer's shift covers the trip and the visit at {when}",
            "shift",
            {"times": when},
        )
    req = visit.requirement
    if op is not None:
        req = req.merged(op.team_rule)
    lack = _missing(on_duty, req)
    if lack is not None:
        rule, params = lack
        return Unplanned(
            visit_id,
            REASON_NO_QUALIFIED_OFFICER,
            f"among the {len(on_duty)} officers on duty then, " + _MISSING_TEXT[rule].format(**params),
            rule,
            {**params, "on_duty": len(on_duty)},
        )
    first = starts[0][0]
    free = [o for o in on_duty if _blocked(problem, o, site, first) is None]
    if _missing(free, req) is not None:
        kinds = {_blocked(problem, o, site, first) for o in on_duty} - {None}
        rule = "conflict" if "conflict" in kinds else "rotation"
        text = (
            "the only officers who qualify have a conflict of interest with the site or its company"
            if rule == "conflict"
            else "the only officers who qualify visited the site too recently (rotation)"
        )
        return Unplanned(visit_id, REASON_CONFLICT_OR_ROTATION, text, rule, {})
    routes = [r for r in plan.routes if r.stops or op is None]
    qualifying = []
    lacking: dict[tuple[str, tuple], int] = {}
    for r in routes:
        members = [problem.officer_by_id[i] for i in r.officer_ids if i in problem.officer_by_id]
        gap = _missing(members, visit.requirement)
        if gap is None and not any(_blocked(problem, m, site, first) for m in members):
            qualifying.append(r)
        elif gap is not None:
            key = (gap[0], tuple(sorted(gap[1].items())))
            lacking[key] = lacking.get(key, 0) + 1
    if routes and not qualifying and lacking:
        (rule, items), count = max(lacking.items(), key=lambda kv: kv[1])
        params = dict(items)
        return Unplanned(
            visit_id,
            REASON_NO_TEAM_QUALIFIES,
            f"{count} of the {len(routes)} teams have "
            + _MISSING_TEXT[rule].format(**params)
            + "; officers on duty who qualify are in no team",
            rule,
            {**params, "teams": len(routes)},
        )
    for r in qualifying:
        for start, wave in starts:
            if _free_in(r, visit, start, wave, problem, site):
                return Unplanned(
                    visit_id,
                    REASON_NO_CAPACITY,
                    f"a team could still take it at {hhmm(start)}"
                    + (f" in wave {wave}" if wave else "")
                    + "; move it there or plan again with a longer time limit",
                    "capacity",
                    {"times": hhmm(start), "teams": len(qualifying)},
                )
    if qualifying:
        return Unplanned(
            visit_id,
            REASON_NO_CAPACITY,
            f"the {len(qualifying)} teams that qualify are busy or too far away at {when}",
            "travel",
            {"times": when, "teams": len(qualifying)},
        )
    return Unplanned(
        visit_id,
        REASON_NO_CAPACITY,
        f"no team or officer route is free at {when}; more officers on duty would be needed",
        "capacity",
        {"times": when, "teams": 0},
    )


def explain_unplanned(problem: Problem, plan: Plan) -> tuple[Unplanned, ...]:
    """Every unplanned visit of ``plan`` with its binding reason (see ``explain_visit``)."""
    planned = plan.planned_visit_ids()
    return tuple(
        u if u.visit_id in planned else explain_visit(problem, plan, u.visit_id, u.reason)
        for u in plan.unplanned
    )
