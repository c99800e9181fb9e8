"""Routine programmes and due work in the console: create a programme of one's own agency,
see its open due work, plan it; request, list and cancel due work."""

from __future__ import annotations

import datetime as dt

import pytest

from backend.planning.models import DueWork
from backend.planning.services import due_work_request
from scheduler.models import PlanningJob, Programme
from tests import factories
from tests.scheduler.conftest import EVENING

DAY = EVENING.date()


@pytest.mark.django_db
def test_creating_a_programme_for_the_planners_agency(planner_client, paula, city):
    pat = city["psp"][0]
    response = planner_client.post(
        "/planning/programmes/new/",
        {
            "name": "March round",
            "start_date": DAY.isoformat(),
            "end_date": (DAY + dt.timedelta(days=4)).isoformat(),
            "officers": [pat.pk],
            "work_in_pairs": "",
        },
    )
    programme = Programme.objects.get(name="March round")
    assert response.status_code == 302 and response["Location"] == f"/planning/programmes/{programme.uuid}/"
    assert programme.agency == paula.agency and list(programme.officers.all()) == [pat]
    assert not programme.work_in_pairs
    page = planner_client.get("/planning/programmes/").content.decode()
    assert "March round" in page


@pytest.mark.django_db
def test_another_agencys_officer_cannot_be_put_in_the_programme(planner_client, city):
    lou = city["dsal"][0]
    response = planner_client.post(
        "/planning/programmes/new/",
        {"name": "X", "start_date": DAY.isoformat(), "end_date": DAY.isoformat(), "officers": [lou.pk]},
    )
    assert response.status_code == 200 and not Programme.objects.filter(name="X").exists()


@pytest.mark.django_db
def test_a_programme_longer_than_nine_weeks_is_refused_on_the_form(planner_client, city):
    response = planner_client.post(
        "/planning/programmes/new/",
        {
            "name": "Too long",
            "start_date": DAY.isoformat(),
            "end_date": (DAY + dt.timedelta(days=90)).isoformat(),
            "officers": [city["psp"][0].pk],
        },
    )
    assert response.status_code == 200 and b"at most nine weeks" in response.content


@pytest.mark.django_db
def test_due_work_requested_listed_and_cancelled(planner_client, paula, city):
    site = city["venues"][1]
    response = planner_client.post(
        "/planning/due-work/",
        {
            "site": site.pk,
            "category": "prostitution_trafficking",
            "reason": "manual",
            "earliest": DAY.isoformat(),
            "latest": (DAY + dt.timedelta(days=3)).isoformat(),
            "priority": 2,
            "note": "tip from the hotline",
        },
    )
    assert response.status_code == 302
    due = DueWork.objects.get(site=site)
    assert due.agency == paula.agency and due.status == DueWork.Status.OPEN
    listing = planner_client.get("/planning/due-work/").content.decode()
    assert site.name_en in listing and "tip from the hotline" in listing
    planner_client.post(f"/planning/due-work/{due.uuid}/cancel/")
    due.refresh_from_db()
    assert due.status == DueWork.Status.CANCELLED
    assert "tip from the hotline" not in planner_client.get("/planning/due-work/").content.decode()
    assert (
        "tip from the hotline" in planner_client.get("/planning/due-work/?status=cancelled").content.decode()
    )
    again = planner_client.post(f"/planning/due-work/{due.uuid}/cancel/", follow=True)
    assert b"Only open due work can be cancelled" in again.content


