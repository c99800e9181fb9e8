"""Filtering the review queue says how many submissions are left. The filters swap the list in
without a new page, and nothing was said: a reviewer on a screen reader pressed "Filter" and heard
nothing, the new count changed in silence in the table's caption (WCAG 4.1.3). The caption's count
is now read out, in the reviewer's language, and the focus stays on the filters."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser_support import sign_in
from tests.compliance.pages.test_review_pages import clean_submission

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct-horse-battery"


@pytest.mark.parametrize(
    ("language", "two"), [("en", "2 submissions"), ("pt", "2 submissões"), ("zh-hant", "2 份提交")]
)
def test_the_count_left_by_the_filters_is_said(pages, visit, bob, carol, language, two):
    clean_submission(visit.joint, bob)
    page = pages.new_page()
    sign_in(page, pages.base_url, "carol", PASSWORD)
    if language != "en":
        page.locator(f".language-switch button[value='{language}']").click()
        page.wait_for_load_state()
    page.goto(f"{pages.base_url}/review/")
    live = page.locator("#live")
    caption = page.locator("#queue-results caption")
    filters = page.locator("form.toolbar")
    send = filters.locator("button[type=submit]")
    for kind in ("construction_site", "venue"):
        page.locator("#id_site_kind").select_option(kind)
        send.focus()
        with page.expect_response(lambda r: "/review/?" in r.url):
            page.keyboard.press("Enter")
        if kind == "construction_site":
            expect(caption).to_have_text(two)
        else:
            expect(page.locator("#queue-results tbody tr")).to_have_count(1)  # "Nothing here"
        expect(live).to_have_text(caption.inner_text())
        expect(send).to_be_focused()
