"""The statistics API (/api/v1/statistics/): the catalogue of measures, measures × dimensions ×
filters as JSON, CSV or XLSX, and the report as JSON, HTML or PDF. Session authentication.

Thin: parameters are parsed by ``statistics.query_from_params`` (a bad measure, dimension or
filter is a 400 problem naming the field), access is decided in ``selectors``."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from backend.core.errors import InvalidInput
from backend.reporting import exports, selectors, services
from backend.reporting.report import SECTIONS
from backend.reporting.statistics import (
    FILLS,
    MAX_FILLED_ROWS,
    SOURCES,
    Result,
    fill_from_params,
    query_from_params,
    value_labels,
    with_empty_periods,
)

LANGUAGES = ("en", "zh-hant", "pt")
QUERY_PARAMETERS = [
    OpenApiParameter(
        "measure", str, description="Comma-separated measure ids of one source (see the catalogue)."
    ),
    OpenApiParameter("by", str, description="Comma-separated dimensions, e.g. year,category."),
    OpenApiParameter("from", str, description="YYYY, YYYY-MM or YYYY-MM-DD."),
    OpenApiParameter("to", str, description="YYYY, YYYY-MM or YYYY-MM-DD (inclusive)."),
    OpenApiParameter("source", str, description="auto (default), raw or rollup."),
    OpenApiParameter("agency", str, description="Any dimension filters: comma-separated values."),
    OpenApiParameter(
        "fill",
        str,
        enum=list(FILLS),
        description=(
            "zeros: list every period of the time dimension in `by` (year, quarter, month, week or "
            "day) from `from` (else the first period counted) to `to` (else the last), never past "
            "today, those where nothing was counted as 0, for each group of the other dimensions "
            "found; as the console's tables and charts show them. Without it, only the groups where "
            "something was counted are listed. Refused without a time dimension in `by`, or when "
            f"the filled answer would pass {MAX_FILLED_ROWS:,} rows."
        ),
    ),
]


# The answers' shapes, for the schema only (the views build plain dicts): a script's client had
# "object" and nothing more to go on.
_MEASURE = {
    "id": serializers.CharField(),
    "label": serializers.CharField(),
    "unit": serializers.CharField(),
    "definition": serializers.CharField(),
}
STATISTICS_CATALOGUE = inline_serializer(
    "StatisticsCatalogueOutput",
    {
        "measures": inline_serializer(
            "StatisticsCatalogueMeasure",
            {
                **_MEASURE,
                "source": inline_serializer(
                    "StatisticsCatalogueSource",
                    {
                        "id": serializers.CharField(),
                        "label": serializers.CharField(),
                        "definition": serializers.CharField(),
                    },
                ),
                "dimensions": inline_serializer(
                    "StatisticsDimension",
                    {
                        "id": serializers.CharField(),
                        "label": serializers.CharField(),
                        "rollup": serializers.BooleanField(),
                        "values": serializers.DictField(
                            child=serializers.CharField(),
                            allow_null=True,
                            help_text="The values a filter takes, with their labels; null: any.",
                        ),
                    },
                    many=True,
                ),
                "personal": serializers.BooleanField(help_text="A count of people: analysts only."),
                "scoped_to_agency": serializers.BooleanField(help_text="Counted within your agency only."),
            },
            many=True,
        ),
        "report_sections": serializers.DictField(child=serializers.CharField()),
    },
)
STATISTICS_QUERY = inline_serializer(
    "StatisticsQueryOutput",
    {
        "measures": inline_serializer("StatisticsMeasure", _MEASURE, many=True),
        "source": inline_serializer(
            "StatisticsSource", {"id": serializers.CharField(), "definition": serializers.CharField()}
        ),
        "by": serializers.ListField(child=serializers.CharField()),
        "filters": serializers.DictField(child=serializers.ListField(child=serializers.CharField())),
        "from": serializers.DateField(allow_null=True),
        "to": serializers.DateField(allow_null=True),
        "fill": serializers.CharField(allow_null=True, help_text="zeros when asked for, else null."),
        "computed_from": serializers.CharField(help_text="raw or rollup."),
        "rollup_level": serializers.CharField(allow_null=True),
        "suppressed": serializers.BooleanField(help_text="Some count of people is withheld (null in rows)."),
        "rows": serializers.ListField(
            child=serializers.DictField(),
            help_text="A group each: its value of every dimension in `by` (a year as an integer, other "
            "periods as ISO codes: 2021-Q3, 2021-07, 2021-W27, 2021-07-05; codes otherwise) and its "
            "count of every measure (null where suppressed).",
        ),
        "totals": serializers.DictField(child=serializers.IntegerField(allow_null=True)),
        "labels": serializers.DictField(
            child=serializers.DictField(child=serializers.CharField()),
            help_text="For each dimension in `by` with a list, each code's label in the reader's language.",
        ),
    },
)


def _answer(request: Request) -> Result:
    """The question of ``request``'s parameters answered within what its user may read; with
    ``fill=zeros``, laid out over every period as the console's pages lay it out."""
    query = query_from_params(request.query_params)
    fill = fill_from_params(request.query_params, query)
    result = selectors.statistics_aggregate(user=request.user, query=query)
    return with_empty_periods(result, refuse_beyond_limit=True) if fill else result


