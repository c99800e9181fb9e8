"""A routine programme: due work in, a week of routes out, published as inspections."""

from __future__ import annotations

import datetime as dt

import pytest

from backend.inspections.models import Inspection
from backend.planning.models import DueWork
from backend.planning.services import due_work_request
from tests import factories
from tests.scheduler.conftest import MACAU, on_shift

MONDAY = dt.date(2030, 3, 4)


@pytest.fixture
def programme_city(db, city):
    agency_sites = [
        factories.site(
            kind="employment_agency",
            name_en=f"Agency {i}",
            latitude=22.20 + i * 0.002,
            longitude=113.54,
            opening_hours=[(d, dt.time(9), dt.time(18)) for d in range(6)],
        )
        for i in range(4)
    ]
    lou, lee = city["dsal"]
    for day in range(5):
        start = dt.datetime.combine(MONDAY + dt.timedelta(days=day), dt.time(9), tzinfo=MACAU)
        for officer in (lou, lee):
            on_shift(officer, start=start, hours=9)
    lou.skills.add(factories_skill("labour-inspector"))
    lee.skills.add(factories_skill("labour-inspector"))
    for site in agency_sites:
        due_work_request(
            actor=None,
            site=site,
            agency=lou.agency,
            category="employment_agency",
            reason="routine",
            earliest=MONDAY,
            latest=MONDAY + dt.timedelta(days=4),
            priority=2,
        )
    return agency_sites


def planned_week(api, city):
    """DSAL's planner makes the week's programme for Lou and Lee and plans it: (client, id)."""
    lou, lee = city["dsal"]
    dina = factories.officer("DSAL", username="dina", roles=("planner",))  # DSAL plans DSAL's work
    client = api.as_(dina)
    created = client.post(
        "/api/v1/planning/programmes/",
        {
            "name": "DSAL agencies week 10",
            "agency": "DSAL",
            "start_date": MONDAY.isoformat(),
            "end_date": (MONDAY + dt.timedelta(days=4)).isoformat(),
            "officers": [str(lou.uuid), str(lee.uuid)],
        },
        format="json",
    )
    assert created.status_code == 201, created.content
    pid = created.json()["id"]
    started = client.post(
        f"/api/v1/planning/programmes/{pid}/plan/start/", {"time_limit_seconds": 3}, format="json"
    )
    assert started.status_code == 202
    return client, pid


def factories_skill(code):
    from backend.registry.models import Skill

    return Skill.objects.get_or_create(code=code, defaults={"name_en": code, "kind": "qualification"})[0]


@pytest.mark.django_db(transaction=True)
def test_programme_plans_every_due_visit_and_publishes_inspections(api, city, programme_city):
    client, pid = planned_week(api, city)
    plan = client.get(f"/api/v1/planning/programmes/{pid}/plan/").json()
    assert plan["evaluation"]["feasible"], plan["evaluation"]["violations"]
    planned = [s for r in plan["routes"] for s in r["stops"]]
    assert len(planned) == 4 and not plan["unplanned"]
    for route in plan["routes"]:
        if route["stops"]:
            assert {m["name"] for m in route["members"]} == {
                "Lou Labour",
                "Lee Labour",
            }  # they work as a pair
            for stop in route["stops"]:
                start = dt.datetime.fromisoformat(stop["start"]).astimezone(MACAU)
                end = dt.datetime.fromisoformat(stop["end"]).astimezone(MACAU)
                assert start.weekday() < 5 and dt.time(9) <= start.time() and end.time() <= dt.time(18)
    published = client.post(f"/api/v1/planning/programmes/{pid}/plan/publish/")
    assert published.status_code == 200, published.content
    assert Inspection.objects.filter(category="employment_agency").count() == 4
    assert set(DueWork.objects.values_list("status", flat=True)) == {"planned"}


def test_a_planner_of_another_agency_sees_no_programme(api, paula, city, programme_city):
    other = factories.officer("DSAL", username="dina", roles=("planner",))
    client = api.as_(other)
    created = client.post(
        "/api/v1/planning/programmes/",
        {
            "name": "DSAL week",
            "agency": "DSAL",
            "start_date": MONDAY.isoformat(),
            "end_date": MONDAY.isoformat(),
        },
        format="json",
    )
    assert created.status_code == 201
    pid = created.json()["id"]
    assert api.as_(paula).get(f"/api/v1/planning/programmes/{pid}/plan/").status_code == 404  # PSP planner
    assert api.as_(paula).get("/api/v1/planning/programmes/").json() == []


