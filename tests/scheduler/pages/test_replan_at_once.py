"""The re-plan form sent twice at the same moment (a double click that reached the server twice,
two tabs): one re-plan awaits publication, not two. Each request found no re-plan waiting before
the other had stored its own, and both were stored; the planner then met two drafts of the same
change, and publishing one left the other behind. Needs PostgreSQL (SQLite serialises every
writer, so nothing would race); CI runs it there."""

from __future__ import annotations

import pytest
from django.conf import settings as django_settings
from django.db import connection

from scheduler.models import PlanningJob
from tests.console.test_double_submit_at_once import at_once

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="concurrency needs PostgreSQL's row locks and parallel writers; set DATABASE_URL to run it",
    ),
    pytest.mark.django_db(transaction=True),
]


def test_a_replan_sent_from_three_tabs_at_once_is_one_replan(planner_client, operation):
    url = f"/planning/operations/{operation.uuid}/plan/"
    planner_client.post(f"{url}start/", {"time_limit_seconds": 2, "seed": 1})
    job = PlanningJob.objects.get(operation=operation)
    assert job.status == PlanningJob.Status.SUCCEEDED, job.error
    planner_client.post(f"{url}publish/")
    officer = job.plan["routes"][0]["officer_ids"][0]
    session = planner_client.cookies[django_settings.SESSION_COOKIE_NAME].value

    statuses = at_once(3, session, f"{url}replan/", {"officer": officer, "time_limit_seconds": 1})

    assert all(s < 500 for s in statuses), statuses
    replans = PlanningJob.objects.filter(replan_of=job)
    assert replans.count() == 1, list(replans.values_list("status", flat=True))
