"""An agency's administrator sees their own agency's operational records in the admin, not every
agency's: above all, not another agency's sealed operation before its reveal time.

The police (PSP) lead a sealed raid, revealed tomorrow, and a joint construction sweep the labour
bureau (DSAL) takes part in (``joint_build``: Alice of PSP and Bob of DSAL, Bob's checklist and
Alice's screening of a potential victim). Each agency has its case, its review and its referral.
Dina administers DSAL; Ivy administers the Social Welfare Bureau (IAS), the protection service
the referrals go to; "boot" is a login with no officer record (``createsuperuser``'s). Everyone
signs in through the console's sign-in page.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone

from backend.checklists.services import parsed_definition
from backend.compliance import services as compliance
from backend.compliance.models import ComplianceCase, ProsecutionRecord, Referral, Review
from backend.compliance.services import violation_catalogue_load
from backend.inspections import services as inspections
from backend.inspections.models import CheckIn, Finding, Inspection, Operation, Submission, Team
from backend.planning.models import DueWork
from backend.registry.models import Agency
from tests import factories
from tests.browser_support import sign_in_client
from tests.checklists.engine.factories import fill
from tests.compliance.conftest import ingest, joint_build
from tests.factories import FATIMA

PASSWORD = "correct-horse-battery"
SEALED = "Harbour raid (sealed)"

pytestmark = pytest.mark.django_db


@dataclass
class World:
    sealed: Operation
    sealed_team: Team
    sealed_inspection: Inspection
    joint: Any
    routine_psp: Inspection
    routine_submission: Submission
    submission: Submission
    screening: Submission
    psp_case: ComplianceCase
    dsal_case: ComplianceCase
    psp_referral: Referral
    dsal_referral: Referral


@pytest.fixture
def world(db, alice, bob, paula) -> World:
    violation_catalogue_load()
    joint = joint_build(alice, bob, paula)  # PSP leads, DSAL takes part; revealed
    psp, dsal = Agency.objects.get(code="PSP"), Agency.objects.get(code="DSAL")
    now = timezone.now()
    sealed = inspections.operation_create(
        actor=None,
        name=SEALED,
        lead_agency=psp,
        planners=[paula],
        reveal_at=now + dt.timedelta(days=1),
        starts_at=now + dt.timedelta(days=1, hours=1),
        ends_at=now + dt.timedelta(days=1, hours=6),
        status=Operation.Status.PUBLISHED,
    )
    sealed_team = inspections.team_create(actor=None, name="Raid 1", members=[alice], operation=sealed)
    sealed_inspection = inspections.inspection_issue(
        actor=None,
        site=factories.site(name_en="Raid target"),
        category="prostitution_trafficking",
        template_version=joint.screening_version,
        planned_start=sealed.starts_at,
        planned_end=sealed.ends_at,
        team=sealed_team,
        operation=sealed,
    )
    routine_psp = inspections.inspection_issue(
        actor=None,
        site=factories.site(name_en="Police routine"),
        category="prostitution_trafficking",
        template_version=joint.screening_version,
        planned_start=now,
        planned_end=now + dt.timedelta(hours=2),
        team=inspections.team_create(actor=None, name="PSP routine", members=[alice]),
    )

    submission = joint.submit_construction(bob).submission  # findings of DSAL and of PSP
    screening = joint.submit_screening(alice).submission  # a potential victim: PSP's referral
    psp_referral = Referral.objects.get(finding__submission=screening)
    # The police's routine visit, the police's alone: Alice's arrival and her screening there.
    inspections.checkin_record(
        officer=alice,
        inspection=routine_psp,
        data=inspections.CheckInInput(
            id=uuid.uuid4(), latitude=Decimal(FATIMA[0]), longitude=Decimal(FATIMA[1]), device_time=now
        ),
        sent_at=now,
    )
    routine_answers = fill(parsed_definition(joint.screening_version), yes=True, entries=1)
    routine_submission = ingest(alice, routine_psp, joint.screening_version, routine_answers).submission
    carol = factories.officer("DSAL", username="carol", roles=("reviewer",))
    percy = factories.officer("PSP", username="percy", roles=("reviewer",))
    compliance.submission_approve(user=carol.user, submission=submission)
    compliance.submission_approve(user=percy.user, submission=submission)
    cases = {
        agency.code: ComplianceCase.objects.create(
            agency=agency, site=joint.site, corrective_days=30, opened_by=user, opened_at=now
        )
        for agency, user in ((psp, percy.user), (dsal, carol.user))
    }
    for agency, user in ((psp, percy.user), (dsal, carol.user)):
        ProsecutionRecord.objects.create(
            agency=agency,
            file_reference=f"{agency.code}-1",
            kind=ProsecutionRecord.Kind.choices[0][0],
            offence=ProsecutionRecord.Offence.choices[0][0],
            on=now.date(),
            recorded_by=user,
            recorded_at=now,
        )
    dsal_referral = Referral.objects.create(
        key="dsal-referral",
        finding=Finding.objects.filter(submission=submission, competent_agency=dsal).first(),
        referring_agency=dsal,
        referred_to=Agency.objects.get(code="IAS"),
        site=joint.site,
        observed_at=now,
        screened_at=now,
        urgency=Referral.Urgency.SAME_DAY,
        created_at=now,
    )
    for agency in (psp, dsal):
        DueWork.objects.create(
            site=joint.site,
            agency=agency,
            category="illegal_employment",
            reason=DueWork.Reason.MANUAL,
            earliest=now.date(),
            latest=now.date() + dt.timedelta(days=7),
            note=f"{agency.code} follow-up",
        )
    return World(
        sealed,
        sealed_team,
        sealed_inspection,
        joint,
        routine_psp,
        routine_submission,
        submission,
        screening,
        cases["PSP"],
        cases["DSAL"],
        psp_referral,
        dsal_referral,
    )


def _administrator(code: str, username: str) -> Client:
    factories.officer(code, username=username, roles=("administrator",), full_name=f"{username} Admin")
    client = Client()
    sign_in_client(client, username, PASSWORD)
    return client


@pytest.fixture
def dina(world) -> Client:
    """DSAL's administrator."""
    return _administrator("DSAL", "dina")


