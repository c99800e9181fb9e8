"""A referral's protection services on a phone (390 px): each service is a card, as the referrals
are, not a table of five columns scrolled sideways inside its box, where the Note column lay past
the screen's edge (found on a newcomer's walk). Nothing is wider than the screen, every field (the
note too) shows beside its column's name, and a screen reader still meets a table with its
column headers; in the three languages."""

from __future__ import annotations

import datetime as dt

import pytest

from backend.compliance import services
from tests.browser_support import PHONE, axe_check, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct-horse-battery"
NO_OVERFLOW = "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
NOTE = "Placed in the women's shelter of the Caritas network; interpreter booked for Tuesday"

CELLS = """() => {
  const table = document.querySelector('section[aria-labelledby="services-h"] table');
  const headers = [...table.querySelectorAll('thead th')].map((th) => th.textContent.trim());
  return [...table.querySelectorAll('tbody tr')].map((tr) => [...tr.cells].map((td, i) => {
    const box = td.getBoundingClientRect();
    const label = getComputedStyle(td, '::before');
    const wrap = td.closest('.table-wrap');
    return {
      header: headers[i], dataLabel: td.dataset.label, text: td.textContent.trim(),
      before: label.content, beforeDisplay: label.display, shown: td.checkVisibility(),
      left: box.left, right: box.right, scrolls: wrap.scrollWidth > wrap.clientWidth,
    };
  }));
}"""


@pytest.fixture
def served(referral, vera):
    services.protection_service_record(
        user=vera.user,
        referral=referral,
        kind="shelter",
        provider_kind="ngo",
        provider_name="Caritas Macau",
        started_on=dt.date(2026, 12, 1),
        note=NOTE,
    )
    return referral


@pytest.mark.parametrize("language", ["en", "pt", "zh-hant"])
def test_services_are_cards_on_a_phone(pages, served, language):
    page = pages.new_page(viewport=PHONE, has_touch=True, is_mobile=True)
    sign_in(page, pages.base_url, "vera", PASSWORD)
    if language != "en":
        page.locator(f'button[name="language"][value="{language}"]').click()
        page.wait_for_load_state()
    page.goto(f"{pages.base_url}/protection/{served.uuid}/")
    assert page.evaluate(NO_OVERFLOW)
    width = page.evaluate("document.documentElement.clientWidth")
    rows = page.evaluate(CELLS)
    assert len(rows) == 1 and len(rows[0]) == 5, rows
    for cell in rows[0]:
        assert not cell["scrolls"], cell  # no sideways scroll inside the table's box
        assert cell["shown"] and cell["left"] >= 0 and cell["right"] <= width, cell
        assert cell["header"] == cell["dataLabel"], cell
        assert cell["beforeDisplay"] != "none" and cell["dataLabel"] in cell["before"], cell
    assert rows[0][4]["text"] == NOTE  # the note, in view
    tree = page.context.new_cdp_session(page).send("Accessibility.getFullAXTree")["nodes"]
    names = [(n.get("role", {}).get("value"), (n.get("name") or {}).get("value")) for n in tree]
    headers = [h for role, h in names if role == "columnheader"]
    assert set(rows[0][i]["header"] for i in range(5)) <= set(headers), names
    assert sum(role == "cell" for role, _ in names) >= 5
    page.locator("#services").scroll_into_view_if_needed()
    axe_check(page)
    pages.shot(page, f"referral-services-cards-{language}")
