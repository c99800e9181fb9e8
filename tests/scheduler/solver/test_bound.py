"""The lower bound of a joint operation (LP relaxation of the wave model): never above any
plan's objective, exact where the optimum is obvious, and reported with every plan."""

from __future__ import annotations

import random
from dataclasses import replace

import pytest

from scheduler.solver import SolveOptions, TeamRequirement, plan_joint
from scheduler.solver.bound import PRIORITY_WEIGHT, gap, joint_bound, joint_objective
from scheduler.solver.joint import _sessions

from .builders import JOINT_FAST, joint_problem, officer, operation_problem


def bound_of(problem):
    waves = sorted(problem.operation.waves, key=lambda w: (w.start, w.id))
    return joint_bound(problem, _sessions(problem.operation, waves), waves)


def test_one_target_the_bound_is_the_optimum_and_the_gap_zero():
    # Wave at 23:00: every leg is driven at night speed, so the fastest time is the real one.
    p = joint_problem(1, waves=(("W1", 23 * 60),))
    plan = plan_joint(p, options=JOINT_FAST)
    depot, target = p.depot_by_id["HQ"].point, p.sites[0].point
    optimum = 2 * p.travel.minutes(depot, target, 23 * 60) + p.operation.team_min_size
    assert plan.stats["objective"] == joint_objective(p, plan) == optimum
    assert plan.stats["lower_bound"] == pytest.approx(optimum)
    assert plan.stats["gap"] == pytest.approx(0.0, abs=1e-9)


def test_a_leg_that_must_leave_before_the_night_band_is_priced_at_evening_speed():
    # Wave at 22:00, tolerance 10 min; the target is 15 min away at night speed (from 22:00),
    # 18 min in the evening: arriving by 22:10 means leaving before 22:00, in the slower band.
    # The bound charges the leg that arrives in time, so it is the optimum, not 3 min under.
    p = joint_problem(7, waves=(("W1", 22 * 60),))
    p = replace(p, visits=(p.visits[6],))
    depot, target = p.depot_by_id["HQ"].point, p.sites[6].point
    assert p.travel.minutes(depot, target, 22 * 60) > p.operation.sync_tolerance
    optimum = (
        p.travel.minutes(depot, target, 21 * 60 + 45)
        + p.travel.minutes(target, depot, 23 * 60 + 10)
        + p.operation.team_min_size
    )
    plan = plan_joint(p, options=JOINT_FAST)
    assert plan.stats["objective"] == joint_objective(p, plan) == optimum
    assert bound_of(p).value == pytest.approx(optimum)


def test_too_few_officers_the_bound_counts_the_targets_no_team_can_take():
    # One PSP and one DSAL officer: one team, one target per wave; three targets in W1 only.
    officers = (
        officer("p", "PSP", shifts=((20 * 60, 29 * 60),)),
        officer("d", "DSAL", shifts=((20 * 60, 29 * 60),)),
    )
    p = joint_problem(3, waves=(("W1", 23 * 60),), officers=officers)
    priorities = sorted(max(1, v.priority) for v in p.visits)
    bound = bound_of(p)
    assert bound.optimal
    # At most one target is served: the two cheapest are missed whatever the plan.
    assert bound.value >= PRIORITY_WEIGHT * sum(priorities[:2])
    plan = plan_joint(p, options=JOINT_FAST)
    assert len(plan.planned_visit_ids()) == 1
    assert bound.value <= plan.stats["objective"]
    assert plan.stats["gap"] < 0.01


def test_a_scarce_property_limits_the_targets_of_a_wave():
    # Every target needs a female officer and only one is on duty: one target per wave.
    p = operation_problem(6, nights=1, waves_per_night=2, n_officers=12)
    p = replace(p, visits=tuple(replace(v, team=TeamRequirement(female=True)) for v in p.visits))
    females = [o for o in p.officers if o.sex == "F"]
    p = replace(p, officers=tuple(o for o in p.officers if o.sex != "F" or o is females[0]))
    priorities = sorted(max(1, v.priority) for v in p.visits)
    assert bound_of(p).value >= PRIORITY_WEIGHT * sum(priorities[:4])


@pytest.mark.parametrize("seed", range(6))
def test_the_bound_never_exceeds_a_plan(seed):
    rng = random.Random(seed)
    nights, per_night = rng.choice([(1, 2), (2, 2), (1, 3)])
    p = operation_problem(
        rng.randint(3, 10),
        nights=nights,
        waves_per_night=per_night,
        n_officers=rng.randint(4, 14),
        wave_of=(lambda i: rng.choice([None, "N1W1", "N1W2"])),
    )
    if rng.random() < 0.5:
        p = replace(
            p,
            visits=tuple(
                replace(
                    v, team=TeamRequirement(female=rng.random() < 0.5, min_leader_rank=rng.choice([None, 3]))
                )
                for v in p.visits
            ),
        )
    plan = plan_joint(p, options=SolveOptions(time_limit=5, deterministic_time=0.5, seed=seed))
    bound = bound_of(p)
    assert bound.optimal
    assert bound.value <= joint_objective(p, plan) + 1e-6
    assert plan.stats["lower_bound"] == pytest.approx(bound.value)
    assert plan.stats["gap"] == pytest.approx(gap(plan.stats["objective"], bound.value))
    assert 0.0 <= plan.stats["gap"] < 1.0


def test_no_bound_when_asked_not_to():
    plan = plan_joint(joint_problem(2), options=replace(JOINT_FAST, lower_bound=False))
    assert "lower_bound" not in plan.stats and "gap" not in plan.stats
