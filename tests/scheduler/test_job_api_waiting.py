"""The planning API's job answer says when no worker has taken the run yet (every one busy, or
none running), as the planner's job panel does: a client following a run queued with the worker
stopped saw "queued" for ever, with nothing to tell it from a run about to start."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import override_settings
from django.utils import timezone
from drf_spectacular.generators import SchemaGenerator

from backend.outbox import relay
from backend.outbox.models import WAITING_NOTICE_SECONDS
from scheduler import services
from scheduler.models import PlanningJob
from tests.outbox.conftest import broker

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_job_says_it_waits_for_a_worker_until_one_takes_it(api, paula, operation):
    client = api.as_(paula)
    # A broker and no worker on it. The relay thread sends the task after the request's commit:
    # it must have done so before the settings change back, or it runs the task in-process (no
    # broker, eager) while the test runs it too.
    with override_settings(CELERY_TASK_ALWAYS_EAGER=False), broker("memory://"):
        started = client.post(
            f"/api/v1/planning/operations/{operation.uuid}/plan/start/",
            {"time_limit_seconds": 2, "seed": 1},
            format="json",
        )
        assert relay.wait_idle()
    assert started.status_code == 202, started.content
    assert started.json()["status"] == "queued" and started.json()["waiting_for_worker"] is False
    url = f"/api/v1/planning/jobs/{started.json()['id']}/"
    assert client.get(url).json()["waiting_for_worker"] is False  # a free worker starts it now

    job = PlanningJob.objects.get(operation=operation)
    long_ago = timezone.now() - dt.timedelta(seconds=WAITING_NOTICE_SECONDS + 5)
    PlanningJob.objects.filter(pk=job.pk).update(created_at=long_ago)
    answer = client.get(url).json()
    assert answer["status"] == "queued" and answer["waiting_for_worker"] is True

    # The worker is back: it takes the run; the job no longer waits.
    assert services.planning_run(job_id=job.uuid).status == PlanningJob.Status.SUCCEEDED
    answer = client.get(url).json()
    assert answer["status"] == "succeeded" and answer["waiting_for_worker"] is False


def test_the_schema_documents_the_field():
    schema = SchemaGenerator().get_schema(request=None, public=True)
    field = schema["components"]["schemas"]["JobOutput"]["properties"]["waiting_for_worker"]
    assert field["type"] == "boolean" and field["readOnly"] is True
    assert "no planning worker has taken it" in field["description"]
    assert "waiting_for_worker" in schema["components"]["schemas"]["JobOutput"]["required"]
