"""A check-in recorded offline is listed as waiting. The visit said "Position recorded…; it is
sent with the next sync" and, just below, "Nothing waiting.": the waiting list counted
checklists only. Now the check-in is listed, queued, until a sync sends it."""

from __future__ import annotations

import re
import time

import pytest
from playwright.sync_api import expect

from backend.inspections.models import CheckIn
from tests.browser_support import axe_check
from tests.mobile_api.field.phone import go_online, open_phone, sign_in_app, wait_offline_ready

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize(
    ("locale", "label", "first", "again"),
    [("en", "Check-in at", "Check in here", "Check in again"), ("zh-Hant", "簽到（", "在此簽到", "重新簽到")],
)
def test_an_offline_check_in_waits_in_the_list_until_sent(pages, field, locale, label, first, again):
    page = open_phone(pages, locale=locale)
    sign_in_app(page, pages.base_url, "alice")
    wait_offline_ready(page)
    page.context.set_offline(True)
    page.goto(f"{pages.base_url}/field/#/a/{field.revealed.uuid}")
    expect(page.locator("#check-in")).to_have_text(first)
    page.locator("#check-in").click()
    expect(page.locator("#checkin-status")).not_to_be_empty()
    # Checked in: a second tap is said to record another check-in, not the first one again.
    expect(page.locator("#check-in")).to_have_text(again)
    waiting = page.locator("#outbox-list li.checkin")
    expect(waiting).to_have_count(1)
    expect(waiting).to_contain_text(label)
    assert "Nothing waiting" not in page.locator("#outbox-list").inner_text()
    axe_check(page)
    assert not CheckIn.objects.filter(inspection=field.revealed).exists()

    go_online(page)  # the app syncs as the network comes back, and redraws the visit in place
    expect(waiting).to_have_count(0, timeout=30_000)
    assert CheckIn.objects.filter(inspection=field.revealed).count() == 1


def test_a_check_in_made_while_a_sync_runs_is_sent_by_the_run_after_it(pages, field):
    """Checked in while a sync was reading the feed (the network just back), the check-in waited
    "for the next sync" with the phone online, and nothing came to send it: the run in progress
    had passed its check-ins, and the app's call to sync only waited for that run. A call during a
    run now has one more run follow it. (So does a checklist finished during a run.)"""
    page = open_phone(pages)
    sign_in_app(page, pages.base_url, "alice")
    page.goto(f"{pages.base_url}/field/#/a/{field.revealed.uuid}")
    page.locator("#check-in").wait_for()
    held = []
    feed = re.compile(r"/api/mobile/v1/assignments/(\?.*)?$")
    page.route(feed, lambda route: held.append(route))
    go_online(page)  # the network is back: the app syncs, and its feed request is held here
    deadline = time.monotonic() + 10
    while not held and time.monotonic() < deadline:
        page.wait_for_timeout(50)
    assert held, "the sync did not read the feed"

    page.locator("#check-in").click()
    page.wait_for_function(
        """async () => {
            const store = await import('/static/field/js/store.js');
            return (await store.all('checkins')).length === 1;
        }"""
    )
    held[0].continue_()
    page.unroute(feed)
    expect(page.locator("#checkin-status")).to_contain_text("from the site", timeout=10_000)
    expect(page.locator("#outbox-list li.checkin")).to_have_count(0)
    assert CheckIn.objects.filter(inspection=field.revealed).count() == 1


def test_a_second_tap_while_the_phone_finds_its_position_records_nothing_more(pages, field):
    """A fix takes seconds outdoors at night, and "Check in here" stayed ready meanwhile: the
    officer who tapped again, thinking the first tap lost, recorded (and sent) two check-ins."""
    page = open_phone(pages, locale="pt-PT")
    # The phone's GPS answers after a second and a half, as a real one does.
    page.add_init_script(
        """(() => {
            const real = navigator.geolocation.getCurrentPosition.bind(navigator.geolocation);
            navigator.geolocation.getCurrentPosition = (ok, fail, options) =>
                setTimeout(() => real(ok, fail, options), 1500);
        })()"""
    )
    sign_in_app(page, pages.base_url, "alice")
    page.goto(f"{pages.base_url}/field/#/a/{field.revealed.uuid}")
    button = page.locator("#check-in")
    button.tap()
    expect(page.locator("#checkin-status")).to_have_text("A obter a sua posição…")
    expect(button).to_have_attribute("aria-disabled", "true")
    # Tapped again at once (forced: Playwright itself waits for an aria-disabled button).
    button.tap(force=True)
    button.tap(force=True)
    expect(page.locator("#checkin-status")).to_contain_text("do local", timeout=10_000)
    expect(page.locator("#check-in")).to_have_text("Registar chegada de novo")
    page.wait_for_timeout(2000)  # as long as a second fix would have taken
    assert CheckIn.objects.filter(inspection=field.revealed).count() == 1
    assert (
        page.evaluate(
            """async () => (await (await import('/static/field/js/store.js')).all('checkins')).length"""
        )
        == 1
    )
