"""A prosecution record names its own agency's case or referral, never another's.

A prosecution record is its agency's (its reviewers read it, ``prosecution_list``). Its reader
may see more than that: an administrator reads every agency's cases, an analyst every agency's
referrals. Named by one of them who also records prosecutions, another agency's case or referral
was stored in their agency's record (answered 201), pointing at what that agency's reviewers
cannot open. It now answers as an unknown id does (404), and nothing is written.
"""

from __future__ import annotations

import uuid

import pytest

from backend.compliance import services
from backend.compliance.models import ComplianceCase, ProsecutionRecord, Referral
from backend.inspections.models import Finding
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def dsal_case(joint, bob, carol, percy) -> ComplianceCase:
    """The labour bureau's case on the joint visit's construction site (opened by Carol)."""
    construction = joint.submit_construction(bob)
    services.submission_approve(user=carol.user, submission=construction.submission)
    services.submission_approve(user=percy.user, submission=construction.submission)
    findings = Finding.objects.filter(submission=construction.submission, competent_agency__code="DSAL")
    return services.case_open(
        user=carol.user, findings=list(findings.exclude(violation_code="V-12")), reason="x"
    )


@pytest.fixture
def psp_referral(joint, alice) -> Referral:
    """The police's referral of a person Alice screened on the joint visit (PSP → IAS)."""
    joint.submit_screening(alice)
    return Referral.objects.get()


def _record(api, who, **body):
    payload = {
        "kind": "transfer",
        "offence": "trafficking",
        "on": "2022-03-04",
        "file_reference": "MP-22-001",
        **body,
    }
    return api.as_(who).post("/api/v1/prosecutions/record/", payload, format="json")


def test_an_administrator_names_another_agencys_case_as_an_unknown_one(dsal_case, api):
    adele = factories.officer("PSP", username="adele", roles=("reviewer", "administrator"))
    assert api.as_(adele).get(f"/api/v1/cases/{dsal_case.uuid}/").status_code == 200  # she may read it
    unknown = _record(api, adele, case=str(uuid.uuid4()))
    response = _record(api, adele, case=str(dsal_case.uuid))
    assert response.status_code == 404, response.content
    assert response.json()["code"] == unknown.json()["code"] == "not_found"
    assert response.json() == unknown.json()
    assert not ProsecutionRecord.objects.exists()


def test_a_reviewer_who_reads_every_referral_names_another_agencys_as_an_unknown_one(psp_referral, api):
    dora = factories.officer("DSAL", username="dora", roles=("reviewer", "analyst"))
    assert api.as_(dora).get(f"/api/v1/referrals/{psp_referral.uuid}/").status_code == 200  # she may read it
    unknown = _record(api, dora, referral=str(uuid.uuid4()))
    response = _record(api, dora, referral=str(psp_referral.uuid))
    assert response.status_code == 404, response.content
    assert response.json() == unknown.json()
    assert not ProsecutionRecord.objects.exists()


def test_the_agencys_own_case_and_referral_are_named(dsal_case, psp_referral, carol, percy, api):
    response = _record(api, carol, case=str(dsal_case.uuid))
    assert response.status_code == 201, response.content
    assert response.json()["case"] == str(dsal_case.uuid)
    response = _record(api, percy, referral=str(psp_referral.uuid))
    assert response.status_code == 201, response.content
    assert response.json()["referral"] == str(psp_referral.uuid)
    assert ProsecutionRecord.objects.get(agency__code="DSAL").case == dsal_case
    assert ProsecutionRecord.objects.get(agency__code="PSP").referral == psp_referral
