"""The analysts' console: the dashboard of the indicators, ad-hoc breakdowns with their downloads,
and the yearly report with its publications.

Every figure on these pages is read through ``selectors.statistics_aggregate`` from parameters
parsed by ``statistics.query_from_params``, exactly as the statistics API reads them, so a page
and the API asked the same question give the same numbers (each panel links to its API query).
What is left here is presentation: which questions a panel asks, and laying rows out as a table
(over time with every period, those where nothing was counted as zeros: ``with_empty_periods``).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from csp.decorators import csp_replace
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.formats import date_format, number_format
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.utils.translation import pgettext, pgettext_lazy
from django.views.decorators.http import require_POST
from django_htmx.http import push_url, replace_url

from backend.console.access import console_page
from backend.core.errors import DomainError
from backend.core.i18n import sentence_separator
from backend.core.strict_input import ascii_digits
from backend.registry.models import Parish
from backend.reporting import exports, selectors, services
from backend.reporting.palette import legend_order, series_colour
from backend.reporting.report import SECTIONS
from backend.reporting.statistics import (
    DISTINCT_MEASURES,
    MEASURES,
    SOURCES,
    TIME_DIMENSIONS,
    Result,
    period_span,
    query_from_params,
    value_labels,
    with_empty_periods,
)

ROLES = ("analyst", "administrator")
LANGUAGES = {"en": "English", "zh-hant": "繁體中文", "pt": "Português"}
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PARISHES_FILE = Path(__file__).parent / "data" / "parishes.json"
CHART_ROW_LIMIT = 60  # beyond this a bar chart says nothing a table does not say better


def _page(view: Any) -> Any:
    return console_page(*ROLES)(view)


def figures_as_of(results: Any) -> dict[str, Any] | None:
    """When figures read from the rollups were exact (the last background refresh), for the
    page to say so; None when every figure was read from the records (live)."""
    if not any(r.used == "rollup" for r in results):
        return None
    as_of = services.rollups_as_of()
    if as_of is None:
        return {"pending": True}
    local = timezone.localtime(as_of)
    same_day = local.date() == timezone.localdate()
    return {
        "iso": local.isoformat(timespec="seconds"),
        "text": local.strftime("%H:%M:%S"),
        # Another day's refresh says its day as the console writes dates ("5 Dec 2026", "2026年12月5日"),
        # in a sentence of its own (Portuguese says "às" before a time, not before a date).
        "day": None if same_day else formats.date_format(local, "DATE_FORMAT"),
    }


@cache
def _parish_centres() -> dict[str, tuple[float, float]]:
    parishes = json.loads(PARISHES_FILE.read_text(encoding="utf-8"))["parishes"]
    return {p["id"]: (p["lat"], p["lon"]) for p in parishes}


def api_url(params: dict[str, str] | QueryDict, *, filled: bool = False) -> str:
    """The statistics API's URL for the same question; for an answer the page ``filled`` with the
    periods where nothing was counted, asking the API to fill them too (``fill=zeros``), so the
    link answers with the table the page shows."""
    if filled:
        params = params.copy()
        params["fill"] = "zeros"
    query = params.urlencode() if isinstance(params, QueryDict) else urlencode(params)
    return f"{reverse('statistics-query')}?{query}"


def _address(request: HttpRequest, response: HttpResponse, url: str) -> None:
    """The browser's address for an answer htmx swapped in: pushed as a new history entry, or,
    when it is the address shown already (Apply pressed after a change had applied itself),
    replaced, so that Back is never a step from an entry to its duplicate."""
    if request.htmx.current_url_abs_path == url:
        replace_url(response, url)
    else:
        push_url(response, url)


def _partial(request: HttpRequest) -> bool:
    """Whether to answer with the results alone, for htmx to swap in. Not to htmx's request for
    a page its history cache no longer holds (Back to it): that swaps the answer in place of the
    whole page, which must then be the whole page, not the results without the console around."""
    return bool(request.htmx) and not request.htmx.history_restore_request


def _refused(request: HttpRequest) -> int:
    """The status of a page that shows why a question cannot be answered: 400, except to htmx,
    which swaps in only successful answers (the form stays, the explanation replaces the figures)."""
    return 200 if _partial(request) else 400


def _errors(error: DomainError) -> list[str]:
    """The refusal's messages for the page: each under the label of the field it is about, as
    the form names it, never the API's parameter name ("from: …"); a message that names its
    subject itself (a dimension, an agency, a source) stands alone."""
    if not error.errors:
        return [error.detail]
    labels = {"from": _("From year"), "to": _("To year"), "measure": _("Measure")}
    return [
        f"{labels[name]}: {message}" if name in labels else str(message)
        for name, texts in error.errors.items()
        for message in texts
    ]


# --- Laying a result out as a table --------------------------------------------------------------


@dataclass
class Pivot:
    """One measure of a result as rows × (at most one) column dimension."""

    measure: str
    label: str
    unit: str
    row_dims: list[dict[str, str]]
    column_dim: dict[str, str] | None
    columns: list[dict[str, Any]] = field(default_factory=list)
    rows: list[dict[str, Any]] = field(default_factory=list)
    column_totals: list[int | None] = field(default_factory=list)
    total: int | None = None
    adds_up: bool = True  # distinct counts (sites, companies, persons) do not add up across groups

    @property
    def width(self) -> int:
        """Columns of the table."""
        if not self.column_dim:
            return len(self.row_dims) + 1
        return len(self.row_dims) + len(self.columns) + (1 if self.adds_up else 0)

    def grid(self) -> list[list[Any]]:
        """The table as ``_table.html`` shows it, a list of lines of cells, for a spreadsheet: the
        header, a line per row, the totals line; labels in the reader's language, figures as
        numbers (a spreadsheet sums them), a suppressed count marked as on the page
        (``SUPPRESSED``), a heading that spans columns followed by blank cells. Without rows it
        is the page's tile: the measure and its total."""
        names = [capfirst(d["label"]) for d in self.row_dims]
        if not self.row_dims:
            return [[capfirst(self.label)], [_shown(self.total)]]
        if self.column_dim:
            header = [*names, *(c["label"] for c in self.columns), *([_("Total")] if self.adds_up else [])]
        else:
            header = [*names, capfirst(self.label)]
        lines: list[list[Any]] = [header]
        for row in self.rows:
            total = [_shown(row["total"])] if self.column_dim and self.adds_up else []
            lines.append([*row["labels"], *(_shown(v) for v in row["cells"]), *total])
        if not self.rows:
            lines.append([_("Nothing recorded for this choice."), *[""] * (self.width - 1)])
        footer: list[Any] = [_("Total"), *[""] * (len(self.row_dims) - 1)]
        if self.column_dim and self.adds_up:
            footer += [*(_shown(v) for v in self.column_totals), _shown(self.total)]
        elif self.column_dim:
            # One cell under every column on the page, with what it is; here the figure in the
            # first, the words beside it.
            note = _("(a count of distinct things: the cells do not add up to it)")
            footer += [_shown(self.total), note, *[""] * (len(self.columns) - 2)]
        else:
            footer.append(_shown(self.total))
        lines.append(footer)
        return lines


