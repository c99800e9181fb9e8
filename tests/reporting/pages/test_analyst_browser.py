"""An analyst's day in a real browser: sign in through the sign-in page, filter the dashboard
(chart and table follow), build a breakdown, download its XLSX (the API's figures), open the
yearly report and its PDF in Chinese; axe on each page, the dashboard once at phone width."""

from __future__ import annotations

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from tests.browser_support import PHONE, axe_check, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct-horse-battery"


def _drawn(page, canvas_id):
    """Wait for a chart drawn on a canvas still in the page, with its size set."""
    page.wait_for_function(
        "id => { const c = Chart.getChart(id);"
        " return !!c && c.canvas.isConnected && c.canvas.hasAttribute('width') }",
        arg=canvas_id,
    )


def _kpi(page, measure):
    return page.locator(f'li[data-measure="{measure}"] .value').get_attribute("data-value")


def test_analyst_filters_builds_downloads_and_reads_the_report(pages, city, tmp_path):
    base = pages.base_url
    page = pages.new_page()
    sign_in(page, base, "andy", PASSWORD, next_path="/statistics/")
    assert page.url.endswith("/statistics/")
    _drawn(page, "chart-inspections")
    axe_check(page)
    pages.shot(page, "dashboard")

    # Filter: the tiles, the table and the chart follow, and equal the API's figures.
    everything = _kpi(page, "inspections")
    with page.expect_response(lambda r: "/statistics/?" in r.url):
        page.get_by_label("Agency").select_option("DSAL")
    page.wait_for_url("**/statistics/?agency=DSAL")  # pushed once the new figures are swapped in
    _drawn(page, "chart-inspections")
    dsal = _kpi(page, "inspections")
    api = page.request.get(f"{base}/api/v1/statistics/query/?measure=inspections&agency=DSAL").json()
    assert int(dsal) == api["totals"]["inspections"] and dsal != everything
    chart_total = page.evaluate(
        "Chart.getChart('chart-inspections').data.datasets.flatMap(d => d.data).reduce((a, b) => a + b, 0)"
    )
    table_total = page.locator('table[data-measure="inspections"] td[data-total]').first
    table_total = table_total.get_attribute("data-value")
    assert chart_total == int(table_total) == api["totals"]["inspections"]
    # The parish map: one circle for each parish where DSAL inspected, as the API counts them.
    by_parish = page.request.get(f"{base}/api/v1/statistics/query/?measure=inspections&by=parish&agency=DSAL")
    inspected = [r for r in by_parish.json()["rows"] if r["inspections"]]
    circles = page.locator("#parish-map path.leaflet-interactive")
    assert len(inspected) > 1
    expect(circles).to_have_count(len(inspected))
    axe_check(page)
    pages.shot(page, "dashboard-dsal")

    # A breakdown: hotline calls by year and hotline, built with the form alone.
    page.get_by_role("link", name="Breakdowns").first.click()
    page.wait_for_load_state()
    # With the keyboard: a new measure redraws the form for its source, and focus stays put.
    page.locator("#bd-measure").focus()
    with page.expect_response(lambda r: "/statistics/breakdown/?" in r.url):
        page.keyboard.press("ArrowDown")
    # The form is swapped in after the response: its measure carries data-focus (the old one did not).
    expect(page.locator("#bd-measure[data-focus]")).to_be_attached()
    page.wait_for_function("() => document.activeElement && document.activeElement.id === 'bd-measure'")
    with page.expect_response(lambda r: "/statistics/breakdown/?" in r.url):
        page.get_by_label("Measure").select_option("calls")
    page.locator("#bd-columns").select_option("hotline")
    page.locator("#bd-from").select_option("2019")
    page.locator("#bd-to").select_option("2023")
    with page.expect_response(lambda r: "/statistics/breakdown/?" in r.url):
        page.get_by_role("button", name="Show").click()
    # The URL is pushed as the result is swapped in; until then the chart of the measure's
    # change is still drawn and the URL is the one before.
    page.wait_for_url(lambda url: "measure=calls" in url and "columns=hotline" in url)
    _drawn(page, "chart-breakdown")
    assert "measure=calls" in page.url and "columns=hotline" in page.url
    axe_check(page)
    pages.shot(page, "breakdown")

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download data, one line per group (XLSX)").click()
    path = tmp_path / "breakdown.xlsx"
    download_info.value.save_as(path)
    sheet = load_workbook(path)["data"]
    header, *rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    api = page.request.get(
        f"{base}/api/v1/statistics/query/?measure=calls&by=year,hotline&from=2019&to=2023"
    ).json()
    assert header == ["year", "hotline", "calls"]
    assert rows == [[r["year"], r["hotline"], r["calls"]] for r in api["rows"]]

    # The yearly report: the page, then its PDF in Traditional Chinese.
    page.get_by_role("link", name="Yearly report").first.click()
    page.locator("#r-from").select_option("2019")
    page.locator("#r-to").select_option("2023")
    page.get_by_role("button", name="Open the report").click()
    page.wait_for_load_state()
    assert page.url.endswith("/statistics/report/2019-2023/")
    assert page.get_by_role("heading", name="Law enforcement").is_visible()
    axe_check(page)
    pages.shot(page, "report")
    href = page.locator('a.pdf-link[data-lang="zh-hant"]').get_attribute("href")
    pdf = page.request.get(base + href)
    assert pdf.status == 200 and pdf.headers["content-type"] == "application/pdf"
    assert pdf.body().startswith(b"%PDF")

    # At phone width, in Chinese: nothing wider than the screen.
    phone = pages.new_page(viewport=PHONE, locale="zh-TW")
    sign_in(phone, base, "andy", PASSWORD, next_path="/statistics/")
    _drawn(phone, "chart-inspections")
    assert phone.locator("html").get_attribute("lang") == "zh-Hant"
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    axe_check(phone)
    pages.shot(phone, "dashboard-phone-zh")
    for name, path in (
        ("breakdown", "/statistics/breakdown/?measure=inspections&rows=year,agency&columns=category"),
        ("report", "/statistics/report/2019-2023/"),
    ):
        phone.goto(base + path)
        assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"), path
        pages.shot(phone, f"phone-zh-{name}")
