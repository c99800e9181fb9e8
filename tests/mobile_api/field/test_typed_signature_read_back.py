"""A signature typed with the keyboard says so on another phone too. The phone that kept it sends
how it was made with the submission (``signature_method``: "typed"); the server stores it, and
another phone of the officer reading the checklist back from the server says the signature was
typed, as the phone that sent it does; corrected there, the correction says so again."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from backend.inspections.models import Submission
from tests.browser_support import axe_check
from tests.mobile_api.field.phone import answer_everything, open_phone, sign_in_app, wait_statuses
from tests.mobile_api.field.test_read_back_photos import LOADED

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

VENUE = "venue_prostitution_trafficking"
ANSWERS = {"venue_type": "karaoke", "persons_found": 0, "persons": 0}
SIGNATURE = ".q[data-path='officer_signature']"
QID = "q-officer_signature"


def send_with_typed_signature(pages, field, name: str) -> Submission:
    """On a first phone, the venue checklist signed by typing ``name``, sent and complete."""
    page = open_phone(pages)
    sign_in_app(page, pages.base_url, "alice")
    page.goto(f"{pages.base_url}/field/#/a/{field.revealed.uuid}")
    page.locator(f"button[data-template='{VENUE}']").click()
    page.locator(f"#{QID}-mode").click()
    page.locator(f"#{QID}-name").fill(name)
    page.locator(f"#{QID}").click()
    expect(page.locator(f"#{QID}-kept")).to_have_text(f"Signature kept, typed as “{name}”")
    answer_everything(page, ANSWERS)
    page.locator("#finish").click()
    page.locator("#check-in").wait_for()
    page.goto(pages.base_url + "/field/#/")
    wait_statuses(page, "complete", 1)
    page.close()
    return Submission.objects.get()


@pytest.mark.parametrize(
    ("locale", "read_back_alt", "kept"),
    [
        (
            "en",
            "The signature, typed with the keyboard (not drawn), as the server received it",
            "Signature kept, typed with the keyboard",
        ),
        ("zh-TW", "伺服器收到的簽名（以鍵盤輸入，非手寫）", "已保留簽名：以鍵盤輸入"),
        (
            "pt-PT",
            "A assinatura, escrita com o teclado (não desenhada), tal como o servidor a recebeu",
            "Assinatura guardada, escrita com o teclado",
        ),
    ],
)
def test_a_typed_signature_is_read_back_as_typed_on_another_phone(pages, field, locale, read_back_alt, kept):
    sent = send_with_typed_signature(pages, field, "Alice Police")
    signature = sent.answers["officer_signature"]
    assert sent.signature_methods == {signature: "typed"}

    # Another phone of hers reads it back from the server: the signature says it was typed.
    page = open_phone(pages, locale=locale)
    sign_in_app(page, pages.base_url, "alice")
    page.goto(f"{pages.base_url}/field/#/a/{field.revealed.uuid}")
    page.locator(f"a[data-read-back='{sent.uuid}']").click()
    page.locator("#answers-sent").wait_for()
    image = page.locator(".checklist.read-only img.signature")
    expect(image).to_have_attribute("alt", read_back_alt)
    page.wait_for_function(f"() => ({LOADED})(document.querySelector('.checklist.read-only img.signature'))")
    axe_check(page)
    pages.shot(page, f"typed-signature-read-back-{locale}")

    # Corrected there, the signature is still known as typed, and sent as such again.
    page.locator("#correct").click()
    page.locator("#main .badge[data-status='draft']").wait_for()
    expect(page.locator(f"#{QID}-kept")).to_have_text(kept)
    axe_check(page)
    page.locator("#finish").click()
    page.locator("#check-in").wait_for()
    page.goto(pages.base_url + "/field/#/")
    wait_statuses(page, "complete", 1)
    correction = Submission.objects.get(replaces=sent)
    assert correction.signature_methods == {signature: "typed"}
