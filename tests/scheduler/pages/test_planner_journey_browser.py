"""The planner's whole journey in a real browser: sign in with the second factor, create an
operation with two waves, add targets on the map, plan with the progress shown, move a visit,
publish, print a briefing; axe on each page, screenshots, and one pass at phone width."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import expect

from backend.checklists.services import checklists_load_builtin
from backend.inspections.models import Inspection, Operation
from backend.planning.models import DueWork
from scheduler.models import PlanningJob, Programme
from tests import factories
from tests.browser_support import PHONE, axe_check, sign_in
from tests.scheduler.conftest import EVENING, on_shift

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct-horse-battery"
LOCAL = "%Y-%m-%dT%H:%M"


def small_city():
    """About a dozen venues open at night and a dozen officers of PSP, DSAL and IAS on shift."""
    checklists_load_builtin()
    officers = []
    for n in range(5):
        officers.append(
            on_shift(
                factories.officer("PSP", full_name=f"PSP officer {n}", sex="F" if n % 2 else "M", rank=2 + n)
            )
        )
    for n in range(4):
        officers.append(
            on_shift(
                factories.officer("DSAL", full_name=f"DSAL officer {n}", sex="F" if n % 2 else "M", rank=3)
            )
        )
    for n in range(3):
        officers.append(on_shift(factories.officer("IAS", full_name=f"IAS officer {n}", sex="F", rank=3)))
    venues = [
        factories.site(
            name_en=f"Venue {n:02d}",
            latitude=22.190 + 0.004 * (n % 4),
            longitude=113.540 + 0.004 * (n // 4),
            opening_hours=[(d, dt.time(19), dt.time(4)) for d in range(7)],
        )
        for n in range(12)
    ]
    planner = factories.officer(
        "PSP", username="paula", full_name="Paula Planner", roles=("planner",), sex="F"
    )
    return planner, officers, venues


def no_sideways_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def test_a_planner_plans_adjusts_publishes_and_prints_an_operation(pages):
    planner, _officers, venues = small_city()
    page = pages.new_page()
    page.on("dialog", lambda dialog: dialog.accept())
    sign_in(page, pages.base_url, "paula", PASSWORD)

    page.get_by_role("link", name="Operations").first.click()
    page.wait_for_url("**/planning/")
    axe_check(page)
    pages.shot(page, "1-operations")

    page.get_by_role("link", name="New operation").click()
    page.fill("#id_name", "Harbour Lights")
    page.select_option("#id_lead_agency", value=str(planner.agency.pk))
    page.locator("#id_agencies").get_by_role("checkbox", name="DSAL").check()
    page.fill("#id_starts_at", EVENING.strftime(LOCAL))
    page.fill("#id_ends_at", (EVENING + dt.timedelta(hours=7)).strftime(LOCAL))
    page.fill("#id_reveal_at", (EVENING - dt.timedelta(hours=1)).strftime(LOCAL))
    page.select_option("#id_muster_unit", value=str(planner.unit.pk))
    page.fill("#id_team_min_size", "2")
    page.fill("#id_team_max_size", "3")
    page.fill("#id_wave_code_1", "W1")
    page.fill("#id_wave_start_1", (EVENING + dt.timedelta(hours=1, minutes=30)).strftime(LOCAL))
    page.fill("#id_wave_code_2", "W2")
    page.fill("#id_wave_start_2", (EVENING + dt.timedelta(hours=3, minutes=30)).strftime(LOCAL))
    axe_check(page)
    pages.shot(page, "2-new-operation")
    page.get_by_role("button", name="Create the operation").click()
    page.wait_for_url("**/planning/operations/*/")
    operation = Operation.objects.get(name="Harbour Lights")
    assert [w.code for w in operation.waves.all()] == ["W1", "W2"]

    # Targets on the map: a click on a marker ticks the site in the list.
    markers = page.locator("#targets-map .leaflet-marker-icon")
    expect(markers).to_have_count(12)
    chosen = venues[:4]
    for venue in chosen:
        page.locator(f"#targets-map .leaflet-marker-icon[title='{venue.name_en}']").click()
        assert page.locator(f"#site-{venue.uuid}").is_checked()
    for venue in chosen[:2]:
        page.select_option(f"select[name='wave-{venue.uuid}']", "W1")
    for venue in chosen[2:]:
        page.select_option(f"select[name='wave-{venue.uuid}']", "W2")
    axe_check(page, exclude=[".leaflet-marker-pane"])
    pages.shot(page, "3-targets")
    page.get_by_role("button", name="Save the targets").click()
    page.wait_for_url("**#targets")
    assert operation.targets.count() == 4

    # Plan: the progress region shows the run until it ends.
    page.fill("#id_time_limit_seconds", "3")
    page.get_by_role("button", name="Plan", exact=True).click()
    page.locator("#job progress").first.wait_for()
    page.get_by_text("The plan is ready.").first.wait_for(timeout=60_000)
    assert page.locator("#job progress").first.get_attribute("value") == "1"
    pages.shot(page, "4-planned")
    page.get_by_role("link", name="Open the plan").first.click()
    page.wait_for_url("**/plan/")
    page.locator("#plan-timeline .tl-onsite").first.wait_for()
    page.locator("#plan-map .stop-marker").first.wait_for()
    rows = page.locator("#plan-timeline .tl-track[data-route]")
    expect(page.locator("#plan-timeline .tl-wave-label")).to_have_count(2)  # a line per wave
    axe_check(page, exclude=[".leaflet-marker-pane"])
    pages.shot(page, "5-workspace")

    # Drag a visit onto another team's row: the move form is submitted for it.
    dragged = rows.nth(0).locator(".tl-onsite").first
    visit = dragged.get_attribute("data-visit")
    target_route = rows.nth(1).get_attribute("data-route")
    dragged.drag_to(rows.nth(1))
    page.get_by_text("Visit moved and pinned").first.wait_for()
    job = PlanningJob.objects.get(operation=operation)
    assert visit in {s["visit_id"] for s in job.plan["routes"][int(target_route)]["stops"]}
    # The timeline is redrawn by the page's script after htmx settles the swap: wait for it.
    expect(
        page.locator(f"#plan-timeline .tl-track[data-route='{target_route}'] [data-visit='{visit}']")
    ).to_have_count(1)
    # Redrawn after htmx settled: the map keeps Leaflet's classes, so it clips what it draws.
    page.wait_for_function(
        "() => { const m = document.getElementById('plan-map'); return m"
        " && m.classList.contains('leaflet-container') && getComputedStyle(m).overflow === 'hidden'; }"
    )
    pages.shot(page, "6-dragged")

    # Move a visit out of the plan with the form (the way without dragging).
    page.select_option("#id_visit", visit)
    page.select_option("#id_to_route", "out")
    page.get_by_role("button", name="Move and pin").click()
    page.get_by_text("Taken out of the plan by the planner.").first.wait_for()
    page.locator("#plan-timeline .tl-onsite").first.wait_for()  # redrawn after the swap
    pages.shot(page, "7-moved")

    with page.expect_response("**/plan/publish/"):
        page.get_by_role("button", name="Publish the plan").click()
    # The move's own note (a .message.success) is still there until the publish's swap: wait
    # for the publish's note, or its errors.
    page.locator("#workspace .message.success", has_text="Plan published").or_(
        page.locator("#workspace .errors")
    ).first.wait_for()
    assert page.get_by_text("Plan published").first.is_visible(), page.locator("#workspace").inner_text()[
        :1500
    ]
    operation.refresh_from_db()
    assert operation.status == Operation.Status.PUBLISHED
    assert Inspection.objects.filter(operation=operation).count() == 3
    pages.shot(page, "8-published")

    page.locator("a", has_text="Briefing").first.click()
    page.wait_for_url("**/briefings/1/")
    page.locator("#briefing-map .stop-marker").first.wait_for()
    axe_check(page, exclude=[".leaflet-marker-pane"])
    page.evaluate("window.print = function () { window.__printed = true; }")
    page.get_by_role("button", name="Print").click()
    assert page.evaluate("window.__printed === true")
    page.emulate_media(media="print")
    pages.shot(page, "9-briefing-print")
    page.emulate_media(media="screen")

    # A routine programme the same way: due work requested on the console, a programme of the
    # planner's agency planned, published and printed.
    day = EVENING.date().isoformat()
    page.get_by_role("link", name="Due work").first.click()
    page.wait_for_url("**/planning/due-work/")
    for venue in venues[6:8]:
        page.select_option("#id_site", value=str(venue.pk))
        page.select_option("#id_category", "prostitution_trafficking")
        page.fill("#id_earliest", day)
        page.fill("#id_latest", day)
        with page.expect_navigation():
            page.get_by_role("button", name="Request", exact=True).click()
        assert page.locator("main table", has_text=venue.name_en).count() == 1
    axe_check(page)
    page.get_by_role("link", name="Programmes").first.click()
    page.get_by_role("link", name="New programme").click()
    page.fill("#id_name", "Night round")
    page.fill("#id_start_date", day)
    page.fill("#id_end_date", day)
    page.get_by_role("button", name="Create the programme").click()
    page.wait_for_url("**/planning/programmes/*/")
    page.fill("#id_time_limit_seconds", "3")
    page.get_by_role("button", name="Plan", exact=True).click()
    page.get_by_text("The plan is ready.").first.wait_for(timeout=60_000)
    page.get_by_role("link", name="Open the plan").first.click()
    page.wait_for_url("**/plan/")
    page.locator("#plan-timeline .tl-onsite").first.wait_for()
    axe_check(page, exclude=[".leaflet-marker-pane"])
    with page.expect_response("**/plan/publish/"):
        page.get_by_role("button", name="Publish the plan").click()
    page.get_by_text("Plan published").first.wait_for()
    programme = Programme.objects.get(name="Night round")
    assert programme.status == Programme.Status.PUBLISHED
    requested = DueWork.objects.filter(site__in=venues[6:8])
    assert [d.status for d in requested] == [DueWork.Status.PLANNED] * 2
    assert all(d.inspection_id for d in requested)
    page.locator("a", has_text="Briefing").first.click()
    page.wait_for_url("**/briefings/1/")
    page.evaluate("window.print = function () { window.__printed = true; }")
    page.get_by_role("button", name="Print").click()
    assert page.evaluate("window.__printed === true")
    pages.shot(page, "9b-programme-briefing")

    # One pass at a supervisor's phone width.
    phone = pages.new_page(viewport=PHONE)
    sign_in(phone, pages.base_url, "paula", PASSWORD)
    for path in (
        "/planning/",
        f"/planning/operations/{operation.uuid}/",
        f"/planning/operations/{operation.uuid}/plan/",
    ):
        phone.goto(pages.base_url + path)
        phone.wait_for_load_state("networkidle")
        assert no_sideways_scroll(phone), path
        axe_check(phone, exclude=[".leaflet-marker-pane"])
    pages.shot(phone, "10-phone-workspace")
