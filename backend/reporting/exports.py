"""A statistics result as CSV or XLSX: one column per dimension and measure, codes as values. The
CSV is the data alone (a table any tool reads); the XLSX adds a sheet with the question asked (the
period, the filters, what the rows are grouped by, whether rollups or records answered) and one
with the definitions. The file's name says the measures, the grouping and the period."""

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
    """Each measure by its id, then the records they count (the source, under its own key: a
    source and a measure can share a name)."""
    source = SOURCES[result.source]
    out = [(m, str(MEASURES[m].definition)) for m in result.query.measures]
    out.append((f"source {source.id}", str(source.definition)))
    if result.suppressed:
        out.append(("suppressed", "Small counts of people are left blank."))
    return out


def _question(result: Result) -> list[tuple[str, str]]:
    """What was asked, so a file read later, away from the page, says what it counts."""
    query = result.query
    out = [
        ("measures", ", ".join(query.measures)),
        ("grouped by", ", ".join(query.by) or "total"),
        ("from", query.date_from.isoformat() if query.date_from else "the first record"),
        ("to", query.date_to.isoformat() if query.date_to else "the last record"),
    ]
    out += [(f"filter {name}", ", ".join(values)) for name, values in sorted(query.filters.items())]
    out.append(("answered from", f"{result.used} ({result.level})" if result.level else result.used))
    return out


def filename(result: Result, extension: str) -> str:
    """statistics-<measures>-by-<grouping>[-<from>-<to>].<extension>"""
    query = result.query
    period = ""
    if query.date_from or query.date_to:
        start = query.date_from.isoformat() if query.date_from else "start"
        end = query.date_to.isoformat() if query.date_to else "end"
        period = f"-{start}-to-{end}"
    filtered = "-filtered" if query.filters else ""
    by = "-".join(query.by) or "total"
    return f"statistics-{'-'.join(query.measures)}-by-{by}{period}{filtered}.{extension}"


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
    asked = book.create_sheet("question")
    asked.append(["item", "value"])
    for name, value in _question(result):
        asked.append([name, _cell(value)])
    notes = book.create_sheet("definitions")
    notes.append(["id", "definition"])
    for name, text in _definitions(result):
        notes.append([name, _cell(text)])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
