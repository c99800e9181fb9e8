"""The referrals list on a phone (360 × 740): each referral is a card, as the review queue's
submissions are, not a table of seven columns scrolled sideways inside its box with the urgency
cut off. Nothing is wider than the screen, every field shows beside its column's name, the
referral's link is a 44 px target, and a screen reader still meets a table with its column
headers; in the three languages. At desktop width the list is the table it was."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from backend.compliance.models import Referral
from tests.browser_support import DESKTOP, axe_check, card_rows, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct-horse-battery"
SMALL_PHONE = {"width": 360, "height": 740}


@pytest.fixture
def two_referrals(joint, alice):
    """An immediate referral (a minor) and a same-day one (an adult with one signal)."""
    joint.submit_screening(alice)
    flags = {f"fl_{i:02d}": False for i in range(1, 12)}
    joint.submit_screening(alice, person_ref="P-2 blue cap", age_band="26_40", **{**flags, "fl_07": True})
    assert sorted(Referral.objects.values_list("urgency", flat=True)) == ["immediate", "same_day"]


@pytest.mark.parametrize("language", ["en", "pt", "zh-hant"])
def test_referrals_are_cards_on_a_small_phone(pages, two_referrals, vera, language):
    page = pages.new_page(viewport=SMALL_PHONE, has_touch=True, is_mobile=True)
    sign_in(page, pages.base_url, "vera", PASSWORD)
    if language != "en":
        page.locator(f'button[name="language"][value="{language}"]').click()
        page.wait_for_load_state()
    page.goto(f"{pages.base_url}/protection/")
    width = page.evaluate("document.documentElement.clientWidth")
    rows = card_rows(page, "#referrals table")
    assert len(rows) == 2 and all(len(cells) == 7 for cells in rows), rows
    tree = page.context.new_cdp_session(page).send("Accessibility.getFullAXTree")["nodes"]
    roles = [(n.get("role", {}).get("value"), (n.get("name") or {}).get("value")) for n in tree]
    assert any(role == "table" for role, _ in roles)
    assert sum(role == "columnheader" for role, _ in roles) == 7, roles
    assert sum(role == "cell" for role, _ in roles) >= 14
    links = page.locator("#referrals tbody a.open")
    expect(links).to_have_count(2)
    for link in links.all():
        link.scroll_into_view_if_needed()
        size = link.bounding_box()
        assert size["width"] >= 44 and size["height"] >= 44, size
        assert size["x"] >= 0 and size["x"] + size["width"] <= width, size
    axe_check(page)
    pages.shot(page, f"referrals-cards-{language}")
    href = links.first.get_attribute("href")
    links.first.tap()
    page.wait_for_url(f"**{href}")


def test_referrals_are_still_a_table_at_desktop_width(pages, two_referrals, vera):
    page = pages.new_page(viewport=DESKTOP)
    sign_in(page, pages.base_url, "vera", PASSWORD)
    page.goto(f"{pages.base_url}/protection/")
    expect(page.locator("#referrals thead")).to_be_visible()
    tops = page.evaluate(
        """() => [...document.querySelectorAll('#referrals tbody tr:first-child td')].map((td) => [
            getComputedStyle(td).display, getComputedStyle(td, '::before').content,
            td.getBoundingClientRect().top])"""
    )
    assert len(tops) == 7 and all(d == "table-cell" and b == "none" for d, b, _ in tops), tops
    assert len({top for _, _, top in tops}) == 1, tops
    pages.shot(page, "referrals-desktop")
