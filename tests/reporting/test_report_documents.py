"""The report as PDF (rendered to an image with pypdfium2 and checked not blank) and HTML, in
English, Traditional Chinese and Portuguese, from the command and from the API."""

from __future__ import annotations

import io
import math
import re

import pypdfium2 as pdfium
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

from backend.registry.models import Parish
from backend.reporting import render
from backend.reporting.render import report_html, report_pdf

pytestmark = pytest.mark.django_db

TITLES = {
    "en": "Anti-human trafficking report 2019–2023",
    "zh-hant": "打擊販賣人口報告 2019–2023",
    "pt": "Relatório de combate ao tráfico de pessoas 2019–2023",
}
SECTION = {"en": "Law enforcement", "zh-hant": "執法", "pt": "Aplicação da lei"}


def _ink(image) -> float:
    """The share of pixels that are not (near) white."""
    grey = image.convert("L")
    histogram = grey.histogram()
    return 1 - sum(histogram[245:]) / sum(histogram)


@pytest.mark.parametrize("language", ["en", "zh-hant", "pt"])
def test_pdf_renders_in_each_language(history, language):
    with translation.override(language):
        data = report_pdf(year_from=2019, year_to=2023)
    assert data.startswith(b"%PDF")
    document = pdfium.PdfDocument(data)
    assert len(document) >= 4  # cover, contents, chapters
    for index, least in ((0, 0.002), (1, 0.002), (2, 0.01)):
        image = document[index].render(scale=1).to_pil()
        assert _ink(image) > least, f"page {index + 1} is blank"
    assert TITLES[language] in " ".join(document[0].get_textpage().get_text_range().split())
    assert SECTION[language] in document[1].get_textpage().get_text_range()  # the contents
    if language == "zh-hant":
        # The font is embedded in its Traditional Chinese face: drawn whatever fonts the viewer has.
        assert b"/FontFile2" in data and b"UMingTW" in data
        assert b"UMingCN" not in data and b"MSung-Light" not in data
        title = document[0].render(scale=1).to_pil().crop((0, 0, 600, 400))
        assert _ink(title) > 0.005, "the Chinese title is not drawn"


def _pages(data: bytes) -> list[str]:
    document = pdfium.PdfDocument(data)
    return [document[i].get_textpage().get_text_range() for i in range(len(document))]


def test_the_pdf_has_a_cover_contents_and_numbered_pages_and_chapters_share_pages(history):
    with translation.override("en"):
        pages = _pages(report_pdf(year_from=2019, year_to=2023))
    assert "Contents" in pages[1] and all(title in pages[1] for title in ("Prevention", "Law enforcement"))
    assert "Page" not in pages[0]  # the cover is not numbered
    for number, text in enumerate(pages[1:], start=2):
        assert f"Page {number}" in text
    # A chapter follows the previous one on its last page when there is room.
    shared = []
    for title in ("Law enforcement", "Victim protection", "Collaboration"):
        page = next(text for text in pages[2:] if title in text.splitlines())
        lines = [line for line in page.splitlines() if line.strip() and not line.startswith("Page ")]
        if lines.index(title) > 0:
            shared.append(title)
    assert shared, "every chapter starts a page of its own"


@pytest.mark.parametrize(
    ("language", "grouped", "wrong"),
    [("en", "7,640", "7.640"), ("pt", "7.640", "7,640")],
)
def test_numbers_follow_the_language_and_a_year_is_a_year(history, language, grouped, wrong):
    with translation.override(language):
        text = "".join(_pages(report_pdf(year_from=2019, year_to=2023)))
        html = report_html(year_from=2019, year_to=2023)
    assert grouped in text and wrong not in text
    assert "2007" in text and "2,007" not in text and "2.007" not in text
    assert ">2007<" in html and "2,007" not in html


