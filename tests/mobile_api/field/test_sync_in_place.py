"""A sync redraws the lists where the officer is: the network coming back, or "Sync now" tapped at
the foot of the home screen, leaves the screen scrolled where it was and the focus on the control
the officer was using; a sync tapped offline says why nothing moved. A checklist open to read
while it waits to be sent follows it too: sent in the background, or by "Sync now" in another
tab of the app, it says so in place (no reload), the focus and scroll kept."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.mobile_api.field.phone import (
    fill_checklist,
    go_online,
    open_phone,
    sign_in_app,
    wait_offline_ready,
    wait_statuses,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def synced(page) -> str:
    return page.evaluate("document.body.dataset.synced")


def test_a_sync_leaves_the_officer_where_they_were(pages, field, second_visit):
    page = open_phone(pages)
    sign_in_app(page, pages.base_url, "alice")
    wait_offline_ready(page)
    language = page.locator("#language")
    language.scroll_into_view_if_needed()
    language.focus()
    where = page.evaluate("scrollY")
    assert where > 200, where

    # The network comes back (a sync starts by itself): the list is redrawn in place.
    before = synced(page)
    page.evaluate("() => window.dispatchEvent(new Event('online'))")
    page.wait_for_function("(before) => document.body.dataset.synced !== before", arg=before)
    page.wait_for_timeout(200)
    assert page.evaluate("scrollY") == where
    assert page.evaluate("document.activeElement.id") == "language"

    # "Sync now", tapped at the foot of the screen: the result is read where it was tapped.
    button = page.locator("#sync")
    button.scroll_into_view_if_needed()
    where = page.evaluate("scrollY")
    before = synced(page)
    button.click()
    page.wait_for_function("(before) => document.body.dataset.synced !== before", arg=before)
    expect(page.locator("#sync")).to_have_text("Sync now")
    assert page.evaluate("scrollY") == where
    assert page.evaluate("document.activeElement.id") == "sync"

    # Offline, "Sync now" says why nothing was sent, beside the button.
    page.context.set_offline(True)
    page.evaluate("() => window.dispatchEvent(new Event('offline'))")
    page.locator("#sync").click()
    expect(page.locator("#retry")).to_have_text("Offline: your work is kept on the phone")
    expect(page.locator("#sync")).to_have_text("Sync now")
    assert page.evaluate("document.activeElement.id") == "sync"

    # Opening another screen still starts at its top.
    page.locator("#assignments .assignment h4 a").first.click()
    page.locator("#check-in").wait_for()
    assert page.evaluate("scrollY") == 0


def test_a_sync_keeps_the_focus_on_a_link_and_draws_the_map_again(pages, field, second_visit):
    """A link has no id (a visit's name, "Open" in the lists): focused from the keyboard when a
    sync redrew the home screen, the redraw stopped half-way on it, and the route map stayed an
    empty box until the officer left the screen."""
    page = open_phone(pages)
    sign_in_app(page, pages.base_url, "alice")
    markers = page.locator("#route-map .stop-marker")
    expect(markers).to_have_count(2)
    # The second visit's link, found by where it leads: its number depends on the hour the test
    # runs (from 04:00 in Macao it starts after 06:00, a night of its own, and is numbered 1).
    link = f"#assignments .assignment h4 a[href='#/a/{second_visit.uuid}']"
    page.locator(link).focus()

    before = synced(page)
    page.evaluate("() => window.dispatchEvent(new Event('online'))")
    page.wait_for_function("(before) => document.body.dataset.synced !== before", arg=before)
    expect(markers).to_have_count(2)
    focused = page.locator(link)
    expect(focused).to_be_focused()
    expect(focused).to_contain_text("Silver Moon Massage")


VENUE = "venue_prostitution_trafficking"
ANSWERS = {"venue_type": "karaoke", "persons_found": 0, "persons": 0}


def queued_and_open(page, pages, field) -> None:
    """Offline, the venue checklist finished (queued) and opened again to read."""
    wait_offline_ready(page)
    page.context.set_offline(True)
    fill_checklist(page, str(field.revealed.uuid), VENUE, ANSWERS)
    page.goto(pages.base_url + "/field/#/")
    page.locator("#outbox-list a").click()
    expect(page.locator("#main .badge").first).to_have_attribute("data-status", "queued")
    # The page is not loaded again from here on: this mark would go with it.
    page.evaluate("window.notReloaded = true")


def test_a_checklist_open_to_read_follows_a_sync_in_the_background(pages, field):
    page = open_phone(pages)
    sign_in_app(page, pages.base_url, "alice")
    queued_and_open(page, pages, field)
    # Read a little way down, the focus on "Back".
    page.locator("#back").focus()
    page.evaluate("window.scrollTo(0, 120)")
    where = page.evaluate("scrollY")
    assert where == 120

    # The network comes back: the outbox sends it in the background, and the screen says so.
    go_online(page)
    expect(page.locator("#main .badge").first).to_have_attribute("data-status", "complete", timeout=30_000)
    expect(page.locator("#main .badge").first).to_have_text("Complete")
    expect(page.locator("#sent-details")).to_contain_text("Received by the server")
    expect(page.locator("#correct")).to_have_text("Correct and send again")
    expect(page.locator("#live")).to_have_text("Checklist status: Complete")
    assert page.evaluate("window.notReloaded") is True
    # Where it was read: not taken back to the top as a new screen is (the header's shorter
    # "Online" moves the page up a little), the focus where it was, in sight.
    assert 0 < page.evaluate("scrollY") <= where
    assert page.evaluate("document.activeElement.id") == "back"
    expect(page.locator("#back")).to_be_in_viewport()


def test_a_checklist_open_to_read_follows_sync_now_in_another_tab(pages, field):
    page = open_phone(pages)
    sign_in_app(page, pages.base_url, "alice")
    queued_and_open(page, pages, field)
    # This tab never sends anything itself (as if its own network never came back).
    page.evaluate("Object.defineProperty(navigator, 'onLine', {get: () => false, configurable: true})")
    page.context.set_offline(False)

    other = page.context.new_page()
    other.on("pageerror", lambda error: pages.problems.append(f"uncaught in the other tab: {error}"))
    other.goto(pages.base_url + "/field/#/")
    other.locator("#sync").click()
    wait_statuses(other, "complete", 1)

    expect(page.locator("#main .badge").first).to_have_attribute("data-status", "complete")
    expect(page.locator("#sent-at")).to_be_visible()
    assert page.evaluate("window.notReloaded") is True
    # The visit's own list, opened next, agrees.
    page.locator("#back").click()
    expect(page.locator("[data-finished] .badge")).to_have_attribute("data-status", "complete")
