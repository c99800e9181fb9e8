"""The checker says when a joint team would reach a target more than the arrival margin
(``SCHEDULER_ARRIVE_BEFORE_MINUTES``) before its raid and wait outside it: a warning, beside
the plan, that does not stop it being published (the solver keeps the margin unless leaving
later would lengthen the drive). A plan stored before this check is checked again when read."""

from __future__ import annotations

import pytest

from scheduler import problem as problems
from scheduler import services, solver
from scheduler.models import PlanningJob
from tests.browser_support import sign_in_client

PASSWORD = "correct-horse-battery"


@pytest.fixture
def planned(operation):
    job = PlanningJob.objects.create(operation=operation, time_limit_seconds=3)
    job = services.planning_run(job_id=job.uuid)
    assert job.status == PlanningJob.Status.SUCCEEDED and job.evaluation["feasible"], job.evaluation
    return job


def _early(job, minutes):
    """``job``'s plan with its first team leaving and reaching its first target ``minutes``
    earlier, every other time kept."""
    plan = problems.plan_from_json(job.plan)
    route = plan.routes[0]
    first = route.stops[0]
    stops = (
        solver.Stop(first.visit_id, first.arrival - minutes, first.start, first.end, first.wave_id),
        *route.stops[1:],
    )
    moved = solver.Route(
        route.officer_ids,
        route.depot_id,
        route.departure - minutes,
        route.back,
        stops,
        route.team_id,
        route.leader_id,
    )
    return solver.Plan((moved, *plan.routes[1:]), plan.unplanned, plan.stats), first


def test_the_planners_own_plans_keep_the_margin(planned, settings):
    assert planned.evaluation["warnings"] == []
    margin = settings.SCHEDULER_ARRIVE_BEFORE_MINUTES
    assert all(s["start"] - s["arrival"] <= margin for r in planned.plan["routes"] for s in r["stops"])


def test_a_team_that_would_wait_outside_is_warned_of_not_refused(planned, settings):
    problem, _clock = services._build(planned)
    margin = settings.SCHEDULER_ARRIVE_BEFORE_MINUTES
    plan, first = _early(planned, 30)
    evaluation = solver.evaluate(problem, plan)
    assert evaluation.feasible, evaluation.violations
    [warning] = [w for w in evaluation.warnings if w.code == "early_arrival"]
    wait = first.start - first.arrival + 30
    assert warning.visit_id == first.visit_id and warning.route_index == 0
    assert warning.params["minutes"] == wait and warning.params["most"] == margin
    # Within the margin, nothing to say.
    plan, _first = _early(planned, 0)
    assert not [w for w in solver.evaluate(problem, plan).warnings if w.code == "early_arrival"]


def test_a_stored_plan_is_checked_again_and_its_page_shows_the_warning(planned, client, paula):
    plan, first = _early(planned, 30)
    planned.plan = {**planned.plan, **problems.plan_to_json(plan)}
    planned.evaluation = {**planned.evaluation, "checker": 2}  # a verdict of the version before
    planned.save(update_fields=["plan", "evaluation"])
    sign_in_client(client, "paula", PASSWORD)
    page = client.get(f"/planning/operations/{planned.operation.uuid}/plan/")
    assert page.status_code == 200
    html = page.content.decode()
    site = planned.operation.targets.get(pk=first.visit_id).site.name
    # "(at most 5 minutes)" after "45 minutes before its raid" read as if the team waited at most
    # five: the words say the five minutes are what a team is allowed.
    assert "would wait outside the target (teams may arrive at most 5 minutes early)" in html
    for language, words in (
        ("zh-hant", "（小組最多只可提早 5 分鐘到達）"),
        ("pt", "(uma equipa pode chegar, no máximo, 5 minutos antes)"),
    ):
        read = client.get(
            f"/planning/operations/{planned.operation.uuid}/plan/", HTTP_ACCEPT_LANGUAGE=language
        )
        assert words in read.content.decode()
    assert site in html
    planned.refresh_from_db()
    assert planned.evaluation["checker"] == solver.CHECKER_VERSION
    assert [w["case"] for w in planned.evaluation["warnings"]] == ["early_arrival"]
    assert planned.evaluation["feasible"]  # publishing stays open
    assert 'data-confirm="Publish this plan?' in html
