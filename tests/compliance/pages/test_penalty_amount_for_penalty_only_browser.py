"""Deciding a case, the penalty's amount is asked only of a penalty, as "Decided before the notice's
deadline" is only of a sanction: beside "rectified", "closed without action" (or no outcome yet) it
is hidden from the eye, the keyboard and a screen reader, at a desk and on a phone. An amount typed
for a penalty, the outcome then changed, is not sent with the other outcome. Without the page's
script the field shows, and the service refuses an amount for another outcome at the field, in the
reader's language."""

from __future__ import annotations

import html
import re

import pytest
from playwright.sync_api import expect

from backend.compliance.models import ComplianceCase
from tests.browser_support import DESKTOP, PHONE, axe_check, sign_in
from tests.compliance.pages.conftest import signed_in

PASSWORD = "correct-horse-battery"

FOCUSED = "() => document.activeElement && document.activeElement.name"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_the_amount_is_asked_of_a_penalty_only(pages, case, carol, viewport):
    page = pages.new_page(viewport=viewport)
    asked = []
    page.on("dialog", lambda dialog: (asked.append(dialog.message), dialog.accept()))
    sign_in(page, pages.base_url, "carol", PASSWORD)
    page.goto(f"{pages.base_url}/compliance/cases/{case.uuid}/")
    outcome = page.get_by_label("Outcome", exact=True)
    amount = page.locator('[name="outcome-penalty_amount"]')
    # No outcome chosen yet, then each outcome but the penalty: not seen, not in the accessibility
    # tree, and not reached by the keyboard (tabbing from the outcome to the button passes it by).
    for choice in ("", "rectified", "closed"):
        if choice:
            outcome.select_option(choice)
        expect(amount).to_be_hidden()
        expect(page.get_by_role("spinbutton", name="Penalty (MOP)")).to_have_count(0)
        outcome.focus()
        reached = []
        for _ in range(8):
            page.keyboard.press("Tab")
            name = page.evaluate(FOCUSED)
            reached.append(name)
            if name is None or "outcome" not in (name or ""):
                break
        assert "outcome-penalty_amount" not in reached, reached
    # The date the company put things right likewise belongs to "rectified" alone.
    rectified_on = page.locator('[name="outcome-rectified_on"]')
    outcome.select_option("rectified")
    expect(rectified_on).to_be_visible()
    outcome.select_option("penalty")
    expect(rectified_on).to_be_hidden()
    expect(amount).to_be_visible()
    expect(page.get_by_role("spinbutton", name="Penalty (MOP)")).to_have_accessible_description(
        "For a penalty only."
    )
    assert amount.evaluate("e => e.getBoundingClientRect().right") <= viewport["width"]
    axe_check(page)
    pages.shot(page, f"penalty-amount-{viewport['width']}")

    # Typed for a penalty, then the outcome changed: hidden, and not sent with "closed without
    # action" (it was refused at a field the reviewer no longer saw). The case closes as chosen.
    amount.fill("5000")
    outcome.select_option("closed")
    expect(amount).to_be_hidden()
    page.get_by_label("Why").fill("The company went out of business.")
    page.get_by_role("button", name="Record the outcome").click()
    expect(page.locator("#case-work .message.success")).to_be_focused()
    assert asked == ["Record this outcome and close the case?"]
    case.refresh_from_db()
    assert case.outcome == ComplianceCase.Outcome.CLOSED_NO_ACTION and case.penalty_amount is None


REFUSED = {
    "en": "Only a penalty has an amount.",
    "pt": "Só uma multa tem montante.",
    "zh-hant": "只有罰款才設有金額。",
}


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["en", "pt", "zh-hant"])
def test_without_the_script_an_amount_for_another_outcome_is_refused_at_the_field(
    language, case, carol, client
):
    signed_in(client, carol)
    client.post("/i18n/setlang/", {"language": language, "next": "/"})
    page = client.get(f"/compliance/cases/{case.uuid}/").content.decode()
    # Drawn by the server (no script): the field is there, not hidden, the rule beside it.
    amount = re.search(r'<input [^>]*name="outcome-penalty_amount"[^>]*>', page).group(0)
    assert "data-shown-for-choice" in amount and 'data-for-choice="outcome-outcome=penalty"' in amount
    assert " hidden" not in amount and " disabled" not in amount
    answer = client.post(
        f"/compliance/cases/{case.uuid}/outcome/",
        {"outcome-outcome": "rectified", "outcome-reason": "Fixed.", "outcome-penalty_amount": "100"},
    )
    assert answer.status_code == 400
    body = answer.content.decode()
    error = re.search(r'<p class="field-error" id="id_outcome-penalty_amount_error">(.*?)</p>', body, re.S)
    assert error and html.unescape(error.group(1)) == REFUSED[language]
    case.refresh_from_db()
    assert case.status != ComplianceCase.Status.CLOSED and case.penalty_amount is None
