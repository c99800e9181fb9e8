"""Switching between drawing and typing a signature keeps what was drawn. "Type the name instead"
and back to the pad blanked it: a signature drawn by someone since gone was lost, as "Clear" once
lost it before its undo. The strokes are on the pad again when the officer comes back to it, and
kept from there they are the signature kept, drawn."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser_support import axe_check
from tests.mobile_api.field.phone import PHONE_390, open_phone, sign_in_app
from tests.mobile_api.field.test_signature_undo import INKED, QID, SIGNATURE, VENUE, draw

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_drawn_strokes_survive_typing_the_name_and_coming_back(pages, field):
    page = open_phone(pages, viewport=PHONE_390)
    sign_in_app(page, pages.base_url, "alice")
    page.goto(f"{pages.base_url}/field/#/a/{field.revealed.uuid}")
    page.locator(f"button[data-template='{VENUE}']").click()
    mode = page.locator(f"#{QID}-mode")
    name = page.locator(f"#{QID}-name")

    draw(page)
    inked = page.evaluate(INKED)
    assert inked > 0
    mode.tap()  # type the name instead
    expect(name).to_be_visible()
    expect(name).to_be_focused()
    name.fill("Maria Lei")
    axe_check(page)
    mode.tap()  # back to the pad: the strokes are there again
    expect(name).to_be_hidden()
    assert page.evaluate(INKED) == inked
    # And back to typing: the name typed is there too.
    mode.tap()
    expect(name).to_have_value("Maria Lei")
    mode.tap()
    assert page.evaluate(INKED) == inked

    # Kept from the pad, it is the drawn signature.
    page.locator(f"#{QID}").tap()
    expect(page.locator(f"#{QID}-kept")).to_be_focused()
    expect(page.locator(f"#{QID}-kept")).to_have_text("Signature kept, drawn on the pad")
    expect(page.locator(SIGNATURE)).to_have_attribute("data-answered", "1")
