"""The submission's history is its record ("Histórico"), not Django admin's "História" (history,
the subject), which won the word because the admin's catalogue comes first."""

from __future__ import annotations

import pytest

from tests.browser_support import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct-horse-battery"


@pytest.mark.parametrize(
    ("language", "word", "marks"),
    [("pt", "Histórico", '"«" "»"'), ("zh-hant", "歷史", '"「" "」"'), ("en", "History", "auto")],
)
def test_the_submissions_history_heading(pages, visit, carol, language, word, marks):
    page = pages.new_page()
    sign_in(page, pages.base_url, "carol", PASSWORD)
    if language != "en":
        page.locator(f'button[name="language"][value="{language}"]').click()
        page.wait_for_load_state()
    page.goto(f"{pages.base_url}/review/{visit.submission.uuid}/")
    assert page.locator("#history-h").inner_text().strip() == word

    # A comment quoted in the history (<q>) opens with the language's own mark: Portugal's «,
    # not Brazil's “ that the browser gives "pt".
    opening = page.evaluate(
        """() => {
            const q = document.createElement("q");
            q.textContent = "…";
            document.querySelector("#history-h").after(q);
            return getComputedStyle(q).quotes;
        }"""
    )
    assert opening.startswith(marks)
