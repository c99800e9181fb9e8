"""A joint visit built through the services, and the people who decide on it.

Personas (beside the shared ones: alice PSP inspector, bob DSAL inspector, carol DSAL reviewer,
paula PSP planner, oscar an outsider with no officer record):

- ``percy``: a PSP reviewer
- ``vera``: a victim-protection officer of the Social Welfare Bureau (IAS)
- ``andy``: a DSAL analyst
- ``tina``: a DSAL team leader by role, who leads no team here

The joint visit: a construction site of "Lucky Build Ltd" (a contractor), inspected in a joint
PSP-DSAL operation by a team of Alice and Bob. Bob fills the illegal-employment checklist
(a worker without a card: the police's V-01; a worker outside the authorised job with his
documents held, and no hiring permit: the labour bureau's V-02, V-12 and V-04). Alice fills
the ILO screening of one person (a potential victim, the police's V-13).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import uuid
from dataclasses import dataclass
from typing import Any

import pytest
from django.utils import timezone

from backend.checklists.models import TemplateVersion
from backend.checklists.services import checklists_load_builtin, parsed_definition
from backend.compliance.services import violation_catalogue_load
from backend.inspections import services as inspections
from backend.inspections.models import Inspection, Operation, Submission
from backend.registry.models import Company, Site
from tests import factories
from tests.checklists.engine.factories import UUID as PHOTO_REF
from tests.checklists.engine.factories import fill

PHOTO = b"\xff\xd8\xff" + b"photo bytes"


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    """Personas sign in by session here; a slow password hash only slows the suite down."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


COMPLIANCE_PERSONAS = {
    "percy": lambda: factories.officer(
        "PSP", username="percy", full_name="Percy Reviewer", roles=("reviewer",)
    ),
    "vera": lambda: factories.officer(
        "IAS", username="vera", full_name="Vera Protection", roles=("victim_protection",), sex="F"
    ),
    "andy": lambda: factories.officer("DSAL", username="andy", full_name="Andy Analyst", roles=("analyst",)),
    "tina": lambda: factories.officer(
        "DSAL", username="tina", full_name="Tina Leader", roles=("team_leader",), sex="F"
    ),
}


@pytest.fixture
def percy(db):
    return COMPLIANCE_PERSONAS["percy"]()


@pytest.fixture
def vera(db):
    return COMPLIANCE_PERSONAS["vera"]()


@pytest.fixture
def andy(db):
    return COMPLIANCE_PERSONAS["andy"]()


@pytest.fixture
def tina(db):
    return COMPLIANCE_PERSONAS["tina"]()


@pytest.fixture
def catalogue(db):
    violation_catalogue_load()


@dataclass
class Joint:
    inspection: Inspection
    site: Site
    contractor: Company
    operation: Operation
    construction_version: TemplateVersion
    screening_version: TemplateVersion

    def submit_construction(
        self, officer: Any, *, replaces: Submission | None = None, **overrides: Any
    ) -> Any:
        answers = construction_answers(self.construction_version, **overrides)
        return ingest(officer, self.inspection, self.construction_version, answers, replaces=replaces)

    def submit_screening(self, officer: Any, **overrides: Any) -> Any:
        answers = fill(parsed_definition(self.screening_version), yes=True, entries=1)
        answers["persons"][0].update({"person_ref": "P-1 red jacket", "nationality": "philippines"})
        answers["persons"][0].update(overrides)
        return ingest(officer, self.inspection, self.screening_version, answers)


def construction_answers(version: TemplateVersion, **overrides: Any) -> dict[str, Any]:
    answers = fill(parsed_definition(version), yes=True, entries=2)
    answers.update({"non_residents_on_site": 2, "hiring_permit_shown": False})
    base = {k: v for k, v in answers["workers"][0].items()}
    answers["workers"] = [
        # V-01 (PSP): a non-resident without a card.
        {
            **base,
            "residency": "non_resident",
            "nationality": "vietnam",
            "card_shown": False,
            "age": 30,
            "self_employed": False,
            "documents_held_by_employer": False,
        },
        # V-02 and V-12 (DSAL): outside the authorised job, documents held.
        {
            **base,
            "residency": "non_resident",
            "nationality": "philippines",
            "card_shown": True,
            "card_employer_matches": True,
            "job_matches": False,
            "self_employed": False,
            "age": 30,
            "documents_held_by_employer": True,
        },
    ]
    for worker in answers["workers"]:
        if not worker.get("card_shown"):
            for key in ("card_employer_matches", "job_matches", "card_photo"):
                worker.pop(key, None)
    answers.update(overrides)
    return answers


