"""Phones sending new work at the same moment (#15): every new submission is stored once, each
flagged person is referred once, and overlapping batches both succeed. Needs PostgreSQL (SQLite
serialises every writer, so nothing would race); CI runs it there."""

from __future__ import annotations

import threading
from collections import Counter

import pytest
from django.db import connection

from backend.checklists.services import parsed_definition
from backend.compliance.models import Referral
from backend.inspections.models import Finding, Submission
from tests import factories
from tests.checklists.engine.factories import fill
from tests.mobile_api.conftest import API, submission_payload
from tests.mobile_api.test_concurrency import at_once, authorization

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="concurrency needs PostgreSQL's row locks and parallel writers; set DATABASE_URL to run it",
    ),
    pytest.mark.django_db(transaction=True),
]


def screening(field, person_ref: str) -> dict:
    """A first ILO screening of the revealed visit, of one person who is flagged."""
    answers = fill(parsed_definition(field.screening_version), yes=True, entries=1)
    answers["persons"][0].update({"person_ref": person_ref, "nationality": "philippines"})
    payload = submission_payload(field.revealed, field.screening_version, answers=answers)
    return payload


def test_four_first_screenings_of_one_assignment_at_once_are_all_stored(field, alice, phone):
    factories.agency("IAS", name_en="Social Welfare Bureau")
    payloads = iter([screening(field, f"P-{n}") for n in range(4)])
    lock = threading.Lock()

    def send(client):
        with lock:
            payload = next(payloads)
        return client.post(f"{API}/submissions/", payload, format="json")

    results = at_once(4, authorization(phone(alice)), send)

    assert Counter(status for status, _ in results) == {201: 4}, results
    assert Submission.objects.count() == 4
    flagged = Finding.objects.filter(potential_victim=True)
    assert flagged.count() == 4
    assert sorted(Referral.objects.values_list("finding_id", flat=True)) == sorted(f.pk for f in flagged)


def test_two_batches_holding_the_same_new_items_in_other_orders_both_succeed(field, alice, phone):
    items = [submission_payload(field.revealed, field.venue_version) for _ in range(12)]
    orders = iter([items, list(reversed(items))])
    lock = threading.Lock()

    def send(client):
        with lock:
            batch = next(orders)
        return client.post(f"{API}/submissions/batch/", {"items": batch}, format="json")

    results = at_once(2, authorization(phone(alice)), send)

    assert [status for status, _ in results] == [200, 200], results
    # Each batch is answered in the order it was sent.
    ids = [i["id"] for i in items]
    assert sorted([r["id"] for r in body["results"]] for _s, body in results) == sorted([ids, ids[::-1]])
    statuses = Counter(r["status"] for _s, body in results for r in body["results"])
    assert statuses == {201: 12, 200: 12}, statuses
    assert Submission.objects.count() == 12
