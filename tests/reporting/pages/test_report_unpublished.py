"""An unpublished yearly report's PDF and workbook say, on each page, that they are not
published. The page said "Not published: figures computed on …"; the PDF only "Generated from the
recorded work on 2026-12-05 08:56", which reads as official, and the workbook nothing at all.
Dates are written as the console writes them in each language (5 Dec 2026, 2026年12月5日,
5 de Dezembro de 2026), never ISO. A published report's documents say when it was published."""

from __future__ import annotations

import io
import re

import pypdfium2 as pdfium
import pytest
from django.utils import timezone, translation
from django.utils.formats import date_format
from openpyxl import load_workbook

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("history")]

BANNER = {
    "en": "NOT PUBLISHED: a draft computed from the records; its figures may still change.",
    "zh-hant": "未發佈：按記錄計算的草稿，其數字仍可能變更。",
    "pt": "NÃO PUBLICADO: rascunho calculado a partir dos registos; os seus números podem ainda mudar.",
}
STATUS = {"en": "Not published: figures computed on", "zh-hant": "未發佈：數字於", "pt": "Não publicado:"}
PUBLISHED = {"en": "Published on", "zh-hant": "發佈", "pt": "Publicado em"}
ISO_DATE = re.compile(r"\b20\d\d-\d\d-\d\d\b")


def _today(language: str) -> set[str]:
    """Today as the console writes it in ``language`` (and tomorrow's, should midnight pass)."""
    with translation.override(language):
        today = timezone.localdate()
        return {date_format(today), date_format(today + timezone.timedelta(days=1))}


def _pdf_pages(client, url: str) -> list[str]:
    response = client.get(url)
    assert response.status_code == 200, response.content[:500]
    assert response["Content-Type"] == "application/pdf"
    document = pdfium.PdfDocument(response.content)
    return [" ".join(document[i].get_textpage().get_text_range().split()) for i in range(len(document))]


def _compact(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.mark.parametrize("language", ["en", "zh-hant", "pt"])
def test_an_unpublished_reports_pdf_says_so_on_every_page(analyst, language):
    pages = _pdf_pages(analyst, f"/statistics/report/2019-2023.pdf?lang={language}")
    assert len(pages) >= 4
    for number, text in enumerate(pages, start=1):
        assert _compact(BANNER[language]) in _compact(text), (number, text[:300])
    cover = pages[0]
    assert _compact(STATUS[language]) in _compact(cover), cover
    assert any(_compact(day) in _compact(cover) for day in _today(language)), (cover, _today(language))
    assert not ISO_DATE.search(cover), cover


@pytest.mark.parametrize("language", ["en", "zh-hant", "pt"])
def test_an_unpublished_reports_workbook_says_so(analyst, language):
    response = analyst.get(f"/statistics/report/2019-2023.xlsx?lang={language}")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    figures, yearly, about = book.worksheets
    value = {"en": "Value (not published)", "zh-hant": "數值（未發佈）", "pt": "Valor (não publicado)"}
    assert figures.cell(1, 4).value == value[language]
    assert yearly.cell(1, 4).value == value[language]
    assert BANNER[language] in dict(about.iter_rows(values_only=True)).values()
    for sheet in (figures, yearly, about):
        assert sheet.oddHeader.center.text == BANNER[language]  # on every printed page


def test_a_published_reports_documents_say_when_it_was_published(analyst):
    assert analyst.post("/statistics/report/2022-2022/publish/").status_code == 302
    for language in ("en", "zh-hant", "pt"):
        pages = _pdf_pages(analyst, f"/statistics/report/2022-2022.pdf?lang={language}")
        assert not any(_compact(BANNER[language]) in _compact(text) for text in pages)
        assert _compact(PUBLISHED[language]) in _compact(pages[0]), pages[0]
        assert any(_compact(day) in _compact(pages[0]) for day in _today(language)), pages[0]
        workbook = analyst.get(f"/statistics/report/2022-2022.xlsx?lang={language}").content
        book = load_workbook(io.BytesIO(workbook))
        assert BANNER[language] not in dict(book.worksheets[2].iter_rows(values_only=True)).values()
        assert not book.worksheets[0].oddHeader.center.text
