"""A published operation's page tells its planner who goes where: each team issued (members and
agency, the leader marked) and its visits (site, time, status), whether a plan of these pages
issued them (each team then with its briefing) or they were issued directly, as the demo's
revealed night, the inspections service and the back-office API issue them. Before, such an
operation's page showed "Targets 0", "Waves none" and "No target yet: tick sites below…", and
its plan page "No plan yet: run the planner first", though nothing can be planned there."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from backend.checklists.selectors import template_version_latest
from backend.inspections import services as inspections
from backend.inspections.models import Inspection, Operation
from scheduler.models import PlanningJob
from tests.scheduler.conftest import EVENING

pytestmark = pytest.mark.django_db(transaction=True)

EDITING = ("No target yet", "tick sites", "Run the planner", "Save the targets", "Add the selection")


@pytest.fixture
def issued_directly(city, paula):
    """A night published as the demo publishes tonight's: a team and three visits, no plan."""
    operation = inspections.operation_create(
        actor=None,
        name="Demo night",
        lead_agency=paula.agency,
        agencies=[city["dsal"][0].agency],
        planners=[paula],
        reveal_at=EVENING - dt.timedelta(hours=3),
        starts_at=EVENING,
        ends_at=EVENING + dt.timedelta(hours=7),
        status=Operation.Status.PUBLISHED,
    )
    pat, pete = city["psp"]
    team = inspections.team_create(
        actor=None, name="Demo team A", members=[pete, pat, city["dsal"][0]], leader=pat, operation=operation
    )
    version = template_version_latest(code="venue_prostitution_trafficking")
    for order, venue in enumerate(city["venues"][:3], start=1):
        start = EVENING + dt.timedelta(hours=3, minutes=45 * (order - 1))
        inspections.inspection_issue(
            actor=None,
            site=venue,
            category="prostitution_trafficking",
            template_version=version,
            planned_start=start,
            planned_end=start + dt.timedelta(minutes=45),
            team=team,
            operation=operation,
            route_order=order,
        )
    return operation


def test_a_directly_issued_operation_shows_its_teams_and_visits(planner_client, issued_directly, city):
    html = planner_client.get(f"/planning/operations/{issued_directly.uuid}/").content.decode()
    assert "Who goes where" in html and "Demo team A" in html
    for officer in (*city["psp"], city["dsal"][0]):
        assert officer.full_name in html
    assert 'Pat Police (PSP) <span class="badge ok">leader</span>' in html
    assert "Lou Labour (DSAL)" in html
    for venue in city["venues"][:3]:
        assert venue.name in html
    assert city["venues"][3].name not in html
    # The times (9 p.m., 9:45 p.m., 10:30 p.m., the operation's own evening: no date) and status.
    for time in ("9 p.m.", "9:45 p.m.", "10:30 p.m.", "11:15 p.m."):
        assert re.search(rf'<td [^>]*class="time"[^>]*>{re.escape(time)}</td>', html), time
    assert html.count(">assigned</span>") == 3
    assert "<dt>Visits issued</dt><dd>3</dd>" in html and "<dt>Teams</dt><dd>1</dd>" in html
    # Nothing to tick or plan, no empty targets or waves, and no plan nor briefing to open.
    for text in (*EDITING, "Open the plan", "Briefing", "<dt>Targets</dt>", "<dt>Waves</dt>"):
        assert text not in html, text
    assert "issued without a plan of these pages" in html


def test_its_plan_page_sends_the_planner_to_the_teams_not_to_the_planner(planner_client, issued_directly):
    page = planner_client.get(f"/planning/operations/{issued_directly.uuid}/plan/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "run the planner first" not in html and "Back to the set-up" not in html
    assert "issued directly" in html
    assert f'href="/planning/operations/{issued_directly.uuid}/#teams"' in html


def test_its_edit_page_sends_the_planner_to_the_teams_not_to_a_plan(planner_client, issued_directly):
    html = planner_client.get(f"/planning/operations/{issued_directly.uuid}/edit/").content.decode()
    assert "can no longer be edited" in html and "Open the plan" not in html
    assert f'href="/planning/operations/{issued_directly.uuid}/#teams"' in html


def test_a_draft_without_a_plan_still_says_run_the_planner(planner_client, operation):
    html = planner_client.get(f"/planning/operations/{operation.uuid}/plan/").content.decode()
    assert "No plan yet: run the planner first." in html and "#planning" in html
    page = planner_client.get(f"/planning/operations/{operation.uuid}/").content.decode()
    assert "Who goes where" not in page and "Run the planner" in page


def test_a_plan_published_here_shows_its_teams_with_their_briefings(planner_client, operation, city):
    planner_client.post(
        f"/planning/operations/{operation.uuid}/plan/start/", {"time_limit_seconds": 3, "seed": 1}
    )
    job = PlanningJob.objects.get(operation=operation)
    assert job.status == PlanningJob.Status.SUCCEEDED, job.error
    planner_client.post(f"/planning/operations/{operation.uuid}/plan/publish/")
    job.refresh_from_db()
    assert job.status == PlanningJob.Status.PUBLISHED

    html = planner_client.get(f"/planning/operations/{operation.uuid}/").content.decode()
    assert "Who goes where" in html and "Open the plan" in html
    for i, route in enumerate(job.plan["routes"], start=1):
        if route["stops"]:
            assert f'href="/planning/operations/{operation.uuid}/plan/briefings/{i}/"' in html
    for inspection in Inspection.objects.filter(operation=operation).select_related("site", "team"):
        assert inspection.site.name in html and inspection.team.name in html
    for text in EDITING:
        assert text not in html, text
    # The plan's targets stay listed, without the editing controls.
    assert "targets chosen" in html
