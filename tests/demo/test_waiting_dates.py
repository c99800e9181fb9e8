"""The work waiting for review reached the server as its visit ended, not when the demo was loaded.

A newcomer's first hour: the review queue said every one of last night's checklists was
"Received 7 Dec 2026, 12:25 a.m." (the load) while its page said "Finished on the phone
5 Dec 2026, 9:45 p.m.", and each officer's check-in was "received" at the load too: a phone
that kept its work for a day, which the demo's story (the team sent it on the night) never
said. The waiting visits are now dated as the past ones are: received minutes after the visit's
end, the check-ins as they were made."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.contrib.auth import get_user_model

from backend.compliance.selectors import review_check_ins, review_queue

pytestmark = pytest.mark.django_db


def _queue(username: str) -> list[Any]:
    return list(review_queue(user=get_user_model().objects.get(username=username)))


@pytest.mark.parametrize("username", ["demo-reviewer", "demo-psp-reviewer", "demo-team-leader"])
def test_waiting_checklists_were_received_as_their_visit_ended(demo, username):
    waiting = _queue(username)
    assert waiting, username
    for submission in waiting:
        lag = submission.received_at - submission.device_submitted_at
        assert dt.timedelta(0) <= lag <= dt.timedelta(hours=1), (submission.pk, submission.received_at)
        for finding in submission.findings.all():
            assert finding.created_at == submission.received_at


@pytest.mark.parametrize("username", ["demo-reviewer", "demo-psp-reviewer"])
def test_waiting_visits_check_ins_were_received_as_they_were_made(demo, username):
    for submission in _queue(username):
        for arrival in review_check_ins(submission=submission):
            lag = arrival.received_at - arrival.device_time
            assert dt.timedelta(0) <= lag <= dt.timedelta(minutes=5), (arrival.pk, arrival.received_at)
