"""The evaluator catches each kind of broken constraint on hand-made plans."""

from __future__ import annotations

from dataclasses import replace

import pytest

from scheduler.solver import Plan, Problem, Route, Stop, TeamRequirement, Unplanned, evaluate

from .builders import DAY, HQ, TAIPA, joint_problem, officer, operation_problem, site, visit


def base_problem(**kw) -> Problem:
    officers = (
        officer("alice", "DSAL", skills={"labour_inspector", "lang:tl"}, sex="F", rank=3),
        officer("bob", "PSP", rank=1),
        officer("carol", "DSAL", depot="TAIPA", rank=2),
    )
    sites = (site(0, opening=((9 * 60, 17 * 60),)), site(1), site(2, company="acme"))
    visits = (visit(0), visit(1), visit(2))
    return Problem((HQ, TAIPA), sites, officers, visits, **kw)


def route_for(
    problem: Problem, officer_ids, visit_ids, departure: int = 9 * 60, depot: str = "HQ", **kw
) -> Route:
    """A route with honest times: each stop starts on arrival (or at opening)."""
    travel = problem.travel
    where = problem.depot_by_id[depot].point
    now = departure
    stops = []
    for vid in visit_ids:
        v = problem.visit_by_id[vid]
        s = problem.site_by_id[v.site_id]
        arrival = now + travel.minutes(where, s.point, now)
        start = max(arrival, v.earliest)
        stops.append(Stop(vid, arrival, start, start + v.duration))
        where, now = s.point, start + v.duration
    back = now + travel.minutes(where, problem.depot_by_id[depot].point, now)
    return Route(tuple(officer_ids), depot, departure, back, tuple(stops), **kw)


def codes(problem: Problem, *routes: Route, unplanned=()) -> set[str]:
    return evaluate(problem, Plan(tuple(routes), tuple(unplanned))).codes()


def test_honest_plan_has_no_violation():
    p = base_problem()
    ev = evaluate(p, Plan((route_for(p, ["alice"], ["v0", "v1"]), route_for(p, ["bob"], ["v2"]))))
    assert ev.violations == ()
    assert ev.objective.visits_covered == 3
    assert ev.objective.priority_missed == 0
    assert ev.objective.travel_minutes > 0


def test_objective_counts_missed_priority_and_fairness():
    p = base_problem()
    ev = evaluate(p, Plan((route_for(p, ["alice"], ["v0"]),)))
    assert ev.objective.visits_missed == 2
    assert ev.objective.priority_missed == 2
    assert ev.objective.workload_min == 0
    assert ev.objective.workload_range == ev.objective.workload_max > 0
    assert ev.objective.scalar > 2000


def test_visit_outside_due_window():
    p = base_problem()
    p = replace(p, visits=(replace(p.visits[0], latest=9 * 60 + 20), *p.visits[1:]))
    assert "visit_outside_window" in codes(p, route_for(p, ["alice"], ["v0"]))


def test_site_closed():
    p = base_problem()
    assert "site_closed" in codes(p, route_for(p, ["alice"], ["v0"], departure=16 * 60 + 30))


def test_shift_exceeded_and_officer_unavailable():
    p = base_problem()
    assert "shift_exceeded" in codes(p, route_for(p, ["alice"], ["v1"], departure=16 * 60 + 40))
    assert "officer_unavailable" in codes(p, route_for(p, ["alice"], ["v1"], departure=DAY + 9 * 60))


def test_overtime_within_allowance_is_counted_not_flagged():
    p = base_problem(max_overtime=120)
    ev = evaluate(p, Plan((route_for(p, ["bob"], ["v1"], departure=16 * 60 + 40),)))
    assert ev.violations == ()
    assert ev.objective.overtime_minutes > 0


def test_officer_double_booked():
    p = base_problem()
    assert "officer_double_booked" in codes(p, route_for(p, ["bob"], ["v1"]), route_for(p, ["bob"], ["v2"]))


def test_visit_duplicated():
    p = base_problem()
    assert "visit_duplicated" in codes(p, route_for(p, ["alice"], ["v1"]), route_for(p, ["bob"], ["v1"]))
    assert "visit_duplicated" in codes(p, route_for(p, ["alice"], ["v1"]), unplanned=[Unplanned("v1", "x")])


def test_travel_infeasible_when_arrival_too_early():
    p = base_problem()
    r = route_for(p, ["alice"], ["v1"])
    s = r.stops[0]
    fake = replace(r, stops=(replace(s, arrival=r.departure, start=r.departure, end=r.departure + 45),))
    assert "travel_infeasible" in codes(p, fake)


def test_schedule_inconsistent():
    p = base_problem()
    r = route_for(p, ["alice"], ["v1"])
    assert "schedule_inconsistent" in codes(
        p, replace(r, stops=(replace(r.stops[0], end=r.stops[0].end + 5),))
    )


@pytest.mark.parametrize(
    ("requirement", "skills", "who"),
    [
        (TeamRequirement(female=True), (), "bob"),
        (TeamRequirement(agencies=frozenset({"PSP"})), (), "alice"),
        (TeamRequirement(), ("labour_inspector",), "bob"),
        (TeamRequirement(languages=frozenset({"id"})), (), "alice"),
        (TeamRequirement(min_leader_rank=2), (), "bob"),
        (TeamRequirement(min_size=2), (), "alice"),
    ],
    ids=["no_female", "no_police", "no_labour_inspector", "no_interpreter", "leader_rank", "too_small"],
)
def test_team_makeup_missing(requirement, skills, who):
    p = base_problem()
    p = replace(
        p, visits=(replace(p.visits[0], team=requirement, required_skills=frozenset(skills)), *p.visits[1:])
    )
    assert "team_makeup_missing" in codes(p, route_for(p, [who], ["v0"]))


