"""The analysts' pages show exactly the statistics API's figures for the same question: the
dashboard's tiles, tables and map, a breakdown's table, its XLSX download; the report in
three languages (the PDF in Traditional Chinese), and a publication beside its corrections.

Built on the demo city's five-year history; the analyst signs in through the sign-in page and
asks the API with the same session."""

from __future__ import annotations

import io
import re
from urllib.parse import urlencode

import pypdfium2 as pdfium
import pytest
from openpyxl import load_workbook

from backend.compliance.models import Referral
from tests.reporting.pages.figures import PageFigures, api_cells, page_cells

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("history")]

API = "/api/v1/statistics/query/"


def _api(client, **params):
    response = client.get(API, params)
    assert response.status_code == 200, response.content
    return response.json()


def _page(client, url, **params):
    response = client.get(f"{url}?{urlencode(params, doseq=True)}")
    assert response.status_code == 200, response.content[:2000]
    return PageFigures(response.content.decode())


@pytest.mark.parametrize(
    "filters",
    [
        {},
        {"from": "2019", "to": "2023"},
        {"from": "2021", "to": "2021", "agency": "DSAL"},
        {"agency": "PSP", "category": "prostitution_trafficking"},
        {"from": "2020", "to": "2022", "parish": "se"},
    ],
)
def test_dashboard_figures_equal_the_apis(analyst, filters):
    figures = _page(analyst, "/statistics/", **filters)
    inspections = _api(
        analyst,
        measure="inspections,inspections_no_access,sites_inspected,companies_inspected",
        **filters,
    )
    for measure, value in inspections["totals"].items():
        assert figures.kpis[measure] == value, measure
    assert inspections["totals"]["inspections"] > 0
    time = "month" if filters.get("from") and filters.get("from") == filters.get("to") else "year"
    over_time = _api(analyst, measure="inspections", by=f"{time},category", **filters)
    table = figures.tables["inspections"]
    assert page_cells(table) == api_cells(over_time, [time], "category", "inspections")
    by_parish = _api(analyst, measure="inspections", by="parish", **filters)
    parishes = PageFigures(
        analyst.get(f"/statistics/?{urlencode(filters)}").content.decode().split('id="h-parishes"')[1]
    ).tables["inspections"]
    assert page_cells(parishes) == api_cells(by_parish, ["parish"], None, "inspections")
    if "parish" in filters:
        assert "findings" not in figures.kpis  # findings have no parish: left out, not unfiltered
        return
    on_findings = {k: v for k, v in filters.items() if k != "parish"}
    findings = _api(analyst, measure="findings,findings_awaiting_review,potential_victims", **on_findings)
    for measure, value in findings["totals"].items():
        assert figures.kpis[measure] == value, measure
    severity = _api(analyst, measure="findings", by=f"{time},severity", **on_findings)
    assert page_cells(figures.tables["findings"]) == api_cells(severity, [time], "severity", "findings")


