"""Waves close in time keep readable labels on the plan's timeline: with three waves 15 and 5
minutes apart, no wave label touches another or an hour's label, none runs past the timeline's
edge or down into the teams' rows, and each lies over its own wave's line; in English (the
longest labels) and Chinese, at desktop and phone widths."""

from __future__ import annotations

import datetime as dt

import pytest

from scheduler import services
from scheduler.models import PlanningJob
from tests.browser_support import DESKTOP, PHONE, axe_check, sign_in
from tests.scheduler.conftest import EVENING

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct-horse-battery"

LAYOUT = """() => {
  const box = (el) => el.getBoundingClientRect();
  const inner = box(document.querySelector('#plan-timeline .tl-inner'));
  const axis = box(document.querySelector('#plan-timeline .tl-axis'));
  const waves = [...document.querySelectorAll('#plan-timeline .tl-wave-label')];
  const ticks = [...document.querySelectorAll('#plan-timeline .tl-tick')];
  const touch = (a, b) =>
    a.left < b.right - 1 && b.left < a.right - 1 && a.top < b.bottom - 1 && b.top < a.bottom - 1;
  const clashes = [];
  waves.forEach((a, i) => waves.slice(i + 1).concat(ticks).forEach((b) => {
    if (touch(box(a), box(b))) clashes.push(a.textContent + ' / ' + b.textContent);
  }));
  const outside = waves.filter((el) => {
    const b = box(el);
    return b.left < inner.left - 0.5 || b.right > inner.right + 0.5 || b.bottom > axis.bottom + 0.5;
  }).map((el) => el.textContent);
  // Each label lies over its wave's line in the rows below (starting there where it has room).
  const lines = [...document.querySelector('#plan-timeline .tl-track[data-route]')
    .querySelectorAll('.tl-wave')].map((el) => box(el).left);
  const detached = waves.filter((el, i) => {
    const b = box(el);
    return lines[i] < b.left - 1 || lines[i] + 2 > b.right + 1;
  }).map((el) => el.textContent);
  return { labels: waves.map((el) => el.textContent), clashes, outside, detached };
}"""


@pytest.fixture
def close_waves(city, paula):
    """Three waves at 19:00, 19:15 and 19:20: a target each, two teams of PSP and DSAL."""
    op = services.operation_plan_create(
        actor=None,
        planner=paula,
        name="Close Waves",
        lead_agency=city["psp"][0].agency,
        agencies=[city["dsal"][0].agency],
        starts_at=EVENING,
        ends_at=EVENING + dt.timedelta(hours=6),
        reveal_at=EVENING - dt.timedelta(hours=1),
        muster_unit=city["muster"],
        waves=[
            ("W1", EVENING + dt.timedelta(hours=1)),
            ("W2", EVENING + dt.timedelta(hours=1, minutes=15)),
            ("W3", EVENING + dt.timedelta(hours=1, minutes=20)),
        ],
        team_min_size=2,
        team_max_size=2,
        required_agencies=["PSP", "DSAL"],
    )
    for venue, wave in zip(city["venues"], ["W1", "W2", "W3"], strict=False):
        services.operation_targets_set(actor=None, operation=op, sites=[venue], wave=wave)
    services.planning_start(actor=paula.user, operation=op, time_limit_seconds=3, seed=1)
    assert PlanningJob.objects.get(operation=op).status == PlanningJob.Status.SUCCEEDED
    return op


@pytest.mark.parametrize("locale", ["en", "zh-TW"])
def test_close_waves_labels_do_not_overlap(pages, close_waves, locale):
    page = pages.new_page(viewport=DESKTOP, locale=locale)
    sign_in(page, pages.base_url, "paula", PASSWORD)
    for name, viewport in (("desktop", DESKTOP), ("phone", PHONE)):
        page.set_viewport_size(viewport)
        page.goto(f"{pages.base_url}/planning/operations/{close_waves.uuid}/plan/")
        page.locator("#plan-timeline .tl-wave-label").nth(2).wait_for()
        layout = page.evaluate(LAYOUT)
        assert len(layout["labels"]) == 3, layout
        assert all(code in " ".join(layout["labels"]) for code in ("W1", "W2", "W3")), layout
        assert not layout["clashes"], layout
        assert not layout["outside"], layout
        assert not layout["detached"], layout
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
        axe_check(page, exclude=[".leaflet-marker-pane"])
        pages.shot(page, f"{locale}-{name}")
