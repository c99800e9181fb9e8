"""In a browser: a referral's reference read out over the phone in lower case ("3f9a1b2c") is
typed into the referrals list's Reference filter and finds the referral, shown in capitals on the
list and on its page, as the other agency has it. axe on both pages."""

from __future__ import annotations

import uuid

import pytest
from playwright.sync_api import expect

from backend.compliance.models import Referral
from tests.browser_support import PHONE, axe_check, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct-horse-battery"
ID_A = uuid.UUID("3f9a1b2c-5d6e-4f70-8a9b-0c1d2e3f4a5b")
ID_B = uuid.UUID("3f9a1b2d-5d6e-4f70-8a9b-0c1d2e3f4a5b")


@pytest.fixture
def referrals(joint, alice):
    """Two referrals whose ids share seven characters (set so: a random id may have no letter)."""
    joint.submit_screening(alice)
    flags = {f"fl_{i:02d}": False for i in range(1, 12)}
    joint.submit_screening(alice, person_ref="P-2 blue cap", age_band="26_40", **{**flags, "fl_07": True})
    by_urgency = {r.urgency: r for r in Referral.objects.all()}
    Referral.objects.filter(pk=by_urgency["immediate"].pk).update(uuid=ID_A)
    Referral.objects.filter(pk=by_urgency["same_day"].pk).update(uuid=ID_B)


@pytest.mark.parametrize("viewport", [None, PHONE], ids=["desktop", "phone"])
def test_a_reference_typed_in_lower_case_finds_the_referral_shown_in_capitals(
    pages, referrals, vera, viewport
):
    page = pages.new_page(**({"viewport": viewport} if viewport else {}))
    sign_in(page, pages.base_url, "vera", PASSWORD)
    page.goto(f"{pages.base_url}/protection/")
    expect(page.locator("#referrals tbody a.open")).to_have_text(["3F9A1B2D", "3F9A1B2C"])
    page.get_by_label("Reference").fill("3f9a1b2c")
    with page.expect_navigation():
        page.get_by_role("button", name="Filter").click()
    expect(page.locator("#referrals tbody a.open")).to_have_text(["3F9A1B2C"])
    axe_check(page)
    pages.shot(page, "referrals-by-reference")
    page.get_by_role("link", name="3F9A1B2C", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Referral 3F9A1B2C")
    assert page.title().startswith("Referral 3F9A1B2C")
    axe_check(page)

    # Not a reference: said at the field, and no referral listed.
    page.goto(f"{pages.base_url}/protection/")
    page.get_by_label("Reference").fill("3f9a-1b2c")
    with page.expect_navigation():
        page.get_by_role("button", name="Filter").click()
    expect(page.locator(".field-error")).to_contain_text("such as 3F9A1B2C")
    expect(page.locator("#referrals tbody a.open")).to_have_count(0)
    axe_check(page)
    # The page answered 400, as a refused filter does; the browser logs that, and only that.
    expected = [
        p for p in pages.problems if "status of 400 (Bad Request)" in p and "reference=3f9a-1b2c" in p
    ]
    assert len(expected) == 1, pages.problems
    pages.problems.remove(expected[0])
