"""A required field left empty is refused in the page's language, not the browser's. On a page
read in Chinese or Portuguese, in a browser set to English, sending the case's comment, the
return to the officer or the reveal of a person's details with the field empty said the browser's
own "Please fill out this field." / "Please select an item in the list." (found on a newcomer's
walk). The field now says the form's own message, the one the server answers, in the page's
language; a blank comment (spaces only), which the browser let through, is refused too; and what
is typed afterwards is sent."""

from __future__ import annotations

import pytest
from django.utils import translation
from django.utils.translation import gettext

from tests.browser_support import axe_check, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct-horse-battery"


def _required(language):
    """The form's own message for an empty required field, as the server answers it."""
    with translation.override(language):
        return gettext("This field is required.")


REQUIRED = {language: _required(language) for language in ("pt", "zh-hant")}


def _in(page, language):
    with page.expect_navigation():
        page.locator(f'button[name="language"][value="{language}"]').click()


def _sent(page, part):
    sent = []
    page.on("request", lambda request: sent.append(request.url) if part in request.url else None)
    return sent


@pytest.mark.parametrize("language", ["zh-hant", "pt"])
def test_an_empty_comment_on_a_case_is_refused_in_the_page_language(pages, case, carol, language):
    page = pages.new_page(locale="en-US")
    sign_in(page, pages.base_url, "carol", PASSWORD)
    _in(page, language)
    page.goto(f"{pages.base_url}/compliance/cases/{case.uuid}/")
    sent = _sent(page, "/comment/")
    comment = page.locator("#id_comment-text")
    button = page.locator("#case-work form[action$='/comment/'] button[type=submit]")
    button.click()
    page.wait_for_timeout(300)
    assert comment.evaluate("e => e.validationMessage") == REQUIRED[language]
    # Spaces only: the browser let it through to be refused by the server; refused here now.
    comment.fill("   ")
    button.click()
    page.wait_for_timeout(300)
    assert comment.evaluate("e => e.validationMessage") == REQUIRED[language]
    assert sent == []
    comment.fill("Seen on site.")
    assert comment.evaluate("e => e.validationMessage") == ""
    button.click()
    page.locator("#case-work .message.success").wait_for()
    assert len(sent) == 1
    axe_check(page)


def test_returning_without_a_comment_is_refused_in_chinese(pages, visit, carol):
    page = pages.new_page(locale="en-US")
    sign_in(page, pages.base_url, "carol", PASSWORD)
    _in(page, "zh-hant")
    page.goto(f"{pages.base_url}/review/{visit.submission.uuid}/")
    sent = _sent(page, "/return/")
    page.locator("section[aria-labelledby='return-h'] button[type=submit]").click()
    page.wait_for_timeout(300)
    assert sent == []
    assert page.locator("#id_return-comment").evaluate("e => e.validationMessage") == REQUIRED["zh-hant"]


def test_showing_a_persons_details_without_a_reason_is_refused_in_portuguese(pages, referral, vera):
    page = pages.new_page(locale="en-US")
    sign_in(page, pages.base_url, "vera", PASSWORD)
    _in(page, "pt")
    page.goto(f"{pages.base_url}/protection/{referral.uuid}/")
    sent = _sent(page, "/person/")
    page.locator("#show-person").click()
    page.wait_for_timeout(300)
    assert sent == []
    reason = page.locator("#id_reason")
    assert reason.evaluate("e => e.validationMessage") == REQUIRED["pt"]
    reason.select_option(index=1)
    assert reason.evaluate("e => e.validationMessage") == ""
    page.locator("#show-person").click()
    page.locator("#person dl.facts").wait_for()
    assert len(sent) == 1
