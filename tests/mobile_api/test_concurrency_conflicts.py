"""A declaration of a conflict of interest sent at the same moment from two tabs, or replayed by a
queue while the first answer was on its way: one declaration results, and every replay is
answered with it. Needs PostgreSQL (SQLite serialises every writer, so nothing would race)."""

from __future__ import annotations

import uuid

import pytest
from django.db import connection

from backend.audit.models import AuditEntry
from backend.registry.models import ConflictOfInterest
from tests.mobile_api.conftest import API
from tests.mobile_api.test_concurrency import at_once, authorization

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="concurrency needs PostgreSQL's row locks and parallel writers; set DATABASE_URL to run it",
    ),
    pytest.mark.django_db(transaction=True),
]


def test_ten_concurrent_replays_of_one_declaration_store_it_once(alice, karaoke, phone):
    body = {"id": str(uuid.uuid4()), "site": str(karaoke.uuid), "reason": "My cousin manages it."}
    results = at_once(
        10, authorization(phone(alice)), lambda c: c.post(f"{API}/me/conflicts/", body, format="json")
    )
    assert {status for status, _ in results} == {201}, results
    assert all(answer == results[0][1] for _, answer in results)
    assert results[0][1]["id"] == body["id"]
    assert ConflictOfInterest.objects.count() == 1
    assert AuditEntry.objects.filter(verb="conflict_declare").count() == 1


def test_concurrent_declarations_of_one_site_under_different_ids_store_one(alice, karaoke, phone):
    # Two tabs, each queueing its own declaration of the same tie: the tie is declared once.
    def send(client):
        body = {"id": str(uuid.uuid4()), "site": str(karaoke.uuid), "reason": "Cousin."}
        return client.post(f"{API}/me/conflicts/", body, format="json")

    results = at_once(8, authorization(phone(alice)), send)
    assert {status for status, _ in results} == {201}, results
    assert len({answer["id"] for _, answer in results}) == 1
    assert ConflictOfInterest.objects.count() == 1


def test_concurrent_withdrawals_are_audited_once(alice, karaoke, phone):
    client = phone(alice)
    made = client.post(
        f"{API}/me/conflicts/", {"site": str(karaoke.uuid), "reason": "Cousin."}, format="json"
    ).json()["id"]
    results = at_once(8, authorization(client), lambda c: c.post(f"{API}/me/conflicts/{made}/withdraw/"))
    assert {status for status, _ in results} == {200}, results
    assert len({answer["withdrawn_at"] for _, answer in results}) == 1
    assert AuditEntry.objects.filter(verb="conflict_withdraw").count() == 1
