"""A photo copied from the server into a correction (a checklist read back from the server and
corrected on this phone) is named as the officer's own photos are: it showed its picture alone
where a photo taken on the phone shows its file's name beside it. It shows the attachment's name
on the server. On a 390 px phone, axe clean."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser_support import axe_check
from tests.mobile_api.field.phone import PHONE_390, open_phone, sign_in_app
from tests.mobile_api.field.test_correct_read_back import open_read_back, sent_from_other_phone
from tests.mobile_api.field.test_read_back_photos import LOADED

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_photo_copied_from_the_server_into_a_correction_shows_its_name(pages, field, alice, phone):
    payload, photo, _signed = sent_from_other_phone(field, phone(alice, "other phone"))
    page = open_phone(pages, viewport=PHONE_390)
    sign_in_app(page, pages.base_url, "alice")
    open_read_back(page, pages.base_url, field, payload["id"])
    page.locator("#correct").click()
    page.locator("#main .badge[data-status='draft']").wait_for()
    page.wait_for_function(f"() => ({LOADED})(document.querySelector(\".q[data-key='site_photos'] img\"))")

    photos = page.locator(".q[data-key='site_photos'] .thumbs li")
    expect(photos).to_have_count(1)
    expect(photos.locator(".file-name")).to_have_text(photo)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    axe_check(page)
    pages.shot(page, "correction-photo-name-390")
