"""A case's follow-up in words, in a real browser: the items the follow-up re-checks are named by
the finding's title, the entry ("Worker 2") and the checklist's title, not by the checklist's codes
(worker_outside_authorised_job · workers[1] (construction_illegal_employment)); a closed case says
it is closed rather than that a follow-up "can be requested once the notice is issued"."""

from __future__ import annotations

import pytest

from backend.compliance import services
from tests.browser_support import axe_check, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct-horse-battery"


def test_a_case_names_the_items_its_follow_up_rechecks_in_words(pages, case, carol):
    page = pages.new_page()
    sign_in(page, pages.base_url, "carol", PASSWORD)
    page.goto(f"{pages.base_url}/compliance/cases/{case.uuid}/")
    carried = page.locator("#carry-items li")
    texts = [t.strip() for t in carried.all_inner_texts()]
    assert texts == [
        "V-02 Non-resident working outside the authorised occupation or place · Worker 2"
        " (Illegal employment inspection – construction site)",
        "V-04 No hiring permit covering the non-resident workers"
        " (Illegal employment inspection – construction site)",
    ], texts
    assert "construction_illegal_employment" not in page.locator("main").inner_text()
    axe_check(page)
    pages.shot(page, "carried-items")

    page.locator('button[name="language"][value="zh-hant"]').click()
    page.wait_for_load_state()
    texts = [t.strip() for t in page.locator("#carry-items li").all_inner_texts()]
    assert all("workers[" not in t and "_" not in t for t in texts), texts
    pages.shot(page, "carried-items-zh")


def test_a_closed_case_says_it_is_closed_not_that_a_follow_up_can_be_requested(pages, case, carol):
    services.case_notice_issue(user=carol.user, case=case)
    services.case_decide(user=carol.user, case=case, outcome="rectified", reason="Permits shown.")
    page = pages.new_page()
    sign_in(page, pages.base_url, "carol", PASSWORD)
    page.goto(f"{pages.base_url}/compliance/cases/{case.uuid}/")
    follow_up = page.locator("section[aria-labelledby='follow-h']")
    text = follow_up.inner_text()
    assert "can be requested once the notice is issued" not in text, text
    assert "The case is closed" in text, text
    axe_check(page)
    pages.shot(page, "closed-case")


def test_closing_a_case_says_its_follow_up_request_is_withdrawn(pages, case, carol):
    """Closing a case whose follow-up the planners have not planned yet withdraws the request: the
    confirmation says so before, the answer and the follow-up's card after."""
    services.case_notice_issue(user=carol.user, case=case)
    services.case_follow_up_order(user=carol.user, case=case)
    page = pages.new_page()
    sign_in(page, pages.base_url, "carol", PASSWORD)
    page.goto(f"{pages.base_url}/compliance/cases/{case.uuid}/")
    asked = []
    page.on("dialog", lambda dialog: (asked.append(dialog.message), dialog.accept()))
    page.get_by_label("Outcome", exact=True).select_option("rectified")
    page.get_by_label("Why", exact=True).fill("Permits shown at the office.")
    page.get_by_role("button", name="Record the outcome").click()
    answer = page.locator("#case-work .message.success")
    answer.wait_for()
    assert asked == [
        "Record this outcome and close the case? Its follow-up request is withdrawn from the planners."
    ]
    assert answer.inner_text() == "Outcome recorded; the case is closed and its follow-up request withdrawn."
    follow_up = page.locator("section[aria-labelledby='follow-h']").inner_text()
    assert "Withdrawn: no visit will be planned for this request." in follow_up, follow_up
    # Withdrawn, it carries nothing: the items it "will carry" are no longer listed.
    assert "Failed items it will carry" not in follow_up, follow_up
    timeline = page.locator("section[aria-labelledby='timeline-h']").inner_text()
    assert "The follow-up request was withdrawn from the planners." in timeline, timeline
    axe_check(page)
    pages.shot(page, "follow-up-withdrawn")

    page.locator('button[name="language"][value="zh-hant"]').click()
    page.wait_for_load_state()
    assert (
        "已撤回：不會為此申請安排巡查。" in page.locator("section[aria-labelledby='follow-h']").inner_text()
    )
