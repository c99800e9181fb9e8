"""Choosing targets among more sites than one page shows, on a phone, in Chinese: a site ticked
on one page of the other sites stays ticked when the next page comes in (htmx), a site picked on
the map that the page does not list gets a row in the targets table with its wave, and saving
keeps the targets already chosen. Then the due work page (in English, its widest), whose table
scrolls inside its box, not the page."""

from __future__ import annotations

from decimal import Decimal

import pytest

from backend.planning.services import due_work_request
from scheduler.models import Target
from tests import factories
from tests.browser_support import PHONE, axe_check, sign_in
from tests.scheduler.conftest import EVENING

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct-horse-battery"


def test_targets_across_pages_and_from_the_map_on_a_phone_in_chinese(pages, operation, paula):
    extra = [
        factories.site(
            name_en=f"Harbour {n:02d}",
            name_zh_hant=f"海港 {n:02d}",
            latitude=Decimal("22.1900") + Decimal("0.0030") * (n % 6),
            longitude=Decimal("113.5400") + Decimal("0.0030") * (n // 6),
            risk_score=Decimal(80) - n,
        )
        for n in range(36)
    ]
    kept = set(operation.targets.values_list("site_id", flat=True))
    page = pages.new_page(viewport=PHONE, locale="zh-TW")
    sign_in(page, pages.base_url, "paula", PASSWORD)
    page.locator('button[name="language"][value="zh-hant"]').click()
    page.wait_for_load_state()
    page.goto(f"{pages.base_url}/planning/operations/{operation.uuid}/")
    page.locator("#targets-map[data-ready]").wait_for()
    assert page.locator("#targets-map .leaflet-marker-icon").count() > len(extra)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    # The parish names lie under the targets: a label never hides a marker. (A name a marker
    # would cover is hidden besides, so the pane is waited for, not a visible name.)
    page.locator("#targets-map .leaflet-parish-labels-pane .map-label").first.wait_for(state="attached")
    labels, markers = page.evaluate(
        """() => ['.leaflet-parish-labels-pane', '.leaflet-marker-pane'].map(
            s => Number(getComputedStyle(document.querySelector('#targets-map ' + s)).zIndex))"""
    )
    assert labels < markers

    ticked, picked = extra[0], extra[1]  # both on the first page of the other sites
    page.locator(f"#site-{ticked.uuid}").check()
    page.locator("#candidates .pager a").last.click()  # 下一頁
    page.get_by_text("第 2 頁，共 2 頁", exact=True).wait_for()  # not the live region that also says it
    assert page.locator(f"#chosen-rows #site-{ticked.uuid}").is_checked()  # kept, moved up
    assert page.locator(f"#site-{picked.uuid}").count() == 0

    page.locator(f"#targets-map .leaflet-marker-icon[title='{picked.name_zh_hant}']").dispatch_event("click")
    row = page.locator(f"#chosen-rows tr[data-site='{picked.uuid}']")
    assert row.locator("input[name=site]").is_checked()
    assert "海港 01" in row.inner_text()
    row.get_by_label(f"{picked.name_zh_hant} 的梯次").select_option("W2")
    # The marker's tooltip joins the label to its value with the Chinese colon ("營業時間: " was
    # half-width, a helper's walk).
    page.locator(f"#targets-map .leaflet-marker-icon[title='{picked.name_zh_hant}']").dispatch_event(
        "mouseover"
    )
    tip = page.locator("#targets-map .leaflet-tooltip-pane .leaflet-tooltip").last
    tip.wait_for()
    assert "營業時間：" in tip.inner_text() and ": " not in tip.inner_text(), tip.inner_text()
    axe_check(page, exclude=[".leaflet-marker-pane"])
    pages.shot(page, "targets-phone-zh")

    page.get_by_role("button", name="儲存目標").click()
    page.wait_for_url("**#targets")
    targets = {
        t.site_id: t.wave.code if t.wave_id else None for t in Target.objects.filter(operation=operation)
    }
    assert set(targets) == kept | {ticked.pk, picked.pk}
    assert targets[picked.pk] == "W2" and targets[ticked.pk] is None

    for site in extra[:3]:
        due_work_request(
            actor=paula.user,
            site=site,
            agency=paula.agency,
            category="prostitution_trafficking",
            reason="manual",
            earliest=EVENING.date(),
            latest=EVENING.date(),
            note="Complaint by a neighbour about late-night noise and workers sleeping on site",
        )
    page.locator('button[name="language"][value="en"]').click()
    page.wait_for_load_state()
    page.goto(f"{pages.base_url}/planning/due-work/")
    page.get_by_role("heading", name="Due work").wait_for()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    axe_check(page)
