"""Publication: a frozen period keeps its figures as published, and a later correction shows as
a difference; small counts of people are suppressed on publication."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command

from backend.reporting.models import PublishedReport
from backend.reporting.report import report_figures
from backend.reporting.services import report_publish, rollup_refresh
from backend.reporting.statistics import Query, Result, suppress
from tests import factories
from tests.conftest import signed_in
from tests.reporting.conftest import LOCAL

pytestmark = pytest.mark.django_db
AT = dt.datetime(2021, 6, 1, 22, 0, tzinfo=LOCAL)


@pytest.fixture
def venue(db):
    return factories.site("venue", parish="se")


def _figure(figures, figure_id):
    return next(f for f in figures if f.id == figure_id)


def test_a_correction_after_publication_shows_as_a_difference(venue, record, andy, api):
    first = [record(venue, "PSP", "prostitution_trafficking", at=AT) for _ in range(4)]
    rollup_refresh()
    published = report_publish(year_from=2021, year_to=2021, actor=andy.user)
    assert published.figures["police_inspections_prostitution_trafficking"] == 4

    record(venue, "PSP", "prostitution_trafficking", at=AT)  # recorded late
    first[0].status = "cancelled"  # and one found never to have happened
    first[0].save()
    record(venue, "PSP", "prostitution_trafficking", at=AT)
    rollup_refresh()

    figure = _figure(
        report_figures(year_from=2021, year_to=2021), "police_inspections_prostitution_trafficking"
    )
    assert (figure.value, figure.current, figure.difference) == (4, 5, 1)
    unchanged = _figure(report_figures(year_from=2021, year_to=2021), "dsal_employment_agency_inspections")
    assert unchanged.value == 0 and not unchanged.changed
    body = api.as_(andy).get("/api/v1/statistics/report/2021-2021/").json()
    api_figure = next(f for f in body["figures"] if f["id"] == "police_inspections_prostitution_trafficking")
    assert (api_figure["value"], api_figure["current"], api_figure["difference"]) == (4, 5, 1)
    # Another period is live.
    live = _figure(
        report_figures(year_from=2020, year_to=2021), "police_inspections_prostitution_trafficking"
    )
    assert live.value == 5 and not live.changed


def test_per_year_figures_show_their_differences_by_year(db):
    published = PublishedReport.objects.create(
        year_from=2019,
        year_to=2019,
        figures={"cases_transferred_to_mp": [{"year": 2019, "cases": 2}]},
        suppression_threshold=3,
        published_at=dt.datetime(2020, 1, 1, tzinfo=LOCAL),
    )
    figure = _figure(report_figures(year_from=2019, year_to=2019), "cases_transferred_to_mp")
    assert figure.value == published.figures["cases_transferred_to_mp"]
    assert figure.current == [] and figure.difference == [{"year": 2019, "cases": -2}]


def test_a_period_is_published_once(venue, record, api, andy, paula):
    assert api.as_(paula).post("/api/v1/statistics/report/2021-2021/publish/").status_code == 403
    response = api.as_(andy).post("/api/v1/statistics/report/2021-2021/publish/")
    assert response.status_code == 201 and "joint_operations" in response.json()["figures"]
    again = api.as_(andy).post("/api/v1/statistics/report/2021-2021/publish/")
    assert again.status_code == 409 and again.json()["code"] == "report_already_published"


def test_the_report_command_prints_published_figures(venue, record, capsys):
    record(venue, "PSP", "illegal_employment", at=AT)
    rollup_refresh()
    report_publish(year_from=2021, year_to=2021)
    record(venue, "PSP", "illegal_employment", at=AT)
    rollup_refresh()
    call_command("report", "2021", "--format", "text")
    line = next(x for x in capsys.readouterr().out.splitlines() if x.startswith("police_inspections_illegal"))
    assert line.split()[1] == "1" and "now 2, difference 1" in line


def _people(rows):
    return Result(
        query=Query(measures=["referrals"], by=["sex"]),
        source="referrals",
        used="raw",
        rows=rows,
        totals={"referrals": sum(r["referrals"] for r in rows)},
    )


def test_small_counts_of_people_are_suppressed_with_their_total():
    result = suppress(
        _people([{"sex": "F", "referrals": 2}, {"sex": "M", "referrals": 5}, {"sex": "U", "referrals": 0}])
    )
    assert [r["referrals"] for r in result.rows] == [None, 5, 0]  # zero identifies no one
    assert result.totals["referrals"] is None and result.suppressed


def test_the_threshold_is_a_setting(settings):
    settings.STATISTICS_SUPPRESSION_THRESHOLD = 10
    result = suppress(_people([{"sex": "M", "referrals": 5}]))
    assert result.rows[0]["referrals"] is None
    settings.STATISTICS_SUPPRESSION_THRESHOLD = 3
    assert suppress(_people([{"sex": "M", "referrals": 5}])).rows[0]["referrals"] == 5


def test_counts_of_cases_and_calls_are_not_suppressed():
    result = suppress(
        Result(
            query=Query(measures=["transfers"], by=["year"]),
            source="prosecutions",
            used="raw",
            rows=[{"year": 2019, "transfers": 1}],
            totals={"transfers": 1},
        )
    )
    assert result.rows[0]["transfers"] == 1 and not result.suppressed


def test_the_published_report_stores_suppressed_figures(db, settings):
    settings.STATISTICS_SUPPRESSION_THRESHOLD = 3
    published = report_publish(year_from=2022, year_to=2022)
    assert published.figures["victims_using_protection_services"] == 0
    assert published.suppression_threshold == 3


def test_report_facts_are_kept_in_the_admin(db, client, django_user_model):
    from backend.audit.models import AuditEntry
    from backend.reporting.models import ReportFact
    from backend.reporting.services import report_fact_ensure

    fact = report_fact_ensure(key="committee_working_groups", value=6, label_en="Working groups")
    root = django_user_model.objects.create_superuser("root", "root@example.invalid", "correct-horse-battery")
    signed_in(client, root)
    response = client.post(
        f"/admin/reporting/reportfact/{fact.pk}/change/",
        {
            "key": fact.key,
            "label_en": fact.label_en,
            "value": 7,
            "unit": "",
            "source": "",
            "label_zh_hant": "",
            "label_pt": "",
        },
    )
    assert response.status_code == 302
    assert ReportFact.objects.get().value == 7
    assert AuditEntry.objects.filter(object_type="reporting.reportfact").exists()
    report_fact_ensure(key="committee_working_groups", value=6, label_en="Working groups")  # a reload
    assert ReportFact.objects.get().value == 7  # keeps the administrator's edit
    assert _figure(report_figures(year_from=2019, year_to=2023), "committee_working_groups").value == 7
