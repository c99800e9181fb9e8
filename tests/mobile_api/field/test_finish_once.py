"""A checklist is finished once. Online, "Finish and send" waited for the sync, photos and
signature included, and said nothing meanwhile: on a slow network an officer tapped it again, the
checklist was queued anew with another finishing time, and the server refused that as other
content under an id it already held ("send a correction instead"): a checklist sent whole was
marked refused, needing a correction. Now the button says it is sending and a second tap sends
nothing more; a checklist already finished is never queued again."""

from __future__ import annotations

import re
import time

import pytest
from playwright.sync_api import expect

from backend.inspections.models import Attachment, Submission
from tests.mobile_api.field.phone import answer_everything, open_phone, sign_in_app, statuses

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

UPLOADS = re.compile(r"/api/mobile/v1/submissions/[^/]+/attachments/")


@pytest.mark.parametrize(("locale", "busy"), [("en", "Sending…"), ("zh-Hant", "傳送中…")])
def test_a_second_tap_while_the_files_upload_sends_nothing_twice(pages, field, locale, busy):
    page = open_phone(pages, locale=locale)
    sign_in_app(page, pages.base_url, "alice")
    page.goto(f"{pages.base_url}/field/#/a/{field.revealed.uuid}")
    page.locator("button[data-template='ilo_forced_labour_screening']").click()
    answer_everything(page, {"screened_count": 1, "persons": 1})

    # A slow network: the checklist is received, its signature is still on its way.
    held, holding = [], [True]
    page.route(UPLOADS, lambda route: held.append(route) if holding[0] else route.continue_())
    page.locator("#finish").click()
    deadline = time.monotonic() + 15
    while not held and time.monotonic() < deadline:
        page.wait_for_timeout(50)
    assert held, "the signature's upload did not start"
    assert Submission.objects.count() == 1
    expect(page.locator("#finish")).to_have_text(busy)
    expect(page.locator("#finish")).to_have_attribute("aria-disabled", "true")

    # Nothing seems to happen: tapped again (a finger taps a button however it looks).
    page.locator("#finish").click(force=True)
    page.wait_for_timeout(300)
    holding[0] = False
    for route in held:
        route.continue_()

    page.locator("#check-in").wait_for()  # back at the visit once it went
    page.goto(f"{pages.base_url}/field/#/")
    page.wait_for_function(
        """() => {
            const els = [...document.querySelectorAll('#outbox-list .badge')];
            return els.length && els.every(e => ['complete', 'refused'].includes(e.dataset.status));
        }""",
        timeout=30_000,
    )
    page.wait_for_timeout(500)  # a second sending, if one were queued, would be over by now
    assert statuses(page) == ["complete"]
    assert Submission.objects.count() == 1
    assert all(a.received_at for a in Attachment.objects.all())
