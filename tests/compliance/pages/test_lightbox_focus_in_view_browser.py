"""A photo opened with the keyboard on a zoomed screen (1280 px at 400 %: 320 × 256 CSS px) leaves the
focused "Close" button in sight. The dialog put the focus on "Close" and the photo arrived after,
pushing the button below the dialog's fold: the reviewer saw the photo and no focus anywhere
(WCAG 2.4.7, 2.4.11). The button the focus is on is scrolled back into sight once the photo is in."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser_support import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct-horse-battery"
ZOOMED = {"width": 320, "height": 256}

# The focused element's box, the viewport's and the dialog's (what of the dialog is on screen).
IN_SIGHT = """() => {
  const el = document.activeElement, r = el.getBoundingClientRect();
  const d = document.getElementById('lightbox').getBoundingClientRect();
  return r.top >= Math.max(0, d.top) && r.bottom <= Math.min(innerHeight, d.bottom);
}"""


def test_close_is_in_sight_once_the_photo_is_in(pages, visit, carol):
    page = pages.new_page(viewport=ZOOMED)
    sign_in(page, pages.base_url, "carol", PASSWORD)
    page.goto(f"{pages.base_url}/review/{visit.submission.uuid}/")
    thumb = page.locator(".thumb").first
    for _ in range(80):
        page.keyboard.press("Tab")
        if thumb.evaluate("element => element === document.activeElement"):
            break
    page.keyboard.press("Enter")
    close = page.locator("#lightbox-close")
    expect(close).to_be_focused()
    # The photo loads (polled from here: the page's CSP forbids eval'd predicates).
    for _attempt in range(50):
        if page.evaluate("document.getElementById('lightbox-img').naturalWidth") > 0:
            break
        page.wait_for_timeout(100)
    assert page.evaluate("document.getElementById('lightbox-img').naturalWidth") > 0
    page.wait_for_timeout(100)
    expect(close).to_be_focused()
    assert page.evaluate(IN_SIGHT), close.bounding_box()
