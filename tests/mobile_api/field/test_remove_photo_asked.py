"""A photo is removed on a second tap. "Remove photo 1", a red button under each photo of a
checklist, deleted the photo on one tap: a thumb scrolling the form past it lost evidence that
cannot be taken again once the team has left the venue, and the focus, on the button now gone,
fell to the page's top. Now the first tap asks ("Tap again to remove photo 1", said aloud), the
second removes it, says so and puts the focus on the photo button. In Portuguese and Chinese, at
390 px; axe clean at 390 and 1280 px."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser_support import axe_check
from tests.mobile_api.field.phone import PHONE_390, jpeg, open_phone, sign_in_app

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize(
    ("language", "remove", "ask", "said"),
    [
        (
            "pt",
            "Retirar a fotografia 1",
            "Toque de novo para retirar a fotografia 1",
            "Fotografia 1 retirada.",
        ),
        ("zh-hant", "移除照片 1", "再按一次即移除照片 1", "已移除照片 1。"),
    ],
)
def test_a_photo_is_removed_on_a_second_tap(pages, field, language, remove, ask, said):
    page = open_phone(pages, viewport=PHONE_390)
    sign_in_app(page, pages.base_url, "alice")
    page.locator("#language").select_option(language)
    page.goto(pages.base_url + f"/field/#/a/{field.revealed.uuid}")
    page.locator("button[data-template='venue_prostitution_trafficking']").click()
    box = page.locator(".q[data-key='site_photos']")
    box.locator("input[type=file]").set_input_files(
        [
            {"name": "door.jpg", "mimeType": "image/jpeg", "buffer": jpeg((200, 30, 30), (800, 600))},
            {"name": "room.jpg", "mimeType": "image/jpeg", "buffer": jpeg((30, 30, 200), (800, 600))},
        ]
    )
    photos = box.locator("ul.thumbs > li")
    expect(photos).to_have_count(2)
    expect(photos.nth(0)).to_contain_text("door.jpg")

    first = photos.nth(0).locator("button.danger")
    expect(first).to_have_text(remove)
    first.tap()
    expect(photos).to_have_count(2)  # kept: asked first
    expect(first).to_have_text(ask)
    expect(page.locator("#live")).to_have_text(ask)
    axe_check(page)
    first.tap()
    expect(photos).to_have_count(1)
    expect(photos.nth(0)).to_contain_text("room.jpg")
    # Said, and the focus on the photo button's control, not lost to the page's top.
    expect(page.locator("#live")).to_have_text(said)
    assert page.evaluate("document.activeElement.type") == "file"
    # Kept so on the phone: opened again, one photo.
    page.reload()
    expect(page.locator(".q[data-key='site_photos'] ul.thumbs > li")).to_have_count(1)
    page.set_viewport_size({"width": 1280, "height": 900})
    axe_check(page)
