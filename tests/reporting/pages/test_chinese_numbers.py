"""In Traditional Chinese the analysts' pages and the report group thousands with commas, as
Macao writes them (7,640), like the English pages; a year stays a year (2019, never 2,019)."""

from __future__ import annotations

import re

import pypdfium2 as pdfium
import pytest
from django.conf import settings
from django.utils import translation

from tests.browser_support import sign_in_client

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"
GROUPED = re.compile(r"^\d{1,3}(,\d{3})+$")


@pytest.fixture
def analyst_in_chinese(history, client, andy):
    sign_in_client(client, "andy", PASSWORD)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hant"
    return client


def _get(client, url):
    response = client.get(url)
    assert response.status_code == 200, response.content[:2000]
    page = response.content.decode()
    assert 'lang="zh-Hant"' in page
    return page


def _shown(page):
    """The figures as shown, by their value: {"7640": "7,640", …}, for values of 1,000 and more."""
    found = re.findall(r'data-value="(\d{4,})"[^>]*>([^<]+)<', page)
    assert found, "no figure of 1,000 or more on the page"
    return dict(found)


def test_dashboard_and_breakdown_figures_are_grouped(analyst_in_chinese):
    for url in (
        "/statistics/?from=2019&to=2023",
        "/statistics/breakdown/?measure=inspections&rows=year&columns=category",
    ):
        shown = _shown(_get(analyst_in_chinese, url))
        for value, text in shown.items():
            assert GROUPED.match(text.strip()), (url, value, text)
            assert text.strip().replace(",", "") == value


def test_the_report_page_and_its_pdf_are_grouped(analyst_in_chinese):
    page = _get(analyst_in_chinese, "/statistics/report/2019-2023/?lang=zh-hant")
    assert "1,863" in page and ">1863<" not in page
    assert "2019" in page and "2,019" not in page
    pdf = analyst_in_chinese.get("/statistics/report/2019-2023.pdf?lang=zh-hant")
    assert pdf.status_code == 200
    document = pdfium.PdfDocument(pdf.content)
    text = "".join(document[i].get_textpage().get_text_range() for i in range(len(document)))
    assert "7,640" in text and "7640" not in text


def test_the_reports_charts_are_grouped(history):
    from backend.reporting.render import _svg, chart_categories, chart_inspections_per_year

    with translation.override("zh-hant"):
        svgs = _svg(chart_categories(2019, 2023)) + _svg(chart_inspections_per_year(2019, 2023))
    numbers = [n.strip() for n in re.findall(r">\s*([\d.,\s]+)\s*<", svgs) if n.strip()]
    assert any(GROUPED.match(n) for n in numbers), numbers
    assert not any(re.fullmatch(r"\d{4,}", n) and not re.fullmatch(r"20\d\d", n) for n in numbers), numbers
