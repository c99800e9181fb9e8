"""The dashboard's filters changed in quick succession: the last filter wins.

Each change of a filter asks the server for the figures again. An analyst who picks an agency,
then a category, then a year, without waiting, used to have the requests still on their way
aborted (htmx's ``hx-sync="this:replace"``), and htmx 2 reports every aborted request as a console
error (``htmx:afterRequest``, ``htmx:sendAbort``). Now a change made while figures are on their
way waits for them, answers that a later change has overtaken are never shown, and the page ends
on the figures of the last filter, drawn, with nothing busy and nothing in the console.
"""

from __future__ import annotations

from urllib.parse import urlencode

import pytest
from playwright.sync_api import expect

from tests.browser_support import sign_in
from tests.reporting.pages.held import HeldAnswers

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct-horse-battery"


def _figures(page, base, query):
    """The dashboard's own figures for ``query`` (the statistics API's totals)."""
    params = {"measure": "inspections,sites_inspected", **query}
    return page.request.get(f"{base}/api/v1/statistics/query/?{urlencode(params)}").json()["totals"]


def _shown(page, measure):
    return int(
        page.locator(f'#dashboard-results li[data-measure="{measure}"] .value').get_attribute("data-value")
    )


def _settled(page, query):
    """The figures of ``query`` are in, the chart drawn from them, and nothing is busy."""
    page.wait_for_url(lambda url: url.endswith("/statistics/?" + urlencode(query)))
    expect(page.locator("#dashboard-results")).not_to_have_attribute("aria-busy", "true")
    expect(page.locator("#dashboard-filters")).not_to_have_class("htmx-request")
    page.wait_for_function(
        "() => { const c = Chart.getChart('chart-inspections');"
        " return !!c && c.canvas.isConnected && c.canvas.hasAttribute('width') }"
    )


def _check_figures(page, base, query):
    api = _figures(page, base, query)
    assert _shown(page, "inspections") == api["inspections"]
    assert _shown(page, "sites_inspected") == api["sites_inspected"]
    chart_total = page.evaluate(
        "Chart.getChart('chart-inspections').data.datasets.flatMap(d => d.data).reduce((a, b) => a + b, 0)"
    )
    assert chart_total == api["inspections"]
    period = page.locator("#dashboard-results .period")
    expect(period).to_contain_text(f"{query['from']} to {query['to']}")
    expect(period).to_contain_text(f"Agency: {query['agency']}")
    # The parish map: one circle for each parish inspected under the last filter, none left
    # over from a map an earlier answer began to draw.
    params = urlencode({"measure": "inspections", "by": "parish", **query})
    rows = page.request.get(f"{base}/api/v1/statistics/query/?{params}").json()["rows"]
    expect(page.locator("#parish-map path.leaflet-interactive")).to_have_count(
        len([r for r in rows if r["inspections"]])
    )


def test_quick_filter_changes_end_on_the_last_filter_without_console_errors(pages, city):
    base = pages.base_url
    page = pages.new_page()
    sign_in(page, base, "andy", PASSWORD, next_path="/statistics/")
    page.locator("#chart-inspections").wait_for()
    answers = HeldAnswers(page, lambda url: "/statistics/?" in url)  # the dashboard's own answers
    page.evaluate(
        """() => { window.swappedPeriods = [];
        document.body.addEventListener('htmx:afterSwap', () => window.swappedPeriods.push(
            document.querySelector('#dashboard-results .period').textContent
                .replace(/\\s+/g, ' ').trim())); }"""
    )

    # A burst while the first answer is held: each later change finds a request on its way.
    answers.holding = True
    page.locator("#f-agency").select_option("DSAL")
    page.locator("#f-from").select_option("2020")
    page.locator("#f-agency").select_option("PSP")
    page.locator("#f-to").select_option("2022")
    page.locator("#f-category").select_option("illegal_employment")
    page.locator("#f-category").select_option("")
    expect(page.locator("#dashboard-results")).to_have_attribute("aria-busy", "true")
    answers.release()
    last = {"from": "2020", "to": "2022", "agency": "PSP"}
    _settled(page, last)
    _check_figures(page, base, last)
    # One answer was on its way during the burst and one was asked for after it: none for
    # each filter in between.
    assert len(answers.asked) == 2, answers.asked
    # The overtaken answer was never shown: the figures swapped in were the last filter's only.
    swapped = page.evaluate("window.swappedPeriods")
    assert len(swapped) == 1 and "2020 to 2022" in swapped[0] and "Agency: PSP" in swapped[0], swapped

    # The same again at the server's own pace, nothing held: a burst of changes and the submit.
    page.locator("#f-agency").select_option("DSAL")
    page.locator("#f-from").select_option("2019")
    page.locator("#f-to").select_option("2021")
    page.locator("#f-agency").select_option("PSP")
    page.locator("#f-from").select_option("2021")
    page.get_by_role("button", name="Apply").click()
    page.locator("#f-to").select_option("2023")
    last = {"from": "2021", "to": "2023", "agency": "PSP"}
    _settled(page, last)
    _check_figures(page, base, last)
    pages.shot(page, "dashboard-after-burst")


def test_back_and_forward_redraw_the_figures_htmx_kept(pages, city):
    """Back to figures htmx kept (each filter's answer pushes its address): drawn again, the
    parish map too, nothing left busy, and nothing the CSP refuses. The copy htmx keeps is taken
    while the next answer is on its way, so it was busy and carried the charts' and the map's
    inline styles; put back, the charts were blank canvases."""
    base = pages.base_url
    page = pages.new_page()
    sign_in(page, base, "andy", PASSWORD, next_path="/statistics/")
    page.locator("#chart-inspections").wait_for()
    answers = HeldAnswers(page, lambda url: "/statistics/?" in url)

    page.locator("#f-from").select_option("2019")
    page.locator("#f-to").select_option("2023")
    page.locator("#f-agency").select_option("DSAL")
    first = {"from": "2019", "to": "2023", "agency": "DSAL"}
    _settled(page, first)
    # The next answer held: htmx keeps its copy of the page now, with the request on its way.
    answers.holding = True
    page.locator("#f-agency").select_option("PSP")
    expect(page.locator("#dashboard-results")).to_have_attribute("aria-busy", "true")
    answers.release()
    second = {"from": "2019", "to": "2023", "agency": "PSP"}
    _settled(page, second)
    _check_figures(page, base, second)

    page.go_back()
    _settled(page, first)
    expect(page.locator("#f-agency")).to_have_value("DSAL")
    _check_figures(page, base, first)
    page.go_forward()
    _settled(page, second)
    expect(page.locator("#f-agency")).to_have_value("PSP")
    _check_figures(page, base, second)
