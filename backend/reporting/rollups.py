"""How each rollup is built from its raw records: the columns (as expressions on the raw rows)
and the per-day signature used to notice changed days. Used by ``services``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import (
    BooleanField,
    Case,
    CharField,
    Count,
    ExpressionWrapper,
    F,
    Max,
    Model,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Cast, TruncMonth, TruncWeek

from backend.inspections.models import Finding, Inspection
from backend.reporting.models import (
    FindingRollup,
    InspectionDayDistinct,
    InspectionMonthRollup,
    InspectionRollup,
    InspectionSiteMonthRollup,
    InspectionSiteWeekRollup,
    InspectionWeekDistinct,
)
from backend.reporting.statistics import (
    CONDUCTED,
    DAY_DISTINCT_DIMENSIONS,
    DISTINCT_GROUPINGS,
    RECORD_STATUSES,
    SOURCES,
)


def _status_weight(statuses: Any) -> Any:
    """Sum of id × status number: changes when any row changes status, whatever else happens."""
    return Sum(
        Case(
            *[When(status=s, then=F("pk") * (i + 1)) for i, s in enumerate(statuses)],
            default=0,
        )
    )


@dataclass(frozen=True)
class RollupSpec:
    source: str
    model: type[Model]
    raw: Callable[[], QuerySet[Any]]
    date_field: str
    columns: Callable[[], dict[str, Any]]  # rollup column -> expression on the raw rows
    signature: Callable[[], dict[str, Any]]  # rows, id_sum and further aggregates of one day
    month_model: type[Model] | None = None  # the same summed per month, built from the daily rows
    # The stored local (Asia/Macau) day of ``date_field`` on the raw rows, kept by the database:
    # a rebuild selects and groups by it, converting no timestamp.
    day_field: str = "local_day"
    month_field: str | None = None  # the stored local month, where there is one
    # Per month (and per ISO week), dimensions and site, conducted inspections only: what
    # distinct counts of sites and companies read; and per day and per week their distinct counts.
    site_month_model: type[Model] | None = None
    site_week_model: type[Model] | None = None
    day_distinct_model: type[Model] | None = None
    week_distinct_model: type[Model] | None = None

    @property
    def table(self) -> str:
        return self.model._meta.db_table


SPECS: dict[str, RollupSpec] = {
    "inspections": RollupSpec(
        "inspections",
        InspectionRollup,
        lambda: Inspection.objects.filter(status__in=RECORD_STATUSES),
        "planned_start",
        lambda: {
            "day": F("local_day"),
            "agency_id": F("agency_id"),
            "category": F("category"),
            "site_kind": F("site__kind"),
            "venue_type": F("site__venue_type"),
            "parish": F("site__parish"),
            "status": F("status"),
            "joint": ExpressionWrapper(Q(operation__isnull=False), output_field=BooleanField()),
            "operation_id": F("operation_id"),
        },
        lambda: {
            "rows": Count("pk"),
            "id_sum": Sum("pk"),
            "s_status": _status_weight(RECORD_STATUSES),
            "s_updated": Max("updated_at"),
        },
        InspectionMonthRollup,
        month_field="local_month",
        site_month_model=InspectionSiteMonthRollup,
        site_week_model=InspectionSiteWeekRollup,
        day_distinct_model=InspectionDayDistinct,
        week_distinct_model=InspectionWeekDistinct,
    ),
    "findings": RollupSpec(
        "findings",
        FindingRollup,
        lambda: Finding.objects.exclude(status=Finding.Status.WITHDRAWN),
        "created_at",
        lambda: {
            "day": F("local_day"),
            "agency_id": F("competent_agency_id"),
            "violation_code": F("violation_code"),
            "severity": F("severity"),
            "status": F("status"),
            "potential_victim": F("potential_victim"),
            "category": F("inspection__category"),
        },
        lambda: {
            "rows": Count("pk"),
            "id_sum": Sum("pk"),
            "s_status": _status_weight(Finding.Status.values),
            # A finding's category is its inspection's: an inspection changed (its category) moves
            # the signature of its findings' days too, as it moves its own.
            "s_inspection_updated": Max("inspection__updated_at"),
        },
    ),
}


def signature_state(values: dict[str, Any]) -> int:
    """The further aggregates of a signature folded into one stable integer."""
    state = 0
    for key in sorted(k for k in values if k.startswith("s_")):
        value = values[key]
        if isinstance(value, dt.datetime):
            value = int(value.timestamp() * 1_000_000)
        state = (state * 1_000_003 + int(value or 0)) % (2**62)
    return state


def day_to_date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, str):
        return dt.date.fromisoformat(value[:10])
    return value


def month_columns(spec: RollupSpec) -> dict[str, Any]:
    """The monthly rollup's columns as expressions on the daily rollup."""
    return {"month": TruncMonth("day"), **{c: F(c) for c in spec.columns() if c != "day"}}


