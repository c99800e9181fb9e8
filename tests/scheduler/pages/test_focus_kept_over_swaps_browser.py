"""A keyboard user's focus survives the parts of the operation page that htmx redraws. The job
panel is redrawn every second while the planner runs: a planner who tabbed to "Cancel the run" had
the focus dropped on the page's body at the next redraw, so Enter did nothing and the next Tab
started again from the top. The other sites' "Next page" did the same: the new page came in and
the focus was gone with the old one. The focus now goes to the same control in what came in; the
job panel's redraws leave its button alone (test_job_panel_redraw_browser.py)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from scheduler.models import PlanningJob
from tests import factories
from tests.browser_support import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct-horse-battery"


def _tab_to(page, locator, *, presses: int = 80):
    for _ in range(presses):
        page.keyboard.press("Tab")
        if locator.evaluate("element => element === document.activeElement"):
            return
    raise AssertionError(f"Tab never reached {locator}")


def test_cancel_the_run_keeps_the_focus_while_the_panel_is_redrawn(pages, operation):
    job = PlanningJob.objects.create(operation=operation, status=PlanningJob.Status.QUEUED, progress=0.0)
    page = pages.new_page()
    sign_in(page, pages.base_url, "paula", PASSWORD)
    page.goto(f"{pages.base_url}/planning/operations/{operation.uuid}/")
    cancel = page.locator("#job").get_by_role("button", name="Cancel the run")
    _tab_to(page, cancel)
    # Two redraws (one a second) of the progress: the button stays, and the focus on it.
    for _ in range(2):
        with page.expect_response(lambda response: f"/planning/jobs/{job.uuid}/" in response.url):
            pass
        page.wait_for_timeout(100)
        expect(cancel).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("#job")).to_contain_text("The run was cancelled")
    job.refresh_from_db()
    assert job.status == PlanningJob.Status.CANCELLED


def test_next_page_of_other_sites_keeps_the_focus_on_the_pager(pages, operation):
    for number in range(55):  # three pages (25 a page) of sites that are not targets yet
        factories.site(name_en=f"Bar {number:02d}")
    page = pages.new_page()
    sign_in(page, pages.base_url, "paula", PASSWORD)
    page.goto(f"{pages.base_url}/planning/operations/{operation.uuid}/")
    pager = page.get_by_role("navigation", name="Pages of other sites")
    next_page = pager.get_by_role("link", name="Next page")
    _tab_to(page, next_page, presses=200)
    page.keyboard.press("Enter")
    expect(pager).to_contain_text("Page 2 of 3")
    expect(next_page).to_be_focused()
    # The focus comes back as the new page is swapped in; htmx takes the new link over as it
    # settles, a moment later. Enter pressed in between followed the link's plain href (a whole
    # page load, the focus on the body): what a person cannot do, a test did on a busy machine.
    page.wait_for_function("() => !document.querySelector('.htmx-settling, .htmx-swapping')")
    page.keyboard.press("Enter")
    expect(pager).to_contain_text("Page 3 of 3")
    # The last page has no next page: the focus goes to the list of other sites that came in, and
    # the next Tab reads its rows.
    expect(page.locator("#candidates")).to_be_focused()
    page.keyboard.press("Tab")
    expect(page.locator("#candidates .table-wrap")).to_be_focused()
