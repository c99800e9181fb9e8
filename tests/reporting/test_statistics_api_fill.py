"""``fill=zeros`` on the statistics API: an answer over time lists every period of the question,
those where nothing was counted as 0, as the analysts' tables and charts show it (the same code),
never past today; its CSV and XLSX too. Without it the API lists the groups where something was
counted. A value it cannot apply is a 400 problem naming ``fill``, never ignored."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
import time_machine
from openpyxl import load_workbook

from tests.reporting.conftest import LOCAL
from tests.reporting.test_statistics_api import QUERY, work  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db

BY_YEAR = {"measure": "inspections", "by": "year", "from": "2019", "to": "2023"}


def _rows(response):
    assert response.status_code == 200, response.content
    return response.json()["rows"]


def test_every_year_of_the_question_is_listed_with_zeros(work, api, andy):  # noqa: F811
    plain = api.as_(andy).get(QUERY, BY_YEAR).json()
    assert [(r["year"], r["inspections"]) for r in plain["rows"]] == [(2022, 5)]
    assert plain["fill"] is None
    filled = api.as_(andy).get(QUERY, {**BY_YEAR, "fill": "zeros"}).json()
    assert [(r["year"], r["inspections"]) for r in filled["rows"]] == [
        (2019, 0),
        (2020, 0),
        (2021, 0),
        (2022, 5),
        (2023, 0),
    ]
    assert filled["fill"] == "zeros"
    assert filled["totals"] == plain["totals"]


def test_each_group_of_the_other_dimensions_gets_every_period(work, api, andy):  # noqa: F811
    params = {**BY_YEAR, "by": "agency,year", "from": "2021", "fill": "zeros"}
    rows = _rows(api.as_(andy).get(QUERY, params))
    assert [(r["agency"], r["year"], r["inspections"]) for r in rows] == [
        ("DSAL", 2021, 0),
        ("DSAL", 2022, 2),
        ("DSAL", 2023, 0),
        ("PSP", 2021, 0),
        ("PSP", 2022, 3),
        ("PSP", 2023, 0),
    ]


def test_the_filled_period_never_passes_today(work, api, andy):  # noqa: F811
    params = {"measure": "inspections", "by": "month", "from": "2022-04", "to": "2030", "fill": "zeros"}
    with time_machine.travel(dt.datetime(2022, 8, 15, 12, 0, tzinfo=LOCAL), tick=False):
        rows = _rows(api.as_(andy).get(QUERY, params))
    assert [(r["month"], r["inspections"]) for r in rows] == [
        ("2022-04", 0),
        ("2022-05", 5),
        ("2022-06", 0),
        ("2022-07", 0),
        ("2022-08", 0),
    ]


def test_the_files_are_filled_alike(work, api, andy):  # noqa: F811
    params = {**BY_YEAR, "from": "2021", "fill": "zeros"}
    response = api.as_(andy).get("/api/v1/statistics/query.csv", params)
    assert response.status_code == 200
    assert list(csv.reader(io.StringIO(response.content.decode())))[1:] == [
        ["2021", "0"],
        ["2022", "5"],
        ["2023", "0"],
    ]
    response = api.as_(andy).get("/api/v1/statistics/query.xlsx", params)
    assert response.status_code == 200
    _header, *rows = load_workbook(io.BytesIO(response.content))["data"].iter_rows(values_only=True)
    assert [list(r) for r in rows] == [[2021, 0], [2022, 5], [2023, 0]]


@pytest.mark.parametrize(
    "params",
    [
        {**BY_YEAR, "fill": "yes"},
        {**BY_YEAR, "fill": ""},
        {**BY_YEAR, "fill": "zeros,nulls"},
        {**BY_YEAR, "by": "agency", "fill": "zeros"},  # no period to fill
        {**BY_YEAR, "by": "day", "from": "2000", "fill": "zeros"},  # more rows than an answer holds
    ],
)
@pytest.mark.parametrize("url", [QUERY, "/api/v1/statistics/query.csv", "/api/v1/statistics/query.xlsx"])
def test_a_fill_it_cannot_apply_is_a_problem_naming_it(work, api, andy, url, params):  # noqa: F811
    response = api.as_(andy).get(url, params)
    assert response.status_code == 400, response.content[:500]
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["code"] == "statistics_invalid" and list(body["errors"]) == ["fill"], body


def test_the_refusal_speaks_the_readers_language(work, api, andy):  # noqa: F811
    response = api.as_(andy).get(QUERY, {**BY_YEAR, "fill": "nulls"}, HTTP_ACCEPT_LANGUAGE="zh-hant")
    assert response.json()["errors"]["fill"] == ["只接受 fill=zeros：沒有計數的期間顯示為 0。"]
    response = api.as_(andy).get(
        QUERY, {**BY_YEAR, "by": "agency", "fill": "zeros"}, HTTP_ACCEPT_LANGUAGE="pt"
    )
    assert response.json()["errors"]["fill"] == [
        "fill=zeros preenche períodos: agrupe por ano, trimestre, mês, semana ou dia."
    ]


def test_the_schema_documents_the_parameter(client):
    schema = client.get("/api/schema/?format=json").json()
    for path in (
        "/api/v1/statistics/query/",
        "/api/v1/statistics/query.csv",
        "/api/v1/statistics/query.xlsx",
    ):
        fill = {p["name"]: p for p in schema["paths"][path]["get"]["parameters"]}["fill"]
        assert fill["schema"]["enum"] == ["zeros"], fill
        assert "0" in fill["description"] and "today" in fill["description"]
