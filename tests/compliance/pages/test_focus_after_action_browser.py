"""After a reviewer's action the focus lands on the page's answer, never on the page's body: the
approve form (or the notice's) is replaced by the answer, and a keyboard or screen-reader user was
sent back to the top of the page to find where they were."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser_support import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct-horse-battery"


def test_after_approving_the_focus_is_on_the_answer(pages, visit, carol):
    page = pages.new_page()
    sign_in(page, pages.base_url, "carol", PASSWORD)
    page.goto(f"{pages.base_url}/review/{visit.submission.uuid}/")
    page.get_by_role("button", name="Approve", exact=True).press("Enter")
    approved = page.locator("p.message", has_text="Approved. The findings you accepted are official.")
    expect(approved).to_be_focused()


def test_after_issuing_a_notice_the_focus_is_on_the_answer(pages, case, carol):
    page = pages.new_page()
    sign_in(page, pages.base_url, "carol", PASSWORD)
    page.goto(f"{pages.base_url}/compliance/cases/{case.uuid}/")
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Issue the notice").press("Enter")
    expect(page.locator("p.message", has_text="Notice issued")).to_be_focused()
