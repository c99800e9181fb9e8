"""On a phone the dashboard's parish map draws nothing wider than the screen.

At 390 px the map's SVG (Leaflet draws its circles on one, a tenth wider than the map each side,
for panning) began 3 px left of the screen and ended 3 px past its right edge: clipped by the
map, but a box the screen could not hold. The SVG is now the map's own size."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser_support import PHONE, axe_check, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct-horse-battery"

BOXES = """() => {
  const map = document.querySelector('#parish-map').getBoundingClientRect();
  return {
    width: document.documentElement.clientWidth,
    map: [map.left, map.right],
    svgs: [...document.querySelectorAll('#parish-map svg')].map((svg) => {
      const r = svg.getBoundingClientRect();
      return [r.left, r.right];
    }),
  };
}"""


@pytest.mark.parametrize("locale", ["en", "zh-TW"])
def test_the_parish_maps_drawing_fits_the_phones_screen(pages, city, locale):
    page = pages.new_page(locale=locale, viewport=PHONE)
    sign_in(page, pages.base_url, "andy", PASSWORD, next_path="/statistics/")
    page.goto(f"{pages.base_url}/statistics/?from=2019&to=2023")
    expect(page.locator("#parish-map path.leaflet-interactive").first).to_be_attached()
    boxes = page.evaluate(BOXES)
    assert boxes["svgs"], boxes
    assert boxes["map"][0] >= 0 and boxes["map"][1] <= boxes["width"], boxes
    for left, right in boxes["svgs"]:
        assert boxes["map"][0] - 0.5 <= left and right <= boxes["map"][1] + 0.5, boxes
    assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
    axe_check(page)
