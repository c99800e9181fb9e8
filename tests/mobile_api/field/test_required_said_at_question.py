"""A required answer left out is said at the question's label, before its answer. The message sat
under the question's nine choices ("É necessária uma resposta."), and "Concluir" brought the
question's middle into sight: the officer on a phone saw a list of choices and no reason. It is now
said under the legend (or label), read with the question (aria-describedby), and the question's top
is brought into sight with its first choice focused."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser_support import axe_check
from tests.mobile_api.field.phone import PHONE_390, answer_everything, open_phone, sign_in_app

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

VENUE = "venue_prostitution_trafficking"


def above(page, first: str, second: str) -> bool:
    """``first`` ends above where ``second`` begins on the screen."""
    return page.evaluate(
        """([a, b]) => document.querySelector(a).getBoundingClientRect().bottom
            <= document.querySelector(b).getBoundingClientRect().top + 1""",
        [first, second],
    )


def test_the_missing_choice_is_said_under_its_legend_and_brought_into_sight(pages, field):
    page = open_phone(pages, locale="pt-PT", viewport=PHONE_390)
    sign_in_app(page, pages.base_url, "alice")
    page.goto(f"{pages.base_url}/field/#/a/{field.revealed.uuid}")
    page.locator(f"button[data-template='{VENUE}']").click()
    answer_everything(page, {"persons_found": 0, "persons": 0}, leave=("venue_type", "officer_signature"))
    page.locator("#finish").click()

    box = page.locator(".q[data-path='venue_type']")
    error = box.locator(".err")
    expect(error).to_have_text("É necessária uma resposta.")
    # Under the legend, before the first of the nine choices.
    assert above(page, ".q[data-path='venue_type'] legend", "#q-venue_type-err")
    assert above(page, "#q-venue_type-err", "label[for='q-venue_type-0']")
    # The question's top in sight: its legend and the message, and the focus on its first choice.
    expect(box.locator("legend")).to_be_in_viewport()
    expect(error).to_be_in_viewport()
    expect(page.locator("#q-venue_type-0")).to_be_focused()
    described = box.locator("fieldset").get_attribute("aria-describedby").split()
    assert "q-venue_type-err" in described
    axe_check(page)

    # A signature's question says it as close under its label (a paragraph's margin kept it a
    # line apart).
    gap = page.evaluate(
        """() => document.querySelector('#q-officer_signature-err').getBoundingClientRect().top
            - document.querySelector(".q[data-path='officer_signature'] p.label")
                .getBoundingClientRect().bottom"""
    )
    assert 0 <= gap < 12, gap

    # Answered, the message goes.
    page.locator("#q-venue_type-0").check()
    expect(error).to_have_text("")


def test_a_field_s_problem_is_said_between_its_label_and_its_box(pages, field):
    page = open_phone(pages, locale="zh-Hant", viewport=PHONE_390)
    sign_in_app(page, pages.base_url, "alice")
    page.goto(f"{pages.base_url}/field/#/a/{field.revealed.uuid}")
    page.locator(f"button[data-template='{VENUE}']").click()
    answer_everything(page, {"persons_found": 0, "persons": 0}, leave=("persons_found",))
    page.locator("#finish").click()

    error = page.locator("#q-persons_found-err")
    expect(error).to_have_text("必須作答。")
    assert above(page, "label[for='q-persons_found']", "#q-persons_found-err")
    assert above(page, "#q-persons_found-err", "#q-persons_found")
    expect(page.locator("#q-persons_found")).to_be_focused()
    expect(page.locator("#q-persons_found")).to_have_accessible_description("必須作答。")
    expect(page.locator("label[for='q-persons_found']")).to_be_in_viewport()
