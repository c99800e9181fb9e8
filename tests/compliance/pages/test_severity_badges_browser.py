"""A finding's severity is a chip in the console's badge style wherever the reviewers' pages show
it: the case's findings, the submission's findings to decide, and the company's official findings
by severity (the case page and the company page showed it as plain text). The chip holds the
severity's word in the reader's language (what a screen reader reads, and the cue that needs no
colour); critical is filled, so it stands apart from high by its shape too; axe checks the
contrast of every chip drawn, in English, Chinese and Portuguese."""

from __future__ import annotations

import re

import pytest

from backend.compliance.services import company_score_compute
from backend.inspections.models import Finding
from tests.browser_support import axe_check, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct-horse-battery"
LABELS = {
    "en": {"low": "low", "medium": "medium", "high": "high", "critical": "critical"},
    "zh-hant": {"low": "低", "medium": "中", "high": "高", "critical": "嚴重"},
    "pt": {"low": "baixa", "medium": "média", "high": "alta", "critical": "crítica"},
}
TRANSPARENT = "rgba(0, 0, 0, 0)"
DANGER = "rgb(164, 22, 26)"  # --danger, #a4161a

# Each severity cell of a findings table: its text, its chips and the first chip's words and fill.
CELLS = """(selector) => [...document.querySelectorAll(selector)].map((cell) => {
  const chips = cell.querySelectorAll('.badge');
  return {text: cell.textContent.trim(), chips: chips.length,
          chip: chips.length ? chips[0].textContent.trim() : null,
          fill: chips.length ? getComputedStyle(chips[0]).backgroundColor : null};
})"""
CHIPS = """(selector) => [...document.querySelectorAll(selector)].map((chip) =>
  [chip.textContent.trim(), getComputedStyle(chip).backgroundColor])"""


@pytest.fixture
def graded_case(case, joint):
    """Carol's case, its two findings (V-02, V-04; medium and high by the checklist's rules) set
    to the two ends of the scale, so the outlined and the filled chip are both drawn; the company
    scored after."""
    by_code = {f.violation_code: f for f in case.findings.all()}
    Finding.objects.filter(pk=by_code["V-02"].pk).update(severity="low")
    Finding.objects.filter(pk=by_code["V-04"].pk).update(severity="critical")
    company_score_compute(company=joint.contractor)
    return case


@pytest.mark.parametrize("language", ["en", "zh-hant", "pt"])
def test_severity_is_a_chip_with_its_word_on_the_case_the_submission_and_the_company(
    pages, graded_case, visit, joint, carol, language
):
    words = LABELS[language]
    page = pages.new_page()
    sign_in(page, pages.base_url, "carol", PASSWORD)
    page.locator(f'button[name="language"][value="{language}"]').click()
    page.wait_for_load_state()

    page.goto(f"{pages.base_url}/compliance/cases/{graded_case.uuid}/")
    cells = page.evaluate(CELLS, 'section[aria-labelledby="cfind-h"] tbody td:nth-child(2)')
    assert cells == [
        {"text": words["low"], "chips": 1, "chip": words["low"], "fill": TRANSPARENT},
        {"text": words["critical"], "chips": 1, "chip": words["critical"], "fill": DANGER},
    ]
    axe_check(page)
    pages.shot(page, f"case-{language}")

    page.goto(f"{pages.base_url}/review/{visit.submission.uuid}/")
    cells = page.evaluate(CELLS, 'section[aria-labelledby="findings-h"] tbody td:nth-child(2)')
    assert cells and all(c["chips"] == 1 and c["chip"] == c["text"] for c in cells), cells
    fills = {c["chip"]: c["fill"] for c in cells}
    assert fills[words["critical"]] == DANGER and fills[words["high"]] == TRANSPARENT, cells
    axe_check(page)

    page.goto(f"{pages.base_url}/compliance/companies/{joint.contractor.uuid}/")
    chips = page.evaluate(CHIPS, ".severity-counts .badge")
    # Every severity named, the least severe first, each with its count; critical filled.
    assert [re.split(r"[:：]", text)[0] for text, _fill in chips] == [
        words["low"],
        words["medium"],
        words["high"],
        words["critical"],
    ], chips
    assert all(re.search(r"[:：] ?\d+", text) for text, _fill in chips), chips
    assert [fill == DANGER for _text, fill in chips] == [False, False, False, True], chips
    axe_check(page)
    pages.shot(page, f"company-{language}")
