"""A workload for the pages' query-count tests and their benchmark, built through the services:
``n`` construction sites of ``n`` contractors, each inspected in one joint operation by a team
of a police and a labour officer, each with a submission (photo included) whose labour findings
await review; a compliance case and a score for every contractor; a referral from a screening
at every site."""

from __future__ import annotations

import datetime as dt
import hashlib
import uuid
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils import timezone

from backend.checklists.models import TemplateVersion
from backend.checklists.services import checklists_load_builtin, parsed_definition
from backend.compliance import services as compliance
from backend.compliance.models import ComplianceCase, Referral
from backend.inspections import services as inspections
from backend.inspections.models import Operation, Submission
from tests import factories
from tests.checklists.engine.factories import UUID as PHOTO_REF
from tests.checklists.engine.factories import fill
from tests.compliance.conftest import construction_answers
from tests.mobile_api.conftest import jpeg_with_gps


@dataclass
class Workload:
    reviewer: Any
    protection: Any
    submissions: list[Submission] = field(default_factory=list)
    cases: list[ComplianceCase] = field(default_factory=list)
    referrals: list[Referral] = field(default_factory=list)
    companies: list[Any] = field(default_factory=list)


def build(n: int, *, decided: int = 0) -> Workload:
    """``n`` visits; the first ``decided`` approved with a case opened (the rest await review)."""
    checklists_load_builtin()
    compliance.violation_catalogue_load()
    factories.agency("IAS", name_en="Social Welfare Bureau")
    reviewer = factories.officer(
        "DSAL", username="wl-reviewer", full_name="Workload Reviewer", roles=("reviewer",)
    )
    protection = factories.officer("IAS", username="wl-protection", roles=("victim_protection",))
    planner = factories.officer("PSP", username="wl-planner", roles=("planner",))
    construction = TemplateVersion.objects.get(
        template__code="construction_illegal_employment", status="published"
    )
    screening = TemplateVersion.objects.get(template__code="ilo_forced_labour_screening", status="published")
    now = timezone.now()
    police = factories.officer("PSP", username="wl-police")
    labour = factories.officer("DSAL", username="wl-labour", roles=("inspector",))
    operation = inspections.operation_create(
        actor=None,
        name="Workload sweep",
        lead_agency=police.agency,
        agencies=[labour.agency],
        planners=[planner],
        reveal_at=now - dt.timedelta(hours=2),
        starts_at=now - dt.timedelta(hours=1),
        ends_at=now + dt.timedelta(hours=6),
        status=Operation.Status.PUBLISHED,
    )
    team = inspections.team_create(
        actor=None, name="WL 1", members=[police, labour], leader=police, operation=operation
    )
    out = Workload(reviewer=reviewer, protection=protection)
    photo = jpeg_with_gps()
    for i in range(n):
        contractor = factories.company(kind="contractor", name_en=f"Contractor {i:03d}")
        site = factories.site(
            kind="construction_site",
            name_en=f"Tower {i:03d}",
            contractor=contractor,
            opening_hours=[],
            latitude=Decimal("22.19") + Decimal(i % 20) / 1000,
            longitude=Decimal("113.54") + Decimal(i // 20) / 1000,
        )
        inspection = inspections.inspection_issue(
            actor=None,
            site=site,
            category="illegal_employment",
            template_version=construction,
            additional_versions=[screening],
            planned_start=now - dt.timedelta(minutes=30),
            planned_end=now + dt.timedelta(hours=2),
            team=team,
            operation=operation,
            route_order=i,
        )
        result = inspections.submission_ingest(
            officer=labour,
            data=inspections.SubmissionInput(
                id=uuid.uuid4(),
                inspection=inspection.uuid,
                template_version=construction.uuid,
                answers=construction_answers(construction),
                device_submitted_at=now,
                attachments=(
                    inspections.DeclaredAttachment(name=PHOTO_REF, sha256=hashlib.sha256(photo).hexdigest()),
                ),
            ),
        )
        inspections.attachment_store(
            officer=labour,
            submission=result.submission,
            name=PHOTO_REF,
            chunks=[photo],
            content_length=len(photo),
        )
        answers = fill(parsed_definition(screening), yes=True, entries=1)
        answers["persons"][0].update({"person_ref": f"P-{i}", "nationality": "philippines"})
        inspections.submission_ingest(
            officer=police,
            data=inspections.SubmissionInput(
                id=uuid.uuid4(),
                inspection=inspection.uuid,
                template_version=screening.uuid,
                answers=answers,
                device_submitted_at=now,
                attachments=(
                    inspections.DeclaredAttachment(name=PHOTO_REF, sha256=hashlib.sha256(photo).hexdigest()),
                ),
            ),
        )
        out.submissions.append(result.submission)
        out.companies.append(contractor)
        if i < decided:
            compliance.submission_approve(user=reviewer.user, submission=result.submission)
            findings = [
                f
                for f in result.submission.findings.filter(competent_agency_code="DSAL")
                if f.violation_code in ("V-02", "V-04")
            ]
            out.cases.append(compliance.case_open(user=reviewer.user, findings=findings, reason="Workload."))
        compliance.company_score_compute(company=contractor)
    out.referrals = list(Referral.objects.order_by("pk"))
    return out
