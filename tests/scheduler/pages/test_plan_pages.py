"""The planning run and the plan workspace over HTTP: start (the job may already be finished
when first polled: tasks run eagerly in tests), the progress partial, the workspace with its
map and timeline data and table equivalents, moving a visit, pinning, publishing, re-planning
and comparing, and each team's briefing as a page and as CSV."""

from __future__ import annotations

import csv
import io
import itertools
import json
import re

import pytest

from backend.inspections.models import Inspection, Operation
from backend.registry.models import Officer, Skill
from scheduler.models import PlanningJob

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def planned(planner_client, operation):
    response = planner_client.post(
        f"/planning/operations/{operation.uuid}/plan/start/",
        {"time_limit_seconds": 3, "seed": 1},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    job = PlanningJob.objects.get(operation=operation)
    assert job.status == PlanningJob.Status.SUCCEEDED, job.error
    return job, response


def _data(page) -> dict:
    import html as markup
    import re

    found = re.search(r'id="plan-data" hidden data-plan="([^"]*)"', page.content.decode())
    return json.loads(markup.unescape(found.group(1)))


def test_starting_answers_the_job_partial_even_when_already_finished(planned, planner_client):
    job, response = planned
    html = response.content.decode()
    assert "The plan is ready." in html and "Open the plan" in html
    assert "hx-trigger" not in html  # finished: no more polling
    poll = planner_client.get(f"/planning/jobs/{job.uuid}/", HTTP_HX_REQUEST="true")
    assert poll.status_code == 200 and b"The plan is ready." in poll.content


def test_a_running_job_polls_and_offers_cancel(planner_client, operation, paula):
    job = PlanningJob.objects.create(operation=operation, status=PlanningJob.Status.QUEUED, progress=0.0)
    poll = planner_client.get(f"/planning/jobs/{job.uuid}/", HTTP_HX_REQUEST="true").content.decode()
    assert 'hx-trigger="every 1s"' in poll and "Cancel the run" in poll and "<progress" in poll
    cancelled = planner_client.post(f"/planning/jobs/{job.uuid}/cancel/", HTTP_HX_REQUEST="true")
    assert cancelled.status_code == 200
    job.refresh_from_db()
    assert job.status == PlanningJob.Status.CANCELLED


def test_starting_without_targets_says_so(planner_client, operation):
    operation.targets.all().delete()
    response = planner_client.post(
        f"/planning/operations/{operation.uuid}/plan/start/",
        {"time_limit_seconds": 3, "seed": 1},
        HTTP_HX_REQUEST="true",
    )
    assert b"Choose the operation" in response.content
    assert not PlanningJob.objects.filter(operation=operation).exists()


def test_the_workspace_shows_map_timeline_kpis_teams_and_tables(planned, planner_client, operation, city):
    page = planner_client.get(f"/planning/operations/{operation.uuid}/plan/")
    assert page.status_code == 200
    html = page.content.decode()
    for fragment in ('id="plan-map"', 'id="plan-timeline"', "visits planned", "Team make-up", "Routes"):
        assert fragment in html
    data = _data(page)
    assert [w["code"] for w in data["waves"]] == ["W1", "W2"]
    teams = [t for t in data["teams"] if t["stops"]]
    assert len(teams) == 2 and all(t["depot"]["lat"] is not None for t in teams)
    assert {s["site"] for t in teams for s in t["stops"]} == {"Lotus Karaoke", "Jade Sauna"}
    for officer in city["psp"] + city["dsal"]:
        if officer.full_name in html:
            assert officer.agency.code in html


def test_moving_a_visit_out_of_the_plan_and_back(planned, planner_client, operation):
    job, _response = planned
    visit = job.plan["routes"][0]["stops"][0]["visit_id"]
    url = f"/planning/operations/{operation.uuid}/plan/move/"
    out = planner_client.post(url, {"visit": visit, "to_route": "out"}, HTTP_HX_REQUEST="true")
    assert out.status_code == 200 and b"Visit moved and pinned" in out.content
    job.refresh_from_db()
    assert visit in {u["visit_id"] for u in job.plan["unplanned"]}
    assert b"Taken out of the plan by the planner." in out.content
    back = planner_client.post(url, {"visit": visit, "to_route": "1"})
    assert back.status_code == 302
    job.refresh_from_db()
    assert visit in {s["visit_id"] for s in job.plan["routes"][1]["stops"]}
    assert job.pins[visit] == 1


def test_a_move_to_a_team_that_does_not_exist_is_refused_plainly(planned, planner_client, operation):
    job, _response = planned
    visit = job.plan["routes"][0]["stops"][0]["visit_id"]
    response = planner_client.post(
        f"/planning/operations/{operation.uuid}/plan/move/",
        {"visit": visit, "to_route": "9"},
        HTTP_HX_REQUEST="true",
    )
    assert b"Choose a visit and where to move it." in response.content
    job.refresh_from_db()
    assert visit in {s["visit_id"] for s in job.plan["routes"][0]["stops"]}


def test_publishing_creates_the_inspections_and_a_second_publish_says_so(planned, planner_client, operation):
    url = f"/planning/operations/{operation.uuid}/plan/publish/"
    response = planner_client.post(url, HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and b"Plan published" in response.content
    operation.refresh_from_db()
    assert operation.status == Operation.Status.PUBLISHED
    assert Inspection.objects.filter(operation=operation).count() == 2
    again = planner_client.post(url, HTTP_HX_REQUEST="true")
    assert b"already published" in again.content
    assert b"Re-plan: an officer drops out" in again.content
    # A published plan changes by re-planning only: no "Plan again" to a page without a planner.
    assert b"Plan again" not in again.content
    assert b"Run the planner" not in planner_client.get(f"/planning/operations/{operation.uuid}/").content


def test_a_replan_is_compared_with_the_published_plan(planned, planner_client, operation, city):
    planner_client.post(f"/planning/operations/{operation.uuid}/plan/publish/")
    job, _response = planned
    job.refresh_from_db()
    officer = job.plan["routes"][0]["officer_ids"][0]
    response = planner_client.post(
        f"/planning/operations/{operation.uuid}/plan/replan/",
        {"officer": officer, "time_limit_seconds": 2},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Re-plan ready" in html and "Compared with the published plan" in html
    assert "Key figures side by side" in html and "Visits that change" in html


def test_each_team_has_a_printable_briefing_and_a_csv(planned, planner_client, operation, city):
    job, _response = planned
    portuguese = Skill.objects.create(
        code="lang-pt", kind=Skill.Kind.LANGUAGE, name_en="Portuguese", name_pt="Português"
    )
    for officer in Officer.objects.filter(uuid__in=job.plan["routes"][0]["officer_ids"]):
        officer.skills.add(portuguese)
    page = planner_client.get(f"/planning/operations/{operation.uuid}/plan/briefings/1/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "data-print" in html and 'id="briefing-map"' in html and city["muster"].name in html
    assert "Team 1" in html
    assert re.search(r"<td [^>]*>Portuguese</td>", html)  # languages by name, as in the workspace, not "pt"
    portuguese_page = planner_client.get(
        f"/planning/operations/{operation.uuid}/plan/briefings/1/", HTTP_ACCEPT_LANGUAGE="pt"
    )
    assert re.search(r"<td [^>]*>Português</td>", portuguese_page.content.decode())
    download = planner_client.get(f"/planning/operations/{operation.uuid}/plan/briefings/1/csv/")
    assert download["Content-Disposition"] == 'attachment; filename="briefing-team-1.csv"'
    rows = list(csv.reader(io.StringIO(download.content.decode())))
    assert rows[0][:4] == ["date", "team", "order", "site"] and len(rows) == 2  # the API's columns
    assert planner_client.get(f"/planning/operations/{operation.uuid}/plan/briefings/9/").status_code == 404


def test_a_pinned_visit_is_released_from_the_workspace(planned, planner_client, operation):
    job, _response = planned
    visit = job.plan["routes"][0]["stops"][0]["visit_id"]
    move = f"/planning/operations/{operation.uuid}/plan/move/"
    planner_client.post(move, {"visit": visit, "to_route": "0"})
    page = planner_client.get(f"/planning/operations/{operation.uuid}/plan/").content.decode()
    assert f"/planning/operations/{operation.uuid}/plan/unpin/" in page and "Unpin" in page
    url = f"/planning/operations/{operation.uuid}/plan/unpin/"
    done = planner_client.post(url, {"visit": visit}, HTTP_HX_REQUEST="true")
    assert done.status_code == 200 and b"Pin released" in done.content
    job.refresh_from_db()
    assert job.pins == {}
    again = planner_client.post(url, {"visit": visit}, HTTP_HX_REQUEST="true")
    assert b"This visit is not pinned." in again.content


def test_a_visit_taken_out_of_the_plan_is_unpinned_from_the_not_planned_list(
    planned, planner_client, operation
):
    """A visit the planner took out of the plan is pinned there: its entry in "Not planned" has
    an Unpin, as a pinned stop of a team has, and unpinning leaves it out until a plan puts it
    back (planning again is then free to)."""
    job, _response = planned
    visit = job.plan["routes"][0]["stops"][0]["visit_id"]
    site = operation.targets.get(pk=visit).site.name
    planner_client.post(
        f"/planning/operations/{operation.uuid}/plan/move/", {"visit": visit, "to_route": "out"}
    )
    page = planner_client.get(f"/planning/operations/{operation.uuid}/plan/").content.decode()
    unplanned = page[page.index('id="unplanned"') :]
    unplanned = unplanned[: unplanned.index("</section>")]
    assert f'<input type="hidden" name="visit" value="{visit}">' in unplanned
    assert f'aria-label="Unpin {site}">Unpin</button>' in unplanned
    assert '<h2 id="pins-h">Pinned visits</h2>' in page  # a heading, capitalised as the others
    done = planner_client.post(
        f"/planning/operations/{operation.uuid}/plan/unpin/", {"visit": visit}, HTTP_HX_REQUEST="true"
    )
    html = done.content.decode()
    assert "Pin released: the visit stays out of this plan, and planning again may put it back in." in html
    job.refresh_from_db()
    assert job.pins == {} and visit in {u["visit_id"] for u in job.plan["unplanned"]}
    assert f'aria-label="Unpin {site}"' not in html


def test_a_published_plan_says_nothing_of_moving_visits(planned, planner_client, operation):
    editable = planner_client.get(f"/planning/operations/{operation.uuid}/plan/").content.decode()
    assert "Drag a visit to another team's row to move it, or use the form below." in editable
    planner_client.post(f"/planning/operations/{operation.uuid}/plan/publish/")
    html = planner_client.get(f"/planning/operations/{operation.uuid}/plan/").content.decode()
    assert "One row per team: travel, waiting and on-site blocks; a line at each wave's start." in html
    for text in ("Drag a visit", "use the form below", "Move a visit", 'id="move-form"', "Unpin", "Pin "):
        assert text not in html, text


def test_a_move_that_breaks_rules_warns_and_keeps_the_travel(planned, planner_client, operation):
    """Two visits of one wave on one team cannot both start at the wave: the move is done (the
    planner decides), but the note is a warning that counts the broken rules and links to them,
    and the route's times keep the travel between the sites and back to the muster point."""
    job, _response = planned
    routes = [r for r in job.plan["routes"] if r["stops"]]
    assert len(routes) >= 2
    visit = routes[0]["stops"][0]["visit_id"]
    target = job.plan["routes"].index(routes[1])
    url = f"/planning/operations/{operation.uuid}/plan/move/"
    out = planner_client.post(url, {"visit": visit, "to_route": str(target)}, HTTP_HX_REQUEST="true")
    html = out.content.decode()
    assert out.status_code == 200 and "Visit moved and pinned" in html
    assert 'class="message warning"' in html and "The plan now breaks" in html
    assert 'href="#violations-h"' in html and 'id="violations"' in html
    job.refresh_from_db()
    route = job.plan["routes"][target]
    stops = route["stops"]
    assert visit in {s["visit_id"] for s in stops} and len(stops) >= 2
    for before, after in itertools.pairwise(stops):
        assert after["arrival"] >= before["end"]
    # The way back to the muster point is kept: the team is back after its last stop ends.
    assert route["back"] > stops[-1]["end"]

    # Without htmx, the same warning as a message after the redirect.
    back = planner_client.post(url, {"visit": visit, "to_route": "0"}, follow=True)
    assert back.status_code == 200


def test_the_workload_per_team_counts_the_deployed_teams_alone(planned, planner_client, operation):
    """The figure is labelled per team: from each deployed team's departure to its return, not
    the objective's per-officer range, which counts the officers left at the station as 0."""
    job, _response = planned
    # As the evaluation of a night with officers rostered but not deployed says it (0 for them).
    job.evaluation["objective"].update(workload_min=0, workload_max=128)
    job.save(update_fields=["evaluation"])
    page = planner_client.get(f"/planning/operations/{operation.uuid}/plan/")
    loads = [r["back"] - r["departure"] for r in job.plan["routes"] if r["stops"]]  # minutes
    assert loads and min(loads) > 0
    html = page.content.decode()
    assert f'<span class="value">{int(min(loads))}–{int(max(loads))}</span>' in html