def raw_month_columns(spec: RollupSpec) -> dict[str, Any]:
    """The monthly rollup's columns as expressions on the raw rows (for the check)."""
    columns = spec.columns()
    columns.pop("day")
    month = F(spec.month_field) if spec.month_field else TruncMonth(spec.day_field)
    return {"month": month, **columns}


# What the distinct counts count (``Measure.counts`` of sites and companies inspected): the
# per-site rollups hold these rows only, without their status.
SITE_COUNTS = Q(status__in=CONDUCTED)


def site_counts() -> dict[str, Any]:
    """The per-site rollups' counts: all their rows, and per status that counts."""
    return {"n": Count("pk"), **{f"n_{s}": Count("pk", filter=Q(status=s)) for s in CONDUCTED}}


def site_columns(spec: RollupSpec, level: str = "month") -> dict[str, Any]:
    """The per-site rollup's columns (monthly, or weekly: ``week`` is the ISO week's Monday) as
    expressions on the raw rows."""
    columns = raw_month_columns(spec)
    columns.pop("status", None)
    if level == "week":
        columns.pop("month")
        columns = {"week": TruncWeek(spec.day_field), **columns}
    return {**columns, "site_id": F("site_id"), "operator_id": F("site__operator_id")}


def site_month_columns(spec: RollupSpec) -> dict[str, Any]:
    return site_columns(spec, "month")


def _distinct_grouped(
    rows: QuerySet[Any], period: Any, values: dict[str, Any], operator: str
) -> list[QuerySet[Any]]:
    """``rows`` grouped by ``period`` and each stored grouping (``DISTINCT_GROUPINGS``; ``values``:
    each dimension's value as text on the rows), with the distinct sites and companies
    (``operator``: the path of a site's operator on the rows) of each group: columns r_day, r_dim,
    r_value, r_dim2, r_value2 (empty when the grouping has fewer dimensions), r_sites,
    r_companies."""
    out = []
    for grouping in DISTINCT_GROUPINGS:
        names = [*grouping, "", ""][:2]
        out.append(
            rows.annotate(
                r_day=period,
                r_dim=Value(names[0]),
                r_value=values[names[0]] if names[0] else Value(""),
                r_dim2=Value(names[1]),
                r_value2=values[names[1]] if names[1] else Value(""),
            )
            .values("r_day", "r_dim", "r_value", "r_dim2", "r_value2")
            .annotate(r_sites=Count("site_id", distinct=True), r_companies=Count(operator, distinct=True))
            .order_by()
        )
    return out


def day_distinct_selects(spec: RollupSpec, rows: QuerySet[Any], level: str = "day") -> list[QuerySet[Any]]:
    """The per-day (``level`` week: per-ISO-week) distinct counts as grouped querysets of
    ``rows`` (raw rows), one per stored grouping (see ``_distinct_grouped``; r_day is the day,
    or the week's Monday)."""
    period = F(spec.day_field) if level == "day" else TruncWeek(spec.day_field)
    values = {d: Cast(expr, output_field=CharField()) for d, expr in DAY_DISTINCT_DIMENSIONS.items()}
    return _distinct_grouped(rows.filter(SITE_COUNTS), period, values, "site__operator_id")


def week_distinct_selects(spec: RollupSpec, weeks: QuerySet[Any]) -> list[QuerySet[Any]]:
    """The per-week distinct counts as grouped querysets of ``weeks`` (rows of the weekly
    per-site rollup: a row per week, group and site, a third of the records at 5 million, and
    exact), one per stored grouping like ``day_distinct_selects``."""
    dimensions = SOURCES[spec.source].dimensions
    values: dict[str, Any] = {}
    for dim in DAY_DISTINCT_DIMENSIONS:
        column = dimensions[dim].rollup
        if dimensions[dim].boolean:
            values[dim] = Case(When(**{column: True}, then=Value("true")), default=Value("false"))
        else:
            values[dim] = Cast(F(column), output_field=CharField())
    return _distinct_grouped(weeks, F("week"), values, "operator_id")
