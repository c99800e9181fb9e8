"""A statistics result as CSV or XLSX: one column per dimension and measure, codes as values. The
CSV is the data alone (a table any tool reads); the XLSX adds a sheet with the question asked (the
period, the filters, what the rows are grouped by, whether rollups or records answered) and one
with the definitions. The file's name says the measures, the grouping and the period."""

from __future__ import annotations

import csv
import io
from typing import Any

from django.utils.translation import gettext

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
        out.append(
            (
                "suppressed",
                gettext(
                    "A blank cell: a count of people below the suppression threshold, left out so"
                    " that nobody can be singled out; totals that would reveal it are blank too."
                ),
            )
        )
    return out


def _question(result: Result) -> list[tuple[str, str]]:
    """What was asked, so a file read later, away from the page, says what it counts."""
    query = result.query
    out = [
        ("measures", ", ".join(query.measures)),
        ("grouped by", ", ".join(query.by) or "total"),
        ("from", query.date_from.isoformat() if query.date_from else gettext("the first record")),
        ("to", query.date_to.isoformat() if query.date_to else gettext("the last record")),
    ]
    out += [(f"filter {name}", ", ".join(values)) for name, values in sorted(query.filters.items())]
    out.append(("answered from", f"{result.used} ({result.level})" if result.level else result.used))
    return out


def filename(result: Result, extension: str, *, suffix: str = "") -> str:
    """statistics-<measures>-by-<grouping>[-<from>-to-<to>][-filtered][-<suffix>].<extension>"""
    query = result.query
    period = ""
    if query.date_from or query.date_to:
        start = query.date_from.isoformat() if query.date_from else "start"
        end = query.date_to.isoformat() if query.date_to else "end"
        period = f"-{start}-to-{end}"
    filtered = "-filtered" if query.filters else ""
    by = "-".join(query.by) or "total"
    suffix = f"-{suffix}" if suffix else ""
    return f"statistics-{'-'.join(query.measures)}-by-{by}{period}{filtered}{suffix}.{extension}"


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


# --- A breakdown's table as the page shows it --------------------------------------------------
#
# For a person with a spreadsheet, where the files above are for tools: the page's table cell for
# cell (``pages.Pivot.grid``), headed by its caption, a blank line between the tables of several
# measures, then what a mark in them means.

Table = tuple[str, list[list[Any]]]  # a caption and its lines of cells


def _table_lines(tables: list[Table], notes: list[str]) -> list[list[Any]]:
    lines: list[list[Any]] = []
    for caption, grid in tables:
        if lines:
            lines.append([])
        lines.append([caption])
        lines += grid
    if notes:
        lines.append([])
        lines += [[note] for note in notes]
    return [[_cell(value) for value in line] for line in lines]


def table_csv(tables: list[Table], notes: list[str]) -> bytes:
    """The tables as CSV, comma-separated as the data's CSV is, in UTF-8 with a byte order mark:
    without one Excel reads UTF-8 as the system's code page and turns the Chinese or Portuguese
    labels into mojibake (the registry's templates are written the same way)."""
    buffer = io.StringIO(newline="")
    csv.writer(buffer, lineterminator="\r\n").writerows(_table_lines(tables, notes))
    return buffer.getvalue().encode("utf-8-sig")


def table_xlsx(
    tables: list[Table], notes: list[str], counted: list[tuple[str, str]], asked: list[tuple[str, str]]
) -> bytes:
    """The tables on one sheet, as in ``table_csv`` (captions, headers and totals in bold), the
    question they answer (the page's choices, when, and a link back) on a second, and what is
    counted (each measure's and the records' definition) on a third."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    bold = Font(bold=True)
    book = Workbook()
    sheet = book.active
    sheet.title = _sheet_title(tables[0][0] if len(tables) == 1 else gettext("Result"))
    for index, (caption, grid) in enumerate(tables):
        if index:
            sheet.append([])
        sheet.append([_cell(caption)])
        caption_row = sheet.max_row
        for line in grid:
            sheet.append([_cell(v) for v in line])
        for row in (caption_row, caption_row + 1, sheet.max_row):  # the caption, header, totals
            for cell in sheet[row]:
                cell.font = bold
    if notes:
        sheet.append([])
        for note in notes:
            sheet.append([_cell(note)])
    sheet.column_dimensions["A"].width = 24
    for title, lines, widths in (
        (gettext("Question asked"), asked, (28, 80)),
        (gettext("What is counted"), counted, (24, 100)),
    ):
        named = book.create_sheet(_sheet_title(title))  # a line a thing: its name in bold, then it
        for name, value in lines:
            named.append([_cell(name), _cell(value)])
            named.cell(row=named.max_row, column=1).font = bold
        named.column_dimensions["A"].width, named.column_dimensions["B"].width = widths
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _sheet_title(text: str) -> str:
    """A sheet's name: at most 31 characters, none of those Excel refuses in one."""
    return "".join(" " if c in "[]:*?/\\" else c for c in text)[:31].strip() or "1"


