"""A statistics download's prose is in the reader's language: the XLSX's "question" and
"definitions" sheets keep their items as codes (a file read by tools), and the texts beside them
(the measures' definitions, the open ends of a period, what a blank cell means) are translated.
The note on blank cells and a period's open ends were English on every page (the analyst's walk)."""

from __future__ import annotations

import io

import pytest
from django.utils import translation
from openpyxl import load_workbook

from backend.reporting.exports import result_xlsx
from backend.reporting.statistics import Query, Result

BLANK = {
    "en": "A blank cell: a count of people below the suppression threshold",
    "pt": "Uma célula em branco: uma contagem de pessoas abaixo do limiar de supressão",
    "zh-hant": "空白儲存格：低於隱藏門檻的人數",
}
FIRST = {"en": "the first record", "pt": "o primeiro registo", "zh-hant": "最早的記錄"}


@pytest.mark.parametrize("language", ["en", "pt", "zh-hant"])
def test_the_xlsx_notes_are_in_the_readers_language(language):
    result = Result(
        query=Query(measures=["inspections"], by=["year"]),
        source="inspections",
        used="raw",
        rows=[{"year": 2023, "inspections": None}],
        totals={"inspections": None},
        suppressed=True,
    )
    with translation.override(language):
        book = load_workbook(io.BytesIO(result_xlsx(result)))
    question = dict(book["question"].iter_rows(min_row=2, values_only=True))
    notes = dict(book["definitions"].iter_rows(min_row=2, values_only=True))
    assert question["from"] == FIRST[language], question
    assert notes["suppressed"].startswith(BLANK[language]), notes
