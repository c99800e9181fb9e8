"""The report as PDF (rendered to an image with pypdfium2 and checked not blank) and HTML, in
English, Traditional Chinese and Portuguese, from the command and from the API."""

from __future__ import annotations

import io
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import translation

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
    assert len(document) >= 4  # one chapter a page at least
    for index in (0, 1):
        page = document[index]
        image = page.render(scale=1).to_pil()
        assert _ink(image) > 0.01, f"page {index + 1} is blank"
    text = document[0].get_textpage().get_text_range()
    assert TITLES[language] in text
    assert SECTION[language] in document[1].get_textpage().get_text_range()
    if language == "zh-hant":
        if Path(settings.REPORT_CJK_FONT).is_file():
            # The font is embedded: the Chinese title is drawn, whatever fonts the viewer has.
            assert b"/FontFile2" in data and b"MSung-Light" not in data
            title = document[0].render(scale=1).to_pil().crop((0, 0, 600, 140))
            assert _ink(title) > 0.005, "the Chinese title is not drawn"
        else:
            assert b"MSung-Light" in data  # the fallback: reportlab's standard CJK font


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
    assert 'id="dsal_employment_agency_inspections"' in html and "1,863" in html


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
