"""Reading and writing the registry's spreadsheets: CSV (UTF-8, with or without a BOM; comma,
semicolon or tab) and XLSX, through the standard library's csv and openpyxl.

Reading gives plain rows of strings, each with the row number a spreadsheet shows, so a refusal
can say "row 12". Title rows above the header (often merged across the columns), blank rows and
comment lines (``#`` in the first cell, as the CSV templates carry) are skipped.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from collections.abc import Iterable, Iterator
from decimal import Decimal

FORMATS = ("csv", "xlsx")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_TYPE = "text/csv; charset=utf-8"


class UnreadableFile(Exception):
    """The file is not a CSV or XLSX this reader understands; ``code`` names why."""

    def __init__(self, code: str, **params: object) -> None:
        super().__init__(code)
        self.code = code
        self.params = params


def format_of(filename: str) -> str | None:
    name = filename.lower()
    for fmt in FORMATS:
        if name.endswith("." + fmt):
            return fmt
    return None


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.datetime):
        # A date cell is a fraction of a day: 20:00 may come back as 19:59:59.712.
        value = (value + dt.timedelta(microseconds=500_000)).replace(microsecond=0)
        return value.strftime("%Y-%m-%d %H:%M") if value.time() != dt.time(0) else value.strftime("%Y-%m-%d")
    if isinstance(value, dt.date):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, dt.time):
        return value.strftime("%H:%M")
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        return format(Decimal(repr(value)).normalize(), "f")
    return str(value).strip()


def read_rows(data: bytes, fmt: str) -> Iterator[tuple[int, list[str]]]:
    """``(row number, cells)`` for every non-blank, non-comment row, header included."""
    rows = _read_csv(data) if fmt == "csv" else _read_xlsx(data)
    for number, cells in rows:
        if not any(cells) or cells[0].startswith("#"):
            continue
        yield number, cells


def _read_csv(data: bytes) -> Iterator[tuple[int, list[str]]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise UnreadableFile("not_utf8") from None
    if "\x00" in text[:4096]:
        raise UnreadableFile("not_csv")
    sample = "\n".join(line for line in text[:8192].splitlines() if not line.startswith("#"))
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    # A row is numbered by the line it starts on: a quoted cell running over several lines (or a
    # quotation mark never closed, which swallows the lines below) ends on a later line, and a
    # refusal naming that later line sends the reader to a row that is not the one at fault.
    start = 1
    try:
        for cells in reader:
            yield start, [c.strip() for c in cells]
            start = reader.line_num + 1
    except csv.Error as exc:
        if "field larger than field limit" in str(exc):
            # Most often a quotation mark never closed, which reads the rest of the file into one cell.
            raise UnreadableFile("cell_too_large", row=start, limit=csv.field_size_limit()) from None
        raise UnreadableFile("not_csv") from None


def _read_xlsx(data: bytes) -> Iterator[tuple[int, list[str]]]:
    # openpyxl is imported where a workbook is read or written, as the exports do: imported with
    # this module, it cost every process that loads the admin (web, workers, commands) half a second.
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError):
        raise UnreadableFile("not_xlsx") from None
    try:
        sheet = book.worksheets[0]
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            yield number, [_cell_text(v) for v in values]
    finally:
        book.close()


def write_csv(header: list[str], rows: Iterable[list[str]], *, comments: Iterable[str] = ()) -> bytes:
    out = io.StringIO(newline="")
    for line in comments:
        out.write("# " + line.replace("\n", " ") + "\r\n")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8-sig")


def write_xlsx(
    header: list[str],
    rows: Iterable[list[str]],
    *,
    sheet_title: str = "data",
    notes: list[list[str]] | None = None,
    notes_title: str = "columns",
) -> bytes:
    """A workbook whose first sheet is the data (header in row 1, every cell text, so that
    codes like 0012 keep their zeros) and, if ``notes`` are given, a second sheet of them."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet(sheet_title[:31])
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    if notes:
        notes_sheet = book.create_sheet(notes_title[:31])
        for row in notes:
            notes_sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def style_template(data: bytes) -> bytes:
    """Widen and bold a small template's header (write-only books cannot be styled)."""
    from openpyxl import load_workbook
    from openpyxl.styles import Alignment, Font

    book = load_workbook(io.BytesIO(data))
    for sheet in book.worksheets:
        for cell in sheet[1]:
            cell.font = Font(bold=True)
            cell.alignment = Alignment(wrap_text=False)
        for column in sheet.columns:
            width = max(len(str(c.value or "")) for c in column)
            sheet.column_dimensions[column[0].column_letter].width = min(max(12, width + 2), 60)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
