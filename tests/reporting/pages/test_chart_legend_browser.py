"""Every series of a chart is named in its legend, however narrow the screen. Chart.js gives its
own legend at most half the chart's height and leaves out the entries that do not fit: on a phone
in Portuguese the dashboard's "Inspections conducted, by category" named five categories of six,
so nothing said which colour was "prostituição e tráfico de pessoas". The legend is now a list
under the chart that wraps as text does; at desktop width it names them all as well. It names them
from the top of the stack down, as the yearly report's PDF does (``palette.legend_order``)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser_support import DESKTOP, PHONE, axe_check, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct-horse-battery"

SERIES = "id => Chart.getChart(id).data.datasets.map((set) => [set.label, set.backgroundColor])"
LEGEND = """id => [...document.getElementById(id).closest('.chart-box').nextElementSibling
  .querySelectorAll('li')].map((li) => {
    const box = li.getBoundingClientRect();
    const swatch = li.querySelector('.swatch');
    return {text: li.textContent.trim(), colour: getComputedStyle(swatch).backgroundColor,
            shown: li.checkVisibility() && box.height > 0, left: box.left, right: box.right};
  })"""


# The first series stands on the axis (palette.legend_order: stacked from the axis up in the
# table's order, the legend naming them from the top down).
FIRST_ON_AXIS = """id => { const c = Chart.getChart(id); const axis = c.scales.y.getPixelForValue(0);
  return c.getDatasetMeta(0).data.every(
    (bar, i) => !c.data.datasets[0].data[i] || Math.abs(bar.base - axis) < 1); }"""


def _drawn(page, canvas_id):
    page.wait_for_function(
        "id => { const c = Chart.getChart(id);"
        " return !!c && c.canvas.isConnected && c.canvas.hasAttribute('width') }",
        arg=canvas_id,
    )


def _rgb(hex_colour):
    value = hex_colour.lstrip("#")
    return "rgb({}, {}, {})".format(*(int(value[i : i + 2], 16) for i in (0, 2, 4)))


@pytest.mark.parametrize(("viewport", "locale"), [(PHONE, "pt"), (PHONE, "zh-Hant"), (DESKTOP, "en")])
def test_each_category_is_named_in_the_legend(pages, city, viewport, locale):
    page = pages.new_page(viewport=viewport, locale=locale)
    sign_in(page, pages.base_url, "andy", PASSWORD, next_path="/statistics/")
    for canvas in ("chart-inspections", "chart-findings"):
        _drawn(page, canvas)
        series = page.evaluate(SERIES, canvas)
        assert len(series) >= 2, series
        legend = page.evaluate(LEGEND, canvas)
        assert [entry["text"] for entry in legend] == [label for label, _ in reversed(series)]
        assert page.evaluate(FIRST_ON_AXIS, canvas)
        width = viewport["width"]
        for entry, (_, colour) in zip(legend, reversed(series), strict=True):
            assert entry["shown"] and entry["left"] >= 0 and entry["right"] <= width, entry
            assert entry["colour"] == _rgb(colour), (entry, colour)
    if locale == "pt":
        expect(
            page.locator(".chart-legend li", has_text="prostituição e tráfico de pessoas").first
        ).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
    axe_check(page, exclude=["#parish-map"])
    pages.shot(page, "legend")


def test_the_breakdowns_legend_follows_a_new_question(pages, city):
    page = pages.new_page(viewport=PHONE, locale="pt")
    sign_in(page, pages.base_url, "andy", PASSWORD)
    page.goto(f"{pages.base_url}/statistics/breakdown/?measure=inspections&rows=year&columns=category")
    _drawn(page, "chart-breakdown")
    assert len(page.evaluate(LEGEND, "chart-breakdown")) == len(page.evaluate(SERIES, "chart-breakdown"))
    with page.expect_response(lambda r: "/statistics/breakdown/?" in r.url):
        page.locator("#bd-columns").select_option("agency")
        page.locator("#breakdown-form button[type=submit]").first.click()
    page.wait_for_url("**columns=agency**")
    _drawn(page, "chart-breakdown")
    series = page.evaluate(SERIES, "chart-breakdown")
    legend = page.evaluate(LEGEND, "chart-breakdown")
    assert [entry["text"] for entry in legend] == [label for label, _ in reversed(series)]
    assert page.evaluate(FIRST_ON_AXIS, "chart-breakdown")
    # One legend under the chart, never a second one left over from the last answer.
    expect(page.locator("#breakdown .chart-legend")).to_have_count(1)


def test_a_chart_of_a_few_people_steps_by_whole_people(pages, city):
    # Referrals by year count two or three people a year: Chart.js's own ticks went 0, 0,5, 1,
    # 1,5 … "pessoas" up the axis. Every measure is a count; its axis steps by whole numbers.
    page = pages.new_page(viewport=PHONE, locale="pt")
    sign_in(page, pages.base_url, "andy", PASSWORD)
    page.goto(f"{pages.base_url}/statistics/breakdown/?measure=referrals&rows=year")
    _drawn(page, "chart-breakdown")
    ticks = page.evaluate("Chart.getChart('chart-breakdown').scales.y.ticks.map((t) => t.value)")
    assert len(ticks) >= 2 and all(float(t).is_integer() for t in ticks), ticks


def test_a_suppressed_count_is_marked_on_the_chart_not_left_as_a_blank(pages, city):
    # Referrals by year and sex: some counts of people are too small to show. The chart drew no
    # bar for them, which read as "none"; each now carries the table's mark, which the legend says.
    page = pages.new_page(viewport=DESKTOP, locale="pt")
    sign_in(page, pages.base_url, "andy", PASSWORD)
    page.goto(
        f"{pages.base_url}/statistics/breakdown/?measure=referrals&rows=year,nationality_band&columns=sex"
    )
    _drawn(page, "chart-breakdown")
    data = page.evaluate("id => Chart.getChart(id).data.datasets.map((set) => set.data)", "chart-breakdown")
    hidden = sorted({i for values in data for i, v in enumerate(values) if v is None})
    assert hidden, "the example should have a suppressed count"
    marks = page.evaluate("id => Chart.getChart(id).$suppressed", "chart-breakdown")
    assert [m["index"] for m in marks] == hidden
    box = page.evaluate("id => Chart.getChart(id).chartArea", "chart-breakdown")
    for mark in marks:
        assert box["left"] <= mark["x"] <= box["right"] and box["top"] <= mark["y"] <= box["bottom"], mark
    expect(page.locator("#breakdown .chart-legend .suppressed-note")).to_have_text(
        "— : uma contagem pequena de pessoas, ocultada"
    )
    pages.shot(page, "suppressed")
    # A chart with every count shown has no mark and no such line.
    page.goto(f"{pages.base_url}/statistics/breakdown/?measure=inspections&rows=year&columns=category")
    _drawn(page, "chart-breakdown")
    assert page.evaluate("id => Chart.getChart(id).$suppressed", "chart-breakdown") == []
    expect(page.locator("#breakdown .chart-legend .suppressed-note")).to_have_count(0)
    axe_check(page)


@pytest.mark.parametrize("locale", ["pt", "zh-Hant"])
def test_the_breakdowns_downloads_keep_to_a_line_each_on_a_phone(pages, city, locale):
    """The table's and the data's downloads, two formats each: six buttons one under the other
    filled a phone's screen before the chart. Each download is a line: its name, CSV, XLSX; each
    link still says the whole of what it downloads."""
    page = pages.new_page(viewport=PHONE, locale=locale)
    sign_in(page, pages.base_url, "andy", PASSWORD)
    page.goto(f"{pages.base_url}/statistics/breakdown/?measure=inspections&rows=year&columns=category")
    _drawn(page, "chart-breakdown")
    groups = page.locator("#breakdown-results .toolbar .downloads")
    expect(groups).to_have_count(2)
    for index in range(2):
        group = groups.nth(index)
        tops = group.locator("a").evaluate_all("links => links.map((a) => a.getBoundingClientRect().top)")
        assert len(tops) == 2 and abs(tops[0] - tops[1]) < 1, tops
        box = group.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], box
    expect(page.get_by_role("link", name="CSV", exact=True)).to_have_count(0)  # each named in full
    pages.shot(page, f"breakdown-downloads-{locale}")
