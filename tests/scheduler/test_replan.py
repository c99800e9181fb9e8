"""Re-planning a published operation when an officer drops out."""

from __future__ import annotations

import datetime as dt

import pytest

from backend.inspections.models import Inspection
from scheduler.models import PlanningJob
from tests import factories
from tests.scheduler.conftest import EVENING, on_shift
from tests.scheduler.test_planning_api import _planned


@pytest.fixture
def published(api, paula, city):
    # A spare woman from the police, on shift, who can step in.
    on_shift(factories.officer("PSP", username="pia", full_name="Pia Police", sex="F", rank=5))
    payload = {
        "name": "Thunderbolt",
        "lead_agency": "PSP",
        "agencies": ["DSAL"],
        "starts_at": EVENING.isoformat(),
        "ends_at": (EVENING + dt.timedelta(hours=6)).isoformat(),
        "reveal_at": (EVENING - dt.timedelta(hours=1)).isoformat(),
        "muster_unit": city["muster"].code,
        "waves": [{"code": "W1", "starts_at": (EVENING + dt.timedelta(hours=1)).isoformat()}],
        "team_min_size": 2,
        "team_max_size": 2,
        "required_agencies": ["PSP", "DSAL"],
        "female_officer": False,
    }
    client, op_id, _job = _planned(api, paula, city, payload)
    assert client.post(f"/api/v1/planning/operations/{op_id}/plan/publish/").status_code == 200
    return client, op_id


@pytest.mark.django_db(transaction=True)
def test_an_officer_who_drops_out_is_replaced_and_nothing_else_moves(published, city):
    client, op_id = published
    before = {i.uuid: (i.team_id, i.planned_start) for i in Inspection.objects.filter(operation__uuid=op_id)}
    dropped = next(
        o for o in city["psp"] if Inspection.objects.filter(operation__uuid=op_id, team__members=o).exists()
    )
    response = client.post(
        f"/api/v1/planning/operations/{op_id}/plan/replan/",
        {"officer": str(dropped.uuid), "since": (EVENING - dt.timedelta(hours=2)).isoformat()},
        format="json",
    )
    assert response.status_code == 201, response.content
    draft = response.json()
    assert draft["replan_of"] and draft["evaluation"]["feasible"], draft["evaluation"]
    assert draft["moves"] == 0  # a substitute takes the whole route
    members = {m["name"] for r in draft["routes"] for m in r["members"]}
    assert dropped.full_name not in members
    assert client.post(f"/api/v1/planning/operations/{op_id}/plan/publish/").status_code == 200
    after = {i.uuid: (i.team_id, i.planned_start) for i in Inspection.objects.filter(operation__uuid=op_id)}
    assert after == before  # same teams, same times: only a team's make-up changed
    assert not Inspection.objects.filter(operation__uuid=op_id, team__members=dropped).exists()
    assert PlanningJob.objects.filter(operation__uuid=op_id, status="published").count() == 2


@pytest.mark.django_db(transaction=True)
def test_replanning_needs_a_published_plan_and_an_officer_in_it(api, paula, city, published, alice):
    client, op_id = published
    response = client.post(
        f"/api/v1/planning/operations/{op_id}/plan/replan/", {"officer": str(alice.uuid)}, format="json"
    )
    assert response.status_code == 400 and "officer" in response.json()["errors"]