def test_chart_numbers_are_grouped_as_in_the_tables(history):
    from backend.reporting.render import _svg, chart_categories, chart_inspections_per_year

    for language, grouped, wrong in (("en", r"\d,\d{3}", r"\d\.\d{3}"), ("pt", r"\d\.\d{3}", r"\d,\d{3}")):
        with translation.override(language):
            svgs = _svg(chart_categories(2019, 2023)) + _svg(chart_inspections_per_year(2019, 2023))
        numbers = re.findall(r">\s*([\d.,\s]+)\s*<", svgs)
        assert any(re.fullmatch(grouped, n.strip()) or re.search(grouped, n) for n in numbers), language
        assert not any(re.search(wrong, n) for n in numbers), (language, numbers)


def _map_layout(drawing):
    """The parish map's labels (text and box, measured with the font's ascent and descent) and
    circles (x, y, radius), as drawn."""
    from reportlab.graphics.shapes import Circle, String
    from reportlab.pdfbase import pdfmetrics

    labels = []
    for s in drawing.contents:
        if isinstance(s, String) and s.fontSize == render.LABEL_SIZE:
            ascent, descent = pdfmetrics.getAscentDescent(s.fontName, s.fontSize)
            width = pdfmetrics.stringWidth(s.text, s.fontName, s.fontSize)
            labels.append((s.text, (s.x, s.y + descent, s.x + width, s.y + ascent)))
    circles = [(c.cx, c.cy, c.r) for c in drawing.contents if isinstance(c, Circle)]
    return labels, circles


def _overlap(a, b):
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _clashes(drawing):
    """Every label on another label or on a circle, or outside the drawing."""
    labels, circles = _map_layout(drawing)
    found = []
    for i, (text, box) in enumerate(labels):
        found += [f"{text} / {other}" for other, b in labels[i + 1 :] if _overlap(box, b)]
        for x, y, radius in circles:
            near = (min(max(x, box[0]), box[2]), min(max(y, box[1]), box[3]))
            if math.hypot(near[0] - x, near[1] - y) < radius:
                found.append(f"{text} on the circle at {x:.0f},{y:.0f}")
        if box[0] < 0 or box[2] > drawing.width or box[1] < 0 or box[3] > drawing.height - 12:
            found.append(f"{text} outside the drawing")
    return found


@pytest.mark.parametrize("language", ["en", "zh-hant", "pt"])
def test_parish_labels_lie_on_no_label_and_no_circle(history, language):
    # The peninsula's five parishes lie within a few millimetres of one another: names lay on a
    # neighbour's circle, and the Chinese names, wider, across two.
    with translation.override(language):
        drawing = render.chart_parish_map(2019, 2023)
        names = [str(label) for label in Parish.labels]
    labels, circles = _map_layout(drawing)
    assert len(circles) == 8
    assert sorted(text.replace("：", ": ").rsplit(": ", 1)[0] for text, _box in labels) == sorted(names)
    assert _clashes(drawing) == []


@pytest.mark.parametrize("language", ["en", "zh-hant", "pt"])
@pytest.mark.parametrize(
    "counts",
    [
        {},  # nothing counted: eight dots
        dict.fromkeys(Parish.values, 1000),  # every circle at its largest
        {"santo_antonio": 900, "sao_lazaro": 1000, "se": 950, "sao_lourenco": 800, "cotai": 5},
    ],
    ids=["none", "all-largest", "peninsula-largest"],
)
def test_parish_labels_find_room_however_large_the_circles(language, counts):
    with translation.override(language):
        assert _clashes(render.parish_map(counts)) == []