SUPPRESSED = "—"  # as the page marks a suppressed count (the ``figure`` filter)


def _shown(value: int | None) -> int | str:
    return SUPPRESSED if value is None else value


def period_label(dim: str, value: Any) -> str:
    """A time dimension's value as the reader's language writes it: the API's codes (2021-Q3,
    2021-07, 2021-W27, 2021-07-05) are for files and tools, and English to a Portuguese or
    Chinese reader. Months and days as the console writes dates (backend/formats)."""
    if dim == "year":
        return str(value)
    first, _last = period_span(dim, value)
    if dim == "quarter":
        return _("Q%(quarter)s %(year)s") % {"quarter": str(value)[-1], "year": first.year}
    if dim == "month":
        return date_format(first, "YEAR_MONTH_FORMAT")
    if dim == "week":
        year, week = str(value).split("-W")
        return _("Week %(week)s, %(year)s") % {"week": int(week), "year": year}
    return date_format(first, "DATE_FORMAT")


def _label(labels: dict[str, dict[str, str]], dim: str, value: Any) -> str:
    if value is None:
        return _("not recorded")
    if dim in TIME_DIMENSIONS:
        return period_label(dim, value)
    return labels.get(dim, {}).get(str(value), str(value))


def _sum(values: list[int | None]) -> int | None:
    """A total of cells, unless one is suppressed (it could then be worked out by subtraction)."""
    return None if any(v is None for v in values) else sum(v for v in values if v is not None)


def pivot(result: Result, rows: list[str], column: str | None, measure: str) -> Pivot:
    labels = value_labels(result.source, [*rows, *([column] if column else [])])
    dims = SOURCES[result.source].dimensions
    out = Pivot(
        measure=measure,
        label=str(MEASURES[measure].label),
        unit=str(MEASURES[measure].unit),
        row_dims=[{"id": d, "label": str(dims[d].label)} for d in rows],
        column_dim={"id": column, "label": str(dims[column].label)} if column else None,
        total=result.totals.get(measure),
        adds_up=measure not in DISTINCT_MEASURES,
    )
    column_values: dict[Any, None] = {}  # insertion-ordered sets
    row_keys: dict[tuple[Any, ...], None] = {}
    cells: dict[tuple[tuple[Any, ...], Any], int | None] = {}
    for row in result.rows:
        key = tuple(row[d] for d in rows)
        col = row[column] if column else None
        row_keys.setdefault(key)
        if column:
            column_values.setdefault(col)
        cells[(key, col)] = row[measure]
    # The columns in their dimension's declared order (the filters', the palette's: a chart
    # stacks them so), a dimension without choices (agencies, periods) by code; "not recorded" last.
    declared = {v: i for i, v in enumerate(dims[column].choices or {})} if column else {}
    ordered_columns = sorted(column_values, key=lambda v: (v is None, declared.get(v, len(declared)), str(v)))
    out.columns = (
        [{"value": v, "label": _label(labels, column, v)} for v in ordered_columns] if column else []
    )
    for key in row_keys:
        values = [cells.get((key, c), 0) for c in ordered_columns] if column else [cells.get((key, None), 0)]
        out.rows.append(
            {
                "values": list(key),
                "labels": [_label(labels, d, v) for d, v in zip(rows, key, strict=True)],
                "cells": values,
                "total": _sum(values) if column and out.adds_up else None,
            }
        )
    if column and out.adds_up:
        out.column_totals = [_sum([r["cells"][i] for r in out.rows]) for i in range(len(ordered_columns))]
    return out