def _result_body(result: Result, fill: str | None) -> dict[str, Any]:
    source = SOURCES[result.source]
    return {
        "measures": [
            {"id": m.id, "label": str(m.label), "unit": str(m.unit), "definition": str(m.definition)}
            for m in result.measures
        ],
        "source": {"id": source.id, "definition": str(source.definition)},
        "by": result.query.by,
        "filters": result.query.filters,
        "from": result.query.date_from,
        "to": result.query.date_to,
        "fill": fill,
        "computed_from": result.used,
        "rollup_level": result.level or None,
        "suppressed": result.suppressed,
        "rows": result.rows,
        "totals": result.totals,
        "labels": value_labels(result.source, result.query.by),
    }


def _filename(result: Result, extension: str) -> str:
    return exports.filename(result, extension)


class StatisticsCatalogueApi(APIView):
    """The measures you may read, each with its definition and its dimensions."""

    @extend_schema(responses=STATISTICS_CATALOGUE)
    def get(self, request: Request) -> Response:
        return Response(
            {
                "measures": selectors.statistics_catalogue(user=request.user),
                "report_sections": {k: str(v) for k, v in SECTIONS.items()},
            }
        )


class StatisticsQueryApi(APIView):
    """Measures × dimensions × filters, e.g.
    ``?measure=inspections&by=year,category&agency=DSAL&from=2019&to=2023``."""

    @extend_schema(parameters=QUERY_PARAMETERS, responses=STATISTICS_QUERY)
    def get(self, request: Request) -> Response:
        result = _answer(request)
        return Response(_result_body(result, request.query_params.get("fill")))


