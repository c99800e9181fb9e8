"""Sending a submission: the client's UUID is its identity; findings on ingest; device clocks
recorded, never trusted; accepted submissions immutable, corrected by revisions; older
published checklist versions accepted."""

from __future__ import annotations

import copy
import datetime as dt
import uuid

import pytest
import time_machine
from django.db import IntegrityError, transaction
from django.utils import timezone

from backend.checklists.services import template_version_create, template_version_publish
from backend.inspections import services as inspections
from backend.inspections.models import Finding, Submission
from tests.mobile_api.conftest import API, assert_problem, submission_payload

SUBMISSIONS = f"{API}/submissions/"


def send(client, payload, **headers):
    return client.post(SUBMISSIONS, payload, format="json", **headers)


def detail(client, submission_id):
    return client.get(f"{SUBMISSIONS}{submission_id}/")


def as_posted(client, submission_id):
    """The submission read back as the POST answered it: the same body, and the stored answers
    and the declared files beside it for the officer who sent it."""
    body = detail(client, submission_id).json()
    stored = Submission.objects.get(uuid=submission_id)
    assert body.pop("answers") == stored.answers
    assert [a["name"] for a in body.pop("attachments")] == sorted(a.name for a in stored.attachments.all())
    return body


def without_minor(answers):
    """The same visit, corrected: the person found was not a minor after all."""
    corrected = copy.deepcopy(answers)
    corrected["persons"][0]["apparent_minor"] = False
    return corrected


# --- Identity and idempotency ------------------------------------------------------------------


def test_a_new_submission_is_stored_with_its_findings(field, alice, phone):
    payload = submission_payload(field.revealed, field.venue_version)
    response = send(phone(alice), payload)
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["id"] == payload["id"]
    assert body["inspection"] == str(field.revealed.uuid)
    assert body["revision"] == 1 and body["replaces"] is None and body["status"] == "accepted"
    assert body["complete"] is False and body["missing_attachments"] == [payload["attachments"][0]["name"]]

    submission = Submission.objects.get(uuid=payload["id"])
    assert submission.officer == alice
    stored = {(str(f.uuid), f.rule_code, f.status) for f in Finding.objects.filter(submission=submission)}
    shown = {(f["id"], f["rule"], f["status"]) for f in body["findings"]}
    assert shown == stored
    assert {"apparent_minor", "trafficking_signs"} <= {rule for _id, rule, _status in stored}
    minor = next(f for f in body["findings"] if f["rule"] == "apparent_minor")
    assert minor["potential_victim"] is True and minor["entry"] == "persons[0]"
    field.revealed.refresh_from_db()
    assert field.revealed.status == "submitted"


def test_the_same_uuid_and_content_answers_as_the_first_time(field, alice, phone):
    client = phone(alice)
    payload = submission_payload(field.revealed, field.venue_version)
    first = send(client, payload)
    again = send(client, payload)
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json() == first.json()
    assert Submission.objects.count() == 1
    assert Finding.objects.count() == len(first.json()["findings"])


def test_key_order_does_not_make_other_content(field, alice, phone):
    client = phone(alice)
    payload = submission_payload(field.revealed, field.venue_version)
    assert send(client, payload).status_code == 201
    reordered = {key: payload[key] for key in reversed(payload)}
    reordered["answers"] = {key: payload["answers"][key] for key in reversed(payload["answers"])}
    assert send(client, reordered).status_code == 200


def test_the_same_uuid_with_other_content_is_a_conflict_and_the_stored_one_is_untouched(field, alice, phone):
    client = phone(alice)
    payload = submission_payload(field.revealed, field.venue_version)
    first = send(client, payload).json()
    stored = Submission.objects.get(uuid=payload["id"])

    other = {**payload, "answers": without_minor(payload["answers"])}
    body = assert_problem(send(client, other), 409, "submission_conflict")
    assert body["submission"] == payload["id"]

    again = Submission.objects.get(uuid=payload["id"])
    assert (again.answers, again.content_digest, again.revision) == (stored.answers, stored.content_digest, 1)
    assert as_posted(client, payload["id"]) == first


def test_the_client_uuid_is_unique_in_the_database(field, alice, phone):
    payload = submission_payload(field.revealed, field.venue_version)
    assert send(phone(alice), payload).status_code == 201
    stored = Submission.objects.get(uuid=payload["id"])
    with pytest.raises(IntegrityError), transaction.atomic():
        Submission.objects.create(
            uuid=stored.uuid,
            inspection=stored.inspection,
            officer=stored.officer,
            template_version=stored.template_version,
            answers={},
            device_submitted_at=stored.device_submitted_at,
        )


# --- Device clocks -----------------------------------------------------------------------------


