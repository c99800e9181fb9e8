"""Two messages a field officer could not act on, now saying what to do.

- Letters typed where a number is asked said "This answer has the wrong form.": now "Type a
  whole number, in digits (for example 3)." (a decimal question: "Type a number…").
- A teammate's checklist, on the visit, said "a correction is made on the phone that sent it":
  no longer true (its officer corrects it on any of their phones, read back from the server), and
  no use to a teammate, who has none of that phone. It says who can correct it.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser_support import axe_check
from tests.mobile_api.conftest import submission_payload
from tests.mobile_api.field.phone import open_phone, sign_in_app

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NUMBER = {
    "en": "Type a whole number, in digits (for example 3).",
    "zh-Hant": "請以數字輸入整數（例如 3）。",
    "pt-PT": "Escreva um número inteiro, em algarismos (por exemplo, 3).",
}
TEAMMATE = {
    "en": "Nothing to start again here: only the officer who sent it can correct it.",
    "zh-Hant": "此處無須重新開始：只有傳送該檢查表的人員可以更正。",
    "pt-PT": "Nada a iniciar de novo aqui: só o agente que a enviou a pode corrigir.",
}


@pytest.mark.parametrize("locale", NUMBER)
def test_letters_in_a_number_say_what_to_type(pages, field, locale):
    page = open_phone(pages, locale=locale)
    sign_in_app(page, pages.base_url, "alice")
    page.goto(f"{pages.base_url}/field/#/a/{field.revealed.uuid}")
    page.locator("button[data-template='venue_prostitution_trafficking']").click()
    count = page.locator(".q[data-key='persons_found']")
    count.locator("input").fill("two")
    expect(count.locator(".err")).to_have_text(NUMBER[locale])
    axe_check(page)
    count.locator("input").fill("2")
    expect(count.locator(".err")).to_have_text("")


@pytest.mark.parametrize("locale", TEAMMATE)
def test_a_teammates_checklist_says_who_can_correct_it(pages, field, alice, phone, locale):
    sent = phone(alice).post(
        "/api/mobile/v1/submissions/", submission_payload(field.revealed, field.venue_version), format="json"
    )
    assert sent.status_code == 201, sent.content
    page = open_phone(pages, locale=locale)
    sign_in_app(page, pages.base_url, "dora")
    page.goto(f"{pages.base_url}/field/#/a/{field.revealed.uuid}")
    theirs = page.locator("[data-sent-elsewhere='venue_prostitution_trafficking']")
    expect(theirs).to_contain_text(TEAMMATE[locale])
    expect(theirs).to_contain_text("Alice Police")
    expect(page.locator("a[data-read-back], #correct")).to_have_count(0)
    axe_check(page)