class StatisticsCsvApi(APIView):
    """The same as CSV."""

    @extend_schema(parameters=QUERY_PARAMETERS, responses={(200, "text/csv"): OpenApiTypes.STR})
    def get(self, request: Request) -> HttpResponse:
        result = _answer(request)
        response = HttpResponse(exports.result_csv(result), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{_filename(result, "csv")}"'
        return response


class StatisticsXlsxApi(APIView):
    """The same as an Excel workbook (data, and the definitions on a second sheet)."""

    XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

    @extend_schema(parameters=QUERY_PARAMETERS, responses={(200, XLSX): OpenApiTypes.BINARY})
    def get(self, request: Request) -> HttpResponse:
        result = _answer(request)
        response = HttpResponse(exports.result_xlsx(result), content_type=self.XLSX)
        response["Content-Disposition"] = f'attachment; filename="{_filename(result, "xlsx")}"'
        return response


def _years(year_from: int, year_to: int) -> tuple[int, int]:
    if not 1900 < year_from <= year_to < 2200:
        raise InvalidInput(errors={"years": [str(_("Give the first and last year, first not after last."))]})
    # A year not yet begun has nothing to report: its zeros read as a year with no inspection.
    if year_to > timezone.localdate().year:
        raise InvalidInput(
            errors={
                "years": [
                    str(
                        _("A report covers years begun: the last may be %(year)s at the latest.")
                        % {"year": timezone.localdate().year}
                    )
                ]
            }
        )
    return year_from, year_to


def _language(request: Request) -> str:
    language = request.query_params.get("lang") or translation.get_language() or "en"
    language = language.lower()
    if language.startswith("zh"):
        return "zh-hant"
    if language not in LANGUAGES:
        raise InvalidInput(errors={"lang": [str(_("One of en, zh-hant, pt."))]})
    return language


class ReportApi(APIView):
    """The report of a period (e.g. 2019-2023): every figure with its label, definition, value,
    and, for a published period changed since, its current value and the difference."""

    @extend_schema(
        parameters=[OpenApiParameter("lang", str, description="en, zh-hant or pt")],
        responses=OpenApiTypes.OBJECT,
    )
    def get(self, request: Request, year_from: int, year_to: int) -> Response:
        year_from, year_to = _years(year_from, year_to)
        with translation.override(_language(request)):
            figures = selectors.report_read(user=request.user, year_from=year_from, year_to=year_to)
            body = {
                "years": [year_from, year_to],
                "sections": {k: str(v) for k, v in SECTIONS.items()},
                "figures": [
                    {
                        "id": f.id,
                        "section": f.section,
                        "label": f.label,
                        "definition": f.definition,
                        "value": f.value,
                        "unit": f.unit,
                        "suppressed": f.suppressed,
                        "current": f.current,
                        "difference": f.difference,
                    }
                    for f in figures
                ],
            }
        return Response(body)


class ReportDocumentApi(APIView):
    """The report as a document: ``.html`` or ``.pdf``, in ``?lang=en|zh-hant|pt``."""

    @extend_schema(
        parameters=[OpenApiParameter("lang", str, description="en, zh-hant or pt")],
        responses={(200, "application/pdf"): OpenApiTypes.BINARY, (200, "text/html"): OpenApiTypes.STR},
    )
    def get(self, request: Request, year_from: str, year_to: str, extension: str) -> HttpResponse:
        from backend.reporting.render import report_html, report_pdf

        year_from, year_to = _years(int(year_from), int(year_to))
        language = _language(request)
        selectors.report_read(user=request.user, year_from=year_from, year_to=year_to)  # the access check
        with translation.override(language):
            if extension == "html":
                return HttpResponse(
                    report_html(year_from=year_from, year_to=year_to), content_type="text/html"
                )
            response = HttpResponse(
                report_pdf(year_from=year_from, year_to=year_to), content_type="application/pdf"
            )
        response["Content-Disposition"] = f'inline; filename="report-{year_from}-{year_to}-{language}.pdf"'
        return response


class ReportPublishApi(APIView):
    """Freeze the report of a period as published now (analysts and administrators)."""

    @extend_schema(request=None, responses={201: OpenApiTypes.OBJECT})
    def post(self, request: Request, year_from: int, year_to: int) -> Response:
        year_from, year_to = _years(year_from, year_to)
        if not selectors.statistics_access(user=request.user).full:
            raise selectors.StatisticsForbidden()
        published = services.report_publish(
            year_from=year_from, year_to=year_to, actor=request.user, request=request
        )
        return Response(
            {
                "id": str(published.uuid),
                "years": [published.year_from, published.year_to],
                "published_at": published.published_at,
                "suppression_threshold": published.suppression_threshold,
                "figures": published.figures,
            },
            status=status.HTTP_201_CREATED,
        )