def test_dashboard_filters_answer_as_a_fragment_for_htmx(analyst):
    response = analyst.get("/statistics/?agency=DSAL&from=2022&to=2022", HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html and 'id="dashboard-data"' in html
    assert response["HX-Push-Url"] == "/statistics/?from=2022&to=2022&agency=DSAL"


BREAKDOWNS = [
    {"measure": "inspections", "rows": "year", "columns": "category"},
    {"measure": "inspections", "rows": "year,agency", "columns": "site_kind", "from": "2020", "to": "2022"},
    {"measure": "sites_inspected", "rows": "parish", "columns": "year", "agency": ["PSP", "PJ"]},
    {"measure": "findings", "rows": "severity", "category": "illegal_employment"},
    {"measure": "calls", "rows": "year", "columns": "hotline"},
    {"measure": "participants", "rows": "kind", "columns": "audience", "from": "2019", "to": "2023"},
    {"measure": "referrals", "rows": "year,nationality_band", "columns": "sex"},
    {"measure": "inspections", "rows": "year", "columns": "agency,joint"},  # two columns: one is a row
]


def _as_api(params):
    api = {k: v for k, v in params.items() if k not in ("rows", "columns")}
    api["by"] = ",".join(x for x in (params.get("rows", ""), params.get("columns", "")) if x)
    return api


@pytest.mark.parametrize("params", BREAKDOWNS)
def test_breakdown_figures_equal_the_apis(analyst, params):
    figures = _page(analyst, "/statistics/breakdown/", **params)
    body = _api(analyst, **_as_api(params))
    columns = params.get("columns", "").split(",")
    rows = [*params["rows"].split(","), *columns[:-1]]
    column = columns[-1] or None
    table = figures.tables[params["measure"]]
    assert page_cells(table) == api_cells(body, rows, column, params["measure"])
    assert table["total"] == body["totals"][params["measure"]]
    assert body["rows"], "the example should have figures"


def test_small_counts_of_people_are_suppressed_as_in_the_api(analyst):
    params = {"measure": "referrals", "rows": "year,nationality_band,age_band", "columns": "sex"}
    body = _api(analyst, **_as_api(params))
    assert body["suppressed"] and any(r["referrals"] is None for r in body["rows"])
    table = _page(analyst, "/statistics/breakdown/", **params).tables["referrals"]
    hidden = {k for k, v in table["cells"].items() if v is None}
    assert hidden == {
        k for k, v in api_cells(body, params["rows"].split(","), "sex", "referrals").items() if v is None
    }
    assert table["total"] is None


def test_an_analyst_never_sees_who_or_where_a_referral_is(analyst):
    html = analyst.get("/statistics/breakdown/?measure=referrals&rows=year").content.decode()
    offered = html.split('id="bd-rows-1"')[1].split("</select>")[0]
    assert 'value="nationality_band"' in offered
    for identifying in ("site", "name", "address", "passport", "finding"):
        assert f'value="{identifying}"' not in offered
    sites = {r.site.name for r in Referral.objects.select_related("site")[:50]}
    assert sites
    for name in sites:
        assert name not in html
    assert analyst.get("/statistics/breakdown/?measure=referrals&rows=site").status_code == 400


@pytest.mark.parametrize("params", BREAKDOWNS[:3])
def test_xlsx_download_has_the_apis_figures(analyst, params):
    query = urlencode(params, doseq=True)
    response = analyst.get(f"/statistics/breakdown.xlsx?{query}")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content))["data"]
    header, *rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    body = _api(analyst, **_as_api(params))
    assert header == [*body["by"], params["measure"]]
    expected = [[r[c] for c in header] for r in body["rows"]]
    assert [[("" if v is None else v) for v in r] for r in rows] == [
        [("" if v is None else v) for v in r] for r in expected
    ]
    csv_response = analyst.get(f"/statistics/breakdown.csv?{query}")
    assert csv_response.content.decode().splitlines()[0] == ",".join(header)


