"""Every flagged person gets a referral of their own, exactly once (#15): phones send one ILO
screening per person, so two screenings of one inspection, each naming its first person, are two
people, while a replay or a correction of one screening is still the same person."""

from __future__ import annotations

from backend.audit.models import AuditEntry
from backend.compliance.models import Referral, VictimPersonalDetails
from backend.outbox.models import OutboxMessage
from tests.compliance.conftest import ingest


def test_two_screenings_of_one_inspection_refer_both_people(joint, alice):
    first = joint.submit_screening(alice, person_ref="P-1 red jacket")
    second = joint.submit_screening(alice, person_ref="P-2 blue shirt")
    findings = [*first.findings, *second.findings]
    assert sum(f.potential_victim for f in findings) == 2
    referrals = Referral.objects.order_by("created_at")
    assert [r.finding for r in referrals] == [f for f in findings if f.potential_victim]
    assert sorted(VictimPersonalDetails.objects.values_list("field_reference", flat=True)) == [
        "P-1 red jacket",
        "P-2 blue shirt",
    ]
    assert OutboxMessage.objects.filter(task_name="compliance.referral_notify").count() == 2


def test_a_correction_of_the_second_screening_keeps_two_referrals(joint, alice):
    joint.submit_screening(alice, person_ref="P-1 red jacket")
    second = joint.submit_screening(alice, person_ref="P-2 blue shirt")
    corrected = {**second.submission.answers, "remarks": "corrected"}
    third = ingest(alice, joint.inspection, joint.screening_version, corrected, replaces=second.submission)
    again = {**third.submission.answers, "remarks": "corrected twice"}
    fourth = ingest(alice, joint.inspection, joint.screening_version, again, replaces=third.submission)
    assert Referral.objects.count() == 2
    assert Referral.objects.filter(finding=fourth.findings[0]).exists()
    assert OutboxMessage.objects.filter(task_name="compliance.referral_notify").count() == 2


def test_two_people_in_one_screening_are_two_referrals(joint, alice):
    from backend.checklists.services import parsed_definition
    from tests.checklists.engine.factories import fill

    answers = fill(parsed_definition(joint.screening_version), yes=True, entries=2)
    answers["persons"][0].update({"person_ref": "P-1", "nationality": "philippines"})
    answers["persons"][1].update({"person_ref": "P-2", "nationality": "vietnam"})
    ingest(alice, joint.inspection, joint.screening_version, answers)
    joint.submit_screening(alice, person_ref="P-3")
    assert Referral.objects.count() == 3


def test_who_shelters_a_person_is_shown_to_victim_protection_alone(joint, alice, vera, percy, andy, api):
    """The provider's name and the note say where a person is: analysts, reviewers and team
    leaders see the coded kinds only (#15)."""
    joint.submit_screening(alice)
    referral = Referral.objects.get()
    service = {
        "kind": "shelter",
        "provider_kind": "ngo",
        "provider_name": "Harbour Lights shelter",
        "started_on": "2024-01-02",
        "note": "room 4, Rua do Campo",
    }
    created = api.as_(vera).post(f"/api/v1/referrals/{referral.uuid}/services/", service, format="json")
    assert created.status_code == 201, created.content
    assert created.json()["provider_name"] == "Harbour Lights shelter"

    shown = api.as_(vera).get(f"/api/v1/referrals/{referral.uuid}/").json()["services"][0]
    assert (shown["provider_name"], shown["note"]) == ("Harbour Lights shelter", "room 4, Rua do Campo")
    for who in (andy, percy):
        client = api.as_(who)
        for body in (
            client.get(f"/api/v1/referrals/{referral.uuid}/").json(),
            client.get("/api/v1/referrals/").json()["results"][0],
        ):
            [coded] = body["services"]
            assert (coded["kind"], coded["provider_kind"]) == ("shelter", "ngo")
            assert coded["provider_name"] is None and coded["note"] is None
            assert "Harbour" not in str(body) and "Campo" not in str(body)


def test_a_refused_attempt_at_a_persons_details_is_audited(joint, alice, percy, andy, api):
    joint.submit_screening(alice)
    referral = Referral.objects.get()
    for who in (percy, andy):
        response = api.as_(who).get(f"/api/v1/referrals/{referral.uuid}/person/", REMOTE_ADDR="10.9.8.7")
        assert response.status_code == 404
    refused = AuditEntry.objects.filter(verb="victim_details_refused").order_by("at")
    assert [e.actor for e in refused] == [percy.user, andy.user]
    assert {(e.object_id, e.ip_address) for e in refused} == {(str(referral.uuid), "10.9.8.7")}
    assert not AuditEntry.objects.filter(verb="victim_details_get").exists()
