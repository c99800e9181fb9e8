"""Each landmark of the analyst's dashboard has a name of its own, in English and Chinese.

A screen reader's list of landmarks read "Inspections conducted, by category" twice, and the
parishes' and findings' names twice too: each card (a section named by its heading) held its
table's scrolling region, named by the table's caption, in the same words; axe reported it as
landmark-unique. The table's region is now "Table: …", the card keeps its heading's name."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from tests.browser_support import DESKTOP, PHONE, axe_check, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct-horse-battery"

# Every landmark's role and accessible name as a screen reader lists them (the names come from
# aria-label or from the elements aria-labelledby names).
LANDMARKS = """() => {
  const roles = {SECTION: 'region', NAV: 'navigation', FORM: 'form'};
  const named = (el) => el.getAttribute('aria-label') || (el.getAttribute('aria-labelledby') || '')
    .split(/\\s+/).filter(Boolean).map((id) => document.getElementById(id)?.textContent.trim()).join(' ');
  const landmarks = 'main [role=region], main section, main [role=navigation], main nav, main form';
  return [...document.querySelectorAll(landmarks)]
    .filter((el) => el.checkVisibility() && named(el))
    .map((el) => [el.getAttribute('role') || roles[el.tagName], named(el)]);
}"""


@pytest.mark.parametrize(
    ("locale", "viewport", "table"),
    [
        ("en", DESKTOP, "Table: Inspections conducted, by parish"),
        ("zh-TW", PHONE, "表格：已進行的巡查（按堂區）"),
    ],
)
def test_every_landmark_of_the_dashboard_has_its_own_name(pages, city, locale, viewport, table):
    page = pages.new_page(locale=locale, viewport=viewport)
    sign_in(page, pages.base_url, "andy", PASSWORD, next_path="/statistics/")
    page.goto(f"{pages.base_url}/statistics/?from=2019&to=2023")
    expect(page.locator("#parish-map path.leaflet-interactive").first).to_be_attached()
    landmarks = page.evaluate(LANDMARKS)
    assert len(landmarks) >= 6, landmarks  # three cards, their tables, the map
    names = [tuple(landmark) for landmark in landmarks]
    assert len(set(names)) == len(names), landmarks
    expect(page.get_by_role("region", name=table, exact=True)).to_be_visible()
    results = Axe().run(page, options={"runOnly": ["landmark-unique"], "resultTypes": ["violations"]})
    assert not results.response["violations"], results.response["violations"]
    axe_check(page)
