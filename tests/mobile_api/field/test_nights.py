"""Two nights on the phone, told apart: once a second night is revealed, the home list numbered
the visits 1–5 across both nights and the map drew one route through all. Now each night has its
heading, its visits numbered from 1 and its own route on the map."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from backend.inspections import services as inspections
from backend.inspections.models import Operation
from tests import factories
from tests.mobile_api.field.conftest import same_night_after
from tests.mobile_api.field.phone import open_phone, sign_in_app

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def next_night(field, alice):
    """Tomorrow night's operation, revealed already: two visits for Alice's team, a day after
    tonight's (so on the next night whatever the hour the test runs)."""
    now = timezone.now()
    tonight = field.revealed.planned_start
    operation = inspections.operation_create(
        actor=None,
        name="Thunderbolt night 2 (early reveal)",
        lead_agency=alice.agency,
        reveal_at=now - dt.timedelta(minutes=5),
        starts_at=tonight + dt.timedelta(hours=23),
        ends_at=tonight + dt.timedelta(hours=30),
        status=Operation.Status.PUBLISHED,
    )
    team = inspections.team_create(actor=None, name="Night 2", members=[alice], operation=operation)
    # A day after tonight's first, the second an hour later on the same night at any hour (from
    # 05:00 in Macao an hour later began the night after, a third heading).
    first = tonight + dt.timedelta(hours=24)
    starts = (first, same_night_after(first, first + dt.timedelta(hours=1)))
    return [
        inspections.inspection_issue(
            actor=None,
            site=factories.site(name_en=name, venue_type="sauna", latitude=lat, longitude=113.56),
            category="prostitution_trafficking",
            template_version=field.venue_version,
            planned_start=starts[order],
            planned_end=starts[order] + dt.timedelta(hours=1),
            team=team,
            operation=operation,
            route_order=order + 1,
        )
        for order, (name, lat) in enumerate((("Pearl Sauna", 22.19), ("Ruby Spa", 22.21)))
    ]


def test_each_night_has_its_heading_numbering_and_route(pages, field, second_visit, next_night):
    page = open_phone(pages)
    sign_in_app(page, pages.base_url, "alice")

    nights = page.locator("#assignments section.night")
    expect(nights).to_have_count(2)
    first, second = nights.nth(0), nights.nth(1)
    expect(first.locator("h3")).to_contain_text("Night of")
    expect(second.locator("h3")).to_contain_text("Night of")
    assert first.locator("h3").inner_text() != second.locator("h3").inner_text()
    expect(first.locator(".assignment h4")).to_have_text(
        ["1. Golden Lotus Karaoke", "2. Silver Moon Massage"]
    )
    expect(second.locator(".assignment h4")).to_have_text(["1. Pearl Sauna", "2. Ruby Spa"])
    # The list of each night is named by its heading.
    for night in (first, second):
        heading = night.locator("h3").get_attribute("id")
        expect(night.locator("ol")).to_have_attribute("aria-labelledby", heading)

    # The map: stops numbered per night, one route per night (not one through all four).
    markers = page.locator("#route-map .stop-marker")
    expect(markers).to_have_count(4)
    by_night = markers.evaluate_all("els => els.map(e => [e.dataset.night, e.textContent])")
    keys = [first.get_attribute("data-night"), second.get_attribute("data-night")]
    assert by_night == [[keys[0], "1"], [keys[0], "2"], [keys[1], "1"], [keys[1], "2"]], by_night
    expect(page.locator("#route-map path.route")).to_have_count(2)
    # No stop under the map's credit or its zoom buttons, on a phone's narrow map.
    hidden = page.evaluate(
        """() => {
            const controls = [...document.querySelectorAll(
                '#route-map .leaflet-control-attribution, #route-map .leaflet-control-zoom')]
                .map((e) => e.getBoundingClientRect());
            const hit = (a, b) =>
                a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
            return [...document.querySelectorAll('#route-map .stop-marker')]
                .filter((m) => controls.some((c) => hit(m.getBoundingClientRect(), c)))
                .map((m) => m.dataset.night + ' ' + m.textContent);
        }"""
    )
    assert hidden == [], hidden

    # In Chinese and Portuguese too.
    page.locator("#language").select_option("pt")
    expect(first.locator("h3")).to_contain_text("Noite de")
    # The map's own controls too, sized for a thumb: its zoom buttons were named "Zoom in" in
    # English and 30 px, and each stop, a button, was read as "1" and did nothing when tapped.
    zoom_in = page.locator("#route-map .leaflet-control-zoom-in")
    expect(zoom_in).to_have_attribute("aria-label", "Aproximar")
    expect(page.locator("#route-map .leaflet-control-zoom-out")).to_have_attribute("aria-label", "Afastar")
    box = zoom_in.bounding_box()
    assert box["width"] >= 44 and box["height"] >= 44, box
    stop = page.locator("#route-map .leaflet-marker-icon").first
    expect(stop).to_have_attribute("aria-label", re.compile(r"^Paragem 1 · Golden Lotus Karaoke · Noite de "))
    stop.tap()
    link = page.locator("#route-map .leaflet-popup a.stop-link")
    expect(link).to_have_text("1. Golden Lotus Karaoke")
    page.wait_for_timeout(400)  # the map moves the note into sight
    # Clear of the zoom buttons, which Leaflet draws over it (they hid "3." of "3. Centro …").
    overlap = page.evaluate(
        """() => {
            const box = (s) => document.querySelector('#route-map ' + s).getBoundingClientRect();
            const a = box('.leaflet-popup-content-wrapper');
            const b = box('.leaflet-control-zoom');
            return a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
        }"""
    )
    assert not overlap
    link.tap()
    expect(page.locator("#check-in")).to_be_visible()
    page.locator("#back").click()
    page.locator("#language").select_option("zh-hant")
    expect(first.locator("h3")).to_contain_text("晚")
    pages.shot(page, "two-nights")
