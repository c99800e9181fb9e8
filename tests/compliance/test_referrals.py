"""A potential victim flagged in the field is referred at once, in the ingest's transaction; the
person's details are the victim-protection role's alone, and every read of them is audited."""

from __future__ import annotations

import datetime as dt
import hashlib
import uuid

import pytest
from django.utils import timezone

from backend.audit.models import AuditEntry
from backend.checklists.services import parsed_definition
from backend.compliance import services
from backend.compliance.models import ProtectionService, Referral, VictimPersonalDetails
from backend.compliance.tasks import referral_notify
from backend.inspections import services as inspections
from backend.inspections.models import Submission
from backend.outbox.models import OutboxMessage
from tests.checklists.engine.factories import fill
from tests.compliance.conftest import PHOTO, PHOTO_REF, ingest


def test_flag_in_the_field_opens_a_referral_and_queues_the_notification(joint, alice):
    result = joint.submit_screening(alice)
    referral = Referral.objects.get()
    assert referral.finding == result.findings[0]
    assert (referral.referring_agency.code, referral.referred_to.code) == ("PSP", "IAS")
    assert referral.site == joint.site
    assert referral.observed_at == result.submission.received_at
    assert (referral.language, referral.interpreter_used) == ("cantonese", True)
    # Coded, non-identifying fields for statistics; the field reference lives apart.
    assert (referral.nationality_band, referral.age_band, referral.sex) == (
        "south_east_asia",
        "under_16",
        "U",
    )
    assert referral.urgency == "immediate"  # a minor
    assert "fl_07" in referral.indicators
    assert VictimPersonalDetails.objects.get(referral=referral).field_reference == "P-1 red jacket"
    message = OutboxMessage.objects.get(task_name="compliance.referral_notify")
    assert message.kwargs == {"referral_id": str(referral.uuid)} and message.status == "pending"


def test_an_adult_without_strong_signs_is_same_day(joint, alice):
    flags = {f"fl_{i:02d}": False for i in range(1, 12)}
    joint.submit_screening(alice, age_band="26_40", **{**flags, "fl_07": True})
    assert Referral.objects.get().urgency == "same_day"


def test_no_flag_no_referral(joint, alice):
    joint.submit_screening(alice, consent=False)
    assert not Referral.objects.exists()
    assert not OutboxMessage.objects.filter(task_name="compliance.referral_notify").exists()


def test_a_failed_ingest_leaves_no_referral(joint, alice, monkeypatch):
    def later_stage_fails(**kwargs):
        raise RuntimeError("a later hook failed")

    monkeypatch.setattr(inspections, "FINDINGS_HOOKS", [*inspections.FINDINGS_HOOKS, later_stage_fails])
    with pytest.raises(RuntimeError):
        joint.submit_screening(alice)
    assert not Submission.objects.exists()
    assert not Referral.objects.exists() and not VictimPersonalDetails.objects.exists()
    assert not OutboxMessage.objects.exists()


def test_a_correction_keeps_one_referral(joint, alice):
    first = joint.submit_screening(alice)
    corrected = dict(first.submission.answers)
    corrected["remarks"] = "corrected"
    second = ingest(alice, joint.inspection, joint.screening_version, corrected, replaces=first.submission)
    referral = Referral.objects.get()
    assert referral.finding == second.findings[0]
    assert OutboxMessage.objects.filter(task_name="compliance.referral_notify").count() == 1


def test_flag_through_the_officers_api(joint, alice, phone):
    answers = fill(parsed_definition(joint.screening_version), yes=True, entries=1)
    payload = {
        "id": str(uuid.uuid4()),
        "inspection": str(joint.inspection.uuid),
        "template_version": str(joint.screening_version.uuid),
        "answers": answers,
        "device_submitted_at": timezone.now().isoformat(),
        "attachments": [{"name": PHOTO_REF, "sha256": hashlib.sha256(PHOTO).hexdigest(), "size": len(PHOTO)}],
    }
    r = phone(alice).post("/api/mobile/v1/submissions/", payload, format="json")
    assert r.status_code == 201, r.content
    assert Referral.objects.get().finding.submission.uuid == uuid.UUID(payload["id"])
    assert OutboxMessage.objects.filter(task_name="compliance.referral_notify").count() == 1


def test_notification_task_runs_once(joint, alice, settings, mailoutbox):
    settings.REFERRAL_NOTIFY_EMAILS = ["protection@ias.invalid"]
    joint.submit_screening(alice)
    referral = Referral.objects.get()
    referral_notify.apply(kwargs={"referral_id": str(referral.uuid)}, throw=True)
    referral_notify.apply(kwargs={"referral_id": str(referral.uuid)}, throw=True)  # safe twice
    referral.refresh_from_db()
    assert referral.notified_at is not None
    assert len(mailoutbox) == 1
    assert "P-1" not in mailoutbox[0].body and "Cotai Tower B" in mailoutbox[0].body


