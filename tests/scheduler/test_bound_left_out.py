"""The gap to the proven bound after the planner takes visits out: measured to the bound of the
plans that leave those visits out (their weight plus the bound of the rest), so it says how much
better a plan could be given the planner's choice, not what the choice costs. Putting the
visit back brings back the operation's own bound."""

from __future__ import annotations

import pytest

from scheduler import services
from scheduler.models import PlanningJob
from scheduler.problem import solver_priority
from scheduler.solver.bound import PRIORITY_WEIGHT
from tests.browser_support import sign_in_client

PASSWORD = "correct-horse-battery"


@pytest.fixture
def planned(operation):
    job = PlanningJob.objects.create(operation=operation, time_limit_seconds=3)
    job = services.planning_run(job_id=job.uuid)
    assert job.status == PlanningJob.Status.SUCCEEDED and job.evaluation["feasible"], job.evaluation
    assert job.plan["stats"]["lower_bound"] is not None
    return job


def test_taking_a_visit_out_measures_the_gap_to_the_plans_that_leave_it_out(planned, paula):
    stats = planned.plan["stats"]
    bound, gap = stats["lower_bound"], stats["gap"]
    route = planned.plan["routes"][0]
    visit = route["stops"][-1]["visit_id"]
    weight = PRIORITY_WEIGHT * solver_priority(planned.operation.targets.get(pk=visit).priority)

    out = services.plan_move(actor=paula.user, job=planned, visit_id=visit, to_route=None)
    after = out.plan["stats"]
    assert after["bound_left_out"] == [visit]
    assert after["operation_lower_bound"] == bound
    # The bound of the plans without the visit: its weight and the rest's bound, which the
    # visit's share of the operation's (its travel, a team) cannot exceed; still a bound.
    assert bound + weight / 2 < after["lower_bound"] <= after["objective"] + 1e-6
    # Not the cost of the planner's choice: the gap stays of the order of the solver's own.
    assert after["gap"] < max(gap, 0.01) + 0.05, (gap, after)

    back = services.plan_move(actor=paula.user, job=out, visit_id=visit, to_route=0)
    again = back.plan["stats"]
    assert again["bound_left_out"] == [] and again["lower_bound"] == bound


def test_the_plan_page_says_the_bound_leaves_out_what_the_planner_took_out(planned, paula, client):
    visit = planned.plan["routes"][0]["stops"][-1]["visit_id"]
    services.plan_move(actor=paula.user, job=planned, visit_id=visit, to_route=None)
    sign_in_client(client, "paula", PASSWORD)
    html = client.get(f"/planning/operations/{planned.operation.uuid}/plan/").content.decode()
    assert "The bound leaves out the visit you took out of the plan, as the plan does" in html
