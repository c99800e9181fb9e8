"""The report as HTML and as PDF, in the active language (en, zh-hant or pt).

Both are built from one context (``report_context``): the figures by chapter and four charts
drawn once with reportlab's graphics (pure Python): inspections per year by category, the
category breakdown, a schematic map of inspections by parish (parish centres from
``data/parishes.json``, circles sized by count) and hotline calls per year. The PDF places the
drawings directly; the HTML embeds them as SVG. Traditional Chinese needs a TrueType font
(``REPORT_CJK_FONT``), embedded as a subset in its Traditional Chinese (TW, else HK) face; without
one the Chinese PDF is refused with a message naming the setting, never drawn blank.

Numbers follow the active language's format (``1,426`` in English and Chinese, ``1.426`` in
Portuguese) in tables and charts alike; a year is a year (``2007``), never ``2,007``. The PDF
has a cover, a table of contents and numbered pages; chapters follow each other without a page
break of their own.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import logging
import math
import re
from functools import cache
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from reportlab.graphics import renderSVG
from reportlab.graphics.charts.barcharts import HorizontalBarChart, VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.shapes import Circle, Drawing, Line, String
from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Frame,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus.tableofcontents import TableOfContents

from backend.core.errors import DomainError
from backend.core.i18n import language_key
from backend.core.pdf_fonts import EMBEDDED_CJK_FONT, cjk_font
from backend.inspections.models import Category
from backend.outreach.models import HotlineCall
from backend.reporting.models import PublishedReport
from backend.reporting.palette import SERIES_COLOURS, legend_order, series_colour
from backend.reporting.report import SECTIONS, report_figures
from backend.reporting.statistics import PARISH_LABELS, Query, aggregate

PARISHES_FILE = Path(__file__).parent / "data" / "parishes.json"
logger = logging.getLogger(__name__)


class ReportFontMissing(DomainError):
    """The Chinese report needs a TrueType font with Traditional Chinese; there is none."""

    code = "report_font_missing"
    status = 503
    title = _("The Chinese report cannot be drawn: no Chinese font is installed.")


PALETTE = [colors.HexColor(c) for c in SERIES_COLOURS]  # the console's charts' (palette.py)
CHART_WIDTH = 170 * mm


@cache
def _parishes() -> list[dict[str, Any]]:
    return json.loads(PARISHES_FILE.read_text(encoding="utf-8"))["parishes"]


def _font() -> str:
    if (translation.get_language() or "en").lower().startswith("zh"):
        return _cjk_font()
    return "Helvetica"


def _cjk_font() -> str:
    """Traditional Chinese for the PDF (``backend.core.pdf_fonts``); without a usable font the
    report is refused, naming the setting."""
    name = cjk_font()
    if name is not None:
        return name
    raise ReportFontMissing(
        gettext(
            "Set REPORT_CJK_FONT to a TrueType font with Traditional Chinese (e.g. Debian's "
            "fonts-arphic-uming: /usr/share/fonts/truetype/arphic/uming.ttc); %(path)s cannot be used."
        )
        % {"path": settings.REPORT_CJK_FONT or '""'}
    )


def _bold() -> str:
    font = _font()
    return font if font.startswith(EMBEDDED_CJK_FONT) else "Helvetica-Bold"


def _count(value: float) -> str:
    """A count in the active language's format, grouped (tables, bar labels, axes alike)."""
    return number_format(int(value), force_grouping=True)


def _number(value: Any, *, year: bool = False) -> str:
    """A figure's value as the PDF prints it, punctuated in the active language's way (per-year
    figures "2019：1；2022：1" and names "A、B" in Chinese, as its tables and the console write)."""
    if value is None:
        return gettext("suppressed")
    if isinstance(value, int):
        return str(value) if year else _count(value)
    if isinstance(value, list):
        if value and isinstance(value[0], dict):
            parts = []
            for row in value:
                n = next(v for k, v in row.items() if k != "year")
                parts.append(gettext("%(year)s: %(count)s") % {"year": row["year"], "count": _number(n)})
            return gettext("; ").join(parts) or "0"
        return gettext(", ").join(str(v) for v in value) or "—"
    return str(value)


