"""The home screen's "Queued: N" counts what the list above it shows waiting. Offline, a
checklist finished and a check-in recorded were both listed "Queued", and the count under them
said "Queued: 1" (a check-in alone: no count at all): it counted checklists only."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser_support import axe_check
from tests.mobile_api.field.phone import (
    fill_checklist,
    go_online,
    open_phone,
    sign_in_app,
    wait_offline_ready,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize(
    ("locale", "one", "two"), [("en", "Queued: 1", "Queued: 2"), ("zh-Hant", "待傳送：1", "待傳送：2")]
)
def test_the_count_says_what_the_list_shows_waiting(pages, field, locale, one, two):
    page = open_phone(pages, locale=locale)
    sign_in_app(page, pages.base_url, "alice")
    wait_offline_ready(page)
    page.context.set_offline(True)
    page.goto(f"{pages.base_url}/field/#/a/{field.revealed.uuid}")
    page.locator("#check-in").click()
    expect(page.locator("#outbox-list li.checkin")).to_have_count(1)

    page.goto(f"{pages.base_url}/field/#/")
    expect(page.locator("#outbox-list .badge[data-status='queued']")).to_have_count(1)
    expect(page.get_by_text(one, exact=True)).to_be_visible()

    fill_checklist(page, str(field.revealed.uuid), "venue_prostitution_trafficking")
    page.goto(f"{pages.base_url}/field/#/")
    expect(page.locator("#outbox-list .badge[data-status='queued']")).to_have_count(2)
    expect(page.get_by_text(two, exact=True)).to_be_visible()
    axe_check(page)

    go_online(page)  # both sent: nothing is counted
    expect(page.locator("#outbox-list .badge[data-status='queued']")).to_have_count(0, timeout=30_000)
    expect(page.get_by_text(one, exact=True)).to_have_count(0)
