"""An entry of a repeated group with answers is removed on a second tap: "Remove this entry", one
tap under a person's last answer, deleted every answer about that person at once, with no way
back; and three buttons alike, each "Remove this entry", read as one to a screen reader. Now each
names its entry ("Remove entry 2"), and one with answers first asks "Tap again to remove entry 2
and its answers"; an empty entry still goes on one tap."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser_support import axe_check
from tests.mobile_api.field.phone import PHONE_390, open_phone, sign_in_app

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("viewport", [PHONE_390, None], ids=["390", "360"])
def test_an_entry_with_answers_is_removed_on_a_second_tap(pages, field, viewport):
    page = open_phone(pages, **({"viewport": viewport} if viewport else {}))
    sign_in_app(page, pages.base_url, "alice")
    page.goto(pages.base_url + f"/field/#/a/{field.revealed.uuid}")
    page.locator("button[data-template='venue_prostitution_trafficking']").click()
    add = page.locator(".q[data-path='persons'] > fieldset > button[id$='-add']")
    add.click()
    add.click()
    entries = page.locator(".q[data-path='persons'] > fieldset > fieldset.entry")
    expect(entries).to_have_count(2)
    page.locator(".q[data-path='persons[1].person_ref'] input").fill("P-2")
    remove = entries.nth(1).locator("button.danger")
    expect(remove).to_have_text("Remove entry 2")
    remove.click()
    expect(entries).to_have_count(2)  # kept: asked first
    expect(remove).to_have_text("Tap again to remove entry 2 and its answers")
    expect(page.locator(".q[data-path='persons[1].person_ref'] input")).to_have_value("P-2")
    axe_check(page)
    remove.click()
    expect(entries).to_have_count(1)
    # An empty entry goes on one tap.
    entries.nth(0).locator("button.danger").click()
    expect(entries).to_have_count(0)


def test_the_question_is_asked_in_portuguese_and_chinese(pages, field):
    page = open_phone(pages)
    sign_in_app(page, pages.base_url, "alice")
    for language, name, ask in (
        ("pt", "Retirar a entrada 1", "Toque de novo para retirar a entrada 1 e as suas respostas"),
        ("zh-hant", "移除第 1 項", "再按一次即移除第 1 項及其答案"),
    ):
        page.goto(pages.base_url + "/field/#/")
        page.locator("#language").select_option(language)
        page.goto(pages.base_url + f"/field/#/a/{field.revealed.uuid}")
        page.locator("button[data-template='venue_prostitution_trafficking']").click()
        page.locator(".q[data-path='persons'] > fieldset > button[id$='-add']").click()
        page.locator(".q[data-path='persons[0].person_ref'] input").fill("P-1")
        remove = page.locator(".q[data-path='persons'] fieldset.entry button.danger")
        expect(remove).to_have_text(name)
        remove.click()
        expect(remove).to_have_text(ask)
        remove.click()
        expect(page.locator(".q[data-path='persons'] fieldset.entry")).to_have_count(0)
        page.locator("#discard").click()
        page.locator("#discard").click()
        page.locator("#check-in").wait_for()
