"""Who may touch what, for every endpoint of the officers' API.

An officer not on the team, an officer of another agency (even one taking part in the
operation), the operation's planner, and anyone at all before the operation's reveal time get
404 for every object, exactly as for an object that does not exist, and find nothing in any
list. Without a valid token every endpoint answers 401. Teammates share their work.
"""

from __future__ import annotations

import base64
import datetime as dt
import uuid
from dataclasses import dataclass

import pytest
import time_machine

from backend.core.access import visible
from backend.inspections import selectors, services
from backend.inspections.models import CheckIn, Inspection, Submission
from mobile_api.apis import SubmissionInputSerializer
from mobile_api.services_auth import device_tokens_revoke_for_user
from tests import factories
from tests.checklists.engine.factories import UUID as PHOTO_REF
from tests.mobile_api.conftest import (
    API,
    assert_problem,
    assert_problem_body,
    attachment_url,
    checkin_payload,
    jpeg_with_gps,
    row_counts,
    submission_payload,
)


@dataclass
class Target:
    inspection: Inspection
    submission: str  # the UUID of a submission on it, its photo uploaded


def _store(officer, inspection, version) -> str:
    """A submission with its photo, through the services (as a phone's sync would leave it)."""
    payload = submission_payload(inspection, version)
    serializer = SubmissionInputSerializer(data=payload)
    serializer.is_valid(raise_exception=True)
    result = services.submission_ingest(officer=officer, data=serializer.to_input())
    photo = jpeg_with_gps()
    services.attachment_store(
        officer=officer,
        submission=result.submission,
        name=PHOTO_REF,
        chunks=[photo],
        content_length=len(photo),
    )
    return payload["id"]


@pytest.fixture
def eve(db):
    """A police inspector like Alice, on no team of the operation."""
    return factories.officer("PSP", username="eve", full_name="Eve Police", sex="F")


@pytest.fixture
def revealed(field, alice) -> Target:
    return Target(field.revealed, _store(alice, field.revealed, field.venue_version))


@pytest.fixture
def sealed(field, alice) -> Target:
    """Work on the sealed operation, made while it was revealed; its reveal has since been put
    back (the clock here stands before it), so it is secret again."""
    with time_machine.travel(field.sealed_operation.reveal_at + dt.timedelta(hours=1)):
        return Target(field.sealed, _store(alice, field.sealed, field.venue_version))


# --- The endpoints: each answers (status, the response or, for a batch item, its body) -----------


def _new_submission(field, inspection) -> dict:
    return {**submission_payload(field.revealed, field.venue_version), "inspection": str(inspection)}


def assignment_detail(client, field, inspection, submission):
    response = client.get(f"{API}/assignments/{inspection}/")
    return response.status_code, response


def check_in(client, field, inspection, submission):
    response = client.post(
        f"{API}/assignments/{inspection}/check-ins/", checkin_payload(field.revealed), format="json"
    )
    return response.status_code, response


def submission_create(client, field, inspection, submission):
    response = client.post(f"{API}/submissions/", _new_submission(field, inspection), format="json")
    return response.status_code, response


def batch_item(client, field, inspection, submission):
    items = [_new_submission(field, inspection)]
    response = client.post(f"{API}/submissions/batch/", {"items": items}, format="json")
    if response.status_code != 200:
        return response.status_code, response
    [result] = response.json()["results"]
    return result["status"], result["body"]


def submission_detail(client, field, inspection, submission):
    response = client.get(f"{API}/submissions/{submission}/")
    return response.status_code, response


def attachment_put(client, field, inspection, submission):
    response = client.put(attachment_url(submission, PHOTO_REF), jpeg_with_gps(), content_type="image/jpeg")
    return response.status_code, response


def attachment_get(client, field, inspection, submission):
    response = client.get(attachment_url(submission, PHOTO_REF))
    return response.status_code, response


ENDPOINTS = [
    assignment_detail,
    check_in,
    submission_create,
    batch_item,
    submission_detail,
    attachment_put,
    attachment_get,
]


def _problem(result) -> dict:
    if isinstance(result, dict):  # a batch item's body
        assert_problem_body(result, 404, "not_found")
        return result
    return assert_problem(result, 404, "not_found")


# --- Outsiders get 404, the same 404 as for nothing at all ----------------------------------------

OUTSIDERS = [
    ("eve", "revealed"),  # same agency, not on the team
    ("bob", "revealed"),  # another agency
    ("carol", "revealed"),  # a reviewer of an agency taking part in the operation
    ("paula", "revealed"),  # the operation's planner: planning is not field work
    ("alice", "sealed"),  # on the team, but before the reveal time
]


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=lambda e: e.__name__)
@pytest.mark.parametrize(("who", "work"), OUTSIDERS, ids=[f"{w}-{t}" for w, t in OUTSIDERS])
def test_outsiders_get_not_found_for_every_object(request, field, phone, endpoint, who, work):
    target = request.getfixturevalue(work)
    client = phone(request.getfixturevalue(who))
    counts = row_counts()

    status, result = endpoint(client, field, target.inspection.uuid, target.submission)
    assert status == 404
    body = _problem(result)

    _, unknown = endpoint(client, field, uuid.uuid4(), uuid.uuid4())
    assert body == _problem(unknown)  # nothing tells the two apart
    assert row_counts() == counts


