"""The field app on a connected phone: a check-in far from the site is explained and stored, never
refused; the incremental feed marks a visit the planner changed, and the work the feed says is
no longer the officer's (moved to another team) leaves the phone on its next incremental sync,
without waiting for the daily full sync."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from backend.inspections import services as inspections
from backend.inspections.models import CheckIn
from tests.mobile_api.field.phone import open_phone, sign_in_app

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_connected_phone_checks_in_far_and_follows_the_feed(pages, field, dora):
    page = open_phone(pages)
    sign_in_app(page, pages.base_url, "alice")
    visit = page.locator(f"li.assignment[data-id='{field.revealed.uuid}']")
    visit.wait_for()
    # Not started, and nothing changed since the last sync (no "changed" badge).
    expect(visit.locator(".visit-state .badge")).to_have_attribute("data-state", "not_started")
    assert visit.locator(".badge.warn").count() == 0

    # About 5 km from the site: stored with the flag, and the officer told why it is no refusal.
    page.context.set_geolocation({"latitude": 22.16, "longitude": 113.56, "accuracy": 30})
    visit.locator("h4 a").click()
    page.locator("#check-in").click()
    status = page.locator("#checkin-status")
    expect(status).to_contain_text("never refused")
    assert "accuracy 30 m" in status.inner_text()
    [far] = CheckIn.objects.all()
    assert far.outside_radius and far.distance_m > 4000
    page.context.set_geolocation(
        {
            "latitude": float(field.revealed.site.latitude),
            "longitude": float(field.revealed.site.longitude),
            "accuracy": 8,
        }
    )
    page.locator("#check-in").click()
    # The latest check-in shows (the phone's store lists them by a random id, not by time).
    expect(status).to_have_text(re.compile(r"^Checked in, 0 m from the site \(accuracy 8 m\)\.$"))
    assert "never refused" not in status.inner_text()
    assert CheckIn.objects.filter(outside_radius=False).count() == 1
    page.locator("a.button[href='#/']").click()

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
