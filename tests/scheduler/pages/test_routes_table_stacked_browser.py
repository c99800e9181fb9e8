"""The routes' tables on a tablet and a phone, in Traditional Chinese: at 768 px the second
night's tables scrolled sideways (their dated times, "12月9日（星期三） 22:10", in five columns
did not fit), and at 390 px every table did, the Pin button out of sight (a helper's walk). Under
a width each stop now stacks, its figures each under its column's name, and nothing scrolls
sideways; a wide screen keeps the table, each column's name on one line ("梯次", which had
broken into "梯" over "次" beside the dated times)."""

from __future__ import annotations

import pytest

from scheduler import services
from scheduler.models import PlanningJob
from tests.browser_support import PHONE, sign_in
from tests.scheduler.pages.test_multi_night_plan_browser import two_nights

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ROUTES = """() => [...document.querySelectorAll('.route table.stops')].map((table) => {
  const wrap = table.closest('.table-wrap'), w = wrap.getBoundingClientRect();
  const button = table.querySelector('tbody button');
  const heads = [...table.querySelectorAll('thead th')].map((th) => th.textContent.trim());
  return {
    scrolls: wrap.scrollWidth > wrap.clientWidth + 1,
    pinInside: !button || button.getBoundingClientRect().right <= w.right + 1,
    row: getComputedStyle(table.querySelector('tbody tr')).display,
    labels: [...table.querySelectorAll('tbody tr:first-child td[data-label]')].map(
      (td) => getComputedStyle(td, '::before').content.replace(/^"|"$/g, '')),
    heads,
    headLines: [...table.querySelectorAll('thead th')].map((th) => {
      const range = document.createRange(); range.selectNodeContents(th);
      return new Set([...range.getClientRects()].map((r) => Math.round(r.top))).size;
    }),
    role: table.getAttribute('role'),
  };
})"""


@pytest.fixture
def two_night_plan(paula):
    op = two_nights(paula)
    job = PlanningJob.objects.create(operation=op, time_limit_seconds=3)
    assert services.planning_run(job_id=job.uuid).status == PlanningJob.Status.SUCCEEDED
    return op


def _plan_page(pages, op, viewport):
    page = pages.new_page(viewport=viewport)
    sign_in(page, pages.base_url, "paula", "correct-horse-battery")
    page.locator('button[name="language"][value="zh-hant"]').click()
    page.wait_for_load_state()
    page.goto(f"{pages.base_url}/planning/operations/{op.uuid}/plan/")
    return page


@pytest.mark.parametrize("viewport", [{"width": 768, "height": 1000}, PHONE], ids=["tablet", "phone"])
def test_a_stop_stacks_under_a_width_and_nothing_scrolls_sideways(pages, two_night_plan, viewport):
    page = _plan_page(pages, two_night_plan, viewport)
    tables = page.evaluate(ROUTES)
    assert len(tables) >= 2, tables
    for table in tables:
        assert not table["scrolls"] and table["pinInside"], table
        assert table["row"] == "flex" and table["role"] == "table", table
        # Each figure under its column's name, as the table's head says it.
        assert table["labels"] == ["梯次", "到達", "開始", "結束", "路程（分鐘）", "等候（分鐘）"], table
        assert set(table["labels"]) <= set(table["heads"]), table
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    pages.shot(page, f"plan-routes-stacked-{viewport['width']}-zh")


def test_a_wide_screen_keeps_the_table_with_each_columns_name_on_one_line(pages, two_night_plan):
    # 1100 px: about the narrowest screen that keeps the table (a card over 60rem wide).
    page = _plan_page(pages, two_night_plan, {"width": 1100, "height": 900})
    tables = page.evaluate(ROUTES)
    assert len(tables) >= 2, tables
    for table in tables:
        assert table["row"] == "table-row" and not table["scrolls"], table
        assert all(lines == 1 for lines in table["headLines"]), table


BRIEFING = """() => {
  const table = document.querySelector('table.stops:has(td.time)'), wrap = table.closest('.table-wrap');
  return { scrolls: wrap.scrollWidth > wrap.clientWidth + 1,
           row: getComputedStyle(table.querySelector('tbody tr')).display,
           labels: [...table.querySelectorAll('tbody tr:first-child td[data-label]')].map(
             (td) => getComputedStyle(td, '::before').content.replace(/^"|"$/g, '')) }; }"""


def test_a_briefings_stops_stack_on_a_tablet_and_stay_a_table_in_print(pages, two_night_plan):
    """The briefing's route (ten columns) scrolled sideways at 768 px; printed, it stays a table."""
    page = _plan_page(pages, two_night_plan, {"width": 768, "height": 1000})
    page.goto(f"{pages.base_url}/planning/operations/{two_night_plan.uuid}/plan/briefings/1/")
    table = page.evaluate(BRIEFING)
    assert table["row"] == "flex" and not table["scrolls"], table
    assert table["labels"][:2] == ["地址", "營業時間"], table
    assert table["labels"][-3:] == ["到達", "開始", "結束"], table
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    pages.shot(page, "briefing-stacked-768-zh")
    page.emulate_media(media="print")
    assert page.evaluate(BRIEFING)["row"] == "table-row"
