"""On a phone, a referral's forms answer next to the button that was pressed: "Referral updated."
(or why it was refused) and the personal details' "Nothing was changed" show in view and take the
focus, not at the top of the page's work area, a screen and more above the Save button."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from backend.compliance.models import Referral
from tests.browser_support import PHONE, axe_check, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct-horse-battery"


def test_on_a_phone_the_referrals_feedback_shows_beside_the_button_pressed(pages, referral, vera):
    phone = pages.new_page(viewport=PHONE)
    sign_in(phone, pages.base_url, "vera", PASSWORD)
    phone.goto(f"{pages.base_url}/protection/{referral.uuid}/")
    phone.on("dialog", lambda dialog: dialog.accept())  # "Close this referral?": yes

    status = phone.locator("section[aria-labelledby='status-h']")
    status.get_by_label("Status").select_option("closed")
    save = status.get_by_role("button", name="Save", exact=True)
    save.click()
    # Refused by the browser at the assessment still pending, in view (nothing is sent).
    refused = status.get_by_label("Assessment")
    expect(refused).to_be_in_viewport()
    expect(refused).to_be_focused()
    assert "before closing the referral: it is still pending." in refused.evaluate("e => e.validationMessage")
    assert Referral.objects.get().status == "new"
    axe_check(phone)

    status = phone.locator("section[aria-labelledby='status-h']")
    status.get_by_label("Assessment").select_option("not_identified")
    status.get_by_role("button", name="Save", exact=True).click()
    updated = phone.locator("p.message", has_text="Referral updated.")
    expect(updated).to_be_in_viewport()
    expect(updated).to_be_focused()
    assert Referral.objects.get().status == "closed"
    pages.shot(phone, "referral-updated-phone")

    phone.get_by_label("Why do you show them?").select_option("assessment")
    phone.get_by_role("button", name="Show the personal details").click()
    phone.get_by_text("P-1 red jacket").wait_for()
    phone.get_by_text("Record what the person tells you").click()
    phone.get_by_role("button", name="Save the personal details").click()
    unchanged = phone.locator("p.message", has_text="Nothing was changed: the details are as they were.")
    expect(unchanged).to_be_in_viewport()
    expect(unchanged).to_be_focused()
    assert phone.get_by_text("Personal details saved.").count() == 0
    axe_check(phone)
    pages.shot(phone, "person-unchanged-phone")
