"""The console's shell in a real browser: sign-in with a second factor, the home page of each
role, the language switcher, phone width, keyboard, axe, and no outside request."""

from __future__ import annotations

import pytest

from tests import factories
from tests.browser_support import PHONE, axe_check, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct-horse-battery"


def test_planner_enrols_a_second_factor_and_sees_their_home(pages):
    factories.officer("PSP", username="paula", roles=("planner",), full_name="Paula Planner")
    page = pages.new_page()
    page.goto(pages.base_url + "/")
    assert "/sign-in/" in page.url  # signed out: sent to sign in
    axe_check(page)
    sign_in(page, pages.base_url, "paula", PASSWORD)
    assert page.get_by_role("heading", name="Welcome, Paula Planner").is_visible()
    assert page.get_by_role("heading", name="Planning").is_visible()
    axe_check(page)
    pages.shot(page, "home-en")

    page.get_by_role("button", name="繁體中文").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "zh-Hant"
    assert page.get_by_role("heading", name="規劃").is_visible()
    axe_check(page)
    pages.shot(page, "home-zh")
    page.get_by_role("button", name="登出").click()
    page.wait_for_load_state()
    assert "/sign-in/" in page.url


def test_every_back_office_role_signs_in_at_phone_width(pages):
    roles = ["team_leader", "reviewer", "victim_protection", "analyst", "administrator"]
    for index, role in enumerate(roles):
        factories.officer("DSAL", username=f"user{index}", roles=(role,))
    page = pages.new_page(viewport=PHONE, locale="pt")
    for index, _role in enumerate(roles):
        sign_in(page, pages.base_url, f"user{index}", PASSWORD)
        assert page.url.rstrip("/") == pages.base_url
        # Nothing wider than the phone's screen.
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
        axe_check(page)
        pages.shot(page, f"home-{index}")
        page.context.clear_cookies()


def test_sign_in_works_with_the_keyboard_alone(pages):
    factories.officer("DSAL", username="andy", roles=("analyst",), full_name="Andy Analyst")
    page = pages.new_page()
    page.goto(pages.base_url + "/sign-in/")
    page.keyboard.type("andy")  # the username field has focus on arrival
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.get_by_role("heading", name="Welcome, Andy Analyst").is_visible()
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent")
    assert "Skip to content" in focused


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_the_authenticator_qr_code_is_drawn_whole_and_square(pages, viewport):
    """The set-up page's QR code is scaled into its box, not cropped by it: every module lies
    inside the drawn square (segno's SVG had a fixed size and no viewBox, so the page's 12rem box
    cut off two of its three finder patterns and no phone could scan it)."""
    factories.officer("PSP", username="quinn", roles=("planner",), full_name="Quinn QR")
    page = pages.new_page(**({"viewport": PHONE} if viewport == "phone" else {}))
    page.goto(pages.base_url + "/sign-in/")
    page.locator("#id_username").fill("quinn")
    page.locator("#id_password").fill(PASSWORD)
    with page.expect_navigation():
        page.locator("main form button.primary").click()
    assert "/sign-in/code/" in page.url
    box, drawn = page.locator(".qr svg").evaluate(
        """svg => {
            const r = svg.getBoundingClientRect();
            const d = svg.querySelector("path").getBoundingClientRect();
            return [[r.left, r.top, r.right, r.bottom], [d.left, d.top, d.right, d.bottom]];
        }"""
    )
    left, top, right, bottom = box
    assert right - left >= 150 and abs((right - left) - (bottom - top)) < 1, box  # a square, big enough
    d_left, d_top, d_right, d_bottom = drawn
    inside = left <= d_left and top <= d_top and d_right <= right + 0.5 and d_bottom <= bottom + 0.5
    assert inside, (box, drawn)
    assert d_right - d_left > 0.7 * (right - left), (box, drawn)  # fills the square, quiet zone aside
    pages.shot(page, f"qr-{viewport}")
