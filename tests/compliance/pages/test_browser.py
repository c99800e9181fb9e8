"""The two journeys of issue #13 in a real browser, signing in through the sign-in page: a DSAL
reviewer approves a submission with a photo (seen in the lightbox, with the keyboard), opens a
case and downloads its notice in Chinese; a victim-protection officer reads a referral's
personal details (the read is in the audit log) and records a service. axe on every page; one
page at phone width."""

from __future__ import annotations

import pypdfium2 as pdfium
import pytest
from playwright.sync_api import expect

from backend.audit.models import AuditEntry
from backend.compliance.models import ComplianceCase, ProtectionService, Review
from backend.compliance.services import company_score_compute
from tests.browser_support import PHONE, axe_check, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct-horse-battery"


def no_sideways_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def test_dsal_reviewer_approves_a_photo_submission_opens_a_case_and_downloads_the_chinese_notice(
    pages, visit, carol, joint
):
    company_score_compute(company=joint.contractor)
    page = pages.new_page()
    sign_in(page, pages.base_url, "carol", PASSWORD)
    page.get_by_role("link", name="Review queue").first.click()
    page.wait_for_load_state()
    assert page.get_by_role("link", name="Cotai Tower B").is_visible()
    axe_check(page)
    page.get_by_role("button", name="Map").click()
    page.locator("#queue-map .stop-marker").first.wait_for()
    axe_check(page)
    pages.shot(page, "queue-map")
    page.get_by_role("button", name="Table").click()

    page.get_by_role("link", name="Cotai Tower B").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", name="Evidence of the findings").is_visible()
    axe_check(page)
    # The photo in the lightbox, by keyboard: focus the thumbnail, Enter opens, Escape closes.
    thumb = page.locator(".thumb").first
    thumb.focus()
    page.keyboard.press("Enter")
    lightbox = page.locator("#lightbox")
    assert lightbox.is_visible()
    # The served copy loads in it (polled from here: the page's CSP forbids eval'd predicates).
    for _attempt in range(50):
        if page.evaluate("document.getElementById('lightbox-img').naturalWidth") > 0:
            break
        page.wait_for_timeout(100)
    assert page.evaluate("document.getElementById('lightbox-img').naturalWidth") > 0
    axe_check(page)
    pages.shot(page, "lightbox")
    page.keyboard.press("Escape")
    expect(lightbox).to_be_hidden()
    # Focus goes back to the thumbnail from the dialog's "close" event, which is queued as a task.
    expect(page.locator(".thumb:focus")).to_have_count(1)

    page.get_by_role("button", name="Approve", exact=True).click()
    page.get_by_text("Approved. The findings you accepted are official.").first.wait_for()
    assert Review.objects.get(submission=visit.submission).decision == "approved"
    # V-12 (documents held) has no verified Macao legal basis: offered unticked, it cannot ground a notice.
    assert not page.get_by_role("checkbox", name="V-12").is_checked()
    page.get_by_label("Why the case is opened").fill("Documents held by the employer; no hiring permit.")
    with page.expect_navigation():
        page.get_by_role("button", name="Open the case").click()
    case = ComplianceCase.objects.get()
    assert page.url.endswith(f"/compliance/cases/{case.uuid}/")
    axe_check(page)
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Issue the notice").click()
    page.get_by_text("Notice issued").first.wait_for()
    with page.expect_download() as download:
        page.locator('a[data-lang="zh-hant"][data-format="html"]').click()
    with open(download.value.path(), encoding="utf-8") as notice:
        text = notice.read()
    assert download.value.suggested_filename == f"notice-{case.short_ref}-zh-hant.html"
    assert "幸運建築有限公司" in text
    # The PDF, the document served on the company: the same notice, drawn in Chinese.
    with page.expect_download() as download:
        page.locator('a[data-lang="zh-hant"][data-format="pdf"]').click()
    assert download.value.suggested_filename == f"notice-{case.short_ref}-zh-hant.pdf"
    pdf = pdfium.PdfDocument(download.value.path())
    assert "幸運建築有限公司" in "".join(p.get_textpage().get_text_range() for p in pdf)
    pages.shot(page, "case")

    page.goto(f"{pages.base_url}/compliance/companies/{joint.contractor.uuid}/")
    page.locator("#score-chart").wait_for()
    axe_check(page)
    page.goto(f"{pages.base_url}/compliance/")
    axe_check(page)
    page.goto(f"{pages.base_url}/compliance/cases/")
    axe_check(page)

    phone = pages.new_page(viewport=PHONE, locale="zh-TW")
    sign_in(phone, pages.base_url, "carol", PASSWORD)
    for path in (
        f"/review/{visit.submission.uuid}/",
        "/review/",
        f"/compliance/cases/{case.uuid}/",
        "/compliance/",
    ):
        phone.goto(pages.base_url + path)
        assert no_sideways_scroll(phone), path
    phone.goto(f"{pages.base_url}/review/{visit.submission.uuid}/")
    assert phone.locator("html").get_attribute("lang") == "zh-Hant"
    axe_check(phone)
    pages.shot(phone, "submission-phone")


def test_victim_protection_reads_a_referral_audited_and_records_a_service(pages, referral, vera):
    page = pages.new_page()
    sign_in(page, pages.base_url, "vera", PASSWORD)
    page.get_by_role("link", name="Referrals").first.click()
    page.wait_for_load_state()
    axe_check(page)
    page.get_by_role("link", name=referral.short_ref, exact=True).click()
    page.wait_for_load_state()
    assert page.get_by_text("P-1 red jacket").count() == 0
    axe_check(page)
    page.get_by_label("Why do you show them?").select_option("assessment")
    page.get_by_role("button", name="Show the personal details").click()
    page.get_by_text("P-1 red jacket").wait_for()
    assert (
        AuditEntry.objects.filter(
            verb="victim_details_get", object_id=str(referral.uuid), actor_id=vera.user.pk
        ).count()
        == 1
    )
    axe_check(page)

    page.get_by_label("Service", exact=True).select_option("shelter")
    page.get_by_label("Provided by", exact=True).select_option("ngo")
    page.get_by_label("Provider", exact=True).fill("Good Shepherd Centre")
    page.get_by_label("From", exact=True).fill("2026-03-10")
    page.get_by_role("button", name="Record the service").click()
    page.get_by_role("cell", name="Good Shepherd Centre (non-governmental organisation)").wait_for()
    assert ProtectionService.objects.get().referral == referral
    axe_check(page)
    pages.shot(page, "referral")

    phone = pages.new_page(viewport=PHONE, locale="pt")
    sign_in(phone, pages.base_url, "vera", PASSWORD)
    phone.goto(f"{pages.base_url}/protection/{referral.uuid}/")
    assert no_sideways_scroll(phone)
    axe_check(phone)
