"""The plan page's travel is the drive, not the wait between waves. A right-justified plan keeps
a team where it was between its first wave's raid and the next and sends it on at the last
moment: the page counted all of that as travel ("Travel 70" for a 13-minute drive), so a team's
travel summed far above the plan's own."""

from __future__ import annotations

import datetime as dt

import pytest

from scheduler import problem as problems
from scheduler import solver
from scheduler.models import PlanningJob
from scheduler.pages.workspace import plan_workspace
from scheduler.problem import clock_of
from tests.scheduler.conftest import EVENING

pytestmark = pytest.mark.django_db


def test_a_stop_after_a_gap_between_waves_shows_its_drive_and_the_free_time_apart(operation, city):
    first, second = operation.targets.select_related("site").order_by("pk")[:2]
    clock = clock_of(PlanningJob(operation=operation))
    w1, w2 = clock.minute(EVENING + dt.timedelta(hours=1)), clock.minute(EVENING + dt.timedelta(hours=3))
    travel = solver.GeodesicTravel()
    a = (float(first.site.latitude), float(first.site.longitude))
    b = (float(second.site.latitude), float(second.site.longitude))
    drive = travel.minutes(a, b, w2 - 5 - travel.minutes(a, b, w2 - 5))
    assert 0 < drive < 60
    officers = [city["psp"][0], city["dsal"][0]]
    route = solver.Route(
        officer_ids=tuple(str(o.uuid) for o in officers),
        depot_id=city["muster"].code,
        departure=w1 - 30,
        back=w2 + 70,
        stops=(
            solver.Stop(visit_id=str(first.pk), arrival=w1 - 5, start=w1, end=w1 + 45, wave_id="W1"),
            solver.Stop(visit_id=str(second.pk), arrival=w2 - 5, start=w2, end=w2 + 45, wave_id="W2"),
        ),
    )
    plan = solver.Plan(routes=(route,), unplanned=())
    job = PlanningJob.objects.create(
        operation=operation, status=PlanningJob.Status.SUCCEEDED, plan=problems.plan_to_json(plan)
    )
    [team] = plan_workspace(job)["routes"]
    later = team["stops"][1]
    gap = (w2 - 5) - (w1 + 45)
    assert later["travel_minutes"] == drive, later  # the drive, not the 70 minutes between waves
    assert later["free_minutes"] == gap - drive
    assert later["travel_from"] == clock.at(w2 - 5 - drive)  # the timeline's travel block: the drive
    assert later["waiting_minutes"] == 5  # at the target: the margin before the raid
    assert team["travel_minutes"] < gap  # the team's travel no longer holds the gap