def _legend_names(names: list[str], room: float, font: str, size: float) -> list[str]:
    """Each name broken into lines of at most ``room`` points (a legend beside its chart ran past
    the drawing's right edge, cut off on the page, with Portuguese's long category and hotline
    names): between words, or between characters for a name without spaces (Chinese)."""
    out = []
    for name in names:
        words = name.split(" ") if " " in name else list(name)
        joiner = " " if " " in name else ""
        lines: list[str] = []
        for word in words:
            if lines and pdfmetrics.stringWidth(lines[-1] + joiner + word, font, size) <= room:
                lines[-1] += joiner + word
            else:
                lines.append(word)
        out.append("\n".join(lines))
    return out


def _legend(drawing: Drawing, x: float, y: float, pairs: list[tuple[Any, str]]) -> None:
    """The legend of a chart, one column beside it from (x, y) down, its names wrapped to end
    inside the drawing."""
    legend = Legend()
    legend.x, legend.y = x, y
    legend.fontName, legend.fontSize = _font(), 7
    legend.columnMaximum = 10  # one column beside the chart: it must not run off the page
    legend.alignment = "right"
    room = drawing.width - x - legend.dx - legend.dxTextSpace - 2
    names = _legend_names([name for _colour, name in pairs], room, legend.fontName, legend.fontSize)
    legend.colorNamePairs = [(colour, name) for (colour, _name), name in zip(pairs, names, strict=True)]
    drawing.add(legend)


# --- Charts --------------------------------------------------------------------------------------


def _title(drawing: Drawing, text: str, width: float, height: float) -> None:
    drawing.add(String(0, height - 12, text, fontName=_bold(), fontSize=10))


def chart_inspections_per_year(year_from: int, year_to: int) -> Drawing:
    result = aggregate(
        Query(
            measures=["inspections"],
            by=["year", "category"],
            date_from=dt.date(year_from, 1, 1),
            date_to=dt.date(year_to, 12, 31),
        )
    )
    years = list(range(year_from, year_to + 1))
    categories = [c for c in Category.values if any(r["category"] == c for r in result.rows)] or [
        Category.values[0]
    ]
    cells = {(r["year"], r["category"]): r["inspections"] for r in result.rows}
    height = 230
    drawing = Drawing(CHART_WIDTH, height)
    _title(drawing, gettext("Inspections per year, by category"), CHART_WIDTH, height)
    chart = VerticalBarChart()
    chart.x, chart.y, chart.width, chart.height = 40, 30, CHART_WIDTH * 0.55, height - 60
    chart.data = [[cells.get((y, c), 0) for y in years] for c in categories]
    chart.categoryAxis.categoryNames = [str(y) for y in years]
    chart.categoryAxis.style = "stacked"
    chart.categoryAxis.labels.fontName = chart.valueAxis.labels.fontName = _font()
    chart.valueAxis.valueMin = 0
    chart.valueAxis.labelTextFormat = _count
    for i, c in enumerate(categories):
        chart.bars[i].fillColor = PALETTE[series_colour("category", c, i)]
        chart.bars[i].strokeColor = None
    drawing.add(chart)
    _legend(
        drawing,
        chart.x + chart.width + 15,
        height - 35,
        legend_order(
            [
                (PALETTE[series_colour("category", c, i)], str(Category(c).label))
                for i, c in enumerate(categories)
            ]
        ),
    )
    return drawing


def chart_categories(year_from: int, year_to: int) -> Drawing:
    result = aggregate(
        Query(
            measures=["inspections"],
            by=["category"],
            date_from=dt.date(year_from, 1, 1),
            date_to=dt.date(year_to, 12, 31),
        )
    )
    rows = sorted(result.rows, key=lambda r: r["inspections"]) or [
        {"category": Category.values[0], "inspections": 0}
    ]
    # The value axis's labels hang below the chart: room for them whole, their commas' tails too
    # (cut at the drawing's edge on the page, "2,000" read "2.000").
    height = 50 + 22 * len(rows)
    drawing = Drawing(CHART_WIDTH, height)
    _title(drawing, gettext("Inspections by category"), CHART_WIDTH, height)
    chart = HorizontalBarChart()
    chart.x, chart.y, chart.width, chart.height = 190, 25, CHART_WIDTH - 230, height - 50
    chart.data = [[r["inspections"] for r in rows]]
    chart.categoryAxis.categoryNames = [str(Category(r["category"]).label) for r in rows]
    chart.categoryAxis.labels.fontName = chart.valueAxis.labels.fontName = _font()
    chart.categoryAxis.labels.fontSize = 8
    chart.valueAxis.valueMin = 0
    chart.valueAxis.labelTextFormat = _count
    chart.bars[0].fillColor = PALETTE[0]
    chart.barLabelFormat = _count
    chart.barLabels.fontName, chart.barLabels.fontSize = _font(), 7
    chart.barLabels.dx = 12
    drawing.add(chart)
    return drawing


