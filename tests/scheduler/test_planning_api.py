"""The planner's API end to end: create an operation, choose targets, plan, read, adjust,
publish; secrecy before the reveal time."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from backend.audit.models import AuditEntry
from backend.inspections.models import Inspection, Team
from backend.registry.models import Skill
from scheduler.models import PlanningJob
from tests.scheduler.conftest import EVENING


@pytest.fixture
def operation_payload(city):
    return {
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
        "female_officer": True,
        "visit_minutes": 45,
    }


def _planned(api, paula, city, payload):
    client = api.as_(paula)
    created = client.post("/api/v1/planning/operations/", payload, format="json")
    assert created.status_code == 201, created.content
    op_id = created.json()["id"]
    venues = [str(v.uuid) for v in city["venues"][:2]]
    targets = client.post(
        f"/api/v1/planning/operations/{op_id}/targets/", {"sites": venues, "wave": "W1"}, format="json"
    )
    assert targets.status_code == 200, targets.content
    started = client.post(
        f"/api/v1/planning/operations/{op_id}/plan/start/", {"time_limit_seconds": 5}, format="json"
    )
    assert started.status_code == 202, started.content
    return client, op_id, started.json()["id"]


@pytest.mark.django_db(transaction=True)
def test_plan_forms_joint_teams_that_obey_the_rule(api, paula, city, operation_payload):
    client, op_id, job_id = _planned(api, paula, city, operation_payload)
    job = client.get(f"/api/v1/planning/jobs/{job_id}/").json()
    assert job["status"] == "succeeded" and job["progress"] == 1.0
    plan = client.get(f"/api/v1/planning/operations/{op_id}/plan/").json()
    assert plan["evaluation"]["feasible"], plan["evaluation"]["violations"]
    assert not plan["unplanned"]
    assert len(plan["routes"]) == 2  # two venues in one wave: two teams
    for route in plan["routes"]:
        members = route["members"]
        assert {m["agency"] for m in members} == {"PSP", "DSAL"}
        assert any(m["sex"] == "F" for m in members)
    starts = {route["stops"][0]["start"] for route in plan["routes"]}
    assert len(starts) == 1  # the wave starts together


@pytest.mark.django_db(transaction=True)
def test_publish_creates_inspections_that_phones_see_only_after_reveal(
    api, paula, city, operation_payload, phone
):
    client, op_id, _job = _planned(api, paula, city, operation_payload)
    published = client.post(f"/api/v1/planning/operations/{op_id}/plan/publish/")  # today: years before
    assert published.status_code == 200, published.content
    assert Inspection.objects.filter(operation__uuid=op_id).count() == 2
    assert Team.objects.filter(operation__uuid=op_id).count() == 2
    pat = city["psp"][0]
    assert phone(pat).get("/api/mobile/v1/assignments/").json()["results"] == []  # sealed
    with time_machine.travel(EVENING - dt.timedelta(minutes=30), tick=False):
        seen = phone(pat).get("/api/mobile/v1/assignments/").json()["results"]
        assert len(seen) == 1 and seen[0]["operation"]["name"] == "Thunderbolt"
    assert PlanningJob.objects.get(operation__uuid=op_id).status == "published"


@pytest.mark.django_db(transaction=True)
def test_moving_a_visit_is_re_evaluated_and_reported(api, paula, city, operation_payload):
    client, op_id, _job = _planned(api, paula, city, operation_payload)
    plan = client.get(f"/api/v1/planning/operations/{op_id}/plan/").json()
    visit = plan["routes"][0]["stops"][0]["visit"]
    moved = client.post(
        f"/api/v1/planning/operations/{op_id}/plan/move/", {"visit": visit, "to_route": 1}, format="json"
    ).json()
    assert not moved["evaluation"]["feasible"]  # one team cannot be in two venues of one wave
    assert {v["code"] for v in moved["evaluation"]["violations"]} & {
        "wave_desynchronised",
        "wave_invalid",
        "visit_outside_window",
        "site_closed",
        "travel_infeasible",
        "schedule_inconsistent",
    }
    refused = client.post(f"/api/v1/planning/operations/{op_id}/plan/publish/")
    assert refused.status_code == 409
    removed = client.post(
        f"/api/v1/planning/operations/{op_id}/plan/move/", {"visit": visit, "to_route": None}, format="json"
    ).json()
    assert any(u["visit"] == visit if "visit" in u else u["visit_id"] == visit for u in removed["unplanned"])


@pytest.mark.django_db(transaction=True)
def test_briefing_csv_and_printable_page(api, paula, city, operation_payload):
    client, op_id, _job = _planned(api, paula, city, operation_payload)
    csv_response = client.get(f"/api/v1/planning/operations/{op_id}/plan/briefings/1/csv/")
    assert csv_response.status_code == 200
    lines = csv_response.content.decode().strip().splitlines()
    assert lines[0].startswith("date,team,order,site,address") and len(lines) == 2
    assert 'filename="briefing-team-1.csv"' in csv_response["Content-Disposition"]
    assert client.get(f"/api/v1/planning/operations/{op_id}/plan/briefings/0/").status_code == 404
    page = client.get(f"/api/v1/planning/operations/{op_id}/plan/briefings/1/")
    assert page.status_code == 200 and b"Briefing of Team 1" in page.content


@pytest.mark.django_db(transaction=True)
def test_a_sealed_operation_is_its_planners_alone_and_reads_are_audited(
    api, paula, city, operation_payload, alice, bob
):
    _client, op_id, job_id = _planned(api, paula, city, operation_payload)
    from tests import factories

    other_planner = factories.officer("PSP", username="otto", roles=("planner",))
    for who in (other_planner, alice, bob):
        c = api.as_(who)
        for url in (
            f"/api/v1/planning/operations/{op_id}/",
            f"/api/v1/planning/operations/{op_id}/plan/",
            f"/api/v1/planning/jobs/{job_id}/",
            f"/api/v1/planning/operations/{op_id}/plan/briefings/1/",
        ):
            assert c.get(url).status_code in (401, 403, 404), (who, url)  # inspectors: 401
    assert api.as_(other_planner).get("/api/v1/planning/operations/").json() == []
    api.as_(paula).get(f"/api/v1/planning/operations/{op_id}/")
    assert AuditEntry.objects.filter(verb="sealed_operation_read", actor=paula.user).exists()


@pytest.mark.django_db(transaction=True)
def test_an_operation_without_enough_officers_explains_why(api, paula, city, operation_payload):
    # A skill of the registry (an unknown code is refused) that nobody has.
    Skill.objects.get_or_create(
        code="interpreter", defaults={"name_en": "interpreter", "kind": "qualification"}
    )
    operation_payload["required_skills"] = ["interpreter"]
    client, op_id, _job = _planned(api, paula, city, operation_payload)
    plan = client.get(f"/api/v1/planning/operations/{op_id}/plan/").json()
    assert len(plan["unplanned"]) == 2
    assert all(u["reason"] for u in plan["unplanned"])


def test_bad_operation_input_is_refused_and_writes_nothing(api, paula, city, operation_payload):
    from backend.inspections.models import Operation

    operation_payload["reveal_at"] = (EVENING + dt.timedelta(hours=2)).isoformat()  # after the start
    response = api.as_(paula).post("/api/v1/planning/operations/", operation_payload, format="json")
    assert response.status_code == 400 and response.json()["code"] == "invalid"
    assert not Operation.objects.exists()
    # Refused after the operation's row is written (a team rule whose largest team is smaller
    # than its smallest): the whole creation is undone, not an operation without its set-up.
    operation_payload.update(reveal_at=(EVENING - dt.timedelta(hours=1)).isoformat(), team_min_size=3)
    response = api.as_(paula).post("/api/v1/planning/operations/", operation_payload, format="json")
    assert response.status_code == 400 and "team_max_size" in response.json()["errors"], response.content
    assert not Operation.objects.exists()


@pytest.mark.parametrize("when", ["0001-01-01T00:00:00", "0001-01-01T00:00:00+08:00"])
def test_a_time_before_the_calendar_is_refused_not_a_server_error(api, paula, city, operation_payload, when):
    """A time in year one without its offset is made Macau's, a day before the calendar in UTC:
    DRF's check that such a time exists raised OverflowError, a 500. Now the field's own 400, on
    create and on edit, for the operation's times and a wave's, and nothing is written."""
    from backend.inspections.models import Operation

    client = api.as_(paula)
    for field in ("reveal_at", "starts_at", "ends_at"):
        response = client.post(
            "/api/v1/planning/operations/", {**operation_payload, field: when}, format="json"
        )
        assert response.status_code == 400 and field in response.json()["errors"], response.content
    wave = [{"code": "W1", "starts_at": when}]
    response = client.post(
        "/api/v1/planning/operations/", {**operation_payload, "waves": wave}, format="json"
    )
    assert response.status_code == 400 and "waves[0].starts_at" in response.json()["errors"], response.content
    assert not Operation.objects.exists()
    created = client.post("/api/v1/planning/operations/", operation_payload, format="json")
    assert created.status_code == 201, created.content
    url = f"/api/v1/planning/operations/{created.json()['id']}/"
    response = client.patch(url, {"reveal_at": when}, format="json")
    assert response.status_code == 400 and "reveal_at" in response.json()["errors"], response.content
    assert Operation.objects.get().reveal_at == EVENING - dt.timedelta(hours=1)


def test_only_planners_may_plan(api, alice, carol, city, operation_payload):
    response = api.as_(carol).post("/api/v1/planning/operations/", operation_payload, format="json")
    assert response.status_code == 403  # a reviewer
    response = api.as_(alice).post("/api/v1/planning/operations/", operation_payload, format="json")
    assert response.status_code == 401  # an inspector's phone token is not let in
