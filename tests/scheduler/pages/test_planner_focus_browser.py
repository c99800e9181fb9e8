"""Where the keyboard's focus goes on the planner's pages, in a real browser. "Plan again" left
it on the page's body (its link led to a section that takes no focus): it now lands on the
job panel's status, read out ("The plan is ready.") with the planner's form just above it. A
refused new programme left it on the body too: it now goes to the error summary, which is read
out and links each field refused, as the console's other forms put it there."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import expect

from scheduler.models import PlanningJob
from tests.browser_support import axe_check, sign_in
from tests.scheduler.conftest import EVENING

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct-horse-battery"


def test_plan_again_puts_the_focus_on_the_job_panels_status(pages, planner_client, operation):
    planner_client.post(
        f"/planning/operations/{operation.uuid}/plan/start/", {"time_limit_seconds": 3, "seed": 1}
    )
    assert PlanningJob.objects.get(operation=operation).status == PlanningJob.Status.SUCCEEDED
    page = pages.new_page()
    sign_in(page, pages.base_url, "paula", PASSWORD)
    page.goto(f"{pages.base_url}/planning/operations/{operation.uuid}/plan/")
    page.get_by_role("link", name="Plan again").click()
    page.wait_for_url(f"**/planning/operations/{operation.uuid}/#job-status")
    status = page.locator("#job-status")
    expect(status).to_be_focused()
    expect(status).to_have_text("The plan is ready.")
    # Read out as the focus lands on it (a paragraph that takes the focus from scripts and links).
    expect(status).to_have_attribute("tabindex", "-1")
    # The next Tab goes on from there, through the panel: how the plan was chosen, then its link.
    page.keyboard.press("Tab")
    expect(page.locator("#job summary")).to_be_focused()
    page.keyboard.press("Tab")
    expect(page.locator("#job").get_by_role("link", name="Open the plan")).to_be_focused()
    axe_check(page)


def test_a_refused_new_programme_puts_the_focus_on_the_error_summary(pages, paula, city):
    page = pages.new_page()
    sign_in(page, pages.base_url, "paula", PASSWORD)
    page.goto(f"{pages.base_url}/planning/programmes/new/")
    page.get_by_label("Name").fill("Too long")
    page.get_by_label("First day").fill(EVENING.date().isoformat())
    page.get_by_label("Last day").fill((EVENING.date() + dt.timedelta(days=90)).isoformat())
    page.get_by_role("button", name="Create the programme").click()
    summary = page.locator("#form-errors")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("at most nine weeks")
    # Its link takes the focus to the field refused.
    summary.get_by_role("link").first.click()
    expect(page.locator("[aria-invalid='true']").first).to_be_focused()
    axe_check(page)