Box = tuple[float, float, float, float]  # x0, y0, x1, y1
LABEL_SIZE = 7
LABEL_DESCENT = 2  # a label's box starts this far below its baseline
LABEL_GAP = 3  # points kept between a label and any circle, or another label


def _overlap(a: Box, b: Box) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _on_circle(box: Box, circle: tuple[float, float, float]) -> bool:
    """Whether ``box`` comes within LABEL_GAP of the circle (the box's nearest point to its centre)."""
    x, y, radius = circle
    near_x, near_y = min(max(x, box[0]), box[2]), min(max(y, box[1]), box[3])
    return math.hypot(near_x - x, near_y - y) < radius + LABEL_GAP


def _label_box(
    label: str,
    circle: tuple[float, float, float],
    circles: list[tuple[float, float, float]],
    placed: list[Box],
    area: Box,
) -> Box:
    """The box of ``label`` nearest its circle, beside it (right first, else left), that lies on
    no circle and no label already placed and inside ``area``. The peninsula's five parishes lie
    within a few millimetres: a name beside its circle lay on the neighbour's (St Anthony's on St
    Lazarus's, St Lawrence's on the Cathedral's), the wider Chinese names across it. Moving up or
    down along a side costs more than changing sides; a name pushed away gets a leader line."""
    width = pdfmetrics.stringWidth(label, _font(), LABEL_SIZE)
    height = LABEL_SIZE + LABEL_DESCENT
    x, y, radius = circle
    candidates = []
    for step in range(-12, 13):
        for side in (1, -1):
            for push in (1, 12, 24, 48):  # 1: clear of the gap whatever the rounding
                x0 = x + radius + LABEL_GAP + push if side == 1 else x - radius - LABEL_GAP - push - width
                y0 = y - height / 2 + step * (height + LABEL_GAP) / 2
                cost = abs(step) * 2 + push / 6 + (0 if side == 1 else 3)
                candidates.append((cost, (x0, y0, x0 + width, y0 + height)))
    candidates.sort(key=lambda c: c[0])

    def free(box: Box) -> bool:
        inside = area[0] <= box[0] and box[2] <= area[2] and area[1] <= box[1] and box[3] <= area[3]
        grown = (box[0] - LABEL_GAP, box[1] - LABEL_GAP, box[2] + LABEL_GAP, box[3] + LABEL_GAP)
        return (
            inside
            and not any(_on_circle(box, c) for c in circles)
            and not any(_overlap(grown, other) for other in placed)
        )

    for _cost, box in candidates:
        if free(box):
            return box
    # More crowded than Macao's eight ever are: on no other label at least.
    return next(
        (box for _cost, box in candidates if not any(_overlap(box, other) for other in placed)),
        candidates[0][1],
    )


def chart_parish_map(year_from: int, year_to: int) -> Drawing:
    """A schematic map: each parish centre a circle whose area follows its inspections, each
    circle named with its count beside it, on no other circle and no other name."""
    result = aggregate(
        Query(
            measures=["inspections"],
            by=["parish"],
            date_from=dt.date(year_from, 1, 1),
            date_to=dt.date(year_to, 12, 31),
        )
    )
    return parish_map({r["parish"]: r["inspections"] for r in result.rows})


