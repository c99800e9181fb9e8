"""A planning job always ends: succeeded, failed with its reason, or cancelled; never an
objective of inf in the database; a job whose worker died is failed when asked about, and the
planner can cancel it and plan again."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.test import override_settings
from django.utils import timezone

from scheduler import problem as problems
from scheduler import services, solver
from scheduler.models import OperationSetup, PlanningJob


def test_a_search_that_found_nothing_is_stored_without_inf(operation):
    """CP-SAT reports an objective of inf when it finds no solution in time; SQLite's JSON
    check refused it and the job never ended."""
    plan = solver.Plan(
        routes=(), unplanned=(), stats={"cpsat_objective": float("inf"), "bound": float("nan")}
    )
    job = PlanningJob.objects.create(operation=operation, plan=problems.plan_to_json(plan))
    job.refresh_from_db()
    assert job.plan["stats"] == {"cpsat_objective": None, "bound": None}


def test_a_run_that_raises_ends_failed_with_a_plain_reason(operation, paula):
    OperationSetup.objects.filter(operation=operation).delete()  # the problem cannot be built
    job = PlanningJob.objects.create(operation=operation, time_limit_seconds=2)
    job = services.planning_run(job_id=job.uuid)
    assert job.status == PlanningJob.Status.FAILED and job.finished_at is not None
    assert job.error.startswith("The planner stopped on an error:")


@pytest.fixture
def dead_job(operation, paula):
    """A run whose worker was killed: running, started long ago, no heartbeat since."""
    with override_settings(CELERY_TASK_ALWAYS_EAGER=False):
        job = services.planning_start(actor=paula.user, operation=operation, time_limit_seconds=10)
    long_ago = timezone.now() - dt.timedelta(minutes=10)
    PlanningJob.objects.filter(pk=job.pk).update(status="running", started_at=long_ago, heartbeat_at=long_ago)
    return job


def test_a_job_whose_worker_died_is_failed_when_asked_about(api, paula, dead_job):
    body = api.as_(paula).get(f"/api/v1/planning/jobs/{dead_job.uuid}/").json()
    assert body["status"] == "failed" and "worker stopped" in body["error"]
    assert body["finished_at"] is not None


def test_after_a_dead_worker_the_planner_cancels_and_plans_again(api, paula, operation, dead_job):
    client = api.as_(paula)
    cancelled = client.post(f"/api/v1/planning/jobs/{dead_job.uuid}/cancel/")
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "failed"
    with override_settings(CELERY_TASK_ALWAYS_EAGER=False):
        again = client.post(
            f"/api/v1/planning/operations/{operation.uuid}/plan/start/", {"time_limit_seconds": 2}
        )
    assert again.status_code == 202, again.content


def test_a_new_run_fails_the_dead_one_first(paula, operation, dead_job):
    with override_settings(CELERY_TASK_ALWAYS_EAGER=False):
        services.planning_start(actor=paula.user, operation=operation, time_limit_seconds=2)
    dead_job.refresh_from_db()
    assert dead_job.status == PlanningJob.Status.FAILED and dead_job.error == services.REASON_WORKER_LOST


def test_a_live_run_is_not_failed(paula, operation):
    with override_settings(CELERY_TASK_ALWAYS_EAGER=False):
        job = services.planning_start(actor=paula.user, operation=operation, time_limit_seconds=60)
    now = timezone.now()
    PlanningJob.objects.filter(pk=job.pk).update(status="running", started_at=now, heartbeat_at=now)
    with time_machine.travel(now + dt.timedelta(seconds=30)):
        assert services.planning_expire_stale(job=job).status == PlanningJob.Status.RUNNING
    with time_machine.travel(now + dt.timedelta(seconds=300)):  # silent past the heartbeat timeout
        assert services.planning_expire_stale(job=job).status == PlanningJob.Status.FAILED


def test_a_finished_run_records_its_heartbeat_and_a_finite_objective(paula, operation):
    job = PlanningJob.objects.create(operation=operation, time_limit_seconds=2)
    job = services.planning_run(job_id=job.uuid)
    assert job.status == PlanningJob.Status.SUCCEEDED
    assert job.heartbeat_at is not None and job.best_objective is not None


def test_the_beat_sweep_fails_a_dead_run_nobody_looks_at(dead_job, operation, paula):
    """Before the sweep a dead run stayed `running` until someone opened it; beat now fails it
    with the reason within SCHEDULER_HEARTBEAT_TIMEOUT_SECONDS plus the sweep's period."""
    from django.conf import settings

    from scheduler.tasks import expire_stale

    assert "scheduler.expire_stale" in {e["task"] for e in settings.CELERY_BEAT_SCHEDULE.values()}
    now = timezone.now()
    live = PlanningJob.objects.create(
        operation=operation, status="running", started_at=now, heartbeat_at=now, time_limit_seconds=60
    )
    expire_stale.apply()
    dead_job.refresh_from_db()
    live.refresh_from_db()
    assert dead_job.status == PlanningJob.Status.FAILED and dead_job.error == services.REASON_WORKER_LOST
    assert live.status == PlanningJob.Status.RUNNING


def test_cancel_of_a_run_whose_worker_just_died_takes_effect_at_once(api, paula, operation):
    """Killed 20 s ago: not yet silent for the heartbeat timeout, so cancel used to answer 200
    and change nothing until then (no worker was left to read the flag). A live run (beating)
    keeps running until it reads the flag itself."""
    with override_settings(CELERY_TASK_ALWAYS_EAGER=False):
        job = services.planning_start(actor=paula.user, operation=operation, time_limit_seconds=60)
    now = timezone.now()
    lately = now - dt.timedelta(seconds=20)
    PlanningJob.objects.filter(pk=job.pk).update(status="running", started_at=lately, heartbeat_at=lately)
    answered = api.as_(paula).post(f"/api/v1/planning/jobs/{job.uuid}/cancel/")
    assert answered.status_code == 200 and answered.json()["status"] == "cancelled"
    job.refresh_from_db()
    assert job.status == PlanningJob.Status.CANCELLED and job.finished_at is not None

    with override_settings(CELERY_TASK_ALWAYS_EAGER=False):
        live = services.planning_start(actor=paula.user, operation=operation, time_limit_seconds=60)
    PlanningJob.objects.filter(pk=live.pk).update(status="running", started_at=now, heartbeat_at=now)
    assert services.planning_cancel(actor=paula.user, job=live).status == PlanningJob.Status.RUNNING
