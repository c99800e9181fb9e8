"""Each rollup equals the raw aggregation after random inserts, updates and deletes, refreshed
incrementally (the days found by their signatures, or named), and after a full rebuild. Runs on
SQLite and on PostgreSQL (DATABASE_URL)."""

from __future__ import annotations

import datetime as dt
import hashlib
import uuid

import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from backend.inspections.models import Finding, Inspection, Operation, Submission
from backend.inspections.services import finding_set_status, operation_create
from backend.outbox.models import OutboxMessage
from backend.reporting.models import InspectionRollup, RollupQueue
from backend.reporting.services import rollup_check, rollup_refresh, rollups_enqueue_for_submission
from tests import factories
from tests.reporting.conftest import LOCAL

pytestmark = pytest.mark.django_db

STATUSES = ["planned", "in_progress", "submitted", "reviewed", "closed", "no_access", "cancelled"]
CATEGORIES = ["prostitution_trafficking", "illegal_employment", "employment_agency"]
BASE = dt.datetime(2021, 12, 30, 0, 0, tzinfo=LOCAL)
# Around midnight and the turn of the year, where a day in UTC is not the local day.
MOMENTS = [BASE + dt.timedelta(days=d, hours=h) for d in range(4) for h in (0, 7, 8, 23)]


@pytest.fixture
def world(template_version):
    agencies = [factories.agency(c) for c in ("PSP", "DSAL", "PJ")]
    sites = [
        factories.site("venue", parish="se"),
        factories.site("venue", parish="fatima"),
        factories.site("employment_agency", parish="santo_antonio", opening_hours=[]),
    ]
    officer = factories.officer("PSP")
    operation = operation_create(
        actor=None,
        name="Op",
        lead_agency=agencies[0],
        starts_at=BASE,
        ends_at=BASE + dt.timedelta(days=5),
        reveal_at=BASE,
        status=Operation.Status.CLOSED,
    )
    return {
        "agencies": agencies,
        "sites": sites,
        "officer": officer,
        "operation": operation,
        "version": template_version,
    }


insert = st.tuples(
    st.just("insert"),
    st.integers(0, 2),  # site
    st.integers(0, 2),  # agency
    st.sampled_from(CATEGORIES),
    st.sampled_from(STATUSES),
    st.integers(0, len(MOMENTS) - 1),
    st.booleans(),  # in the operation
)
update = st.tuples(
    st.just("update"),
    st.integers(0, 10_000),  # which inspection
    st.sampled_from(["status", "moment", "category", "agency", "operation"]),
    st.integers(0, 10_000),  # the new value, by index
)
delete = st.tuples(st.just("delete"), st.integers(0, 10_000))
finding = st.tuples(
    st.just("finding"), st.integers(0, 10_000), st.sampled_from(["low", "high"]), st.booleans()
)
review = st.tuples(
    st.just("review"), st.integers(0, 10_000), st.sampled_from(["official", "rejected", "withdrawn"])
)
refresh = st.tuples(st.just("refresh"))
steps = st.lists(st.one_of(insert, insert, update, delete, finding, review, refresh), min_size=1, max_size=30)


def _submission(world, inspection):
    return Submission.objects.create(
        uuid=uuid.uuid4(),
        inspection=inspection,
        officer=world["officer"],
        template_version=world["version"],
        answers={},
        content_digest=hashlib.sha256(b"x").hexdigest(),
        device_submitted_at=timezone.now(),
    )


