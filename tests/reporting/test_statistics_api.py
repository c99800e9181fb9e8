"""The statistics API: who reads what (the permission matrix), bad requests answered as
problems, and the CSV and XLSX exports."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from openpyxl import load_workbook

from backend.reporting.services import rollup_refresh
from tests import factories
from tests.reporting.conftest import LOCAL

pytestmark = pytest.mark.django_db
QUERY = "/api/v1/statistics/query/"


@pytest.fixture
def work(record):
    """Three PSP inspections and two DSAL ones in 2022; one planned PSP visit (never counted)."""
    venue = factories.site("venue", parish="se")
    works = factories.site("construction_site", parish="cotai", venue_type="", opening_hours=[])
    at = dt.datetime(2022, 5, 3, 21, 0, tzinfo=LOCAL)
    for _ in range(3):
        record(venue, "PSP", "prostitution_trafficking", at=at)
    for _ in range(2):
        record(works, "DSAL", "construction_preventive", at=at)
    record(venue, "PSP", "prostitution_trafficking", at=at, status="planned")
    rollup_refresh()


def _totals(response):
    assert response.status_code == 200, response.content
    return response.json()["totals"]["inspections"]


@pytest.mark.parametrize(("persona", "expected"), [("andy", 5), ("adele", 5), ("paula", 3), ("carol", 2)])
def test_readers_see_everything_or_their_own_agency(work, api, request, persona, expected):
    who = request.getfixturevalue(persona)
    assert _totals(api.as_(who).get(QUERY, {"measure": "inspections"})) == expected


# Victim protection is refused; an inspector's phone token and a login with no officer record (no
# way in) are not let in.
@pytest.mark.parametrize(
    ("persona", "status", "code"),
    [
        ("alice", 401, "token_invalid"),
        ("vera", 403, "statistics_forbidden"),
        ("oscar", 401, "not_authenticated"),
    ],
)
def test_other_roles_get_nothing(work, api, request, persona, status, code):
    who = request.getfixturevalue(persona)
    for url in (
        QUERY + "?measure=inspections",
        "/api/v1/statistics/",
        "/api/v1/statistics/report/2022-2022/",
    ):
        response = api.as_(who).get(url)
        assert response.status_code == status, url
        assert response["Content-Type"] == "application/problem+json"
        assert response.json()["code"] == code


def test_anonymous_gets_nothing(work, client):
    for url in (
        QUERY + "?measure=inspections",
        "/api/v1/statistics/",
        "/api/v1/statistics/query.csv?measure=inspections",
    ):
        response = client.get(url)
        assert response.status_code in (401, 403)
        assert response["Content-Type"] == "application/problem+json"


def test_another_agency_asked_for_comes_back_empty(work, api, carol):
    body = api.as_(carol).get(QUERY, {"measure": "inspections", "by": "year", "agency": "PSP"}).json()
    assert body["rows"] == [] and body["totals"]["inspections"] == 0


def test_scoped_readers_get_no_figures_about_people(work, api, carol, andy):
    response = api.as_(carol).get(QUERY, {"measure": "referrals"})
    assert response.status_code == 403
    assert api.as_(andy).get(QUERY, {"measure": "referrals"}).status_code == 200
    catalogue = {m["id"] for m in api.as_(carol).get("/api/v1/statistics/").json()["measures"]}
    assert "inspections" in catalogue and "referrals" not in catalogue


def test_the_report_is_for_analysts_and_administrators(work, api, andy, paula):
    assert api.as_(paula).get("/api/v1/statistics/report/2022-2022/").status_code == 403
    body = api.as_(andy).get("/api/v1/statistics/report/2022-2022/").json()
    figures = {f["id"]: f for f in body["figures"]}
    assert figures["police_inspections_prostitution_trafficking"]["value"] == 3
    assert figures["dsal_construction_preventive_inspections"]["definition"]


def test_breakdown_by_year_and_category_for_one_agency(work, api, andy):
    body = (
        api.as_(andy)
        .get(
            QUERY,
            {"measure": "inspections", "by": "year,category", "agency": "DSAL", "from": "2019", "to": "2023"},
        )
        .json()
    )
    assert body["rows"] == [{"year": 2022, "category": "construction_preventive", "inspections": 2}]
    assert body["computed_from"] == "rollup"
    assert body["labels"]["category"]["construction_preventive"]
    assert "submitted, reviewed or closed" in body["measures"][0]["definition"]


def test_distinct_counts_are_answered_from_the_per_site_rollup_as_from_the_records(work, api, andy):
    params = {"measure": "sites_inspected,inspections", "by": "venue_type"}
    body = api.as_(andy).get(QUERY, params).json()
    assert body["computed_from"] == "rollup"
    assert body["rows"] == [
        {"venue_type": "karaoke", "sites_inspected": 1, "inspections": 3},
        {"venue_type": "none", "sites_inspected": 1, "inspections": 2},
    ]
    raw = api.as_(andy).get(QUERY, {**params, "source": "raw"}).json()
    assert raw["computed_from"] == "raw"
    assert (raw["rows"], raw["totals"]) == (body["rows"], body["totals"])
    # By day: the per-day distinct counts, beside the daily rollup's counts; as the records say.
    daily = api.as_(andy).get(QUERY, {**params, "by": "day"}).json()
    assert (daily["computed_from"], daily["rollup_level"]) == ("rollup", "day")
    assert daily["totals"] == body["totals"]
    daily_raw = api.as_(andy).get(QUERY, {**params, "by": "day", "source": "raw"}).json()
    assert (daily_raw["rows"], daily_raw["totals"]) == (daily["rows"], daily["totals"])


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"measure": "nonsense"}, "measure"),
        ({}, "measure"),
        ({"measure": "inspections", "by": "colour"}, "by"),
        ({"measure": "inspections", "by": "year,year"}, "by"),
        ({"measure": "inspections", "colour": "red"}, "colour"),
        ({"measure": "inspections", "category": "nope"}, "category"),
        ({"measure": "inspections", "from": "2019-13"}, "from"),
        ({"measure": "inspections", "from": "2023", "to": "2019"}, "from"),
        ({"measure": "inspections,calls"}, "measure"),
        ({"measure": "sites_inspected", "by": "day,category,parish,agency", "source": "rollup"}, "source"),
        ({"measure": "inspections", "source": "cache"}, "source"),
        ({"measure": "calls", "by": "category"}, "by"),
        ({"measure": "inspections", "venue_type": ""}, "venue_type"),
        ({"measure": "inspections", "agency": ","}, "agency"),
        ({"measure": "inspections", "agency": "NOPE"}, "agency"),
        ({"measure": "inspections", "limit": "5"}, "limit"),
        ({"measure": "inspections", "lang": "pt"}, "lang"),
        ({"measure": "inspections", "joint": "maybe"}, "joint"),
    ],
)
def test_bad_requests_are_problems_naming_the_field(work, api, andy, params, field):
    for url in (QUERY, "/api/v1/statistics/query.csv", "/api/v1/statistics/query.xlsx"):
        response = api.as_(andy).get(url, params)
        assert response.status_code == 400, (url, params)
        assert response["Content-Type"] == "application/problem+json"
        body = response.json()
        assert body["code"] == "statistics_invalid" and field in body["errors"], body


def test_bad_report_years_are_problems(work, api, andy):
    response = api.as_(andy).get("/api/v1/statistics/report/2023-2019/")
    assert response.status_code == 400 and response.json()["code"] == "invalid"


def test_csv_export(work, api, andy):
    response = api.as_(andy).get(
        "/api/v1/statistics/query.csv", {"measure": "inspections", "by": "agency,parish", "from": "2022"}
    )
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert rows == [
        {"agency": "DSAL", "parish": "cotai", "inspections": "2"},
        {"agency": "PSP", "parish": "se", "inspections": "3"},
    ]


def test_xlsx_export_opens_with_openpyxl(work, api, paula):
    response = api.as_(paula).get(
        "/api/v1/statistics/query.xlsx", {"measure": "inspections", "by": "year,category"}
    )
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    data = list(book["data"].values)
    assert data == [("year", "category", "inspections"), (2022, "prostitution_trafficking", 3)]
    definitions = dict(list(book["definitions"].values)[1:])
    assert "conducted" in definitions["inspections"]


def test_a_filter_given_twice_means_both_values(work, api, andy):
    response = api.as_(andy).get(QUERY + "?measure=inspections&agency=PSP&agency=DSAL")
    assert _totals(response) == 5


@pytest.mark.parametrize("source", ["raw", "auto"])
def test_every_value_the_catalogue_offers_filters_as_it_says(work, api, andy, source):
    """For each source's first measure, each dimension with offered values and each value: the
    filtered total is that value's row of the unfiltered breakdown (0 when it has none)."""
    catalogue = api.as_(andy).get("/api/v1/statistics/").json()["measures"]
    firsts = {}
    for measure in catalogue:
        firsts.setdefault(measure["source"]["id"], measure)
    checked = 0
    for measure in firsts.values():
        for dimension in measure["dimensions"]:
            if not dimension["values"]:
                continue
            use = source if source == "raw" or dimension["rollup"] else "raw"
            base = {"measure": measure["id"], "source": use}
            breakdown = api.as_(andy).get(QUERY, {**base, "by": dimension["id"]})
            assert breakdown.status_code == 200, breakdown.content
            by_value = {str(row[dimension["id"]]): row[measure["id"]] for row in breakdown.json()["rows"]}
            assert set(by_value) <= set(dimension["values"]), (dimension["id"], by_value)
            for value in dimension["values"]:
                response = api.as_(andy).get(QUERY, {**base, dimension["id"]: value})
                assert response.status_code == 200, (dimension["id"], value, response.content)
                body = response.json()
                assert body["filters"] == {dimension["id"]: [value]}
                assert body["totals"][measure["id"]] == by_value.get(value, 0), (dimension["id"], value)
                checked += 1
    assert checked > 40


