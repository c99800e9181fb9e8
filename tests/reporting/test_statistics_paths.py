"""Every path the statistics engine may take answers alike: the daily, monthly and per-site
rollups and the raw records (read by their stored local day) give the same rows and totals, and
both equal the figures counted here in Python from the records' timestamps converted to Macau
time. Distinct counts included, whose totals come with their groups. Runs on SQLite and on
PostgreSQL (DATABASE_URL)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from backend.inspections.models import Inspection, Operation
from backend.inspections.services import operation_create
from backend.reporting.models import InspectionSiteMonthRollup, InspectionWeekDistinct, RollupClock
from backend.reporting.services import rollup_check, rollup_refresh
from backend.reporting.statistics import (
    CONDUCTED,
    DISTINCT_PAIRS_CLOCK,
    RECORD_STATUSES,
    WEEK_DISTINCT_CLOCK,
    Query,
    aggregate,
)
from tests import factories

pytestmark = pytest.mark.django_db

MACAU = ZoneInfo("Asia/Macau")
STATUSES = ["planned", "in_progress", "submitted", "reviewed", "closed", "no_access", "cancelled"]
CATEGORIES = ["prostitution_trafficking", "illegal_employment", "employment_agency"]
# Around the turn of a month and of the year in UTC and in Macau (UTC+8).
MOMENTS = [
    dt.datetime(2021, 12, 31, 15, 59, tzinfo=dt.UTC),
    dt.datetime(2021, 12, 31, 16, 0, tzinfo=dt.UTC),
    dt.datetime(2022, 1, 30, 3, 0, tzinfo=dt.UTC),
    dt.datetime(2022, 1, 31, 17, 0, tzinfo=dt.UTC),
    dt.datetime(2022, 2, 1, 1, 0, tzinfo=dt.UTC),
    dt.datetime(2022, 3, 31, 20, 0, tzinfo=dt.UTC),
]
MEASURES = ["inspections", "inspections_no_access", "sites_inspected", "companies_inspected"]
DIMENSIONS = [
    *("year", "quarter", "month", "week", "day"),
    *("agency", "parish", "venue_type", "joint", "status", "operation"),
]
PERIODS = [
    (None, None),
    (dt.date(2022, 1, 1), dt.date(2022, 12, 31)),  # whole months: the monthly rollups
    (dt.date(2022, 1, 1), dt.date(2022, 1, 31)),
    (dt.date(2022, 1, 31), dt.date(2022, 2, 1)),  # days: the daily rollup or the records
    (dt.date(2022, 1, 24), dt.date(2022, 2, 6)),  # whole ISO weeks (4 and 5): no edge
    (dt.date(2022, 1, 26), dt.date(2022, 2, 1)),  # the ends of weeks 4 and 5 only: the records
]


@pytest.fixture
def world(template_version):
    operators = [factories.company(name_en="Op A"), factories.company(name_en="Op B")]
    sites = [
        factories.site("venue", parish="se", operator=operators[0]),
        factories.site("venue", parish="fatima", operator=operators[0]),
        factories.site("employment_agency", parish="se", opening_hours=[], operator=operators[1]),
        factories.site("venue", parish="fatima"),
    ]
    agencies = [factories.agency(c) for c in ("PSP", "DSAL")]
    operation = operation_create(
        actor=None,
        name="Op",
        lead_agency=agencies[0],
        starts_at=MOMENTS[0],
        ends_at=MOMENTS[-1],
        reveal_at=MOMENTS[0],
        status=Operation.Status.CLOSED,
    )
    return {"sites": sites, "agencies": agencies, "operation": operation, "version": template_version}


records = st.lists(
    st.tuples(
        st.integers(0, 3),  # site
        st.integers(0, 1),  # agency
        st.sampled_from(CATEGORIES),
        st.sampled_from(STATUSES),
        st.integers(0, len(MOMENTS) - 1),
        st.booleans(),  # joint
    ),
    min_size=1,
    max_size=14,
)
wheres = st.sampled_from(
    [
        None,
        ("parish", ["se"]),
        ("agency", ["PSP"]),
        ("joint", ["true"]),
        ("status", ["reviewed", "no_access"]),
        ("parish", ["se", "fatima"]),  # several values: no stored count per value
    ]
)
queries = st.lists(
    st.tuples(
        st.lists(st.sampled_from(MEASURES), min_size=1, max_size=2, unique=True),
        st.lists(st.sampled_from(DIMENSIONS), max_size=2, unique=True),
        st.sampled_from(PERIODS),
        wheres,
    ),
    min_size=3,
    max_size=3,
)


def _key(inspection, dim):
    local = inspection.planned_start.astimezone(MACAU).date()
    site = inspection.site
    return {
        "year": local.year,
        "quarter": f"{local.year}-Q{(local.month - 1) // 3 + 1}",
        "month": f"{local.year}-{local.month:02d}",
        "week": "{}-W{:02d}".format(*local.isocalendar()[:2]),
        "day": local.isoformat(),
        "agency": inspection.agency.code,
        "parish": site.parish,
        "venue_type": site.venue_type or "none",
        "joint": "true" if inspection.operation_id else "false",
        "status": inspection.status,
        "operation": inspection.operation.name if inspection.operation_id else None,
    }[dim]


def _expected(measures, by, period, where):
    """The figures, counted in Python from the records (the definition, not the engine)."""
    groups: dict[tuple, list[Inspection]] = {}
    everything = []
    for inspection in Inspection.objects.select_related("site", "agency", "operation").filter(
        status__in=RECORD_STATUSES
    ):
        local = inspection.planned_start.astimezone(MACAU).date()
        if (period[0] and local < period[0]) or (period[1] and local > period[1]):
            continue
        if where and _key(inspection, where[0]) not in where[1]:
            continue
        everything.append(inspection)
        groups.setdefault(tuple(_key(inspection, d) for d in by), []).append(inspection)

    def figures(rows):
        conducted = [i for i in rows if i.status in CONDUCTED]
        return {
            "inspections": len(conducted),
            "inspections_no_access": sum(i.status == "no_access" for i in rows),
            "sites_inspected": len({i.site_id for i in conducted}),
            "companies_inspected": len({i.site.operator_id for i in conducted} - {None}),
        }

    rows = []
    for key, members in groups.items():
        values = figures(members)
        if any(values[m] for m in measures):
            rows.append({**dict(zip(by, key, strict=True)), **{m: values[m] for m in measures}})
    totals = {m: value for m, value in figures(everything).items() if m in measures}
    return (rows if by else [totals]), totals


def _sorted(rows, by):
    return sorted(rows, key=lambda r: tuple(str(r[d]) for d in by))


def _check_paths(world, rows, asked):
    """Store ``rows``, refresh, and compare every query of ``asked`` (automatic path and the
    records) with the figures counted in Python."""
    with transaction.atomic():
        for site, agency, category, status, moment, joint in rows:
            Inspection.objects.create(
                site=world["sites"][site],
                agency=world["agencies"][agency],
                category=category,
                status=status,
                template_version=world["version"],
                planned_start=MOMENTS[moment],
                planned_end=MOMENTS[moment] + dt.timedelta(hours=1),
                operation=world["operation"] if joint else None,
            )
        rollup_refresh()
        assert rollup_check(source="inspections").ok
        for measures, by, period, where in asked:
            filters = {where[0]: where[1]} if where else {}
            expected_rows, expected_totals = _expected(measures, by, period, where)
            for prefer in ("auto", "raw"):
                result = aggregate(
                    Query(
                        measures=measures,
                        by=by,
                        filters=filters,
                        date_from=period[0],
                        date_to=period[1],
                        prefer=prefer,
                    )
                )
                assert _sorted(result.rows, by) == _sorted(expected_rows, by), (prefer, result.level)
                assert result.totals == expected_totals, (prefer, result.level)
        transaction.set_rollback(True)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=records, asked=queries)
def test_every_path_answers_as_the_records_say(world, rows, asked):
    _check_paths(world, rows, asked)


def _timed_queries(time):
    """Breakdowns by ``time`` (week or day) and up to two other dimensions (the stored distinct
    counts per period, or the weekly per-site rollup, or the records), over whole weeks, weeks
    with edges, or days only."""
    return st.lists(
        st.tuples(
            st.lists(st.sampled_from(MEASURES), min_size=1, max_size=2, unique=True),
            st.lists(st.sampled_from(DIMENSIONS[5:]), max_size=2, unique=True).map(lambda d: [time, *d]),
            st.sampled_from(PERIODS),
            wheres,
        ),
        min_size=3,
        max_size=3,
    )


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=records, asked=_timed_queries("week"))
def test_every_weekly_path_answers_as_the_records_say(world, rows, asked):
    _check_paths(world, rows, asked)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=records, asked=_timed_queries("day"))
def test_every_daily_path_answers_as_the_records_say(world, rows, asked):
    _check_paths(world, rows, asked)


def test_distinct_counts_by_month_read_the_per_site_rollup(world):
    site = world["sites"][0]
    for moment in (MOMENTS[2], MOMENTS[3], MOMENTS[4]):
        Inspection.objects.create(
            site=site,
            agency=world["agencies"][0],
            category="prostitution_trafficking",
            status="closed",
            template_version=world["version"],
            planned_start=moment,
            planned_end=moment + dt.timedelta(hours=1),
        )
    rollup_refresh()
    # One site, inspected on 30 January and twice on 1 February (Macau time): a row a month.
    assert InspectionSiteMonthRollup.objects.count() == 2
    result = aggregate(Query(measures=["sites_inspected", "inspections"], by=["month"]))
    assert (result.used, result.level) == ("rollup", "month")
    assert result.rows == [
        {"month": "2022-01", "sites_inspected": 1, "inspections": 1},
        {"month": "2022-02", "sites_inspected": 1, "inspections": 2},
    ]
    assert result.totals == {"sites_inspected": 1, "inspections": 3}


def test_distinct_counts_by_week_or_day_read_their_rollups_and_the_edges_the_records(world):
    sites = world["sites"]
    for site, moment in ((0, MOMENTS[2]), (1, MOMENTS[3]), (0, MOMENTS[4]), (2, MOMENTS[4])):
        Inspection.objects.create(
            site=sites[site],
            agency=world["agencies"][0],
            category="prostitution_trafficking",
            status="closed",
            template_version=world["version"],
            planned_start=moment,
            planned_end=moment + dt.timedelta(hours=1),
        )
    rollup_refresh()
    assert rollup_check(source="inspections").ok
    # 30 January (a Sunday, week 4), 1 February twice (week 5, with 1 February's other site).
    by_week = aggregate(Query(measures=["sites_inspected", "inspections"], by=["week"]))
    assert (by_week.used, by_week.level) == ("rollup", "week_distinct")
    assert by_week.rows == [
        {"week": "2022-W04", "sites_inspected": 1, "inspections": 1},
        {"week": "2022-W05", "sites_inspected": 3, "inspections": 3},
    ]
    assert by_week.totals == {"sites_inspected": 3, "inspections": 4}
    by_day = aggregate(Query(measures=["companies_inspected"], by=["day", "parish"]))
    assert by_day.level == "day"
    assert by_day.rows == [
        {"day": "2022-01-30", "parish": "se", "companies_inspected": 1},
        {"day": "2022-02-01", "parish": "fatima", "companies_inspected": 1},
        {"day": "2022-02-01", "parish": "se", "companies_inspected": 2},
    ]
    assert by_day.totals == {"companies_inspected": 2}
    # A period of days: whole weeks or months from the rollups, the edges from the records.
    edges = aggregate(Query(measures=["sites_inspected"], by=["month"], date_from=dt.date(2022, 1, 30)))
    assert edges.level == "month"
    assert edges.rows == [
        {"month": "2022-01", "sites_inspected": 1},
        {"month": "2022-02", "sites_inspected": 3},
    ]
    assert edges.totals == {"sites_inspected": 3}


def _inspect(world, site, moment, *, agency=0, status="closed"):
    return Inspection.objects.create(
        site=world["sites"][site],
        agency=world["agencies"][agency],
        category="prostitution_trafficking",
        status=status,
        template_version=world["version"],
        planned_start=moment,
        planned_end=moment + dt.timedelta(hours=1),
    )


def test_distinct_counts_by_week_read_the_per_week_counts_kept_by_every_refresh(world):
    # Week 4 of 2022: 30 January (Sunday). Week 5: 31 January to 1 February.
    _inspect(world, 0, MOMENTS[2])
    _inspect(world, 1, MOMENTS[3])
    _inspect(world, 0, MOMENTS[4], agency=1)
    rollup_refresh(full=True)
    assert InspectionWeekDistinct.objects.filter(dimension="").count() == 2

    def ask(**kwargs):
        result = aggregate(Query(measures=["sites_inspected", "companies_inspected"], **kwargs))
        expected_rows, expected_totals = _expected(
            ["sites_inspected", "companies_inspected"],
            kwargs.get("by", []),
            (kwargs.get("date_from"), kwargs.get("date_to")),
            next(iter(kwargs.get("filters", {}).items()), None),
        )
        assert _sorted(result.rows, kwargs["by"]) == _sorted(expected_rows, kwargs["by"])
        assert result.totals == expected_totals
        return result

    assert ask(by=["week"]).level == "week_distinct"
    assert ask(by=["week", "parish"]).level == "week_distinct"
    assert ask(by=["week"], filters={"agency": ["DSAL"]}).level == "week_distinct"
    # A period of days: the whole week 5 stored, the end of week 4 from the records.
    edged = ask(by=["week", "agency"], date_from=dt.date(2022, 1, 30))
    assert edged.level == "week_distinct"
    assert [r["week"] for r in edged.rows] == ["2022-W04", "2022-W05", "2022-W05"]
    # Two dimensions: their stored pairs.
    assert ask(by=["week", "parish", "agency"]).level == "week_distinct"
    assert ask(by=["week", "parish"], filters={"agency": ["PSP"]}).level == "week_distinct"
    # Three dimensions, or two values of one: the weekly per-site rollup.
    assert ask(by=["week", "parish", "agency", "joint"]).level == "week"
    assert ask(by=["week"], filters={"parish": ["se", "fatima"]}).level == "week"
    # A new inspection queued for its day: its week's counts are rebuilt with the day.
    _inspect(world, 2, MOMENTS[4])
    rollup_refresh(days=[dt.date(2022, 2, 1)])
    assert rollup_check(source="inspections").ok
    assert ask(by=["week"]).rows[-1] == {"week": "2022-W05", "sites_inspected": 3, "companies_inspected": 2}
    # A count out of step with the records is found by the check.
    InspectionWeekDistinct.objects.filter(dimension="", week=dt.date(2022, 1, 31)).update(sites=9)
    check = rollup_check(source="inspections")
    assert [d["level"] for d in check.differences] == ["week-distinct"]


def test_until_a_full_build_fills_them_weeks_read_the_per_site_rollup(world):
    _inspect(world, 0, MOMENTS[2])
    rollup_refresh(full=True)

    def level(*by):
        result = aggregate(Query(measures=["sites_inspected"], by=list(by)))
        return result.level or result.used

    RollupClock.objects.filter(key=WEEK_DISTINCT_CLOCK).delete()  # as the migration leaves it
    assert level("week") == "week"
    RollupClock.objects.filter(key=DISTINCT_PAIRS_CLOCK).delete()
    assert (level("week", "parish", "agency"), level("day", "parish", "agency")) == ("week", "raw")
    assert level("day", "parish") == "day"  # one dimension: stored before the pairs came
    rollup_refresh(full=True)
    assert (level("week"), level("week", "parish", "agency")) == ("week_distinct", "week_distinct")
    assert level("day", "parish", "agency") == "day"


def test_distinct_counts_by_day_and_two_dimensions_read_the_stored_pairs(world):
    _inspect(world, 0, MOMENTS[4])
    _inspect(world, 1, MOMENTS[3])
    _inspect(world, 2, MOMENTS[4], agency=1)
    _inspect(world, 0, MOMENTS[2], agency=1)
    rollup_refresh(full=True)
    asked = Query(measures=["sites_inspected", "companies_inspected"], by=["day", "parish", "agency"])
    result = aggregate(asked)
    assert result.level == "day"
    assert [tuple(r.values()) for r in result.rows] == [
        ("2022-01-30", "se", "DSAL", 1, 1),
        ("2022-02-01", "fatima", "PSP", 1, 1),
        ("2022-02-01", "se", "DSAL", 1, 1),
        ("2022-02-01", "se", "PSP", 1, 1),
    ]
    assert result.totals == {"sites_inspected": 3, "companies_inspected": 2}
    # A reader scoped to an agency: the pair of the agency and the one dimension asked for.
    psp = world["agencies"][0].pk
    scoped = aggregate(Query(measures=["sites_inspected"], by=["day", "parish"]), agency_scope=psp)
    assert scoped.level == "day"
    assert scoped.rows == [
        {"day": "2022-02-01", "parish": "fatima", "sites_inspected": 1},
        {"day": "2022-02-01", "parish": "se", "sites_inspected": 1},
    ]
