"""A field's error and its help are told with the field: a screen reader reads them when the field
takes the focus, and a form refused for one field puts the focus on it. Before, each field named
ids in its aria-describedby that no element had: a refused "Other" reason on a referral left the
focus on the button and the error unsaid; the corrective deadline's help was never read with it."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from backend.audit.models import AuditEntry
from backend.compliance.services import submission_approve
from tests.browser_support import axe_check, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct-horse-battery"


def test_a_refused_reason_takes_the_focus_and_is_read_with_its_error(pages, referral, vera):
    page = pages.new_page()
    sign_in(page, pages.base_url, "vera", PASSWORD)
    page.goto(f"{pages.base_url}/protection/{referral.uuid}/")
    page.get_by_label("Why do you show them?").select_option("other")
    page.get_by_role("button", name="Show the personal details").click()

    words = page.get_by_label("In a few words")
    expect(words).to_have_attribute("aria-invalid", "true")
    expect(words).to_be_focused()
    expect(words).to_have_accessible_description("Say why, in a few words.")
    assert not AuditEntry.objects.filter(verb="victim_details_get", object_id=str(referral.uuid)).exists()
    expected = [p for p in pages.problems if "status of 400" in p and "/person/" in p]
    assert len(expected) == 1, pages.problems
    pages.problems.remove(expected[0])
    axe_check(page)


def test_a_fields_help_is_read_with_it(pages, visit, carol):
    submission_approve(user=carol.user, submission=visit.submission)
    page = pages.new_page()
    sign_in(page, pages.base_url, "carol", PASSWORD)
    page.goto(f"{pages.base_url}/review/{visit.submission.uuid}/")
    expect(page.get_by_label("Corrective deadline (days)")).to_have_accessible_description(
        re.compile(r"^Empty: \d+ days, the shortest deadline of the violations ticked \(V-")
    )
