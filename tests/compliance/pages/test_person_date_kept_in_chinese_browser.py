"""A person's recorded date of birth is shown again in the form that corrects their details, in
every language, and kept when another detail is saved. In Chinese, Django wrote a date into a form
as 2000/01/15 (zh_Hant's first input format), which a date field refuses and shows empty (found on
a newcomer's walk): victim protection, adding a person's nationality in Chinese, saw the date of
birth recorded before as empty, and saving erased it."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser_support import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct-horse-battery"


def _show_person(page):
    page.locator("#person select").first.select_option(index=1)  # a reason to show them
    page.locator("#person form button.primary").click()
    page.locator("#id_person-date_of_birth").wait_for(state="attached")
    page.locator("#person details summary").click()


@pytest.mark.parametrize("language", ["zh-hant", "pt", "en"])
def test_a_recorded_date_of_birth_is_shown_again_and_kept(pages, referral, vera, language):
    page = pages.new_page()
    sign_in(page, pages.base_url, "vera", PASSWORD)
    if language != "en":
        page.locator(f'button[name="language"][value="{language}"]').click()
        page.wait_for_load_state()
    page.goto(f"{pages.base_url}/protection/{referral.uuid}/")
    _show_person(page)
    page.locator("#id_person-date_of_birth").fill("2000-01-15")
    page.locator("#person details button.primary").click()
    shown = page.locator("#person dl")
    expect(shown).to_contain_text(re.compile("2000年1月15日|15 de Janeiro de 2000|15 Jan 2000"))

    page.reload()
    _show_person(page)
    expect(page.locator("#id_person-date_of_birth")).to_have_value("2000-01-15")
    page.locator("#id_person-nationality").fill("Nepal")
    page.locator("#person details button.primary").click()
    expect(page.locator("#person dl")).to_contain_text("Nepal")
    expect(page.locator("#person dl")).to_contain_text(
        re.compile("2000年1月15日|15 de Janeiro de 2000|15 Jan 2000")
    )