def chart_data(table: Pivot) -> dict[str, Any] | None:
    """Chart.js's labels and datasets for a table (None when there are too many rows to chart)."""
    if not table.rows or len(table.rows) > CHART_ROW_LIMIT:
        return None
    labels = [" · ".join(r["labels"]) for r in table.rows]
    if table.column_dim:
        dim = table.column_dim["id"]
        datasets = [
            {
                "label": c["label"],
                "data": [r["cells"][i] for r in table.rows],
                "colour": series_colour(dim, c["value"], i),
            }
            for i, c in enumerate(table.columns)
        ]
    else:
        datasets = [{"label": table.label, "data": [r["cells"][0] for r in table.rows], "colour": 0}]
    chart = {
        "labels": labels,
        "datasets": datasets,
        "stacked": bool(table.column_dim),
        "unit": table.unit,
        # Stacked from the axis up in the table's order, named from the top down (the PDF's way).
        "legend": legend_order(list(range(len(datasets)))),
    }
    if any(v is None for d in datasets for v in d["data"]):
        # The chart marks a suppressed cell as the table does; its legend says what the mark means.
        chart["suppressed_note"] = str(_("— : a small count of people, hidden"))
    return chart


# --- Dashboard -----------------------------------------------------------------------------------

DASHBOARD_FILTERS = ("agency", "category", "parish")
INSPECTION_KPIS = ("inspections", "inspections_no_access", "sites_inspected", "companies_inspected")
FINDING_KPIS = ("findings", "findings_awaiting_review", "potential_victims")


def dashboard_filters(params: QueryDict) -> dict[str, str]:
    return {name: params.get(name, "").strip() for name in ("from", "to", *DASHBOARD_FILTERS)}


def dashboard_queries(filters: dict[str, str]) -> dict[str, dict[str, str]]:
    """The statistics API questions each panel of the dashboard asks, as the API's parameters.
    Findings have no parish: with a parish chosen, their panels are left out, not unfiltered."""
    period = {k: filters[k] for k in ("from", "to") if filters[k]}
    on_inspections = {**period, **{k: filters[k] for k in DASHBOARD_FILTERS if filters[k]}}
    on_findings = {**period, **{k: filters[k] for k in ("agency", "category") if filters[k]}}
    same_year = bool(filters["from"] and filters["to"] and filters["from"][:4] == filters["to"][:4])
    time = "month" if same_year else "year"
    queries = {
        "inspection_kpis": {"measure": ",".join(INSPECTION_KPIS), **on_inspections},
        "inspections_over_time": {"measure": "inspections", "by": f"{time},category", **on_inspections},
        "parishes": {"measure": "inspections", "by": "parish", **on_inspections},
    }
    if not filters["parish"]:
        queries["finding_kpis"] = {"measure": ",".join(FINDING_KPIS), **on_findings}
        queries["findings_over_time"] = {"measure": "findings", "by": f"{time},severity", **on_findings}
    return queries


def _ask(
    request: HttpRequest,
    params: dict[str, str] | QueryDict,
    *,
    agency_ids: dict[tuple[str, ...], list[int]] | None = None,
) -> Result:
    """The API's answer to ``params``, laid out for a table or a chart over time: the periods in
    which nothing was counted are there as zeros (the API leaves them out; a year missing from a
    trend would join its neighbours as if they followed each other). ``agency_ids``: agency
    codes already looked up by the page's other panels (one look-up for them all)."""
    query = query_from_params(params)
    if agency_ids is not None:
        query.agency_ids = agency_ids
    result = selectors.statistics_aggregate(user=request.user, query=query)
    return with_empty_periods(result)


def _year_choices(first_year: int | None = None, *, keep: tuple[str, ...] = ()) -> list[int]:
    """The years a period may be chosen from, latest first: those with data (from the first year
    with an inspection recorded) up to this year, and any year already chosen (an address
    shared with an older year keeps it selected)."""
    this_year = timezone.localdate().year
    years = set(range(min(first_year or this_year, this_year), this_year + 1))
    years |= {int(v[:4]) for v in keep if ascii_digits(v[:4]) and 1900 < int(v[:4]) < 2200}
    return sorted(years, reverse=True)


def _period_label(filters: dict[str, str]) -> str:
    if filters["from"] and filters["to"]:
        return _("%(start)s to %(end)s") % {"start": filters["from"], "end": filters["to"]}
    if filters["from"]:
        return _("from %(start)s") % {"start": filters["from"]}
    if filters["to"]:
        return _("up to %(end)s") % {"end": filters["to"]}
    return _("all years recorded")


def _dashboard_summary(filters: dict[str, str]) -> dict[str, str]:
    """The line above the dashboard's figures, and what a screen reader is told when they change:
    the period and every filter they were counted with (a category or a parish left unsaid, the
    figures read as everything's)."""
    dims = SOURCES["inspections"].dimensions
    named = []
    if filters["agency"]:
        named.append(_("Agency: %(agency)s.") % {"agency": filters["agency"]})
    if filters["category"]:
        category = dims["category"].choices.get(filters["category"], filters["category"])  # type: ignore[union-attr]
        named.append(_("Category: %(category)s.") % {"category": category})
    if filters["parish"]:
        parish = dims["parish"].choices.get(filters["parish"], filters["parish"])  # type: ignore[union-attr]
        named.append(_("Parish: %(parish)s.") % {"parish": parish})
    period = _period_label(filters)
    between = sentence_separator()
    return {
        "summary": between.join([_("Period: %(period)s.") % {"period": period}, *named]),
        "announce": between.join([_("Figures updated: %(period)s.") % {"period": period}, *named]),
    }


