"""In a real browser, a team whose visits all moved away keeps its row on the timeline, marked
"no visits", and a visit dragged onto that row moves to the team (the row is where a planner
gives it work back); the page passes axe."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from scheduler import services
from scheduler.models import PlanningJob
from tests.browser_support import axe_check, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_emptied_team_keeps_its_timeline_row_and_takes_a_dragged_visit(pages, operation, paula):
    job = services.planning_run(
        job_id=PlanningJob.objects.create(operation=operation, time_limit_seconds=3).uuid
    )
    routes = job.plan["routes"]
    source = next(i for i, r in enumerate(routes) if r["stops"])
    target = next(i for i in range(len(routes)) if i != source)
    for stop in list(routes[source]["stops"]):
        job = services.plan_move(actor=paula.user, job=job, visit_id=stop["visit_id"], to_route=target)

    page = pages.new_page()
    sign_in(page, pages.base_url, "paula", "correct-horse-battery")
    page.goto(f"{pages.base_url}/planning/operations/{operation.uuid}/plan/")
    row = page.locator(f"#plan-timeline .tl-track[data-route='{source}']")
    expect(row).to_have_count(1)
    label = row.locator("xpath=..").locator(".tl-label")
    expect(label).to_contain_text(f"{source + 1}")
    expect(label.locator(".badge")).to_have_text("no visits")
    expect(page.locator("section[aria-labelledby='map-h'] .legend")).to_contain_text("no visits")
    axe_check(page)

    visit = page.locator(f"#plan-timeline .tl-track[data-route='{target}'] .tl-onsite").first
    visit_id = visit.get_attribute("data-visit")
    visit.drag_to(row)
    expect(page.locator(".message[data-focus]")).to_contain_text("Visit moved and pinned")
    moved = PlanningJob.objects.get(pk=job.pk)
    assert visit_id in [s["visit_id"] for s in moved.plan["routes"][source]["stops"]]
    expect(page.locator(f"#plan-timeline .tl-track[data-route='{source}'] .tl-onsite")).to_have_count(1)
