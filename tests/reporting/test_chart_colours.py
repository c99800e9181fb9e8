"""A category has one colour on every chart: the dashboard's and the breakdown's (Chart.js) and
the yearly report's PDF. The dashboard sorted its columns by code and coloured them in that
order, the report coloured the categories it had in their declared order, each from a palette
of its own: illegal employment was orange in one, olive in the other (found walking the
analyst's path)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from reportlab.lib import colors

from backend.inspections.models import Category
from backend.reporting.pages import Pivot, chart_data
from backend.reporting.palette import SERIES_COLOURS, series_colour

STATIC = Path(__file__).resolve().parents[2] / "backend" / "reporting" / "static" / "reporting"


def test_the_console_and_the_pdf_share_one_palette():
    script = (STATIC / "js" / "charts.js").read_text(encoding="utf-8")
    palette = re.search(r"var PALETTE = \[([^\]]*)\]", script)[1]
    assert tuple(re.findall(r'"(#[0-9a-f]{6})"', palette)) == SERIES_COLOURS
    css = (STATIC / "reporting.css").read_text(encoding="utf-8")
    swatches = dict(re.findall(r"\.swatch\.series-(\d+) \{ background: (#[0-9a-f]{6}); \}", css))
    assert [swatches[str(i)] for i in range(len(SERIES_COLOURS))] == list(SERIES_COLOURS)


def _pivot(values):
    return Pivot(
        measure="inspections",
        label="Inspections",
        unit="",
        row_dims=[{"id": "year", "label": "year"}],
        column_dim={"id": "category", "label": "category"},
        columns=[{"value": v, "label": v} for v in values],
        rows=[{"labels": ["2023"], "cells": [1] * len(values), "total": len(values)}],
    )


def test_a_category_keeps_its_colour_whichever_categories_a_chart_shows():
    every = list(Category.values)
    some = sorted(every)[1:]  # as the dashboard orders them (by code), one left out
    first = {d["label"]: d["colour"] for d in chart_data(_pivot(every))["datasets"]}
    second = {d["label"]: d["colour"] for d in chart_data(_pivot(some))["datasets"]}
    assert all(second[c] == first[c] == every.index(c) for c in some)
    assert len(set(first.values())) == len(every)  # no two categories alike


@pytest.mark.django_db
def test_the_reports_chart_colours_its_categories_as_the_console_does(history):
    from reportlab.graphics.charts.legends import Legend

    from backend.reporting.render import chart_inspections_per_year

    drawing = chart_inspections_per_year(2019, 2023)
    [legend] = [item for item in drawing.contents if isinstance(item, Legend)]
    labels = {str(Category(c).label): c for c in Category.values}
    for colour, label in legend.colorNamePairs:
        code = labels[label]
        expected = colors.HexColor(SERIES_COLOURS[series_colour("category", code, 0)])
        assert colour.hexval() == expected.hexval(), label


def test_a_hotline_keeps_the_colour_the_report_gives_it():
    """The console coloured the hotlines of a breakdown by their order in the table: the forced
    labour hotline alone (the 24-hour one had no calls in the period, or came second) took the
    first category's blue, while the report's PDF drew it in olive-green."""
    from backend.outreach.models import HotlineCall

    lines = list(HotlineCall.Hotline.values)
    pivot = _pivot(list(reversed(lines)))
    pivot.column_dim = {"id": "hotline", "label": "hotline"}
    both = {d["label"]: d["colour"] for d in chart_data(pivot)["datasets"]}
    pivot.columns = [{"value": lines[-1], "label": lines[-1]}]
    alone = {d["label"]: d["colour"] for d in chart_data(pivot)["datasets"]}
    assert both == {h: i + 1 for i, h in enumerate(lines)}
    assert alone == {lines[-1]: len(lines)}


@pytest.mark.django_db
def test_the_reports_hotline_chart_colours_them_as_the_console_does(history):
    from reportlab.graphics.charts.legends import Legend

    from backend.outreach.models import HotlineCall
    from backend.reporting.render import chart_hotline

    drawing = chart_hotline(2019, 2023)
    [legend] = [item for item in drawing.contents if isinstance(item, Legend)]
    labels = {str(HotlineCall.Hotline(h).label): h for h in HotlineCall.Hotline.values}
    assert len(legend.colorNamePairs) == len(labels)
    for colour, label in legend.colorNamePairs:
        expected = colors.HexColor(SERIES_COLOURS[series_colour("hotline", labels[label], 0)])
        assert colour.hexval() == expected.hexval(), label


def test_a_findings_severity_reads_from_blue_to_red():
    """The dashboard's findings by severity took the colours in their order: medium the first
    category's blue, high orange and critical green (the walk in Chinese: 嚴重 in green)."""
    pivot = _pivot(["medium", "high", "critical"])
    pivot.column_dim = {"id": "severity", "label": "severity"}
    colours = {d["label"]: SERIES_COLOURS[d["colour"]] for d in chart_data(pivot)["datasets"]}
    assert colours == {"medium": "#8a6d00", "high": "#c55a11", "critical": "#a4161a"}
    pivot.columns = [{"value": "critical", "label": "critical"}]
    assert SERIES_COLOURS[chart_data(pivot)["datasets"][0]["colour"]] == "#a4161a"  # alone, still red
    assert series_colour("severity", "low", 0) not in {series_colour("severity", s, 0) for s in colours}