def test_labour_reviewer_cannot_read_the_person(joint, alice, carol, api):
    joint.submit_screening(alice)
    referral = Referral.objects.get()
    assert api.as_(carol).get(f"/api/v1/referrals/{referral.uuid}/person/").status_code == 404
    assert api.as_(carol).get(f"/api/v1/referrals/{referral.uuid}/").status_code == 404
    assert api.as_(carol).get("/api/v1/referrals/").json()["count"] == 0
    assert not AuditEntry.objects.filter(verb="victim_details_get").exists()


def test_police_reviewer_sees_the_coded_referral_but_not_the_person(joint, alice, percy, api):
    joint.submit_screening(alice)
    referral = Referral.objects.get()
    r = api.as_(percy).get(f"/api/v1/referrals/{referral.uuid}/")
    assert r.status_code == 200
    assert "P-1" not in r.content.decode()
    assert api.as_(percy).get(f"/api/v1/referrals/{referral.uuid}/person/").status_code == 404


def test_superuser_cannot_read_the_person(joint, alice, api, django_user_model):
    joint.submit_screening(alice)
    root = django_user_model.objects.create_superuser("root", password="correct-horse-battery")
    assert api.as_(root).get(f"/api/v1/referrals/{Referral.objects.get().uuid}/person/").status_code == 404


def test_protection_officer_reads_the_person_and_the_read_is_audited(joint, alice, vera, api):
    joint.submit_screening(alice)
    referral = Referral.objects.get()
    r = api.as_(vera).get(
        f"/api/v1/referrals/{referral.uuid}/person/?reason=assessment", REMOTE_ADDR="10.1.2.3"
    )
    assert r.status_code == 200
    assert r.json()["field_reference"] == "P-1 red jacket"
    assert r["Cache-Control"] == "no-store"
    entry = AuditEntry.objects.get(verb="victim_details_get")
    assert (entry.action, entry.actor, entry.object_id, entry.ip_address) == (
        "read",
        vera.user,
        str(referral.uuid),
        "10.1.2.3",
    )
    assert entry.changes == {"reason": "assessment"}
    api.as_(vera).get(f"/api/v1/referrals/{referral.uuid}/person/?reason=other&reason_text=court+order+17")
    assert AuditEntry.objects.filter(verb="victim_details_get", action="read").count() == 2
    # Without a reason (or "other" without saying why) nothing is shown and nothing is read.
    for query in ("", "?reason=curious", "?reason=other&reason_text=x"):
        refused = api.as_(vera).get(f"/api/v1/referrals/{referral.uuid}/person/{query}")
        assert refused.status_code == 400 and "P-1" not in refused.content.decode()
    assert AuditEntry.objects.filter(verb="victim_details_get", action="read").count() == 2


def test_protection_officer_records_details_services_and_assessment(joint, alice, vera, api):
    joint.submit_screening(alice)
    referral = Referral.objects.get()
    client = api.as_(vera)
    r = client.post(
        f"/api/v1/referrals/{referral.uuid}/person/record/",
        {"full_name": "Maria Santos", "nationality": "Philippines"},
        format="json",
    )
    assert r.status_code == 200, r.content
    entry = AuditEntry.objects.get(verb="victim_details_record")
    assert entry.changes == {"fields": ["full_name", "nationality"]}  # names the fields, never the values
    assert "Maria" not in str(AuditEntry.objects.values_list("changes", "object_repr"))

    today = timezone.localdate()
    for kind, provider in (("shelter", "public"), ("counselling", "ngo")):
        r = client.post(
            f"/api/v1/referrals/{referral.uuid}/services/",
            {
                "kind": kind,
                "provider_kind": provider,
                "provider_name": "IAS shelter",
                "started_on": today.isoformat(),
            },
            format="json",
        )
        assert r.status_code == 201, r.content
    assert ProtectionService.objects.filter(referral=referral).count() == 2
    r = client.post(
        f"/api/v1/referrals/{referral.uuid}/update/",
        {"status": "assessed", "assessment": "identified", "sex": "F"},
        format="json",
    )
    assert r.status_code == 200 and r.json()["sex"] == "F" and len(r.json()["services"]) == 2


def test_service_dates_must_be_ordered_and_nothing_is_written(joint, alice, vera, api):
    joint.submit_screening(alice)
    referral = Referral.objects.get()
    today = timezone.localdate()
    r = api.as_(vera).post(
        f"/api/v1/referrals/{referral.uuid}/services/",
        {
            "kind": "shelter",
            "provider_kind": "public",
            "provider_name": "IAS",
            "started_on": today.isoformat(),
            "ended_on": (today - dt.timedelta(days=1)).isoformat(),
        },
        format="json",
    )
    assert r.status_code == 400 and r["Content-Type"] == "application/problem+json"
    assert "ended_on" in r.json()["errors"]
    assert not ProtectionService.objects.exists()