@_page
def dashboard(request: HttpRequest) -> HttpResponse:
    filters = dashboard_filters(request.GET)
    queries = dashboard_queries(filters)
    context: dict[str, Any] = {
        "filters": filters,
        "years": _year_choices(
            selectors.statistics_first_year(user=request.user), keep=(filters["from"], filters["to"])
        ),
        "agencies": selectors.statistics_agency_choices(user=request.user),
        "categories": SOURCES["inspections"].dimensions["category"].choices.items(),  # type: ignore[union-attr]
        "parishes": SOURCES["inspections"].dimensions["parish"].choices.items(),  # type: ignore[union-attr]
        "period": _period_label(filters),
        **_dashboard_summary(filters),
        "api_urls": {name: api_url(params) for name, params in queries.items()},
    }
    status = 200
    try:
        agency_ids: dict[tuple[str, ...], list[int]] = {}
        results = {name: _ask(request, params, agency_ids=agency_ids) for name, params in queries.items()}
    except DomainError as error:
        context["errors"] = _errors(error)
        status = _refused(request)
    else:
        context.update(_dashboard_panels(results))
        context["api_urls"] = {
            name: api_url(params, filled=results[name].filled) for name, params in queries.items()
        }
    partial = _partial(request)
    template = "reporting/console/_dashboard_results.html" if partial else "reporting/console/dashboard.html"
    response = render(request, template, context, status=status)
    if partial and "errors" not in context:
        query = urlencode({k: v for k, v in filters.items() if v})
        _address(request, response, f"{request.path}?{query}" if query else request.path)
    return response


def _kpis(result: Result) -> list[dict[str, Any]]:
    """The tiles of a result's measures, each with its definition, the day that dates what it
    counts and the agency it counts under (inspections and findings differ: the agency filter
    applies to each as its definition says)."""
    source = SOURCES[result.source]
    return [
        {
            "measure": m,
            "label": str(MEASURES[m].label),
            "definition": str(MEASURES[m].definition),
            "dated_by": str(source.dated_by or ""),
            "counted_under": str(source.counted_under or ""),
            "counted_under_short": str(source.counted_under_short or ""),
            "value": result.totals[m],
        }
        for m in result.query.measures
    ]


# Which side of its circle the dashboard's map names a parish on, away from its neighbours (the
# peninsula's five lie within a finger's width at the whole city's zoom); the rest: right.
LABEL_SIDES = {"fatima": "top", "santo_antonio": "left", "sao_lourenco": "left", "cotai": "left"}
# The name the map gives a parish where its full name does not fit (a phone): the name people
# use for the place, without the full name's bracketed part. The table beside the map gives the
# full names.
SHORT_PARISH_NAMES = {
    "fatima": pgettext_lazy("parish, short", "Fatima"),
    "santo_antonio": pgettext_lazy("parish, short", "St Anthony"),
    "sao_lazaro": pgettext_lazy("parish, short", "St Lazarus"),
    "se": pgettext_lazy("parish, short", "Sé"),
    "sao_lourenco": pgettext_lazy("parish, short", "St Lawrence"),
    "carmo_taipa": pgettext_lazy("parish, short", "Taipa"),
    "cotai": pgettext_lazy("parish, short", "Cotai"),
    "coloane": pgettext_lazy("parish, short", "Coloane"),
}


def _dashboard_panels(results: dict[str, Result]) -> dict[str, Any]:
    over_time = results["inspections_over_time"]
    time_dim = over_time.query.by[0]
    inspections_table = pivot(over_time, [time_dim], "category", "inspections")
    parish_table = pivot(results["parishes"], ["parish"], None, "inspections")
    # In the parish filter's order, which the map's legend follows: the peninsula from the
    # north, then Taipa, Cotai and Coloane (not recorded last).
    order = {parish: index for index, parish in enumerate(Parish.values)}
    parish_table.rows.sort(key=lambda r: order.get(r["values"][0], len(order)))
    centres = _parish_centres()
    # Every parish on the map, named with its figure (0 where none was inspected: no circle).
    counted = {r["values"][0]: r["cells"][0] for r in parish_table.rows}
    parish_points = [
        {
            "id": parish,
            "label": str(label),
            "value": counted.get(parish) or 0,
            "caption": _("%(parish)s: %(count)s")
            % {"parish": label, "count": number_format(counted.get(parish) or 0, force_grouping=True)},
            "short": _("%(parish)s: %(count)s")
            % {
                "parish": SHORT_PARISH_NAMES.get(parish, label),
                "count": number_format(counted.get(parish) or 0, force_grouping=True),
            },
            "side": LABEL_SIDES.get(parish, "right"),
            "centre": centres[parish],
        }
        for parish, label in Parish.choices
        if parish in centres
    ]
    charts: dict[str, Any] = {
        "inspections": chart_data(inspections_table),
        "parishes": parish_points,
    }
    panels: dict[str, Any] = {
        "kpis": _kpis(results["inspection_kpis"]),
        "inspections_table": inspections_table,
        "parish_table": parish_table,
        "computed_from": sorted({r.used for r in results.values()}),
        "as_of": figures_as_of(results.values()),
    }
    if "finding_kpis" in results:
        panels["kpis"] += _kpis(results["finding_kpis"])
        findings_table = pivot(results["findings_over_time"], [time_dim], "severity", "findings")
        panels["findings_table"] = findings_table
        charts["findings"] = chart_data(findings_table)
    panels["charts_json"] = json.dumps(charts)
    return panels


