"""The notice's HTML, downloaded on a phone and opened there, fits the phone's width: it was 426 px
wide at 390 px, the 2 cm margins of paper and a four-column table of findings leaving the page to
scroll sideways. A narrow screen now gets narrow margins and the table's words wrap; the printed
page (and the PDF) keep their layout. Fitting the width, the legal basis's words had been broken
in the middle ("Regulamen" above "to", "Administrativ" above "e") with no hyphen: a word now
breaks only where it may (a space, a hyphen), whole otherwise."""

from __future__ import annotations

import pytest

from backend.compliance import services
from tests.browser_support import PHONE, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct-horse-battery"


# Each word of the table's cells (a run of letters and digits between spaces and hyphens; in
# Chinese, which breaks between its characters, a run of Latin letters and digits) with the lines
# it is drawn on: one line, unless it was broken in the middle.
SPLIT_WORDS = r"""(column) => {
  const split = [];
  const word = /[^\s\-\u2e80-\u9fff\u3000-\u303f\uff00-\uffef]+/g;
  for (const cell of document.querySelectorAll(`table.items tbody td:nth-child(${column})`)) {
    const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      for (const match of node.data.matchAll(word)) {
        const range = document.createRange();
        range.setStart(node, match.index);
        range.setEnd(node, match.index + match[0].length);
        const lines = new Set([...range.getClientRects()].map((rect) => Math.round(rect.top)));
        if (lines.size > 1) split.push(match[0]);
      }
    }
  }
  return split;
}"""


def _notice_on_a_phone(pages, case, carol, lang):
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
    return notice


@pytest.mark.parametrize("lang", ["en", "pt", "zh-hant"])
def test_the_html_notice_fits_a_phone(pages, case, carol, lang):
    page = _notice_on_a_phone(pages, case, carol, lang)
    pages.shot(page, f"notice-{lang}")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, width
    # No word of the legal basis (nor of the breach beside it) broken in the middle.
    words = page.evaluate(
        "(column) => document.querySelectorAll(`table.items tbody td:nth-child(${column})`).length", 3
    )
    assert words >= 2
    assert page.evaluate(SPLIT_WORDS, 3) == []
    assert page.evaluate(SPLIT_WORDS, 2) == []
    # Printed, it keeps the paper's layout: margins of 1.5 cm, the table's four columns.
    page.emulate_media(media="print")
    assert page.evaluate("getComputedStyle(document.body).marginLeft") == "56.6929px"
