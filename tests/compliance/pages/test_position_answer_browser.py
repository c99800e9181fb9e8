"""A position the officer recorded reads in the reviewer's language: "22.2, 113.5 (within 8 m)",
"（誤差 8 米以內）", "(margem de erro de 8 m)", never the stored keys ("lat 22.2, lon 113.5, accuracy
8"), which the Chinese and Portuguese pages showed in English."""

from __future__ import annotations

import re

import pytest

from tests.browser_support import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct-horse-battery"
WITHIN = {"en": "(within {} m)", "zh-hant": "（誤差 {} 米以內）", "pt": "(margem de erro de {} m)"}


@pytest.mark.parametrize("language", ["en", "zh-hant", "pt"])
def test_the_recorded_position_reads_in_the_readers_language(pages, visit, carol, language):
    position = visit.submission.answers["site_position"]
    page = pages.new_page()
    sign_in(page, pages.base_url, "carol", PASSWORD)
    if language != "en":
        page.locator(f'button[name="language"][value="{language}"]').click()
        page.wait_for_load_state()
    page.goto(f"{pages.base_url}/review/{visit.submission.uuid}/")
    text = page.locator("main").inner_text()
    assert not re.search(r"\blat \d|\blon \d|\baccuracy \d", text), text
    shown = f"{position['lat']}, {position['lon']}"
    assert shown in text, text
    if position.get("accuracy") is not None:
        accuracy = f"{position['accuracy']:g}".replace(".", "," if language == "pt" else ".")
        assert f"{shown} {WITHIN[language].format(accuracy)}".replace(" （", "（") in text, text
    pages.shot(page, f"position-{language}")
