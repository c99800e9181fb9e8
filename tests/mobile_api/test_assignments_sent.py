"""What the team has already sent for a visit, in the feed: each checklist the server holds as it
stands (the current revision, nothing superseded or deleted) and who sent it, by name, badge and
agency, so a teammate's phone offers no second start of it. Nothing more of the sender, and
nothing to anyone off the team."""

from __future__ import annotations

import datetime as dt

from backend.inspections import services as inspections
from backend.inspections.models import Inspection, Submission
from tests.mobile_api.conftest import API, submission_payload

ASSIGNMENTS = f"{API}/assignments/"


def send(client, inspection, version, **overrides) -> str:
    payload = submission_payload(inspection, version, **overrides)
    response = client.post(f"{API}/submissions/", payload, format="json")
    assert response.status_code == 201, response.content
    return payload["id"]


def only_assignment(response) -> dict:
    assert response.status_code == 200, response.content
    [assignment] = response.json()["results"]
    return assignment


def test_a_checklist_a_teammate_sent_names_who_sent_it(field, alice, dora, phone):
    assert only_assignment(phone(alice).get(ASSIGNMENTS))["sent"] == []

    sent_id = send(phone(dora), field.revealed, field.venue_version)

    assignment = only_assignment(phone(alice).get(ASSIGNMENTS))
    assert assignment["status"] == Inspection.Status.SUBMITTED
    # The sender's own phone gets the same: its officer's id tells it the work is its own.
    assert only_assignment(phone(dora).get(ASSIGNMENTS))["sent"] == assignment["sent"]
    [sent] = assignment["sent"]
    received_at = dt.datetime.fromisoformat(sent.pop("received_at"))
    assert received_at == Submission.objects.get(uuid=sent_id).received_at
    assert sent == {
        "id": sent_id,
        "checklist": str(field.venue_version.uuid),
        "template": "venue_prostitution_trafficking",
        "revision": 1,
        # As a teammate knows her: nothing of her login, rank, sex or unit.
        "by": {
            "id": str(dora.uuid),
            "full_name": "Dora Police",
            "badge_number": dora.badge_number,
            "agency": "PSP",
        },
    }


def test_a_sync_since_the_cursor_carries_a_second_checklist_sent(field, alice, dora, phone):
    """The visit was already 'submitted' (its status and time do not move): the checklist sent
    is the change."""
    alices, doras = phone(alice), phone(dora)
    send(doras, field.revealed, field.venue_version)
    cursor = alices.get(ASSIGNMENTS).json()["cursor"]
    field.revealed.refresh_from_db()
    updated_at = field.revealed.updated_at

    send(doras, field.revealed, field.screening_version)
    field.revealed.refresh_from_db()
    assert field.revealed.updated_at == updated_at

    assignment = only_assignment(alices.get(ASSIGNMENTS, {"since": cursor}))
    assert [s["template"] for s in assignment["sent"]] == [
        "venue_prostitution_trafficking",
        "ilo_forced_labour_screening",
    ]


def test_the_current_revision_alone_and_nothing_deleted(field, alice, dora, phone, admin_user):
    first = send(phone(alice), field.revealed, field.venue_version)
    correction = send(phone(dora), field.revealed, field.venue_version, replaces=first)
    [sent] = only_assignment(phone(alice).get(ASSIGNMENTS))["sent"]
    assert (sent["id"], sent["revision"], sent["by"]["full_name"]) == (correction, 2, "Dora Police")

    inspections.submission_delete(
        actor=admin_user, submission=Submission.objects.get(uuid=correction), reason="Sent by mistake."
    )
    assert only_assignment(phone(alice).get(ASSIGNMENTS))["sent"] == []


def test_the_detail_carries_what_was_sent_as_the_list_does(field, alice, dora, phone):
    send(phone(dora), field.revealed, field.venue_version)
    client = phone(alice)
    [listed] = client.get(ASSIGNMENTS).json()["results"]
    assert listed["sent"]
    assert client.get(f"{ASSIGNMENTS}{field.revealed.uuid}/").json() == listed
