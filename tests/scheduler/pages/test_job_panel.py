"""The job panel of an operation's or a programme's page: what its cost figure adds up to, said
as the plan's page says it, and its "Open the plan" link on a full page load.

The panel explained every cost as the checker's (travel 1/min, waiting 0.1/min, lateness 2/min,
workload), while an operation's figure is the joint planner's objective (the plan page's:
targets left out × 1000 + travel + officers deployed, e.g. 222 = 201 + 21). And once planned,
reloading the page drew "Open the plan" with href="" (its URL came with the live update only)."""

from __future__ import annotations

import re

import pytest

from backend.planning.services import due_work_request
from scheduler import problem as problems
from scheduler.models import PlanningJob, Programme
from scheduler.solver.bound import joint_objective
from tests.scheduler.conftest import EVENING

pytestmark = pytest.mark.django_db(transaction=True)

JOINT = "+ minutes of travel + officers sent out"
CHECKER = "+ 2 × minutes late or over shift + 0.1 × minutes of waiting"


def _plan(client, kind: str, subject) -> PlanningJob:
    client.post(f"/planning/{kind}/{subject.uuid}/plan/start/", {"time_limit_seconds": 3, "seed": 1})
    job = PlanningJob.objects.filter(**{kind[:-1]: subject}).latest("created_at")
    assert job.status == PlanningJob.Status.SUCCEEDED, job.error
    return job


def _panel(html: str) -> str:
    return html[html.index('<div id="job"') : html.index("</details>")]


def test_an_operations_panel_explains_the_joint_objective_as_the_plan_page_does(planner_client, operation):
    job = _plan(planner_client, "operations", operation)
    assert job.best_objective == job.plan["stats"]["objective"]
    page = planner_client.get(f"/planning/operations/{operation.uuid}/").content.decode()
    panel = _panel(page)
    assert f"lowest cost: {job.best_objective:,.0f} points" in panel
    assert JOINT in panel and "0.1" not in panel and "waiting" not in panel
    assert "how far it is at most from the best possible plan" in panel
    plan = planner_client.get(f"/planning/operations/{operation.uuid}/plan/").content.decode()
    assert f"objective {job.best_objective:,.0f}," in plan and JOINT in plan


def test_a_programmes_panel_explains_the_checkers_objective(planner_client, paula, city):
    day = EVENING.date()
    programme = Programme.objects.create(name="Round", agency=paula.agency, start_date=day, end_date=day)
    programme.planners.add(paula)
    programme.officers.set(city["psp"])
    for venue in city["venues"][:2]:
        due_work_request(
            actor=None,
            site=venue,
            agency=paula.agency,
            category="prostitution_trafficking",
            reason="manual",
            earliest=day,
            latest=day,
        )
    job = _plan(planner_client, "programmes", programme)
    assert job.best_objective == job.evaluation["objective"]["scalar"]
    panel = _panel(planner_client.get(f"/planning/programmes/{programme.uuid}/").content.decode())
    assert f"lowest cost: {job.best_objective:,.0f} points" in panel
    assert CHECKER in panel and "officers sent out" not in panel
    # A programme's plan has no proven bound: the panel does not promise one.
    assert "best possible plan" not in panel


def test_a_replans_figure_is_its_own_joint_objective(planner_client, operation):
    job = _plan(planner_client, "operations", operation)
    planner_client.post(f"/planning/operations/{operation.uuid}/plan/publish/")
    officer = job.plan["routes"][0]["officer_ids"][0]
    planner_client.post(
        f"/planning/operations/{operation.uuid}/plan/replan/", {"officer": officer, "time_limit_seconds": 2}
    )
    replan = PlanningJob.objects.get(replan_of=job)
    # (The officer who dropped out changes who may go, not what a plan costs.)
    problem, _clock = problems.operation_problem(operation)
    expected = joint_objective(problem, problems.plan_from_json(replan.plan))
    assert replan.best_objective == replan.plan["stats"]["objective"] == expected
    # The re-plan's page shows its own objective beside the bound, not the published plan's.
    plan = planner_client.get(f"/planning/operations/{operation.uuid}/plan/").content.decode()
    assert "Compared with the published plan" in plan
    assert f"objective {replan.best_objective:,.0f}," in plan and JOINT in plan


def test_open_the_plan_links_the_plan_on_a_full_page_load(planner_client, operation):
    _plan(planner_client, "operations", operation)
    page = planner_client.get(f"/planning/operations/{operation.uuid}/").content.decode()
    links = re.findall(r'<a class="button primary" href="([^"]*)" data-focus>Open the plan</a>', page)
    assert links == [f"/planning/operations/{operation.uuid}/plan/"]
