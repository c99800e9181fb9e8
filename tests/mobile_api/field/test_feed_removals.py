"""The field app follows the incremental feed: a visit the planner changed is marked changed, and
the work the feed says is no longer the officer's (moved to another team) leaves the phone on
its next incremental sync, without waiting for the daily full sync."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import expect

from backend.inspections import services as inspections
from tests.mobile_api.field.phone import open_phone, sign_in_app

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_visit_moved_to_another_team_leaves_the_phone_on_the_next_sync(pages, field, dora):
    page = open_phone(pages)
    sign_in_app(page, pages.base_url, "alice")
    visit = page.locator(f"li.assignment[data-id='{field.revealed.uuid}']")
    visit.wait_for()
    assert visit.locator(".badge").count() == 0

    inspection = field.revealed
    later = dt.timedelta(minutes=30)
    inspections.inspection_reschedule(
        actor=None,
        inspection=inspection,
        team=inspection.team,
        planned_start=inspection.planned_start + later,
        planned_end=inspection.planned_end + later,
        route_order=1,
    )
    page.locator("#sync").click()
    expect(visit.locator(".badge.warn")).to_have_text("Changed since the last sync")

    inspection.refresh_from_db()
    elsewhere = inspections.team_create(
        actor=None, name="Night 1 B", members=[dora], operation=field.operation
    )
    inspections.inspection_reschedule(
        actor=None,
        inspection=inspection,
        team=elsewhere,
        planned_start=inspection.planned_start,
        planned_end=inspection.planned_end,
        route_order=1,
    )
    page.locator("#sync").click()
    visit.wait_for(state="detached")
    held = page.evaluate(
        """() => new Promise((resolve) => {
             const open = indexedDB.open("field-app");
             open.onsuccess = () => {
               const request = open.result.transaction("assignments").objectStore("assignments").getAllKeys();
               request.onsuccess = () => resolve(request.result);
             };
           })"""
    )
    assert str(inspection.uuid) not in held
