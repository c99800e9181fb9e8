"""The yearly report's files say what they are in the reader's language. A Portuguese analyst
opening the PDF's properties read ReportLab's English placeholders (author "(anonymous)",
subject "(unspecified)") and no language for a screen reader; the workbook was written by
"openpyxl". Now the author is the console's name, the subject the report's status, the
language stated (pt, zh-Hant, en), and the workbook titled and authored in the same words."""

from __future__ import annotations

import io

import pypdf
import pytest
from django.utils import translation
from openpyxl import load_workbook

from backend.reporting import exports, selectors
from backend.reporting.render import report_pdf

pytestmark = pytest.mark.django_db

WORDS = {
    "pt": ("Inspecções conjuntas", "Relatório de combate ao tráfico de pessoas 2019–2023", "pt"),
    "zh-hant": ("聯合巡查", "打擊販賣人口報告 2019–2023", "zh-Hant"),
    "en": ("Joint inspections", "Anti-human trafficking report 2019–2023", "en"),
}


@pytest.mark.parametrize("language", ["pt", "zh-hant", "en"])
def test_the_pdf_states_its_author_subject_and_language(history, language):
    author, title, lang = WORDS[language]
    with translation.override(language):
        reader = pypdf.PdfReader(io.BytesIO(report_pdf(year_from=2019, year_to=2023)))
    info = reader.metadata
    assert info["/Title"] == title
    assert info["/Author"] == author and info["/Creator"] == author
    assert "(unspecified)" not in str(info.values()) and "(anonymous)" not in str(info.values())
    assert info["/Subject"]  # the report's status: not published, figures as of …
    assert reader.trailer["/Root"]["/Lang"] == lang


@pytest.mark.parametrize("language", ["pt", "zh-hant"])
def test_the_workbook_states_its_title_author_and_language(history, andy, language):
    author, title, lang = WORDS[language]
    with translation.override(language):
        figures = selectors.report_read(user=andy.user, year_from=2019, year_to=2023)
        data = exports.report_xlsx(figures=figures, year_from=2019, year_to=2023)
    properties = load_workbook(io.BytesIO(data)).properties
    assert (properties.title, properties.creator, properties.language) == (title, author, lang)
