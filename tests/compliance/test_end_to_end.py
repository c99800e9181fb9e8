"""A joint visit from the field to the follow-up, as the issue's "done when" tells it."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import time_machine
from django.utils import formats, timezone, translation

from backend.compliance import services
from backend.compliance.models import ComplianceCase, ComplianceScore, Violation
from backend.inspections.models import Finding
from backend.planning.models import DueWork
from backend.planning.selectors import due_work_open
from tests import factories


def test_joint_visit_to_follow_up(joint, alice, bob, carol, percy, api):
    construction = joint.submit_construction(bob)
    screening = joint.submit_screening(alice)
    agencies = {f.competent_agency_code for f in construction.findings}
    assert agencies == {"PSP", "DSAL"}  # one submission, findings for two agencies

    # Before any approval the contractor's record is clean: nothing is official yet.
    assert services.company_score_compute(company=joint.contractor).score == Decimal("100.00")

    # Each agency sees its own findings in its queue...
    carol_queue = api.as_(carol).get("/api/v1/review/findings/").json()["results"]
    assert sorted(f["violation_code"] for f in carol_queue) == ["V-02", "V-04", "V-12"]
    percy_queue = api.as_(percy).get("/api/v1/review/findings/").json()["results"]
    assert sorted(f["violation_code"] for f in percy_queue) == ["V-01", "V-13"]

    # ...approves its own, and cannot approve the other's (404: not in its scope at all).
    sub = construction.submission.uuid
    assert (
        api.as_(carol).post(f"/api/v1/review/submissions/{sub}/approve/", {}, format="json").status_code
        == 201
    )
    other = api.as_(carol).post(
        f"/api/v1/review/submissions/{screening.submission.uuid}/approve/", {}, format="json"
    )
    assert other.status_code == 404
    statuses = {
        f.violation_code: f.status for f in Finding.objects.filter(submission=construction.submission)
    }
    assert statuses == {"V-01": "draft", "V-02": "official", "V-04": "official", "V-12": "official"}
    assert (
        api.as_(percy).post(f"/api/v1/review/submissions/{sub}/approve/", {}, format="json").status_code
        == 201
    )
    assert Finding.objects.get(submission=construction.submission, violation_code="V-01").status == "official"

    # Score after approval: F = (medium 5 + high 10 + high 10 + high 10) / 1 inspection = 35.
    score = services.company_score_compute(company=joint.contractor)
    assert score.score == Decimal("65.00")
    assert score.factors["findings"] == {"low": 0, "medium": 1, "high": 3, "critical": 0}
    assert (score.factors["F"], score.factors["R"], score.factors["T"]) == ("35.00", 0, 0)
    joint.site.refresh_from_db()
    assert joint.site.risk_score == Decimal("35.00")
    assert joint.site.risk_factors["source"] == "compliance"

    # The labour bureau opens a case against the contractor from its official findings.
    dsal_findings = [str(f.uuid) for f in construction.findings if f.competent_agency_code == "DSAL"]
    r = api.as_(carol).post(
        "/api/v1/cases/open/",
        {"findings": dsal_findings, "reason": "Breaches found on the joint sweep"},
        format="json",
    )
    assert r.status_code == 201, r.content
    case_id = r.json()["id"]
    assert r.json()["company"] == str(joint.contractor.uuid)
    assert r.json()["corrective_days"] == 3  # the strictest default: V-12 documents held, 3 days

    # V-12's legal basis names no verified Macao provision: no notice until an administrator
    # has checked it, and the draft never prints the unverified text.
    r = api.as_(carol).post(f"/api/v1/cases/{case_id}/issue-notice/", {}, format="json")
    assert r.status_code == 409 and r.json()["code"] == "legal_basis_unverified", r.content
    assert r.json()["violations"] == ["V-12"]
    draft = api.as_(carol).get(f"/api/v1/cases/{case_id}/notice/en/").content.decode()
    assert "not verified" not in draft and "awaiting an administrator" in draft
    administrator = factories.officer("DSAL", username="ada", roles=("administrator",))
    services.violation_legal_basis_confirm(
        actor=administrator.user, violation=Violation.objects.get(code="V-12")
    )

    # The notice, in the three languages, lists the failed items.
    r = api.as_(carol).post(f"/api/v1/cases/{case_id}/issue-notice/", {}, format="json")
    assert r.status_code == 200, r.content
    deadline = dt.date.fromisoformat(r.json()["deadline"])
    assert deadline == timezone.localdate() + dt.timedelta(days=3)
    texts = {
        lang: api.as_(carol).get(f"/api/v1/cases/{case_id}/notice/{lang}/")
        for lang in ("en", "zh-hant", "pt")
    }
    assert all(t.status_code == 200 and t["Content-Type"].startswith("text/html") for t in texts.values())
    assert "Notice to rectify" in texts["en"].content.decode()
    assert (
        "糾正通知書" in texts["zh-hant"].content.decode()
        and "幸運建築有限公司" in texts["zh-hant"].content.decode()
    )
    assert "Notificação" in texts["pt"].content.decode()
    for lang, text in texts.items():
        body = text.content.decode()
        assert all(code in body for code in ("V-02", "V-04", "V-12")) and "V-01" not in body
        with translation.override(lang):  # the deadline as the notice's language writes a date
            assert formats.date_format(deadline, "DATE_FORMAT") in body

    # The deadline passes without rectification: the daily job requests the follow-up.
    with time_machine.travel(timezone.now() + dt.timedelta(days=7), tick=False):
        assert services.case_deadlines_process() != []
        late = services.company_score_compute(company=joint.contractor)

    case = ComplianceCase.objects.get(uuid=case_id)
    assert case.status == "follow_up"
    due = DueWork.objects.get(source_type="compliance.case", source_id=case_id)
    assert due in due_work_open()  # the scheduler's read sees it
    assert (due.reason, due.agency.code, due.site, due.category) == (
        "follow_up",
        "DSAL",
        joint.site,
        "illegal_employment",
    )
    assert sorted((i["rule_code"], i["violation_code"], i["entry_path"]) for i in due.carry_items) == [
        ("no_hiring_permit", "V-04", ""),
        ("worker_documents_held", "V-12", "workers[1]"),
        ("worker_outside_authorised_job", "V-02", "workers[1]"),
    ]
    assert all(i["template"] == "construction_illegal_employment" for i in due.carry_items)

    # Seven days on, the deadline (3 days) is 4 days past: T = 4, so the score drops to 61.
    assert late.factors["days_late"] == [4] and late.factors["T"] == 4
    assert late.score == Decimal("61.00")
    assert list(ComplianceScore.objects.filter(company=joint.contractor).values_list("score", flat=True)) == [
        Decimal("61.00"),
        Decimal("65.00"),
        Decimal("100.00"),
    ]

    # The case's history reads as a timeline.
    timeline = api.as_(carol).get(f"/api/v1/cases/{case_id}/").json()["timeline"]
    assert [e["kind"] for e in timeline] == ["opened", "notice_issued", "follow_up_requested"]
    assert timeline[0]["who"] == "carol" and timeline[0]["why"] == "Breaches found on the joint sweep"
