"""A directly issued operation's page in a real browser: who goes where reads as a section of
its own (a heading per team, its officers, a table of its visits), passes axe, and fits a phone."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser_support import PHONE, axe_check, sign_in
from tests.scheduler.pages.test_published_operation_page import issued_directly  # noqa: F401 (fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct-horse-battery"


@pytest.mark.parametrize("viewport", [None, PHONE], ids=["desktop", "phone"])
def test_who_goes_where_reads_well(pages, paula, issued_directly, city, viewport):  # noqa: F811
    page = pages.new_page(**({"viewport": viewport} if viewport else {}))
    sign_in(page, pages.base_url, "paula", PASSWORD)
    page.goto(f"{pages.base_url}/planning/operations/{issued_directly.uuid}/")
    section = page.get_by_role("region", name="Who goes where")
    expect(section.get_by_role("heading", name="Demo team A")).to_be_visible()
    table = section.get_by_role("table", name="Visits of Demo team A")
    expect(table.get_by_role("row")).to_have_count(4)
    expect(table).to_contain_text(city["venues"][0].name)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    pages.shot(page, "published-operation")
    axe_check(page)
