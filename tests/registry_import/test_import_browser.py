"""The administrator's path in the browser: sign in, upload a sites file, read the dry run, apply
it; then a planner finds the new site on the targets map of a draft operation."""

from __future__ import annotations

import pytest

from backend.registry.models import Site
from tests import factories
from tests.browser_support import PHONE, axe_check, sign_in
from tests.registry_import.support import FILES
from tests.scheduler.conftest import city  # noqa: F401  (the planners' small city, as a fixture)
from tests.scheduler.pages.conftest import operation  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "correct-horse-battery"


def test_an_administrator_imports_sites_and_the_planner_sees_them_on_the_map(pages, request, settings):
    settings.GEOCODER = ""
    draft = request.getfixturevalue("operation")
    factories.officer("PSP", username="ada", roles=("administrator",))

    page = pages.new_page()
    sign_in(page, pages.base_url, "ada", PASSWORD)
    page.goto(f"{pages.base_url}/")
    page.get_by_role("link", name="Registry imports").first.click()
    page.get_by_label("What the file holds").select_option("sites")
    page.get_by_label("File (CSV or XLSX)").set_input_files(str(FILES / "sites_bom.csv"))
    page.get_by_role("button", name="Check the file").click()
    page.get_by_role("button", name="Apply the import").wait_for()
    assert "Golden Lotus Karaoke" in page.locator("main").inner_text()
    axe_check(page)
    pages.shot(page, "dry-run")
    page.get_by_role("button", name="Apply the import").click()
    page.get_by_text("Applied", exact=True).first.wait_for()
    assert Site.objects.filter(external_id__in=["S-001", "S-002", "S-003"]).count() == 3

    # Addresses without coordinates and no geocoder: placed by hand on the map page.
    page.goto(f"{pages.base_url}/registry/imports/")
    page.get_by_label("What the file holds").select_option("sites")
    page.get_by_label("File (CSV or XLSX)").set_input_files(str(FILES / "sites_addresses.csv"))
    page.get_by_role("button", name="Check the file").click()
    page.get_by_role("link", name="Place them on the map").click()
    page.locator("#place-map .leaflet-pane").first.wait_for(state="attached")
    first = page.locator("#row-2")
    first.get_by_role("button", name="Choose on the map").click()
    page.locator("#place-map").click(position={"x": 200, "y": 150})
    assert first.get_by_label("Latitude").input_value().startswith("22.")  # the click filled it
    axe_check(page, exclude=[".leaflet-control-container"])
    pages.shot(page, "place-rows")
    # A place refused keeps every place typed: the click's on row 2, the refused one on row 3.
    clicked = first.get_by_label("Latitude").input_value()
    third = page.locator("#row-3")
    third.get_by_label("Latitude").fill("22.26")
    third.get_by_label("Longitude").fill("113.545")
    third.get_by_role("button", name="Save the place").click()
    page.locator("#form-errors").wait_for()
    assert first.get_by_label("Latitude").input_value() == clicked
    assert third.get_by_label("Latitude").input_value() == "22.26"
    # The first refused row is the one chosen for the next click on the map.
    page.locator(".place-rows li.refused.chosen").wait_for()  # once the page's script has run
    assert page.locator(".place-rows li.chosen").count() == 1
    # The refusal answers 400, which the browser logs; that one is expected.
    expected = [p for p in pages.problems if "status of 400 (Bad Request)" in p and "/place/" in p]
    assert len(expected) == 1
    pages.problems.remove(expected[0])
    axe_check(page, exclude=[".leaflet-control-container"])
    pages.shot(page, "place-refused")
    for number, lat, lon in (
        ("2", "22.153500", "113.557100"),
        ("3", "22.192100", "113.547300"),
        ("4", "22.208", "113.542"),
    ):
        row = page.locator(f"#row-{number}")
        row.get_by_label("Latitude").fill(lat)
        row.get_by_label("Longitude").fill(lon)
    page.locator("#row-4").get_by_role("button", name="Save the place").click()  # saves all three
    page.wait_for_load_state()
    page.get_by_role("button", name="Apply the import").click()
    page.get_by_text("Applied", exact=True).first.wait_for()
    assert str(Site.objects.get(external_id="G-1").latitude) == "22.153500"

    # At phone width the pages reflow: nothing wider than the screen but the tables' own scroll boxes.
    detail = page.url
    page.set_viewport_size(PHONE)
    for url in (f"{pages.base_url}/registry/imports/", detail):
        page.goto(url)
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"), url

    planner = pages.new_page()
    sign_in(planner, pages.base_url, "paula", PASSWORD)
    planner.goto(f"{pages.base_url}/planning/operations/{draft.uuid}/")
    planner.locator("#targets-map[data-ready]").wait_for()
    planner.locator("#targets-map .leaflet-marker-icon[title='Golden Lotus Karaoke']").wait_for(
        state="attached"
    )
    pages.shot(planner, "planner-map")