# --- Breakdowns ----------------------------------------------------------------------------------

LAYOUT_PARAMETERS = ("rows", "columns")  # the page's own: the API's ``by`` is rows then columns
DEFAULT_BREAKDOWN = {"measure": "inspections", "rows": "year", "columns": "category"}


@dataclass
class Breakdown:
    measure: str
    rows: list[str]
    column: str | None
    api_params: QueryDict
    page_query: str


def _split(params: QueryDict, name: str) -> list[str]:
    return [v.strip() for raw in params.getlist(name) for v in raw.split(",") if v.strip()]


def breakdown_from_params(params: QueryDict) -> Breakdown:
    """The page's query string (the API's, with ``rows`` and ``columns`` for ``by``) read as
    the API's parameters. Empty fields of the form (no period, no column) mean "none"."""
    if not params:
        params = QueryDict(urlencode(DEFAULT_BREAKDOWN))
    rows = _split(params, "rows")
    columns = _split(params, "columns")
    api = QueryDict(mutable=True)
    for name in params:
        if name in LAYOUT_PARAMETERS:
            continue
        values = params.getlist(name)
        if name in ("from", "to") and not any(v.strip() for v in values):
            continue
        api.setlist(name, values)
    if rows or columns:
        api["by"] = ",".join([*rows, *columns])
    page = api.copy()
    page.pop("by", None)
    for name, values in (("rows", rows), ("columns", columns)):
        if values:
            page[name] = ",".join(values)
    measures = _split(params, "measure")
    # A table has one column dimension: any before the last are laid out as rows, in order.
    return Breakdown(
        measure=measures[0] if measures else "",
        rows=[*rows, *columns[:-1]],
        column=columns[-1] if columns else None,
        api_params=api,
        page_query=page.urlencode(),
    )


def _keep_for_source(params: QueryDict) -> QueryDict:
    """After the measure changed: drop the layout and filters the new measure's source lacks."""
    measure = (_split(params, "measure") or [""])[0]
    if measure not in MEASURES:
        return params
    dims = SOURCES[MEASURES[measure].source].dimensions
    kept = QueryDict(mutable=True)
    for name in params:
        values = params.getlist(name)
        if name in LAYOUT_PARAMETERS:
            values = [",".join(v for v in _split(params, name) if v in dims)]
        elif name not in ("measure", "from", "to") and name not in dims:
            continue
        kept.setlist(name, values)
    if not _split(kept, "rows") and not _split(kept, "columns"):
        kept["rows"] = "year"
    return kept


def _form_context(request: HttpRequest, breakdown: Breakdown) -> dict[str, Any]:
    catalogue = selectors.statistics_catalogue(user=request.user)
    groups: dict[str, dict[str, Any]] = {}
    for measure in catalogue:
        group = groups.setdefault(
            measure["source"]["id"], {"label": measure["source"]["label"], "measures": []}
        )
        group["measures"].append(measure)
    current = next((m for m in catalogue if m["id"] == breakdown.measure), catalogue[0])
    agencies = selectors.statistics_agency_choices(user=request.user)
    chosen = {name: set(_split(breakdown.api_params, name)) for name in breakdown.api_params}
    filters = []
    for dim in current["dimensions"]:
        if dim["id"] in TIME_DIMENSIONS:
            continue
        if dim["values"]:
            options = list(dim["values"].items())
        elif dim["id"] == "agency":
            options = [(code, f"{code} · {name}") for code, name in agencies]
        else:
            continue
        values = chosen.get(dim["id"], set())
        filters.append(
            {
                "id": dim["id"],
                "label": dim["label"],
                "options": [{"value": v, "label": label, "checked": v in values} for v, label in options],
                "count": len(values),
            }
        )
    years = _year_choices(
        selectors.statistics_first_year(user=request.user),
        keep=(breakdown.api_params.get("from", ""), breakdown.api_params.get("to", "")),
    )
    return {
        "measure_groups": list(groups.values()),
        "current_measure": current,
        "dimensions": current["dimensions"],
        "row_choice": [*breakdown.rows, "", ""][:2],
        "column_choice": breakdown.column or "",
        "filter_fields": filters,
        "period_from": breakdown.api_params.get("from", ""),
        "period_to": breakdown.api_params.get("to", ""),
        "years": years,
        "years_text": [str(year) for year in years],
    }


def breakdown_tables(result: Result, spec: Breakdown) -> list[Pivot]:
    """The breakdown's tables, one a measure: its rows by its columns (a column dimension alone
    is laid out as rows)."""
    if not spec.rows and spec.column:
        return [pivot(result, [spec.column], None, m) for m in result.query.measures]
    return [pivot(result, spec.rows, spec.column, m) for m in result.query.measures]


