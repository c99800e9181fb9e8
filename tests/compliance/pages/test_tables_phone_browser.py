"""The register, a submission's check-ins and a case's findings on a phone (390 × 844): each row is
a card (table.cards), not a table wider than the screen in a box that scrolls sideways. The
register's Score, the figure that orders it, was cut off at the right edge; the check-ins' flags
(outside the radius, phone clock off) and a finding's legal basis were off the screen too.

On a phone the register's card shows the company (its link), kind, score, inspections, repeat
violations and open cases; the score's factors F, R and T are on the company's page. At desktop
width the three are the tables they were."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from backend.compliance import services
from tests.browser_support import DESKTOP, PHONE, axe_check, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct-horse-battery"

NO_PAGE_OVERFLOW = "document.documentElement.scrollWidth <= document.documentElement.clientWidth"

# The table's wrapper scrolls sideways? And each shown cell: its label, its box, its text.
TABLE = """(selector) => {
  const table = document.querySelector(selector);
  const wrap = table.closest('.table-wrap');
  return {
    wrapScrolls: wrap.scrollWidth > wrap.clientWidth,
    tableWidth: table.getBoundingClientRect().width,
    cells: [...table.tBodies[0].rows].flatMap((tr) => [...tr.cells].map((td) => {
      const box = td.getBoundingClientRect();
      return {label: td.dataset.label || '', cls: td.className, text: td.textContent.trim(),
              shown: td.checkVisibility(), left: box.left, right: box.right};
    })),
  };
}"""


def _fits_the_phone(page, selector: str) -> list[dict]:
    table = page.evaluate(TABLE, selector)
    assert not table["wrapScrolls"], table
    assert page.evaluate(NO_PAGE_OVERFLOW)
    shown = [cell for cell in table["cells"] if cell["shown"]]
    assert shown, table
    for cell in shown:
        assert cell["left"] >= 0 and cell["right"] <= PHONE["width"], cell
    return shown


def _in_view(page, locator) -> None:
    locator.scroll_into_view_if_needed()
    box = locator.bounding_box()
    assert box and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], box
    assert box["y"] >= 0 and box["y"] + box["height"] <= PHONE["height"], box
    expect(locator).to_be_in_viewport()


def _phone(pages, who: str):
    page = pages.new_page(viewport=PHONE, has_touch=True, is_mobile=True)
    sign_in(page, pages.base_url, who, PASSWORD)
    return page


def test_the_register_shows_each_companys_score_on_a_phone(pages, case, joint, carol):
    services.company_score_compute(company=joint.contractor)
    page = _phone(pages, "carol")
    page.goto(f"{pages.base_url}/compliance/")
    cells = _fits_the_phone(page, "table.register-table")
    labels = {cell["label"] for cell in cells}
    assert {"Kind", "Score", "Inspections", "Repeat violations", "Open cases"} <= labels, labels
    assert not {"F", "R", "T"} & labels, labels  # the factors are on the company's page
    score = page.locator("table.register-table td.score").first
    _in_view(page, score)
    assert score.inner_text().strip()[0].isdigit()
    # The company's link, the card's action, is a 44 px target.
    link = page.locator("table.register-table td.company a.open").first
    assert link.bounding_box()["height"] >= 44
    axe_check(page)
    pages.shot(page, "register-phone")
    link.tap()
    expect(page).to_have_url(f"{pages.base_url}/compliance/companies/{joint.contractor.uuid}/")


def test_a_submissions_check_ins_show_their_flags_on_a_phone(pages, visit, carol):
    page = _phone(pages, "carol")
    page.goto(f"{pages.base_url}/review/{visit.submission.uuid}/")
    cells = _fits_the_phone(page, "#checkins-h + .table-wrap table")
    labels = {cell["label"] for cell in cells}
    assert {"Officer", "Distance from the site (m)", "GPS accuracy (m)", "Received", "Flags"} <= labels
    flags = page.locator("#checkins-h + .table-wrap td.flags").first
    _in_view(page, flags)
    expect(flags).to_contain_text("at the site")
    axe_check(page)
    pages.shot(page, "check-ins-phone")


def test_a_cases_findings_show_their_legal_basis_on_a_phone(pages, case, carol):
    page = _phone(pages, "carol")
    page.goto(f"{pages.base_url}/compliance/cases/{case.uuid}/")
    cells = _fits_the_phone(page, "#cfind-h + .table-wrap table")
    labels = {cell["label"] for cell in cells}
    assert {"Violation", "Severity", "Legal basis", "Inspected"} <= labels, labels
    for column in ("Severity", "Legal basis"):
        cell = page.locator(f"#cfind-h + .table-wrap td[data-label='{column}']").first
        _in_view(page, cell)
        assert cell.inner_text().strip(), column
    axe_check(page)
    pages.shot(page, "case-findings-phone")


def test_the_three_stay_tables_at_a_desk(pages, case, visit, joint, carol):
    services.company_score_compute(company=joint.contractor)
    page = pages.new_page(viewport=DESKTOP)
    sign_in(page, pages.base_url, "carol", PASSWORD)
    display = "(s) => getComputedStyle(document.querySelector(s)).display"
    for url, table in (
        ("/compliance/", "table.register-table"),
        (f"/review/{visit.submission.uuid}/", "#checkins-h + .table-wrap table"),
        (f"/compliance/cases/{case.uuid}/", "#cfind-h + .table-wrap table"),
    ):
        page.goto(pages.base_url + url)
        expect(page.locator(f"{table} thead th").first).to_be_visible()
        assert page.evaluate(display, f"{table} tbody tr") == "table-row", url
    page.goto(pages.base_url + "/compliance/")
    expect(page.locator("table.register-table thead th.factor")).to_have_count(3)
    expect(page.locator("table.register-table thead th.factor").first).to_be_visible()
