"""A breakdown's "table as shown" downloads the table the analyst sees: the page showed a pivot
(rows × columns, with totals), while its only CSV was the long form (a line per combination, with
codes), so what the analyst opened in a spreadsheet was not the table on the screen. The table's
CSV and XLSX hold the page's table cell for cell: its rows (periods where nothing was counted as
zeros), columns, order, totals, suppressed cells marked "—", headers and periods in the reader's
language. The long form stays beside it, for tools."""

from __future__ import annotations

import csv
import io
import re
from html.parser import HTMLParser
from urllib.parse import urlencode

import pytest
from django.conf import settings
from openpyxl import load_workbook

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("history")]

SUPPRESSED = "—"


class PageTable(HTMLParser):
    """The first pivot table of a page as lines of cells, as a reader sees them: a cell spanning
    columns followed by blanks, a number as a number (its grouping dropped), a suppressed count
    as its mark (without the words for screen readers), the caption apart."""

    def __init__(self, html: str):
        super().__init__()
        self.caption = ""
        self.lines: list[list[object]] = []
        self._in_table = self._done = False
        self._cell: list[str] | None = None
        self._span = 1
        self._hidden = 0
        self._in_caption = False
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if self._done:
            return
        if tag == "table" and "pivot" in (a.get("class") or ""):
            self._in_table = True
        elif not self._in_table:
            return
        elif tag == "caption":
            self._in_caption = True
        elif tag == "tr":
            self.lines.append([])
        elif tag in ("th", "td"):
            self._cell = []
            self._span = int(a.get("colspan") or 1)
        elif (
            tag == "span"
            and self._cell is not None
            and (self._hidden or "visually-hidden" in (a.get("class") or ""))
        ):
            self._hidden += 1
        elif tag == "span" and self._cell is not None and "help" in (a.get("class") or ""):
            # The words beside a figure in its cell (a distinct count's total): a cell of their own.
            self.lines[-1].append(_value(" ".join("".join(self._cell).split())))
            self._cell = []
            self._span -= 1

    def handle_endtag(self, tag):
        if not self._in_table or self._done:
            return
        if tag == "table":
            self._done = True
        elif tag == "caption":
            self._in_caption = False
        elif tag == "span" and self._hidden:
            self._hidden -= 1
        elif tag in ("th", "td") and self._cell is not None:
            text = " ".join("".join(self._cell).split())
            self.lines[-1] += [_value(text), *[""] * max(self._span - 1, 0)]
            self._cell = None

    def handle_data(self, data):
        if self._in_caption:
            self.caption += data
        elif self._cell is not None and not self._hidden:
            self._cell.append(data)


def _value(value: object) -> str:
    """A cell as text, a number without its grouping (1,234 in English, 1.234 in Portuguese)."""
    text = str(value)
    digits = re.sub(r"[,.\s\u00a0]", "", text)
    return digits if digits.isdigit() else text


def _file_lines(text: str) -> list[list[object]]:
    return [[_value(v) for v in line] for line in csv.reader(io.StringIO(text))]


def _get(client, url: str, language: str):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get(url)
    assert response.status_code == 200, response.content[:2000]
    return response


BREAKDOWNS = [
    ("en", {"measure": "inspections", "rows": "year", "columns": "category", "from": "2019", "to": "2023"}),
    # Periods as the page labels them ("2021年第3季"), some with nothing counted (zeros).
    (
        "zh-hant",
        {
            "measure": "inspections",
            "rows": "quarter",
            "columns": "agency",
            "from": "2021",
            "to": "2022",
            "category": "employment_agency",
        },
    ),
    # Counts of people: suppressed cells and the totals that would reveal them, marked.
    ("pt", {"measure": "referrals", "rows": "year,nationality_band,age_band", "columns": "sex"}),
    # A count of distinct things: no row totals, one total under every column.
    ("en", {"measure": "sites_inspected", "rows": "parish", "columns": "year", "from": "2021", "to": "2023"}),
]


@pytest.mark.parametrize(("language", "params"), BREAKDOWNS)
def test_the_tables_csv_is_the_pages_table_cell_for_cell(analyst, language, params):
    query = urlencode(params)
    page = PageTable(_get(analyst, f"/statistics/breakdown/?{query}", language).content.decode())
    assert len(page.lines) > 3, "the example should have rows"
    response = _get(analyst, f"/statistics/breakdown-table.csv?{query}", language)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].endswith(f'-table-{language}.csv"')
    assert response.content.startswith(b"\xef\xbb\xbf")  # Excel reads it as UTF-8
    caption, *lines = _file_lines(response.content.decode("utf-8-sig"))
    assert caption == [page.caption[:1].upper() + page.caption[1:]]
    table = lines[: len(page.lines)]
    assert table == page.lines
    notes = [line for line in lines[len(page.lines) :] if line]
    if params["measure"] == "referrals":
        assert any(SUPPRESSED in line for line in table), "the example should have suppressed cells"
    if any(SUPPRESSED in line for line in table):
        [[note]] = notes
        assert note.startswith(f"{SUPPRESSED} : ")
    else:
        assert notes == []


