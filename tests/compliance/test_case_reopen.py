"""Reopening a closed compliance case. An outcome recorded by mistake, or a case closed before the
company's appeal or new evidence, was final: nothing in the services, the API or the pages undid
a closing. A reviewer of the case's agency reopens it now, saying why: the outcome is withdrawn
(kept in the timeline and the audit log), the case goes back to the step it was closed from and
the company's score is computed again."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.utils import translation

from backend.audit.models import AuditEntry
from backend.compliance import services
from backend.compliance.models import CaseEvent, ComplianceCase
from backend.compliance.services import NotAllowed
from backend.core.errors import InvalidInput
from backend.inspections.models import Finding
from backend.outbox.models import OutboxMessage
from backend.planning.models import DueWork


def _case(joint, bob, carol, *, notice: bool = True) -> ComplianceCase:
    construction = joint.submit_construction(bob)
    services.submission_approve(user=carol.user, submission=construction.submission)
    findings = list(
        Finding.objects.filter(submission=construction.submission, violation_code__in=("V-02", "V-04"))
    )
    case = services.case_open(user=carol.user, findings=findings, reason="Outside the job.")
    return services.case_notice_issue(user=carol.user, case=case) if notice else case


def _recomputes(company) -> int:
    return OutboxMessage.objects.filter(
        task_name="compliance.score_recompute", kwargs={"company_id": company.pk}
    ).count()


def test_reopening_withdraws_the_outcome_and_goes_back_to_the_notice(joint, bob, carol):
    case = _case(joint, bob, carol)
    services.case_decide(
        user=carol.user,
        case=case,
        outcome="penalty",
        reason="Not rectified.",
        penalty_amount="5000",
        before_deadline=True,
    )
    closed_at = ComplianceCase.objects.get(pk=case.pk).closed_at
    before = _recomputes(joint.contractor)

    case, reopened = services.case_reopen(user=carol.user, case=case, reason="Penalty recorded by mistake.")

    assert reopened is True
    case.refresh_from_db()
    assert (case.status, case.outcome, case.penalty_amount) == ("notice_issued", "", None)
    assert case.closed_at is None
    assert case.deadline is not None  # the notice's deadline stands
    event = case.events.order_by("-at", "-pk").first()
    assert (event.kind, event.code, event.actor, event.reason) == (
        CaseEvent.Kind.REOPENED,
        "reopened",
        carol.user,
        "Penalty recorded by mistake.",
    )
    assert event.data["outcome"] == "penalty" and event.data["penalty_amount"] == "5000.00"
    with translation.override("en"):
        assert event.message.startswith("Reopened: the outcome “penalty” decided on ")
        assert event.message.endswith("the case is back to “notice issued”.")
    entry = AuditEntry.objects.get(verb="case_reopen", object_id=str(case.uuid))
    assert entry.actor == carol.user
    assert entry.changes["reason"] == "Penalty recorded by mistake."
    assert entry.changes["withdrawn"]["outcome"] == "penalty"
    assert entry.changes["withdrawn"]["closed_at"] == closed_at.isoformat()
    assert _recomputes(joint.contractor) == before + 1


def test_a_case_closed_before_its_notice_goes_back_to_open(joint, bob, carol):
    case = _case(joint, bob, carol, notice=False)
    services.case_decide(user=carol.user, case=case, outcome="closed", reason="Nothing to pursue.")
    case, reopened = services.case_reopen(user=carol.user, case=case, reason="New evidence.")
    assert reopened and case.status == "open" and case.notice_issued_at is None


def test_a_planned_follow_up_keeps_the_case_in_follow_up(joint, bob, carol):
    case = _case(joint, bob, carol)
    due = services.case_follow_up_order(user=carol.user, case=case)
    DueWork.objects.filter(pk=due.pk).update(status=DueWork.Status.PLANNED)  # the planners took it
    services.case_decide(user=carol.user, case=case, outcome="rectified", reason="Seen rectified.")
    case, _ = services.case_reopen(user=carol.user, case=case, reason="The photos were of another site.")
    assert case.status == "follow_up" and case.follow_up_id == due.pk


def test_a_follow_up_the_closing_withdrew_may_be_asked_again(joint, bob, carol):
    """The closing withdrew the follow-up not yet planned: reopened, the case is back to its notice
    without that withdrawn request, so the follow-up can be asked again (it could not: the case
    held a cancelled request, and asking returned it)."""
    case = _case(joint, bob, carol)
    withdrawn = services.case_follow_up_order(user=carol.user, case=case)
    services.case_decide(user=carol.user, case=case, outcome="rectified", reason="Permits shown.")
    case, _ = services.case_reopen(user=carol.user, case=case, reason="The permits were forged.")
    assert (case.status, case.follow_up_id, case.follow_up_requested_at) == ("notice_issued", None, None)
    assert case.events.order_by("-at", "-pk").first().data["follow_up_cleared"] == str(withdrawn.uuid)
    again = services.case_follow_up_order(user=carol.user, case=case)
    assert again.pk != withdrawn.pk and again.status == DueWork.Status.OPEN


def test_a_reopened_case_counts_as_open_in_the_score(joint, bob, carol):
    """Closed as rectified on its deadline the case counts no day late; reopened, it counts to
    today again, as any open case does."""
    case = _case(joint, bob, carol)
    later = dt.datetime.combine(case.deadline + dt.timedelta(days=4), dt.time(12), tzinfo=dt.UTC)
    with time_machine.travel(later, tick=False):
        services.case_decide(
            user=carol.user, case=case, outcome="rectified", reason="Done.", rectified_on=case.deadline
        )
        assert services.company_score_compute(company=joint.contractor).factors["days_late"] == [0]
        services.case_reopen(user=carol.user, case=case, reason="Not rectified after all.")
        assert services.company_score_compute(company=joint.contractor).factors["days_late"] == [4]


def test_a_second_reopen_changes_nothing_and_says_so(joint, bob, carol):
    case = _case(joint, bob, carol)
    services.case_decide(user=carol.user, case=case, outcome="closed", reason="No action.")
    services.case_reopen(user=carol.user, case=case, reason="Appeal.")
    events, audits = case.events.count(), AuditEntry.objects.count()
    recomputes = _recomputes(joint.contractor)
    case, reopened = services.case_reopen(user=carol.user, case=case, reason="Appeal.")
    assert reopened is False and case.status == "notice_issued"
    assert (case.events.count(), AuditEntry.objects.count(), _recomputes(joint.contractor)) == (
        events,
        audits,
        recomputes,
    )


def test_reopening_needs_a_reason_and_writes_nothing_without_one(joint, bob, carol):
    case = _case(joint, bob, carol)
    services.case_decide(user=carol.user, case=case, outcome="closed", reason="No action.")
    with pytest.raises(InvalidInput) as refused:
        services.case_reopen(user=carol.user, case=case, reason="   ")
    assert "reason" in refused.value.errors
    case.refresh_from_db()
    assert case.status == "closed" and case.outcome == "closed"
    assert not AuditEntry.objects.filter(verb="case_reopen").exists()


@pytest.mark.parametrize("who", ["tina", "andy", "percy"])
def test_only_a_reviewer_of_the_case_agency_reopens(joint, bob, carol, who, request):
    case = _case(joint, bob, carol)
    services.case_decide(user=carol.user, case=case, outcome="closed", reason="No action.")
    officer = request.getfixturevalue(who)
    with pytest.raises(NotAllowed):
        services.case_reopen(user=officer.user, case=case, reason="Mine to reopen?")
    assert ComplianceCase.objects.get(pk=case.pk).status == "closed"


# --- The API --------------------------------------------------------------------------------------


def test_the_api_reopens_a_closed_case_once(joint, bob, carol, api):
    case = _case(joint, bob, carol)
    services.case_decide(user=carol.user, case=case, outcome="closed", reason="No action.")
    url = f"/api/v1/cases/{case.uuid}/reopen/"
    r = api.as_(carol).post(url, {"reason": "The company appealed."}, format="json")
    assert r.status_code == 200, r.content
    assert (r.json()["status"], r.json()["outcome"], r.json()["reopened"]) == ("notice_issued", "", True)
    r = api.as_(carol).post(url, {"reason": "The company appealed."}, format="json")
    assert r.status_code == 200 and r.json()["reopened"] is False
    assert case.events.filter(kind="reopened").count() == 1
    timeline = api.as_(carol).get(f"/api/v1/cases/{case.uuid}/").json()["timeline"]
    assert timeline[-1]["code"] == "reopened" and timeline[-1]["why"] == "The company appealed."


def test_the_api_refuses_a_reopen_without_a_reason(joint, bob, carol, api):
    case = _case(joint, bob, carol)
    services.case_decide(user=carol.user, case=case, outcome="closed", reason="No action.")
    for body in ({}, {"reason": "  "}):
        r = api.as_(carol).post(f"/api/v1/cases/{case.uuid}/reopen/", body, format="json")
        assert r.status_code == 400 and r["Content-Type"] == "application/problem+json", r.content
        assert "reason" in r.json()["errors"]
    assert ComplianceCase.objects.get(pk=case.pk).status == "closed"


def test_the_api_hides_another_agency_case_and_refuses_other_roles(joint, bob, carol, percy, andy, api):
    case = _case(joint, bob, carol)
    services.case_decide(user=carol.user, case=case, outcome="closed", reason="No action.")
    url = f"/api/v1/cases/{case.uuid}/reopen/"
    assert api.as_(percy).post(url, {"reason": "x"}, format="json").status_code == 404
    assert api.as_(andy).post(url, {"reason": "x"}, format="json").status_code == 403
    assert ComplianceCase.objects.get(pk=case.pk).status == "closed"
    assert not AuditEntry.objects.filter(verb="case_reopen").exists()
