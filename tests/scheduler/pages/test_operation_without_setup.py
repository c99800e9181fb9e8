"""An operation made outside the planner's pages (by the inspections service, the back-office
API or the demo's sealed second night) has no planner's setup; its planner still opens its page
and its form instead of a server error."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from backend.inspections import services as inspections
from backend.inspections.models import Operation
from tests.browser_support import sign_in_client

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"


@pytest.fixture
def bare_operation(paula):
    now = timezone.now()
    return inspections.operation_create(
        actor=None,
        name="Night 2 (sealed)",
        lead_agency=paula.agency,
        planners=[paula],
        reveal_at=now + dt.timedelta(hours=20),
        starts_at=now + dt.timedelta(hours=22),
        ends_at=now + dt.timedelta(hours=30),
        status=Operation.Status.PUBLISHED,
    )


def test_its_planner_opens_the_page_and_the_form(client, paula, bare_operation):
    sign_in_client(client, "paula", PASSWORD)
    listed = client.get("/planning/")
    assert f"/planning/operations/{bare_operation.uuid}/" in listed.content.decode()

    page = client.get(f"/planning/operations/{bare_operation.uuid}/")
    assert page.status_code == 200
    assert "Night 2 (sealed)" in page.content.decode()

    form = client.get(f"/planning/operations/{bare_operation.uuid}/edit/")
    assert form.status_code == 200
