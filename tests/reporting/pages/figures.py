"""Reading the figures a page shows, from the data attributes its tables and tiles carry."""

from __future__ import annotations

from html.parser import HTMLParser
from typing import Any


def page_html(client: Any, url: str, language: str = "en") -> str:
    """The page at ``url`` in ``language``, asserted to answer 200."""
    from django.conf import settings

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get(url)
    assert response.status_code == 200, response.content[:2000]
    return response.content.decode()


def _number(text: str) -> int | None:
    return None if text == "" else int(text)


class PageFigures(HTMLParser):
    """``tables[measure]`` → {"columns": [...], "cells": {(row key, column): value}, "total": …};
    ``kpis[measure]`` → value (None: suppressed)."""

    def __init__(self, html: str):
        super().__init__()
        self.tables: dict[str, dict[str, Any]] = {}
        self.kpis: dict[str, int | None] = {}
        self._table: dict[str, Any] | None = None
        self._in_head = False
        self._row: tuple[str, ...] | None = None
        self._cell_index = 0
        self._kpi: str | None = None
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "table" and "data-measure" in a:
            self._table = {"columns": [], "cells": {}, "total": None}
            self.tables.setdefault(a["data-measure"], self._table)
        elif self._table is not None and tag == "thead":
            self._in_head = True
        elif self._table is not None and self._in_head and tag == "th" and "data-value" in a:
            self._table["columns"].append(a["data-value"])
        elif self._table is not None and tag == "tr" and "data-key" in a:
            self._row = tuple(a["data-key"].split("|"))
            self._cell_index = 0
        elif self._table is not None and tag == "td" and "data-total" in a:
            self._table["total"] = _number(a["data-value"])
        elif self._table is not None and tag == "td" and "data-value" in a and self._row is not None:
            columns = self._table["columns"] or [""]
            self._table["cells"][(self._row, columns[self._cell_index])] = _number(a["data-value"])
            self._cell_index += 1
        elif tag == "li" and "data-measure" in a:
            self._kpi = a["data-measure"]
        elif tag == "span" and self._kpi and "data-value" in a:
            self.kpis[self._kpi] = _number(a["data-value"])
            self._kpi = None

    def handle_endtag(self, tag: str) -> None:
        if tag == "thead":
            self._in_head = False
        elif tag == "tr":
            self._row = None
        elif tag == "table":
            self._table = None


def api_cells(body: dict[str, Any], rows: list[str], column: str | None, measure: str) -> dict:
    """The API's rows keyed as the page's cells are."""
    return {
        (tuple(str(r[d]) for d in rows), str(r[column]) if column else ""): r[measure] for r in body["rows"]
    }


def page_cells(table: dict[str, Any]) -> dict:
    """The page's cells but its zeros (the API leaves out groups where nothing was counted)."""
    return {key: value for key, value in table["cells"].items() if value != 0}
