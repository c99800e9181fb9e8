"""Due work in the planner's API: request, list, cancel; planners of the work's agency only."""

from __future__ import annotations

import datetime as dt

import pytest
from rest_framework.test import APIClient

from backend.planning.models import DueWork
from tests import factories

URL = "/api/v1/planning/due-work/"


@pytest.fixture
def dina(db):
    return factories.officer("DSAL", username="dina", full_name="Dina Planner", roles=("planner",), sex="F")


@pytest.fixture
def site(db):
    return factories.site(kind="employment_agency", name_en="Good Jobs Agency")


def _request(client, site, **extra):
    body = {
        "site": str(site.uuid),
        "category": "employment_agency",
        "earliest": "2030-03-04",
        "latest": "2030-03-08",
        "priority": 2,
        "note": "complaint from a worker",
        **extra,
    }
    return client.post(URL, body, format="json")


def test_a_planner_requests_lists_and_cancels_their_agencys_due_work(api, dina, site):
    client = api.as_(dina)
    created = _request(client, site)
    assert created.status_code == 201, created.content
    body = created.json()
    assert (body["agency"], body["status"], body["reason"], body["site_name"]) == (
        "DSAL",
        "open",
        "manual",
        "Good Jobs Agency",
    )
    listed = client.get(URL).json()
    assert [d["id"] for d in listed] == [body["id"]]
    assert client.get(URL, {"status": "cancelled"}).json() == []
    cancelled = client.post(f"{URL}{body['id']}/cancel/", {"note": "closed down"}, format="json")
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"
    again = client.post(f"{URL}{body['id']}/cancel/", {}, format="json")
    assert again.status_code == 409 and again.json()["code"] == "due_work_not_open"


def test_another_agencys_planner_sees_and_cancels_nothing(api, dina, paula, site):
    created = _request(api.as_(dina), site).json()
    psp = api.as_(paula)
    assert psp.get(URL).json() == []
    assert psp.get(f"{URL}{created['id']}/").status_code == 404
    assert psp.post(f"{URL}{created['id']}/cancel/", {}, format="json").status_code == 404
    assert DueWork.objects.get(uuid=created["id"]).status == "open"


def test_a_planner_cannot_request_work_for_another_agency(api, paula, site):
    refused = _request(api.as_(paula), site, agency="DSAL")
    assert refused.status_code == 404 and not DueWork.objects.exists()


def test_only_planners_and_only_signed_in(api, bob, carol, dina, site):
    created = _request(api.as_(dina), site).json()
    # A DSAL inspector (a phone's token, not let in), a DSAL reviewer (refused).
    for who, status in ((bob, 401), (carol, 403)):
        client = api.as_(who)
        assert client.get(URL).status_code == status
        assert _request(client, site).status_code == status
        assert client.post(f"{URL}{created['id']}/cancel/", {}, format="json").status_code == status
    anonymous = APIClient()
    assert anonymous.get(URL).status_code in (401, 403)
    assert anonymous.post(f"{URL}{created['id']}/cancel/").status_code in (401, 403)


def test_bad_input_is_a_400_not_a_500(api, dina, site):
    client = api.as_(dina)
    assert _request(client, site, latest="2030-03-01").status_code == 400  # ends before it starts
    assert _request(client, site, category="nonsense").status_code == 400
    assert _request(client, site, priority=9).status_code == 400
    assert client.get(URL, {"status": "whatever"}).status_code == 400
    assert client.get(f"{URL}not-a-uuid/").status_code == 404


def test_requested_due_work_is_planned_by_a_programme(api, dina, site, django_capture_on_commit_callbacks):
    """The request reaches the scheduler: a programme of the agency plans it."""
    from backend.registry import services as registry
    from scheduler import services

    inspector = factories.officer("DSAL", username="ivo", full_name="Ivo Inspector")
    partner = factories.officer("DSAL", username="ivy", full_name="Ivy Inspector", sex="F")
    from backend.registry.models import Skill

    skill = Skill.objects.get_or_create(code="labour-inspector", defaults={"name_en": "labour inspector"})[0]
    for officer in (inspector, partner):
        officer.skills.add(skill)
        registry.availability_add(
            actor=None,
            officer=officer,
            kind="shift",
            start=dt.datetime(2030, 3, 4, 9, tzinfo=dt.UTC) - dt.timedelta(hours=8),
            end=dt.datetime(2030, 3, 4, 18, tzinfo=dt.UTC) - dt.timedelta(hours=8),
        )
    due = _request(api.as_(dina), site).json()
    programme = services.programme_create(
        actor=None,
        planner=dina,
        name="Week 10",
        agency=dina.agency,
        start_date=dt.date(2030, 3, 4),
        end_date=dt.date(2030, 3, 4),
        officers=[inspector, partner],
    )
    with django_capture_on_commit_callbacks(execute=True):
        job = services.planning_start(actor=None, programme=programme, time_limit_seconds=2)
    job.refresh_from_db()
    assert [s["visit_id"] for r in job.plan["routes"] for s in r["stops"]] == [due["id"]], job.plan
