"""A page the service worker did not take over works offline all the same.

``clients.claim()`` in the worker's activation takes the pages already running; a page still
loading at that moment (opened, or reloaded, while the worker was installing: a sign-in screen
reloaded on a slow first visit) was passed by and stayed without the worker until its next
load. Offline, everything it fetched then failed: Macao's outline under the route, any file not
loaded yet. The page now asks the active worker to claim it."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.mobile_api.field.phone import open_phone, sign_in_app, wait_offline_ready

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_page_the_worker_passed_by_is_claimed_and_works_offline(pages, field):
    page = open_phone(pages)
    sign_in_app(page, pages.base_url, "alice")
    wait_offline_ready(page)

    # A reload past the worker (a hard reload, as a browser's own "bypass" does) leaves the page
    # without a controller while the worker is active: the state of a page the claim passed by,
    # made every time rather than by the luck of timing.
    cdp = page.context.new_cdp_session(page)
    with page.expect_navigation():
        cdp.send("Page.reload", {"ignoreCache": True})
    cdp.detach()
    page.locator("body[data-synced]").wait_for(state="attached")  # its first sync is over
    wait_offline_ready(page)  # the app asked to be claimed

    page.context.set_offline(True)
    # Drawn again offline, the route map still has Macao's outline (from the worker's cache).
    page.goto(pages.base_url + "/field/#/a/" + str(field.revealed.uuid))
    page.locator("#check-in").wait_for()
    page.goto(pages.base_url + "/field/#/")
    expect(page.locator("#route-map .leaflet-overlay-pane path")).to_have_count(1)
    expect(page.locator("#net")).to_have_text("Offline: your work is kept on the phone")
