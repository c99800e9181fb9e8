"""A number typed in full-width digits is a number. A Chinese keyboard (Cangjie, handwriting, a
full-width mode) types "２" for 2: the venue checklist answered "Type a whole number, in digits
(for example 3)" to an officer who had typed just that, and would not finish."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from backend.inspections.models import Submission
from tests.mobile_api.field.phone import answer_everything, open_phone, sign_in_app, wait_statuses

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_full_width_digits_answer_a_number_question(pages, field):
    page = open_phone(pages, locale="zh-Hant")
    sign_in_app(page, pages.base_url, "alice")
    page.goto(f"{pages.base_url}/field/#/a/{field.revealed.uuid}")
    page.locator("button[data-template='venue_prostitution_trafficking']").click()
    answer_everything(page, {"venue_type": "karaoke", "persons_found": "２", "persons": 2})
    count = page.locator(".q[data-key='persons_found']")
    expect(count.locator(".err")).to_have_text("")
    expect(count).not_to_have_class("invalid")

    # Decimals as typed on a Chinese or Portuguese keyboard: the checks read them as the point.
    app = page.locator("script[type=module]").get_attribute("src")
    read = page.evaluate(
        """async (app) => {
            const { numberText } = await import(new URL("form.js", new URL(app, location.href)).href);
            return ["１．５", "1。5", "１｡５", "1,5", " 2 "].map(numberText);
        }""",
        app,
    )
    assert read == ["1.5", "1.5", "1.5", "1.5", "2"]

    page.locator("#finish").click()
    page.locator("#check-in").wait_for()
    page.goto(f"{pages.base_url}/field/#/")
    wait_statuses(page, "complete", 1)
    assert Submission.objects.get().answers["persons_found"] == 2
