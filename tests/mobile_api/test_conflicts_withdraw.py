"""An officer's declaration of a conflict of interest made offline and sent later (an id the phone
made, so a replay is stored once), and withdrawn when the tie has ended: kept, marked withdrawn,
audited, and no longer honoured by the planners' scheduler.

Alice (PSP inspector) declares and withdraws; Bob (DSAL inspector) is another officer; Paula
(planner) reads everyone's declarations.
"""

from __future__ import annotations

import uuid

import pytest
from rest_framework.test import APIClient

from backend.audit.models import AuditEntry
from backend.registry import selectors
from backend.registry.models import ConflictOfInterest
from mobile_api.services_auth import device_tokens_revoke_for_user
from scheduler.problem import _conflicts as conflicts_read_by_the_scheduler
from tests.mobile_api.conftest import API, assert_problem

CONFLICTS = f"{API}/me/conflicts/"


def withdraw_url(conflict_id) -> str:
    return f"{CONFLICTS}{conflict_id}/withdraw/"


def declare(client, site, *, made=None, reason="My cousin manages it."):
    body = {"site": str(site.uuid), "reason": reason}
    if made is not None:
        body["id"] = str(made)
    return client.post(CONFLICTS, body, format="json")


def rows() -> dict[str, int]:
    return {"conflicts": ConflictOfInterest.objects.count(), "audit": AuditEntry.objects.count()}


# --- A declaration made offline, sent (and sent again) later --------------------------------------


def test_the_phones_id_names_the_declaration(alice, karaoke, phone):
    made = uuid.uuid4()
    response = declare(phone(alice), karaoke, made=made)
    assert response.status_code == 201, response.content
    assert response.json()["id"] == str(made)
    assert response.json()["withdrawn_at"] is None
    assert ConflictOfInterest.objects.get().uuid == made


def test_a_replay_is_answered_with_the_row_stored_not_a_second_one(alice, karaoke, phone):
    client = phone(alice)
    made = uuid.uuid4()
    first = declare(client, karaoke, made=made)
    before = rows()
    again = declare(client, karaoke, made=made, reason="Typed again, differently.")
    assert again.status_code == 201
    assert again.json() == first.json()
    assert rows() == before  # nothing written, nothing audited


def test_a_replay_of_a_declaration_since_withdrawn_answers_it_withdrawn(alice, karaoke, phone):
    client = phone(alice)
    made = uuid.uuid4()
    declare(client, karaoke, made=made)
    withdrawn = client.post(withdraw_url(made)).json()
    again = declare(client, karaoke, made=made)
    assert again.json() == withdrawn  # not declared afresh by a late replay
    assert ConflictOfInterest.objects.count() == 1


def test_another_officers_id_is_refused_and_writes_nothing(alice, bob, karaoke, phone):
    made = uuid.uuid4()
    declare(phone(alice), karaoke, made=made)
    bobs = phone(bob)
    before = rows()
    response = declare(bobs, karaoke, made=made)
    # As another officer's submission or check-in id: nothing to learn here. A 409 "This id names
    # another declaration" told whoever held an id that a colleague had declared a tie under it.
    body = assert_problem(response, 404, "not_found")
    assert "errors" not in body and "declaration" not in body["detail"]
    assert rows() == before
    assert ConflictOfInterest.objects.get().officer == alice


@pytest.mark.parametrize("made", ["not-a-uuid", 12345, ""])
def test_an_id_that_is_no_uuid_is_a_400(alice, karaoke, phone, made):
    client = phone(alice)
    response = client.post(CONFLICTS, {"id": made, "site": str(karaoke.uuid), "reason": "x"}, format="json")
    assert_problem(response, 400, "invalid", ("id",))
    assert ConflictOfInterest.objects.count() == 0


# --- Withdrawing ----------------------------------------------------------------------------------


