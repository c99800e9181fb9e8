"""The compliance score: the documented formula, and what it writes to the sites' risk."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from backend.compliance import services
from backend.compliance.scoring import ScoredCase, ScoredFinding, compute_score, risk_from_score
from tests import factories

TODAY = dt.date(2024, 6, 1)


def _f(severity, code="V-08", inspection=1):
    return ScoredFinding(severity=severity, violation_code=code, inspection_id=inspection)


def test_clean_record_scores_100():
    result = compute_score(today=TODAY, inspections=3, findings=[], cases=[])
    assert result.score == Decimal("100.00")
    assert result.factors["inspections"] == 3 and result.factors["F"] == "0.00"


def test_findings_by_severity_are_averaged_per_inspection():
    findings = [_f("low"), _f("medium", "V-09"), _f("high", "V-10"), _f("critical", "V-11")]  # 37 points
    assert compute_score(today=TODAY, inspections=1, findings=findings, cases=[]).score == Decimal("63.00")
    assert compute_score(today=TODAY, inspections=2, findings=findings, cases=[]).score == Decimal("81.50")


def test_findings_factor_is_capped_at_70():
    findings = [_f("critical", f"V-{i:02d}") for i in range(10)]
    assert compute_score(today=TODAY, inspections=1, findings=findings, cases=[]).score == Decimal("30.00")


def test_repeat_violations_cost_10_each_up_to_20():
    findings = [_f("low", "V-08", 1), _f("low", "V-08", 2), _f("low", "V-09", 1), _f("low", "V-09", 2)]
    result = compute_score(today=TODAY, inspections=2, findings=findings, cases=[])
    assert result.factors["repeat_violations"] == ["V-08", "V-09"] and result.factors["R"] == 20
    assert result.score == Decimal("76.00")  # 100 - 8/2 - 20
    same_visit = [_f("low", "V-08", 1), _f("low", "V-08", 1)]
    assert compute_score(today=TODAY, inspections=1, findings=same_visit, cases=[]).factors["R"] == 0


def test_time_to_rectify_counts_days_late_capped():
    cases = [
        ScoredCase(
            deadline=TODAY - dt.timedelta(days=30), rectified_on=TODAY - dt.timedelta(days=27)
        ),  # 3 late
        ScoredCase(
            deadline=TODAY - dt.timedelta(days=10), rectified_on=TODAY - dt.timedelta(days=12)
        ),  # on time
        ScoredCase(deadline=TODAY - dt.timedelta(days=40), rectified_on=None),  # 40 late, capped at 10
    ]
    result = compute_score(today=TODAY, inspections=1, findings=[], cases=cases)
    assert result.factors["days_late"] == [3, 0, 40] and result.factors["T"] == 13
    assert result.score == Decimal("87.00")


def test_score_never_goes_below_zero_and_risk_is_its_complement():
    findings = [_f("critical", f"V-{i:02d}", n) for i in range(10) for n in (1, 2)]
    cases = [ScoredCase(deadline=TODAY - dt.timedelta(days=99), rectified_on=None)] * 3
    result = compute_score(today=TODAY, inspections=1, findings=findings, cases=cases)
    assert result.score == Decimal("0.00")
    assert risk_from_score(Decimal("61.00")) == Decimal("39.00")


def test_site_risk_is_the_worst_of_operator_and_contractor(db):
    good = factories.company(kind="operator")
    bad = factories.company(kind="contractor")
    site = factories.site(kind="construction_site", operator=good, contractor=bad, opening_hours=[])
    from django.utils import timezone

    from backend.compliance.models import ComplianceScore

    ComplianceScore.objects.create(
        company=bad,
        computed_at=timezone.now(),
        window_start=TODAY,
        window_end=TODAY,
        score=Decimal("40.00"),
        factors={},
    )
    services.company_score_compute(company=good)
    site.refresh_from_db()
    assert site.risk_score == Decimal("60.00")
    assert {c["score"] for c in site.risk_factors["companies"]} == {"100.00", "40.00"}


def test_score_task_is_safe_for_a_missing_company(db):
    from backend.compliance.tasks import score_recompute

    score_recompute.apply(kwargs={"company_id": 987654}, throw=True)