def _apply(world, step):
    kind = step[0]
    inspections = list(Inspection.objects.order_by("pk"))
    if kind == "insert":
        _, site, agency, category, status, moment, joint = step
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
    elif kind == "update" and inspections:
        _, which, field, value = step
        inspection = inspections[which % len(inspections)]
        if field == "status":
            inspection.status = STATUSES[value % len(STATUSES)]
        elif field == "moment":
            inspection.planned_start = MOMENTS[value % len(MOMENTS)]
            inspection.planned_end = inspection.planned_start + dt.timedelta(hours=1)
        elif field == "category":
            inspection.category = CATEGORIES[value % len(CATEGORIES)]
        elif field == "agency":
            inspection.agency = world["agencies"][value % 3]
        else:
            inspection.operation = None if inspection.operation_id else world["operation"]
        inspection.save()
    elif kind == "delete" and inspections:
        inspection = inspections[step[1] % len(inspections)]
        Finding.objects.filter(inspection=inspection).delete()
        Submission.objects.filter(inspection=inspection).delete()
        inspection.delete()
    elif kind == "finding" and inspections:
        _, which, severity, victim = step
        inspection = inspections[which % len(inspections)]
        submission = _submission(world, inspection)
        Finding.objects.create(
            submission=submission,
            inspection=inspection,
            rule_code="r",
            violation_code="V-01",
            severity=severity,
            legal_basis="Law",
            competent_agency=world["agencies"][which % 3],
            competent_agency_code="X",
            potential_victim=victim,
        )
    elif kind == "review":
        findings = list(Finding.objects.order_by("pk"))
        if findings:
            finding_set_status(findings=[findings[step[1] % len(findings)]], status=step[2])
    elif kind == "refresh":
        rollup_refresh()


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=steps)
def test_rollups_equal_the_raw_aggregation_after_random_changes(world, steps):
    with transaction.atomic():
        for step in steps:
            _apply(world, step)
        rollup_refresh()  # incremental: finds the changed days by their signatures
        for source in ("inspections", "findings"):
            check = rollup_check(source=source)
            assert check.ok, (source, check.differences)
        rollup_refresh(full=True)
        assert rollup_check(source="inspections").ok and rollup_check(source="findings").ok
        transaction.set_rollback(True)


def test_only_inspections_of_record_enter_the_rollup(world, record):
    site = world["sites"][0]
    for status in STATUSES:
        record(site, "PSP", "prostitution_trafficking", at=MOMENTS[0], status=status)
    rollup_refresh()
    assert sorted(InspectionRollup.objects.values_list("status", flat=True)) == sorted(
        ["in_progress", "submitted", "reviewed", "closed", "no_access"]
    )


def test_named_days_are_rebuilt_without_a_scan(world, record):
    inspection = record(world["sites"][0], "PSP", "prostitution_trafficking", at=MOMENTS[5])
    rollup_refresh()
    Inspection.objects.filter(pk=inspection.pk).update(status="reviewed")
    rollup_refresh(days=[MOMENTS[5].date()])
    assert InspectionRollup.objects.get().status == "reviewed"


def test_the_findings_hook_queues_its_days_in_the_ingest_transaction(world, record):
    inspection = record(world["sites"][0], "PSP", "prostitution_trafficking", at=MOMENTS[3])
    submission = _submission(world, inspection)
    rollups_enqueue_for_submission(submission=submission, findings=[], actor=None)
    assert MOMENTS[3].date() in set(RollupQueue.objects.values_list("day", flat=True))
    assert not OutboxMessage.objects.filter(task_name="reporting.refresh_rollups").exists()


def test_rollups_command_checks_and_refreshes(world, record, capsys):
    record(world["sites"][0], "PSP", "prostitution_trafficking", at=MOMENTS[1])
    with pytest.raises(Exception, match="differ"):
        call_command("rollups", "check")
    call_command("rollups", "refresh")
    call_command("rollups", "check")
    assert "0 differences" in capsys.readouterr().out


def test_whole_months_are_answered_from_the_monthly_rollup(world, record):
    from backend.reporting.statistics import Query, aggregate

    site = world["sites"][0]
    for day in (dt.date(2022, 1, 31), dt.date(2022, 2, 1), dt.date(2022, 2, 20), dt.date(2022, 3, 1)):
        record(
            site,
            "PSP",
            "prostitution_trafficking",
            at=dt.datetime.combine(day, dt.time(23, 30), tzinfo=LOCAL),
        )
    rollup_refresh()

    def ask(date_to, prefer="auto", by=("month",)):
        return aggregate(
            Query(
                measures=["inspections"],
                by=list(by),
                date_from=dt.date(2022, 1, 1),
                date_to=date_to,
                prefer=prefer,
            )
        )

    months = ask(dt.date(2022, 2, 28))
    assert months.level == "month"
    assert months.rows == [{"month": "2022-01", "inspections": 1}, {"month": "2022-02", "inspections": 2}]
    assert months.rows == ask(dt.date(2022, 2, 28), prefer="raw").rows
    part = ask(dt.date(2022, 2, 15))
    assert part.level == "day" and part.totals["inspections"] == 2
    assert ask(dt.date(2022, 3, 31), by=("week",)).level == "day"
    assert rollup_check(source="inspections", date_from=dt.date(2022, 1, 15), date_to=dt.date(2022, 2, 28)).ok
