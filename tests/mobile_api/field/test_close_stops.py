"""Two visits a street apart on the home map. Fitted to the night's route on a 390 px phone, stop 1
was drawn under stop 2: "2" over half of "1", neither readable, and a tap hit whichever was on top.
Close stops are now fanned out around where they are, each its own number to read and tap (its
24 px target clear of the other's, WCAG 2.5.8), with a thin line to its true place; zoomed in
until they part, they stand where they are. (A cluster would have hidden the numbers the list
beside the map goes by, behind a count that reads like one more stop number.) Axe clean at 390
and 1280 px."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from backend.inspections import services as inspections
from tests import factories
from tests.browser_support import SCREENSHOTS, axe_check
from tests.mobile_api.field.conftest import same_night_after
from tests.mobile_api.field.phone import PHONE_390, open_phone, sign_in_app

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def visit(field, site, order: int, after):
    start = same_night_after(field.revealed.planned_start, after)
    return inspections.inspection_issue(
        actor=None,
        site=site,
        category="prostitution_trafficking",
        template_version=field.venue_version,
        planned_start=start,
        planned_end=start + dt.timedelta(minutes=30),
        team=field.revealed.team,
        operation=field.operation,
        route_order=order,
    )


MARKERS = """() => [...document.querySelectorAll('#route-map .leaflet-marker-icon')].map((m) => {
    const r = m.getBoundingClientRect();
    return {n: m.textContent.trim(), x: r.x + r.width / 2, y: r.y + r.height / 2, w: r.width, h: r.height};
})"""


def apart(markers) -> list[tuple[str, str, float]]:
    """Pairs of stops whose 24 px targets, centred on each, touch (WCAG 2.5.8's spacing test)."""
    close = []
    for i, a in enumerate(markers):
        for b in markers[i + 1 :]:
            d = ((a["x"] - b["x"]) ** 2 + (a["y"] - b["y"]) ** 2) ** 0.5
            if d < 24 or (abs(a["x"] - b["x"]) < a["w"] and abs(a["y"] - b["y"]) < a["h"] and d < a["w"]):
                close.append((a["n"], b["n"], round(d, 1)))
    return close


def test_close_stops_are_drawn_apart_each_readable_and_tapped_on_its_own(pages, field):
    # The first visit (Golden Lotus Karaoke) is at Fátima; the second 30 m from it, the third 3 km off.
    first = field.revealed
    lat, lon = float(first.site.latitude), float(first.site.longitude)
    visit(
        field,
        factories.site(name_en="Silver Moon Massage", latitude=lat + 0.0002, longitude=lon + 0.0002),
        2,
        first.planned_end,
    )
    visit(
        field,
        factories.site(name_en="Jade Sauna", latitude=lat - 0.025, longitude=lon + 0.02),
        3,
        first.planned_end + dt.timedelta(hours=1),
    )
    page = open_phone(pages, viewport=PHONE_390)
    sign_in_app(page, pages.base_url, "alice")
    expect(page.locator("#route-map .stop-marker")).to_have_count(3)
    page.wait_for_timeout(300)  # the map fitted to the route

    markers = page.evaluate(MARKERS)
    assert [m["n"] for m in markers] == ["1", "2", "3"]
    assert apart(markers) == [], markers
    # Each shows its number whole: nothing of another stop is drawn over its centre.
    for m in markers:
        on_top = page.evaluate(
            "([x, y]) => document.elementFromPoint(x, y).closest('.leaflet-marker-icon')?.textContent.trim()",
            [m["x"], m["y"]],
        )
        assert on_top == m["n"], (m, on_top)
    # A thin line from each fanned stop to where its venue is.
    expect(page.locator("#route-map path.stop-leader")).to_have_count(2)

    # Tapped, each opens its own visit's link.
    for n, name in (("1", "Golden Lotus Karaoke"), ("2", "Silver Moon Massage")):
        page.locator("#route-map .leaflet-marker-icon", has_text=n).first.tap()
        expect(page.locator("#route-map .leaflet-popup a.stop-link")).to_have_text(f"{n}. {name}")
        page.screenshot(path=str(SCREENSHOTS / f"field-close-stops-{n}-390.png"))
        page.locator("#route-map").tap(position={"x": 340, "y": 120})  # the map, beside the note: closes it
        expect(page.locator("#route-map .leaflet-popup")).to_have_count(0)
    axe_check(page)

    # Zoomed in until they part: each stands at its venue, no line.
    for _ in range(6):
        page.locator("#route-map .leaflet-control-zoom-in").click()
        page.wait_for_timeout(350)
    expect(page.locator("#route-map path.stop-leader")).to_have_count(0)
    places = page.evaluate(
        """() => [...document.querySelectorAll('#route-map .leaflet-marker-icon')]
            .slice(0, 2).map((m) => { const r = m.getBoundingClientRect(); return [r.x, r.y]; })"""
    )
    assert places[1][0] > places[0][0] and places[1][1] < places[0][1], places  # 2 north-east of 1

    page.set_viewport_size({"width": 1280, "height": 900})
    axe_check(page)


def test_a_stop_opened_from_the_keyboard_gives_its_link_the_focus(pages, field, second_visit):
    """Enter on a stop opened its note, whose link came in the tab order only after every other
    stop (and the zoom buttons'), and Escape did not close it: the link takes the focus, Escape
    closes the note and gives the focus back to the stop."""
    page = open_phone(pages, viewport=PHONE_390)
    sign_in_app(page, pages.base_url, "alice")
    page.locator("#language").select_option("pt")
    expect(page.locator("#screen-title")).to_have_text("Tarefas")
    stop = page.locator("#route-map .leaflet-marker-icon").first
    expect(stop).to_have_attribute("aria-label", re.compile(r"^Paragem 1 · "))
    stop.focus()
    page.keyboard.press("Enter")
    link = page.locator("#route-map .leaflet-popup a.stop-link")
    expect(link).to_have_text("1. Golden Lotus Karaoke")
    expect(link).to_be_focused()
    page.wait_for_timeout(400)  # the note faded in
    axe_check(page)
    page.keyboard.press("Escape")
    expect(page.locator("#route-map .leaflet-popup")).to_have_count(0)
    expect(stop).to_be_focused()
    # Enter on the link opens the visit.
    page.keyboard.press("Enter")
    expect(link).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("#check-in")).to_be_visible()
    page.set_viewport_size({"width": 1280, "height": 900})
    axe_check(page)
