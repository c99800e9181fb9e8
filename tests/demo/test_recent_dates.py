"""The demo's visits of the past months are dated as they happened, not by the day the demo was
loaded. Statistics date a finding by the day its submission reached the server; the demo's
recent visits were submitted through the real ingest at load time, so every finding of the
current year fell on the load day (``/statistics/?from=2026&to=2026&category=illegal_employment``:
15 inspections from March to December, all 12 findings in December) and every review with it.
Now the phone synced as the visit ended and each agency reviewed within the week."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.contrib.auth import get_user_model

from backend.compliance.models import Review
from backend.demo.work import RECENT_DAYS
from backend.inspections.models import Finding
from backend.reporting.selectors import statistics_aggregate
from backend.reporting.statistics import Query

pytestmark = pytest.mark.django_db


def _recent_findings(demo: Any) -> list[Finding]:
    """Findings of the recent visits: past ones (a week or more ago), after the history's years."""
    found = list(
        Finding.objects.filter(
            status=Finding.Status.OFFICIAL,
            inspection__planned_start__gte=demo.now - dt.timedelta(days=RECENT_DAYS + 2),
            inspection__planned_start__lt=demo.now - dt.timedelta(days=6),
        ).select_related("inspection", "submission")
    )
    assert len(found) > 10, "the demo's recent visits found too little to tell"
    return found


def test_recent_findings_are_dated_by_their_visit(demo):
    for finding in _recent_findings(demo):
        lag = finding.local_day - finding.inspection.local_day
        assert dt.timedelta(0) <= lag <= dt.timedelta(days=1), (finding.pk, finding.created_at)
        assert finding.submission.received_at == finding.created_at


def test_recent_reviews_follow_their_visits_within_the_week(demo):
    submissions = {f.submission_id: f.submission for f in _recent_findings(demo)}
    reviews = list(Review.objects.filter(submission__in=submissions))
    assert reviews
    for review in reviews:
        received = submissions[review.submission_id].received_at
        assert received < review.decided_at <= min(received + dt.timedelta(days=7), demo.now), review.pk
    assert len({r.decided_at.date() for r in reviews}) > 3, "reviewed all on one day"


def test_the_statistics_spread_recent_findings_over_the_months_of_their_visits(demo):
    recent = _recent_findings(demo)
    start = min(f.inspection.local_day for f in recent).replace(day=1)
    analyst = get_user_model().objects.get(username="demo-analyst")
    query = Query(measures=["findings"], by=["month"], date_from=start, date_to=demo.now.date())
    result = statistics_aggregate(user=analyst, query=query)
    months = {str(r["month"]) for r in result.rows if r["findings"]}
    visited = {f.inspection.local_day.strftime("%Y-%m") for f in recent}
    assert visited <= months, (visited, months)
    assert len(months) > 3, months
