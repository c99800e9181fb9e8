"""Builders for the console pages' tests, all through the services: a submission of the joint
visit with a photo and a check-in, the reviewers' decisions, a case, a referral.

Personas: those of ``tests/compliance/conftest.py`` (carol the DSAL reviewer, percy the PSP
reviewer, vera of victim protection, tina a DSAL team leader, andy a DSAL analyst) and the
shared ones (alice, bob, paula, oscar)."""

from __future__ import annotations

import datetime as dt
import hashlib
import uuid
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from backend.compliance import services
from backend.compliance.models import ComplianceCase, Referral
from backend.inspections import services as inspections
from backend.inspections.models import Finding, Submission
from tests.browser_support import sign_in_client
from tests.checklists.engine.factories import UUID as PHOTO_REF
from tests.compliance.conftest import construction_answers
from tests.mobile_api.conftest import jpeg_with_gps

PASSWORD = "correct-horse-battery"


def signed_in(client: Any, officer: Any) -> Any:
    """The test client signed in through the console's sign-in page (second factor included)."""
    sign_in_client(client, officer.user.username, PASSWORD)
    return client


def submit_with_photo(joint: Any, officer: Any) -> Submission:
    photo = jpeg_with_gps()
    result = inspections.submission_ingest(
        officer=officer,
        data=inspections.SubmissionInput(
            id=uuid.uuid4(),
            inspection=joint.inspection.uuid,
            template_version=joint.construction_version.uuid,
            answers=construction_answers(joint.construction_version),
            device_submitted_at=timezone.now(),
            attachments=(
                inspections.DeclaredAttachment(name=PHOTO_REF, sha256=hashlib.sha256(photo).hexdigest()),
            ),
        ),
    )
    inspections.attachment_store(
        officer=officer,
        submission=result.submission,
        name=PHOTO_REF,
        chunks=[photo],
        content_length=len(photo),
    )
    return result.submission


def check_in(joint: Any, officer: Any, *, far: bool = False, skewed: bool = False) -> None:
    site = joint.site
    offset = Decimal("0.01") if far else Decimal("0")
    phone_clock = timezone.now() - (dt.timedelta(hours=1) if skewed else dt.timedelta(0))
    inspections.checkin_record(
        officer=officer,
        inspection=joint.inspection,
        data=inspections.CheckInInput(
            id=uuid.uuid4(),
            latitude=Decimal(site.latitude) + offset,
            longitude=Decimal(site.longitude),
            device_time=phone_clock,
        ),
        sent_at=phone_clock,
    )


@dataclass
class Visit:
    submission: Submission
    joint: Any

    def dsal_findings(self) -> list[Finding]:
        return list(self.submission.findings.filter(competent_agency_code="DSAL").order_by("pk"))


@pytest.fixture
def visit(joint, bob) -> Visit:
    """Bob's construction checklist with a photo, after a check-in at the site: findings of the
    labour bureau (V-02, V-12, V-04) and of the police (V-01)."""
    check_in(joint, bob)
    return Visit(submission=submit_with_photo(joint, bob), joint=joint)


@pytest.fixture
def case(visit, carol) -> ComplianceCase:
    """Carol approved the visit and opened a case from the labour bureau's findings whose legal
    basis is verified (V-02, V-04; V-12, documents held, names no verified Macao provision and
    could not ground a notice)."""
    services.submission_approve(user=carol.user, submission=visit.submission)
    findings = [f for f in visit.dsal_findings() if f.violation_code in ("V-02", "V-04")]
    return services.case_open(user=carol.user, findings=findings, reason="Outside the job; no hiring permit.")


@pytest.fixture
def referral(joint, alice) -> Referral:
    """Alice's screening of one person flagged a potential victim: a referral to protection."""
    joint.submit_screening(alice)
    return Referral.objects.get()
