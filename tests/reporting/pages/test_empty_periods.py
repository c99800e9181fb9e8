"""A period in which nothing was counted is a zero on the analysts' pages, in the table and in
the chart alike: a year without inspections between two with some is the row "2020: 0", never
left out (a trend drawn over it would join 2019 to 2021 as if they followed each other). The
same for months, ISO weeks and days, for a period as a column, and over the period asked for.

The statistics API keeps its answer (the groups where something was counted), and so do the
page's CSV and XLSX, which are the API's files."""

from __future__ import annotations

import datetime as dt
import html
import io
import json
import re
from urllib.parse import urlencode

import pytest
from openpyxl import load_workbook

from backend.reporting.services import rollup_refresh
from tests import factories
from tests.browser_support import sign_in_client
from tests.reporting.conftest import LOCAL
from tests.reporting.pages.figures import PageFigures

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"
BREAKDOWN = "/statistics/breakdown/"
DASHBOARD = "/statistics/"


@pytest.fixture
def gap(record):
    """Two PSP inspections in March 2019; in 2021 one PSP and one DSAL in July, one PSP in
    November; nothing in 2020."""
    venue = factories.site("venue", parish="se")
    works = factories.site("construction_site", parish="cotai", venue_type="", opening_hours=[])
    for _ in range(2):
        record(venue, "PSP", "prostitution_trafficking", at=dt.datetime(2019, 3, 1, 10, tzinfo=LOCAL))
    record(venue, "PSP", "prostitution_trafficking", at=dt.datetime(2021, 7, 5, 22, tzinfo=LOCAL))
    record(works, "DSAL", "construction_preventive", at=dt.datetime(2021, 7, 5, 10, tzinfo=LOCAL))
    record(venue, "PSP", "prostitution_trafficking", at=dt.datetime(2021, 11, 15, 10, tzinfo=LOCAL))
    rollup_refresh()


@pytest.fixture
def analyst(gap, client, andy):
    sign_in_client(client, "andy", PASSWORD)
    return client


def _get(client, url, **params):
    response = client.get(f"{url}?{urlencode(params)}")
    assert response.status_code == 200, response.content[:2000]
    return response.content.decode()


def _json(page, element_id):
    found = re.search(rf'id="{element_id}" data-json="([^"]*)"', page)
    assert found, f"no #{element_id} on the page"
    return json.loads(html.unescape(found.group(1)))


def _column(page, measure="inspections"):
    """The table's one column of figures by row: {"2019": 2, …}, in the table's order."""
    cells = PageFigures(page).tables[measure]["cells"]
    return {"|".join(key): value for (key, _column), value in cells.items()}


def _chart(page, element_id="breakdown-chart", dataset=None):
    """The chart's bars by label (summed over its datasets unless one is named)."""
    chart = _json(page, element_id)
    sets = [s for s in chart["datasets"] if dataset is None or s["label"] == dataset]
    return {label: sum(s["data"][i] for s in sets) for i, label in enumerate(chart["labels"])}


def test_a_year_with_no_inspections_is_a_zero_in_the_table_and_the_chart(analyst):
    page = _get(analyst, BREAKDOWN, measure="inspections", rows="year", **{"from": "2019", "to": "2021"})
    expected = {"2019": 2, "2020": 0, "2021": 3}
    assert _column(page) == expected
    assert list(_column(page)) == ["2019", "2020", "2021"]
    assert _chart(page) == expected
    assert list(_chart(page)) == ["2019", "2020", "2021"]
    assert PageFigures(page).tables["inspections"]["total"] == 5


def test_without_a_period_the_years_between_the_first_and_the_last_are_filled(analyst):
    page = _get(analyst, BREAKDOWN, measure="inspections", rows="year")
    assert _column(page) == {"2019": 2, "2020": 0, "2021": 3}


def test_the_years_asked_for_are_all_there_before_and_after_the_records(analyst):
    page = _get(analyst, BREAKDOWN, measure="inspections", rows="year", **{"from": "2017", "to": "2022"})
    assert _column(page) == {"2017": 0, "2018": 0, "2019": 2, "2020": 0, "2021": 3, "2022": 0}


