"""A period on the analysts' pages is written in the reader's language, in the table and the
chart alike: "Q3 2021", "3.º trim. 2021", "2021年第3季"; a month as the console's month and year
(July 2021, Julho de 2021, 2021年7月); a week by its number and year; a day as the console
writes a date. The pages showed the API's codes (2021-Q3, 2021-W27, 2021-07-05) in every
language, English abbreviations to a Portuguese or Chinese reader, and on a phone the table broke
2021-W27 over two lines at its hyphen (the analyst's walk).

The rows keep the codes as their keys (``data-key``), and the API and the downloads keep them as
values: a file is read by tools."""

from __future__ import annotations

import datetime as dt
import html
import json
import re
from urllib.parse import urlencode

import pytest
from django.conf import settings

from backend.reporting.services import rollup_refresh
from tests import factories
from tests.browser_support import sign_in_client
from tests.reporting.conftest import LOCAL

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"
BREAKDOWN = "/statistics/breakdown/"


@pytest.fixture
def analyst(record, client, andy):
    """Two PSP inspections on Monday 5 July 2021."""
    venue = factories.site("venue", parish="se")
    for hour in (10, 22):
        record(venue, "PSP", "prostitution_trafficking", at=dt.datetime(2021, 7, 5, hour, tzinfo=LOCAL))
    rollup_refresh()
    sign_in_client(client, "andy", PASSWORD)
    return client


def _page(client, language, url, **params):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get(f"{url}?{urlencode(params)}")
    assert response.status_code == 200, response.content[:2000]
    return response.content.decode()


def _rows(page):
    """The table's rows as {key: label}: the code each row keeps and the period it shows."""
    found = re.findall(r'<tr data-key="([^"]*)">\s*<th scope="row">([^<]*)</th>', page)
    assert found, "no rows in the table"
    return {key: html.unescape(label) for key, label in found}


def _chart_labels(page, element_id="breakdown-chart"):
    found = re.search(rf'id="{element_id}" data-json="([^"]*)"', page)
    assert found, f"no #{element_id} on the page"
    return json.loads(html.unescape(found.group(1)))["labels"]


EXPECTED = {
    "en": {
        "quarter": ("2021-Q3", "Q3 2021"),
        "month": ("2021-07", "July 2021"),
        "week": ("2021-W27", "Week 27, 2021"),
        "day": ("2021-07-05", "5 Jul 2021"),
    },
    "pt": {
        "quarter": ("2021-Q3", "3.º trim. 2021"),
        "month": ("2021-07", "Julho de 2021"),
        "week": ("2021-W27", "Semana 27 de 2021"),
        "day": ("2021-07-05", "5 de Julho de 2021"),
    },
    "zh-hant": {
        "quarter": ("2021-Q3", "2021年第3季"),
        "month": ("2021-07", "2021年7月"),
        "week": ("2021-W27", "2021年第27週"),
        "day": ("2021-07-05", "2021年7月5日"),
    },
}


@pytest.mark.parametrize("language", ["en", "pt", "zh-hant"])
def test_a_breakdowns_periods_are_written_in_the_readers_language(analyst, language):
    for dim, (code, label) in EXPECTED[language].items():
        page = _page(analyst, language, BREAKDOWN, measure="inspections", rows=dim, **{"from": "2021-07"})
        rows = _rows(page)
        assert rows[code] == label, (dim, rows)
        assert label in _chart_labels(page), dim
        assert not any(re.search(r"\d{4}-(Q|W)\d", text) for text in rows.values()), rows


def test_a_period_as_the_column_is_written_too(analyst):
    page = _page(
        analyst,
        "pt",
        BREAKDOWN,
        measure="inspections",
        rows="category",
        columns="quarter",
        **{"from": "2021"},
    )
    headers = dict(re.findall(r'<th scope="col" class="num" data-value="([^"]*)">([^<]*)</th>', page))
    assert headers["2021-Q3"] == "3.º trim. 2021", headers
    chart = json.loads(html.unescape(re.search(r'id="breakdown-chart" data-json="([^"]*)"', page).group(1)))
    assert "3.º trim. 2021" in [s["label"] for s in chart["datasets"]]


def test_the_dashboards_months_are_written_in_the_readers_language(analyst):
    page = _page(analyst, "pt", "/statistics/", **{"from": "2021", "to": "2021"})
    chart = json.loads(html.unescape(re.search(r'id="dashboard-data" data-json="([^"]*)"', page).group(1)))
    assert chart["inspections"]["labels"][0] == "Janeiro de 2021"
    assert _rows(page)["2021-07"] == "Julho de 2021"


def test_the_download_keeps_the_codes(analyst):
    response = analyst.get(
        f"/statistics/breakdown.csv?{urlencode({'measure': 'inspections', 'rows': 'week'})}"
    )
    assert response.status_code == 200
    assert "2021-W27,2" in response.content.decode()


@pytest.mark.parametrize("url", ["/statistics/", BREAKDOWN])
def test_a_period_left_open_reads_as_no_limit_in_chinese(analyst, url):
    """The first and last year's lists offered "任何" ("any", as in "any one of them") when none
    was chosen, the compliance pages' word for another choice; a period left open is "不限"."""
    page = _page(analyst, "zh-hant", url)
    for field in ("from", "to"):
        select = re.search(rf'<select[^>]*name="{field}"[^>]*>(.*?)</select>', page, re.S)[1]
        assert re.search(r'<option value="">([^<]*)</option>', select)[1] == "不限"