def ingest(
    officer: Any,
    inspection: Inspection,
    version: TemplateVersion,
    answers: dict[str, Any],
    *,
    replaces: Submission | None = None,
) -> inspections.IngestResult:
    return inspections.submission_ingest(
        officer=officer,
        data=inspections.SubmissionInput(
            id=uuid.uuid4(),
            inspection=inspection.uuid,
            template_version=version.uuid,
            answers=answers,
            device_submitted_at=timezone.now(),
            replaces=replaces.uuid if replaces is not None else None,
            attachments=(
                inspections.DeclaredAttachment(name=PHOTO_REF, sha256=hashlib.sha256(PHOTO).hexdigest()),
            ),
        ),
    )


@pytest.fixture
def joint(db, alice, bob, paula, catalogue) -> Joint:
    return joint_build(alice, bob, paula)


def joint_build(alice: Any, bob: Any, paula: Any) -> Joint:
    """The joint visit of the module's docstring (the violation catalogue loaded first)."""
    checklists_load_builtin()
    factories.agency("IAS", name_en="Social Welfare Bureau")
    now = timezone.now()
    construction_v = TemplateVersion.objects.get(
        template__code="construction_illegal_employment", status="published"
    )
    screening_v = TemplateVersion.objects.get(
        template__code="ilo_forced_labour_screening", status="published"
    )
    contractor = factories.company(
        kind="contractor",
        name_en="Lucky Build Ltd",
        name_zh_hant="幸運建築有限公司",
        name_pt="Construções Sorte, Lda.",
    )
    site = factories.site(
        kind="construction_site", name_en="Cotai Tower B", contractor=contractor, opening_hours=[]
    )
    operation = inspections.operation_create(
        actor=None,
        name="Joint construction sweep",
        lead_agency=alice.agency,
        agencies=[bob.agency],
        planners=[paula],
        reveal_at=now - dt.timedelta(hours=2),
        starts_at=now - dt.timedelta(hours=1),
        ends_at=now + dt.timedelta(hours=6),
        status=Operation.Status.PUBLISHED,
    )
    team = inspections.team_create(
        actor=None, name="Joint 1", members=[alice, bob], leader=alice, operation=operation
    )
    inspection = inspections.inspection_issue(
        actor=None,
        site=site,
        category="illegal_employment",
        template_version=construction_v,
        additional_versions=[screening_v],
        planned_start=now - dt.timedelta(minutes=30),
        planned_end=now + dt.timedelta(hours=2),
        team=team,
        operation=operation,
    )
    return Joint(inspection, site, contractor, operation, construction_v, screening_v)


@pytest.fixture
def agency_visit(joint, bob) -> Any:
    """Bob's routine check of an employment agency ("Bright Future Agency") that breaks Law
    16/2020 twice under one violation code, V-07: its fee records are not in order (the checklist's
    ``fee_records``) and one job-seeker paid more than half his first month's wage
    (``fee_over_cap``). The result of the ingest; the findings await the labour bureau's review."""
    version = TemplateVersion.objects.get(template__code="employment_agency", status="published")
    agency = factories.company(kind="employment_agency", name_en="Bright Future Agency")
    site = factories.site(
        kind="employment_agency", name_en="Bright Future", operator=agency, opening_hours=[]
    )
    now = timezone.now()
    inspection = inspections.inspection_issue(
        actor=None,
        site=site,
        category="employment_agency",
        template_version=version,
        planned_start=now - dt.timedelta(minutes=30),
        planned_end=now + dt.timedelta(hours=2),
        team=inspections.team_create(actor=None, name="DSAL routine", members=[bob]),
    )
    answers = fill(parsed_definition(version), yes=True, entries=2)
    answers["receipts_issued"] = False
    for entry in answers["job_seekers"]:
        entry.update(
            {"first_month_wage": 6000, "fee_charged": 1000, "documents_held": False, "seeker_debt": False}
        )
    answers["job_seekers"][1].update({"fee_charged": 4000, "fee_over_cap_note": "Training fee, no receipt"})
    return ingest(bob, inspection, version, answers)
