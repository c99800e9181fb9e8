"""Words the console's pages share with Django's admin or another app read as this page means
them. Django takes a word from the first app that translates it, and the admin comes first: the
Filter buttons read "過濾器" (a filter, the thing) and "Filtro" instead of "篩選" and "Filtrar"; the
breakdown's "Rows" read "列數" (how many rows, the registry imports' column) and the publications'
"By" read "由" (from). Each is now a word of its own context."""

from __future__ import annotations

import pytest

from backend.reporting import services as reporting
from tests import factories
from tests.browser_support import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct-horse-battery"

FILTER = {"zh-hant": "篩選", "pt": "Filtrar"}
ROWS = {"zh-hant": "列", "pt": "Linhas"}
BY = {"zh-hant": "發佈者", "pt": "Por"}


def _in(page, language):
    page.locator(f'button[name="language"][value="{language}"]').click()
    page.wait_for_load_state()


@pytest.mark.parametrize("language", ["zh-hant", "pt"])
def test_the_filter_buttons_say_filter_as_a_verb(pages, language):
    factories.officer("DSAL", username="rita", full_name="Rita Reviewer", roles=("reviewer",))
    factories.officer(
        "IAS", username="vera", full_name="Vera Protection", roles=("victim_protection",), sex="F"
    )
    factories.officer("PSP", username="paula", full_name="Paula Planner", roles=("planner",), sex="F")
    for username, paths in (
        ("rita", ["/review/", "/compliance/", "/compliance/cases/"]),
        ("vera", ["/protection/"]),
        ("paula", ["/planning/"]),
    ):
        page = pages.new_page()
        sign_in(page, pages.base_url, username, PASSWORD)
        _in(page, language)
        for path in paths:
            page.goto(pages.base_url + path)
            button = page.locator("main form[method='get'] button[type='submit']").first
            assert button.inner_text().strip() == FILTER[language], (path, button.inner_text())
        pages.shot(page, f"filter-{username}-{language}")


@pytest.mark.parametrize("language", ["zh-hant", "pt"])
def test_the_breakdowns_rows_and_the_publishers_column(pages, language):
    andy = factories.officer("DSAL", username="andy", full_name="Andy Analyst", roles=("analyst",))
    reporting.report_publish(year_from=2022, year_to=2023, actor=andy.user)
    page = pages.new_page()
    sign_in(page, pages.base_url, "andy", PASSWORD)
    _in(page, language)
    page.goto(pages.base_url + "/statistics/breakdown/")
    assert page.locator("label[for='bd-rows-1']").inner_text().strip() == ROWS[language]
    page.goto(pages.base_url + "/statistics/report/")
    headers = [h.strip() for h in page.locator("main table thead th").all_inner_texts()]
    assert BY[language] in headers, headers
    pages.shot(page, f"publications-{language}")
