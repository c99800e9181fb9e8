"""Phones retrying at the same moment: concurrent replays race on the database's unique rules and
row locks, and one record results whatever the timing. Needs PostgreSQL (SQLite serialises
every writer, so nothing would race); CI runs it there."""

from __future__ import annotations

import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection
from rest_framework.test import APIClient

from backend.inspections.models import Attachment, CheckIn, Finding, Submission
from backend.inspections.personal_files import read_original
from tests.checklists.engine.factories import UUID as PHOTO_REF
from tests.mobile_api.conftest import (
    API,
    attachment_url,
    checkin_payload,
    jpeg_with_gps,
    stored_files,
    submission_payload,
)

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="concurrency needs PostgreSQL's row locks and parallel writers; set DATABASE_URL to run it",
    ),
    pytest.mark.django_db(transaction=True),
]


def at_once(count: int, authorization: str, send) -> list[tuple[int, dict]]:
    """``send(client)`` from ``count`` threads released together, each with its own connection."""
    barrier = threading.Barrier(count)

    def one(_: int) -> tuple[int, dict]:
        try:
            client = APIClient()
            client.credentials(HTTP_AUTHORIZATION=authorization)
            barrier.wait(timeout=30)
            response = send(client)
            return response.status_code, response.json()
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=count) as pool:
        return list(pool.map(one, range(count)))


def authorization(client: APIClient) -> str:
    return client._credentials["HTTP_AUTHORIZATION"]


def test_twenty_concurrent_replays_store_one_submission(field, alice, phone):
    payload = submission_payload(field.revealed, field.venue_version)
    results = at_once(
        20, authorization(phone(alice)), lambda c: c.post(f"{API}/submissions/", payload, format="json")
    )

    assert Counter(status for status, _ in results) == {201: 1, 200: 19}, results
    bodies = [body for _, body in results]
    assert all(body == bodies[0] for body in bodies)
    assert Submission.objects.filter(uuid=payload["id"]).count() == 1
    assert Submission.objects.count() == 1
    assert Finding.objects.count() == len(bodies[0]["findings"])
    assert Attachment.objects.count() == 1


def test_ten_concurrent_uploads_of_one_file_store_it_once(field, alice, phone, media):
    client = phone(alice)
    payload = submission_payload(field.revealed, field.venue_version)
    assert client.post(f"{API}/submissions/", payload, format="json").status_code == 201
    url = attachment_url(payload["id"], PHOTO_REF)

    results = at_once(
        10, authorization(client), lambda c: c.put(url, jpeg_with_gps(), content_type="image/jpeg")
    )

    assert Counter(status for status, _ in results) == {201: 1, 200: 9}, results
    assert len(stored_files(media)) == 2  # the original and the served copy, once each
    attachment = Attachment.objects.get()
    assert attachment.received_at is not None
    assert read_original(attachment) == jpeg_with_gps()


def test_ten_concurrent_check_in_replays_record_one_arrival(field, alice, phone):
    payload = checkin_payload(field.revealed)
    url = f"{API}/assignments/{field.revealed.uuid}/check-ins/"
    results = at_once(10, authorization(phone(alice)), lambda c: c.post(url, payload, format="json"))

    assert Counter(status for status, _ in results) == {201: 1, 200: 9}, results
    assert CheckIn.objects.count() == 1


def test_two_concurrent_corrections_of_one_revision_make_one_revision_two(field, alice, dora, phone):
    original = submission_payload(field.revealed, field.venue_version)
    assert phone(alice).post(f"{API}/submissions/", original, format="json").status_code == 201
    fixes = iter(
        [submission_payload(field.revealed, field.venue_version, replaces=original["id"]) for _ in range(2)]
    )
    lock = threading.Lock()

    def correct(client):
        with lock:
            fix = next(fixes)
        return client.post(f"{API}/submissions/", fix, format="json")

    results = at_once(2, authorization(phone(dora)), correct)

    assert sorted(status for status, _ in results) == [201, 409], results
    assert {body["code"] for status, body in results if status == 409} == {"stale_revision"}
    assert Submission.objects.filter(revision=2).count() == 1
    assert Submission.objects.get(uuid=original["id"]).status == "superseded"
