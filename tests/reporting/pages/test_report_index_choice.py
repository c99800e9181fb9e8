"""The yearly report's page keeps the years an analyst chose when it refuses them. Asked for a
first year after the last (2023 to 2019), it said so clearly, but both lists went back to the
proposed 2019–2023: the reader no longer saw the choice the message was about, and a second look
suggested the page had already put it right."""

from __future__ import annotations

import re

import pytest

from tests.reporting.pages.figures import page_html

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("history")]

INDEX = "/statistics/report/"


def _selected(page: str, name: str) -> list[str]:
    select = re.search(rf'<select[^>]*name="{name}"[^>]*>(.*?)</select>', page, re.S).group(1)
    return re.findall(r'<option value="(\d+)"[^>]*\bselected\b', select)


def test_the_page_proposes_the_last_five_recorded_years(analyst):
    page = page_html(analyst, INDEX)
    assert (_selected(page, "from"), _selected(page, "to")) == (["2019"], ["2023"])


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("en", "Choose a first year that is not after the last."),
        ("zh-hant", "請選擇不晚於最後一年的首年。"),
        ("pt", "Escolha um primeiro ano que não seja posterior ao último."),
    ],
)
def test_a_refused_choice_stays_chosen(analyst, language, message):
    page = page_html(analyst, f"{INDEX}?from=2023&to=2019", language)
    assert f'<p class="message error">{message}</p>' in page
    assert (_selected(page, "from"), _selected(page, "to")) == (["2023"], ["2019"])


def test_a_refused_year_outside_the_lists_is_kept_too(analyst):
    page = page_html(analyst, f"{INDEX}?from=2024&to=2017")
    assert (_selected(page, "from"), _selected(page, "to")) == (["2024"], ["2017"])