def test_a_planner_cannot_plan_another_agencys_routine_work(api, paula, city, programme_city):
    """Issue #15: a PJ (here PSP) planner asking for DSAL's routine programme was answered 201."""
    response = api.as_(paula).post(
        "/api/v1/planning/programmes/",
        {
            "name": "DSAL week",
            "agency": "DSAL",
            "start_date": MONDAY.isoformat(),
            "end_date": MONDAY.isoformat(),
        },
        format="json",
    )
    assert response.status_code == 404 and response.json()["code"] == "not_found"
    from scheduler.models import Programme

    assert not Programme.objects.exists()


def test_shifts_windows_and_due_dates_across_the_programmes_edges_plan_without_a_crash(
    city, django_capture_on_commit_callbacks
):
    """The issue: `tw_early must be >= 0` when a shift began the evening before the first day."""
    from scheduler import services
    from scheduler.models import PlanningJob

    lou, lee = city["dsal"]
    dina = factories.officer("DSAL", username="dina", roles=("planner",))
    first, last = MONDAY, MONDAY + dt.timedelta(days=1)
    for officer in (lou, lee):
        # 22:00 the day before the first day to 06:00 on it; 20:00 on the last day to 04:00 after it.
        on_shift(
            officer,
            start=dt.datetime.combine(first - dt.timedelta(days=1), dt.time(22), tzinfo=MACAU),
            hours=8,
        )
        on_shift(officer, start=dt.datetime.combine(last, dt.time(20), tzinfo=MACAU), hours=8)
    bars = [
        factories.site(
            name_en=f"Night Bar {i}",
            latitude=22.20 + i * 0.003,
            longitude=113.545,
            opening_hours=[(d, dt.time(21), dt.time(5)) for d in range(7)],  # across midnight
        )
        for i in range(3)
    ]
    for i, bar in enumerate(bars):
        due_work_request(
            actor=None,
            site=bar,
            agency=lou.agency,
            category="prostitution_trafficking",
            reason="routine",
            earliest=first - dt.timedelta(days=3 + i),  # due since before the programme
            latest=last + dt.timedelta(days=2),  # and after it
        )
    programme = services.programme_create(
        actor=None,
        planner=dina,
        name="Nights",
        agency=lou.agency,
        start_date=first,
        end_date=last,
        officers=[lou, lee],
    )
    with django_capture_on_commit_callbacks(execute=True):
        job = services.planning_start(actor=None, programme=programme, time_limit_seconds=3)
    job.refresh_from_db()
    assert job.status == PlanningJob.Status.SUCCEEDED, job.error
    assert job.evaluation["feasible"], job.evaluation["violations"]
    stops = [s for r in job.plan["routes"] for s in r["stops"]]
    assert stops, job.plan["unplanned"]
    for r in job.plan["routes"]:
        assert r["departure"] >= 0 and r["back"] <= 2 * 1440  # inside the horizon
    assert all(u["detail"] for u in job.plan["unplanned"])


@pytest.mark.parametrize(
    ("language", "said"),
    [
        ("en", "Only officers of DSAL – Agency DSAL can work in its programme, not Pat Police."),
        ("zh-hant", "只有 DSAL – DSAL 的人員可參與其例行計劃，Pat Police 不可以。"),
    ],
)
def test_another_agencys_officer_is_refused_in_a_programme(api, city, language, said):
    """DSAL's planner naming a police officer among DSAL's programme's officers through the API was
    answered 201 and the officer saved (the admin's and the console's forms offer none)."""
    lou, _lee = city["dsal"]
    pat = city["psp"][0]
    dina = factories.officer("DSAL", username="dina", roles=("planner",))
    response = api.as_(dina).post(
        "/api/v1/planning/programmes/",
        {
            "name": "DSAL week",
            "agency": "DSAL",
            "start_date": MONDAY.isoformat(),
            "end_date": MONDAY.isoformat(),
            "officers": [str(lou.uuid), str(pat.uuid)],
        },
        format="json",
        HTTP_ACCEPT_LANGUAGE=language,
    )
    assert response.status_code == 400, response.content
    assert response.json()["errors"]["officers"] == [said]
    from scheduler.models import Programme

    assert not Programme.objects.exists()