def test_an_officer_withdraws_their_declaration_and_it_is_kept_marked_and_audited(
    alice, paula, karaoke, phone
):
    client = phone(alice)
    made = declare(client, karaoke).json()["id"]
    response = client.post(withdraw_url(made))
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["id"] == made and body["withdrawn_at"] is not None
    row = ConflictOfInterest.objects.get()
    assert row.withdrawn_at is not None  # kept, not deleted
    assert client.get(CONFLICTS).json()["results"] == [body]  # listed, as withdrawn
    entry = AuditEntry.objects.get(verb="conflict_withdraw")
    assert entry.actor_id == alice.user.pk
    assert entry.action == AuditEntry.Action.UPDATE
    assert list(entry.changes) == ["withdrawn_at"]
    # Planners still read it, marked withdrawn.
    assert [c.withdrawn_at for c in selectors.conflict_list(user=paula.user)] == [row.withdrawn_at]


def test_withdrawing_twice_changes_nothing(alice, karaoke, phone):
    client = phone(alice)
    made = declare(client, karaoke).json()["id"]
    first = client.post(withdraw_url(made)).json()
    before = rows()
    again = client.post(withdraw_url(made))
    assert again.status_code == 200
    assert again.json() == first
    assert rows() == before


def test_the_same_site_declared_after_a_withdrawal_is_a_new_declaration(alice, karaoke, phone):
    client = phone(alice)
    made = declare(client, karaoke).json()["id"]
    client.post(withdraw_url(made))
    again = declare(client, karaoke, reason="The cousin is back.")
    assert again.status_code == 201
    assert again.json()["id"] != made and again.json()["withdrawn_at"] is None
    listed = client.get(CONFLICTS).json()["results"]
    assert [(r["reason"], r["withdrawn_at"] is None) for r in listed] == [
        ("The cousin is back.", True),
        ("My cousin manages it.", False),
    ]


def test_the_scheduler_stops_honouring_a_withdrawn_declaration(alice, karaoke, phone):
    # What the scheduler's problems (an operation's, a programme's) read as the officer's ties.
    client = phone(alice)
    made = declare(client, karaoke).json()["id"]
    assert conflicts_read_by_the_scheduler([alice]) == {str(alice.uuid): {str(karaoke.uuid)}}
    client.post(withdraw_url(made))
    assert conflicts_read_by_the_scheduler([alice]) == {}


# --- Who may withdraw -----------------------------------------------------------------------------


def test_another_officers_declaration_is_404_and_untouched(alice, bob, karaoke, phone):
    made = declare(phone(alice), karaoke).json()["id"]
    bobs = phone(bob)
    before = rows()
    assert_problem(bobs.post(withdraw_url(made)), 404, "not_found")
    assert rows() == before
    assert ConflictOfInterest.objects.get().withdrawn_at is None


@pytest.mark.parametrize("conflict_id", ["not-a-uuid", str(uuid.uuid4())])
def test_an_unknown_declaration_is_404(alice, phone, conflict_id):
    assert_problem(phone(alice).post(withdraw_url(conflict_id)), 404, "not_found")


def test_a_revoked_device_token_withdraws_nothing(alice, karaoke, phone, admin_user):
    client = phone(alice)
    made = declare(client, karaoke).json()["id"]
    assert device_tokens_revoke_for_user(actor=admin_user, user=alice.user, reason="Phone lost.") == 1
    before = rows()
    assert_problem(client.post(withdraw_url(made)), 401, "token_invalid")
    assert_problem(APIClient().post(withdraw_url(made)), 401, "not_authenticated")
    assert rows() == before
    assert ConflictOfInterest.objects.get().withdrawn_at is None


def test_withdrawing_takes_no_body_and_no_other_method(alice, karaoke, phone):
    client = phone(alice)
    made = declare(client, karaoke).json()["id"]
    for method in ("get", "put", "patch", "delete"):
        assert getattr(client, method)(withdraw_url(made)).status_code == 405
    assert ConflictOfInterest.objects.get().withdrawn_at is None


# --- The back office reads it withdrawn -----------------------------------------------------------


def test_the_back_office_api_lists_a_withdrawn_declaration_as_withdrawn(paula, karaoke, phone):
    # Paula, a planner, is an officer too: her phone withdraws, her script token reads.
    made = declare(phone(paula), karaoke).json()["id"]
    phone(paula).post(withdraw_url(made))
    script = APIClient()
    script.force_authenticate(paula.user)
    listed = script.get("/api/v1/me/conflicts/").json()
    results = listed["results"] if isinstance(listed, dict) else listed
    assert [(r["id"], r["withdrawn_at"] is not None) for r in results] == [(made, True)]