def test_breakdown_keeps_its_question_in_its_address(analyst):
    response = analyst.get(
        "/statistics/breakdown/?measure=inspections&rows=year&rows=&columns=agency&from=2021&to=&category=illegal_employment",
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert response["HX-Push-Url"] == (
        "/statistics/breakdown/?measure=inspections&from=2021&category=illegal_employment&rows=year&columns=agency"
    )


def test_a_question_refused_explains_itself_in_place_for_htmx(analyst):
    response = analyst.get(
        "/statistics/breakdown/?measure=inspections&rows=year&rows=year", HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200  # htmx swaps only successful answers
    assert 'class="errors"' in response.content.decode() and "HX-Push-Url" not in response


def test_changing_the_measure_keeps_only_what_its_source_has(analyst):
    response = analyst.get(
        "/statistics/breakdown/?measure=calls&rows=year&columns=category&category=illegal_employment",
        HTTP_HX_REQUEST="true",
        HTTP_HX_TRIGGER_NAME="measure",
    )
    assert response.status_code == 200
    assert response["HX-Push-Url"] == "/statistics/breakdown/?measure=calls&rows=year"


@pytest.mark.parametrize("language", ["en", "zh-hant", "pt"])
def test_report_page_in_each_language(analyst, language):
    from django.utils import translation

    from backend.reporting.report import SECTIONS

    html = analyst.get(f"/statistics/report/2019-2023/?lang={language}").content.decode()
    with translation.override(language):
        for title in SECTIONS.values():
            assert str(title) in html
    assert 'lang="zh-Hant"' in html if language == "zh-hant" else f'lang="{language}"' in html
    # The charts are images of their own, drawn in the report's language, with their own styles.
    src = f"/statistics/report/2019-2023/charts/0.svg?lang={language}"
    assert f'src="{src}"' in html
    chart = analyst.get(src)
    assert chart.status_code == 200 and chart["Content-Type"].startswith("image/svg+xml")
    assert "style-src 'unsafe-inline'" in chart["Content-Security-Policy"]
    assert "script-src 'none'" in chart["Content-Security-Policy"]
    # In fonts a browser has: reportlab's own names ("Helvetica-Bold", "ReportCJK-…") fell back
    # to the browser's default, a serif face.
    families = set(re.findall(r"font-family: ([^;\"]+)", chart.content.decode()))
    assert families and all(f.endswith("sans-serif") for f in families), families
    assert not any("Bold" in f or "ReportCJK" in f for f in families), families
    assert any("Noto Sans CJK TC" in f for f in families) == (language == "zh-hant"), families
    assert analyst.get("/statistics/report/2019-2023/charts/99.svg").status_code == 404


def test_report_pdf_downloads_in_traditional_chinese(analyst):
    response = analyst.get("/statistics/report/2019-2023.pdf?lang=zh-hant")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "report-2019-2023-zh-hant.pdf" in response["Content-Disposition"]
    document = pdfium.PdfDocument(response.content)
    assert "打擊販賣人口報告 2019–2023" in document[0].get_textpage().get_text_range()


def _sheet(book, index):
    rows = list(book.worksheets[index].iter_rows(values_only=True))
    return rows[0], rows[1:]


def test_report_workbook_holds_the_reports_figures_in_the_language_asked(analyst):
    from backend.reporting.report import report_json

    page = analyst.get("/statistics/report/2019-2023/?lang=zh-hant").content.decode()
    assert 'href="/statistics/report/2019-2023.xlsx?lang=zh-hant"' in page
    response = analyst.get("/statistics/report/2019-2023.xlsx?lang=zh-hant")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert 'filename="report-2019-2023-zh-hant.xlsx"' in response["Content-Disposition"]
    book = load_workbook(io.BytesIO(response.content))
    header, rows = _sheet(book, 0)
    assert header[:4] == ("id", "章節", "數據", "數值（未發佈）"), header  # Chinese; not published
    expected = report_json(year_from=2019, year_to=2023)
    by_id = {row[0]: row for row in rows}
    assert set(by_id) == set(expected)
    _yearly_header, yearly = _sheet(book, 1)
    per_year = {}
    for figure_id, _label, year, value in yearly:
        per_year.setdefault(figure_id, {})[year] = value
    numbers = 0
    for figure_id, value in expected.items():
        cell = by_id[figure_id][3]
        if isinstance(value, list) and value and isinstance(value[0], dict):
            assert per_year[figure_id] == {
                r["year"]: next(v for k, v in r.items() if k != "year") for r in value
            }
        elif isinstance(value, list):
            assert cell == ("; ".join(value) if value else None), figure_id
        elif isinstance(value, int):
            assert cell == value, figure_id  # a number a spreadsheet sums, not text
            numbers += 1
    assert numbers >= 10
    # Each figure carries its definition, in the language asked.
    assert all(row[-1] for row in rows)


def test_a_published_reports_workbook_shows_its_corrections(analyst):
    from backend.outreach.models import HotlineCall

    assert analyst.post("/statistics/report/2022-2022/publish/").status_code == 302
    call = HotlineCall.objects.filter(received_on__year=2022).first()
    HotlineCall.objects.create(
        hotline=call.hotline, kind=call.kind, outcome=call.outcome, received_on=call.received_on
    )
    book = load_workbook(io.BytesIO(analyst.get("/statistics/report/2022-2022.xlsx?lang=en").content))
    header, rows = _sheet(book, 0)
    assert header[3:6] == ("As published", "Now", "Difference"), header
    changed = [row for row in rows if row[4] not in (None, "")]
    assert changed, rows
    for row in changed:
        if isinstance(row[3], int):
            assert row[4] - row[3] == row[5]
    about = dict(book.worksheets[2].iter_rows(values_only=True))
    assert about["Report"] == "2022–2022" and about["Published"]


def test_a_publication_shows_beside_its_later_corrections(analyst):
    from backend.outreach.models import HotlineCall

    response = analyst.post("/statistics/report/2022-2022/publish/")
    assert response.status_code == 302
    index = analyst.get("/statistics/report/").content.decode()
    assert "/statistics/report/2022-2022/" in index
    page = analyst.get("/statistics/report/2022-2022/").content.decode()
    assert "As published" in page and "Publish this report" not in page
    # A call logged late for 2022 corrects the records: the published figure stays, the new
    # value and the difference stand beside it.
    call = HotlineCall.objects.filter(received_on__year=2022).first()
    HotlineCall.objects.create(
        hotline=call.hotline, kind=call.kind, outcome=call.outcome, received_on=call.received_on
    )
    page = analyst.get("/statistics/report/2022-2022/").content.decode()
    assert 'class="changed"' in page
    again = analyst.post("/statistics/report/2022-2022/publish/", follow=True)
    assert "already" in again.content.decode().lower()


def test_dashboard_query_count_is_pinned(analyst, django_assert_max_num_queries):
    # Session and officer (4), the agency choices (1), five panels each one grouped query and,
    # with an agency filter, two agency look-ups by the engine (15), the header's agency (1),
    # when the rollups were last refreshed (1).
    with django_assert_max_num_queries(22):
        assert analyst.get("/statistics/?from=2019&to=2023&agency=DSAL").status_code == 200
    with django_assert_max_num_queries(13):
        assert (
            analyst.get("/statistics/breakdown/?measure=inspections&rows=year&columns=category").status_code
            == 200
        )


def test_report_page_query_count_is_pinned(analyst, django_assert_max_num_queries):
    """One query per figure of the report (it has 30), whatever the number of records; the
    charts are drawn on requests of their own. On PostgreSQL each distinct count over the records
    also sets its working memory (one statement; two such figures)."""
    with django_assert_max_num_queries(47):
        assert analyst.get("/statistics/report/2019-2023/").status_code == 200


def _selected(index: str, select_id: str) -> str:
    import re

    select = re.search(rf'<select id="{select_id}"[^>]*>(.*?)</select>', index, re.S)
    assert select, index
    return re.findall(r'<option value="(\d+)" selected>', select.group(1))


def test_the_report_proposes_the_last_five_full_years_with_records(analyst, django_assert_num_queries):
    """The history holds 2019–2023 (and the demo's present, this year): the page proposes those
    five years and says which they are, instead of the five years before this one, of which
    only 2021–2023 hold anything."""
    analyst.get("/statistics/report/")
    # The session, the user, the officer and roles, one MIN/MAX over the monthly rollup, the
    # publications, the officer's agency.
    with django_assert_num_queries(7):
        index = analyst.get("/statistics/report/").content.decode()
    assert (_selected(index, "r-from"), _selected(index, "r-to")) == (["2019"], ["2023"])
    assert "Proposed: 2019–2023, the last five full years with inspections recorded." in index
    analyst.post("/i18n/setlang/", {"language": "zh-hant", "next": "/"})
    assert (
        "建議：2019–2023，即最近五個記錄了巡查的完整年度。"
        in analyst.get("/statistics/report/").content.decode()
    )
