"""A sync redraws the lists where the officer is: the network coming back, or "Sync now" tapped at
the foot of the home screen, leaves the screen scrolled where it was and the focus on the control
the officer was using; a sync tapped offline says why nothing moved."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.mobile_api.field.phone import open_phone, sign_in_app, wait_offline_ready

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