@_page
def breakdown(request: HttpRequest) -> HttpResponse:
    params = request.GET
    focus_measure = bool(request.htmx and request.htmx.trigger_name == "measure")
    # A measure other than the one the form's fields were drawn for: chosen by its own select, or
    # chosen while an answer was on its way and then asked by Show, queued behind that answer.
    drawn_for = request.headers.get("Breakdown-Form-Measure") if request.htmx else None
    other_measure = bool(drawn_for) and drawn_for not in _split(params, "measure")
    if focus_measure or other_measure:
        params = _keep_for_source(params)
    spec = breakdown_from_params(params)
    context: dict[str, Any] = {
        "spec": spec,
        "share_url": f"{request.path}?{spec.page_query}",
        "api_url": api_url(spec.api_params),
        "csv_url": f"{reverse('reporting:breakdown-download', args=['csv'])}?{spec.page_query}",
        "xlsx_url": f"{reverse('reporting:breakdown-download', args=['xlsx'])}?{spec.page_query}",
        "table_csv_url": f"{reverse('reporting:breakdown-table-download', args=['csv'])}?{spec.page_query}",
        "table_xlsx_url": f"{reverse('reporting:breakdown-table-download', args=['xlsx'])}?{spec.page_query}",
        "focus_measure": focus_measure,
    }
    status = 200
    try:
        result = _ask(request, spec.api_params)
    except DomainError as error:
        context["errors"] = _errors(error)
        status = _refused(request)
    else:
        tables = breakdown_tables(result, spec)
        chart = chart_data(tables[0]) if tables and (spec.rows or spec.column) else None
        context.update(
            {
                "api_url": api_url(spec.api_params, filled=result.filled),
                "result": result,
                "tables": tables,
                "chart": chart,
                "chart_json": json.dumps(chart),
                "definitions": [
                    {"label": str(m.label), "definition": str(m.definition)} for m in result.measures
                ],
                "source_definition": str(SOURCES[result.source].definition),
                "as_of": figures_as_of([result]),
            }
        )
    context.update(_form_context(request, spec))
    partial = _partial(request)
    template = "reporting/console/_breakdown.html" if partial else "reporting/console/breakdown.html"
    response = render(request, template, context, status=status)
    if partial and "errors" not in context:
        _address(request, response, context["share_url"])
    return response


