"""Syncing a phone's queue in one request: each item on its own, replays answer 200."""

from __future__ import annotations

import copy
import uuid

from backend.inspections.models import Submission
from tests.mobile_api.conftest import API, assert_problem, assert_problem_body, row_counts, submission_payload

BATCH = f"{API}/submissions/batch/"


def sync(client, items, **headers):
    return client.post(BATCH, {"items": items}, format="json", **headers)


def statuses(response) -> list[int]:
    assert response.status_code == 200, response.content
    return [r["status"] for r in response.json()["results"]]


def invalid(payload):
    broken = copy.deepcopy(payload)
    broken["answers"]["persons_found"] = "many"
    return broken


def test_a_batch_stores_every_item_and_answers_each(field, alice, phone):
    venue = submission_payload(field.revealed, field.venue_version)
    screening = submission_payload(field.revealed, field.screening_version)
    response = sync(phone(alice), [venue, screening])
    assert statuses(response) == [201, 201]
    results = response.json()["results"]
    assert [r["id"] for r in results] == [venue["id"], screening["id"]]
    assert results[0]["body"]["id"] == venue["id"] and results[0]["body"]["findings"]
    assert Submission.objects.count() == 2


def test_a_bad_item_is_reported_and_does_not_block_the_others(field, alice, phone):
    good = submission_payload(field.revealed, field.venue_version)
    bad = invalid(submission_payload(field.revealed, field.venue_version))
    also_good = submission_payload(field.revealed, field.screening_version)
    response = sync(phone(alice), [good, bad, also_good])
    assert statuses(response) == [201, 400, 201]
    report = response.json()["results"][1]
    assert report["id"] == bad["id"]
    assert_problem_body(report["body"], 400, "answers_invalid", fields=("answers.persons_found",))
    assert set(Submission.objects.values_list("uuid", flat=True)) == {
        uuid.UUID(good["id"]),
        uuid.UUID(also_good["id"]),
    }


def test_items_of_a_bad_shape_are_refused_each_as_the_single_endpoint_refuses_it(field, alice, phone):
    """One serializer checks every item of a batch: what it reports of one item never leaks into
    the next, and each report is the single endpoint's."""
    client = phone(alice)
    no_time = submission_payload(field.revealed, field.venue_version)
    del no_time["device_submitted_at"]
    bad_ids = submission_payload(field.revealed, field.venue_version)
    bad_ids["inspection"], bad_ids["attachments"] = "not-a-uuid", [{"name": "a"}, {"name": "a"}]
    good = submission_payload(field.revealed, field.venue_version)
    response = sync(client, [no_time, bad_ids, good])
    assert statuses(response) == [400, 400, 201]
    results = response.json()["results"]
    assert_problem_body(results[0]["body"], 400, "invalid", fields=("device_submitted_at",))
    assert "inspection" not in results[0]["body"]["errors"]
    assert "device_submitted_at" not in results[1]["body"]["errors"]
    for item, result in zip((no_time, bad_ids), results, strict=False):
        single = client.post(f"{API}/submissions/", item, format="json")
        assert single.status_code == 400 and single.json() == result["body"]
    assert Submission.objects.count() == 1


def test_an_item_that_is_not_an_object_does_not_block_the_others(field, alice, phone):
    good = submission_payload(field.revealed, field.venue_version)
    response = sync(phone(alice), ["not a submission", good, 42])
    assert statuses(response) == [400, 201, 400]
    assert_problem_body(response.json()["results"][0]["body"], 400, "invalid")
    assert Submission.objects.count() == 1


def test_a_batch_sent_again_answers_every_item_as_the_first_time(field, alice, phone):
    client = phone(alice)
    items = [
        submission_payload(field.revealed, field.venue_version),
        invalid(submission_payload(field.revealed, field.venue_version)),
        submission_payload(field.revealed, field.screening_version),
    ]
    first = sync(client, items)
    counts = row_counts()
    again = sync(client, items)
    assert statuses(again) == [200, 400, 200]
    for before, after in zip(first.json()["results"], again.json()["results"], strict=True):
        if before["status"] == 201:
            assert after["body"] == before["body"]
    assert row_counts() == counts


def test_a_replay_inside_one_batch_answers_200(field, alice, phone):
    payload = submission_payload(field.revealed, field.venue_version)
    response = sync(phone(alice), [payload, payload])
    assert statuses(response) == [201, 200]
    first, replay = response.json()["results"]
    assert replay["body"] == first["body"]
    assert Submission.objects.count() == 1


def test_a_conflicting_item_is_reported_as_a_conflict(field, alice, phone):
    client = phone(alice)
    payload = submission_payload(field.revealed, field.venue_version)
    assert sync(client, [payload]).status_code == 200
    changed = copy.deepcopy(payload)
    changed["answers"]["locked_exits"] = False
    fresh = submission_payload(field.revealed, field.screening_version)
    response = sync(client, [changed, fresh])
    assert statuses(response) == [409, 201]
    assert_problem_body(response.json()["results"][0]["body"], 409, "submission_conflict")


def test_a_batch_of_200_is_accepted(field, alice, phone):
    # Items that fail their own validation are cheap and still count towards the limit.
    response = sync(phone(alice), [{"id": str(uuid.uuid4())} for _ in range(200)])
    assert statuses(response) == [400] * 200


def test_a_batch_of_201_is_refused_whole(field, alice, phone):
    items = [submission_payload(field.revealed, field.venue_version)] + [{} for _ in range(200)]
    assert_problem(sync(phone(alice), items), 400, "invalid", fields=("items",))
    assert Submission.objects.count() == 0
