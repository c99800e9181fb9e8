"""The review queue on a phone (360 × 740): each submission is a card, not a row of nine columns
squeezed into the screen. Nothing is wider than the screen, every field shows beside (or under)
its column's name, the link that opens the submission for review is a 44 px target, the filters
still work, and a screen reader still meets a table with its column headers. At desktop width
the queue is the table it was."""

from __future__ import annotations

import pytest
from django.utils import translation
from django.utils.translation import gettext
from playwright.sync_api import expect

from tests.browser_support import DESKTOP, axe_check, sign_in
from tests.compliance.pages.conftest import check_in
from tests.compliance.pages.test_review_pages import clean_submission

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct-horse-battery"
SMALL_PHONE = {"width": 360, "height": 740}

NO_OVERFLOW = "document.documentElement.scrollWidth <= document.documentElement.clientWidth"

# For each row of the queue: each cell's label (its ::before), whether it is drawn, its box, and
# the name of its column's header.
CELLS = """() => {
  const headers = [...document.querySelectorAll('#queue-results thead th')]
    .map((th) => th.textContent.trim());
  return [...document.querySelectorAll('#queue-results tbody tr')].map((tr) => [...tr.cells].map((td, i) => {
    const box = td.getBoundingClientRect();
    const label = getComputedStyle(td, '::before');
    return {
      header: headers[i], dataLabel: td.dataset.label, text: td.textContent.trim(),
      before: label.content, beforeDisplay: label.display,
      shown: td.checkVisibility(), left: box.left, right: box.right, width: box.width,
    };
  }));
}"""


@pytest.fixture
def queue(visit, bob, carol):
    """Carol's queue: Bob's construction checklist with the labour bureau's findings to decide
    (no box to tick), and a later one of his with nothing wrong (a box to tick)."""
    clean_submission(visit.joint, bob)
    return visit


