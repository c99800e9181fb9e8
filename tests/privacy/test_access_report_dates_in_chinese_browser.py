"""The access report opens with its period's dates in the date fields, in Chinese too. Django
wrote a date into a form as 2026/11/06 in Chinese (zh_Hant's first input format), which a date
field refuses and shows empty (found on a newcomer's walk): the report opened with both dates
empty, and sending it again ("flagged only") was refused for dates left unfilled."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests import factories
from tests.browser_support import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct-horse-battery"


def test_the_access_report_opens_with_its_dates_in_chinese(pages):
    factories.officer("IAS", username="dora", roles=("data_protection",))
    page = pages.new_page()
    sign_in(page, pages.base_url, "dora", PASSWORD)
    page.locator('button[name="language"][value="zh-hant"]').click()
    page.wait_for_load_state()
    page.goto(f"{pages.base_url}/privacy/access/")
    expect(page.locator("#id_date_from")).to_have_value(re.compile(r"^\d{4}-\d{2}-\d{2}$"))
    expect(page.locator("#id_date_to")).to_have_value(re.compile(r"^\d{4}-\d{2}-\d{2}$"))
    # Sent as it opened, the form is taken (the browser refused it for empty required dates).
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_load_state()
    assert "date_from=" in page.url
    expect(page.locator("#id_date_from")).to_have_value(re.compile(r"^\d{4}-\d{2}-\d{2}$"))
