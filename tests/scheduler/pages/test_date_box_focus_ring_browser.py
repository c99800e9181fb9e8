"""A date box shows where the keyboard is on every stop Tab makes in it. Tab goes through the day,
the month and the year, then to the box's calendar button; on that button Chromium matches neither
:focus nor :focus-visible on the box, and the console's ring (drawn for :focus-visible) vanished:
a planner tabbing through the due-work filters saw no focus at all on that step (WCAG 2.4.7)."""

from __future__ import annotations

import pytest

from tests.browser_support import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct-horse-battery"


def test_every_tab_stop_in_a_date_box_shows_the_focus_ring(pages, paula):
    page = pages.new_page()
    sign_in(page, pages.base_url, "paula", PASSWORD)
    page.goto(f"{pages.base_url}/planning/due-work/")
    box = page.get_by_label("Due from")
    # A key pressed first: the browser then shows focus as it does for a keyboard user.
    page.keyboard.press("Tab")
    box.focus()
    stops = []
    while box.evaluate("box => box === document.activeElement"):
        stops.append(
            box.evaluate("box => { const s = getComputedStyle(box); return [s.outlineStyle, s.boxShadow]; }")
        )
        page.keyboard.press("Tab")
    assert len(stops) == 4, stops  # the three parts of the date and the calendar button
    for outline, shadow in stops:
        assert outline == "solid" and shadow != "none", stops
