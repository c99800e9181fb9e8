"""A stacked bar chart stacks its series and orders its legend alike on the dashboard, on the
breakdown and in the yearly report's PDF (``palette.legend_order``): the series in the order of
the table's columns, a category's or a hotline's declared order, from the axis up; the legend from
the top of the stack down. The console stacked the categories by their codes and listed the bottom
one first; the PDF stacked them in their declared order and listed the bottom one at the top, and
drew its hotlines side by side (found walking the analyst's path)."""

from __future__ import annotations

import html
import json
import re
from urllib.parse import urlencode

import pytest
from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.shapes import Group, Rect

from backend.inspections.models import Category
from backend.outreach.models import HotlineCall
from backend.reporting.palette import SERIES_COLOURS
from backend.reporting.render import chart_hotline, chart_inspections_per_year

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("history")]

CHARTS = [
    (chart_inspections_per_year, {"measure": "inspections", "rows": "year", "columns": "category"}, Category),
    (chart_hotline, {"measure": "calls", "rows": "year", "columns": "hotline"}, HotlineCall.Hotline),
]
PERIOD = {"from": "2019", "to": "2023"}


def _shapes(group):
    for item in group.contents:
        if isinstance(item, Group):
            yield from _shapes(item)
        else:
            yield item


def _pdf_chart(drawing):
    """The PDF chart's series colours from the axis up, checked against the bars drawn, and its
    legend's colours from the top down."""
    [chart] = [item for item in drawing.contents if isinstance(item, VerticalBarChart)]
    [legend] = [item for item in drawing.contents if isinstance(item, Legend)]
    assert chart.categoryAxis.style == "stacked"
    series = [chart.bars[i].fillColor.hexval() for i in range(len(chart.data))]
    bars = [s for s in _shapes(chart.draw()) if isinstance(s, Rect) and s.height > 0.01 and s.fillColor]
    assert bars
    for x in {round(b.x, 2) for b in bars}:
        upwards = [b.fillColor.hexval() for b in sorted(bars, key=lambda b: b.y) if round(b.x, 2) == x]
        assert upwards == [c for c in series if c in upwards], "the first series at the bottom"
    return series, [colour.hexval() for colour, _name in legend.colorNamePairs]


def _console_chart(client, params):
    page = client.get(f"/statistics/breakdown/?{urlencode({**params, **PERIOD})}").content.decode()
    chart = json.loads(html.unescape(re.search(r'id="breakdown-chart" data-json="([^"]*)"', page)[1]))
    series = [SERIES_COLOURS[d["colour"]] for d in chart["datasets"]]
    return series, [series[i] for i in chart["legend"]], [d["label"] for d in chart["datasets"]]


def _hex(colour):
    return "0x" + colour.lstrip("#").lower()


@pytest.mark.parametrize(("build", "params", "choices"), CHARTS)
def test_the_console_and_the_pdf_stack_alike_and_the_legend_reads_from_the_top(
    analyst, build, params, choices
):
    pdf_series, pdf_legend = _pdf_chart(build(2019, 2023))
    console_series, console_legend, labels = _console_chart(analyst, params)
    assert len(console_series) >= 2
    # Stacked from the axis up in the declared order (as the filters list them), not the codes'.
    declared = [str(label) for label in choices.labels]
    assert labels == [label for label in declared if label in labels]
    assert [_hex(c) for c in console_series] == [c for c in pdf_series if c in map(_hex, console_series)]
    # The legend from the top of the stack down, on both.
    assert console_legend == console_series[::-1]
    assert pdf_legend == pdf_series[::-1]


def test_the_dashboards_categories_stack_as_the_breakdowns(analyst):
    page = analyst.get(f"/statistics/?{urlencode(PERIOD)}").content.decode()
    charts = json.loads(html.unescape(re.search(r'id="dashboard-data" data-json="([^"]*)"', page)[1]))
    inspections = charts["inspections"]
    _series, _legend, labels = _console_chart(analyst, CHARTS[0][1])
    assert [d["label"] for d in inspections["datasets"]] == labels
    assert inspections["legend"] == list(range(len(labels)))[::-1]
