"""The colours of the analysts' charts: one list for the console (Chart.js in
``static/reporting/js/charts.js``, the legends' swatches in ``reporting.css``: ``.swatch.series-N``)
and for the yearly report's PDF (``render.py``), so a series has one colour wherever it is drawn.
A category keeps its colour by its place among the categories, whichever of them a chart shows
and in whatever order, and so does a hotline among the hotlines (from the palette's second
colour, so the 24-hour hotline is not the first category's blue), and a finding's severity has a
colour of its own, from blue (low) to red (critical); any other series takes the colours in its
order. Colours distinguishable by most readers and dark enough on white (each chart has a table
with the same figures)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypeVar

from backend.inspections.models import Category
from backend.outreach.models import HotlineCall

SERIES_COLOURS = (
    "#1f4e79",
    "#c55a11",
    "#548235",
    "#7030a0",
    "#8a6d00",
    "#2e75b6",
    "#6b6b6b",
    "#a4161a",
    "#0b6e6e",
    "#5c3d99",
)


# The dimensions whose values keep one colour each: their values in order, and the first colour.
_OWN_COLOURS = {"category": (Category.values, 0), "hotline": (HotlineCall.Hotline.values, 1)}
# A finding's severity is read by its colour: from blue (low) through yellow and orange to red
# (critical), never critical in green or medium in the first category's blue, as their order gave.
SEVERITY_COLOURS = {"low": 5, "medium": 4, "high": 1, "critical": 7}


def series_colour(dimension: str | None, value: Any, index: int) -> int:
    """The index in ``SERIES_COLOURS`` of a chart's series: a category's, a hotline's or a
    severity's own, else its order."""
    if dimension == "severity" and value in SEVERITY_COLOURS:
        return SEVERITY_COLOURS[value]
    values, first = _OWN_COLOURS.get(dimension or "", ((), 0))
    if value in values:
        return (list(values).index(value) + first) % len(SERIES_COLOURS)
    return index % len(SERIES_COLOURS)


T = TypeVar("T")


def legend_order(series: Sequence[T]) -> list[T]:
    """How a stacked bar chart orders its series and its legend, on the console (Chart.js:
    ``pages.chart_data``, ``static/reporting/js/charts.js``) and in the yearly report's PDF
    (ReportLab: ``render.py``) alike. The series stack in the order of the table's columns (a
    category's or a hotline's declared order, as the filters list them) from the axis up: the
    first at the bottom, where its bars stand on a common base and compare year to year. The
    legend names them as the stack reads from the top down, the last series first, so the legend
    and the bars read in one order. (The dashboard and the breakdown stacked the categories by
    their codes and listed the bottom one first; the PDF stacked them in their declared order and
    listed the bottom one at the top; its hotlines stood side by side.)

    ``series`` in stacking order (bottom first); returns them in the legend's order."""
    return list(reversed(series))
