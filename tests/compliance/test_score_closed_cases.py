"""The score's T (days late rectifying) stops counting when the case is closed. A case closed
before its deadline (no action needed, or a penalty decided early) went on counting days late
from its deadline every time the score was computed again, up to 10 points, as if the company
were still expected to rectify: the register ranked a company worse for a case the labour bureau
had already decided."""

from __future__ import annotations

import datetime as dt

import time_machine

from backend.compliance import services
from backend.compliance.models import ComplianceCase
from backend.inspections.models import Finding


def _case_with_notice(joint, bob, carol) -> ComplianceCase:
    construction = joint.submit_construction(bob)
    services.submission_approve(user=carol.user, submission=construction.submission)
    findings = list(
        Finding.objects.filter(submission=construction.submission, violation_code__in=("V-02", "V-04"))
    )
    case = services.case_open(user=carol.user, findings=findings, reason="Outside the job.")
    return services.case_notice_issue(user=carol.user, case=case)


def _late_after_deadline(case: ComplianceCase, days: int, company) -> dict:
    after = dt.datetime.combine(case.deadline + dt.timedelta(days=days), dt.time(12), tzinfo=dt.UTC)
    with time_machine.travel(after, tick=False):
        return services.company_score_compute(company=company).factors


def test_a_case_closed_before_its_deadline_counts_no_days_late(joint, bob, carol):
    case = _case_with_notice(joint, bob, carol)
    services.case_decide(user=carol.user, case=case, outcome="closed", reason="Permit shown later.")
    factors = _late_after_deadline(case, 6, joint.contractor)
    assert factors["days_late"] == [0] and factors["T"] == 0


def test_a_case_closed_after_its_deadline_counts_the_days_to_its_closing(joint, bob, carol):
    case = _case_with_notice(joint, bob, carol)
    closing = dt.datetime.combine(case.deadline + dt.timedelta(days=2), dt.time(12), tzinfo=dt.UTC)
    with time_machine.travel(closing, tick=False):
        services.case_decide(
            user=carol.user, case=case, outcome="penalty", reason="Not rectified.", penalty_amount="5000"
        )
    factors = _late_after_deadline(case, 8, joint.contractor)
    assert factors["days_late"] == [2] and factors["T"] == 2


def test_an_open_case_still_counts_to_today(joint, bob, carol):
    case = _case_with_notice(joint, bob, carol)
    factors = _late_after_deadline(case, 3, joint.contractor)
    assert factors["days_late"] == [3] and factors["T"] == 3
