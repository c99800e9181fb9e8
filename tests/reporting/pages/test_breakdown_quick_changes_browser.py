"""The breakdown's measure, layout and filters changed in quick succession: the last choice wins.

A new measure asks the server for the form again (its source decides which dimensions it offers)
with the result; so does Show. The form is part of what each answer swaps in. An analyst who
changed the measure, then the layout, then the measure again without waiting used to have the
requests still on their way aborted (``hx-sync="this:replace"``), and htmx 2 reports every aborted
request as a console error (``htmx:afterRequest``, ``htmx:sendAbort``). Queued instead, the last
request would belong to the form the first answer swaps out, and htmx would drop it: the page
would end on the first choice. Now the answers a later change has overtaken are never shown, the
last request is sent for the form as it stands, and the page ends on the analyst's last choices,
their figures (the statistics API's) drawn, nothing busy and nothing in the console; Back and
Forward put back results htmx kept while an answer was on its way, drawn and not busy.
"""

from __future__ import annotations

from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from playwright.sync_api import expect

from tests.browser_support import axe_check, sign_in
from tests.reporting.pages.figures import PageFigures, api_cells, page_cells
from tests.reporting.pages.held import HeldAnswers

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct-horse-battery"
ILLEGAL_EMPLOYMENT = '#breakdown-form input[name="category"][value="illegal_employment"]'


def _settled(page, **expected):
    """The answer for ``expected`` (the page's own parameters) is in, its chart drawn, nothing
    busy; returns the question the page's address now holds."""

    def holds(url):
        query = parse_qs(urlsplit(url).query)
        return all(query.get(name) == [value] for name, value in expected.items())

    page.wait_for_url(holds)
    expect(page.locator("#breakdown-results")).not_to_have_attribute("aria-busy", "true")
    expect(page.locator("#breakdown .htmx-request")).to_have_count(0)
    page.wait_for_function(
        "() => { const c = Chart.getChart('chart-breakdown');"
        " return !!c && c.canvas.isConnected && c.canvas.hasAttribute('width') }"
    )
    return {name: values[0] for name, values in parse_qs(urlsplit(page.url).query).items()}


def _check_figures(page, base, question):
    """The table and the chart show the statistics API's figures for the page's question."""
    measure = question["measure"]
    rows = question.get("rows", "").split(",")
    column = question.get("columns") or None
    params = {k: v for k, v in question.items() if k not in ("rows", "columns")}
    params["by"] = ",".join([*rows, *([column] if column else [])])
    body = page.request.get(f"{base}/api/v1/statistics/query/?{urlencode(params)}").json()
    assert body["rows"], f"the example should have figures: {params}"
    table = PageFigures(page.content()).tables[measure]
    assert page_cells(table) == api_cells(body, rows, column, measure)
    assert table["total"] == body["totals"][measure]
    chart_total = page.evaluate(
        "Chart.getChart('chart-breakdown').data.datasets.flatMap(d => d.data).reduce((a, b) => a + b, 0)"
    )
    assert chart_total == body["totals"][measure]


def _choices(page):
    return {
        name: page.locator(f"#bd-{name}").input_value()
        for name in ("measure", "rows-1", "rows-2", "columns", "from", "to")
    }


def test_quick_changes_end_on_the_last_choices_without_console_errors(pages, city):
    base = pages.base_url
    page = pages.new_page()
    sign_in(page, base, "andy", PASSWORD, next_path="/statistics/breakdown/")
    page.locator("#chart-breakdown").wait_for()
    answers = HeldAnswers(page, lambda url: "/statistics/breakdown/?" in url)
    page.evaluate(
        """() => { window.swapped = [];
        document.body.addEventListener('htmx:afterSwap', () =>
            window.swapped.push(document.getElementById('bd-measure').value)); }"""
    )

    # A burst while the first answer is held: a new measure, the layout and a filter chosen in
    # the form still drawn for the old one, the measure changed twice more, the period last.
    answers.holding = True
    page.locator("#bd-measure").select_option("findings")
    page.locator("#bd-columns").select_option("status")
    page.locator("#bd-rows-1").select_option("agency")
    page.locator('#breakdown-form details:has(input[name="category"]) > summary').click()
    page.locator(ILLEGAL_EMPLOYMENT).check()
    page.locator("#bd-measure").select_option("referrals")
    page.locator("#bd-measure").select_option("findings")
    page.locator("#bd-from").select_option("2020")
    page.locator("#bd-to").select_option("2022")
    expect(page.locator("#breakdown-results")).to_have_attribute("aria-busy", "true")
    assert page.evaluate("window.swapped") == []
    answers.release()

    question = _settled(
        page, measure="findings", rows="agency", columns="status", category="illegal_employment"
    )
    assert question == {
        "measure": "findings",
        "rows": "agency",
        "columns": "status",
        "from": "2020",
        "to": "2022",
        "category": "illegal_employment",
    }
    assert _choices(page) == {
        "measure": "findings",
        "rows-1": "agency",
        "rows-2": "",
        "columns": "status",
        "from": "2020",
        "to": "2022",
    }
    expect(page.locator(ILLEGAL_EMPLOYMENT)).to_be_checked()
    _check_figures(page, base, question)
    # One answer on its way during the burst, one asked for after it; the first never shown.
    assert len(answers.asked) == 2, answers.asked
    assert page.evaluate("window.swapped") == ["findings"]
    # A new measure keeps focus on the measure, as it always did.
    page.wait_for_function("() => document.activeElement && document.activeElement.id === 'bd-measure'")
    axe_check(page)

    # Again, ending on Show: a new measure whose source has none of the layout and filters
    # chosen since in the form drawn for findings. Show's request, the last one asked, keeps
    # only what the new measure's source has, as the measure's own request does.
    page.evaluate("window.swapped = []")
    answers.asked.clear()
    answers.holding = True
    page.locator("#bd-measure").select_option("calls")
    page.locator("#bd-rows-2").select_option("severity")
    page.locator("#bd-columns").select_option("")
    page.locator("#bd-from").select_option("2019")
    page.locator("#bd-to").select_option("2023")
    page.get_by_role("button", name="Show").click()
    expect(page.locator("#breakdown-results")).to_have_attribute("aria-busy", "true")
    answers.release()

    question = _settled(page, measure="calls", rows="year", **{"from": "2019", "to": "2023"})
    assert question == {"measure": "calls", "rows": "year", "from": "2019", "to": "2023"}
    assert _choices(page) == {
        "measure": "calls",
        "rows-1": "year",
        "rows-2": "",
        "columns": "",
        "from": "2019",
        "to": "2023",
    }
    expect(page.locator("#breakdown .errors")).to_have_count(0)
    _check_figures(page, base, question)
    assert len(answers.asked) == 2, answers.asked
    assert page.evaluate("window.swapped") == ["calls"]
    # Show moves focus to the result, as it always did.
    page.wait_for_function("() => document.activeElement && document.activeElement.id === 'bd-results'")
    axe_check(page)

    # Back to the first burst's result and Forward again, as htmx kept them (kept while the next
    # answer was on its way): each drawn, nothing busy, the CSP refusing nothing.
    page.go_back()
    _settled(page, measure="findings", rows="agency", columns="status")
    expect(page.locator("#bd-measure")).to_have_value("findings")
    page.go_forward()
    _settled(page, measure="calls", rows="year")
    expect(page.locator("#bd-measure")).to_have_value("calls")
    # Last: Playwright's screenshot leaves empty style attributes on the inputs, which a copy of
    # the page put back by htmx would carry (and the CSP refuse).
    pages.shot(page, "breakdown-after-burst")
