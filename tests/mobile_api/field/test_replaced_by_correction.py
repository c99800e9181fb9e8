"""A sent checklist corrected from the phone says it was replaced: the list of sent and unsent
work showed the checklist and its correction alike, "Venue inspection … · Golden Lotus Karaoke
Complete" twice, the correction alone saying what it was, so the older read as the one standing
(and was opened to be corrected again). Now the older says "Replaced by your correction sent at
21:40", in the list and on its own screen, in the three languages."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from backend.inspections.models import Submission
from tests.browser_support import axe_check
from tests.mobile_api.field.phone import PHONE_390, fill_checklist, open_phone, sign_in_app, wait_statuses

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

VENUE = "venue_prostitution_trafficking"


def test_the_corrected_checklist_says_it_was_replaced(pages, field):
    page = open_phone(pages, viewport=PHONE_390)
    sign_in_app(page, pages.base_url, "alice")
    fill_checklist(
        page, str(field.revealed.uuid), VENUE, {"venue_type": "karaoke", "persons_found": 0, "persons": 0}
    )
    page.goto(pages.base_url + "/field/#/")
    wait_statuses(page, "complete", 1)
    first_id = page.locator("#outbox-list li.work").get_attribute("data-id")
    page.locator("#outbox-list a").click()
    page.locator("#correct").click()
    page.locator("#main .badge[data-status='draft']").wait_for()
    page.locator(".q[data-path='remarks'] textarea").fill("corrected")
    page.locator("#finish").click()
    page.locator("#check-in").wait_for()
    page.goto(pages.base_url + "/field/#/")
    wait_statuses(page, "complete", 2)
    assert Submission.objects.count() == 2

    older = page.locator(f"#outbox-list li.work[data-id='{first_id}']")
    newer = page.locator(f"#outbox-list li.work:not([data-id='{first_id}'])")
    expect(older.locator(".correction-of")).to_have_text(
        re.compile(r"^Replaced by your correction sent at \d\d:\d\d$")
    )
    expect(newer.locator(".correction-of")).to_have_text(re.compile(r"^Correction of the checklist sent at "))
    axe_check(page)
    page.locator("#language").select_option("pt")
    expect(older.locator(".correction-of")).to_have_text(
        re.compile(r"^Substituída pela correcção que enviou às \d\d:\d\d$")
    )
    page.locator("#language").select_option("zh-hant")
    expect(older.locator(".correction-of")).to_have_text(re.compile(r"^已由你於\d\d:\d\d傳送的更正取代$"))
    page.locator("#language").select_option("en")

    # Opened, it says so too.
    older.locator("a").click()
    expect(page.locator("#correction-of")).to_have_text(re.compile(r"^Replaced by your correction sent at "))
