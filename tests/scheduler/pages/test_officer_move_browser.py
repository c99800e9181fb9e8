"""A planner moves an officer between two teams of a draft plan on the plan page, in a real
browser: moving them into a full team is asked first, at the form; then the team make-up
changes, the note says the checker judged the plan again and the rules it now breaks, and moving
the officer back makes the plan publishable again."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from scheduler.models import PlanningJob
from tests.browser_support import axe_check, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct-horse-battery"


def _team_of(job, officer):
    return next(i for i, r in enumerate(job.plan["routes"]) if str(officer.uuid) in r["officer_ids"])


def test_the_planner_moves_an_officer_to_another_team_and_back(pages, planner_client, operation, city):
    planner_client.post(
        f"/planning/operations/{operation.uuid}/plan/start/", {"time_limit_seconds": 3, "seed": 1}
    )
    job = PlanningJob.objects.get(operation=operation)
    assert job.status == PlanningJob.Status.SUCCEEDED and job.evaluation["feasible"]
    lou = city["dsal"][0]  # a woman of DSAL: her team keeps a woman only through her
    home = _team_of(job, lou)
    other = 1 - home
    page = pages.new_page()
    sign_in(page, pages.base_url, "paula", PASSWORD)
    page.goto(f"{pages.base_url}/planning/operations/{operation.uuid}/plan/")
    form = page.locator("#officer-move-form")
    form.get_by_label("Officer").select_option(f"{home}:{lou.uuid}")
    form.get_by_label("Move to").select_option(str(other))
    form.get_by_role("button", name="Move the officer").click()

    # The other team is full (two officers, the most a team may have): the planner is told at
    # the form and asked, and nothing moves until they say so, where the checker used to say it
    # only after the move.
    full = form.locator("#full-team")
    expect(full).to_contain_text(f"Team {other + 1}")
    expect(full).to_contain_text(
        "is full already (team size at most 2): moving Lou Labour there breaks the team size, and "
        "the plan cannot be published until every team keeps it. Move them anyway"
    )
    expect(full).to_be_focused()
    assert _team_of(PlanningJob.objects.get(pk=job.pk), lou) == home
    # The choices stay as the planner made them.
    expect(form.get_by_label("Move to")).to_have_value(str(other))
    axe_check(page)
    full.get_by_role("button", name="Move anyway").click()

    note = page.locator(".message.warning[data-focus]")
    expect(note).to_contain_text("Officer moved; the teams were re-timed and the plan was checked again.")
    expect(note).to_be_focused()
    expect(page.locator("#violations")).to_contain_text("team")
    makeup = page.locator("section[aria-labelledby='teams-h'] tbody")
    row = makeup.get_by_role("row").filter(has_text="Lou Labour")
    expect(row).to_have_count(1)
    assert _team_of(PlanningJob.objects.get(pk=job.pk), lou) == other
    expect(page.get_by_role("button", name="Publish the plan")).to_be_disabled()
    axe_check(page)

    form.get_by_label("Officer").select_option(f"{other}:{lou.uuid}")
    form.get_by_label("Move to").select_option(str(home))
    form.get_by_role("button", name="Move the officer").click()
    expect(page.locator(".message.success")).to_contain_text("Officer moved")
    expect(page.get_by_role("button", name="Publish the plan")).to_be_enabled()
    assert _team_of(PlanningJob.objects.get(pk=job.pk), lou) == home

    # Placed by hand: the card says so (planning again keeps her there), and releases her.
    placed = page.locator("section[aria-labelledby='officer-pins-h']")
    expect(placed).to_contain_text("Lou Labour — Team")
    expect(row).to_contain_text("placed by hand")
    placed.get_by_role("button", name="Release Lou Labour").click()
    expect(page.locator(".message.success")).to_contain_text(
        "Released: the plan stays as it is, and planning again forms this officer's teams afresh."
    )
    expect(page.locator("section[aria-labelledby='officer-pins-h']")).to_have_count(0)
    assert PlanningJob.objects.get(pk=job.pk).officer_pins == []
    axe_check(page)
