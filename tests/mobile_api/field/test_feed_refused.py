"""The assignments feed refused for good is said, not retried forever.

A 403 or 404 on assignments/ (the officer may not read it, or a proxy answers for a path it does
not serve) was taken for a network failure and tried again with backoff, forever: the officer saw
only "The server could not be reached now. Next sync at …". Now the app says the server refused,
why, and that syncing again will not change it; no retry is due. A 401 (the sign-in ended) leads
to the sign-in screen, the unsent work kept."""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import expect

from tests.browser_support import axe_check
from tests.mobile_api.field.phone import PHONE_390, open_phone, sign_in_app

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FORBIDDEN = {
    "type": "about:blank",
    "title": "Forbidden",
    "status": 403,
    "detail": "You do not have permission to perform this action.",
    "code": "permission_denied",
}


def refuse(page, status: int, body: dict | None):
    asked = []

    def answer(route):
        asked.append(route.request.url)
        if body is None:
            route.fulfill(status=status, content_type="text/html", body="<h1>Not Found</h1>")
        else:
            route.fulfill(status=status, content_type="application/problem+json", body=json.dumps(body))

    page.route("**/api/mobile/v1/assignments/**", answer)
    return asked


@pytest.mark.parametrize(
    ("status", "body", "reason"),
    [
        (403, FORBIDDEN, "You do not have permission to perform this action."),
        (404, None, "an answer the app did not expect (error 404)."),
    ],
)
def test_a_refused_feed_is_said_and_not_retried(pages, field, status, body, reason):
    page = open_phone(pages, viewport=PHONE_390)
    sign_in_app(page, pages.base_url, "alice")
    asked = refuse(page, status, body)
    page.locator("#sync").click()
    said = page.locator("main > .notice.danger[data-carried]")
    expect(said).to_have_text(
        f"The server refused to send your assignments: {reason} Syncing again will not change this: "
        "tell your team leader or an administrator."
    )
    # No next attempt is due, and none is said to be.
    expect(page.locator("#retry")).to_have_text("")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    axe_check(page)
    tried = len(asked)
    page.locator("#language").select_option("pt")
    expect(page.locator("#sync")).to_have_text("Sincronizar agora")
    assert len(asked) == tried  # switching language asked nothing again
    expected = [p for p in pages.problems if f"status of {status}" in p]
    assert expected, pages.problems
    for problem in expected:
        pages.problems.remove(problem)


def test_a_401_on_the_feed_asks_to_sign_in_again(pages, field):
    page = open_phone(pages, viewport=PHONE_390)
    sign_in_app(page, pages.base_url, "alice")
    refuse(
        page,
        401,
        {"title": "Unauthorized", "status": 401, "detail": "Invalid token.", "code": "token_invalid"},
    )
    page.locator("#sync").click()
    expect(page.locator("#username")).to_be_visible()
    expect(page.locator("main > .notice.danger")).to_have_text(
        "Your sign-in on this phone has ended. Sign in again: your unsent work is kept."
    )
    axe_check(page)
    expected = [p for p in pages.problems if "status of 401" in p]
    for problem in expected:
        pages.problems.remove(problem)
