"""A team's briefing as the planner reads and prints it, in a real browser: the route's times
stay on one line. English times ("9:30 p.m.") broke after the number in the narrow Arrival,
Start and End columns beside long addresses, so a team read "9:30" and "p.m." on two lines;
on the console's page, on paper, and on the API's printable page."""

from __future__ import annotations

from decimal import Decimal

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


# Each marker of the route map (stops and the muster point) against the map's own box.
MARKERS_OUTSIDE = """() => {
  const map = document.getElementById('briefing-map').getBoundingClientRect();
  return [...document.querySelectorAll('#briefing-map .stop-marker, #briefing-map .muster-marker')]
    .map((el) => [el.textContent, el.getBoundingClientRect()])
    .filter(([, r]) => r.left < map.left || r.top < map.top || r.right > map.right || r.bottom > map.bottom)
    .map(([text, r]) => `${text}: ${Math.round(r.left - map.left)},${Math.round(r.top - map.top)} `
      + `to ${Math.round(map.right - r.right)},${Math.round(map.bottom - r.bottom)} from the edges`);
}"""


@pytest.mark.parametrize("width", [1280, 390])
def test_the_route_map_shows_every_stop_whole(pages, planner_client, operation, city, width):
    """The briefing's map fits its route with room for the markers: none is cut at the edge
    (a marker's centre on the edge of the fitted bounds left half of it outside the map)."""
    # Stops far apart, east and west: the route fills the map's width.
    registry.site_update(
        actor=None, site=city["venues"][0], latitude=Decimal("22.21"), longitude=Decimal("113.53")
    )
    registry.site_update(
        actor=None, site=city["venues"][1], latitude=Decimal("22.19"), longitude=Decimal("113.56")
    )
    planner_client.post(
        f"/planning/operations/{operation.uuid}/plan/start/", {"time_limit_seconds": 3, "seed": 1}
    )
    assert PlanningJob.objects.get(operation=operation).status == PlanningJob.Status.SUCCEEDED
    page = pages.new_page(viewport={"width": width, "height": 900})
    sign_in(page, pages.base_url, "paula", PASSWORD)
    page.goto(f"{pages.base_url}/planning/operations/{operation.uuid}/plan/briefings/1/")
    page.locator("#briefing-map .stop-marker").first.wait_for()
    page.wait_for_timeout(300)
    assert page.evaluate(MARKERS_OUTSIDE) == []
    pages.shot(page, f"briefing-map-{width}")
    # On paper the map is smaller (and as wide as the page): the route is fitted to it again.
    page.emulate_media(media="print")
    page.wait_for_timeout(300)
    assert page.evaluate(MARKERS_OUTSIDE) == []
    page.emulate_media(media="screen")
    page.wait_for_timeout(300)
    assert page.evaluate(MARKERS_OUTSIDE) == []
