"""``with_empty_periods``: the rows of zeros the analysts' tables and charts add for the periods
in which nothing was counted (the statistics API leaves them out)."""

from __future__ import annotations

import datetime as dt

import pytest

from backend.reporting.statistics import Query, Result, period_span, with_empty_periods

TODAY = dt.date(2026, 12, 4)


def _result(by, rows, *, date_from=None, date_to=None, measures=("inspections",)):
    query = Query(measures=list(measures), by=by, date_from=date_from, date_to=date_to)
    totals = {m: sum(r[m] for r in rows) for m in measures}
    return Result(query=query, source="inspections", used="raw", rows=rows, totals=totals)


def _filled(result, **kwargs):
    return with_empty_periods(result, today=kwargs.pop("today", TODAY), **kwargs).rows


def test_a_missing_year_is_a_zero_between_its_neighbours():
    rows = _filled(_result(["year"], [{"year": 2019, "inspections": 3}, {"year": 2021, "inspections": 4}]))
    assert rows == [
        {"year": 2019, "inspections": 3},
        {"year": 2020, "inspections": 0},
        {"year": 2021, "inspections": 4},
    ]


def test_the_period_asked_for_is_filled_but_never_past_today():
    result = _result(
        ["year"],
        [{"year": 2021, "inspections": 1}],
        date_from=dt.date(2019, 1, 1),
        date_to=dt.date(2030, 12, 31),
    )
    assert [r["year"] for r in _filled(result)] == list(range(2019, 2027))
    months = _result(
        ["month"],
        [{"month": "2026-02", "inspections": 1}],
        date_from=dt.date(2026, 1, 1),
        date_to=dt.date(2026, 12, 31),
    )
    assert [r["month"] for r in _filled(months, today=dt.date(2026, 5, 20))] == [
        "2026-01",
        "2026-02",
        "2026-03",
        "2026-04",
        "2026-05",
    ]


def test_each_combination_of_the_other_dimensions_gets_every_period():
    result = _result(
        ["agency", "year", "category"],
        [
            {"agency": "PSP", "year": 2019, "category": "a", "inspections": 1},
            {"agency": "DSAL", "year": 2021, "category": "b", "inspections": 2},
        ],
    )
    rows = _filled(result)
    assert len(rows) == 6  # (PSP, a) and (DSAL, b), each 2019–2021; never (PSP, b)
    assert [(r["agency"], r["year"], r["category"], r["inspections"]) for r in rows] == [
        ("DSAL", 2019, "b", 0),
        ("DSAL", 2020, "b", 0),
        ("DSAL", 2021, "b", 2),
        ("PSP", 2019, "a", 1),
        ("PSP", 2020, "a", 0),
        ("PSP", 2021, "a", 0),
    ]


def test_weeks_across_the_turn_of_the_year_follow_iso_weeks():
    result = _result(
        ["week"], [{"week": "2020-W52", "inspections": 1}, {"week": "2021-W02", "inspections": 1}]
    )
    assert [r["week"] for r in _filled(result)] == ["2020-W52", "2020-W53", "2021-W01", "2021-W02"]


def test_two_time_dimensions_are_filled_with_the_pairs_that_exist():
    # 30 and 31 December 2019 are in 2020-W01: (2019, 2020-W01) and (2020, 2020-W01) both exist.
    result = _result(
        ["year", "week"],
        [
            {"year": 2019, "week": "2019-W52", "inspections": 1},
            {"year": 2020, "week": "2020-W02", "inspections": 1},
        ],
    )
    assert [(r["year"], r["week"]) for r in _filled(result)] == [
        (2019, "2019-W52"),
        (2019, "2020-W01"),
        (2020, "2020-W01"),
        (2020, "2020-W02"),
    ]


def test_quarters_and_days():
    quarters = _result(
        ["quarter"], [{"quarter": "2020-Q4", "inspections": 1}, {"quarter": "2021-Q3", "inspections": 1}]
    )
    assert [r["quarter"] for r in _filled(quarters)] == ["2020-Q4", "2021-Q1", "2021-Q2", "2021-Q3"]
    days = _result(
        ["day"], [{"day": "2024-02-28", "inspections": 1}, {"day": "2024-03-01", "inspections": 1}]
    )
    assert [r["day"] for r in _filled(days)] == ["2024-02-28", "2024-02-29", "2024-03-01"]


def test_left_alone_without_a_time_dimension_without_figures_or_past_the_limit():
    by_parish = _result(["parish"], [{"parish": "se", "inspections": 1}])
    assert with_empty_periods(by_parish, today=TODAY) is by_parish
    nothing = _result(["year"], [], date_from=dt.date(2019, 1, 1), date_to=dt.date(2021, 12, 31))
    assert with_empty_periods(nothing, today=TODAY) is nothing
    long = _result(["day"], [{"day": "2020-01-01", "inspections": 1}], date_to=dt.date(2025, 12, 31))
    assert with_empty_periods(long, today=TODAY, limit=100) is long
    assert len(with_empty_periods(long, today=TODAY).rows) == 2192


def test_totals_and_suppressed_counts_stay_as_they_were():
    result = Result(
        query=Query(measures=["referrals"], by=["year"]),
        source="referrals",
        used="raw",
        rows=[{"year": 2019, "referrals": None}, {"year": 2021, "referrals": 7}],
        totals={"referrals": None},
        suppressed=True,
    )
    filled = with_empty_periods(result, today=TODAY)
    assert [r["referrals"] for r in filled.rows] == [None, 0, 7]
    assert filled.totals == {"referrals": None}


@pytest.mark.parametrize(
    ("dim", "value", "span"),
    [
        ("year", 2024, (dt.date(2024, 1, 1), dt.date(2024, 12, 31))),
        ("quarter", "2024-Q1", (dt.date(2024, 1, 1), dt.date(2024, 3, 31))),
        ("quarter", "2024-Q4", (dt.date(2024, 10, 1), dt.date(2024, 12, 31))),
        ("month", "2024-02", (dt.date(2024, 2, 1), dt.date(2024, 2, 29))),
        ("week", "2021-W01", (dt.date(2021, 1, 4), dt.date(2021, 1, 10))),
        ("day", "2024-02-29", (dt.date(2024, 2, 29), dt.date(2024, 2, 29))),
    ],
)
def test_period_span(dim, value, span):
    assert period_span(dim, value) == span
