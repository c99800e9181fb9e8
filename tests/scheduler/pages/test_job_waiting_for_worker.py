"""A planning run no worker takes (the worker is stopped, or every one is busy) and a run whose
worker died, as the planner meets them on the operation's page, in her language.

Before, a run queued with the worker stopped said "Waiting for the planner to start…" for ever,
with nothing to say why or that the run would go once the worker was back."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import override_settings
from django.utils import timezone

from backend.outbox import relay
from backend.outbox.models import WAITING_NOTICE_SECONDS
from scheduler import services
from scheduler.models import PlanningJob
from tests.outbox.conftest import broker

pytestmark = pytest.mark.django_db(transaction=True)

PANEL = {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": "job-run"}
WAITING = {
    "en": "No planning worker has taken this run yet: they are all busy, or stopped.",
    "pt": "Nenhum processo de planeamento pegou ainda nesta execução",
    "zh-hant": "尚未有規劃工作程序接手本次運算",
}
LOST = {
    "en": "The planning worker stopped before this run ended",
    "pt": "O processo de planeamento parou antes de esta execução terminar",
    "zh-hant": "規劃工作程序在本次運算完成前已停止",
}


def _start_with_no_worker(client, operation) -> PlanningJob:
    # A broker and no worker on it. The relay thread sends the task after the request's commit:
    # it must have done so before the settings change back, or it runs the task in-process (no
    # broker, eager) while the test runs it too.
    with override_settings(CELERY_TASK_ALWAYS_EAGER=False), broker("memory://"):
        started = client.post(
            f"/planning/operations/{operation.uuid}/plan/start/",
            {"time_limit_seconds": 2, "seed": 1},
            HTTP_HX_REQUEST="true",
        )
        assert relay.wait_idle()
    assert started.status_code == 200
    job = PlanningJob.objects.get(operation=operation)
    assert job.status == PlanningJob.Status.QUEUED
    return job


def test_a_run_no_worker_takes_says_it_waits_for_one_and_goes_when_one_is_back(planner_client, operation):
    job = _start_with_no_worker(planner_client, operation)
    url = f"/planning/jobs/{job.uuid}/?step={job.progress_step}"
    fresh = planner_client.get(url, **PANEL).content.decode()
    assert "Waiting for the planner to start…" in fresh and WAITING["en"] not in fresh

    PlanningJob.objects.filter(pk=job.pk).update(
        created_at=timezone.now() - dt.timedelta(seconds=WAITING_NOTICE_SECONDS + 5)
    )
    for language, words in WAITING.items():
        panel = planner_client.get(url, HTTP_ACCEPT_LANGUAGE=language, **PANEL).content.decode()
        assert words in panel, (language, panel)
        # Said to a screen reader too, once: the step drawn last had no waiting in it.
        assert f'data-announce="{words}' in panel, (language, panel)
    job.refresh_from_db()
    again = planner_client.get(f"/planning/jobs/{job.uuid}/?step={job.progress_step}", **PANEL)
    assert "data-announce" not in again.content.decode()

    # The worker is back: it takes the run, once; the panel says the plan is ready.
    ran = services.planning_run(job_id=job.uuid)
    assert ran.status == PlanningJob.Status.SUCCEEDED
    again = services.planning_run(job_id=job.uuid)  # delivered again: it does not run twice
    assert again.status == PlanningJob.Status.SUCCEEDED and again.finished_at == ran.finished_at
    done = planner_client.get(url, **PANEL).content.decode()
    assert "The plan is ready." in done and WAITING["en"] not in done
    assert PlanningJob.objects.filter(operation=operation).count() == 1


@pytest.mark.parametrize("language", LOST)
def test_a_run_whose_worker_died_says_so_and_the_planner_plans_again(planner_client, operation, language):
    job = _start_with_no_worker(planner_client, operation)
    long_ago = timezone.now() - dt.timedelta(minutes=10)
    PlanningJob.objects.filter(pk=job.pk).update(status="running", started_at=long_ago, heartbeat_at=long_ago)
    panel = planner_client.get(
        f"/planning/jobs/{job.uuid}/?step={job.progress_step}", HTTP_ACCEPT_LANGUAGE=language, **PANEL
    )
    text = panel.content.decode()
    assert panel.status_code == 200 and LOST[language] in text, text
    assert "/cancel/" not in text  # the run is over: nothing to cancel
    page = planner_client.get(f"/planning/operations/{operation.uuid}/", HTTP_ACCEPT_LANGUAGE=language)
    assert LOST[language] in page.content.decode()
    assert f"/planning/operations/{operation.uuid}/plan/start/" in page.content.decode()
    again = planner_client.post(
        f"/planning/operations/{operation.uuid}/plan/start/", {"time_limit_seconds": 2, "seed": 1}
    )
    assert again.status_code == 302
    assert PlanningJob.objects.filter(operation=operation, status="succeeded").count() == 1