@pytest.fixture
def boot(world) -> Client:
    get_user_model().objects.create_superuser("boot", "boot@example.invalid", PASSWORD)
    client = Client()
    sign_in_client(client, "boot", PASSWORD)
    return client


def _listed(client: Client, path: str) -> set[Any]:
    page = client.get(path)
    assert page.status_code == 200, path
    return set(page.context["cl"].result_list)


def _missing(response) -> bool:
    """Django admin's answer for an object it cannot find: back to the admin's index, or 404."""
    return response.status_code == 404 or (response.status_code == 302 and response["Location"] == "/admin/")


def _autocomplete(client: Client, model_name: str, field_name: str, term: str = "") -> set[str]:
    response = client.get(
        "/admin/autocomplete/",
        {"app_label": "inspections", "model_name": model_name, "field_name": field_name, "term": term},
    )
    assert response.status_code == 200
    return {r["id"] for r in response.json()["results"]}


def test_another_agencys_sealed_operation_is_not_listed_and_answers_as_missing(dina, world):
    operations = _listed(dina, "/admin/inspections/operation/")
    assert world.joint.operation in operations  # led by PSP, DSAL takes part
    assert world.sealed not in operations
    for view in ("change", "history", "delete"):
        assert _missing(dina.get(f"/admin/inspections/operation/{world.sealed.pk}/{view}/")), view
    assert dina.get(f"/admin/inspections/operation/{world.joint.operation.pk}/change/").status_code == 200
    assert SEALED not in dina.get("/admin/inspections/operation/").content.decode()


def test_the_sealed_operations_teams_and_inspections_are_not_hers(dina, world):
    teams = _listed(dina, "/admin/inspections/team/")
    assert world.joint.inspection.team in teams
    assert world.sealed_team not in teams
    assert world.routine_psp.team not in teams  # a routine team of the police alone
    inspections_listed = _listed(dina, "/admin/inspections/inspection/")
    assert world.joint.inspection in inspections_listed
    assert not {world.sealed_inspection, world.routine_psp} & inspections_listed
    assert _missing(dina.get(f"/admin/inspections/team/{world.sealed_team.pk}/change/"))
    assert _missing(dina.get(f"/admin/inspections/inspection/{world.sealed_inspection.pk}/change/"))


def test_the_list_filters_do_not_name_the_sealed_operation(dina, world):
    for path in ("/admin/inspections/team/", "/admin/inspections/inspection/"):
        page = dina.get(path).content.decode()
        assert world.joint.operation.name in page, path  # the filter names the joint sweep
        assert SEALED not in page, path


def test_the_pickers_do_not_offer_the_sealed_operation_or_its_team(dina, world, alice, bob):
    joint = str(world.joint.operation.pk)
    assert _autocomplete(dina, "team", "operation") == {joint}
    assert _autocomplete(dina, "inspection", "operation") == {joint}
    assert _autocomplete(dina, "inspection", "operation", term="Harbour") == set()
    teams = _autocomplete(dina, "inspection", "team")
    assert str(world.joint.inspection.team_id) in teams and str(world.sealed_team.pk) not in teams
    # A joint team's leader is still picked from every agency's officers.
    assert {str(alice.pk), str(bob.pk)} <= _autocomplete(dina, "team", "leader")


