"""Planning runs: queued through the outbox, run by a real Celery worker, cancellable,
reporting progress, safe to run twice."""

from __future__ import annotations

import datetime as dt
import os
import time

import pytest
import time_machine
from celery.contrib.testing.worker import start_worker
from django.test import override_settings

from backend.inspections.models import Operation
from scheduler import services
from scheduler.models import PlanningJob
from tests.outbox.conftest import broker
from tests.scheduler.conftest import EVENING


@pytest.mark.django_db(transaction=True)
@override_settings(CELERY_TASK_ALWAYS_EAGER=False)
def test_through_the_api_a_real_worker_plans_then_phones_see_it_only_after_reveal(api, paula, city, phone):
    """Create an operation, plan it on a real Celery worker over the broker, publish, and the
    officers see their assignments only after the reveal time."""
    client = api.as_(paula)
    created = client.post(
        "/api/v1/planning/operations/",
        {
            "name": "Winter Precaution",
            "lead_agency": "PSP",
            "agencies": ["DSAL"],
            "starts_at": EVENING.isoformat(),
            "ends_at": (EVENING + dt.timedelta(hours=6)).isoformat(),
            "reveal_at": (EVENING - dt.timedelta(hours=1)).isoformat(),
            "muster_unit": city["muster"].code,
            "waves": [
                {"code": "W1", "starts_at": (EVENING + dt.timedelta(hours=1)).isoformat()},
                {"code": "W2", "starts_at": (EVENING + dt.timedelta(hours=3)).isoformat()},
            ],
            "team_min_size": 2,
            "team_max_size": 2,
            "required_agencies": ["PSP", "DSAL"],
        },
        format="json",
    )
    assert created.status_code == 201, created.content
    op_id = created.json()["id"]
    for wave, venues in (("W1", city["venues"][:2]), ("W2", city["venues"][2:])):
        response = client.post(
            f"/api/v1/planning/operations/{op_id}/targets/",
            {"sites": [str(v.uuid) for v in venues], "wave": wave},
            format="json",
        )
        assert response.status_code == 200, response.content
    url = os.environ.get("CELERY_TEST_BROKER_URL", "memory://")
    with (
        broker(url, result_backend="cache+memory://") as app,
        start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=30),
    ):
        started = client.post(f"/api/v1/planning/operations/{op_id}/plan/start/", {"time_limit_seconds": 5})
        assert started.status_code == 202, started.content
        job_url = f"/api/v1/planning/jobs/{started.json()['id']}/"
        deadline = time.monotonic() + 120  # generous: CI machines are shared
        job = client.get(job_url).json()
        while job["status"] in ("queued", "running") and time.monotonic() < deadline:
            time.sleep(0.2)
            job = client.get(job_url).json()
    from backend.outbox.models import OutboxMessage

    relayed = list(OutboxMessage.objects.values_list("status", "last_error", "heard_at"))
    assert job["status"] == "succeeded", (job, relayed)
    # It went through the broker, not in-process: the worker reported its start and its end.
    assert [(status, error) for status, error, heard in relayed if heard is not None] == [("done", "")]
    plan = client.get(f"/api/v1/planning/operations/{op_id}/plan/").json()
    assert plan["evaluation"]["feasible"], plan["evaluation"]["violations"]
    stops = [s for r in plan["routes"] for s in r["stops"]]
    assert len(stops) == 4 and {s["wave"] for s in stops} == {"W1", "W2"}
    assert client.post(f"/api/v1/planning/operations/{op_id}/plan/publish/").status_code == 200
    assert Operation.objects.get(uuid=op_id).inspections.count() == 4

    officer = next(
        o
        for o in city["psp"] + city["dsal"]
        if o.full_name in {m["name"] for r in plan["routes"] for m in r["members"]}
    )
    assert phone(officer).get("/api/mobile/v1/assignments/").json()["results"] == []  # sealed until reveal
    with time_machine.travel(EVENING - dt.timedelta(minutes=30), tick=False):
        seen = phone(officer).get("/api/mobile/v1/assignments/").json()["results"]
    assert len(seen) == 2 and {a["operation"]["name"] for a in seen} == {"Winter Precaution"}


def test_a_cancel_requested_before_the_run_stops_it(operation, paula, django_capture_on_commit_callbacks):
    with override_settings(CELERY_TASK_ALWAYS_EAGER=False):
        job = services.planning_start(actor=paula.user, operation=operation, time_limit_seconds=30)
    job = services.planning_cancel(actor=paula.user, job=job)
    assert job.status == PlanningJob.Status.CANCELLED
    assert services.planning_run(job_id=job.uuid).status == PlanningJob.Status.CANCELLED  # not run at all


def test_a_running_job_sees_the_cancel_flag_and_keeps_the_best_plan(operation, paula):
    job = PlanningJob.objects.create(operation=operation, time_limit_seconds=30)
    PlanningJob.objects.filter(pk=job.pk).update(cancel_requested=True)  # as planning_cancel does mid-run
    began = time.monotonic()
    job = services.planning_run(job_id=job.uuid)
    assert time.monotonic() - began < 15
    assert job.status == PlanningJob.Status.CANCELLED
    assert job.progress == 1.0 and "routes" in job.plan


def test_running_a_job_twice_runs_it_once(operation, paula):
    job = PlanningJob.objects.create(operation=operation, time_limit_seconds=2)
    first = services.planning_run(job_id=job.uuid)
    finished_at = first.finished_at
    second = services.planning_run(job_id=job.uuid)
    assert second.status == PlanningJob.Status.SUCCEEDED and second.finished_at == finished_at


def test_progress_is_written_while_solving(operation):
    job = PlanningJob.objects.create(operation=operation, time_limit_seconds=2, status="running")
    progress = services._Progress(job.pk)
    progress(0.25, 123.0)
    job.refresh_from_db()
    assert job.progress == 0.25 and job.best_objective == 123.0


def test_a_second_run_while_one_is_queued_is_a_conflict(operation, paula):
    from backend.core.errors import Conflict

    with override_settings(CELERY_TASK_ALWAYS_EAGER=False):
        services.planning_start(actor=paula.user, operation=operation)
        with pytest.raises(Conflict):
            services.planning_start(actor=paula.user, operation=operation)


def test_the_bar_follows_the_clock_between_the_solvers_milestones_and_never_goes_back(operation):
    job = PlanningJob.objects.create(operation=operation, time_limit_seconds=10, status="running")
    progress = services._Progress(job.pk, time_limit=10.0)
    progress.began -= 5  # half the time limit has passed without a report
    progress._write(heartbeat=True)
    job.refresh_from_db()
    assert job.progress == 0.5 and job.heartbeat_at is not None
    progress(0.2, 99.0)  # a late milestone: the best objective moves, the bar does not go back
    job.refresh_from_db()
    assert job.progress == 0.5 and job.best_objective == 99.0
