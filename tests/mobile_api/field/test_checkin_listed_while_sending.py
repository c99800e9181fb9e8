"""A check-in made online on a slow network is listed as waiting while the sync sends it. The
visit's line said "Position recorded (accuracy 15 m); it is sent with the next sync." while the
list of work under it said "Nothing waiting", for as long as the network took to send it (seconds
on a field's 3G): the officer could not tell whether the check-in was kept. Now the list shows it
sending at once, the visit's line says "sending…" (not "sent with the next sync") while its
request is out, and once the server has it the line says the distance. Chinese, at 390 px; axe
clean at 390 and 1280 px."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from backend.inspections.models import CheckIn
from tests.browser_support import axe_check
from tests.mobile_api.field.phone import PHONE_390, open_phone, sign_in_app

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_check_in_being_sent_is_listed_as_waiting(pages, field):
    page = open_phone(pages, viewport=PHONE_390)
    sign_in_app(page, pages.base_url, "alice")
    page.locator("#language").select_option("zh-hant")
    page.goto(pages.base_url + f"/field/#/a/{field.revealed.uuid}")
    expect(page.locator("#outbox-list")).to_contain_text("沒有待傳送的工作。")

    # The network holds the check-in's request, as a slow one does, until the test lets it go.
    held = []
    page.route("**/check-ins/", lambda route: held.append(route))
    page.locator("#check-in").click()
    # Its request out, the line says it is being sent (it said "sent with the next sync" while
    # that sync was sending it), and the list lists it as sending.
    expect(page.locator("#checkin-status")).to_have_text("已記錄位置（準確度 12 米）；傳送中…")
    waiting = page.locator("#outbox-list li.checkin")
    expect(waiting).to_have_count(1)
    expect(waiting.locator("[data-status]")).to_have_attribute("data-status", "sending")
    expect(waiting.locator("[data-status]")).to_have_text("傳送中")
    expect(page.locator("#outbox-list")).not_to_contain_text("沒有待傳送的工作。")
    assert len(held) == 1 and CheckIn.objects.count() == 0
    axe_check(page)

    held[0].continue_()
    expect(page.locator("#checkin-status")).not_to_contain_text("傳送中")
    expect(page.locator("#checkin-status")).to_contain_text("距離場所", timeout=30_000)
    expect(page.locator("#outbox-list li.checkin")).to_have_count(0)
    assert CheckIn.objects.count() == 1
    page.set_viewport_size({"width": 1280, "height": 900})
    axe_check(page)
