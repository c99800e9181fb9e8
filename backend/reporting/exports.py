"""A statistics result as CSV or XLSX: one column per dimension and measure, codes as values, a
second sheet (XLSX) or trailing comment lines (CSV) with the definitions."""

from __future__ import annotations

import csv
import io
from typing import Any

from backend.reporting.statistics import MEASURES, SOURCES, Result

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: Any) -> Any:
    """No cell runs as a formula in a spreadsheet."""
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def _header(result: Result) -> list[str]:
    return [*result.query.by, *result.query.measures]


def _rows(result: Result) -> list[list[Any]]:
    return [[_cell(row[c]) for c in _header(result)] for row in result.rows]


def _definitions(result: Result) -> list[tuple[str, str]]:
    source = SOURCES[result.source]
    out = [(source.id, str(source.definition))]
    out += [(m, str(MEASURES[m].definition)) for m in result.query.measures]
    if result.suppressed:
        out.append(("suppressed", "Small counts of people are left blank."))
    return out


def result_csv(result: Result) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(_header(result))
    writer.writerows(_rows(result))
    return buffer.getvalue()


def result_xlsx(result: Result) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "data"
    sheet.append(_header(result))
    for row in _rows(result):
        sheet.append(row)
    notes = book.create_sheet("definitions")
    notes.append(["id", "definition"])
    for name, text in _definitions(result):
        notes.append([name, _cell(text)])
    notes.append(["source", result.used])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
