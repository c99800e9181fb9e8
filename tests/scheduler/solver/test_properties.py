"""Property tests: whatever the small random problem, the returned plan breaks no constraint."""

from __future__ import annotations

from dataclasses import replace

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scheduler.solver import (
    Depot,
    Officer,
    Problem,
    Site,
    SolveOptions,
    TeamRequirement,
    Visit,
    evaluate,
    plan_joint,
    plan_routine,
)

from .builders import DAY, joint_problem, night_shifts, officer, operation_problem

SKILLS = ["labour_inspector", "interpreter", "first_aid", "lang:tl"]
OPTIONS = SolveOptions(time_limit=5, max_iterations=150, seed=3)


@st.composite
def routine_problems(draw) -> Problem:
    days = draw(st.integers(1, 2))
    depots = (Depot("HQ", 22.1967, 113.5439), Depot("TAIPA", 22.1560, 113.5580))
    n_sites = draw(st.integers(1, 6))
    sites = []
    for i in range(n_sites):
        kind = draw(st.sampled_from(["any", "day", "night"]))
        opening = None
        if kind == "day":
            opening = tuple((d * DAY + 9 * 60, d * DAY + 18 * 60) for d in range(days))
        elif kind == "night":
            opening = tuple((d * DAY + 20 * 60, d * DAY + 28 * 60) for d in range(days))
        lat = draw(st.floats(22.11, 22.22))
        lon = draw(st.floats(113.53, 113.59))
        sites.append(Site(f"s{i}", lat, lon, f"c{i % 3}", opening))
    officers = []
    for i in range(draw(st.integers(1, 4))):
        night = draw(st.booleans())
        start, end = (21 * 60, 29 * 60) if night else (8 * 60 + 30, 17 * 60 + 30)
        shifts = tuple((d * DAY + start, d * DAY + end) for d in range(days) if draw(st.booleans()) or d == 0)
        officers.append(
            Officer(
                f"o{i}",
                draw(st.sampled_from(["PSP", "DSAL"])),
                draw(st.sampled_from(["HQ", "TAIPA"])),
                frozenset(draw(st.sets(st.sampled_from(SKILLS), max_size=2))),
                draw(st.sampled_from("FM")),
                draw(st.integers(0, 4)),
                shifts,
            )
        )
    visits = []
    for i in range(draw(st.integers(1, 8))):
        earliest = draw(st.integers(0, days * DAY - 60))
        latest = draw(st.integers(earliest + 30, days * DAY + 6 * 60))
        team = TeamRequirement(
            female=draw(st.booleans()) and draw(st.booleans()),
            agencies=frozenset(draw(st.sets(st.sampled_from(["PSP", "DSAL"]), max_size=1))),
            min_leader_rank=draw(st.sampled_from([None, None, 2])),
        )
        visits.append(
            Visit(
                f"v{i}",
                f"s{draw(st.integers(0, n_sites - 1))}",
                earliest,
                latest,
                draw(st.integers(15, 120)),
                draw(st.integers(1, 5)),
                frozenset(draw(st.sets(st.sampled_from(SKILLS), max_size=1))),
                team,
            )
        )
    conflicts = {
        o.id: frozenset(draw(st.sets(st.sampled_from([s.id for s in sites] + ["c0", "c1"]), max_size=2)))
        for o in officers
    }
    last_visits = {
        o.id: {s.id: draw(st.integers(-20 * DAY, DAY)) for s in sites if draw(st.booleans())}
        for o in officers
    }
    crews = ()
    if len(officers) >= 2 and draw(st.booleans()):
        crews = ((officers[0].id, officers[1].id),)
    return Problem(
        depots,
        tuple(sites),
        tuple(officers),
        tuple(visits),
        conflicts=conflicts,
        last_visits=last_visits,
        rotation_gap_days=draw(st.sampled_from([0, 7])),
        crews=crews,
        max_overtime=draw(st.sampled_from([0, 60])),
    )


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(routine_problems())
def test_any_routine_plan_passes_the_evaluator(problem):
    plan = plan_routine(problem, options=OPTIONS)
    ev = evaluate(problem, plan)
    assert ev.violations == (), ev.violations
    planned = [s.visit_id for r in plan.routes for s in r.stops]
    unplanned = [u.visit_id for u in plan.unplanned]
    assert sorted(planned + unplanned) == sorted(v.id for v in problem.visits)


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    n=st.integers(1, 6),
    tolerance=st.sampled_from([0, 5, 15]),
    female=st.booleans(),
    rank=st.sampled_from([None, 2, 4]),
    lang=st.sampled_from([(), ("tl",)]),
)
def test_any_joint_plan_passes_the_evaluator(n, tolerance, female, rank, lang):
    req = TeamRequirement(female=female, min_leader_rank=rank, languages=frozenset(lang))
    problem = joint_problem(n, tolerance=tolerance, target_team=req)
    plan = plan_joint(problem, options=SolveOptions(time_limit=5, deterministic_time=0.5, seed=1))
    ev = evaluate(problem, plan)
    assert ev.violations == (), ev.violations
    assert_no_team_waits_outside_a_target(problem, plan)
    assert len(plan.planned_visit_ids()) + len(plan.unplanned) == n


