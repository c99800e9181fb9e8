"""A refusal the service gives about one field is told at that field (and, for the penalty's
amount, in the page before the closing is confirmed). Recording a penalty without
its amount said "A penalty needs a positive amount (MOP)." in a box at the top of the case's work,
above the notice and the follow-up, while the Penalty field sat further down, unmarked; rejecting
a finding without a comment likewise named no field. The error now stands under the field, which
is marked invalid, read with it and given the focus, as a form's own errors are."""

from __future__ import annotations

import re

import pytest
from django.utils import formats
from playwright.sync_api import expect

from backend.compliance import services
from backend.compliance.models import ComplianceCase
from tests.browser_support import axe_check, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct-horse-battery"


def _expected_400(pages, path_part):
    expected = [p for p in pages.problems if "status of 400" in p and path_part in p]
    assert len(expected) == 1, pages.problems
    pages.problems.remove(expected[0])


def test_a_penalty_without_its_amount_is_told_at_the_amount(pages, case, carol):
    page = pages.new_page()
    asked = []
    page.on("dialog", lambda dialog: (asked.append(dialog.message), dialog.accept()))
    sign_in(page, pages.base_url, "carol", PASSWORD)
    page.goto(f"{pages.base_url}/compliance/cases/{case.uuid}/")
    page.get_by_label("Outcome", exact=True).select_option("penalty")
    page.get_by_label("Why").fill("Repeat breach.")
    amount = page.get_by_label("Penalty (MOP)")

    # In the page: told at the amount before the closing is confirmed, and nothing is sent. The
    # reviewer had confirmed "Record this outcome and close the case?" and only then learnt it.
    sent = []
    page.on("request", lambda request: sent.append(request.url) if "/outcome/" in request.url else None)
    page.get_by_role("button", name="Record the outcome").click()
    page.wait_for_timeout(300)
    assert sent == []
    assert asked == []
    assert amount.evaluate("e => e.validationMessage") == "A penalty needs a positive amount (MOP)."
    # Another outcome is not asked for an amount at all: the field is hidden then
    # (test_penalty_amount_for_penalty_only_browser.py); the refusal of one stays the service's.
    page.get_by_label("Outcome", exact=True).select_option("closed")
    expect(amount).to_be_hidden()
    page.get_by_label("Outcome", exact=True).select_option("penalty")

    # The service says the same where the page's check is not run (a browser without the page's
    # script): at the field.
    amount.evaluate("e => e.removeAttribute('data-for-choice')")
    page.get_by_role("button", name="Record the outcome").click()
    expect(amount).to_have_attribute("aria-invalid", "true")
    expect(amount).to_be_focused()
    # Read with the field: its help (which outcome it belongs to), then the refusal.
    expect(amount).to_have_accessible_description(
        re.compile(r"^For a penalty only\..*A penalty needs a positive amount \(MOP\)\.$")
    )
    expect(page.locator("#case-work .errors")).to_have_count(0)
    _expected_400(pages, "/outcome/")
    case.refresh_from_db()
    assert case.status != ComplianceCase.Status.CLOSED
    axe_check(page)

    amount.fill("5000")
    page.get_by_role("button", name="Record the outcome").click()
    expect(page.locator("#case-work .message.success")).to_be_focused()
    # Asked only when the form could be sent: the bypassed try, and this one.
    assert asked == ["Record this outcome and close the case?"] * 2
    case.refresh_from_db()
    assert case.outcome == "penalty" and str(case.penalty_amount) == "5000.00"


def test_a_rejection_without_a_comment_is_told_at_the_comment(pages, visit, carol):
    page = pages.new_page()
    sign_in(page, pages.base_url, "carol", PASSWORD)
    page.goto(f"{pages.base_url}/review/{visit.submission.uuid}/")
    page.locator("#review-work fieldset.choice").first.get_by_label("Reject").check()
    page.get_by_role("button", name="Approve", exact=True).click()

    comment = page.get_by_label("Comment")
    expect(comment).to_have_attribute("aria-invalid", "true")
    expect(comment).to_be_focused()
    expect(comment).to_have_accessible_description("Say why findings are rejected.")
    _expected_400(pages, "/approve/")
    # The finding marked Reject is still marked so.
    expect(page.locator("#review-work fieldset.choice").first.get_by_label("Reject")).to_be_checked()
    axe_check(page)


def test_a_sanction_before_the_notices_deadline_is_asked_for_in_the_page(pages, case, carol):
    """While the notice's deadline runs, a penalty is recorded only with "Decided before the
    notice's deadline" ticked: told at the box before the closing is confirmed, and nothing sent;
    the service refuses the same without the page's check; ticked, it is recorded and the
    timeline says it was decided before the deadline."""
    case = services.case_notice_issue(user=carol.user, case=case)
    deadline = formats.date_format(case.deadline, "DATE_FORMAT")
    refusal = (
        f"The notice's corrective deadline, {deadline}, has not passed: the company may still put"
        " things right. To decide a sanction now, tick “Decided before the notice's deadline”."
    )
    page = pages.new_page()
    asked = []
    page.on("dialog", lambda dialog: (asked.append(dialog.message), dialog.accept()))
    sign_in(page, pages.base_url, "carol", PASSWORD)
    page.goto(f"{pages.base_url}/compliance/cases/{case.uuid}/")
    early = page.get_by_label("Decided before the notice's deadline")
    # Asked only of a sanction: beside "rectified" (or no outcome yet) it is neither seen, nor
    # reached by the keyboard or a screen reader.
    expect(early).to_be_hidden()
    page.get_by_label("Outcome", exact=True).select_option("rectified")
    expect(early).to_be_hidden()
    expect(page.get_by_role("checkbox", name="Decided before the notice's deadline")).to_have_count(0)
    page.get_by_label("Outcome", exact=True).select_option("penalty")
    expect(early).to_be_visible()
    help_text = re.compile(rf"^The company has until {re.escape(deadline)} ")
    expect(early).to_have_accessible_description(help_text)
    page.get_by_label("Why").fill("Repeat breach.")
    page.get_by_label("Penalty (MOP)").fill("5000")
    sent = []
    page.on("request", lambda request: sent.append(request.url) if "/outcome/" in request.url else None)
    page.get_by_role("button", name="Record the outcome").click()
    page.wait_for_timeout(300)
    assert sent == [] and asked == []
    assert early.evaluate("e => e.validationMessage") == refusal

    # Without the page's check, the service says the same at the box, naming it by its label.
    early.evaluate("e => { e.removeAttribute('data-for-choice'); e.setCustomValidity(''); }")
    page.get_by_role("button", name="Record the outcome").click()
    expect(early).to_have_attribute("aria-invalid", "true")
    expect(early).to_be_focused()
    expect(early).to_have_accessible_description(re.compile(re.escape(refusal) + "$"))
    _expected_400(pages, "/outcome/")
    case.refresh_from_db()
    assert case.status != ComplianceCase.Status.CLOSED

    # The form came back as sent (the outcome kept); ticked, the penalty is recorded.
    expect(page.get_by_label("Outcome", exact=True)).to_have_value("penalty")
    expect(early).to_be_visible()
    page.get_by_label("Decided before the notice's deadline").check()
    page.get_by_role("button", name="Record the outcome").click()
    expect(page.locator("#case-work .message.success")).to_be_focused()
    said = f"Decided before the corrective deadline of {deadline}."
    expect(page.locator("ol.timeline")).to_contain_text(said)
    case.refresh_from_db()
    assert case.outcome == "penalty"
    axe_check(page)
