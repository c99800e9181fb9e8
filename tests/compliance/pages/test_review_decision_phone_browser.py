"""A reviewer deciding on a phone (390 × 844) sees each finding's Accept and Reject. The findings
were a six-column table in a sideways-scrolling box: the decision was the last column, off the
screen, so a reviewer who did not think to scroll the table saw an Approve button and no way to
reject a finding. On a phone each finding is now a card (table.cards), its decision on it; at
desktop width it is the table it was."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser_support import DESKTOP, PHONE, axe_check, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct-horse-battery"

RADIOS = """() => [...document.querySelectorAll('#review-work input[type=radio]')].map((input) => {
  const box = input.getBoundingClientRect();
  const wrap = input.closest('.table-wrap');
  return {name: input.name, value: input.value, left: box.left, right: box.right,
          wrapScrolls: wrap ? wrap.scrollWidth > wrap.clientWidth : false};
})"""


def test_each_findings_decision_is_on_the_screen_of_a_phone(pages, visit, carol):
    page = pages.new_page(viewport=PHONE, has_touch=True, is_mobile=True)
    sign_in(page, pages.base_url, "carol", PASSWORD)
    page.goto(f"{pages.base_url}/review/{visit.submission.uuid}/")
    radios = page.evaluate(RADIOS)
    assert len(radios) >= 4, radios  # the labour bureau's findings, Accept and Reject for each
    for radio in radios:
        assert not radio["wrapScrolls"], radio
        assert radio["left"] >= 0 and radio["right"] <= PHONE["width"], radio
    assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
    # Each cell says which column it is (its label), as the review queue's cards do.
    labels = page.evaluate(
        "[...document.querySelectorAll('#review-work tbody td[data-label]')].map((td) => td.dataset.label)"
    )
    assert {"Violation", "Severity", "Legal basis", "Competent agency", "Status", "Your decision"} <= set(
        labels
    )

    # Rejecting one from the phone works as at a desk.
    first = page.locator("#review-work fieldset.choice").first
    first.get_by_label("Reject").tap()
    page.get_by_label("Comment").fill("The worker's permit was shown afterwards.")
    page.get_by_role("button", name="Approve").tap()
    expect(page.locator("#review-work .message.success")).to_be_focused()
    axe_check(page)
    pages.shot(page, "decision-phone")


def test_the_findings_stay_a_table_at_a_desk(pages, visit, carol):
    page = pages.new_page(viewport=DESKTOP)
    sign_in(page, pages.base_url, "carol", PASSWORD)
    page.goto(f"{pages.base_url}/review/{visit.submission.uuid}/")
    expect(page.locator("#review-work thead th").first).to_be_visible()
    assert page.evaluate("getComputedStyle(document.querySelector('#review-work tbody tr')).display") == (
        "table-row"
    )
