"""Findings by inspection category come from the findings rollup.

The dashboard's category filter applies to its findings panels too, and findings' category is
their inspection's: those panels read the findings joined to their inspections, the only panels
of the dashboard that left the rollups. The findings rollup now has the category; it is used once
a full build filled it (RollupClock "finding_category", set by the migration on a database
without rollups), and gives exactly the records' figures."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import transaction

from backend.reporting.models import FindingRollup, RollupClock
from backend.reporting.services import rollup_check, rollup_refresh
from backend.reporting.statistics import FINDING_CATEGORY_CLOCK, Query, aggregate

pytestmark = pytest.mark.django_db

PERIOD = {"date_from": dt.date(2021, 1, 1), "date_to": dt.date(2023, 12, 31)}
MEASURES = ["findings", "findings_awaiting_review", "potential_victims"]


@pytest.fixture(scope="module")
def built(history, django_db_blocker):
    """The history with its rollups fully built, once for the module, in a savepoint of the
    history's transaction rolled back after the module (the history is shared by the session's
    modules that read it: the next one starts without these rollups). Each test starts from
    it, in a savepoint of its own."""
    with django_db_blocker.unblock():
        savepoint = transaction.savepoint()
        rollup_refresh(full=True)
    yield history
    with django_db_blocker.unblock():
        transaction.savepoint_rollback(savepoint)


def _ask(prefer: str, **kwargs):
    return aggregate(Query(measures=MEASURES, prefer=prefer, **PERIOD, **kwargs))


@pytest.mark.parametrize(
    "shape",
    [
        {"filters": {"category": ["illegal_employment"]}},
        {"filters": {"category": ["illegal_employment"]}, "by": ["year", "severity"]},
        {"filters": {"category": ["prostitution_trafficking", "construction_preventive"]}, "by": ["month"]},
        {"by": ["category", "agency"]},
    ],
)
def test_findings_by_category_come_from_the_rollup_with_the_records_figures(built, shape):
    assert RollupClock.objects.filter(key=FINDING_CATEGORY_CLOCK).exists()
    from_rollup, from_records = _ask("auto", **shape), _ask("raw", **shape)
    assert from_rollup.used == "rollup"
    assert from_records.used == "raw"
    assert from_rollup.totals == from_records.totals
    assert from_rollup.rows == from_records.rows
    assert from_rollup.totals["findings"] > 0


def test_until_a_full_build_filled_the_category_the_records_answer(built):
    RollupClock.objects.filter(key=FINDING_CATEGORY_CLOCK).delete()
    FindingRollup.objects.update(category="")  # as the migration leaves an existing rollup
    shape = {"filters": {"category": ["illegal_employment"]}}
    answer = _ask("auto", **shape)
    assert answer.used == "raw"
    assert answer.totals == _ask("raw", **shape).totals
    rollup_refresh(full=True)
    assert _ask("auto", **shape).used == "rollup"


def test_the_rollup_check_compares_the_category_too(built):
    assert rollup_check(source="findings").ok
    FindingRollup.objects.filter(category="illegal_employment").update(category="other")
    assert not rollup_check(source="findings").ok


def test_an_inspections_new_category_reaches_its_findings_rollup_without_a_full_build(built):
    """A finding's category is its inspection's: an inspection saved with another category moves
    the signature of its findings' days, so the next incremental refresh rebuilds them (the
    rollups-equal-raw property test found the findings' day left with the old category)."""
    from backend.inspections.models import Finding

    finding = Finding.objects.exclude(status=Finding.Status.WITHDRAWN).select_related("inspection").first()
    inspection = finding.inspection
    inspection.category = next(
        c for c in ("illegal_employment", "employment_agency") if c != inspection.category
    )
    inspection.save()
    rollup_refresh()  # incremental: the changed days found by their signatures
    check = rollup_check(source="findings")
    assert check.ok, check.differences
