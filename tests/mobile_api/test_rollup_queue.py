"""The rollups leave the request's path: ingest and review queue the days they touch (one INSERT
in their transaction), and the background refresh claims the queue and rebuilds each day once.
Once the queue drains the rollups equal the raw aggregation, approvals and corrections included,
and the clock says as of when."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from backend.compliance.services import submission_approve
from backend.reporting.models import RollupClock, RollupQueue
from backend.reporting.services import rollup_check, rollup_refresh_queued, rollups_as_of
from tests.mobile_api.conftest import API, submission_payload

pytestmark = pytest.mark.django_db

SINGLE = f"{API}/submissions/"


def _rollups_exact():
    for source in ("inspections", "findings"):
        check = rollup_check(source=source)
        assert check.ok, (source, check.differences)


def test_many_submissions_of_a_day_cost_one_refresh_and_leave_the_rollups_exact(
    field, alice, bob, carol, phone, settings, django_capture_on_commit_callbacks
):
    from backend.inspections.models import Submission

    settings.CELERY_TASK_ALWAYS_EAGER = False
    client = phone(alice)
    assert rollups_as_of() is None
    # A broker is configured (as in production): nothing refreshes after the commit.
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        venue = client.post(SINGLE, submission_payload(field.revealed, field.venue_version), format="json")
        screening = client.post(
            SINGLE, submission_payload(field.revealed, field.screening_version), format="json"
        )
    assert venue.status_code == screening.status_code == 201
    routine = phone(bob).post(SINGLE, submission_payload(field.routine, field.agency_version), format="json")
    assert routine.status_code == 201, routine.content
    assert RollupQueue.objects.count() >= 3
    assert not rollup_check(source="findings").ok  # not refreshed in the request

    # A correction (which withdraws the findings of the revision it replaces) and an approval.
    correction = submission_payload(field.revealed, field.venue_version, replaces=venue.json()["id"])
    assert client.post(SINGLE, correction, format="json").status_code == 201
    submission_approve(user=carol.user, submission=Submission.objects.get(uuid=routine.json()["id"]))

    started = timezone.now()
    done = rollup_refresh_queued()
    assert timezone.localdate(field.revealed.planned_start) in done.days
    assert done.queued > len(done.days)  # coalesced: many queued rows, each day rebuilt once
    assert not RollupQueue.objects.exists()
    _rollups_exact()
    assert started <= rollups_as_of() <= timezone.now()
    assert RollupClock.objects.get(key="queue").days == len(done.days)
    assert not [c for c in callbacks if getattr(c, "__name__", "") == "_drain_in_process"]


def test_a_refresh_that_fails_leaves_the_queue_for_the_next(field, alice, phone, monkeypatch):
    from backend.reporting import services

    response = phone(alice).post(
        SINGLE, submission_payload(field.revealed, field.venue_version), format="json"
    )
    assert response.status_code == 201
    queued = RollupQueue.objects.count()

    def broken(**kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(services, "rollup_refresh", broken)
    with pytest.raises(RuntimeError):
        rollup_refresh_queued()
    assert RollupQueue.objects.count() == queued and rollups_as_of() is None
    monkeypatch.undo()
    rollup_refresh_queued()
    _rollups_exact()


def test_without_a_broker_the_queue_drains_after_the_commit(
    field, alice, phone, settings, django_capture_on_commit_callbacks, monkeypatch
):
    from backend.reporting import services

    settings.CELERY_TASK_ALWAYS_EAGER = True
    drains = []
    real = services.rollup_refresh_queued
    monkeypatch.setattr(services, "rollup_refresh_queued", lambda: drains.append(real()))
    client = phone(alice)
    items = [
        submission_payload(field.revealed, field.venue_version),
        submission_payload(field.revealed, field.screening_version),
    ]
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(f"{API}/submissions/batch/", {"items": items}, format="json")
    assert response.status_code == 200
    assert any(getattr(c, "__name__", "") == "_drain_in_process" for c in callbacks)
    assert len(drains) == 1  # once per commit, not once per item
    assert not RollupQueue.objects.exists()
    _rollups_exact()
    assert rollups_as_of() > timezone.now() - dt.timedelta(minutes=1)
