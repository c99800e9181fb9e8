"""The console's header marks the one page the reader is on. An entry whose address begins
another's (Compliance register /compliance/ and Cases /compliance/cases/; Dashboard /statistics/
and Breakdowns, Yearly report; Operations /planning/ and Programmes, Due work) was marked current
on its neighbours' pages too, two entries underlined and both announced as the current page."""

from __future__ import annotations

import pytest

from tests import factories
from tests.browser_support import PHONE, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct-horse-battery"

PATHS = {
    "rita": [
        ("/review/", "Review queue"),
        ("/compliance/", "Compliance register"),
        ("/compliance/cases/", "Cases"),
    ],
    "andy": [
        ("/statistics/", "Dashboard"),
        ("/statistics/breakdown/", "Breakdowns"),
        ("/statistics/report/", "Yearly report"),
    ],
    "paula": [
        ("/planning/", "Operations"),
        ("/planning/programmes/", "Programmes"),
        ("/planning/due-work/", "Due work"),
    ],
}


def test_one_entry_is_current_on_each_page(pages):
    factories.officer("DSAL", username="rita", full_name="Rita Reviewer", roles=("reviewer",))
    factories.officer("DSAL", username="andy", full_name="Andy Analyst", roles=("analyst",))
    factories.officer("PSP", username="paula", full_name="Paula Planner", roles=("planner",), sex="F")
    for username, visits in PATHS.items():
        page = pages.new_page()
        sign_in(page, pages.base_url, username, PASSWORD)
        for path, label in visits:
            page.goto(pages.base_url + path)
            current = page.locator("nav.shell-nav a[aria-current='page']")
            assert current.all_inner_texts() == [label], (username, path, current.all_inner_texts())
        pages.shot(page, f"nav-{username}")
    phone = pages.new_page(viewport=PHONE)
    sign_in(phone, pages.base_url, "rita", PASSWORD)
    phone.goto(pages.base_url + "/compliance/cases/")
    assert phone.locator("nav.shell-nav a[aria-current='page']").all_inner_texts() == ["Cases"]
    pages.shot(phone, "nav-rita-phone")
