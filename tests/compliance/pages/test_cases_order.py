"""The cases list puts first what a reviewer must act on: the cases still without a notice (no
deadline yet), the longest waiting first; then the cases by deadline, an overdue one before one
with days left. The same on SQLite and PostgreSQL: sorting by the deadline alone put the cases
without one first on SQLite and last on PostgreSQL."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.utils import timezone

from backend.compliance import services
from tests.compliance.conftest import construction_answers, ingest
from tests.compliance.pages.conftest import signed_in

pytestmark = pytest.mark.django_db


def _dsal(submission, code):
    return list(submission.findings.filter(competent_agency_code="DSAL", violation_code=code))


@pytest.fixture
def cases(visit, bob, carol):
    now = timezone.now()
    first = visit.submission
    services.submission_approve(user=carol.user, submission=first)
    second = ingest(
        bob,
        visit.joint.inspection,
        visit.joint.construction_version,
        construction_answers(visit.joint.construction_version),
    ).submission
    services.submission_approve(user=carol.user, submission=second)

    def open_case(findings, *, days_ago=0, notice=False, corrective_days=30):
        with time_machine.travel(now - dt.timedelta(days=days_ago), tick=False):
            case = services.case_open(
                user=carol.user, findings=findings, reason="x", corrective_days=corrective_days
            )
            return services.case_notice_issue(user=carol.user, case=case) if notice else case

    later = open_case(_dsal(first, "V-04"), notice=True)  # 30 days left
    overdue = open_case(_dsal(first, "V-02"), days_ago=20, notice=True, corrective_days=5)
    waiting_long = open_case(_dsal(first, "V-12"), days_ago=10)  # no notice for ten days
    waiting = open_case(_dsal(second, "V-12"))  # no notice, opened today
    assert overdue.is_overdue(timezone.localdate()) and not later.is_overdue(timezone.localdate())
    assert waiting.deadline is None and waiting_long.deadline is None
    return [waiting_long, waiting, overdue, later]


def test_cases_without_a_notice_come_first_then_by_deadline(cases, carol, client):
    signed_in(client, carol)
    page = client.get("/compliance/cases/").content.decode()
    listed = re.findall(r'href="/compliance/cases/([0-9a-f-]{36})/"', page)
    assert listed == [str(c.uuid) for c in cases]
    # Each status as filtered keeps the order among the cases it shows.
    page = client.get("/compliance/cases/?status=open").content.decode()
    assert re.findall(r'href="/compliance/cases/([0-9a-f-]{36})/"', page) == [str(c.uuid) for c in cases[:2]]


@pytest.mark.parametrize("persona", ["percy", "vera", "andy", "paula"])
def test_others_see_none_of_the_cases(persona, cases, client, request):
    signed_in(client, request.getfixturevalue(persona))
    response = client.get("/compliance/cases/")
    page = response.content.decode() if response.status_code == 200 else ""
    assert response.status_code in (200, 404)
    assert not any(str(c.uuid) in page for c in cases)