def test_only_protection_records_services(joint, alice, percy, api):
    joint.submit_screening(alice)
    referral = Referral.objects.get()
    r = api.as_(percy).post(
        f"/api/v1/referrals/{referral.uuid}/services/",
        {"kind": "shelter", "provider_kind": "public", "provider_name": "IAS", "started_on": "2024-01-01"},
        format="json",
    )
    assert r.status_code == 403
    assert not ProtectionService.objects.exists()


def test_service_layer_refuses_wrong_role(joint, alice, percy):
    joint.submit_screening(alice)
    details = VictimPersonalDetails.objects.get()
    with pytest.raises(services.NotAllowed):
        services.victim_details_record(user=percy.user, details=details, full_name="x")


def test_a_referral_is_not_closed_while_its_assessment_is_pending(joint, alice, vera, api):
    """Closing (or marking assessed) says the assessment is done: with the outcome still
    "pending" it is a 400 problem naming the assessment, and nothing is saved or audited."""
    joint.submit_screening(alice)
    referral = Referral.objects.get()
    client = api.as_(vera)
    url = f"/api/v1/referrals/{referral.uuid}/update/"
    for body in (
        {"status": "closed"},
        {"status": "assessed", "sex": "F"},
        {"status": "closed", "assessment": "pending"},
    ):
        r = client.post(url, body, format="json")
        assert r.status_code == 400 and r["Content-Type"] == "application/problem+json", r.content
        assert r.json()["code"] == "assessment_pending" and "assessment" in r.json()["errors"]
        assert "still pending" in r.json()["errors"]["assessment"][0]
    r = client.post(url, {"status": "closed"}, format="json", HTTP_ACCEPT_LANGUAGE="pt")
    assert "pendente" in r.json()["errors"]["assessment"][0]
    referral.refresh_from_db()
    assert (referral.status, referral.assessment, referral.sex, referral.closed_at) == (
        "new",
        "pending",
        "U",
        None,
    )
    assert not AuditEntry.objects.filter(verb="referral_update").exists()

    r = client.post(url, {"status": "closed", "assessment": "undetermined"}, format="json")
    assert r.status_code == 200, r.content
    referral.refresh_from_db()
    assert (referral.status, referral.assessment) == ("closed", "undetermined") and referral.closed_at
    # Nor is the outcome taken back to "pending" once the referral is closed.
    r = client.post(url, {"assessment": "pending"}, format="json")
    assert r.status_code == 400 and r.json()["code"] == "assessment_pending"


def test_service_layer_refuses_closing_with_a_pending_assessment(joint, alice, vera):
    joint.submit_screening(alice)
    referral = Referral.objects.get()
    with pytest.raises(services.AssessmentPending):
        services.referral_update(user=vera.user, referral=referral, status=Referral.Status.CLOSED)
    assert referral.status == Referral.Status.NEW  # the object in hand is left as it was too
    referral.refresh_from_db()
    assert referral.status == Referral.Status.NEW and referral.closed_at is None


def test_recording_the_same_details_again_writes_no_audit_entry(joint, alice, vera, api):
    joint.submit_screening(alice)
    referral = Referral.objects.get()
    client = api.as_(vera)
    url = f"/api/v1/referrals/{referral.uuid}/person/record/"
    for body in ({}, {"full_name": "", "notes": "", "date_of_birth": None}):
        r = client.post(url, body, format="json")
        assert r.status_code == 200, r.content
    assert not AuditEntry.objects.filter(verb="victim_details_record").exists()
    r = client.post(url, {"full_name": "Maria Santos"}, format="json")
    assert r.status_code == 200 and AuditEntry.objects.filter(verb="victim_details_record").count() == 1


def test_a_referral_taken_by_protection_is_not_new_again(joint, alice, vera, api):
    """Acknowledged, assessed or closed, a referral never goes back to "new" (which the
    protection home counts as waiting): the API refuses it with a 400 problem in the reader's
    language, saying how to reopen, and saves and audits nothing."""
    joint.submit_screening(alice)
    referral = Referral.objects.get()
    client = api.as_(vera)
    url = f"/api/v1/referrals/{referral.uuid}/update/"
    assert client.post(url, {"status": "acknowledged"}, format="json").status_code == 200
    for status in ("acknowledged", "closed"):
        body = {"status": status, "assessment": "identified"} if status == "closed" else {"status": status}
        assert client.post(url, body, format="json").status_code == 200
        audited = AuditEntry.objects.filter(verb="referral_update").count()
        r = client.post(url, {"status": "new"}, format="json")
        assert r.status_code == 400 and r["Content-Type"] == "application/problem+json", r.content
        assert r.json()["code"] == "referral_already_taken" and "reopen" in r.json()["errors"]["status"][0]
        r = client.post(url, {"status": "new"}, format="json", HTTP_ACCEPT_LANGUAGE="zh-hant")
        assert "重新" in r.json()["errors"]["status"][0]
        referral.refresh_from_db()
        assert referral.status == status
        assert AuditEntry.objects.filter(verb="referral_update").count() == audited
    with pytest.raises(services.ReferralAlreadyTaken):
        services.referral_update(user=vera.user, referral=referral, status=Referral.Status.NEW)
