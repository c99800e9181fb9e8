"""A state chip (badge) reads on one line in every language. In narrow table columns the
Chinese queue's "等待中" broke into "等待" / "中" inside its rounded border, and on a phone the
Portuguese "base legal não verificada" became a three-line oval."""

from __future__ import annotations

import pytest

from tests.browser_support import PHONE, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct-horse-battery"

# Each visible badge's text and the number of lines it takes.
BADGE_LINES = """() => [...document.querySelectorAll('main .badge')]
  .filter((badge) => badge.offsetParent !== null)
  .map((badge) => {
    const range = document.createRange();
    range.selectNodeContents(badge);
    const tops = new Set([...range.getClientRects()].map((r) => Math.round(r.top)));
    return [badge.textContent.trim(), tops.size];
  })"""


@pytest.mark.parametrize(
    ("language", "viewport", "path"),
    [
        ("zh-hant", None, "queue"),
        ("pt", PHONE, "submission"),
        ("zh-hant", PHONE, "submission"),
    ],
)
def test_badges_stay_on_one_line(pages, visit, carol, language, viewport, path):
    page = pages.new_page(**({"viewport": viewport} if viewport else {}))
    sign_in(page, pages.base_url, "carol", PASSWORD)
    page.locator(f'button[name="language"][value="{language}"]').click()
    page.wait_for_load_state()
    url = "/review/" if path == "queue" else f"/review/{visit.submission.uuid}/"
    page.goto(pages.base_url + url)
    badges = page.evaluate(BADGE_LINES)
    assert badges, "no badge on the page"
    assert [text for text, lines in badges if lines != 1] == [], badges
    pages.shot(page, f"badges-{language}-{path}")
