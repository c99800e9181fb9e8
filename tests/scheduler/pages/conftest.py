"""Planner page tests: the small city of ``tests/scheduler/conftest.py``, an operation Paula
plans with two waves, and signed-in clients (through the real sign-in page and second factor)."""

from __future__ import annotations

import datetime as dt

import pytest

from scheduler import services
from tests import factories
from tests.browser_support import sign_in_client
from tests.scheduler.conftest import EVENING

PASSWORD = "correct-horse-battery"


@pytest.fixture
def operation(city, paula):
    op = services.operation_plan_create(
        actor=paula.user,
        planner=paula,
        name="Thunderbolt",
        lead_agency=paula.agency,
        agencies=[city["dsal"][0].agency],
        starts_at=EVENING,
        ends_at=EVENING + dt.timedelta(hours=6),
        reveal_at=EVENING - dt.timedelta(hours=1),
        muster_unit=city["muster"],
        waves=[("W1", EVENING + dt.timedelta(hours=1)), ("W2", EVENING + dt.timedelta(hours=3))],
        team_min_size=2,
        team_max_size=2,
        required_agencies=["PSP", "DSAL"],
    )
    services.operation_targets_set(actor=paula.user, operation=op, sites=city["venues"][:2], wave="W1")
    return op


@pytest.fixture
def planner_client(client, paula):
    sign_in_client(client, "paula", PASSWORD)
    return client


@pytest.fixture
def other_planner(db):
    """A planner of another agency (DSAL): plans nothing of Paula's."""
    return factories.officer("DSAL", username="dora", full_name="Dora Planner", roles=("planner",), sex="F")
