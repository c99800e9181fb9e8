"""Who opens the planner's pages: signed out → the sign-in page; a reviewer (wrong role) → 404;
a planner of another agency, who does not plan the sealed operation → 404 on every page of it
and no trace of it in their list; a planner who plans it → the page."""

from __future__ import annotations

import pytest

from backend.planning.services import due_work_request
from scheduler import services
from scheduler.models import PlanningJob
from tests.browser_support import sign_in_client
from tests.scheduler.conftest import EVENING

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"


@pytest.fixture
def pages(operation, paula, city):
    programme = services.programme_create(
        actor=paula.user,
        planner=paula,
        name="PSP spring round",
        agency=paula.agency,
        start_date=EVENING.date(),
        end_date=EVENING.date(),
    )
    job = PlanningJob.objects.create(operation=operation, status=PlanningJob.Status.QUEUED)
    due = due_work_request(
        actor=paula.user,
        site=city["venues"][0],
        agency=paula.agency,
        category="prostitution_trafficking",
        reason="manual",
        earliest=EVENING.date(),
        latest=EVENING.date(),
    )
    op, pr = operation.uuid, programme.uuid
    return {
        "get": [
            "/planning/",
            "/planning/operations/new/",
            f"/planning/operations/{op}/",
            f"/planning/operations/{op}/edit/",
            f"/planning/operations/{op}/sites/",
            f"/planning/operations/{op}/?kind=venue&page=2",
            f"/planning/operations/{op}/plan/",
            f"/planning/operations/{op}/plan/briefings/1/",
            f"/planning/operations/{op}/plan/briefings/1/csv/",
            "/planning/programmes/",
            "/planning/programmes/new/",
            f"/planning/programmes/{pr}/",
            f"/planning/programmes/{pr}/plan/",
            "/planning/due-work/",
            f"/planning/jobs/{job.uuid}/",
        ],
        "post": [
            f"/planning/operations/{op}/targets/",
            f"/planning/operations/{op}/select/",
            f"/planning/operations/{op}/plan/start/",
            f"/planning/operations/{op}/plan/move/",
            f"/planning/operations/{op}/plan/officer/",
            f"/planning/operations/{op}/plan/officer/release/",
            f"/planning/operations/{op}/plan/unpin/",
            f"/planning/operations/{op}/plan/publish/",
            f"/planning/operations/{op}/plan/replan/",
            f"/planning/jobs/{job.uuid}/cancel/",
            f"/planning/due-work/{due.uuid}/cancel/",
        ],
        "operation": str(op),
        "programme": str(pr),
        "due": due,
        "job": job,
    }


def test_signed_out_every_page_sends_to_sign_in(client, pages):
    for url in pages["get"] + pages["post"]:
        response = client.post(url) if url in pages["post"] else client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/sign-in/"), url


def test_a_reviewer_gets_404_everywhere(client, pages, carol):
    sign_in_client(client, "carol", PASSWORD)
    for url in pages["get"] + pages["post"]:
        response = client.post(url) if url in pages["post"] else client.get(url)
        assert response.status_code == 404, url


def test_a_planner_of_another_agency_sees_nothing_of_the_sealed_operation(client, pages, other_planner):
    sign_in_client(client, "dora", PASSWORD)
    listing = client.get("/planning/").content.decode()
    assert "Thunderbolt" not in listing
    assert "PSP spring round" not in client.get("/planning/programmes/").content.decode()
    assert str(pages["due"].uuid) not in client.get("/planning/due-work/").content.decode()
    open_to_all = {
        "/planning/",
        "/planning/operations/new/",
        "/planning/programmes/",
        "/planning/programmes/new/",
        "/planning/due-work/",
    }
    for url in pages["get"] + pages["post"]:
        if url in open_to_all:
            continue
        response = client.post(url) if url in pages["post"] else client.get(url)
        assert response.status_code == 404, url
    pages["job"].refresh_from_db()
    assert pages["job"].status == PlanningJob.Status.QUEUED  # the cancel did nothing


def test_the_operations_planner_opens_each_page(planner_client, pages):
    for url in pages["get"]:
        response = planner_client.get(url)
        expected = 404 if "/briefings/" in url else 200  # no plan yet: no team 1
        assert response.status_code == expected, url
