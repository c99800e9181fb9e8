"""The data-protection officer's journey in a real browser, signing in through the sign-in page:
from the console's home to the access report, a flagged read with its reason, the filter, axe on
each page, and the report at phone width without sideways scrolling."""

from __future__ import annotations

import pytest

from backend.compliance import selectors
from tests import factories
from tests.browser_support import PHONE, axe_check, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct-horse-battery"


def test_the_data_protection_officer_reviews_a_flagged_read(pages, referred):
    victor = factories.officer(
        "IAS", username="victor", full_name="Victor Other", roles=("victim_protection",)
    )
    factories.officer("IAS", username="dora", full_name="Dora Privacy", roles=("data_protection",))
    selectors.victim_details_get(
        user=victor.user, referral_uuid=referred.uuid, reason="other", reason_text="checking a duplicate"
    )
    page = pages.new_page()
    sign_in(page, pages.base_url, "dora", PASSWORD)
    axe_check(page)
    page.get_by_role("link", name="Access report").first.click()
    page.wait_for_load_state()
    page.get_by_text("checking a duplicate").wait_for()
    assert page.get_by_text("outside the reader's own cases", exact=True).count() == 1
    axe_check(page)
    page.get_by_label("Flagged reads only").check()
    page.get_by_role("button", name="Show", exact=True).click()
    page.wait_for_load_state()
    assert page.get_by_text("victor").count() >= 1 and "flagged=on" in page.url
    axe_check(page)
    phone = pages.new_page(viewport=PHONE)
    sign_in(phone, pages.base_url, "dora", PASSWORD)
    phone.goto(f"{pages.base_url}/privacy/access/")
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    axe_check(phone)


def test_on_a_phone_each_read_is_a_card_with_its_reason_and_flags_on_the_screen(pages, referred):
    """At 390 px the report's seven columns ran off to the right of a sideways-scrolling table:
    a read's reason and its flags were out of sight. Each read is a card, as the referrals are."""
    victor = factories.officer(
        "IAS", username="victor", full_name="Victor Other", roles=("victim_protection",)
    )
    factories.officer("IAS", username="dora", full_name="Dora Privacy", roles=("data_protection",))
    selectors.victim_details_get(
        user=victor.user, referral_uuid=referred.uuid, reason="other", reason_text="checking a duplicate"
    )
    phone = pages.new_page(viewport=PHONE)
    sign_in(phone, pages.base_url, "dora", PASSWORD, next_path="/privacy/access/")
    phone.goto(f"{pages.base_url}/privacy/access/")
    width = PHONE["width"]
    for item in (phone.get_by_text("checking a duplicate"), phone.locator("td .badge.danger").first):
        box = item.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width, box
    axe_check(phone)


def test_the_portuguese_counts_say_one_read_or_several(pages, referred):
    """'1 consulta(s) · 1 assinalada(s)': both plural forms had the same '(s)' text."""
    victor = factories.officer(
        "IAS", username="victor", full_name="Victor Other", roles=("victim_protection",)
    )
    factories.officer("IAS", username="dora", full_name="Dora Privacy", roles=("data_protection",))
    selectors.victim_details_get(user=victor.user, referral_uuid=referred.uuid, reason="assessment")
    page = pages.new_page(locale="pt-PT")
    sign_in(page, pages.base_url, "dora", PASSWORD)
    page.goto(f"{pages.base_url}/privacy/access/")
    assert page.get_by_text("1 consulta · 1 assinalada", exact=True).count() == 1
    selectors.victim_details_get(user=victor.user, referral_uuid=referred.uuid, reason="contact")
    page.reload()
    assert page.get_by_text("2 consultas · 2 assinaladas", exact=True).count() == 1
    axe_check(page)


def test_flagged_reads_only_narrows_the_table_not_the_period_s_figures(pages, referred, vera):
    """With "Flagged reads only" ticked the page said "1 read · 1 flagged" of a period of two
    reads: the count was of the rows shown, not of the reads."""
    victor = factories.officer(
        "IAS", username="victor", full_name="Victor Other", roles=("victim_protection",)
    )
    factories.officer("IAS", username="dora", full_name="Dora Privacy", roles=("data_protection",))
    selectors.victim_details_get(user=vera.user, referral_uuid=referred.uuid, reason="protection")
    selectors.victim_details_get(
        user=victor.user, referral_uuid=referred.uuid, reason="other", reason_text="checking a duplicate"
    )
    page = pages.new_page()
    sign_in(page, pages.base_url, "dora", PASSWORD)
    page.goto(f"{pages.base_url}/privacy/access/")
    assert page.get_by_text("2 reads · 1 flagged", exact=True).count() == 1
    page.get_by_label("Flagged reads only").check()
    page.get_by_role("button", name="Show", exact=True).click()
    page.wait_for_load_state()
    assert "flagged=on" in page.url
    assert page.get_by_text("2 reads · 1 flagged", exact=True).count() == 1
    rows = page.locator("table.access-table tbody tr")
    assert rows.count() == 1 and "victor" in rows.first.inner_text()
    axe_check(page)


def test_the_officer_follows_retention_from_the_console_in_chinese_and_on_a_phone(pages, referred, vera):
    """The retention policy and what it erased were in the admin only, which the data-protection
    officer cannot open. The console's Retention page shows them, counts only."""
    from backend.privacy.services import apply_retention

    factories.officer("IAS", username="dora", full_name="Dora Privacy", roles=("data_protection",))
    apply_retention()
    page = pages.new_page(locale="zh-TW")
    sign_in(page, pages.base_url, "dora", PASSWORD)
    page.get_by_role("link", name="資料保存").first.click()
    page.wait_for_load_state()
    page.get_by_role("heading", name="現行政策").wait_for()
    assert page.locator("table tbody tr").count() == 1  # the run above, with its counts
    assert referred.personal_details.full_name not in page.content()
    axe_check(page)
    phone = pages.new_page(viewport=PHONE)
    sign_in(phone, pages.base_url, "dora", PASSWORD, next_path="/privacy/retention/")
    phone.goto(f"{pages.base_url}/privacy/retention/")
    phone.get_by_text("Retention runs every night. Next run:").wait_for()
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    axe_check(phone)
