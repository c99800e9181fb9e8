"""The dashboard's parish map shows every parish inspected whole and named.

The view was a fixed centre and zoom: Fátima's circle, the largest, at the north edge, was cut
in half; and the map's own parish names hid those that touched another (St Lazarus, St Lawrence
and more at the whole city's zoom), so circles stood unnamed. Now each circle is named beside
it with its figure, on a side away from its neighbours (every parish, 0 where nothing was
inspected), and the view fits the parishes with room for the largest circle."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser_support import axe_check, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct-horse-battery"

MEASURE = """() => {
  const map = document.querySelector('#parish-map').getBoundingClientRect();
  const box = r => ({left: r.left, right: r.right, top: r.top, bottom: r.bottom});
  return {
    map: box(map),
    circles: Array.from(document.querySelectorAll('#parish-map path.leaflet-interactive'))
      .map(e => box(e.getBoundingClientRect())),
    labels: Array.from(document.querySelectorAll('#parish-map .parish-figure')).map(e => ({
      text: e.textContent, visible: getComputedStyle(e).visibility === 'visible',
      ...box(e.getBoundingClientRect())}))
  };
}"""


def _inside(inner, outer) -> bool:
    return (
        inner["left"] >= outer["left"] - 0.5
        and inner["right"] <= outer["right"] + 0.5
        and inner["top"] >= outer["top"] - 0.5
        and inner["bottom"] <= outer["bottom"] + 0.5
    )


def _overlap(a, b) -> bool:
    across = a["left"] < b["right"] and b["left"] < a["right"]
    return across and a["top"] < b["bottom"] and b["top"] < a["bottom"]


@pytest.mark.parametrize("locale", ["en", "zh-hant"])
def test_every_circle_is_whole_and_named(pages, city, locale):
    base = pages.base_url
    page = pages.new_page(locale="zh-TW" if locale == "zh-hant" else "en")
    sign_in(page, base, "andy", PASSWORD, next_path="/statistics/")
    page.goto(f"{base}/statistics/?from=2019&to=2023")
    rows = page.request.get(
        f"{base}/api/v1/statistics/query/?measure=inspections&by=parish&from=2019&to=2023"
    ).json()["rows"]
    inspected = [r for r in rows if r["inspections"] and r["parish"]]
    assert len(inspected) >= 7
    expect(page.locator("#parish-map path.leaflet-interactive")).to_have_count(len(inspected))
    expect(page.locator("#parish-map .parish-figure")).to_have_count(8)  # every parish, 0 or not
    page.wait_for_timeout(300)  # the view fitted to the circles
    drawn = page.evaluate(MEASURE)
    for circle in drawn["circles"]:
        assert _inside(circle, drawn["map"]), (circle, drawn["map"])
    for label in drawn["labels"]:
        assert label["visible"], label
        assert _inside(label, drawn["map"]), label
    for i, a in enumerate(drawn["labels"]):
        for b in drawn["labels"][i + 1 :]:
            assert not _overlap(a, b), (a["text"], b["text"])
    texts = " ".join(label["text"] for label in drawn["labels"])
    if locale == "en":
        assert "St Lazarus: " in texts and "St Lawrence: " in texts and "Our Lady of Fatima: " in texts
    else:
        assert "望德堂區：" in texts and "風順堂區（聖老楞佐堂區）：" in texts
    axe_check(page)
    pages.shot(page, f"dashboard-map-{locale}")
