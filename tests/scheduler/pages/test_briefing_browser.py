"""A team's briefing as the planner reads and prints it, in a real browser: the route's times
stay on one line. English times ("9:30 p.m.") broke after the number in the narrow Arrival,
Start and End columns beside long addresses, so a team read "9:30" and "p.m." on two lines;
on the console's page, on paper, and on the API's printable page."""

from __future__ import annotations

import pytest

from backend.registry import services as registry
from scheduler.models import PlanningJob
from tests.browser_support import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct-horse-battery"

# The lines each time cell of the route table (Arrival, Start, End: its last three columns)
# takes, by the rectangles of its text.
TIME_LINES = """() => [...document.querySelectorAll('table')]
  .filter((table) => table.querySelectorAll('thead th').length === 10)
  .flatMap((table) => [...table.querySelectorAll('tbody tr')].flatMap((row) => [...row.cells].slice(-3)))
  .map((cell) => {
  const range = document.createRange();
  range.selectNodeContents(cell);
  const tops = new Set([...range.getClientRects()].map((r) => Math.round(r.top)));
  return [cell.textContent, tops.size];
})"""


def test_the_route_times_stay_on_one_line(pages, planner_client, operation, city):
    # Addresses and operators as long as the registry's, which squeeze the time columns.
    for venue in city["venues"]:
        registry.site_update(
            actor=None,
            site=venue,
            address="Avenida do Conselheiro Ferreira de Almeida, n.º 149, 1.º andar, Macau",
            contact_name="Ho Keng Man",
            contact_phone="2891 5782",
        )
    response = planner_client.post(
        f"/planning/operations/{operation.uuid}/plan/start/",
        {"time_limit_seconds": 3, "seed": 1},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert PlanningJob.objects.get(operation=operation).status == PlanningJob.Status.SUCCEEDED
    page = pages.new_page()
    sign_in(page, pages.base_url, "paula", PASSWORD)
    page.goto(f"{pages.base_url}/planning/operations/{operation.uuid}/plan/briefings/1/")
    page.locator("#briefing-map .stop-marker").first.wait_for()
    cells = page.evaluate(TIME_LINES)
    assert len(cells) >= 3 and all("p.m." in text for text, _lines in cells), cells
    assert [text for text, lines in cells if lines != 1] == [], cells
    pages.shot(page, "briefing-times")
    page.emulate_media(media="print")
    assert [text for text, lines in page.evaluate(TIME_LINES) if lines != 1] == []
    page.emulate_media(media="screen")

    # The API's printable briefing (the same table, a stylesheet of its own).
    page.goto(f"{pages.base_url}/api/v1/planning/operations/{operation.uuid}/plan/briefings/1/")
    cells = page.evaluate(TIME_LINES)
    assert len(cells) >= 3 and [text for text, lines in cells if lines != 1] == [], cells
    pages.shot(page, "briefing-times-api")
