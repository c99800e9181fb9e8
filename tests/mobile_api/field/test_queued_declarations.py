"""The home screen's "Queued: N" counts the declarations of conflicts of interest waiting on the
phone, and says they are among it. A declaration made offline waited to be sent while the count
under the outbox said nothing of it (with nothing else waiting: no count at all), so an officer
about to hand the phone back, or to stay offline for long, was told all was sent when it was not.
On a 390 px phone, axe clean, in English, Portuguese and Chinese."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from backend.registry.models import ConflictOfInterest
from tests import factories
from tests.browser_support import SCREENSHOTS, axe_check
from tests.mobile_api.field.phone import PHONE_390, go_online, open_phone, sign_in_app, wait_offline_ready

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SAID = (
    ("en", "Queued: 2, including 1 declaration of a conflict of interest"),
    ("pt", "Em fila: 2, incluindo 1 declaração de conflito de interesses"),
    ("zh-hant", "待傳送：2，包括 1 項利益衝突申報"),
)


def test_a_declaration_waiting_on_the_phone_is_counted_and_said(pages, field, alice):
    spa = factories.site(name_en="Pearl River Spa", name_zh_hant="珠江水療", name_pt="Spa Rio das Pérolas")
    page = open_phone(pages, viewport=PHONE_390)
    sign_in_app(page, pages.base_url, "alice")
    wait_offline_ready(page)
    page.locator("#open-conflicts").click()
    page.locator("#conflict-q").fill("pearl")
    page.locator("#conflict-search").click()
    page.get_by_label("Pearl River Spa").check()
    page.locator("#conflict-reason").fill("My brother owns it.")

    # Offline: the declaration waits on the phone, and so does a check-in.
    page.context.set_offline(True)
    page.locator("#conflict-declare").click()
    expect(page.locator("#conflicts-list li.conflict.queued")).to_have_count(1)
    page.goto(f"{pages.base_url}/field/#/")
    expect(page.locator("#queued")).to_have_text(
        "Queued: 1, including 1 declaration of a conflict of interest"
    )
    page.goto(f"{pages.base_url}/field/#/a/{field.revealed.uuid}")
    page.locator("#check-in").click()
    expect(page.locator("#outbox-list li.checkin")).to_have_count(1)
    page.goto(f"{pages.base_url}/field/#/")

    for language, said in SAID:
        page.locator("#language").select_option(language)
        expect(page.locator("#queued")).to_have_text(said)
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        axe_check(page)
        page.screenshot(
            path=str(SCREENSHOTS / f"field-queued-declarations-{language}-390.png"), full_page=True
        )
    page.locator("#language").select_option("en")

    # Online: both sent, nothing is counted.
    go_online(page)
    expect(page.locator("#queued")).to_have_count(0, timeout=30_000)
    assert ConflictOfInterest.objects.filter(site=spa, officer=alice).count() == 1
