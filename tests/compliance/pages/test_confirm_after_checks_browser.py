"""A button that asks before acting ("Record this outcome and close the case?") asks only once the
form is filled as the browser requires: a reviewer who pressed it with no outcome chosen was asked
to confirm closing the case, said yes, and only then was told to choose an outcome."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from backend.compliance.models import ComplianceCase
from tests.browser_support import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct-horse-battery"


def test_no_confirmation_is_asked_for_a_form_that_is_not_filled_yet(pages, case, carol):
    page = pages.new_page()
    sign_in(page, pages.base_url, "carol", PASSWORD)
    page.goto(f"{pages.base_url}/compliance/cases/{case.uuid}/")
    asked = []
    page.on("dialog", lambda dialog: (asked.append(dialog.message), dialog.dismiss()))

    page.get_by_role("button", name="Record the outcome").click()
    outcome = page.get_by_label("Outcome", exact=True)
    expect(outcome).to_be_focused()  # the browser points at what is missing
    assert asked == []

    outcome.select_option("rectified")
    page.get_by_label("Why", exact=True).fill("Permits shown at the office.")
    page.get_by_role("button", name="Record the outcome").click()
    expect(page.get_by_role("button", name="Record the outcome")).to_be_visible()
    assert asked == ["Record this outcome and close the case?"]
    assert ComplianceCase.objects.get().status == "open"  # dismissed: nothing recorded