def test_a_device_clock_far_from_the_server_is_flagged(field, alice, phone):
    ahead = (timezone.now() + dt.timedelta(hours=1)).isoformat()
    response = send(
        phone(alice), submission_payload(field.revealed, field.venue_version), HTTP_X_DEVICE_TIME=ahead
    )
    assert response.status_code == 201
    assert response.json()["clock_skewed"] is True
    assert abs(Submission.objects.get().clock_skew_seconds - 3600) < 60


def test_a_device_clock_within_the_tolerance_is_not_flagged(field, alice, phone):
    close = (timezone.now() + dt.timedelta(seconds=20)).isoformat()
    response = send(
        phone(alice), submission_payload(field.revealed, field.venue_version), HTTP_X_DEVICE_TIME=close
    )
    assert response.status_code == 201
    assert response.json()["clock_skewed"] is False


def test_a_submission_finished_in_the_future_is_flagged_and_received_at_server_time(field, alice, phone):
    client = phone(alice)
    server_time = timezone.now() + dt.timedelta(seconds=10)
    future = (server_time + dt.timedelta(days=2)).isoformat()
    payload = submission_payload(field.revealed, field.venue_version, device_submitted_at=future)
    with time_machine.travel(server_time, tick=False):
        response = send(client, payload)
    assert response.status_code == 201
    assert response.json()["clock_skewed"] is True
    submission = Submission.objects.get()
    assert submission.received_at == server_time
    assert submission.device_submitted_at > submission.received_at  # recorded as the phone said


def test_device_times_never_order_submissions(field, alice, phone):
    """The phone that says it finished later but reached the server first comes first."""
    client = phone(alice)
    now = timezone.now()
    late_claim = submission_payload(
        field.revealed, field.venue_version, device_submitted_at=(now + dt.timedelta(days=1)).isoformat()
    )
    early_claim = submission_payload(
        field.revealed, field.screening_version, device_submitted_at=(now - dt.timedelta(days=1)).isoformat()
    )
    with time_machine.travel(now + dt.timedelta(seconds=1), tick=False):
        assert send(client, late_claim).status_code == 201
    with time_machine.travel(now + dt.timedelta(seconds=2), tick=False):
        assert send(client, early_claim).status_code == 201
    assert [str(s.uuid) for s in Submission.objects.order_by("received_at")] == [
        late_claim["id"],
        early_claim["id"],
    ]


# --- Immutability and revisions ----------------------------------------------------------------


@pytest.mark.parametrize("method", ["put", "patch", "delete"])
def test_an_accepted_submission_cannot_be_changed(field, alice, phone, method):
    client = phone(alice)
    payload = submission_payload(field.revealed, field.venue_version)
    first = send(client, payload).json()
    other = {**payload, "answers": without_minor(payload["answers"])}
    response = getattr(client, method)(f"{SUBMISSIONS}{payload['id']}/", other, format="json")
    assert_problem(response, 405, "method_not_allowed")
    assert as_posted(client, payload["id"]) == first


def test_a_correction_is_revision_two_and_withdraws_the_old_findings(field, alice, phone):
    client = phone(alice)
    original = submission_payload(field.revealed, field.venue_version)
    first = send(client, original).json()
    stored = Submission.objects.get(uuid=original["id"])
    correction = submission_payload(
        field.revealed,
        field.venue_version,
        answers=without_minor(original["answers"]),
        replaces=original["id"],
    )
    response = send(client, correction)
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["revision"] == 2 and body["replaces"] == original["id"] and body["status"] == "accepted"
    assert "apparent_minor" not in {f["rule"] for f in body["findings"]}
    assert {f["status"] for f in body["findings"]} == {"draft"}

    old = detail(client, original["id"]).json()
    assert old["status"] == "superseded"
    assert {f["id"] for f in old["findings"]} == {f["id"] for f in first["findings"]}
    assert {f["status"] for f in old["findings"]} == {"withdrawn"}
    kept = Submission.objects.get(uuid=original["id"])
    assert (kept.answers, kept.content_digest, kept.revision) == (stored.answers, stored.content_digest, 1)


def test_a_second_correction_of_a_stale_base_is_refused(field, alice, dora, phone):
    original = submission_payload(field.revealed, field.venue_version)
    assert send(phone(alice), original).status_code == 201
    first_fix = submission_payload(
        field.revealed,
        field.venue_version,
        answers=without_minor(original["answers"]),
        replaces=original["id"],
    )
    assert send(phone(alice), first_fix).status_code == 201

    # Dora corrects the same original, not knowing Alice already did.
    second_fix = submission_payload(field.revealed, field.venue_version, replaces=original["id"])
    body = assert_problem(send(phone(dora), second_fix), 409, "stale_revision")
    assert body["current"] == first_fix["id"]
    assert not Submission.objects.filter(uuid=second_fix["id"]).exists()

    # Correcting the current revision works.
    rebased = {**second_fix, "id": str(uuid.uuid4()), "replaces": first_fix["id"]}
    response = send(phone(dora), rebased)
    assert response.status_code == 201 and response.json()["revision"] == 3


