"""The statements a submission costs are pinned, so ingest cannot silently slow down: a single
submission costs a fixed number whatever the number of answers, findings or people referred, and
a batch the same fixed number whatever its size (set-based: one insert per table for all its
items). Counted through the officers' API, savepoints and releases included (inside the test's
transaction, BEGIN and COMMIT are savepoints)."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

from backend.checklists.services import parsed_definition
from tests.checklists.engine.factories import fill
from tests.mobile_api.conftest import API, submission_payload

BATCH = f"{API}/submissions/batch/"
SINGLE = f"{API}/submissions/"
# Token (1); idempotency and the assignment (2 reads; the checklist version and the agencies are
# cached per process once read); submission, attachments, findings, rollup queue, inspection
# status, audit (6 writes); the screened persons' protected store (backend.privacy: 1 insert; the
# identifying answers are taken out before the submission and its findings are inserted, so no
# update follows); the transaction (a savepoint and its release: 2). With people flagged:
# referrals, their personal details, their audit entries and their notifications in the outbox
# (4 writes, one per table, whatever the number of people; a first submission reads no earlier
# referrals: only a correction can have any).
SINGLE_NO_PERSON = 12
SINGLE_ONE_PERSON = 16


def _issue(field, count):
    from backend.inspections import services as inspections

    revealed = field.revealed
    return [
        inspections.inspection_issue(
            actor=None,
            site=revealed.site,
            category=revealed.category,
            template_version=field.venue_version,
            planned_start=revealed.planned_start,
            planned_end=revealed.planned_end,
            team=revealed.team,
            operation=revealed.operation,
            route_order=2 + i,
        )
        for i in range(count)
    ]


def _count(client, url, body, expected_status):
    with CaptureQueriesContext(connection) as queries:
        response = client.post(url, body, format="json")
    assert response.status_code == expected_status, response.content
    return len(queries), response.json()


def _single(field, client, inspection, *, yes, entries):
    payload = submission_payload(inspection, field.venue_version)
    payload["answers"] = fill(parsed_definition(field.venue_version), yes=yes, entries=entries)
    count, body = _count(client, SINGLE, payload, 201)
    return count, body["findings"]


def test_a_single_submission_costs_the_same_statements_whatever_its_answers(field, alice, phone):
    client = phone(alice)
    targets = _issue(field, 5)
    # The token's first use writes its last-use time once, and each checklist version is read
    # once per process: not part of the pinned cost.
    _count(client, SINGLE, submission_payload(field.revealed, field.screening_version), 201)
    _count(client, SINGLE, submission_payload(targets.pop(), field.venue_version), 201)

    few, few_findings = _single(field, client, targets[0], yes=False, entries=1)
    many, many_findings = _single(field, client, targets[1], yes=False, entries=4)
    assert not any(f["potential_victim"] for f in few_findings + many_findings)
    assert few == many == SINGLE_NO_PERSON

    one, one_findings = _single(field, client, targets[2], yes=True, entries=1)
    three, three_findings = _single(field, client, targets[3], yes=True, entries=3)
    people = [sum(f["potential_victim"] for f in found) for found in (one_findings, three_findings)]
    assert people == [1, 3] and len(three_findings) > len(one_findings)
    assert one == three == SINGLE_ONE_PERSON


def test_a_batch_costs_the_same_statements_whatever_its_size(field, alice, phone):
    client = phone(alice)
    targets = _issue(field, 17)
    _count(client, SINGLE, submission_payload(field.revealed, field.screening_version), 201)
    _count(client, SINGLE, submission_payload(targets.pop(), field.venue_version), 201)
    counts = {}
    for size in (1, 5, 10):
        items = [submission_payload(targets.pop(), field.venue_version) for _ in range(size)]
        counts[size], body = _count(client, BATCH, {"items": items}, 200)
        assert [r["status"] for r in body["results"]] == [201] * size
        referred = sum(f["potential_victim"] for r in body["results"] for f in r["body"]["findings"])
        assert referred >= size  # every item flags a person: referrals are in the count
    assert counts == {1: SINGLE_ONE_PERSON, 5: SINGLE_ONE_PERSON, 10: SINGLE_ONE_PERSON}


def test_a_batch_of_replays_costs_the_same_statements_whatever_its_size(field, alice, phone):
    client = phone(alice)
    targets = _issue(field, 16)
    _count(client, SINGLE, submission_payload(field.revealed, field.screening_version), 201)
    counts = {}
    for size in (1, 5, 10):
        items = [submission_payload(targets.pop(), field.venue_version) for _ in range(size)]
        _count(client, BATCH, {"items": items}, 200)
        counts[size], body = _count(client, BATCH, {"items": items}, 200)
        assert [r["status"] for r in body["results"]] == [200] * size
    # Token (1), the transaction (2), idempotency (1), their attachments and findings (2).
    assert counts == {1: 6, 5: 6, 10: 6}