def test_a_team_cannot_be_put_in_the_sealed_operation(dina, world, bob):
    response = dina.post(
        "/admin/inspections/team/add/",
        {"name": "Intruders", "operation": world.sealed.pk, "members": [bob.pk]},
    )
    assert response.status_code == 200
    assert "operation" in response.context["adminform"].form.errors
    assert not Team.objects.filter(name="Intruders").exists()


def test_the_bulk_actions_cannot_reach_another_agencys_records(dina, world):
    dina.post(
        "/admin/inspections/operation/",
        {"action": "delete_selected", "_selected_action": [world.sealed.pk], "post": "yes"},
    )
    assert Operation.objects.filter(pk=world.sealed.pk).exists()
    psp_due = DueWork.objects.get(agency__code="PSP")
    dina.post(
        "/admin/planning/duework/",
        {"action": "delete_selected", "_selected_action": [psp_due.pk], "post": "yes"},
    )
    assert DueWork.objects.filter(pk=psp_due.pk).exists()
    dina.post(
        "/admin/inspections/submission/",
        {"action": "delete_with_tombstone", "_selected_action": [world.routine_submission.pk]},
    )
    world.routine_submission.refresh_from_db()
    assert world.routine_submission.status != Submission.Status.DELETED


def test_what_the_field_sent_is_hers_when_her_agency_took_part_alone(dina, world):
    submissions = _listed(dina, "/admin/inspections/submission/")
    assert world.submission in submissions  # Bob's, in the joint sweep
    assert world.routine_submission not in submissions  # Alice's, on the police's routine visit
    assert _missing(dina.get(f"/admin/inspections/submission/{world.routine_submission.pk}/change/"))
    findings = _listed(dina, "/admin/inspections/finding/")
    assert set(Finding.objects.filter(inspection=world.joint.inspection)) <= findings
    assert not set(Finding.objects.filter(inspection=world.routine_psp)) & findings
    check_ins = _listed(dina, "/admin/inspections/checkin/")
    assert not {c for c in check_ins if c.inspection_id == world.routine_psp.pk}
    assert CheckIn.objects.filter(inspection=world.routine_psp).exists()


def test_another_agencys_cases_reviews_and_referrals_are_not_hers(dina, world):
    assert _listed(dina, "/admin/compliance/compliancecase/") == {world.dsal_case}
    assert _missing(dina.get(f"/admin/compliance/compliancecase/{world.psp_case.pk}/change/"))
    assert {r.agency.code for r in _listed(dina, "/admin/compliance/review/")} == {"DSAL"}
    psp_review = Review.objects.get(agency__code="PSP")
    assert _missing(dina.get(f"/admin/compliance/review/{psp_review.pk}/change/"))
    assert _listed(dina, "/admin/compliance/referral/") == {world.dsal_referral}
    assert _missing(dina.get(f"/admin/compliance/referral/{world.psp_referral.pk}/change/"))
    assert {p.agency.code for p in _listed(dina, "/admin/compliance/prosecutionrecord/")} == {"DSAL"}
    assert {d.agency.code for d in _listed(dina, "/admin/planning/duework/")} == {"DSAL"}


def test_the_protection_services_administrator_sees_the_referrals_sent_to_it(world):
    ivy = _administrator("IAS", "ivy")
    referrals = Referral.objects.all()
    assert referrals.count() == 3  # two of the police's screenings, one of the labour bureau's
    assert _listed(ivy, "/admin/compliance/referral/") == set(referrals)
    assert _listed(ivy, "/admin/inspections/operation/") == set()
    assert _listed(ivy, "/admin/compliance/compliancecase/") == set()


def test_a_login_with_no_officer_record_still_sees_every_agencys(boot, world):
    assert {world.sealed, world.joint.operation} <= _listed(boot, "/admin/inspections/operation/")
    assert boot.get(f"/admin/inspections/operation/{world.sealed.pk}/change/").status_code == 200
    assert {world.sealed_inspection, world.routine_psp} <= _listed(boot, "/admin/inspections/inspection/")
    assert str(world.sealed.pk) in _autocomplete(boot, "team", "operation")
    assert _listed(boot, "/admin/compliance/compliancecase/") == {world.psp_case, world.dsal_case}
    assert _listed(boot, "/admin/compliance/referral/") == set(Referral.objects.all())
