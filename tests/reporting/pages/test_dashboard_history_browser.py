"""Back on the dashboard goes back to the previous filters at the first press.

A filter changed applies itself and pushes its address; Apply pressed afterwards asked the same
question again and pushed the same address a second time, so the first Back only went from that
duplicate to itself. An answer whose address is the one shown now replaces it instead of pushing
it. And going back puts the page htmx kept back without anything the Content Security Policy
refuses (a console error fails the test; violations are also collected as they happen).

A page htmx no longer holds in its history cache is asked of the server again: the dashboard
answered that request (an htmx request) with its results alone, which htmx put in place of the
whole page, the console's navigation and the filters gone. It now gets the whole page."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser_support import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct-horse-battery"


def _drawn(page, path_and_query: str) -> None:
    page.wait_for_url(lambda url: url.endswith(path_and_query))
    expect(page.locator("#dashboard-results")).not_to_have_attribute("aria-busy", "true")
    expect(page.locator("#dashboard-filters")).not_to_have_class("htmx-request")
    page.wait_for_function(
        "() => { const c = Chart.getChart('chart-inspections');"
        " return !!c && c.canvas.isConnected && c.canvas.hasAttribute('width') }"
    )
    page.wait_for_function(
        "() => document.querySelectorAll('#parish-map path.leaflet-interactive').length > 0"
    )


def _applied(page, path_and_query: str) -> None:
    """Apply pressed with the filters already applied: the same figures come back."""
    with page.expect_response(lambda r: path_and_query in r.url and r.request.headers.get("hx-request")):
        page.get_by_role("button", name="Apply").click()
    _drawn(page, path_and_query)


def test_back_once_returns_to_the_previous_filters(pages, city):
    base = pages.base_url
    page = pages.new_page()
    page.add_init_script(
        "window.violations = []; document.addEventListener('securitypolicyviolation',"
        " e => window.violations.push(e.violatedDirective + ' ' + e.sample))"
    )
    sign_in(page, base, "andy", PASSWORD, next_path="/statistics/")
    page.goto(f"{base}/statistics/?from=2021&to=2023")
    _drawn(page, "/statistics/?from=2021&to=2023")
    start = page.evaluate("history.length")

    page.locator("#f-agency").select_option("PSP")
    _drawn(page, "/statistics/?from=2021&to=2023&agency=PSP")
    _applied(page, "/statistics/?from=2021&to=2023&agency=PSP")
    page.locator("#f-category").select_option("illegal_employment")
    _drawn(page, "/statistics/?from=2021&to=2023&agency=PSP&category=illegal_employment")
    _applied(page, "/statistics/?from=2021&to=2023&agency=PSP&category=illegal_employment")
    # Two filters chosen: two entries, however often Apply was pressed.
    assert page.evaluate("history.length") == start + 2

    page.go_back()
    _drawn(page, "/statistics/?from=2021&to=2023&agency=PSP")
    expect(page.locator("#f-category")).to_have_value("")
    expect(page.locator("#f-agency")).to_have_value("PSP")
    page.go_back()
    _drawn(page, "/statistics/?from=2021&to=2023")
    expect(page.locator("#f-agency")).to_have_value("")
    page.go_forward()
    _drawn(page, "/statistics/?from=2021&to=2023&agency=PSP")
    expect(page.locator("#f-agency")).to_have_value("PSP")
    assert page.evaluate("window.violations") == []

    # Back to a page the history cache lost: asked of the server, the whole page comes back.
    page.evaluate("sessionStorage.removeItem('htmx-history-cache')")
    page.go_back()
    _drawn(page, "/statistics/?from=2021&to=2023")
    expect(page.locator("#dashboard-filters")).to_have_count(1)
    expect(page.locator("nav").first).to_be_visible()
    expect(page.locator("#f-agency")).to_have_value("")
    expect(page.locator("#dashboard-results .period")).to_contain_text("2021 to 2023")
    assert page.evaluate("window.violations") == []
    pages.shot(page, "dashboard-history")
