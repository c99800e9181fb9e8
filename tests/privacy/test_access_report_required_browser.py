"""The access report's period, left empty, is refused in the page's language. The report's form
lacked the console's forms script, so a data-protection officer reading it in Portuguese or
Chinese who cleared "From" was told the browser's own "Please fill out this field.", in English
(found on a newcomer's walk). It now says the form's own message, as the server answers it."""

from __future__ import annotations

import pytest
from django.utils import translation
from django.utils.translation import gettext

from tests import factories
from tests.browser_support import axe_check, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct-horse-battery"


@pytest.mark.parametrize("language", ["pt", "zh-hant"])
def test_an_empty_period_is_refused_in_the_page_language(pages, language):
    factories.officer("IAS", username="dora", full_name="Dora Privacy", roles=("data_protection",))
    page = pages.new_page(locale="en-US")
    sign_in(page, pages.base_url, "dora", PASSWORD, next_path="/privacy/access/")
    with page.expect_navigation():
        page.locator(f'button[name="language"][value="{language}"]').click()
    page.goto(f"{pages.base_url}/privacy/access/")
    start = page.locator("#id_date_from")
    start.fill("")
    with translation.override(language):
        required = gettext("This field is required.")
    page.locator("main form button[type=submit]").click()
    page.wait_for_timeout(300)
    assert "date_from" not in page.url  # not sent
    assert start.evaluate("e => e.validationMessage") == required
    axe_check(page)
