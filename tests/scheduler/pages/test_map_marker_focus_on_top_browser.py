"""A stop the keyboard reaches on the plan's map is drawn above the others. Two venues in one
building (common in Macao) are two stops at one place, and Leaflet draws one marker over the other:
tabbed to, the stop underneath stayed wholly hidden, its focus ring with it, so a keyboard user
could not see where they were (WCAG 2.4.11). The focused marker now comes on top."""

from __future__ import annotations

import datetime as dt

import pytest

from scheduler import services
from scheduler.models import PlanningJob
from tests import factories
from tests.browser_support import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct-horse-battery"

# The share of the focused element's box that is really drawn (not under another element).
SHOWN = """() => {
  const el = document.activeElement;
  const r = el.getBoundingClientRect();
  let shown = 0, all = 0;
  for (let x = r.left + 1; x < r.right; x += 2) for (let y = r.top + 1; y < r.bottom; y += 2) {
    all++;
    const hit = document.elementFromPoint(x, y);
    if (hit && (hit === el || el.contains(hit))) shown++;
  }
  return shown / all;
}"""


def test_a_stop_tabbed_to_is_never_hidden_under_another(pages, operation, paula, city, planner_client):
    lotus = city["venues"][0]
    upstairs = factories.site(
        name_en="Lotus Karaoke Upstairs",
        latitude=lotus.latitude,
        longitude=lotus.longitude,
        opening_hours=[(d, dt.time(18), dt.time(4)) for d in range(7)],
    )
    services.operation_targets_set(actor=paula.user, operation=operation, sites=[upstairs], wave="W1")
    planner_client.post(
        f"/planning/operations/{operation.uuid}/plan/start/", {"time_limit_seconds": 3, "seed": 1}
    )
    assert PlanningJob.objects.get(operation=operation).status == PlanningJob.Status.SUCCEEDED

    page = pages.new_page()
    sign_in(page, pages.base_url, "paula", PASSWORD)
    page.goto(f"{pages.base_url}/planning/operations/{operation.uuid}/plan/")
    page.locator("#plan-map .leaflet-marker-icon").first.wait_for()
    page.locator("#plan-map").focus()
    seen = {}
    while True:
        page.keyboard.press("Tab")
        marker = page.evaluate("document.activeElement.classList.contains('leaflet-marker-icon')")
        if not marker:
            break
        seen[page.evaluate("document.activeElement.title")] = page.evaluate(SHOWN)
    # Every marker (the stops, the muster point, a site not planned), wholly drawn when focused.
    assert len(seen) == 4, seen
    assert all(share == 1 for share in seen.values()), seen
