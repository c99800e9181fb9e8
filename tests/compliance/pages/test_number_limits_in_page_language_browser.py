"""A number beyond its field's limits is refused in the page's language, not the browser's. On a
submission read in Portuguese, in a browser set to English, opening a case with a corrective
deadline of 0 days said the browser's own "Value must be greater than or equal to 1." (found on a
newcomer's walk), where an empty reason beside it was refused in Portuguese. The field now says
the server's own message for each limit; a deadline in range is sent, at 1280 px and 390 px."""

from __future__ import annotations

import pytest
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils import translation

from backend.compliance import services
from tests.browser_support import DESKTOP, PHONE, axe_check, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct-horse-battery"


def _said(validator, limit):
    with translation.override("pt"):
        return str(validator.message) % {"limit_value": limit}


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_a_corrective_deadline_out_of_range_is_refused_in_portuguese(pages, visit, carol, viewport):
    services.submission_approve(user=carol.user, submission=visit.submission)
    page = pages.new_page(viewport=viewport, locale="en-US")
    sign_in(page, pages.base_url, "carol", PASSWORD)
    with page.expect_navigation():
        page.locator('button[name="language"][value="pt"]').click()
    page.goto(f"{pages.base_url}/review/{visit.submission.uuid}/")
    sent = []
    page.on("request", lambda request: sent.append(request.url) if "/open-case/" in request.url else None)
    days = page.locator("#id_case-corrective_days")
    button = page.locator("section[aria-labelledby='case-h'] button[type=submit]")
    page.locator("#id_case-reason").fill("Comissão acima do limite legal.")

    days.fill("0")
    button.focus()
    page.keyboard.press("Enter")
    page.wait_for_timeout(300)
    assert days.evaluate("e => e.validationMessage") == _said(MinValueValidator(1), 1)
    assert days.evaluate("e => e.validationMessage").startswith("Garanta")

    days.fill("366")
    button.focus()
    page.keyboard.press("Enter")
    page.wait_for_timeout(300)
    assert days.evaluate("e => e.validationMessage") == _said(MaxValueValidator(365), 365)
    assert sent == []
    axe_check(page)

    days.fill("30")
    assert days.evaluate("e => e.validationMessage") == ""
    button.focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/compliance/cases/**")
    assert len(sent) == 1
    assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
    axe_check(page)