def test_team_makeup_met_by_the_pair():
    p = base_problem()
    req = TeamRequirement(female=True, agencies=frozenset({"PSP"}), languages=frozenset({"tl"}), min_size=2)
    p = replace(p, visits=(replace(p.visits[0], team=req), *p.visits[1:]))
    assert codes(p, route_for(p, ["alice", "bob"], ["v0"])) == set()


def test_conflict_of_interest_by_site_and_by_company():
    p = base_problem(conflicts={"bob": {"s1"}, "alice": {"acme"}})
    assert "conflict_of_interest" in codes(p, route_for(p, ["bob"], ["v1"]))
    assert "conflict_of_interest" in codes(p, route_for(p, ["alice"], ["v2"]))


def test_rotation_violated():
    p = base_problem(last_visits={"bob": {"s1": -2 * DAY}}, rotation_gap_days=30)
    assert "rotation_violated" in codes(p, route_for(p, ["bob"], ["v1"]))
    ok = base_problem(last_visits={"bob": {"s1": -40 * DAY}}, rotation_gap_days=30)
    assert codes(ok, route_for(ok, ["bob"], ["v1"])) == set()


def test_wrong_depot_and_unknown_ids():
    p = base_problem()
    assert "wrong_depot" in codes(p, route_for(p, ["alice"], ["v1"], depot="TAIPA"))
    assert "officer_unknown" in codes(p, route_for(p, ["zed"], ["v1"]))
    r = route_for(p, ["alice"], ["v1"])
    assert "visit_unknown" in codes(p, replace(r, stops=(replace(r.stops[0], visit_id="nope"),)))


def joint_route(p: Problem, officer_ids, visit_id: str, wave_id: str, start: int, team_id: str) -> Route:
    v = p.visit_by_id[visit_id]
    s = p.site_by_id[v.site_id]
    depot = p.depot_by_id["HQ"].point
    leg = p.travel.minutes(depot, s.point, 21 * 60)
    stop = Stop(visit_id, 21 * 60 + leg, start, start + v.duration, wave_id)
    back = stop.end + p.travel.minutes(s.point, depot, stop.end)
    return Route(tuple(officer_ids), "HQ", 21 * 60, back, (stop,), team_id, officer_ids[0])


def test_wave_desynchronised_and_invalid():
    p = joint_problem(2)
    a = joint_route(p, ["o0", "o1"], "v0", "W1", 22 * 60, "T1")
    b = joint_route(p, ["o3", "o4"], "v1", "W1", 22 * 60 + 25, "T2")
    assert codes(p, a) == set()
    assert "wave_desynchronised" in codes(p, a, b)
    assert "wave_invalid" in codes(p, replace(a, stops=(replace(a.stops[0], wave_id="W9"),)))


def test_joint_officer_in_two_teams_and_team_rule():
    p = joint_problem(4)
    a = joint_route(p, ["o0", "o1"], "v0", "W1", 22 * 60, "T1")
    b = joint_route(p, ["o1", "o3"], "v1", "W2", 24 * 60, "T2")
    assert "officer_double_booked" in codes(p, a, b)
    no_police = joint_route(p, ["o1", "o2"], "v2", "W1", 22 * 60, "T3")  # DSAL + DSAT
    assert "team_makeup_missing" in codes(p, no_police)
    too_big = joint_route(p, ["o0", "o1", "o2", "o3", "o4"], "v2", "W1", 22 * 60, "T3")
    assert "team_makeup_missing" in codes(p, too_big)


def test_joint_officer_may_change_teams_between_nights_but_not_within_one():
    p = operation_problem(3, nights=2)
    first = joint_route(p, ["o0", "o1"], "v0", "N1W1", 22 * 60, "N1-T01")
    same_night = joint_route(p, ["o1", "o3"], "v1", "N1W2", 23 * 60 + 30, "N1-T02")
    second = replace(
        joint_route(p, ["o1", "o3"], "v1", "N1W1", 22 * 60, "N2-T01"),
        departure=DAY + 21 * 60,
    )
    second = replace(
        second,
        back=second.back + DAY,
        stops=tuple(
            replace(s, arrival=s.arrival + DAY, start=s.start + DAY, end=s.end + DAY, wave_id="N2W1")
            for s in second.stops
        ),
    )
    assert codes(p, first, second) == set()
    assert "officer_double_booked" in codes(p, first, same_night)


def test_one_shift_over_two_nights_still_lets_an_officer_change_teams_between_them():
    """The registry may hold one shift over both nights: teams are still counted per night of
    the operation (its waves, ``JointOperation.nights``), so o1 may be in one team each night,
    never in two on one night."""
    long = ((20 * 60, DAY + 28 * 60 + 30),)
    officers = tuple(officer(f"o{i}", ("PSP", "DSAL", "DSAT")[i % 3], shifts=long) for i in range(6))
    p = operation_problem(3, nights=2, officers=officers)
    assert [n.wave_ids for n in p.operation.nights] == [("N1W1", "N1W2"), ("N2W1", "N2W2")]
    first = joint_route(p, ["o0", "o1"], "v0", "N1W1", 22 * 60, "N1-T01")
    same_night = joint_route(p, ["o1", "o3"], "v1", "N1W2", 23 * 60 + 30, "N1-T02")
    second = joint_route(p, ["o1", "o3"], "v1", "N1W1", 22 * 60, "N2-T01")
    second = replace(
        second,
        departure=second.departure + DAY,
        back=second.back + DAY,
        stops=tuple(
            replace(s, arrival=s.arrival + DAY, start=s.start + DAY, end=s.end + DAY, wave_id="N2W1")
            for s in second.stops
        ),
    )
    assert codes(p, first, second) == set()
    assert "officer_double_booked" in codes(p, first, same_night)
