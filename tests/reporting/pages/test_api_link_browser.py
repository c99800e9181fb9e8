"""The analysts' pages link each table to "the same figures from the statistics API": the link
asks the API to fill the periods with nothing counted (fill=zeros), so what it answers is the
table the page shows, 2020's zero included, not a list that skips 2020."""

from __future__ import annotations

import pytest

from tests.browser_support import sign_in
from tests.reporting.pages.test_empty_periods import gap  # noqa: F401 (a fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct-horse-battery"


def _years(page, link_text):
    link = page.get_by_role("link", name=link_text).first
    body = page.request.get(page.url.split("/statistics")[0] + link.get_attribute("href")).json()
    totals: dict[int, int] = {}
    for row in body["rows"]:
        totals[row["year"]] = totals.get(row["year"], 0) + row["inspections"]
    return totals


def test_the_api_links_answer_with_the_tables_zeros(pages, gap, andy):  # noqa: F811
    page = pages.new_page()
    sign_in(page, pages.base_url, "andy", PASSWORD)
    page.goto(f"{pages.base_url}/statistics/?from=2019&to=2021")
    assert _years(page, "The same figures from the statistics API") == {2019: 2, 2020: 0, 2021: 3}
    page.goto(f"{pages.base_url}/statistics/breakdown/?measure=inspections&rows=year&from=2019&to=2021")
    assert _years(page, "The same from the statistics API") == {2019: 2, 2020: 0, 2021: 3}
    # A question with no period to fill links to the API's answer as it is.
    page.goto(f"{pages.base_url}/statistics/breakdown/?measure=inspections&rows=parish")
    href = page.get_by_role("link", name="The same from the statistics API").get_attribute("href")
    assert "fill=" not in href
    assert page.request.get(pages.base_url + href).status == 200
