"""Saving the targets says so where the planner is. The page comes back at its targets
(".../#targets"), and "Targets saved: 2." was drawn at the page's top, 500 px above what the
planner saw: no word that the save had worked (a helper's walk at 1280 px, and on a phone)."""

from __future__ import annotations

import pytest

from tests.browser_support import DESKTOP, PHONE, axe_check, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct-horse-battery"
SAID = {"en": "Targets saved: 3.", "pt": "Alvos guardados: 3.", "zh-hant": "已儲存目標：3 個。"}


def _in_view(page, selector: str) -> bool:
    return page.evaluate(
        """(selector) => { const r = document.querySelector(selector).getBoundingClientRect();
        return r.top >= 0 && r.bottom <= innerHeight; }""",
        selector,
    )


@pytest.mark.parametrize(("language", "viewport"), [("en", DESKTOP), ("zh-hant", PHONE), ("pt", PHONE)])
def test_the_targets_saved_are_said_under_the_targets_heading(pages, operation, city, language, viewport):
    page = pages.new_page(viewport=viewport)
    sign_in(page, pages.base_url, "paula", PASSWORD)
    page.locator(f'button[name="language"][value="{language}"]').click()
    page.wait_for_load_state()
    page.goto(f"{pages.base_url}/planning/operations/{operation.uuid}/")
    page.locator(f"#site-{city['venues'][2].uuid}").check()
    with page.expect_navigation():
        page.locator("button[form=targets-form]").click()
    assert page.url.endswith("#targets")
    said = page.locator("#targets .messages .message.success")
    said.wait_for()
    assert said.inner_text() == SAID[language]
    assert _in_view(page, "#targets .messages")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    axe_check(page, exclude=[".leaflet-marker-pane"])
