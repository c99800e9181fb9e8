"""The labour bureau's cases list on a phone (360 × 740): each case is a card, as the referrals
are, not a table of six columns scrolled sideways inside its box, where the deadline and the
opening date lay past the screen's edge. Every field shows beside its column's name, the case's
link is a 44 px target, and a screen reader still meets a table with its column headers; in the
three languages. At desktop width the list is the table it was."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser_support import DESKTOP, axe_check, card_rows, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct-horse-battery"
SMALL_PHONE = {"width": 360, "height": 740}


@pytest.mark.parametrize("language", ["en", "pt", "zh-hant"])
def test_cases_are_cards_on_a_small_phone(pages, case, language):
    page = pages.new_page(viewport=SMALL_PHONE, has_touch=True, is_mobile=True)
    sign_in(page, pages.base_url, "carol", PASSWORD)
    if language != "en":
        page.locator(f'button[name="language"][value="{language}"]').click()
        page.wait_for_load_state()
    page.goto(f"{pages.base_url}/compliance/cases/")
    rows = card_rows(page, "#cases table")
    assert len(rows) == 1 and len(rows[0]) == 6, rows
    assert rows[0][0]["text"] == case.short_ref
    assert case.site.name in rows[0][2]["text"]
    tree = page.context.new_cdp_session(page).send("Accessibility.getFullAXTree")["nodes"]
    roles = [(n.get("role", {}).get("value"), (n.get("name") or {}).get("value")) for n in tree]
    assert sum(role == "columnheader" for role, _ in roles) == 6, roles
    assert sum(role == "cell" for role, _ in roles) >= 6
    link = page.locator("#cases tbody a.open")
    size = link.bounding_box()
    assert size["width"] >= 44 and size["height"] >= 44, size
    axe_check(page)
    pages.shot(page, f"cases-cards-{language}")
    if language == "en":  # at desktop width, the table it was: one line per case
        page.set_viewport_size(DESKTOP)
        expect(page.locator("#cases thead")).to_be_visible()
        cells = page.evaluate(
            """() => [...document.querySelectorAll('#cases tbody tr:first-child td')].map((td) => [
                getComputedStyle(td).display, td.getBoundingClientRect().top])"""
        )
        assert len(cells) == 6 and all(d == "table-cell" for d, _ in cells), cells
        assert len({top for _, top in cells}) == 1, cells
    link.tap()
    page.wait_for_url(f"**/compliance/cases/{case.uuid}/")