def _cards_read_well(page, *, columns=9):
    assert page.evaluate(NO_OVERFLOW), page.evaluate(
        "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    width = page.evaluate("document.documentElement.clientWidth")
    rows = page.evaluate(CELLS)
    assert rows, "no row in the queue"
    for cells in rows:
        assert len(cells) == columns, cells
        for cell in cells:
            assert cell["left"] >= 0 and cell["right"] <= width, cell
            if not cell["text"] and not cell["shown"]:
                continue  # a flagged submission's empty "Choose" cell takes no line on the card
            assert cell["shown"], cell
            # Shown under the name of its column, as the header says it.
            assert cell["header"] == cell["dataLabel"], cell
            assert cell["beforeDisplay"] != "none" and cell["dataLabel"] in cell["before"], cell
    return rows


def test_queue_is_a_list_of_cards_on_a_small_phone(pages, queue, carol):
    base = pages.base_url
    page = pages.new_page(viewport=SMALL_PHONE, has_touch=True, is_mobile=True)
    sign_in(page, base, "carol", PASSWORD)
    page.goto(f"{base}/review/")
    rows = _cards_read_well(page)  # the box to tick's column is there: one row may be ticked
    assert len(rows) == 2
    expect(page.locator("#queue-results tbody a.open")).to_have_text(["Cotai Tower B", "Cotai Tower B"])
    # The header row is out of sight but a screen reader meets a table with its column headers
    # (Chromium's own accessibility tree, not the markup).
    tree = page.context.new_cdp_session(page).send("Accessibility.getFullAXTree")["nodes"]
    roles = [(n.get("role", {}).get("value"), (n.get("name") or {}).get("value")) for n in tree]
    assert ("columnheader", "Site") in roles and ("columnheader", "State") in roles, roles
    assert any(role == "table" for role, _ in roles)
    assert sum(role == "cell" for role, _ in roles) >= 16
    # The box to tick (the checklist with nothing wrong) is a 44 px target.
    box = page.get_by_role("checkbox", name="Choose Cotai Tower B for bulk approval")
    label = page.locator("label.pick").first.bounding_box()
    assert label["width"] >= 44 and label["height"] >= 44, label
    box.tap()
    expect(box).to_be_checked()
    axe_check(page)
    pages.shot(page, "queue-cards")

    # The filters still work at this width (htmx swaps the list in): construction sites, then venues.
    page.locator("#id_site_kind").select_option("construction_site")
    with page.expect_response(lambda r: "/review/?" in r.url):
        page.get_by_role("button", name="Filter").click()
    page.wait_for_url("**/review/?**site_kind=construction_site**")
    _cards_read_well(page)
    page.locator("#id_site_kind").select_option("venue")
    with page.expect_response(lambda r: "/review/?" in r.url):
        page.get_by_role("button", name="Filter").click()
    expect(page.locator("#queue-results tbody")).to_contain_text("Nothing here: no submission matches.")
    assert page.evaluate(NO_OVERFLOW)
    page.get_by_role("link", name="Clear").click()
    page.wait_for_load_state()

    # The row's action: opening the submission, a 44 px target the keyboard reaches too.
    links = page.locator("#queue-results tbody a.open")
    expect(links).to_have_count(2)
    for index in range(2):
        link = links.nth(index)
        link.scroll_into_view_if_needed()
        size = link.bounding_box()
        assert size["width"] >= 44 and size["height"] >= 44, size
        assert size["x"] >= 0 and size["x"] + size["width"] <= SMALL_PHONE["width"], size
    page.locator("#id_received_to").focus()
    for _ in range(20):
        if page.evaluate("document.activeElement.matches('#queue-results a.open')"):
            break
        page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.matches('#queue-results a.open')")
    href = page.evaluate("document.activeElement.getAttribute('href')")
    links.first.tap()
    page.wait_for_url(f"**{href}")
    expect(page.get_by_role("heading", name="Evidence of the findings")).to_be_visible()


@pytest.mark.parametrize("language", ["pt", "zh-hant"])
def test_queue_cards_fit_a_small_phone_in_portuguese_and_chinese(pages, queue, bob, carol, language):
    """The longest names and chips fit the card too: in Portuguese "registo de chegada longe do
    local" (Bob checked in far from the site: every row flagged, no box to tick) and labels of two
    lines; in Chinese."""
    check_in(queue.joint, bob, far=True)
    page = pages.new_page(viewport=SMALL_PHONE, has_touch=True, is_mobile=True)
    sign_in(page, pages.base_url, "carol", PASSWORD)
    page.locator(f'button[name="language"][value="{language}"]').click()
    page.wait_for_load_state()
    page.goto(f"{pages.base_url}/review/")
    _cards_read_well(page, columns=8)
    with translation.override(language):
        far = gettext("check-in far from site")
    expect(page.locator("#queue-results .badge", has_text=far)).to_have_count(2)
    for link in page.locator("#queue-results tbody a.open").all():
        size = link.bounding_box()
        assert size["width"] >= 44 and size["height"] >= 44, size
    axe_check(page)
    pages.shot(page, f"queue-cards-{language}")


def test_queue_is_still_a_table_at_desktop_width(pages, queue, carol):
    page = pages.new_page(viewport=DESKTOP)
    sign_in(page, pages.base_url, "carol", PASSWORD)
    page.goto(f"{pages.base_url}/review/")
    header = page.locator("#queue-results thead")
    expect(header).to_be_visible()
    assert header.bounding_box()["height"] > 20
    layout = page.evaluate(
        """() => [...document.querySelectorAll('#queue-results tbody tr:first-child td')].map((td) => [
            getComputedStyle(td).display, getComputedStyle(td, '::before').content])"""
    )
    assert layout and all(display == "table-cell" and before == "none" for display, before in layout), layout
    # One line per submission: the cells of a row side by side.
    tops = page.evaluate(
        """() => [...document.querySelectorAll('#queue-results tbody tr:first-child td')]
            .map((td) => td.getBoundingClientRect().top)"""
    )
    assert len(set(tops)) == 1, tops
    pages.shot(page, "queue-desktop")
