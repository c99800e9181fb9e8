"""A night's timeline is read whole on a phone. At 390 px the teams' names took 9rem of the
timeline's 332 px and an hour was 72 px wide: under three hours showed, and the last wave's label
and hour were cut at the box's edge ("梯次 N1 21:0…", "22:0…") until scrolled sideways. Each
team's name is now above its row on a phone and an hour is as wide as lets the night fit: every
hour and wave label lies whole inside the box, with nothing to scroll; at a desk it is as it was."""

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
  const box = document.getElementById('plan-timeline');
  const edge = box.getBoundingClientRect();
  const labels = [...box.querySelectorAll('.tl-tick, .tl-wave-label')].map((el) => {
    const r = el.getBoundingClientRect();
    return {text: el.textContent, left: r.left, right: r.right};
  });
  return {
    left: edge.left, right: edge.right, scrolls: box.scrollWidth > box.clientWidth + 1,
    cut: labels.filter((l) => l.left < edge.left - 0.5 || l.right > edge.right + 0.5),
    labels,
  };
}"""


@pytest.fixture
def two_waves(city, paula):
    """A night of two waves two hours apart (as the demo's), a target in each."""
    op = services.operation_plan_create(
        actor=None,
        planner=paula,
        name="Two Waves",
        lead_agency=city["psp"][0].agency,
        agencies=[city["dsal"][0].agency],
        starts_at=EVENING,
        ends_at=EVENING + dt.timedelta(hours=6),
        reveal_at=EVENING - dt.timedelta(hours=1),
        muster_unit=city["muster"],
        waves=[("W1", EVENING + dt.timedelta(hours=1)), ("W2", EVENING + dt.timedelta(hours=3))],
        team_min_size=2,
        team_max_size=2,
        required_agencies=["PSP", "DSAL"],
    )
    for venue, wave in zip(city["venues"], ["W1", "W2", "W1", "W2"], strict=False):
        services.operation_targets_set(actor=None, operation=op, sites=[venue], wave=wave)
    services.planning_start(actor=paula.user, operation=op, time_limit_seconds=3, seed=1)
    assert PlanningJob.objects.get(operation=op).status == PlanningJob.Status.SUCCEEDED
    return op


@pytest.mark.parametrize("locale", ["en", "zh-TW"])
def test_a_nights_hours_and_waves_are_whole_on_a_phone(pages, two_waves, locale):
    page = pages.new_page(viewport=PHONE, locale=locale)
    sign_in(page, pages.base_url, "paula", PASSWORD)
    for name, viewport in (("phone", PHONE), ("desktop", DESKTOP)):
        page.set_viewport_size(viewport)
        page.goto(f"{pages.base_url}/planning/operations/{two_waves.uuid}/plan/")
        page.locator("#plan-timeline .tl-wave-label").nth(1).wait_for()
        layout = page.evaluate(LAYOUT)
        assert len(layout["labels"]) >= 5, layout  # the hours and both waves
        assert not layout["cut"], layout
        assert not layout["scrolls"], layout
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
        axe_check(page, exclude=[".leaflet-marker-pane"])
        pages.shot(page, f"{locale}-{name}")
