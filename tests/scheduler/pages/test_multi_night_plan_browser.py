"""A plan over two nights reads in a real browser: the routes, the operation's summary and the
move form date every time not on the first day; the timeline shows one night at a time (a pager
for the others), its labels never overlap and nothing runs past its edge, at desktop and phone
widths; a plan that breaks rules cannot be published and says why, in words, not rule codes;
and a move's note is said once."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from scheduler import services
from scheduler.models import PlanningJob
from tests import factories
from tests.browser_support import PHONE, axe_check, sign_in
from tests.scheduler.conftest import MACAU, VENUES, on_shift

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct-horse-battery"
NIGHT = dt.datetime(2030, 12, 6, 20, 0, tzinfo=MACAU)

# Every timeline element's box inside the timeline's drawn area, and no two labels of the axis
# (hours, waves) touching.
LAYOUT = """() => {
  const inner = document.querySelector('#plan-timeline .tl-inner').getBoundingClientRect();
  const box = (el) => el.getBoundingClientRect();
  const outside = [...document.querySelectorAll('#plan-timeline .tl-block, #plan-timeline .tl-tick,'
    + ' #plan-timeline .tl-wave-label')].filter((el) => {
      const b = box(el);
      return b.left < inner.left - 0.5 || b.right > inner.right + 0.5;
    }).map((el) => el.textContent || el.title);
  const touch = (a, b) =>
    a.left < b.right - 1 && b.left < a.right - 1 && a.top < b.bottom - 1 && b.top < a.bottom - 1;
  const labels = [...document.querySelectorAll('#plan-timeline .tl-tick, #plan-timeline .tl-wave-label')];
  const clashes = [];
  labels.forEach((a, i) => labels.slice(i + 1).forEach((b) => {
    if (touch(box(a), box(b))) clashes.push(a.textContent + ' / ' + b.textContent);
  }));
  return { outside, clashes, blocks: document.querySelectorAll('#plan-timeline .tl-onsite').length };
}"""


def two_nights(paula):
    from backend.checklists.services import checklists_load_builtin

    checklists_load_builtin()
    start = NIGHT - dt.timedelta(hours=2)
    psp = [
        on_shift(factories.officer("PSP", full_name="Pat Police", sex="F", rank=5), start=start, hours=36),
        on_shift(factories.officer("PSP", full_name="Pete Police", rank=3), start=start, hours=36),
    ]
    dsal = [
        on_shift(factories.officer("DSAL", full_name="Lou Labour", sex="F", rank=4), start=start, hours=36),
        on_shift(factories.officer("DSAL", full_name="Lee Labour", rank=2), start=start, hours=36),
    ]
    venues = [
        factories.site(
            name_en=name,
            latitude=lat,
            longitude=lon,
            opening_hours=[(d, dt.time(18), dt.time(4)) for d in range(7)],
        )
        for name, lat, lon in VENUES
    ]
    op = services.operation_plan_create(
        actor=paula.user,
        planner=paula,
        name="Two Nights",
        lead_agency=psp[0].agency,
        agencies=[dsal[0].agency],
        starts_at=NIGHT,
        ends_at=NIGHT + dt.timedelta(hours=32),
        reveal_at=NIGHT - dt.timedelta(hours=1),
        muster_unit=psp[0].unit,
        waves=[("n1", NIGHT + dt.timedelta(hours=1)), ("n2", NIGHT + dt.timedelta(hours=25))],
        team_min_size=2,
        team_max_size=2,
        required_agencies=["PSP", "DSAL"],
    )
    services.operation_targets_set(actor=paula.user, operation=op, sites=venues[:2], wave="n1")
    services.operation_targets_set(actor=paula.user, operation=op, sites=venues[2:], wave="n2")
    return op


def check_timeline(page):
    pager = page.locator("#plan-timeline-pages [data-period]")
    expect(pager).to_have_count(2)
    for index in range(2):
        pager.nth(index).click()
        expect(pager.nth(index)).to_have_attribute("aria-pressed", "true")
        page.locator("#plan-timeline .tl-onsite").first.wait_for()
        layout = page.evaluate(LAYOUT)
        assert not layout["outside"], layout
        assert not layout["clashes"], layout
        assert layout["blocks"] >= 1
        # Each night shows its own wave, and only it.
        expect(page.locator("#plan-timeline .tl-wave-label")).to_have_count(1)
        expect(page.locator("#plan-timeline .tl-wave-label")).to_contain_text(f"n{index + 1}")
        # A row names its team without the night the pager says: short, not wrapped over lines.
        rows = page.evaluate(
            """() => [...document.querySelectorAll('#plan-timeline .tl-label')].map((el) => ({
                text: el.textContent, lines: el.getBoundingClientRect().height
                    / parseFloat(getComputedStyle(el).lineHeight) }))"""
        )
        assert rows and all("night of" not in r["text"] and r["lines"] < 2.5 for r in rows), rows
    pager.first.click()


def test_a_two_night_plan_dates_its_times_and_pages_its_timeline(pages, paula):
    op = two_nights(paula)
    page = pages.new_page(viewport={"width": 1366, "height": 800})
    page.on("dialog", lambda dialog: dialog.accept())
    sign_in(page, pages.base_url, "paula", PASSWORD)
    page.goto(f"{pages.base_url}/planning/operations/{op.uuid}/")
    waves = page.locator("dt", has_text="Waves").locator("xpath=following-sibling::dd")
    assert re.search(r"n1 9 p\.m\.; n2 Sat 7 Dec 9 p\.m\.", waves.inner_text()), waves.inner_text()
    page.fill("#id_time_limit_seconds", "3")
    page.get_by_role("button", name="Plan", exact=True).click()
    page.get_by_text("The plan is ready.").first.wait_for(timeout=60_000)
    assert "objective" not in page.locator("#job").inner_text()
    page.get_by_role("link", name="Open the plan").first.click()
    page.wait_for_url("**/plan/")
    page.locator("#plan-timeline .tl-onsite").first.wait_for()

    # The second night's visits carry their date in the routes and the move form.
    routes = page.locator("#routes-h").locator("xpath=..").inner_text()
    assert "Sat 7 Dec" in routes, routes
    options = page.locator("#id_visit option").all_inner_texts()
    # Each option ends on the visit's time ("· 9 p.m."), dated past the first night; the team's
    # name before it says its night.
    times = [o.rsplit(" · ", 1)[-1] for o in options]
    dated = any("Sat 7 Dec" in t for t in times)
    assert dated and any(not re.search(r"\d Dec", t) for t in times), options
    assert any("night of Sat 7 Dec" in o for o in options), options
    check_timeline(page)
    axe_check(page, exclude=[".leaflet-marker-pane"])
    pages.shot(page, "desktop")

    # A move that breaks rules: said once, publishing refused up front with its reason in words.
    job = PlanningJob.objects.get(operation=op)
    first = job.plan["routes"][0]["stops"][0]["visit_id"]
    page.select_option("#id_visit", first)
    page.select_option("#id_to_route", "1")
    page.get_by_role("button", name="Move and pin").click()
    page.locator("#workspace .message").first.wait_for()
    page.locator("#plan-timeline .tl-onsite").first.wait_for()
    expect(page.get_by_text("Visit moved and pinned; the plan was checked again.")).to_have_count(1)
    job.refresh_from_db()
    violations = job.evaluation["violations"]
    publish = page.get_by_role("button", name="Publish the plan")
    if violations:
        expect(publish).to_be_disabled()
        assert publish.get_attribute("aria-describedby") == "publish-why"
        expect(page.locator("#publish-why")).to_contain_text("cannot be published")
        page.reload()
        expect(page.locator(".plan-status a[href='#violations-h']")).to_be_visible()
        items = page.locator("#violations li").all_inner_texts()
        codes = {v.get("rule") or v.get("code") for v in violations}
        assert items and not any(item.split()[-1] in codes for item in items), (items, codes)
        expect(page.locator("#violations code")).to_have_count(0)
        axe_check(page, exclude=[".leaflet-marker-pane"])
    else:
        expect(publish).to_be_enabled()


def test_a_two_night_plan_reads_on_a_phone(pages, paula):
    op = two_nights(paula)
    services.planning_start(actor=paula.user, operation=op, time_limit_seconds=3, seed=1)
    assert PlanningJob.objects.get(operation=op).status == PlanningJob.Status.SUCCEEDED
    page = pages.new_page(viewport=PHONE)
    sign_in(page, pages.base_url, "paula", PASSWORD)
    page.goto(f"{pages.base_url}/planning/operations/{op.uuid}/plan/")
    page.locator("#plan-timeline .tl-onsite").first.wait_for()
    assert "Sat 7 Dec" in page.locator("#routes-h").locator("xpath=..").inner_text()
    check_timeline(page)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    axe_check(page, exclude=[".leaflet-marker-pane"])
    pages.shot(page, "phone")