def test_each_agency_has_every_year(analyst):
    page = _get(
        analyst, BREAKDOWN, measure="inspections", rows="year,agency", **{"from": "2019", "to": "2021"}
    )
    assert _column(page) == {
        "2019|DSAL": 0,
        "2019|PSP": 2,
        "2020|DSAL": 0,
        "2020|PSP": 0,
        "2021|DSAL": 1,
        "2021|PSP": 2,
    }


def test_a_year_as_the_column_is_a_column_of_zeros(analyst):
    page = _get(
        analyst,
        BREAKDOWN,
        measure="inspections",
        rows="category",
        columns="year",
        **{"from": "2019", "to": "2021"},
    )
    table = PageFigures(page).tables["inspections"]
    assert table["columns"] == ["2019", "2020", "2021"]
    assert all(value == 0 for (_row, year), value in table["cells"].items() if year == "2020")
    chart = _json(page, "breakdown-chart")
    assert [s["label"] for s in chart["datasets"]] == ["2019", "2020", "2021"]
    assert chart["datasets"][1]["data"] == [0] * len(chart["labels"])


def test_months_weeks_and_days_without_inspections_are_zeros(analyst):
    months = _get(analyst, BREAKDOWN, measure="inspections", rows="month", **{"from": "2021", "to": "2021"})
    expected = {f"2021-{m:02d}": {7: 2, 11: 1}.get(m, 0) for m in range(1, 13)}
    assert _column(months) == expected
    # The chart writes the months as the reader's language does (test_period_labels).
    assert list(_chart(months).values()) == list(expected.values())
    assert list(_chart(months))[6] == "July 2021"

    # 1 to 31 July 2021: ISO weeks 26 (from Thursday 1 July) to 30.
    weeks = _get(
        analyst, BREAKDOWN, measure="inspections", rows="week", **{"from": "2021-07", "to": "2021-07"}
    )
    assert _column(weeks) == {"2021-W26": 0, "2021-W27": 2, "2021-W28": 0, "2021-W29": 0, "2021-W30": 0}

    days = _get(
        analyst,
        BREAKDOWN,
        measure="inspections",
        rows="day",
        **{"from": "2021-07-03", "to": "2021-07-07"},
    )
    assert _column(days) == {
        "2021-07-03": 0,
        "2021-07-04": 0,
        "2021-07-05": 2,
        "2021-07-06": 0,
        "2021-07-07": 0,
    }


def test_the_dashboards_trend_has_the_empty_year_in_its_table_and_chart(analyst):
    page = _get(analyst, DASHBOARD, **{"from": "2019", "to": "2021"})
    table = PageFigures(page).tables["inspections"]
    rows = list(dict.fromkeys(key[0] for key, _column in table["cells"]))
    assert rows == ["2019", "2020", "2021"]
    assert all(value == 0 for (key, _column), value in table["cells"].items() if key == ("2020",))
    chart = _json(page, "dashboard-data")["inspections"]
    assert chart["labels"] == ["2019", "2020", "2021"]
    assert [sum(s["data"][i] for s in chart["datasets"]) for i in range(3)] == [2, 0, 3]


def test_the_dashboards_months_of_one_year_are_all_there(analyst):
    page = _get(analyst, DASHBOARD, **{"from": "2021", "to": "2021"})
    chart = _json(page, "dashboard-data")["inspections"]
    months = "January February March April May June July August September October November December"
    assert chart["labels"] == [f"{month} 2021" for month in months.split()]
    assert [sum(s["data"][i] for s in chart["datasets"]) for i in range(12)] == [
        {7: 2, 11: 1}.get(m, 0) for m in range(1, 13)
    ]


def test_the_api_and_the_downloads_keep_the_groups_where_something_was_counted(analyst):
    params = {"measure": "inspections", "from": "2019", "to": "2021"}
    body = analyst.get("/api/v1/statistics/query/", {**params, "by": "year"}).json()
    assert [(r["year"], r["inspections"]) for r in body["rows"]] == [(2019, 2), (2021, 3)]
    response = analyst.get(f"/statistics/breakdown.xlsx?{urlencode({**params, 'rows': 'year'})}")
    assert response.status_code == 200
    _header, *rows = load_workbook(io.BytesIO(response.content))["data"].iter_rows(values_only=True)
    assert [list(r) for r in rows] == [[2019, 2], [2021, 3]]
