"""The import's place map, walked by hand: the rows' markers reach the keyboard and keep the
console maps' tooltips (shown on focus and hover, hidden by Escape with the focus kept), and a
click on one of them does not move the chosen row onto it.

The markers were circles drawn in the map's SVG: the row's name they showed was for the mouse,
and a click on a row's circle (to read whose it was) went through to the map, which put the row
chosen on the list at that place, silently, over another row's. The coordinates' boxes had no
type, so none of the console's box styles: 20 px high, under the 40 px of every other box."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests import factories
from tests.browser_support import PHONE, axe_check, sign_in
from tests.registry_import.support import upload

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "correct-horse-battery"
TIP = ".leaflet-tooltip.map-tip"


@pytest.fixture
def to_place(settings, django_capture_on_commit_callbacks):
    settings.GEOCODER = ""
    ada = factories.officer("PSP", username="ada", roles=("administrator",))
    return upload(django_capture_on_commit_callbacks, ada.user, "sites", "sites_addresses.csv")


@pytest.mark.parametrize("viewport", [None, PHONE], ids=["desktop", "phone"])
def test_the_rows_markers_take_the_keyboard_and_keep_the_chosen_row_in_place(pages, to_place, viewport):
    page = pages.new_page(**({"viewport": viewport} if viewport else {}))
    sign_in(page, pages.base_url, "ada", PASSWORD)
    page.goto(f"{pages.base_url}/registry/imports/{to_place.uuid}/place/")
    page.locator("#place-map .leaflet-pane").first.wait_for(state="attached")
    for number, lat, lon in (("2", "22.153500", "113.557100"), ("3", "22.192100", "113.547300")):
        row = page.locator(f"#row-{number}")
        row.get_by_label("Latitude").fill(lat)
        row.get_by_label("Longitude").fill(lon)
        row.get_by_label("Longitude").press("Tab")  # the change draws its marker
    markers = page.locator("#place-map .leaflet-marker-icon")
    expect(markers).to_have_count(2)
    # The boxes are the console's boxes (a finger's height), not the browser's bare ones.
    assert page.locator("#lat-2").bounding_box()["height"] >= 40

    # The keyboard: from the map, Tab goes to each row's marker, whose row's name shows.
    page.locator("#place-map").focus()
    page.keyboard.press("Tab")
    first = page.evaluate("document.activeElement.textContent.trim()")
    assert first in ("2", "3")
    name = page.locator(f"#row-{first} h2").inner_text()
    expect(page.locator(TIP)).to_have_text(name)
    # Escape hides it and leaves the focus on the marker.
    page.keyboard.press("Escape")
    expect(page.locator(TIP)).to_have_count(0)
    assert page.evaluate("document.activeElement.textContent.trim()") == first
    page.keyboard.press("Tab")
    second = "3" if first == "2" else "2"
    expect(page.locator(TIP)).to_have_text(page.locator(f"#row-{second} h2").inner_text())

    # The mouse: row 2 chosen, a click on row 3's marker shows row 3's name and moves nothing.
    page.locator("#row-2").get_by_role("button", name="Choose on the map").click()
    row3 = markers.filter(has_text="3")
    row3.hover()
    expect(page.locator(TIP)).to_have_text(page.locator("#row-3 h2").inner_text())
    row3.click()
    expect(page.locator("#lat-2")).to_have_value("22.153500")
    expect(page.locator("#lon-2")).to_have_value("113.557100")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    axe_check(page, exclude=[".leaflet-control-container"])
