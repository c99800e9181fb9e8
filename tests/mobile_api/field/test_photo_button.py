"""A photo question's button speaks the app's language: the browser's own file control said
"Choose Files / No file chosen" in the browser's language whatever the officer had chosen. Now
the control is visually hidden (still focusable and operable from the keyboard) and its label is
a 44 px button in the app's language; the chosen file's name is shown beside its thumbnail."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser_support import axe_check
from tests.mobile_api.field.phone import jpeg, open_phone, sign_in_app, small_touch_targets

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

VENUE = "venue_prostitution_trafficking"


def test_the_photo_button_is_in_the_apps_language_and_works_from_the_keyboard(pages, field):
    page = open_phone(pages)  # an English browser, the app switched to Portuguese
    sign_in_app(page, pages.base_url, "alice")
    page.locator("#language").select_option("pt")
    expect(page.locator("#screen-title")).to_have_text("Tarefas")
    page.goto(pages.base_url + f"/field/#/a/{field.revealed.uuid}")
    page.locator(f"button[data-template='{VENUE}']").click()
    box = page.locator(".q[data-key='site_photos']")
    box.scroll_into_view_if_needed()

    picker = box.locator("input[type=file]")
    button = box.locator("label.file-button")
    expect(button).to_have_text("Juntar fotografias")
    # The browser's own control is out of sight; the button is a full-size target.
    hidden = picker.bounding_box()
    assert hidden is None or (hidden["width"] <= 1 and hidden["height"] <= 1), hidden
    area = button.bounding_box()
    assert area["width"] >= 44 and area["height"] >= 44, area
    assert small_touch_targets(page) == []
    # The input is named by its button, for a screen reader.
    expect(page.get_by_label("Juntar fotografias")).to_have_attribute("type", "file")

    # From the keyboard: the focus on the hidden input shows on the button, a key opens the chooser.
    picker.focus()
    outline = button.evaluate("b => getComputedStyle(b).outlineStyle")
    assert outline == "solid", outline
    with page.expect_file_chooser() as chooser:
        # Focused again at the key: on a loaded host a draft's save could redraw the checklist
        # between the outline's check and the key, and the key then reached no input (CI's dry run).
        picker.focus()
        expect(picker).to_be_focused()
        page.keyboard.press("Space")
    chooser.value.set_files([{"name": "porta-traseira.jpg", "mimeType": "image/jpeg", "buffer": jpeg()}])
    expect(box.locator(".thumbs img")).to_have_count(1)
    expect(box.locator(".file-name")).to_have_text("porta-traseira.jpg")

    # A tap on the button opens it too.
    with page.expect_file_chooser() as chooser:
        box.locator("label.file-button").click()
    chooser.value.set_files([{"name": "balcao.jpg", "mimeType": "image/jpeg", "buffer": jpeg((20, 160, 60))}])
    expect(box.locator(".file-name")).to_have_text(["porta-traseira.jpg", "balcao.jpg"])
    axe_check(page)
    pages.shot(page, "photo-button")


def test_a_file_the_phone_cannot_read_as_a_picture_is_said_and_the_others_kept(pages, field):
    # Chosen with a good photo, a file that is no picture (a PDF named .jpg, a format the phone's
    # browser cannot decode) had made the whole choice vanish without a word: the decoding threw
    # and nothing was kept. Now the good one is kept and the other is named as not kept.
    page = open_phone(pages)
    sign_in_app(page, pages.base_url, "alice")
    page.goto(pages.base_url + f"/field/#/a/{field.revealed.uuid}")
    page.locator(f"button[data-template='{VENUE}']").click()
    box = page.locator(".q[data-key='site_photos']")
    box.scroll_into_view_if_needed()
    with page.expect_file_chooser() as chooser:
        box.locator("label.file-button").click()
    chooser.value.set_files(
        [
            {"name": "notes.jpg", "mimeType": "image/jpeg", "buffer": b"%PDF-1.4 not a picture"},
            {"name": "entrance.jpg", "mimeType": "image/jpeg", "buffer": jpeg()},
        ]
    )
    expect(box.locator(".file-name")).to_have_text(["entrance.jpg"])
    problem = box.locator("[id$='-problem']")
    expect(problem).to_contain_text("Not kept: notes.jpg.")
    expect(problem).to_have_attribute("role", "status")
    axe_check(page)

    # Only the bad one chosen: said, nothing added, the good one still there.
    with page.expect_file_chooser() as chooser:
        box.locator("label.file-button").click()
    chooser.value.set_files([{"name": "scan.jpg", "mimeType": "image/jpeg", "buffer": b"garbage"}])
    expect(problem).to_contain_text("Not kept: scan.jpg.")
    expect(box.locator(".file-name")).to_have_text(["entrance.jpg"])
