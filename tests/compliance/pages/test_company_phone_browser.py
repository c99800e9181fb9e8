"""A company's inspection history on a phone (390 × 844): each inspection is a card (table.cards),
as the register's companies and a case's findings are. Squeezed into six columns, its Chinese
headers broke one character a line (日期, 地點, 類別…) and the site's name five characters a line.
At a desk it stays the table it was."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from backend.compliance import services
from tests.browser_support import DESKTOP, PHONE, axe_check, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct-horse-battery"
TABLE = "#insp-h ~ .table-wrap table"

LABELS = {
    "en": {"Date", "Site", "Category", "Agency", "Status", "Official findings"},
    "zh-hant": {"日期", "地點", "類別", "部門", "狀態", "正式發現"},
    "pt": {"Data", "Local", "Categoria", "Entidade", "Estado", "Constatações oficiais"},
}

CELLS = """(selector) => {
  const table = document.querySelector(selector);
  const wrap = table.closest('.table-wrap');
  return {
    wrapScrolls: wrap.scrollWidth > wrap.clientWidth,
    pageScrolls: document.documentElement.scrollWidth > document.documentElement.clientWidth,
    rowDisplay: getComputedStyle(table.tBodies[0].rows[0]).display,
    cells: [...table.tBodies[0].rows[0].cells].map((td) => {
      const box = td.getBoundingClientRect();
      return {label: td.dataset.label || '', role: td.getAttribute('role'), text: td.textContent.trim(),
              left: box.left, right: box.right, width: box.width};
    }),
  };
}"""


@pytest.mark.parametrize("language", ["en", "zh-hant", "pt"])
def test_the_inspection_history_is_cards_on_a_phone(language, pages, visit, carol):
    services.submission_approve(user=carol.user, submission=visit.submission)
    company = visit.joint.contractor
    services.company_score_compute(company=company)
    page = pages.new_page(viewport=PHONE, has_touch=True, is_mobile=True)
    sign_in(page, pages.base_url, "carol", PASSWORD)
    if language != "en":
        page.locator(f'button[name="language"][value="{language}"]').click()
        page.wait_for_load_state()
    page.goto(f"{pages.base_url}/compliance/companies/{company.uuid}/")
    table = page.evaluate(CELLS, TABLE)
    assert table["rowDisplay"] == "block", table
    assert not table["wrapScrolls"] and not table["pageScrolls"], table
    assert {cell["label"] for cell in table["cells"]} == LABELS[language], table
    assert {cell["role"] for cell in table["cells"]} == {"cell"}
    assert table["cells"][1]["text"] == visit.joint.site.name
    for cell in table["cells"]:
        assert cell["left"] >= 0 and cell["right"] <= PHONE["width"], cell
        assert cell["width"] > PHONE["width"] / 2, cell  # the card's width, not a sixth of it
    # The table's semantics kept for screen readers: its header row is there, visually hidden.
    expect(page.get_by_role("columnheader")).to_have_count(6)
    axe_check(page)
    pages.shot(page, f"company-inspections-phone-{language}")


def test_the_inspection_history_stays_a_table_at_a_desk(pages, visit, carol):
    services.submission_approve(user=carol.user, submission=visit.submission)
    company = visit.joint.contractor
    page = pages.new_page(viewport=DESKTOP)
    sign_in(page, pages.base_url, "carol", PASSWORD)
    page.goto(f"{pages.base_url}/compliance/companies/{company.uuid}/")
    expect(page.locator(f"{TABLE} thead th").first).to_be_visible()
    display = "(s) => getComputedStyle(document.querySelector(s)).display"
    assert page.evaluate(display, f"{TABLE} tbody tr") == "table-row"
