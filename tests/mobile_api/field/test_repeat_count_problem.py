"""A repeat group's own problem is shown where it is fixed. Two persons found and one entered,
"Finish and send" said one answer needed attention and put the focus on the first person's
reference, answered, with nothing said beside it: the group's message ("The number of entries
differs from the count given above.") stood under the entries, a screen below. Now the message is
brought into sight and the focus is on "Add an entry" just above it, which it describes."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser_support import axe_check
from tests.mobile_api.field.phone import answer_everything, open_phone, sign_in_app

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_too_few_entries_bring_the_groups_message_and_its_add_button(pages, field):
    page = open_phone(pages, locale="zh-Hant")
    sign_in_app(page, pages.base_url, "alice")
    page.goto(f"{pages.base_url}/field/#/a/{field.revealed.uuid}")
    page.locator("button[data-template='venue_prostitution_trafficking']").click()
    answer_everything(page, {"venue_type": "karaoke", "persons_found": 2, "persons": 1})

    page.locator("#finish").click()
    expect(page.locator("#summary")).to_have_text("傳送前有 1 個答案需要處理。")
    said = page.locator(".q[data-key='persons'] > fieldset > .err")
    expect(said).to_have_text("項目數目與上面填寫的數目不符。")
    expect(said).to_be_in_viewport()
    add = page.locator("#q-persons-add")
    expect(add).to_be_focused()
    expect(add).to_have_accessible_description("項目數目與上面填寫的數目不符。")
    axe_check(page)

    # The second person entered where the focus is, the checklist finishes.
    add.click()
    answer_everything(page)
    page.locator("#finish").click()
    page.locator("#check-in").wait_for()


def test_an_entrys_own_answer_comes_before_the_groups_message(pages, field):
    """An entry's unanswered question is above the group's message: it is the first to fix."""
    page = open_phone(pages, locale="zh-Hant")
    sign_in_app(page, pages.base_url, "alice")
    page.goto(f"{pages.base_url}/field/#/a/{field.revealed.uuid}")
    page.locator("button[data-template='venue_prostitution_trafficking']").click()
    answer_everything(
        page, {"venue_type": "karaoke", "persons_found": 2, "persons": 1}, leave=("persons[0].person_ref",)
    )

    page.locator("#finish").click()
    expect(page.locator("#summary")).to_have_text("傳送前有 2 個答案需要處理。")
    expect(page.locator("#q-persons-0-person_ref")).to_be_focused()
    expect(page.locator("#q-persons-0-person_ref")).to_be_in_viewport()
