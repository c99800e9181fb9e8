"""The notice's HTML, downloaded on a phone and opened there, fits the phone's width: it was 426 px
wide at 390 px, the 2 cm margins of paper and a four-column table of findings leaving the page to
scroll sideways. A narrow screen now gets narrow margins and the table's words wrap; the printed
page (and the PDF) keep their layout."""

from __future__ import annotations

import pytest

from backend.compliance import services
from tests.browser_support import PHONE, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct-horse-battery"


@pytest.mark.parametrize("lang", ["en", "pt", "zh-hant"])
def test_the_html_notice_fits_a_phone(pages, case, carol, lang):
    case = services.case_notice_issue(user=carol.user, case=case)
    page = pages.new_page(viewport=PHONE)
    sign_in(page, pages.base_url, "carol", PASSWORD)
    page.goto(f"{pages.base_url}/compliance/cases/{case.uuid}/")
    with page.expect_download() as download:
        page.locator(f'a[data-lang="{lang}"][data-format="html"]').click()
    # Opened as the file it is (no address of the console's, so none of its policies).
    notice = pages.new_page(viewport=PHONE)
    with open(download.value.path(), encoding="utf-8") as downloaded:
        notice.set_content(downloaded.read())
    page = notice
    pages.shot(page, f"notice-{lang}")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, width
    # Printed, it keeps the paper's layout: margins of 1.5 cm, the table's four columns.
    page.emulate_media(media="print")
    assert page.evaluate("getComputedStyle(document.body).marginLeft") == "56.6929px"