def parish_map(counts: dict[str, int]) -> Drawing:
    """The schematic map of ``counts`` by parish id (see chart_parish_map)."""
    parishes = _parishes()
    lats, lons = [p["lat"] for p in parishes], [p["lon"] for p in parishes]
    height, width = 330, CHART_WIDTH
    drawing = Drawing(width, height)
    _title(drawing, gettext("Inspections by parish (schematic map)"), width, height)
    top, bottom, left = height - 50, 30, 150
    span_lat, span_lon = max(lats) - min(lats), max(lons) - min(lons)
    scale = min((top - bottom) / span_lat, (width - left - 120) / span_lon)
    biggest = max(counts.values(), default=0) or 1
    circles: list[tuple[str, float, float, float]] = []
    for p in sorted(parishes, key=lambda p: -p["lat"]):
        x = left + (p["lon"] - min(lons)) * scale
        y = bottom + (p["lat"] - min(lats)) * scale
        radius = 3 + 22 * math.sqrt(counts.get(p["id"], 0) / biggest)
        circles.append((p["id"], x, y, radius))
        drawing.add(
            Circle(x, y, radius, fillColor=colors.Color(0.12, 0.31, 0.47, alpha=0.55), strokeColor=PALETTE[0])
        )
    area = (0.0, 0.0, width, height - 20)  # below the title
    placed: list[Box] = []
    for parish, x, y, radius in circles:
        label = gettext("%(parish)s: %(count)s") % {
            "parish": PARISH_LABELS[parish],
            "count": _count(counts.get(parish, 0)),
        }
        box = _label_box(label, (x, y, radius), [c[1:] for c in circles], placed, area)
        placed.append(box)
        if not _on_circle(box, (x, y, radius + 2 * LABEL_GAP)):  # pushed away: a leader to its circle
            end = (box[0] if box[0] > x else box[2], (box[1] + box[3]) / 2)
            angle = math.atan2(end[1] - y, end[0] - x)
            start = (x + radius * math.cos(angle), y + radius * math.sin(angle))
            drawing.add(Line(*start, *end, strokeColor=colors.HexColor("#777777"), strokeWidth=0.4))
        drawing.add(String(box[0], box[1] + LABEL_DESCENT, label, fontName=_font(), fontSize=LABEL_SIZE))
    return drawing


def chart_hotline(year_from: int, year_to: int) -> Drawing:
    result = aggregate(
        Query(
            measures=["calls"],
            by=["year", "hotline"],
            date_from=dt.date(year_from, 1, 1),
            date_to=dt.date(year_to, 12, 31),
        )
    )
    years = list(range(year_from, year_to + 1))
    lines = list(HotlineCall.Hotline.values)
    cells = {(r["year"], r["hotline"]): r["calls"] for r in result.rows}
    height = 200
    drawing = Drawing(CHART_WIDTH, height)
    _title(drawing, gettext("Hotline calls per year"), CHART_WIDTH, height)
    chart = VerticalBarChart()
    chart.x, chart.y, chart.width, chart.height = 40, 30, CHART_WIDTH * 0.5, height - 60
    chart.data = [[cells.get((y, h), 0) for y in years] for h in lines]
    chart.categoryAxis.categoryNames = [str(y) for y in years]
    chart.categoryAxis.style = "stacked"  # as the console's chart of the same table
    chart.categoryAxis.labels.fontName = chart.valueAxis.labels.fontName = _font()
    chart.valueAxis.valueMin = 0
    chart.valueAxis.labelTextFormat = _count
    for i, h in enumerate(lines):
        chart.bars[i].fillColor = PALETTE[series_colour("hotline", h, i)]
        chart.bars[i].strokeColor = None
    drawing.add(chart)
    _legend(
        drawing,
        chart.x + chart.width + 15,
        height - 35,
        legend_order(
            [
                (PALETTE[series_colour("hotline", h, i)], str(HotlineCall.Hotline(h).label))
                for i, h in enumerate(lines)
            ]
        ),
    )
    return drawing


CHARTS = {
    "enforcement": (chart_inspections_per_year, chart_categories, chart_parish_map),
    "protection": (chart_hotline,),
}


# --- The report ----------------------------------------------------------------------------------


def report_context(*, year_from: int, year_to: int) -> dict[str, Any]:
    figures = report_figures(year_from=year_from, year_to=year_to)
    charts = {section: [build(year_from, year_to) for build in builds] for section, builds in CHARTS.items()}
    sections = []
    for key, title in SECTIONS.items():
        rows = [f for f in figures if f.section == key]
        sections.append({"id": key, "title": str(title), "figures": rows, "charts": charts.get(key, [])})
    published = PublishedReport.objects.filter(year_from=year_from, year_to=year_to).first()
    return {
        "year_from": year_from,
        "year_to": year_to,
        "sections": sections,
        "figures": figures,
        "generated_at": timezone.localtime(),
        "published_at": timezone.localtime(published.published_at) if published else None,
        "language": translation.get_language(),
    }


