"""The accessibility check itself: ``axe_check`` fails a page on any failure of a WCAG 2.2 A or AA
success criterion, whatever impact axe gives it, not only on the serious and critical ones (a
"minor" or "moderate" failure is still a failure of the standard), and passes a clean page."""

from __future__ import annotations

import pytest

from tests.browser_support import axe_check

pytestmark = pytest.mark.browser

PIXEL = "data:image/gif;base64,R0lGODlhAQABAAAAACw="
PAGE = (
    '<!doctype html><html lang="en"{attrs}><head><title>Check</title>'
    '<meta name="viewport" content="width=device-width"></head>'
    "<body><main><h1>Check</h1>{body}</main></body></html>"
)


@pytest.fixture
def page(chromium_browser):
    context = chromium_browser.new_context()
    yield context.new_page()
    context.close()


BODY = f'<p><a href="/x"><img src="{PIXEL}" alt="Map of Macao"></a></p>'


def test_a_clean_page_passes(page):
    page.set_content(PAGE.format(attrs="", body=BODY))
    axe_check(page)


def test_a_moderate_wcag_failure_fails_the_page(page):
    # The page's language said two ways (WCAG 3.1.1, level A): axe rates it "moderate".
    page.set_content(PAGE.format(attrs=' xml:lang="pt"', body=BODY))
    with pytest.raises(AssertionError, match=r"html-xml-lang-mismatch \(moderate\)"):
        axe_check(page)
