"""A sent checklist read back through the officers' API: the officer who sent it (and only they,
only while the visit is theirs) GETs the stored answers, so another of their phones, or theirs
after a sign-out, can show what was sent. A teammate reads its status and findings, not its
answers; a screened person's identifying answers come back coded, as stored."""

from __future__ import annotations

import pytest

from backend.inspections import services as inspections
from backend.inspections.models import Submission
from tests.mobile_api.conftest import API, assert_problem, submission_payload

pytestmark = pytest.mark.django_db


def sent(client, payload) -> dict:
    response = client.post(f"{API}/submissions/", payload, format="json")
    assert response.status_code == 201, response.content
    return response.json()


def read_back(client, submission_id):
    return client.get(f"{API}/submissions/{submission_id}/")


def test_the_officer_who_sent_it_reads_the_stored_answers_back_from_another_phone(field, alice, phone):
    payload = submission_payload(field.revealed, field.venue_version)
    sent(phone(alice, "first phone"), payload)

    response = read_back(phone(alice, "second phone"), payload["id"])
    assert response.status_code == 200
    body = response.json()
    assert body["answers"] == Submission.objects.get(uuid=payload["id"]).answers
    assert body["answers"]["remarks"] == payload["answers"]["remarks"]
    # What the phone shows beside them, as before.
    assert body["received_at"] and body["template_version"] == str(field.venue_version.uuid)
    assert body["complete"] is False and body["missing_attachments"]


def test_a_teammate_reads_the_status_and_findings_not_the_answers(field, alice, dora, phone):
    payload = submission_payload(field.revealed, field.venue_version)
    sent(phone(alice), payload)
    body = read_back(phone(dora), payload["id"]).json()
    assert body["answers"] is None
    assert body["findings"] and body["status"] == "accepted"


def test_a_teammates_correction_is_theirs_to_read_back(field, alice, dora, phone):
    original = submission_payload(field.revealed, field.venue_version)
    sent(phone(alice), original)
    correction = submission_payload(field.revealed, field.venue_version, replaces=original["id"])
    sent(phone(dora), correction)
    alices = phone(alice)
    assert read_back(alices, original["id"]).json()["answers"] is not None  # her revision, superseded
    assert read_back(alices, correction["id"]).json()["answers"] is None  # Dora's
    assert read_back(phone(dora), correction["id"]).json()["answers"] is not None


def test_once_the_visit_is_no_longer_theirs_nothing_is_read_back(field, alice, dora, phone):
    payload = submission_payload(field.revealed, field.venue_version)
    client = phone(alice)
    sent(client, payload)
    inspections.team_set_members(actor=None, team=field.revealed.team, members=[dora])
    assert_problem(read_back(client, payload["id"]), 404, "not_found")


def test_another_officer_reads_nothing(field, alice, bob, phone):
    payload = submission_payload(field.revealed, field.venue_version)
    sent(phone(alice), payload)
    assert_problem(read_back(phone(bob), payload["id"]), 404, "not_found")


def test_a_screened_persons_identifying_answers_come_back_coded(field, alice, phone):
    payload = submission_payload(field.revealed, field.screening_version)
    people = payload["answers"]["persons"]
    assert people and people[0].get("person_ref"), people
    people[0]["person_ref"] = "Ms Wong, room 3"
    sent(phone(alice), payload)
    body = read_back(phone(alice), payload["id"]).json()
    person = body["answers"]["persons"][0]
    assert person["person_ref"].startswith("SP-"), person
    assert "Ms Wong" not in str(body)


def test_a_screening_corrected_from_its_read_back_keeps_the_persons_own_answers(field, alice, phone):
    """The read-back gives the phone a screened person's coded reference and '[protected]' in
    place of what the officer wrote; corrected from it, the correction stored those as the
    person's reference and notes, and victim protection lost the originals. They stand for
    'unchanged': the correction's protected store holds the originals again, coded as before;
    a note the officer typed anew is kept as typed."""
    from backend.privacy.models import ScreenedPerson

    payload = submission_payload(field.revealed, field.screening_version)
    person = payload["answers"]["persons"][0]
    notes = sorted(k for k in person if k.endswith("_note"))
    assert len(notes) >= 2, person
    person.update(
        {"person_ref": "Ms Wong, room 3", notes[0]: "Passport kept by the boss", notes[1]: "Sleeps on site"}
    )
    sent(phone(alice, "first phone"), payload)
    second = phone(alice, "second phone")
    stored = read_back(second, payload["id"]).json()["answers"]
    read = stored["persons"][0]
    assert read["person_ref"].startswith("SP-") and read[notes[0]] == read[notes[1]] == "[protected]"

    # Corrected on the second phone: a coded answer changed, one note typed anew.
    read["nationality"] = "vietnam" if read.get("nationality") != "vietnam" else "philippines"
    read[notes[1]] = "Sleeps in the container"
    correction = submission_payload(
        field.revealed, field.screening_version, answers=stored, replaces=payload["id"]
    )
    sent(second, correction)
    kept = ScreenedPerson.objects.get(submission__uuid=correction["id"])
    written = {k: v for k, v in person.items() if k == "person_ref" or k.endswith("_note")}
    assert kept.answers == {**written, notes[1]: "Sleeps in the container"}
    assert kept.answers["person_ref"] == "Ms Wong, room 3"
    assert kept.coded_reference == read["person_ref"]  # the same person, the same code
    again = read_back(second, correction["id"]).json()["answers"]["persons"][0]
    assert again["person_ref"] == read["person_ref"] and "Ms Wong" not in str(again)
    assert (
        Submission.objects.get(uuid=correction["id"]).answers["persons"][0]["nationality"]
        == read["nationality"]
    )