def test_the_tables_chinese_headers_and_periods(analyst):
    _language, params = BREAKDOWNS[1]
    text = _get(analyst, f"/statistics/breakdown-table.csv?{urlencode(params)}", "zh-hant").content.decode(
        "utf-8-sig"
    )
    caption, header, first, *_rest, footer = list(csv.reader(io.StringIO(text)))
    assert len(caption) == 1 and not caption[0].isascii(), caption  # the measure, in Chinese
    assert header[0] == "季" and header[-1] == "總計", header
    assert first[0] == "2021年第1季"
    assert footer[0] == "總計"


def test_the_tables_xlsx_holds_what_its_csv_does(analyst):
    language, params = BREAKDOWNS[2]
    query = urlencode(params)
    text = _get(analyst, f"/statistics/breakdown-table.csv?{query}", language).content.decode("utf-8-sig")
    response = _get(analyst, f"/statistics/breakdown-table.xlsx?{query}", language)
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(io.BytesIO(response.content))
    sheet, _asked, counted = book.worksheets
    cells = [["" if v is None else v for v in row] for row in sheet.iter_rows(values_only=True)]
    width = max(len(line) for line in cells)
    expected = [
        [_value(v) for v in line] + [""] * (width - len(line)) for line in csv.reader(io.StringIO(text))
    ]
    assert [[_value(v) for v in line] for line in cells] == expected
    assert any(isinstance(v, int) for line in cells for v in line)  # numbers a spreadsheet sums
    assert counted.title == "O que é contado"


def test_the_tables_xlsx_says_the_question_it_answers(analyst):
    """A workbook opened away from the page said what it counted but not of which years, filtered
    how, or as of when: the table's XLSX has a sheet with the page's choices in the reader's words
    (the form's labels, the filter's values by name), when the figures are from, and a link back
    to the same breakdown."""
    _language, params = BREAKDOWNS[1]
    query = urlencode(params)
    response = _get(analyst, f"/statistics/breakdown-table.xlsx?{query}", "zh-hant")
    _sheet, asked, _counted = load_workbook(io.BytesIO(response.content)).worksheets
    assert asked.title == "查詢內容"
    lines = dict(asked.iter_rows(values_only=True))
    assert lines["由年份"] == "2021" and lines["至年份"] == "2022"
    assert lines["列"] == "季", lines
    assert lines["欄"] == "部門", lines
    [(category, chosen)] = [(k, v) for k, v in lines.items() if k.startswith("篩選：")]
    assert category == "篩選：類別" and chosen == "職業介紹所巡查", (category, chosen)
    assert lines["計算來源"].startswith("計算來源："), lines
    assert "下載時間" in lines
    link = lines["此分項統計的連結"]
    assert link.startswith("http://testserver/statistics/breakdown/?")
    assert "category=employment_agency" in link
    # The link opens the same breakdown: the page answers with the same table.
    back = _get(analyst, link.removeprefix("http://testserver"), "zh-hant").content.decode()
    assert (
        PageTable(back).lines
        == PageTable(_get(analyst, f"/statistics/breakdown/?{query}", "zh-hant").content.decode()).lines
    )
    # An open period says so, in English too.
    english = _get(analyst, "/statistics/breakdown-table.xlsx?measure=inspections&rows=year", "en")
    _sheet, asked, _counted = load_workbook(io.BytesIO(english.content)).worksheets
    lines = dict(asked.iter_rows(values_only=True))
    assert (lines["From year"], lines["To year"], lines["Columns"]) == ("Any", "Any", "None")
    assert not any(k.startswith("Filter") for k in lines)


def test_the_data_download_stays_the_long_form_for_tools(analyst):
    _language, params = BREAKDOWNS[0]
    page = _get(analyst, f"/statistics/breakdown/?{urlencode(params)}", "en").content.decode()
    for label, path in (
        ("Download table as shown (CSV)", "breakdown-table.csv"),
        ("Download table as shown (XLSX)", "breakdown-table.xlsx"),
        ("Download data, one line per group (CSV)", "breakdown.csv"),
        ("Download data, one line per group (XLSX)", "breakdown.xlsx"),
    ):
        link = rf'href="/statistics/{re.escape(path)}\?[^"]*" download aria-label="{re.escape(label)}">'
        assert re.search(link, page), label
    long = _get(analyst, f"/statistics/breakdown.csv?{urlencode(params)}", "zh-hant").content.decode()
    assert long.splitlines()[0] == "year,category,inspections"