@pytest.mark.parametrize(("who", "work"), OUTSIDERS, ids=[f"{w}-{t}" for w, t in OUTSIDERS])
def test_outsiders_find_nothing_in_any_list(request, phone, who, work):
    target = request.getfixturevalue(work)
    officer = request.getfixturevalue(who)
    client = phone(officer)
    listing = client.get(f"{API}/assignments/")
    listed = listing.json()["results"]
    since_ever = client.get(
        f"{API}/assignments/", {"since": base64.urlsafe_b64encode(b"2000-01-01T00:00Z").decode()}
    )
    assert since_ever.status_code == 200
    for results in (listed, since_ever.json()["results"]):
        assert str(target.inspection.uuid) not in {a["id"] for a in results}
    # Nor the checklist sent on it (a visit's "sent" names it, and its sender).
    for response in (listing, since_ever):
        assert target.submission not in response.content.decode()
    assert not selectors.assignment_list_for_officer(officer=officer).filter(pk=target.inspection.pk).exists()
    assert (
        selectors.submission_list_for_officer(officer=officer).filter(inspection=target.inspection).count()
        == 0
    )


def test_before_the_reveal_even_the_back_office_scope_hides_the_work(sealed, alice):
    assert not visible(alice.user, Inspection.objects.filter(pk=sealed.inspection.pk)).exists()
    assert visible(alice.user, Submission.objects.filter(uuid=sealed.submission)).count() == 0


def test_after_the_reveal_the_team_sees_it(sealed, alice, phone):
    with time_machine.travel(sealed.inspection.operation.reveal_at + dt.timedelta(minutes=1)):
        client = phone(alice)
        for endpoint in (assignment_detail, submission_detail, attachment_get):
            status, _ = endpoint(client, None, sealed.inspection.uuid, sealed.submission)
            assert status == 200, endpoint.__name__


# --- Teammates share their work ---------------------------------------------------------------------


def test_a_teammate_sees_the_work_of_the_team(revealed, dora, phone):
    client = phone(dora)
    for endpoint in (assignment_detail, submission_detail, attachment_get):
        status, _ = endpoint(client, None, revealed.inspection.uuid, revealed.submission)
        assert status == 200, endpoint.__name__
    body = client.get(f"{API}/submissions/{revealed.submission}/").json()
    assert body["findings"] and body["complete"] is True
    # The visit in the feed says the checklist was sent, and by whom.
    [assignment] = client.get(f"{API}/assignments/").json()["results"]
    assert [(s["id"], s["by"]["full_name"]) for s in assignment["sent"]] == [
        (revealed.submission, "Alice Police")
    ]


# --- Another officer's client ids are not an oracle ---------------------------------------------------


def test_another_officers_submission_id_is_not_found_even_on_my_own_inspection(field, revealed, bob, phone):
    payload = submission_payload(field.routine, field.agency_version, id=revealed.submission)
    client = phone(bob)
    counts = row_counts()
    assert_problem(client.post(f"{API}/submissions/", payload, format="json"), 404, "not_found")
    assert row_counts() == counts
    assert Submission.objects.get(uuid=revealed.submission).inspection == field.revealed


def test_another_officers_check_in_id_is_not_found_even_on_my_own_inspection(field, alice, bob, phone):
    mine = checkin_payload(field.revealed)
    assert phone(alice).post(f"{API}/assignments/{field.revealed.uuid}/check-ins/", mine).status_code == 201
    client = phone(bob)
    counts = row_counts()
    response = client.post(
        f"{API}/assignments/{field.routine.uuid}/check-ins/", checkin_payload(field.routine, id=mine["id"])
    )
    assert_problem(response, 404, "not_found")
    assert row_counts() == counts
    assert CheckIn.objects.get(uuid=mine["id"]).officer == alice


# --- No valid token, no entry ------------------------------------------------------------------------


@pytest.fixture
def no_token(db):
    from rest_framework.test import APIClient

    return APIClient()


@pytest.fixture
def garbage_token(no_token):
    no_token.credentials(HTTP_AUTHORIZATION="Bearer this-is-not-a-token-of-ours-at-all")
    return no_token


@pytest.fixture
def malformed_token(no_token):
    no_token.credentials(HTTP_AUTHORIZATION="Bearer ../../<script>")
    return no_token


@pytest.fixture
def signed_out_token(alice, phone):
    client = phone(alice)
    assert client.post(f"{API}/auth/sign-out/").status_code in (200, 204)
    return client


@pytest.fixture
def revoked_token(alice, phone, admin_user):
    client = phone(alice)
    assert device_tokens_revoke_for_user(actor=admin_user, user=alice.user, reason="Phone lost.") == 1
    return client


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=lambda e: e.__name__)
@pytest.mark.parametrize(
    "credentials", ["no_token", "garbage_token", "malformed_token", "signed_out_token", "revoked_token"]
)
def test_without_a_valid_token_every_endpoint_is_unauthorised(
    request, field, revealed, endpoint, credentials
):
    client = request.getfixturevalue(credentials)
    counts = row_counts()
    response = client.get(f"{API}/assignments/")
    assert_problem(response, 401)
    assert response["WWW-Authenticate"].startswith("Bearer")
    status, response = endpoint(client, field, revealed.inspection.uuid, revealed.submission)
    assert status == 401
    assert_problem(response, 401)
    assert row_counts() == counts
