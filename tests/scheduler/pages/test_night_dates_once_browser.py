"""A later night's date is said once, not in every time cell. On an operation of two nights the
second night's tables (the plan's routes, the published operation's visits, a team's briefing)
read "Sáb, 7 Dez 22:10", "Sáb, 7 Dez 22:40", … in each of their time cells, nine dates a table
(a helper's walk): the date now shows in the first time of its day only, the other cells show
the time alone, and each still carries the date for a screen reader (visually hidden), so a cell
read by itself says which night it is on. At 390 px the published operation's tables (its visits,
the team make-up, a briefing's officers) stack instead of scrolling sideways, as the routes do."""

from __future__ import annotations

import pytest

from scheduler import services
from scheduler.models import PlanningJob
from tests.browser_support import PHONE, sign_in
from tests.scheduler.pages.test_multi_night_plan_browser import two_nights

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Each table's time cells: what the eye sees (the visually hidden date taken out) and what a
# screen reader reads (the whole cell).
TIMES = """(selector) => [...document.querySelectorAll(selector)].map((table) => {
  const wrap = table.closest('.table-wrap');
  return {
    caption: (table.querySelector('caption') || {}).textContent,
    scrolls: wrap.scrollWidth > wrap.clientWidth + 1,
    cells: [...table.querySelectorAll('tbody td.time')].map((td) => {
      const seen = td.cloneNode(true);
      seen.querySelectorAll('.visually-hidden').forEach((el) => el.remove());
      return { seen: seen.textContent.trim(), read: td.textContent.trim().replace(/\\s+/g, ' ') };
    }),
  };
})"""


@pytest.fixture
def published_two_nights(paula):
    op = two_nights(paula)
    job = PlanningJob.objects.create(operation=op, time_limit_seconds=3)
    job = services.planning_run(job_id=job.uuid)
    assert job.status == PlanningJob.Status.SUCCEEDED
    services.plan_publish(actor=paula.user, job=job)
    return op


def _signed_in(pages, viewport):
    page = pages.new_page(viewport=viewport)
    sign_in(page, pages.base_url, "paula", "correct-horse-battery")
    page.locator('button[name="language"][value="pt"]').click()
    page.wait_for_load_state()
    return page


def _check_dated_once(tables, second_night_date):
    later = [t for t in tables if any(second_night_date in c["read"] for c in t["cells"])]
    assert later, tables
    for table in later:
        cells = table["cells"]
        # The date seen once, in the first cell of the night; the others show the time alone...
        seen = [c["seen"] for c in cells if second_night_date in c["seen"]]
        assert seen == [cells[0]["seen"]], table
        assert all(second_night_date not in c["seen"] and c["seen"] for c in cells[1:]), table
        # ...and every cell still says its date to a screen reader.
        assert all(c["read"].startswith(second_night_date) for c in cells), table


@pytest.mark.parametrize("viewport", [{"width": 1280, "height": 900}, PHONE], ids=["desktop", "phone"])
def test_a_later_nights_date_once_per_table_and_nothing_scrolls(pages, published_two_nights, viewport):
    op = published_two_nights
    page = _signed_in(pages, viewport)
    second = "sáb, 7 dez"  # the second night, 7 Dec 2030, as Portuguese dates a plan's day

    page.goto(f"{pages.base_url}/planning/operations/{op.uuid}/plan/")
    routes = page.evaluate(TIMES, ".route table.stops")
    assert len(routes) >= 2, routes
    _check_dated_once(
        [{**t, "cells": [{k: v.lower() for k, v in c.items()} for c in t["cells"]]} for t in routes], second
    )
    makeup = page.evaluate(TIMES, "table.team-make-up")
    assert makeup and not any(t["scrolls"] for t in makeup), makeup
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    pages.shot(page, f"plan-dates-once-{viewport['width']}-pt")

    page.goto(f"{pages.base_url}/planning/operations/{op.uuid}/")
    visits = page.evaluate(TIMES, "#teams table")
    assert len(visits) >= 2 and not any(t["scrolls"] for t in visits), visits
    _check_dated_once(
        [{**t, "cells": [{k: v.lower() for k, v in c.items()} for c in t["cells"]]} for t in visits], second
    )
    # Its targets too (read only once published: seven columns), their caption one line wide.
    targets = page.evaluate(TIMES, "#targets table")
    assert len(targets) == 1 and not targets[0]["scrolls"], targets
    caption = page.locator("#targets table caption").bounding_box()
    assert caption["width"] > 300, caption
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    pages.shot(page, f"published-operation-{viewport['width']}-pt")


def test_a_second_nights_briefing_stacks_and_dates_no_time_twice(pages, published_two_nights):
    """A briefing is dated (its facts): its times on that day go undated, and one after midnight
    would be dated once (tests/scheduler/pages/test_briefing_dates.py)."""
    op = published_two_nights
    page = _signed_in(pages, PHONE)
    job = PlanningJob.objects.filter(operation=op).latest("created_at")
    for number in range(1, len(job.plan["routes"]) + 1):
        page.goto(f"{pages.base_url}/planning/operations/{op.uuid}/plan/briefings/{number}/")
        tables = page.evaluate(TIMES, "table.stops")
        assert len(tables) == 2 and not any(t["scrolls"] for t in tables), tables  # officers, route
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
        assert not any("dez" in c["seen"].lower() for c in tables[1]["cells"]), tables[1]
    pages.shot(page, "briefing-second-night-390-pt")