@pytest.mark.django_db
def test_due_work_with_the_window_backwards_is_refused(planner_client, city):
    response = planner_client.post(
        "/planning/due-work/",
        {
            "site": city["venues"][1].pk,
            "category": "prostitution_trafficking",
            "reason": "manual",
            "earliest": DAY.isoformat(),
            "latest": (DAY - dt.timedelta(days=3)).isoformat(),
            "priority": 3,
        },
    )
    assert response.status_code == 200 and not DueWork.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_a_programme_with_due_work_is_planned_and_published_from_the_console(planner_client, paula, city):
    pat, pete = city["psp"]
    programme_page = planner_client.post(
        "/planning/programmes/new/",
        {
            "name": "Night round",
            "start_date": DAY.isoformat(),
            "end_date": DAY.isoformat(),
            "officers": [pat.pk, pete.pk],
            "work_in_pairs": "on",
        },
    )
    programme = Programme.objects.get(name="Night round")
    for venue in city["venues"][:2]:
        due_work_request(
            actor=paula.user,
            site=venue,
            agency=paula.agency,
            category="prostitution_trafficking",
            reason="manual",
            earliest=DAY,
            latest=DAY,
        )
    detail = planner_client.get(programme_page["Location"]).content.decode()
    assert "Lotus Karaoke" in detail and "Jade Sauna" in detail
    started = planner_client.post(
        f"/planning/programmes/{programme.uuid}/plan/start/", {"time_limit_seconds": 3, "seed": 1}
    )
    assert started.status_code == 302
    job = PlanningJob.objects.get(programme=programme)
    assert job.status == PlanningJob.Status.SUCCEEDED, job.error
    workspace = planner_client.get(f"/planning/programmes/{programme.uuid}/plan/")
    assert workspace.status_code == 200 and b"visits planned" in workspace.content
    published = planner_client.post(f"/planning/programmes/{programme.uuid}/plan/publish/", follow=True)
    programme.refresh_from_db()
    assert programme.status == Programme.Status.PUBLISHED, published.content.decode()[-3000:]


@pytest.mark.django_db
def test_a_programme_without_ticked_officers_plans_with_the_agencys_inspectors(planner_client, paula):
    form = planner_client.get("/planning/programmes/new/").content.decode()
    assert "all of the agency&#x27;s inspectors on duty" in form
    response = planner_client.post(
        "/planning/programmes/new/",
        {
            "name": "Whole unit",
            "start_date": DAY.isoformat(),
            "end_date": DAY.isoformat(),
            "work_in_pairs": "on",
        },
    )
    assert response.status_code == 302
    programme = Programme.objects.get(name="Whole unit")
    assert not programme.officers.exists()
    assert "all of the agency on duty" in planner_client.get(response["Location"]).content.decode()


@pytest.mark.django_db
def test_the_due_work_form_lists_every_active_site_and_keeps_the_choice_on_a_refusal(planner_client, city):
    closed = factories.site(name_en="Closed Bar", is_active=False)
    chosen = city["venues"][2]
    page = planner_client.post(
        "/planning/due-work/",
        {
            "site": chosen.pk,
            "category": "prostitution_trafficking",
            "reason": "manual",
            "earliest": DAY.isoformat(),
            "latest": (DAY - dt.timedelta(days=1)).isoformat(),
            "priority": 3,
        },
    ).content.decode()
    select = page[
        page.index('<select name="site"') : page.index("</select>", page.index('<select name="site"'))
    ]
    assert 'id="id_site"' in select and " required" in select
    assert f'<option value="{chosen.pk}" selected>{chosen.name_en}</option>' in select
    for venue in city["venues"]:
        assert f'<option value="{venue.pk}"' in select
    assert "Closed Bar" not in select and closed.pk


@pytest.mark.django_db
def test_cancelling_due_work_comes_back_to_the_list_it_was_cancelled_from(planner_client, paula, city):
    """Cancelled from "All", the request fell back to the open list and vanished from sight."""
    due = due_work_request(
        actor=None,
        site=city["venues"][1],
        agency=paula.agency,
        category="prostitution_trafficking",
        reason="manual",
        earliest=DAY,
        latest=DAY + dt.timedelta(days=3),
    )
    listing = planner_client.get("/planning/due-work/?status=all").content.decode()
    assert '<input type="hidden" name="status" value="all">' in listing
    done = planner_client.post(f"/planning/due-work/{due.uuid}/cancel/", {"status": "all"})
    assert done.status_code == 302 and done["Location"] == "/planning/due-work/?status=all"
    # A status the list does not know sends the planner to the open list, as before.
    again = planner_client.post(f"/planning/due-work/{due.uuid}/cancel/", {"status": "<b>"})
    assert again["Location"] == "/planning/due-work/"