def test_not_a_venue_filters_the_sites_that_are_not_venues(work, api, andy):
    response = api.as_(andy).get(QUERY, {"measure": "inspections", "venue_type": "none"})
    assert _totals(response) == 2


def test_a_downloaded_breakdown_says_the_question_it_answers(work, api, paula):
    """Read later, away from the page, the file says its period and its filters: in its name and,
    in the XLSX, on a sheet of its own; each id on the definitions sheet once."""
    response = api.as_(paula).get(
        "/api/v1/statistics/query.xlsx",
        {"measure": "inspections", "by": "year", "from": "2019", "to": "2023", "agency": "PSP"},
    )
    assert response.status_code == 200
    assert "2019-01-01-to-2023-12-31-filtered.xlsx" in response["Content-Disposition"]
    book = load_workbook(io.BytesIO(response.content))
    asked = dict(list(book["question"].values)[1:])
    assert asked["from"] == "2019-01-01" and asked["to"] == "2023-12-31"
    assert asked["filter agency"] == "PSP" and asked["grouped by"] == "year"
    assert asked["answered from"].split()[0] in {"rollup", "raw"}
    ids = [row[0] for row in list(book["definitions"].values)[1:]]
    assert len(ids) == len(set(ids)) and "inspections" in ids


@pytest.mark.parametrize(
    ("language", "said"),
    [
        ("en", "Choose each dimension once; chosen more than once: year."),
        ("zh-hant", "每個維度只可選擇一次；重複選擇的維度：年。"),
        ("pt", "Escolha cada dimensão uma só vez; escolhida mais de uma vez: ano."),
    ],
)
def test_a_dimension_chosen_twice_is_named_in_the_readers_words(work, api, andy, language, said):
    """It said "A dimension is named twice.", naming none: on the breakdown page, with rows,
    rows by and columns to choose, the analyst could not tell which to change."""
    response = api.as_(andy).get(
        QUERY, {"measure": "inspections", "by": "year,agency,year"}, HTTP_ACCEPT_LANGUAGE=language
    )
    assert response.status_code == 400
    assert response.json()["errors"]["by"] == [said]


def test_the_known_names_are_listed_as_the_readers_language_lists(work, api, andy):
    """A filter the source does not have is refused with the ones it has: in Chinese they read
    "from、to、agency, category, …", the list's commas left in English."""
    response = api.as_(andy).get(
        QUERY, {"measure": "inspections", "by": "year", "cols": "x"}, HTTP_ACCEPT_LANGUAGE="zh-hant"
    )
    assert response.status_code == 400
    (said,) = response.json()["errors"]["cols"]
    assert said.startswith("不是 inspections 的篩選條件；篩選條件：from、to、"), said
    assert ", " not in said, said