def report_status(context: dict[str, Any]) -> str:
    """What a document of the report says of itself, in the active language and the console's
    date format: published on a day (its figures those published), or not published (figures
    computed on a day, free to change), never an official-looking date alone."""
    if context["published_at"] is not None:
        return gettext("Published on %(date)s: the figures below are those published.") % {
            "date": date_format(context["published_at"], "DATETIME_FORMAT")
        }
    return gettext(
        "Not published: figures computed on %(date)s from the records. Each figure comes with its definition."
    ) % {"date": date_format(context["generated_at"], "DATETIME_FORMAT")}


def not_published_banner() -> str:
    """The line an unpublished report's PDF carries on every page (and its workbook's pages)."""
    return gettext("NOT PUBLISHED: a draft computed from the records; its figures may still change.")


def report_html(*, year_from: int, year_to: int) -> str:
    context = report_context(year_from=year_from, year_to=year_to)
    for section in context["sections"]:
        section["svgs"] = [_svg(d) for d in section["charts"]]
        for f in section["figures"]:
            f.display = _number(f.value, year=_is_year(f))
            f.display_current = _number(f.current, year=_is_year(f)) if f.changed else ""
    context.update(status=report_status(context), banner=not_published_banner())
    return render_to_string("reporting/report.html", context)


def _is_year(figure: Any) -> bool:
    """A figure whose value is a year (the Committee's founding), printed without grouping."""
    return figure.id.endswith("_year")


# The PDF's fonts as a browser finds them: reportlab writes its own names ("Helvetica-Bold", the
# embedded "ReportCJK-…"), which a browser without them replaced by its default, a serif face.
# Arial and Liberation Sans have Helvetica's metrics, so the text keeps the width it was laid out at.
_SANS = "Helvetica, Arial, 'Liberation Sans', 'Nimbus Sans', sans-serif"
_CJK_SANS = (
    "'Noto Sans CJK TC', 'Noto Sans TC', 'PingFang TC', 'Microsoft JhengHei', 'AR PL UMing TW', sans-serif"
)
_SVG_FONT = re.compile(r"font-family: ([^;\"]+);")


def _browser_font(match: re.Match[str]) -> str:
    name = match.group(1).strip()
    if name.startswith(EMBEDDED_CJK_FONT):
        return f"font-family: {_CJK_SANS};"
    weight = "; font-weight: bold" if "Bold" in name else ""
    style = "; font-style: italic" if "Oblique" in name else ""
    return f"font-family: {_SANS}{weight}{style};"


def svg_text(drawing: Drawing) -> str:
    """A chart as an SVG document whose fonts a browser has (see ``_SANS``)."""
    return _SVG_FONT.sub(_browser_font, renderSVG.drawToString(drawing))


def _svg(drawing: Drawing) -> str:
    text = svg_text(drawing)
    return text[text.index("<svg") :]  # drop the XML declaration and doctype inside HTML


def document_language() -> str:
    """The active language as a document states it (BCP 47): en, zh-Hant, pt."""
    return {"zh-hant": "zh-Hant", "pt": "pt"}.get(language_key(), "en")


class _ReportDocument(BaseDocTemplate):
    """A cover, then numbered pages; chapter headings feed the table of contents."""

    def __init__(self, buffer: io.BytesIO, *, font: str, banner: str = "", **kwargs: Any) -> None:
        super().__init__(buffer, **kwargs)
        self.report_font = font
        self.banner = banner  # an unpublished report's warning, on every page
        frame = Frame(self.leftMargin, self.bottomMargin, self.width, self.height, id="body")
        self.addPageTemplates(
            [
                PageTemplate(id="cover", frames=[frame], onPage=self._banner),
                PageTemplate(id="numbered", frames=[frame], onPage=self._number_page),
            ]
        )

    def _banner(self, canvas: Any, document: Any) -> None:
        """A dark red band across the top margin: white text on #a4161a (7.8:1)."""
        if not self.banner:
            return
        canvas.saveState()
        height = 7 * mm
        canvas.setFillColor(colors.HexColor("#a4161a"))
        canvas.rect(0, A4[1] - height - 4 * mm, A4[0], height, stroke=0, fill=1)
        canvas.setFillColor(colors.white)
        canvas.setFont(self.report_font, 9)
        canvas.drawCentredString(A4[0] / 2, A4[1] - height - 4 * mm + 2.4 * mm, self.banner)
        canvas.restoreState()

    def _number_page(self, canvas: Any, document: Any) -> None:
        self._banner(canvas, document)
        canvas.saveState()
        canvas.setFont(self.report_font, 8)
        canvas.drawRightString(
            A4[0] - self.rightMargin, 10 * mm, gettext("Page %(number)s") % {"number": canvas.getPageNumber()}
        )
        canvas.restoreState()

    def afterFlowable(self, flowable: Any) -> None:
        if isinstance(flowable, Paragraph) and flowable.style.name == "h1":
            self.notify("TOCEntry", (0, flowable.getPlainText(), self.page))


