"""A team whose visits all moved away still holds its officers, and both move forms still offer it:
the plan page lists it, marked "no visits", in the routes and the team make-up, instead of dropping
it as if its officers were in no team (signed in through the sign-in page)."""

from __future__ import annotations

import re
from html import unescape

import pytest

from backend.registry.models import Officer
from scheduler import services
from scheduler.models import PlanningJob

pytestmark = pytest.mark.django_db


def _text(html, heading_id, end="</section>"):
    start = html.index(f'id="{heading_id}"')
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html[start : html.index(end, start)])))


@pytest.fixture
def emptied(operation, paula):
    """A plan whose second team's visits were all moved onto the first team."""
    job = services.planning_run(
        job_id=PlanningJob.objects.create(operation=operation, time_limit_seconds=3).uuid
    )
    assert job.status == PlanningJob.Status.SUCCEEDED, job.error
    routes = job.plan["routes"]
    assert len(routes) >= 2 and all(r["officer_ids"] for r in routes[:2])
    source = next(i for i, r in enumerate(routes) if r["stops"])
    target = next(i for i in range(len(routes)) if i != source)
    for stop in list(routes[source]["stops"]):
        job = services.plan_move(actor=paula.user, job=job, visit_id=stop["visit_id"], to_route=target)
    assert not job.plan["routes"][source]["stops"]
    return job, source


@pytest.mark.parametrize(
    ("language", "no_visits"), [("en", "no visits"), ("zh-hant", "沒有巡查"), ("pt", "sem visitas")]
)
def test_a_team_with_officers_and_no_visits_is_listed(
    planner_client, operation, emptied, language, no_visits
):
    job, source = emptied
    if language != "en":
        planner_client.post("/i18n/setlang/", {"language": language, "next": "/"})
    html = planner_client.get(f"/planning/operations/{operation.uuid}/plan/").content.decode()
    names = [Officer.objects.get(uuid=o).full_name for o in job.plan["routes"][source]["officer_ids"]]

    make_up = _text(html, "teams-h", "</table>")  # the table, not the move form below it
    assert no_visits in make_up
    for name in names:
        assert name in make_up
    routes = _text(html, "routes-h")
    assert f'id="team-{source + 1}"' in html
    assert no_visits in routes
    # The map's legend keeps it too, marked: no route of its colour is drawn.
    legend = html[html.index('<ul class="legend">') : html.index("</ul>", html.index('<ul class="legend">'))]
    assert len(re.findall(r"<li>", legend)) == len(job.plan["routes"]) + 1  # and the muster point
    assert no_visits in unescape(legend)
