"""On the dashboard, in a real browser, the parish map's labels are the parish filter's names:
Cotai is "Cotai (no parish)" on both (it was "Cotai (reclaimed zone)" on the map). Each label
names its parish with its figure ("Cotai (no parish): 1")."""

from __future__ import annotations

import re

import pytest

from tests.browser_support import sign_in
from tests.reporting.pages.test_empty_periods import gap  # noqa: F401 (a fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct-horse-battery"


def test_the_maps_labels_are_the_filters_names(pages, gap, andy):  # noqa: F811
    page = pages.new_page()
    sign_in(page, pages.base_url, "andy", PASSWORD)
    for language in ("en", "pt", "zh-hant"):
        page.goto(f"{pages.base_url}/statistics/")
        if language != "en":
            page.locator(f'button[name="language"][value="{language}"]').click()
            page.wait_for_load_state()
        page.wait_for_function("() => document.querySelectorAll('#parish-map .map-label').length === 8")
        labels = page.locator("#parish-map .map-label").all_text_contents()
        on_the_map = [re.sub(r"(: |：)[\d,]+$", "", label) for label in labels]
        assert all(re.search(r"(: |：)[\d,]+$", label) for label in labels), labels
        in_the_filter = page.locator("#f-parish option:not([value=''])").all_text_contents()
        assert sorted(on_the_map) == sorted(in_the_filter), language
        cotai = page.locator("#f-parish option[value='cotai']").text_content()
        assert cotai in on_the_map and "reclaimed" not in " ".join(on_the_map), language
        pages.shot(page, f"dashboard-parish-names-{language}")