def report_pdf(*, year_from: int, year_to: int) -> bytes:
    font, bold = _font(), _bold()  # refuses a Chinese report without a Chinese font, before any work
    context = report_context(year_from=year_from, year_to=year_to)
    wrap = "CJK" if font.startswith(EMBEDDED_CJK_FONT) else None
    styles = {
        "cover": ParagraphStyle(
            "cover", fontName=bold, fontSize=26, leading=34, spaceBefore=60 * mm, spaceAfter=12, wordWrap=wrap
        ),
        "title": ParagraphStyle("title", fontName=bold, fontSize=18, leading=24, spaceAfter=8, wordWrap=wrap),
        "h1": ParagraphStyle(
            "h1",
            fontName=bold,
            fontSize=14,
            leading=18,
            spaceBefore=14,
            spaceAfter=6,
            wordWrap=wrap,
        ),
        "toc": ParagraphStyle("toc", fontName=font, fontSize=11, leading=18, wordWrap=wrap),
        "body": ParagraphStyle(
            "body", fontName=font, fontSize=9, leading=12, alignment=TA_LEFT, wordWrap=wrap
        ),
        "small": ParagraphStyle(
            "small", fontName=font, fontSize=7, leading=9, textColor=colors.HexColor("#555555"), wordWrap=wrap
        ),
    }
    title = gettext("Anti-human trafficking report %(from)s–%(to)s") % {"from": year_from, "to": year_to}
    contents = TableOfContents()
    contents.levelStyles = [styles["toc"]]
    contents.dotsMinLevel = 0
    story: list[Any] = [
        Paragraph(escape(title), styles["cover"]),
        Paragraph(escape(report_status(context)), styles["body"]),
        NextPageTemplate("numbered"),
        PageBreak(),
        Paragraph(escape(gettext("Contents")), styles["title"]),
        contents,
        PageBreak(),
    ]
    for section in context["sections"]:
        # A chapter follows the previous one on the same page; it moves to the next only when
        # its heading and the first rows of its table would not fit.
        story += [CondPageBreak(45 * mm), Paragraph(escape(section["title"]), styles["h1"])]
        data = [
            [
                Paragraph(escape(gettext("Figure")), styles["body"]),
                Paragraph(escape(gettext("Value")), styles["body"]),
            ]
        ]
        for f in section["figures"]:
            value = _number(f.value, year=_is_year(f))
            if f.changed:
                value += " " + gettext("(now %(current)s)") % {
                    "current": _number(f.current, year=_is_year(f))
                }
            data.append(
                [
                    [
                        Paragraph(escape(f.label), styles["body"]),
                        Paragraph(escape(f.definition), styles["small"]),
                    ],
                    Paragraph(escape(value), styles["body"]),
                ]
            )
        table = Table(data, colWidths=[120 * mm, 50 * mm], repeatRows=1)
        table.setStyle(
            TableStyle(
                [
                    ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#dde5ee")),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("LINEBELOW", (0, 0), (-1, -1), 0.25, colors.HexColor("#bbbbbb")),
                ]
            )
        )
        story.append(table)
        for drawing in section["charts"]:
            story += [Spacer(1, 6 * mm), drawing]
    buffer = io.BytesIO()
    document = _ReportDocument(
        buffer,
        font=font,
        banner="" if context["published_at"] else not_published_banner(),
        pagesize=A4,
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=18 * mm,
        bottomMargin=18 * mm,
        title=title,
        # The file's properties in the report's language: ReportLab's own were English
        # placeholders ("(anonymous)", "(unspecified)") in a Portuguese or Chinese report.
        author=gettext("Joint inspections"),
        creator=gettext("Joint inspections"),
        subject=report_status(context),
        lang=document_language(),
    )
    document.multiBuild(story)
    return buffer.getvalue()
