"""The running job panel, redrawn every second, leaves "Cancel the run" alone and says its
progress in steps, politely.

The whole panel was replaced each second, its button with it: the focus was put back on the new
"Cancel the run" every time, so a screen reader read the button out again every second, and the
planner heard nothing else for the length of the run. Now only the progress is redrawn; the
button stays, focused once. What the panel says is announced (in the console's polite live
region) when it moves on a step: the run starts, a plan is found, another quarter of the time is
gone; not at each second's percentage. The end of the run still replaces the whole panel, says
so, and puts the focus where the planner goes next: "Open the plan", or the panel when it failed."""

from __future__ import annotations

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from scheduler.models import PlanningJob
from scheduler.services import REASON_WORKER_LOST
from tests.browser_support import axe_check, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct-horse-battery"

# What the page's live region is given to say, each text once per time it is given, and how often
# the focus moves; "Cancel the run" remembered, to tell whether it is still the same element.
WATCH = """() => {
  const live = document.getElementById('live');
  window.said = [];
  new MutationObserver(() => { if (live.textContent) window.said.push(live.textContent); })
    .observe(live, {childList: true, characterData: true, subtree: true});
  window.focusMoves = 0;
  document.addEventListener('focusin', () => { window.focusMoves += 1; });
  window.cancelButton = document.activeElement;
}"""
STILL = "() => document.activeElement === window.cancelButton && window.cancelButton.isConnected"


def _open_with_focus_on_cancel(pages, operation):
    page = pages.new_page()
    sign_in(page, pages.base_url, "paula", PASSWORD)
    page.goto(f"{pages.base_url}/planning/operations/{operation.uuid}/")
    cancel = page.locator("#job").get_by_role("button", name="Cancel the run")
    for _ in range(80):
        page.keyboard.press("Tab")
        if cancel.evaluate("element => element === document.activeElement"):
            break
    expect(cancel).to_be_focused()
    page.evaluate(WATCH)
    return page


def _redrawn(page):
    """Waits for the next redraw of the progress (a new part in place of the one shown now)."""
    page.evaluate("() => { window.shownPart = document.getElementById('job-progress'); }")
    page.wait_for_function("() => document.getElementById('job-progress') !== window.shownPart")


def _update(job, **fields):
    PlanningJob.objects.filter(pk=job.pk).update(heartbeat_at=timezone.now(), **fields)


def test_progress_is_redrawn_alone_and_announced_in_steps(pages, operation):
    job = PlanningJob.objects.create(operation=operation, status=PlanningJob.Status.QUEUED, progress=0.0)
    page = _open_with_focus_on_cancel(pages, operation)
    progress = page.locator("#job-progress")

    # Nothing changes: the part is redrawn, the button is not, and nothing is said or focused.
    for _ in range(2):
        _redrawn(page)
        assert page.evaluate(STILL)
    assert page.evaluate("window.said") == []

    # The run starts: said once, with its percentage.
    _update(job, status=PlanningJob.Status.RUNNING, started_at=timezone.now(), progress=0.3)
    expect(progress).to_have_attribute("value", "0.3")
    page.wait_for_function("() => window.said.length > 0")
    assert page.evaluate("window.said") == ["Planning… 30% · no plan found yet"]
    # The percentage ticks on within the same quarter: drawn, not said.
    _update(job, progress=0.4)
    expect(progress).to_have_attribute("value", "0.4")
    expect(page.locator("#job .job-figures")).to_have_text("40% · no plan found yet")
    _redrawn(page)
    assert page.evaluate("window.said") == ["Planning… 30% · no plan found yet"]
    # A plan is found: said.
    _update(job, progress=0.45, best_objective=1234.0)
    page.wait_for_function("() => window.said.length > 1")
    assert page.evaluate("window.said")[1:] == [
        "Planning… 45% · a plan is found; the planner is looking for a cheaper one"
    ]
    assert page.evaluate(STILL)
    assert page.evaluate("window.focusMoves") == 0
    axe_check(page)

    # The run fails: the whole panel is replaced and says so; the focus, on the button that went
    # with it, goes to the panel (its first words are the failure).
    _update(
        job,
        status=PlanningJob.Status.FAILED,
        progress=1.0,
        error=REASON_WORKER_LOST,
        finished_at=timezone.now(),
    )
    expect(page.locator("#job-status")).to_have_text("Planning failed.")
    expect(page.locator("#job")).to_be_focused()
    page.wait_for_function("() => window.said.includes('Planning failed.')")
    expect(page.locator("#job-run")).to_have_count(0)  # and nothing is redrawn any more
    axe_check(page)


def test_a_plan_ready_puts_the_focus_on_open_the_plan(pages, operation):
    job = PlanningJob.objects.create(
        operation=operation, status=PlanningJob.Status.RUNNING, progress=0.5, started_at=timezone.now()
    )
    _update(job)
    page = _open_with_focus_on_cancel(pages, operation)
    _update(job, status=PlanningJob.Status.SUCCEEDED, progress=1.0, finished_at=timezone.now())
    expect(page.locator("#job").get_by_role("link", name="Open the plan")).to_be_focused()
    page.wait_for_function("() => window.said.includes('The plan is ready.')")


def test_a_plan_ready_leaves_the_focus_where_the_planner_has_gone(pages, operation):
    """The planner started a run, then went on to search the other sites while it ran: the run's
    end said the plan was ready and offered "Open the plan", but it took the focus out of the box
    being typed in, and the next letters went nowhere. The focus stays where the planner is; the
    end is announced, and "Open the plan" waits in the panel."""
    job = PlanningJob.objects.create(
        operation=operation, status=PlanningJob.Status.RUNNING, progress=0.5, started_at=timezone.now()
    )
    _update(job)
    page = _open_with_focus_on_cancel(pages, operation)
    search = page.locator("#id_q")
    search.focus()
    page.keyboard.type("Bar")
    _update(job, status=PlanningJob.Status.SUCCEEDED, progress=1.0, finished_at=timezone.now())
    page.wait_for_function("() => window.said.includes('The plan is ready.')")
    expect(page.locator("#job").get_by_role("link", name="Open the plan")).to_be_visible()
    expect(search).to_be_focused()
    page.keyboard.type("s")
    expect(search).to_have_value("Bars")
    axe_check(page)


def test_a_plan_ready_takes_the_focus_from_plan_but_not_from_a_box_of_its_form(pages, operation):
    """The focus on "Plan" (the run just started, the planner waiting for it) goes on to "Open the
    plan" as the run ends, the form and the panel being one part of the page; in the form's box
    of seconds, being typed in, it stays."""
    page = pages.new_page()
    sign_in(page, pages.base_url, "paula", PASSWORD)
    for where, moves in (("#planning form button.primary", True), ("#id_time_limit_seconds", False)):
        job = PlanningJob.objects.create(
            operation=operation, status=PlanningJob.Status.RUNNING, progress=0.5, started_at=timezone.now()
        )
        _update(job)
        page.goto(f"{pages.base_url}/planning/operations/{operation.uuid}/")
        page.locator("#job-run").wait_for()
        page.locator(where).focus()
        _update(job, status=PlanningJob.Status.SUCCEEDED, progress=1.0, finished_at=timezone.now())
        open_plan = page.locator("#job").get_by_role("link", name="Open the plan")
        expect(open_plan).to_be_visible()
        if moves:
            expect(open_plan).to_be_focused()
        else:
            page.wait_for_timeout(300)  # past the swap's settling
            expect(page.locator(where)).to_be_focused()
        PlanningJob.objects.filter(pk=job.pk).delete()
    axe_check(page)
