"""Small things of the analysts' pages: the years offered, the parish table's order, the map's
captions and the report page's labels in Chinese.

- The period filters offered every year back to twelve years ago (2015) while the records start
  in 2019: now the years with data, from the first year recorded, and this year (a year already
  chosen in the address stays choosable).
- The parish table came in no clear order: now the parish filter's, which the map follows (the
  peninsula from the north, then Taipa, Cotai and Coloane), and it says so.
- The report page's tool labels ended with an ASCII colon after the translation ("閱讀語言:").
"""

from __future__ import annotations

import html
import json
import re

import pytest
from django.utils import timezone

from backend.registry.models import Parish
from tests.reporting.pages.figures import page_html

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("history")]


def _options(page: str, select_id: str) -> list[str]:
    select = re.search(rf'<select id="{select_id}"[^>]*>(.*?)</select>', page, re.S)
    assert select, select_id
    return [v for v in re.findall(r'<option value="([^"]*)"', select.group(1)) if v]


def test_the_years_offered_are_those_with_data_and_this_year(analyst):
    this_year = timezone.localdate().year
    expected = [str(y) for y in range(this_year, 2018, -1)]  # the history starts in 2019
    page = page_html(analyst, "/statistics/")
    assert _options(page, "f-from") == expected
    assert _options(page, "f-to") == expected
    shared = page_html(analyst, "/statistics/?from=2015&to=2020")
    assert _options(shared, "f-from")[-1] == "2015"
    assert 'value="2015" selected' in shared
    breakdown = page_html(analyst, "/statistics/breakdown/?measure=inspections&rows=year")
    assert re.findall(r'<option value="(\d{4})"', breakdown)[: len(expected)] == expected
    assert 'value="2015"' not in breakdown


def test_the_parish_table_follows_the_parish_filters_order(analyst):
    page = page_html(analyst, "/statistics/?from=2019&to=2023")
    table = page.split('id="h-parishes"')[1]
    keys = re.findall(r'<tr data-key="([^"]*)"', table)
    known = [k for k in keys if k in Parish.values]
    assert len(known) >= 6, keys
    assert known == [p for p in Parish.values if p in known]
    assert _options(page, "f-parish") == list(Parish.values)
    assert 'class="help parish-order"' in table


@pytest.mark.parametrize(
    ("language", "fatima"),
    [("en", "Our Lady of Fatima: "), ("zh-hant", "花地瑪堂區："), ("pt", "Nossa Senhora de Fátima: ")],
)
def test_the_maps_captions_name_each_parish_with_its_figure(analyst, language, fatima):
    page = page_html(analyst, "/statistics/?from=2019&to=2023", language)
    data = json.loads(html.unescape(re.search(r'id="dashboard-data" data-json="([^"]*)"', page).group(1)))
    points = {p["id"]: p for p in data["parishes"]}
    assert points["fatima"]["caption"].startswith(fatima), points["fatima"]
    assert points["fatima"]["side"] == "top"
    assert {points[p]["side"] for p in ("santo_antonio", "sao_lourenco")} == {"left"}


@pytest.mark.parametrize(
    ("language", "labels", "wrong"),
    [
        ("zh-hant", ["閱讀語言：", "PDF：", "試算表（XLSX）："], ["閱讀語言:", "PDF:", "）:"]),
        ("en", ["Read in:", "PDF:", "Spreadsheet (XLSX):"], []),
        ("pt", ["Ler em:", "PDF:", "Folha de cálculo (XLSX):"], []),
    ],
)
def test_the_report_pages_tool_labels_end_as_their_language_does(analyst, language, labels, wrong):
    page = page_html(analyst, "/statistics/report/2019-2023/", language)
    shown = [html.unescape(t) for t in re.findall(r'<span class="tool-label">([^<]*)</span>', page)]
    assert shown == labels
    for text in wrong:
        assert text not in shown
