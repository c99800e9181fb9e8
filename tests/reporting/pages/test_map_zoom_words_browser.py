"""A console map's zoom buttons are named in the page's language.

Walking the dashboard with the keyboard in Chinese, the parish map's buttons were read as "Zoom in"
and "Zoom out": Leaflet names them in English on every page (WCAG 3.1.2). The console's maps
(ConsoleMap, every one drawn from console/map.html) now name them from the page's translations."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser_support import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct-horse-battery"


@pytest.mark.parametrize(
    ("locale", "zoom_in", "zoom_out"),
    [("en", "Zoom in", "Zoom out"), ("zh-TW", "放大", "縮小"), ("pt-PT", "Aproximar", "Afastar")],
)
def test_the_maps_zoom_buttons_speak_the_pages_language(pages, city, locale, zoom_in, zoom_out):
    page = pages.new_page(locale=locale)
    sign_in(page, pages.base_url, "andy", PASSWORD, next_path="/statistics/")
    page.goto(f"{pages.base_url}/statistics/?from=2019&to=2023")
    zoom = page.locator("#parish-map .leaflet-control-zoom")
    expect(zoom.get_by_role("button", name=zoom_in, exact=True)).to_be_visible()
    expect(zoom.get_by_role("button", name=zoom_out, exact=True)).to_be_visible()