def _report_value(value: Any) -> Any:
    """A figure's value in one cell: a number as a number, names joined; per-year lists go to
    their own sheet (the cell says so)."""
    from django.utils.translation import pgettext

    if isinstance(value, list):
        if value and isinstance(value[0], dict):
            return pgettext("report workbook", "by year: see the sheet “by year”")
        return _cell("; ".join(str(v) for v in value)) if value else ""
    if isinstance(value, dict):  # a published value that is not a number, and what it is now
        return _cell(f"{value.get('published')} → {value.get('current')}")
    return _cell(value)


def report_xlsx(*, figures: list[Any], year_from: int, year_to: int, published_at: Any = None) -> bytes:
    """The yearly report's figures as a workbook, in the active language: one row per figure
    (section, figure, value, and when the report is published what it is now and the
    difference; the qualifier, the unit, the definition), the per-year figures one row per year
    on a second sheet, and what the file is on a third. Values are numbers a spreadsheet sums;
    ids are the report's (the seed file's) so a file read later names each figure."""
    from django.utils import timezone
    from django.utils.translation import gettext as _
    from django.utils.translation import pgettext
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    from backend.reporting.render import document_language, not_published_banner
    from backend.reporting.report import SECTIONS

    bold = Font(bold=True)
    book = Workbook()
    # The file's properties in the report's language, not openpyxl's name as its author.
    book.properties.title = _("Anti-human trafficking report %(from)s–%(to)s") % {
        "from": year_from,
        "to": year_to,
    }
    book.properties.creator = book.properties.lastModifiedBy = _("Joint inspections")
    book.properties.language = document_language()
    sheet = book.active
    sheet.title = pgettext("report workbook sheet", "figures")
    # An unpublished report says so where its figures are read, and on every printed page.
    value_label = _("As published") if published_at else pgettext("report workbook", "Value (not published)")
    header = [
        "id",
        pgettext("report workbook", "Section"),
        _("Figure"),
        value_label,
        *([_("Now"), _("Difference")] if published_at else []),
        pgettext("report workbook", "Qualifier"),
        pgettext("report workbook", "Unit"),
        pgettext("report workbook", "Definition"),
    ]
    sheet.append(header)
    yearly = book.create_sheet(pgettext("report workbook sheet", "by year"))
    yearly.append(
        [
            "id",
            _("Figure"),
            pgettext("report workbook", "Year"),
            value_label,
            *([_("Now"), _("Difference")] if published_at else []),
        ]
    )
    for f in figures:
        qualifier = _("more than") if f.qualifier == "more than" else ""
        if f.suppressed:
            qualifier = (qualifier + " " if qualifier else "") + pgettext(
                "report workbook", "small counts left blank"
            )
        changes = []
        if published_at:
            changes = [_report_value(f.current), _report_value(f.difference)] if f.changed else ["", ""]
        sheet.append(
            [
                f.id,
                str(SECTIONS[f.section]),
                _cell(f.label),
                _report_value(f.value),
                *changes,
                qualifier,
                _cell(f.unit),
                _cell(f.definition),
            ]
        )
        if isinstance(f.value, list) and f.value and isinstance(f.value[0], dict):
            now = {r["year"]: next(v for k, v in r.items() if k != "year") for r in (f.current or [])}
            for row in f.value:
                year, value = row["year"], next(v for k, v in row.items() if k != "year")
                extra = []
                if published_at:
                    extra = [now.get(year, 0), now.get(year, 0) - (value or 0)] if f.changed else ["", ""]
                yearly.append([f.id, _cell(f.label), year, _cell(value), *extra])
    about = book.create_sheet(pgettext("report workbook sheet", "about"))
    about.append([pgettext("report workbook", "Report"), f"{year_from}–{year_to}"])
    if not published_at:
        about.append([pgettext("report workbook", "Status"), not_published_banner()])
    if published_at:
        about.append(
            [pgettext("report workbook", "Published"), timezone.localtime(published_at).replace(tzinfo=None)]
        )
    about.append(
        [pgettext("report workbook", "Computed"), timezone.localtime().replace(microsecond=0, tzinfo=None)]
    )
    about.append(
        [
            pgettext("report workbook", "Note"),
            pgettext(
                "report workbook",
                "Coded, non-identifying figures only; small counts of people are left blank.",
            ),
        ]
    )
    for ws in (sheet, yearly):
        for cell in ws[1]:
            cell.font = bold
        ws.freeze_panes = "A2"
    if not published_at:
        for ws in (sheet, yearly, about):
            ws.oddHeader.center.text = not_published_banner()
            ws.sheet_properties.tabColor = "A4161A"
        sheet["D1"].font = Font(bold=True, color="A4161A")
    for row in about.iter_rows():
        row[0].font = bold
    widths = {"A": 26, "B": 18, "C": 48, "D": 14}
    for column, width in widths.items():
        sheet.column_dimensions[column].width = width
    sheet.column_dimensions[chr(ord("A") + len(header) - 1)].width = 80
    for row in sheet.iter_rows(min_row=2):
        row[-1].alignment = Alignment(wrap_text=True, vertical="top")
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
