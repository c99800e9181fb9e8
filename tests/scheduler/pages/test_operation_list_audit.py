"""The planner's Operations page is a read of every sealed operation it shows, and is audited as
the API's list and opening one are (#15): one entry per sealed operation shown, none for a revealed
one or one the filters leave out, none for what another planner's list would never show."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.utils import timezone

from backend.audit.models import AuditEntry
from backend.inspections.models import Operation
from tests.browser_support import sign_in_client
from tests.scheduler.pages.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def _listed(user):
    return AuditEntry.objects.filter(actor=user, action="read", verb="sealed_operation_listed")


def test_the_operations_page_audits_each_sealed_operation_it_shows(planner_client, operation, paula):
    revealed = Operation.objects.get(pk=operation.pk)
    revealed.pk = None
    revealed.uuid = uuid.uuid4()
    revealed.name = "Already revealed"
    revealed.status = Operation.Status.PUBLISHED
    revealed.reveal_at = timezone.now() - dt.timedelta(hours=1)
    revealed.save()
    revealed.planners.add(paula)

    page = planner_client.get("/planning/")
    assert page.status_code == 200
    assert b"Thunderbolt" in page.content and b"Already revealed" in page.content
    entries = list(_listed(paula.user))
    assert [(e.object_type, e.object_id, e.object_repr) for e in entries] == [
        ("inspections.operation", str(operation.uuid), str(operation))
    ]
    assert entries[0].ip_address == "127.0.0.1"

    # A filter that leaves the sealed one out reads (and audits) nothing more.
    planner_client.get("/planning/?status=published")
    assert _listed(paula.user).count() == 1


def test_another_planners_list_neither_shows_nor_audits_it(client, operation, other_planner):
    sign_in_client(client, "dora", PASSWORD)
    page = client.get("/planning/")
    assert page.status_code == 200 and b"Thunderbolt" not in page.content
    assert not AuditEntry.objects.filter(verb="sealed_operation_listed").exists()
