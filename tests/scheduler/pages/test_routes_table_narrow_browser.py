"""A plan over two nights, in Portuguese, at 820 px (a tablet, or a laptop's half screen): each
team's table of stops fits its card. Its dated times ("Sáb, 7 Dez 20:55") were each kept on one
line, so the second night's tables scrolled sideways and the Pin buttons lay past the card's edge
(a helper's walk). A dated time now breaks between its date and its time, each kept whole."""

from __future__ import annotations

import pytest

from scheduler import services
from scheduler.models import PlanningJob
from tests.browser_support import sign_in
from tests.scheduler.pages.test_multi_night_plan_browser import two_nights

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TABLES = """() => [...document.querySelectorAll('.route .table-wrap')].map((wrap) => ({
  scrolls: wrap.scrollWidth > wrap.clientWidth,
  pin: (() => { const b = wrap.querySelector('tbody button'); if (!b) return null;
                const r = b.getBoundingClientRect(), w = wrap.getBoundingClientRect();
                return r.right <= w.right; })(),
  dated: [...wrap.querySelectorAll('td.time')].map((td) => [...td.querySelectorAll('.nowrap')].map(
    (part) => part.getClientRects().length)),
}))"""


def test_a_two_night_plans_tables_fit_a_narrow_screen_in_portuguese(pages, paula):
    op = two_nights(paula)
    job = PlanningJob.objects.create(operation=op, time_limit_seconds=3)
    assert services.planning_run(job_id=job.uuid).status == PlanningJob.Status.SUCCEEDED
    page = pages.new_page(viewport={"width": 820, "height": 1000})
    sign_in(page, pages.base_url, "paula", "correct-horse-battery")
    page.locator('button[name="language"][value="pt"]').click()
    page.wait_for_load_state()
    page.goto(f"{pages.base_url}/planning/operations/{op.uuid}/plan/")
    tables = page.evaluate(TABLES)
    assert len(tables) >= 2, tables
    for table in tables:
        assert not table["scrolls"] and table["pin"], table
    dated = [parts for table in tables for parts in table["dated"] if parts]
    assert dated, tables  # the second night's times carry their date
    assert all(parts == [1, 1] for parts in dated), dated  # date and time each whole
    pages.shot(page, "plan-two-nights-820-pt")
