"""Reopening a closed case in a real browser, signed in through the sign-in page: the control is
reached and sent from the keyboard, asks before it acts as the page's other decisive actions do,
names its reason field for a screen reader, lands the focus on its answer, and reads in the three
languages, at 1280 and 390 px, with no axe violation."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from backend.compliance import services
from backend.compliance.models import ComplianceCase
from tests.browser_support import PHONE, axe_check, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct-horse-battery"


def _closed(case, carol):
    services.case_notice_issue(user=carol.user, case=case)
    services.case_decide(user=carol.user, case=case, outcome="closed", reason="No action.")


def test_a_reviewer_reopens_a_closed_case_from_the_keyboard(pages, case, carol):
    _closed(case, carol)
    page = pages.new_page()
    sign_in(page, pages.base_url, "carol", PASSWORD)
    page.goto(f"{pages.base_url}/compliance/cases/{case.uuid}/")
    section = page.get_by_role("region", name="Reopen the case")
    axe_check(page)
    pages.shot(page, "reopen-desktop")

    # Sent empty, it is not asked about: the field says what is missing, in the page's language.
    asked: list[str] = []
    page.on("dialog", lambda dialog: (asked.append(dialog.message), dialog.accept()))
    reason = section.get_by_role("textbox", name="Why reopen it")
    reason.focus()
    page.keyboard.press("Tab")
    expect(section.get_by_role("button", name="Reopen the case")).to_be_focused()
    page.keyboard.press("Enter")
    assert asked == [] and ComplianceCase.objects.get(pk=case.pk).status == "closed"

    reason.focus()
    page.keyboard.type("The company appealed with new permits.")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    answer = page.locator("#case-work p.message.success")
    expect(answer).to_have_text("Case reopened: its outcome is withdrawn and it is back to “notice issued”.")
    expect(answer).to_be_focused()
    assert asked == [
        "Reopen this case? Its outcome is withdrawn and the company’s compliance score is computed again."
    ]
    timeline = page.locator("section[aria-labelledby='timeline-h']")
    expect(timeline).to_contain_text("case reopened")
    expect(timeline).to_contain_text("The company appealed with new permits.")
    expect(page.get_by_role("region", name="Reopen the case")).to_have_count(0)
    expect(page.get_by_role("button", name="Record the outcome")).to_be_visible()
    assert ComplianceCase.objects.get(pk=case.pk).status == "notice_issued"
    axe_check(page)


@pytest.mark.parametrize(
    ("language", "heading", "said"),
    [
        ("pt", "Reabrir o processo", "Processo reaberto"),
        ("zh-hant", "重開個案", "個案已重開"),
    ],
)
def test_on_a_phone_in_portuguese_and_chinese(pages, case, carol, language, heading, said):
    _closed(case, carol)
    page = pages.new_page(viewport=PHONE)
    sign_in(page, pages.base_url, "carol", PASSWORD)
    page.goto(f"{pages.base_url}/compliance/cases/{case.uuid}/")
    page.locator(f'button[name="language"][value="{language}"]').click()
    page.wait_for_load_state()
    section = page.get_by_role("region", name=heading)
    button = section.get_by_role("button", name=heading)
    button.scroll_into_view_if_needed()
    expect(button).to_be_visible()
    # Nothing wider than the phone's screen.
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    axe_check(page)
    pages.shot(page, f"reopen-phone-{language}")
    page.once("dialog", lambda dialog: dialog.accept())
    section.locator("textarea").fill("Recurso da empresa / 公司申訴")
    button.click()
    expect(page.locator("#case-work p.message.success")).to_contain_text(said)
    axe_check(page)