@_page
def breakdown_download(request: HttpRequest, extension: str) -> HttpResponse:
    """The breakdown as the API's CSV or XLSX export (codes as values, definitions attached): the
    groups where something was counted, as the API gives them, without the table's empty periods."""
    spec = breakdown_from_params(request.GET)
    try:
        result = selectors.statistics_aggregate(user=request.user, query=query_from_params(spec.api_params))
    except DomainError as error:
        return _download_refused(request, spec, error)
    filename = exports.filename(result, extension)
    if extension == "csv":
        response = HttpResponse(exports.result_csv(result), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(exports.result_xlsx(result), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@_page
def breakdown_table_download(request: HttpRequest, extension: str) -> HttpResponse:
    """The breakdown's table as the page shows it, for a spreadsheet: the same rows (periods
    where nothing was counted as zeros), columns, order and totals, labels and headers in the
    reader's language, a suppressed count marked as on the page (``Pivot.grid``). The download
    beside it (``breakdown_download``) is the data for tools: a line per group, codes."""
    spec = breakdown_from_params(request.GET)
    try:
        result = _ask(request, spec.api_params)
    except DomainError as error:
        return _download_refused(request, spec, error)
    tables = [(capfirst(t.label), t.grid()) for t in breakdown_tables(result, spec)]
    notes = []
    if result.suppressed:
        notes.append(
            _(
                "— : a count of people below the suppression threshold, hidden so that nobody can be"
                " singled out; totals that would reveal it are hidden too."
            )
        )
    language = translation.get_language() or "en"
    filename = exports.filename(result, extension, suffix=f"table-{language}")
    if extension == "csv":
        response = HttpResponse(exports.table_csv(tables, notes), content_type="text/csv; charset=utf-8")
    else:
        counted = [(capfirst(str(m.label)), str(m.definition)) for m in result.measures]
        counted.append((_("Records"), str(SOURCES[result.source].definition)))
        asked = _question_asked(request, spec, result)
        response = HttpResponse(exports.table_xlsx(tables, notes, counted, asked), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _question_asked(request: HttpRequest, spec: Breakdown, result: Result) -> list[tuple[str, str]]:
    """What a table answers, as the page's form chose it and in its words: a workbook opened later,
    away from the page, says what it counts, of which years, filtered how, as of when, and links
    back to the breakdown. (The data's workbook has its "question" sheet, in codes, for tools.)"""
    form = _form_context(request, spec)
    dims = {d["id"]: capfirst(d["label"]) for d in form["dimensions"]}
    none = _("None")
    open_end = pgettext("a period's first or last year: none chosen", "Any")
    lines = [
        (_("Measure"), ", ".join(capfirst(str(m.label)) for m in result.measures)),
        (
            pgettext("what a breakdown's rows are", "Rows"),
            ", ".join(dims.get(d, d) for d in spec.rows) or none,
        ),
        (_("Columns"), dims.get(spec.column, spec.column) if spec.column else none),
        (_("From year"), spec.api_params.get("from") or open_end),
        (_("To year"), spec.api_params.get("to") or open_end),
    ]
    shown = {f["id"]: f for f in form["filter_fields"]}
    for name in spec.api_params:
        if name in ("from", "to", "measure", "by") or name not in dims:
            continue
        values = _split(spec.api_params, name)
        if name in shown:
            labels = {o["value"]: o["label"] for o in shown[name]["options"]}
            values = [labels.get(v, v) for v in values]
        label = pgettext("a filter a breakdown applied", "Filter: %(dimension)s") % {"dimension": dims[name]}
        lines.append((label, ", ".join(values)))
    as_of = figures_as_of([result])
    if as_of and not as_of.get("pending"):
        when = f"{as_of['day']}, {as_of['text']}" if as_of["day"] else as_of["text"]
        lines.append((_("Figures as of"), when))
    rollups = result.used == "rollup"
    computed = _("Computed from the daily rollups.") if rollups else _("Computed from the records.")
    lines.append((_("Computed from"), computed))
    lines.append((_("Downloaded"), formats.date_format(timezone.localtime(), "DATETIME_FORMAT")))
    link = request.build_absolute_uri(f"{reverse('reporting:breakdown')}?{spec.page_query}")
    lines.append((_("Link to this breakdown"), link))
    return lines


def _download_refused(request: HttpRequest, spec: Breakdown, error: DomainError) -> HttpResponse:
    """A question that cannot be answered, explained on the breakdown's page, not as a file."""
    return render(
        request,
        "reporting/console/breakdown.html",
        {"spec": spec, "errors": _errors(error), **_form_context(request, spec)},
        status=400,
    )


# --- The yearly report ---------------------------------------------------------------------------


REPORT_DEFAULT_YEARS = 5


def _years(year_from: int, year_to: int) -> tuple[int, int]:
    # No report of a year not yet begun (its zeros read as a year with no inspection).
    if not 1900 < year_from <= year_to <= timezone.localdate().year:
        raise Http404
    return year_from, year_to


def _report_language(request: HttpRequest) -> str:
    language = request.GET.get("lang") or translation.get_language() or "en"
    if language not in LANGUAGES:
        raise Http404
    return language


def _proposal(recorded: tuple[int, int] | None, year_from: int, year_to: int) -> str:
    """Which years the page proposes, and why, in words."""
    years = {"start": year_from, "end": year_to}
    if recorded is None:
        return _("No full year has inspections recorded yet.")
    if year_to - year_from + 1 < REPORT_DEFAULT_YEARS:
        return _("Proposed: %(start)s–%(end)s, every full year with inspections recorded.") % years
    return _("Proposed: %(start)s–%(end)s, the last five full years with inspections recorded.") % years


@_page
def report_index(request: HttpRequest) -> HttpResponse:
    chosen: tuple[str, str] = ("", "")
    if request.GET.get("from") and request.GET.get("to"):
        try:
            year_from, year_to = int(request.GET["from"]), int(request.GET["to"])
        except ValueError:
            year_from = year_to = 0
        if 1900 < year_from <= year_to < 2200:
            return redirect("reporting:report", year_from=year_from, year_to=year_to)
        messages.error(request, _("Choose a first year that is not after the last."))
        # The lists keep what was chosen, so the reader sees the years the message is about and
        # changes one of them, rather than finding the proposal back in their place.
        if 1900 < year_from < 2200 and 1900 < year_to < 2200:
            chosen = (str(year_from), str(year_to))
    this_year = timezone.localdate().year
    # The last five full years that hold records (the demo's history is 2019–2023), not blindly
    # the five before this one, which may hold nothing.
    recorded = selectors.report_years_recorded(user=request.user, before_year=this_year)
    if recorded:
        default_to = recorded[1]
        default_from = max(recorded[0], default_to - REPORT_DEFAULT_YEARS + 1)
    else:
        default_from, default_to = this_year - REPORT_DEFAULT_YEARS, this_year - 1
    years = _year_choices(recorded[0] if recorded else None, keep=chosen)
    return render(
        request,
        "reporting/console/report_index.html",
        {
            "publications": selectors.report_publication_list(user=request.user),
            "years": years,
            "selected_from": int(chosen[0]) if chosen[0] else default_from,
            "selected_to": int(chosen[1]) if chosen[1] else default_to,
            "proposal": _proposal(recorded, default_from, default_to),
        },
    )


# Each chart of the report (by its builder's name): its title, and the breakdown that gives its
# figures as a table.
CHART_PAGES = {
    "chart_inspections_per_year": (
        _lazy("Inspections per year, by category"),
        {"measure": "inspections", "rows": "year", "columns": "category"},
    ),
    "chart_categories": (_lazy("Inspections by category"), {"measure": "inspections", "rows": "category"}),
    "chart_parish_map": (
        _lazy("Inspections by parish (schematic map)"),
        {"measure": "inspections", "rows": "parish"},
    ),
    "chart_hotline": (
        _lazy("Hotline calls per year"),
        {"measure": "calls", "rows": "year", "columns": "hotline"},
    ),
}


def _chart_builders() -> list[tuple[str, Any]]:
    from backend.reporting.render import CHARTS

    return [(section, build) for section, builds in CHARTS.items() for build in builds]


def _charts(year_from: int, year_to: int, language: str) -> dict[str, list[dict[str, str]]]:
    """The report's charts as images of their own (drawn on their own requests, so the page
    does not wait for them), each with its title and a link to its figures as a table."""
    period = {"from": str(year_from), "to": str(year_to)}
    out: dict[str, list[dict[str, str]]] = {}
    for index, (section, build) in enumerate(_chart_builders()):
        title, layout = CHART_PAGES.get(build.__name__, (_lazy("Chart"), None))
        chart = {
            "src": reverse("reporting:report-chart", args=[year_from, year_to, index]) + f"?lang={language}",
            "title": str(title),
        }
        if layout:
            chart["table_url"] = f"{reverse('reporting:breakdown')}?{urlencode({**layout, **period})}"
        out.setdefault(section, []).append(chart)
    return out


# An SVG image is drawn with its own inline styles and runs no script; shown through <img>.
@csp_replace({"style-src": ["'unsafe-inline'"], "script-src": ["'none'"], "default-src": ["'none'"]})
@_page
def report_chart(request: HttpRequest, year_from: int, year_to: int, index: int) -> HttpResponse:
    from backend.reporting.render import svg_text

    year_from, year_to = _years(year_from, year_to)
    language = _report_language(request)
    if not selectors.statistics_access(user=request.user).full:
        raise Http404
    builders = _chart_builders()
    if index >= len(builders):
        raise Http404
    try:
        with translation.override(language):
            svg = svg_text(builders[index][1](year_from, year_to))
    except DomainError as error:  # the image's alternative text stands in for it
        return HttpResponse(str(error.detail), status=error.status, content_type="text/plain; charset=utf-8")
    return HttpResponse(svg, content_type="image/svg+xml; charset=utf-8")


def _display(value: Any, *, year: bool = False) -> Any:
    """A figure's value for the page: numbers as numbers, a year as written (never grouped as
    2,007), per-year lists as (year, value)."""
    if year and isinstance(value, int):
        return str(value)
    if isinstance(value, list) and value and isinstance(value[0], dict):
        return [(r.get("year"), next((v for k, v in r.items() if k != "year"), None)) for r in value]
    return value


@_page
def report(request: HttpRequest, year_from: int, year_to: int) -> HttpResponse:
    year_from, year_to = _years(year_from, year_to)
    language = _report_language(request)
    with translation.override(language):
        figures = selectors.report_read(user=request.user, year_from=year_from, year_to=year_to)
        charts = _charts(year_from, year_to, language)
        sections = [
            {
                "id": key,
                "title": str(title),
                "figures": [
                    {
                        "figure": f,
                        # A figure that is a year (the Committee's founding) is named ``…_year``.
                        "value": _display(f.value, year=f.id.endswith("_year")),
                        "current": _display(f.current, year=f.id.endswith("_year")),
                        "difference": _display(f.difference),
                    }
                    for f in figures
                    if f.section == key
                ],
                "charts": charts.get(key, []),
            }
            for key, title in SECTIONS.items()
        ]
        published = next(
            (
                p
                for p in selectors.report_publication_list(user=request.user)
                if (p.year_from, p.year_to) == (year_from, year_to)
            ),
            None,
        )
        article = render_to_string(
            "reporting/console/_report_article.html",
            {
                "sections": sections,
                "published": published,
                "year_from": year_from,
                "year_to": year_to,
                "generated_at": timezone.localtime(),
                "corrections": sum(1 for f in figures if f.changed),
            },
            request=request,
        )
    return render(
        request,
        "reporting/console/report.html",
        {
            "article": article,
            "article_language": "zh-Hant" if language == "zh-hant" else language,
            "language": language,
            "languages": LANGUAGES.items(),
            "year_from": year_from,
            "year_to": year_to,
            "published": published,
        },
    )


@_page
def report_pdf(request: HttpRequest, year_from: int, year_to: int) -> HttpResponse:
    from backend.reporting.render import report_pdf as render_pdf

    year_from, year_to = _years(year_from, year_to)
    language = _report_language(request)
    selectors.report_read(user=request.user, year_from=year_from, year_to=year_to)  # the access check
    try:
        with translation.override(language):
            data = render_pdf(year_from=year_from, year_to=year_to)
    except DomainError as error:  # e.g. no font to draw Chinese with: say so on the report's page
        messages.error(request, error.detail)
        return redirect("reporting:report", year_from=year_from, year_to=year_to)
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="report-{year_from}-{year_to}-{language}.pdf"'
    return response


@_page
def report_xlsx(request: HttpRequest, year_from: int, year_to: int) -> HttpResponse:
    """The report's figures as a workbook, in the language asked (``?lang=``), the same figures
    the page shows: as published, with what they are now, for a published period."""
    year_from, year_to = _years(year_from, year_to)
    language = _report_language(request)
    with translation.override(language):
        figures = selectors.report_read(user=request.user, year_from=year_from, year_to=year_to)
        published = next(
            (
                p
                for p in selectors.report_publication_list(user=request.user)
                if (p.year_from, p.year_to) == (year_from, year_to)
            ),
            None,
        )
        data = exports.report_xlsx(
            figures=figures,
            year_from=year_from,
            year_to=year_to,
            published_at=published.published_at if published else None,
        )
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="report-{year_from}-{year_to}-{language}.xlsx"'
    return response


@_page
@require_POST
def report_publish(request: HttpRequest, year_from: int, year_to: int) -> HttpResponse:
    year_from, year_to = _years(year_from, year_to)
    if not selectors.statistics_access(user=request.user).full:
        raise Http404
    try:
        services.report_publish(year_from=year_from, year_to=year_to, actor=request.user, request=request)
    except DomainError as error:
        messages.error(request, error.detail)
    else:
        messages.success(
            request,
            _("The report %(start)s–%(end)s is published; later changes will show beside its figures.")
            % {"start": year_from, "end": year_to},
        )
    return redirect("reporting:report", year_from=year_from, year_to=year_to)
