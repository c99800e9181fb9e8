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