@pytest.mark.parametrize("language", ["en", "zh-hant", "pt"])
def test_parish_labels_do_not_overlap_in_the_pdf(history, language):
    # Measured on the PDF itself: the boxes of the labels' characters as a viewer places them.
    with translation.override(language):
        data = report_pdf(year_from=2019, year_to=2023)
        texts = [text for text, _box in _map_layout(render.chart_parish_map(2019, 2023))[0]]
    document = pdfium.PdfDocument(data)
    pages = [document[i].get_textpage() for i in range(len(document))]
    page = next(p for p in pages if texts[0] in p.get_text_range())
    boxes = []
    for text in texts:
        searcher = page.search(text)
        found = searcher.get_next()
        assert found, f"{text!r} is not in the PDF"
        index, count = found
        chars = [page.get_charbox(i) for i in range(index, index + count)]
        boxes.append((text, tuple(f(c[k] for c in chars) for k, f in enumerate((min, min, max, max)))))
    clashes = [
        f"{a} / {b}"
        for i, (a, box) in enumerate(boxes)
        for b, other in boxes[i + 1 :]
        if _overlap(box, other)
    ]
    assert clashes == []


def test_a_chinese_pdf_without_a_font_is_refused_naming_the_setting(history, settings, api, andy, tmp_path):
    from backend.reporting.render import ReportFontMissing

    settings.REPORT_CJK_FONT = str(tmp_path / "no-such-font.ttc")
    with translation.override("zh-hant"), pytest.raises(ReportFontMissing, match="REPORT_CJK_FONT"):
        report_pdf(year_from=2019, year_to=2023)
    with pytest.raises(CommandError, match="REPORT_CJK_FONT"):
        call_command(
            "report",
            "2019",
            "2023",
            "--format",
            "pdf",
            "--lang",
            "zh-hant",
            "--output",
            str(tmp_path / "r.pdf"),
        )
    response = api.as_(andy).get("/api/v1/statistics/report/2019-2023.pdf?lang=zh-hant")
    assert response.status_code == 503 and response["Content-Type"] == "application/problem+json"
    assert response.json()["code"] == "report_font_missing"
    with translation.override("en"):
        assert report_pdf(year_from=2019, year_to=2023).startswith(b"%PDF")  # other languages still work


def test_the_enforcement_page_has_its_figures_and_charts(history):
    with translation.override("en"):
        document = pdfium.PdfDocument(report_pdf(year_from=2019, year_to=2023))
    text = "".join(document[i].get_textpage().get_text_range() for i in range(len(document)))
    for expected in ("7,640", "1,426", "1,863", "Thunderbolt, Winter Precaution", "Inspections by parish"):
        assert expected in text


@pytest.mark.parametrize("language", ["en", "zh-hant", "pt"])
def test_html_has_the_chapters_figures_and_charts(history, language):
    with translation.override(language):
        html = report_html(year_from=2019, year_to=2023)
    assert TITLES[language] in html and SECTION[language] in html
    assert html.count("<svg") == 4
    families = set(re.findall(r"font-family: ([^;\"]+)", html.split("<svg", 1)[1]))
    assert families and all(f.endswith("sans-serif") for f in families), families
    grouped = {"en": "1,863", "zh-hant": "1,863", "pt": "1.863"}[language]  # as written in Macao
    assert 'id="dsal_employment_agency_inspections"' in html and grouped in html


def test_report_command_writes_a_pdf(history, tmp_path):
    target = tmp_path / "report.pdf"
    call_command("report", "2019", "2023", "--format", "pdf", "--lang", "pt", "--output", str(target))
    assert len(pdfium.PdfDocument(target.read_bytes())) >= 4


def test_report_documents_from_the_api(history, api, andy):
    pdf = api.as_(andy).get("/api/v1/statistics/report/2019-2023.pdf?lang=zh-hant")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert (
        TITLES["zh-hant"]
        in pdfium.PdfDocument(io.BytesIO(pdf.content).getvalue())[0].get_textpage().get_text_range()
    )
    html = api.as_(andy).get("/api/v1/statistics/report/2019-2023.html?lang=pt")
    assert html.status_code == 200 and TITLES["pt"] in html.content.decode()
    assert api.as_(andy).get("/api/v1/statistics/report/2019-2023.pdf?lang=fr").status_code == 400