def test_a_correction_replayed_answers_as_the_first_time(field, alice, phone):
    client = phone(alice)
    original = submission_payload(field.revealed, field.venue_version)
    send(client, original)
    correction = submission_payload(field.revealed, field.venue_version, replaces=original["id"])
    first = send(client, correction)
    again = send(client, correction)
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json() == first.json()


def test_a_deleted_submission_cannot_come_back_through_a_replay(field, alice, phone, admin_user):
    client = phone(alice)
    payload = submission_payload(field.revealed, field.venue_version)
    assert send(client, payload).status_code == 201
    submission = Submission.objects.get(uuid=payload["id"])
    inspections.submission_delete(
        actor=admin_user, submission=submission, reason="Entered on the wrong visit."
    )

    assert_problem(send(client, payload), 410, "submission_deleted")
    other = {**payload, "answers": without_minor(payload["answers"])}
    assert_problem(send(client, other), 410, "submission_deleted")
    assert_problem(detail(client, payload["id"]), 404, "not_found")
    submission.refresh_from_db()
    assert submission.status == "deleted"
    assert set(submission.findings.values_list("status", flat=True)) == {"withdrawn"}
    assert Submission.objects.count() == 1


# --- Checklist versions ------------------------------------------------------------------------


@pytest.fixture
def venue_v2(field):
    """A second published version of the venue checklist with a new required question, and an
    inspection issued on it for Alice's team."""
    definition = copy.deepcopy(field.venue_version.definition)
    definition["sections"][0]["questions"].append(
        {
            "key": "cctv_present",
            "type": "yes_no",
            "required": True,
            "label": {"en": "CCTV present", "zh-hant": "有閉路電視", "pt": "CCTV presente"},
        }
    )
    v2 = template_version_publish(
        actor=None, version=template_version_create(actor=None, definition=definition)
    )
    inspection = inspections.inspection_issue(
        actor=None,
        site=field.revealed.site,
        category="prostitution_trafficking",
        template_version=v2,
        additional_versions=[field.screening_version],
        planned_start=timezone.now(),
        planned_end=timezone.now() + dt.timedelta(hours=2),
        team=field.revealed.team,
        operation=field.operation,
        route_order=2,
    )
    return v2, inspection


def test_work_on_an_older_published_version_is_accepted_and_validated_against_it(
    field, alice, phone, venue_v2
):
    v2, inspection = venue_v2
    client = phone(alice)
    on_v1 = submission_payload(inspection, field.venue_version)
    assert "cctv_present" not in on_v1["answers"]
    response = send(client, on_v1)
    assert response.status_code == 201, response.content
    assert response.json()["template_version"] == str(field.venue_version.uuid)

    # The same answers on v2 miss its new required question.
    on_v2 = submission_payload(inspection, v2, answers=on_v1["answers"])
    assert_problem(send(client, on_v2), 400, "answers_invalid", fields=("answers.cctv_present",))
    complete = submission_payload(inspection, v2, answers={**on_v1["answers"], "cctv_present": True})
    assert send(client, complete).status_code == 201


def test_an_unknown_version_names_the_template_and_the_versions_it_accepts(field, alice, phone, venue_v2):
    v2, inspection = venue_v2
    payload = submission_payload(inspection, field.venue_version, template_version=str(uuid.uuid4()))
    body = assert_problem(
        send(phone(alice), payload), 400, "template_version_unknown", fields=("template_version",)
    )
    accepted = {a["template"]: a for a in body["accepted_versions"]}
    assert accepted["venue_prostitution_trafficking"]["versions"] == [1, 2]
    assert accepted["venue_prostitution_trafficking"]["uuids"] == [
        str(field.venue_version.uuid),
        str(v2.uuid),
    ]
    assert accepted["ilo_forced_labour_screening"]["versions"] == [1]
    assert "venue_prostitution_trafficking: versions 1, 2" in body["detail"]


def test_an_unpublished_version_is_unknown(field, alice, phone):
    draft = template_version_create(actor=None, definition={**field.venue_version.definition, "findings": []})
    payload = submission_payload(field.revealed, field.venue_version, template_version=str(draft.uuid))
    body = assert_problem(send(phone(alice), payload), 400, "template_version_unknown")
    assert {"template": "venue_prostitution_trafficking", "versions": [1]}.items() <= next(
        a for a in body["accepted_versions"] if a["template"] == "venue_prostitution_trafficking"
    ).items()
    assert Submission.objects.count() == 0