@st.composite
def operations(draw) -> Problem:
    """Small random operations: one or two nights, random officers, make-up, conflicts, waves."""
    nights = draw(st.integers(1, 2))
    n_targets = draw(st.integers(1, 8))
    officers = []
    for i in range(draw(st.integers(2, 10))):
        shifts = night_shifts(nights)
        if nights == 2 and draw(st.booleans()):
            shifts = (shifts[draw(st.integers(0, 1))],)
        officers.append(
            officer(
                f"o{i}",
                draw(st.sampled_from(["PSP", "DSAL", "SA"])),
                skills=draw(st.sets(st.sampled_from(["labour_inspector", "lang:tl"]), max_size=2)),
                sex=draw(st.sampled_from("FM")),
                rank=draw(st.integers(0, 4)),
                shifts=shifts,
            )
        )
    wave_ids = [f"N{n + 1}W{k + 1}" for n in range(nights) for k in range(2)]
    choice = draw(st.lists(st.sampled_from([None, *wave_ids]), min_size=n_targets, max_size=n_targets))
    problem = operation_problem(
        n_targets, nights=nights, officers=tuple(officers), wave_of=lambda i: choice[i]
    )
    visits = tuple(
        replace(
            v,
            team=TeamRequirement(
                female=draw(st.booleans()) and draw(st.booleans()),
                languages=frozenset(draw(st.sets(st.just("tl"), max_size=1))),
                min_leader_rank=draw(st.sampled_from([None, None, 3])),
            ),
        )
        for v in problem.visits
    )
    conflicts = {
        o.id: frozenset(draw(st.sets(st.sampled_from([s.id for s in problem.sites]), max_size=2)))
        for o in officers
    }
    last_visits = {
        o.id: {s.id: draw(st.integers(-20 * DAY, 0)) for s in problem.sites if draw(st.booleans())}
        for o in officers[:3]
    }
    return replace(
        problem,
        visits=visits,
        conflicts=conflicts,
        last_visits=last_visits,
        rotation_gap_days=draw(st.sampled_from([0, 7])),
        max_overtime=draw(st.sampled_from([0, 30])),
        operation=replace(problem.operation, arrive_before=draw(st.sampled_from([0, 5, 20]))),
    )


def assert_no_team_waits_outside_a_target(problem, plan):
    """Every target is reached at most ``arrive_before`` minutes before its raid: the time the
    waves force between two raids is not spent outside the next target."""
    margin = problem.operation.arrive_before
    for route in plan.routes:
        for stop in route.stops:
            assert stop.start - stop.arrival <= margin, (route.team_id, stop)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(operations())
def test_any_operation_plan_passes_the_evaluator(problem):
    plan = plan_joint(problem, options=SolveOptions(time_limit=5, deterministic_time=0.2, seed=1))
    ev = evaluate(problem, plan)
    assert ev.violations == (), ev.violations
    assert_no_team_waits_outside_a_target(problem, plan)
    planned = [s.visit_id for r in plan.routes for s in r.stops]
    unplanned = [u.visit_id for u in plan.unplanned]
    assert sorted(planned + unplanned) == sorted(v.id for v in problem.visits)
