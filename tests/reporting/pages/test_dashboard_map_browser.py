"""The dashboard's parish map shows every parish inspected whole and named, on a desktop and on
a phone, in English, Chinese and Portuguese.

The view was a fixed centre and zoom: Fátima's circle, the largest, at the north edge, was cut
in half; and the map's own parish names hid those that touched another (St Lazarus, St Lawrence
and more at the whole city's zoom), so circles stood unnamed. Now each circle is named beside
it with its figure (every parish, 0 where nothing was inspected), and the view fits the
parishes with room for the largest circle.

On a phone (390 px) the names on a fixed side of their circles ran past the map's edges: Taipa's
and Coloane's at the right, St Anthony's at the left ('花王堂區（聖安多尼堂區）：1,344' began 70 px
outside the map). Each name is now placed on the screen, inside the map and clear of its controls
and of the other names; where the full names cannot all lie clear of the other circles, the map
gives the short ones and says that the table gives them in full. On the demo's figures at 390 px,
English keeps its full names; Chinese ('氹仔：3,019') and Portuguese ('Sto. António: 1.344') take
the short ones ('Santo António: 1.344' in full lay on the Cathedral's circle)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser_support import DESKTOP, PHONE, SCREENSHOTS, axe_check, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct-horse-battery"
BROWSER_LOCALES = {"en": "en", "zh-hant": "zh-TW", "pt": "pt-PT"}
# Names each map must show in full on a desktop; and the short names of a phone in Chinese, whose
# full names cannot all lie beside their circles in 330 px.
FULL = {
    "en": ["St Lazarus: ", "St Lawrence: ", "Our Lady of Carmel (Taipa): ", "St Francis Xavier (Coloane): "],
    "zh-hant": ["望德堂區：", "花王堂區（聖安多尼堂區）：", "嘉模堂區（氹仔）：", "聖方濟各堂區（路環）："],
    "pt": ["São Lázaro: ", "Nossa Senhora do Carmo (Taipa): ", "São Francisco Xavier (Coloane): "],
}
SHORT = {"zh-hant": ["望德堂區：", "花王堂區：", "氹仔：", "路環：", "路氹城："]}
LONG_FORMS = ("Our Lady of", "（", "Nossa Senhora", "(")

MEASURE = """() => {
  const map = document.querySelector('#parish-map').getBoundingClientRect();
  const box = r => ({left: r.left, right: r.right, top: r.top, bottom: r.bottom});
  return {
    map: box(map),
    circles: Array.from(document.querySelectorAll('#parish-map path.leaflet-interactive'))
      .map(e => box(e.getBoundingClientRect())),
    controls: Array.from(document.querySelectorAll('#parish-map .leaflet-control'))
      .map(e => box(e.getBoundingClientRect())),
    labels: Array.from(document.querySelectorAll('#parish-map .parish-figure')).map(e => ({
      text: e.textContent, visible: getComputedStyle(e).visibility === 'visible',
      clipped: e.scrollWidth > e.clientWidth + 1,
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


@pytest.mark.parametrize("screen", ["desktop", "phone"])
@pytest.mark.parametrize("locale", ["en", "zh-hant", "pt"])
def test_every_circle_is_whole_and_named(pages, city, locale, screen):
    base = pages.base_url
    page = pages.new_page(locale=BROWSER_LOCALES[locale], viewport=PHONE if screen == "phone" else DESKTOP)
    sign_in(page, base, "andy", PASSWORD, next_path="/statistics/")
    page.goto(f"{base}/statistics/?from=2019&to=2023")
    rows = page.request.get(
        f"{base}/api/v1/statistics/query/?measure=inspections&by=parish&from=2019&to=2023"
    ).json()["rows"]
    inspected = [r for r in rows if r["inspections"] and r["parish"]]
    assert len(inspected) >= 7
    expect(page.locator("#parish-map path.leaflet-interactive")).to_have_count(len(inspected))
    expect(page.locator("#parish-map .parish-figure")).to_have_count(8)  # every parish, 0 or not
    page.locator("#parish-map").scroll_into_view_if_needed()
    page.wait_for_timeout(300)  # the view fitted to the circles
    pages.shot(page, f"dashboard-map-{locale}-{screen}")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.locator("#parish-map").screenshot(path=str(SCREENSHOTS / f"parish-map-{locale}-{screen}.png"))
    drawn = page.evaluate(MEASURE)
    for circle in drawn["circles"]:
        assert _inside(circle, drawn["map"]), (circle, drawn["map"])
    for label in drawn["labels"]:
        assert label["visible"], label
        assert not label["clipped"], label
        assert _inside(label, drawn["map"]), label
        for control in drawn["controls"]:
            assert not _overlap(label, control), (label["text"], control)
    for i, a in enumerate(drawn["labels"]):
        for b in drawn["labels"][i + 1 :]:
            assert not _overlap(a, b), (a["text"], b["text"])
    texts = " ".join(label["text"] for label in drawn["labels"])
    # Full names where they all fit clear of the other circles (always on a desktop); else the
    # short ones, and the note under the map says that the table gives them in full.
    in_full = any(form in texts for form in LONG_FORMS)
    if screen == "desktop":
        assert in_full and all(name in texts for name in FULL[locale]), texts
    elif locale in SHORT:
        assert not in_full and all(name in texts for name in SHORT[locale]), texts
    note = page.locator("#parish-map-short")
    if in_full:
        expect(note).to_be_hidden()
    else:
        expect(note).to_be_visible()
    axe_check(page)
