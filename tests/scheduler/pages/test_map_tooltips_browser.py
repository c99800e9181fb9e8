"""The words a stop shows on the plan's map, on focus or hover, can be dismissed, hovered and
kept, as WCAG 1.4.13 asks (content on hover or focus).

Leaflet's tooltips could not be hidden without moving the focus off the marker (or the pointer
off it): a planner tabbing through the stops had each one's words over the map, over the next
stops, with no way to put them away. The pointer could not reach them either: they closed as it
left the marker, and took no pointer; and they closed when the pointer left a marker that still
had the focus. Now Escape hides them with the focus left where it is, the pointer can move onto
them, and they stay while their marker has the focus (ConsoleMap.tooltip, shared by every
console map: the plan's, the targets', the imports' places)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from scheduler.models import PlanningJob
from tests.browser_support import DESKTOP, PHONE, axe_check, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct-horse-battery"
IS_MARKER = "() => document.activeElement.classList.contains('leaflet-marker-icon')"


@pytest.fixture
def planned(operation, planner_client):
    planner_client.post(
        f"/planning/operations/{operation.uuid}/plan/start/", {"time_limit_seconds": 3, "seed": 1}
    )
    assert PlanningJob.objects.get(operation=operation).status == PlanningJob.Status.SUCCEEDED
    return operation


def _open_plan(pages, operation, **context):
    page = pages.new_page(**context)
    sign_in(page, pages.base_url, "paula", PASSWORD)
    page.goto(f"{pages.base_url}/planning/operations/{operation.uuid}/plan/")
    page.locator("#plan-map .leaflet-marker-icon").first.wait_for()
    return page


@pytest.mark.parametrize(("locale", "viewport"), [("en", DESKTOP), ("zh-TW", PHONE)])
def test_escape_hides_a_focused_stops_words_and_leaves_the_focus_on_it(pages, planned, locale, viewport):
    page = _open_plan(pages, planned, locale=locale, viewport=viewport)
    words = page.locator("#plan-map .leaflet-tooltip:not(.map-label)")
    page.locator("#plan-map").focus()
    page.keyboard.press("Tab")
    assert page.evaluate(IS_MARKER)
    stop = page.evaluate("document.activeElement.title")
    expect(words).to_be_visible()
    axe_check(page, exclude=[".leaflet-marker-pane"])
    page.keyboard.press("Escape")
    expect(words).to_have_count(0)
    assert page.evaluate(IS_MARKER) and page.evaluate("document.activeElement.title") == stop
    # The next stop shows its own words; Escape hides them too.
    page.keyboard.press("Tab")
    assert page.evaluate(IS_MARKER) and page.evaluate("document.activeElement.title") != stop
    expect(words).to_have_count(1)
    page.keyboard.press("Escape")
    expect(words).to_have_count(0)


def test_a_stops_words_can_be_hovered_and_stay_while_it_has_the_focus(pages, planned):
    page = _open_plan(pages, planned)
    words = page.locator("#plan-map .leaflet-tooltip:not(.map-label)")
    marker = page.locator("#plan-map .leaflet-marker-icon").first
    page.locator("#plan-map").scroll_into_view_if_needed()
    box = marker.bounding_box()
    centre = (box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.move(*centre)
    expect(words).to_be_visible()
    # The pointer moves from the marker onto its words (through their arrow): they stay.
    tip = words.bounding_box()
    page.mouse.move(tip["x"] + tip["width"] / 2, tip["y"] + tip["height"] / 2, steps=12)
    expect(words).to_be_visible()
    assert page.evaluate(
        "([x, y]) => !!document.elementFromPoint(x, y).closest('.leaflet-tooltip:not(.map-label)')",
        [tip["x"] + tip["width"] / 2, tip["y"] + tip["height"] / 2],
    )
    # Escape hides them with the pointer still on them.
    page.keyboard.press("Escape")
    expect(words).to_have_count(0)
    # A click on the marker is never a click on its words: they open beside it.
    page.mouse.move(*centre)
    expect(words).to_be_visible()
    for dx in (-box["width"] / 2 + 1, 0, box["width"] / 2 - 1):
        assert page.evaluate(
            "([x, y]) => !document.elementFromPoint(x, y).closest('.leaflet-tooltip')",
            [centre[0] + dx, centre[1]],
        )
    # The pointer leaving the marker closes them...
    frame = page.locator("#plan-map").bounding_box()
    away = (centre[0], frame["y"] + frame["height"] + 30)  # below the map
    page.mouse.move(*away, steps=6)
    expect(words).to_have_count(0)
    # ...but not while the marker has the focus (tabbed to, or clicked).
    marker.focus()
    expect(words).to_have_count(1)
    page.mouse.move(*centre)
    page.mouse.move(*away, steps=6)
    expect(words).to_have_count(1)
    page.keyboard.press("Escape")
    expect(words).to_have_count(0)
