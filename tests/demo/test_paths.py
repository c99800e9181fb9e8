"""Every back-office user's path on the demo as ``make run`` loads it, over HTTP, signing in as a
user does: the console's sign-in page with the password ``demo_logins`` prints and a real code
from the authenticator the first sign-in sets up (``tests.browser_support.sign_in_client``)."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from backend.audit.models import AuditEntry
from backend.compliance.models import Referral
from backend.compliance.selectors import review_queue
from backend.demo.work import DRAFT_NAME
from backend.inspections.models import Operation
from scheduler.models import PlanningJob
from tests.browser_support import sign_in_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


def _signed_in(demo, username: str) -> Client:
    client = Client()
    sign_in_client(client, username, demo.passwords[username])
    return client


def _page(client: Client, url: str, *texts: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    body = response.content.decode()
    for text in texts:
        assert text in body, (url, text)
    return body


def test_the_planner_plans_publishes_and_prints_the_draft_operation(
    demo, media, django_capture_on_commit_callbacks
):
    client = _signed_in(demo, "demo-planner")
    _page(client, "/", "/planning/")
    _page(client, "/planning/", DRAFT_NAME)
    operation = Operation.objects.get(name=DRAFT_NAME)
    base = f"/planning/operations/{operation.uuid}/"
    _page(client, base, DRAFT_NAME)

    with django_capture_on_commit_callbacks(execute=True):
        started = client.post(base + "plan/start/", {"time_limit_seconds": 10, "seed": 1})
    assert started.status_code in (200, 302)
    job = PlanningJob.objects.filter(operation=operation).latest("created_at")
    assert job.status == PlanningJob.Status.SUCCEEDED, (job.status, job.error)
    _page(client, base + "plan/")

    with django_capture_on_commit_callbacks(execute=True):
        published = client.post(base + "plan/publish/")
    assert published.status_code in (200, 302)
    operation.refresh_from_db()
    assert operation.status == Operation.Status.PUBLISHED
    _page(client, base + "plan/briefings/1/", operation.name)


def test_the_dsal_reviewer_approves_a_waiting_submission(demo, media, django_capture_on_commit_callbacks):
    client = _signed_in(demo, "demo-reviewer")
    user = get_user_model().objects.get(username="demo-reviewer")
    waiting = list(review_queue(user=user)[:1])
    assert waiting, "the demo holds submissions waiting for the DSAL reviewer"
    submission = waiting[0]
    _page(client, "/review/", str(submission.uuid))
    _page(client, f"/review/{submission.uuid}/")
    with django_capture_on_commit_callbacks(execute=True):
        approved = client.post(f"/review/{submission.uuid}/approve/", {"approve-comment": "Checked."})
    assert approved.status_code in (200, 302)
    assert submission.uuid not in {s.uuid for s in review_queue(user=user)}


def test_victim_protection_reads_the_waiting_referral_and_the_read_is_audited(demo, media):
    client = _signed_in(demo, "demo-victim-protection")
    referral = Referral.objects.order_by("-created_at").first()
    _page(client, "/protection/", str(referral.uuid))
    _page(client, f"/protection/{referral.uuid}/")
    before = AuditEntry.objects.filter(action=AuditEntry.Action.READ).count()
    shown = client.post(f"/protection/{referral.uuid}/person/", {"reason": "protection"})
    assert shown.status_code == 200 and "no-store" in shown["Cache-Control"]
    assert AuditEntry.objects.filter(action=AuditEntry.Action.READ).count() == before + 1


def test_the_analyst_reads_the_dashboard_and_the_yearly_report(demo, media):
    client = _signed_in(demo, "demo-analyst")
    _page(client, "/statistics/")
    _page(client, "/statistics/report/2019-2023/")
    xlsx = client.get("/statistics/breakdown.xlsx?measure=inspections&rows=year")
    assert xlsx.status_code == 200
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")


@pytest.mark.parametrize("username,start", [("demo-team-leader", "/review/"), ("demo-admin", "/admin/")])
def test_team_leaders_and_administrators_reach_their_start(demo, username, start):
    client = _signed_in(demo, username)
    _page(client, start)


def test_nobody_else_reaches_victim_protection(demo):
    referral = Referral.objects.order_by("-created_at").first()
    for username in ("demo-planner", "demo-reviewer", "demo-analyst", "demo-team-leader"):
        client = _signed_in(demo, username)
        assert client.get("/protection/").status_code == 404, username
        assert client.get(f"/protection/{referral.uuid}/").status_code == 404, username
        assert "/protection/" not in client.get("/").content.decode(), username
