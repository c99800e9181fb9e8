"""The statistics engine: sources, dimensions and measures, each with its written definition
beside the query that computes it.

A *source* is a population of records (inspections of record, findings, referrals, …) with the
dimensions it can be broken down by. A *measure* is an aggregate over a source (a count, a
distinct count, a sum) with a definition that says what is counted, from which records and in
which statuses. ``aggregate()`` answers measures × dimensions × filters with one ``GROUP BY``
query in the database, from the rollup tables when every measure, dimension and filter asked for
exists there, else from the raw records. Nothing here checks who is asking: ``selectors`` does.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from itertools import combinations
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import EmptyResultSet
from django.db import connection, transaction
from django.db.models import (
    BooleanField,
    Case,
    Count,
    ExpressionWrapper,
    F,
    Model,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.db.models.functions import (
    Coalesce,
    ExtractYear,
    NullIf,
    TruncDate,
    TruncMonth,
    TruncQuarter,
    TruncWeek,
)
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.functional import Promise
from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _

from backend.compliance.models import (
    AgeBand,
    CodedSex,
    NationalityBand,
    ProsecutionRecord,
    ProtectionService,
    Referral,
)
from backend.core.errors import InvalidInput
from backend.core.i18n import list_separator
from backend.core.strict_input import year_refused
from backend.inspections.models import Category, Finding, Inspection
from backend.outreach.models import Activity, HotlineCall
from backend.registry.models import Agency, Parish, Site
from backend.reporting.models import (
    FindingRollup,
    InspectionDayDistinct,
    InspectionMonthRollup,
    InspectionRollup,
    InspectionSiteMonthRollup,
    InspectionSiteWeekRollup,
    InspectionWeekDistinct,
    RollupClock,
)

LOCAL = ZoneInfo("Asia/Macau")

# Inspections enter statistics only once they have happened. Planned and assigned work (which may
# belong to a sealed operation, secret until its reveal time) and cancelled work never do.
RECORD_STATUSES = ("in_progress", "submitted", "reviewed", "closed", "no_access")
# "Conducted": the officers' record of the visit reached the server.
CONDUCTED = ("submitted", "reviewed", "closed")
POLICE_AGENCIES = ("PSP", "PJ")

TIME_DIMENSIONS = ("year", "quarter", "month", "week", "day")
# The venue type of a site that is not a venue (stored empty).
NOT_A_VENUE = "none"


class StatisticsError(InvalidInput):
    code = "statistics_invalid"
    title = _("The statistics request is not valid.")


@dataclass(frozen=True)
class Dimension:
    id: str
    label: Promise
    raw: Any  # a field path or an expression on the raw queryset
    rollup: Any = None  # the same on the rollup model; None: not in the rollup
    choices: Mapping[str, Any] | None = None
    agency: bool = False  # values are agency ids, shown as codes
    boolean: bool = False
    # Offered values stored otherwise (a query string cannot carry an empty value as a filter,
    # so an empty stored value is offered as a token): offered -> stored.
    stored_as: Mapping[str, Any] = field(default_factory=dict)

    def stored(self, value: str) -> Any:
        return self.stored_as.get(value, value)

    def offered(self, value: Any) -> Any:
        return next((k for k, v in self.stored_as.items() if v == value), value)


@dataclass(frozen=True)
class Source:
    id: str
    label: Promise
    definition: Promise
    queryset: Callable[[], QuerySet[Any]]
    date_field: str
    date_is_datetime: bool
    dimensions: dict[str, Dimension]
    rollup_model: type[Model] | None = None
    month_rollup_model: type[Model] | None = None  # the rollup summed per month, for whole months
    site_month_model: type[Model] | None = None  # per month and site, for distinct counts
    site_week_model: type[Model] | None = None  # per ISO week and site, for distinct counts
    day_distinct_model: type[Model] | None = None  # distinct counts per day (and one dimension)
    week_distinct_model: type[Model] | None = None  # the same per ISO week
    agency_dimension: str | None = None  # narrowed to the reader's agency when they are scoped
    personal: bool = False  # counts people: analysts and administrators only, small counts hidden
    # Stored local (Asia/Macau) columns of ``date_field`` on the raw rows, by time dimension
    # ("day" at least): the raw path groups and filters by them instead of converting each
    # row's timestamp (the rest of the time dimensions are derived from the stored day).
    stored_time: Mapping[str, str] = field(default_factory=dict)
    # What the definitions beside the figures say of the source's records: which day dates them
    # and which agency they count under (the agency filter and the agency dimension), in full and
    # as the short note a figure carries while the agency filter is on.
    dated_by: Promise | None = None
    counted_under: Promise | None = None
    counted_under_short: Promise | None = None


@dataclass(frozen=True)
class Measure:
    id: str
    label: Promise
    source: str
    definition: Promise
    raw: Callable[[], Any]  # the aggregate on the raw queryset
    rollup: Callable[[], Any] | None = None  # the same on the rollup; None: raw only
    unit: Promise = field(default_factory=lambda: _("records"))
    personal: bool = False
    # A distinct count: the id counted on the raw rows and on the per-site rollup (None: raw
    # only), and which rows count. Answered in two steps (see ``_distinct_rows``).
    distinct: str | None = None
    distinct_rollup: str | None = None
    counts: Q | None = None


def _labels(choices: Any) -> dict[str, Any]:
    return dict(choices.choices)


PARISH_LABELS = _labels(Parish)
YES_NO = {"true": _("yes"), "false": _("no")}


def _time_dims(date_field: str, rollup: bool) -> dict[str, Dimension]:
    """Year, quarter, month, ISO week and day of ``date_field`` (local time); in the rollups, of
    its ``day`` column."""
    dims = {}
    for dim_id, label in (
        ("year", _("year")),
        ("quarter", _("quarter")),
        ("month", _("month")),
        ("week", _("week")),
        ("day", _("day")),
    ):
        dims[dim_id] = Dimension(dim_id, label, raw=date_field, rollup="day" if rollup else None)
    return dims


def _time_expr(dim_id: str, path: str, is_datetime: bool) -> Any:
    tz = {"tzinfo": LOCAL} if is_datetime else {}
    if dim_id == "year":
        return ExtractYear(path, **tz)
    if dim_id == "quarter":
        return TruncQuarter(path, **tz)
    if dim_id == "month":
        return TruncMonth(path, **tz)
    if dim_id == "week":
        return TruncWeek(path, **tz)
    return TruncDate(path, **tz) if is_datetime else F(path)


def _as_date(value: Any) -> dt.date:
    if isinstance(value, str):  # read by SQL of our own on SQLite, which has no date type
        return dt.date.fromisoformat(value[:10])
    if isinstance(value, dt.datetime):
        return timezone.localtime(value, LOCAL).date() if timezone.is_aware(value) else value.date()
    return value


def _time_value(dim_id: str, value: Any) -> Any:
    if value is None:
        return None
    if dim_id == "year":
        return int(value)
    day = _as_date(value)
    if dim_id == "quarter":
        return f"{day.year}-Q{(day.month - 1) // 3 + 1}"
    if dim_id == "month":
        return f"{day.year}-{day.month:02d}"
    if dim_id == "week":
        iso = day.isocalendar()
        return f"{iso[0]}-W{iso[1]:02d}"
    return day.isoformat()


# --- Sources -------------------------------------------------------------------------------------


SOURCES: dict[str, Source] = {
    "inspections": Source(
        "inspections",
        _("inspections"),
        _(
            "Inspections of record: those in progress, submitted, reviewed, closed or without "
            "access. Planned, assigned and cancelled inspections are never counted (planned work "
            "of a sealed operation is secret). Dated by the local day of the planned start; "
            "counted for the responsible agency (the operation's lead agency, or the team's)."
        ),
        lambda: Inspection.objects.filter(status__in=RECORD_STATUSES),
        "planned_start",
        True,
        {
            **_time_dims("planned_start", rollup=True),
            "agency": Dimension("agency", _("agency"), "agency_id", "agency_id", agency=True),
            "category": Dimension(
                "category", _("category"), "category", "category", choices=_labels(Category)
            ),
            "site_kind": Dimension(
                "site_kind", _("site kind"), "site__kind", "site_kind", choices=_labels(Site.Kind)
            ),
            "parish": Dimension("parish", _("parish"), "site__parish", "parish", choices=PARISH_LABELS),
            "status": Dimension(
                "status", _("status"), "status", "status", choices=_labels(Inspection.Status)
            ),
            "joint": Dimension(
                "joint",
                _("in a joint operation"),
                ExpressionWrapper(Q(operation__isnull=False), output_field=BooleanField()),
                "joint",
                choices=YES_NO,
                boolean=True,
            ),
            "venue_type": Dimension(
                "venue_type",
                _("venue type"),
                "site__venue_type",
                "venue_type",
                choices={NOT_A_VENUE: _("not a venue"), **_labels(Site.VenueType)},
                stored_as={NOT_A_VENUE: ""},
            ),
            "operation": Dimension("operation", _("joint operation"), "operation__name", "operation__name"),
        },
        rollup_model=InspectionRollup,
        month_rollup_model=InspectionMonthRollup,
        site_month_model=InspectionSiteMonthRollup,
        site_week_model=InspectionSiteWeekRollup,
        day_distinct_model=InspectionDayDistinct,
        week_distinct_model=InspectionWeekDistinct,
        agency_dimension="agency",
        stored_time={"day": "local_day", "month": "local_month", "year": "local_year"},
        dated_by=_("Dated by the local day the inspection was planned to start."),
        counted_under=_(
            "Counted under the responsible agency: the lead agency of the joint operation, or for "
            "routine work the agency of the inspecting team's leader."
        ),
        counted_under_short=_("counted under the responsible agency"),
    ),
    "findings": Source(
        "findings",
        _("findings"),
        _(
            "Findings derived from accepted submissions, except those withdrawn with their "
            "submission. Dated by the local day they were recorded; counted for the competent "
            "agency."
        ),
        lambda: Finding.objects.exclude(status=Finding.Status.WITHDRAWN),
        "created_at",
        True,
        {
            **_time_dims("created_at", rollup=True),
            "agency": Dimension(
                "agency", _("competent agency"), "competent_agency_id", "agency_id", agency=True
            ),
            "violation_code": Dimension("violation_code", _("violation"), "violation_code", "violation_code"),
            "severity": Dimension(
                "severity", _("severity"), "severity", "severity", choices=_labels(Finding.Severity)
            ),
            "status": Dimension("status", _("status"), "status", "status", choices=_labels(Finding.Status)),
            "potential_victim": Dimension(
                "potential_victim",
                _("potential victim signal"),
                "potential_victim",
                "potential_victim",
                choices=YES_NO,
                boolean=True,
            ),
            "category": Dimension(
                "category",
                _("inspection category"),
                "inspection__category",
                "category",
                choices=_labels(Category),
            ),
        },
        rollup_model=FindingRollup,
        agency_dimension="agency",
        stored_time={"day": "local_day"},
        dated_by=_(
            "Dated by the local day the submission they come from reached the server (the day of "
            "the visit, unless the phone synced later), not the day of their review."
        ),
        counted_under=_(
            "Counted under the competent agency: the agency whose rules the finding concerns and "
            "whose review makes it official, whichever agency inspected."
        ),
        counted_under_short=_("counted under the competent agency"),
    ),
    "referrals": Source(
        "referrals",
        _("referrals"),
        _(
            "Referrals of potential victims flagged by the screening, dated by the local day of "
            "referral. Coded, non-identifying fields only. A referral is a screening signal, "
            "not a finding that the person is a victim."
        ),
        lambda: Referral.objects.all(),
        "created_at",
        True,
        {
            **_time_dims("created_at", rollup=False),
            "agency": Dimension("agency", _("referring agency"), "referring_agency_id", agency=True),
            "nationality_band": Dimension(
                "nationality_band",
                _("nationality band"),
                "nationality_band",
                choices=_labels(NationalityBand),
            ),
            "sex": Dimension("sex", _("sex"), "sex", choices=_labels(CodedSex)),
            "age_band": Dimension("age_band", _("age band"), "age_band", choices=_labels(AgeBand)),
            "urgency": Dimension("urgency", _("urgency"), "urgency", choices=_labels(Referral.Urgency)),
            "assessment": Dimension(
                "assessment", _("assessment"), "assessment", choices=_labels(Referral.Assessment)
            ),
        },
        agency_dimension="agency",
        personal=True,
    ),
    "protection": Source(
        "protection",
        _("protection services"),
        _("Protection services given to referred persons, dated by the day the service started."),
        lambda: ProtectionService.objects.all(),
        "started_on",
        False,
        {
            **_time_dims("started_on", rollup=False),
            "service": Dimension("service", _("service"), "kind", choices=_labels(ProtectionService.Kind)),
            "provider_kind": Dimension(
                "provider_kind",
                _("provided by"),
                "provider_kind",
                choices=_labels(ProtectionService.Provider),
            ),
        },
        personal=True,
    ),
    "prosecutions": Source(
        "prosecutions",
        _("criminal-justice steps"),
        _(
            "Steps of the criminal-justice path as recorded (one row per file and step), dated "
            "by the day of the step."
        ),
        lambda: ProsecutionRecord.objects.all(),
        "on",
        False,
        {
            **_time_dims("on", rollup=False),
            "agency": Dimension("agency", _("recording agency"), "agency_id", agency=True),
            "step": Dimension("step", _("step"), "kind", choices=_labels(ProsecutionRecord.Kind)),
            "offence": Dimension(
                "offence", _("offence"), "offence", choices=_labels(ProsecutionRecord.Offence)
            ),
        },
        agency_dimension="agency",
    ),
    "activities": Source(
        "activities",
        _("prevention activities"),
        _(
            "Training classes, seminars, lectures, workshops and explanatory sessions, dated by "
            "the day held. One record may stand for several sessions."
        ),
        lambda: Activity.objects.all(),
        "held_on",
        False,
        {
            **_time_dims("held_on", rollup=False),
            "kind": Dimension("kind", _("kind"), "kind", choices=_labels(Activity.Kind)),
            "audience": Dimension("audience", _("audience"), "audience", choices=_labels(Activity.Audience)),
            "organiser": Dimension(
                "organiser", _("organiser"), Coalesce("organiser__code", NullIf("organiser_text", Value("")))
            ),
        },
    ),
    "hotline": Source(
        "hotline",
        _("hotline calls"),
        _("Calls logged by the hotlines, one record per call, dated by the day received. No personal data."),
        lambda: HotlineCall.objects.all(),
        "received_on",
        False,
        {
            **_time_dims("received_on", rollup=False),
            "hotline": Dimension("hotline", _("hotline"), "hotline", choices=_labels(HotlineCall.Hotline)),
            "kind": Dimension("kind", _("kind of call"), "kind", choices=_labels(HotlineCall.Kind)),
            "outcome": Dimension("outcome", _("outcome"), "outcome", choices=_labels(HotlineCall.Outcome)),
        },
    ),
}


# The dimensions whose per-day and per-week distinct counts are stored (``InspectionDayDistinct``,
# ``InspectionWeekDistinct``), as the text of their stored value on the raw inspections.
DAY_DISTINCT_DIMENSIONS: dict[str, Any] = {
    "agency": F("agency_id"),
    "category": F("category"),
    "site_kind": F("site__kind"),
    "parish": F("site__parish"),
    "venue_type": F("site__venue_type"),
    "joint": Case(When(operation__isnull=True, then=Value("false")), default=Value("true")),
}
# The groupings stored: none (the period's total), each dimension, each pair (in the order above).
DISTINCT_GROUPINGS: tuple[tuple[str, ...], ...] = (
    (),
    *((d,) for d in DAY_DISTINCT_DIMENSIONS),
    *combinations(DAY_DISTINCT_DIMENSIONS, 2),
)


# --- Measures ------------------------------------------------------------------------------------


def _n(q: Q | None = None) -> Callable[[], Any]:
    return lambda: Sum("n", filter=q) if q is not None else Sum("n")


MEASURES: dict[str, Measure] = {
    m.id: m
    for m in (
        Measure(
            "inspections",
            _("inspections conducted"),
            "inspections",
            _(
                "Inspections of record that were conducted: status submitted, reviewed or "
                "closed (in progress and no-access visits are not counted)."
            ),
            lambda: Count("pk", filter=Q(status__in=CONDUCTED)),
            _n(Q(status__in=CONDUCTED)),
            unit=_("inspections"),
        ),
        Measure(
            "inspections_no_access",
            _("inspections without access"),
            "inspections",
            _("Inspections of record in status no access: the team could not enter."),
            lambda: Count("pk", filter=Q(status="no_access")),
            _n(Q(status="no_access")),
            unit=_("inspections"),
        ),
        Measure(
            "sites_inspected",
            _("distinct sites inspected"),
            "inspections",
            _("Distinct sites with at least one conducted inspection (submitted, reviewed or closed)."),
            lambda: Count("site", filter=Q(status__in=CONDUCTED), distinct=True),
            unit=_("sites"),
            distinct="site_id",
            distinct_rollup="site_id",
            counts=Q(status__in=CONDUCTED),
        ),
        Measure(
            "companies_inspected",
            _("distinct companies inspected"),
            "inspections",
            _("Distinct operators of sites with at least one conducted inspection."),
            lambda: Count("site__operator", filter=Q(status__in=CONDUCTED), distinct=True),
            unit=_("companies"),
            distinct="site__operator_id",
            distinct_rollup="operator_id",
            counts=Q(status__in=CONDUCTED),
        ),
        Measure(
            "findings",
            _("official findings"),
            "findings",
            _("Findings made official by the review of their competent agency."),
            lambda: Count("pk", filter=Q(status=Finding.Status.OFFICIAL)),
            _n(Q(status=Finding.Status.OFFICIAL)),
            unit=_("findings"),
        ),
        Measure(
            "findings_awaiting_review",
            _("findings awaiting review"),
            "findings",
            _("Findings not yet reviewed by their competent agency (status awaiting review)."),
            lambda: Count("pk", filter=Q(status=Finding.Status.DRAFT)),
            _n(Q(status=Finding.Status.DRAFT)),
            unit=_("findings"),
        ),
        Measure(
            "potential_victims",
            _("potential victim signals"),
            "findings",
            _(
                "Findings of the screening that signal a potential victim, not rejected on review "
                "(draft or official). A signal, never an identification."
            ),
            lambda: Count("pk", filter=Q(potential_victim=True) & ~Q(status=Finding.Status.REJECTED)),
            _n(Q(potential_victim=True) & ~Q(status=Finding.Status.REJECTED)),
            unit=_("persons"),
            personal=True,
        ),
        Measure(
            "referrals",
            _("referrals"),
            "referrals",
            _("Potential victims referred to protection (one referral per person per inspection)."),
            lambda: Count("pk"),
            unit=_("persons"),
            personal=True,
        ),
        Measure(
            "victims_identified",
            _("victims identified"),
            "referrals",
            _("Referrals whose assessment identified the person as a victim."),
            lambda: Count("pk", filter=Q(assessment=Referral.Assessment.IDENTIFIED)),
            unit=_("persons"),
            personal=True,
        ),
        Measure(
            "protected_persons",
            _("persons using protection services"),
            "protection",
            _(
                "Distinct referred persons who received at least one protection service that "
                "started in the period."
            ),
            lambda: Count("referral", distinct=True),
            unit=_("persons"),
            personal=True,
            distinct="referral_id",
        ),
        Measure(
            "protection_services",
            _("protection services given"),
            "protection",
            _("Protection services recorded (shelter, medical care, …), one per service given."),
            lambda: Count("pk"),
            unit=_("services"),
            personal=True,
        ),
        Measure(
            "transfers",
            _("cases transferred to the prosecutors"),
            "prosecutions",
            _("Files transferred to the Public Prosecutions Office (step: transfer)."),
            lambda: Count("pk", filter=Q(kind=ProsecutionRecord.Kind.TRANSFER)),
            unit=_("cases"),
        ),
        Measure(
            "prosecutions",
            _("prosecutions"),
            "prosecutions",
            _("Files in which charges were brought (step: prosecution)."),
            lambda: Count("pk", filter=Q(kind=ProsecutionRecord.Kind.PROSECUTION)),
            unit=_("cases"),
        ),
        Measure(
            "convictions",
            _("convictions"),
            "prosecutions",
            _("Files ending in a conviction (step: conviction)."),
            lambda: Count("pk", filter=Q(kind=ProsecutionRecord.Kind.CONVICTION)),
            unit=_("cases"),
        ),
        Measure(
            "sessions",
            _("sessions held"),
            "activities",
            _("Sessions held: the sum of each record's number of sessions."),
            lambda: Coalesce(Sum("sessions"), 0),
            unit=_("sessions"),
        ),
        Measure(
            "participants",
            _("participants"),
            "activities",
            _("Participants: the sum of each record's participants (all its sessions)."),
            lambda: Coalesce(Sum("participants"), 0),
            unit=_("persons"),
        ),
        Measure(
            "calls",
            _("hotline calls"),
            "hotline",
            _("Calls logged, one record per call."),
            lambda: Count("pk"),
            unit=_("calls"),
        ),
    )
}


# --- Requests ------------------------------------------------------------------------------------


@dataclass
class Query:
    measures: list[str]
    by: list[str] = field(default_factory=list)
    filters: dict[str, list[str]] = field(default_factory=dict)
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    prefer: str = "auto"  # auto | raw | rollup
    # Agency codes already looked up (shared by the parts of one answer: ``replace`` copies it).
    agency_ids: dict[tuple[str, ...], list[int]] = field(default_factory=dict, repr=False, compare=False)


@dataclass
class Result:
    query: Query
    source: str
    used: str  # "rollup" or "raw"
    rows: list[dict[str, Any]]
    totals: dict[str, int | None]
    suppressed: bool = False
    level: str = ""  # for rollups: "day" or "month"
    filled: bool = False  # rows of zeros added for the periods with nothing counted

    @property
    def measures(self) -> list[Measure]:
        return [MEASURES[m] for m in self.query.measures]


def parse_period(value: str, *, end: bool) -> dt.date:
    """``YYYY`` (the whole year), ``YYYY-MM`` or ``YYYY-MM-DD``."""
    value = value.strip()
    name = "to" if end else "from"
    try:
        if len(value) == 4:
            year = int(value)
            day = dt.date(year, 12, 31) if end else dt.date(year, 1, 1)
        elif len(value) == 7:
            first = dt.date.fromisoformat(value + "-01")
            following = (first.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
            day = following - dt.timedelta(days=1) if end else first
        else:
            day = dt.date.fromisoformat(value)
    except (ValueError, OverflowError):
        raise StatisticsError(errors={name: [_t("Use YYYY, YYYY-MM or YYYY-MM-DD.")]}) from None
    # A period is counted up to the day after its end: 9999-12-31 has none (backend.core.strict_input).
    refused = year_refused(day)
    if refused:
        raise StatisticsError(errors={name: [refused]})
    return day


def query_from_params(params: Mapping[str, Any]) -> Query:
    """A ``Query`` from request-style parameters: ``measure`` (comma list), ``by`` (comma list),
    ``from``, ``to``, ``source`` (auto/raw/rollup) and any dimension as a filter (comma list)."""

    def split(name: str) -> list[str]:
        # A parameter given twice (``?agency=PSP&agency=DSAL``) means both values, never the last.
        given = params.getlist(name) if hasattr(params, "getlist") else [params.get(name)]
        return [v.strip() for raw in given for v in str(raw or "").split(",") if v.strip()]

    measures = split("measure") or split("measures")
    if not measures:
        raise StatisticsError(errors={"measure": [_t("Name at least one measure.")]})
    # ``format`` chooses DRF's renderer; every other parameter is a filter, and one that is
    # empty or unknown is refused rather than dropped (an unfiltered figure would look filtered).
    reserved = {"measure", "measures", "by", "from", "to", "source", "format", "fill"}
    filters = {k: split(k) for k in params if k not in reserved}
    empty = [k for k, v in filters.items() if not v]
    if empty:
        raise StatisticsError(errors={k: [_t("Give at least one value to filter by.")] for k in empty})
    query = Query(
        measures=measures,
        by=split("by"),
        filters=filters,
        date_from=parse_period(params["from"], end=False) if params.get("from") else None,
        date_to=parse_period(params["to"], end=True) if params.get("to") else None,
        prefer=str(params.get("source") or "auto"),
    )
    source = validate(query)
    # An agency code nobody has would filter everything out and look like a true zero.
    agency_filters = {k: v for k, v in query.filters.items() if source.dimensions[k].agency}
    if agency_filters:
        known = {code.upper() for code in Agency.objects.values_list("code", flat=True)}
        errors = {
            name: [
                _t("Unknown agency %(bad)s; one of %(known)s.")
                % {"bad": list_separator().join(bad), "known": list_separator().join(sorted(known))}
            ]
            for name, values in agency_filters.items()
            if (bad := [v for v in values if v.upper() not in known])
        }
        if errors:
            raise StatisticsError(errors=errors)
    return query


def validate(query: Query) -> Source:
    errors: dict[str, list[str]] = {}
    unknown = [m for m in query.measures if m not in MEASURES]
    if unknown:
        errors["measure"] = [
            _t("Unknown measure %(names)s; one of %(known)s.")
            % {"names": list_separator().join(unknown), "known": list_separator().join(MEASURES)}
        ]
        raise StatisticsError(errors=errors)
    sources = {MEASURES[m].source for m in query.measures}
    if len(sources) > 1:
        raise StatisticsError(errors={"measure": [_t("Measures of one source at a time.")]})
    source = SOURCES[sources.pop()]
    for dim in query.by:
        if dim not in source.dimensions:
            errors.setdefault("by", []).append(
                _t("%(dim)s is not a dimension of %(source)s; one of %(known)s.")
                % {"dim": dim, "source": source.id, "known": list_separator().join(source.dimensions)}
            )
    twice = [d for d in dict.fromkeys(query.by) if query.by.count(d) > 1]
    if twice:
        # Named by its label, as the breakdown page offers it: rows, rows by and columns each
        # take a different one.
        labels = [str(source.dimensions[d].label) if d in source.dimensions else d for d in twice]
        errors.setdefault("by", []).append(
            _t("Choose each dimension once; chosen more than once: %(dims)s.")
            % {"dims": list_separator().join(labels)}
        )
    if len(query.by) > 4:
        errors.setdefault("by", []).append(_t("At most four dimensions."))
    for name, values in query.filters.items():
        dim = source.dimensions.get(name)
        if dim is None or name in TIME_DIMENSIONS:
            errors.setdefault(name, []).append(
                _t("Not a filter of %(source)s; filters: from, to, %(known)s.")
                % {
                    "source": source.id,
                    "known": list_separator().join(d for d in source.dimensions if d not in TIME_DIMENSIONS),
                }
            )
            continue
        if dim.choices is not None and not dim.agency:
            bad = [v for v in values if v not in dim.choices]
            if bad:
                errors.setdefault(name, []).append(
                    _t("Unknown value %(bad)s; one of %(known)s.")
                    % {"bad": list_separator().join(bad), "known": list_separator().join(dim.choices)}
                )
    if query.date_from and query.date_to and query.date_from > query.date_to:
        errors.setdefault("from", []).append(_t("The period starts after it ends."))
    if query.prefer not in ("auto", "raw", "rollup"):
        errors.setdefault("source", []).append(_t("One of auto, raw, rollup."))
    if errors:
        raise StatisticsError(errors=errors)
    return source


def _agency_ids(codes: Iterable[str]) -> list[int]:
    wanted = {c.upper() for c in codes}
    return [pk for pk, code in Agency.objects.values_list("pk", "code") if code.upper() in wanted]


def uses_rollup(query: Query, source: Source) -> bool:
    if query.prefer == "raw" or source.rollup_model is None:
        return False
    measures = [MEASURES[m] for m in query.measures]
    dims_fit = all(source.dimensions[d].rollup is not None for d in [*query.by, *query.filters])
    if dims_fit and any(d in ROLLUP_V2_DIMENSIONS for d in [*query.by, *query.filters]):
        dims_fit = _site_levels_built()
    later = LATER_DIMENSIONS.get(source.id, {})
    if dims_fit and any(d in later for d in [*query.by, *query.filters]):
        keys = {later[d] for d in [*query.by, *query.filters] if d in later}
        dims_fit = RollupClock.objects.filter(key__in=keys).count() == len(keys)
    fits = dims_fit and all(m.rollup is not None for m in measures)
    if query.prefer == "rollup" and not fits:
        raise StatisticsError(errors={"source": [_t("This request cannot be answered from the rollups.")]})
    return fits


def _site_level(query: Query, source: Source, agency_scope: int | None) -> str | None:
    """Which per-site path answers the distinct counts of ``query`` (its plain counts come from
    the daily or monthly rollup): ``month`` (the per-site monthly rollup for the whole months of
    the period, the records for the days at its edges), ``week_distinct`` (the per-week distinct
    counts, when week is the only time dimension, with at most one other dimension, grouped, or
    filtered by one value; the records for the days at the period's edges), ``week`` (the
    per-site weekly rollup, for the other breakdowns by week alone), ``day`` (the per-day
    distinct counts, when day is asked for with at most one other dimension, grouped, or filtered
    by one value), or None: the records."""
    measures = [MEASURES[m] for m in query.measures]
    if query.prefer == "raw" or source.site_month_model is None or not any(m.distinct for m in measures):
        return None
    if not all(m.distinct_rollup if m.distinct else m.rollup for m in measures):
        return None
    others = list(dict.fromkeys(d for d in [*query.by, *query.filters] if d not in TIME_DIMENSIONS))
    if any(source.dimensions[d].rollup is None for d in others):
        return None
    times = {d for d in query.by if d in TIME_DIMENSIONS}
    coarse = times <= {"year", "quarter", "month"}
    # (the per-site rollups' status counts came with them too)
    needs_v2 = not coarse or any(d in (*ROLLUP_V2_DIMENSIONS, "status") for d in others)
    levels = _levels_built() if needs_v2 else set()
    if needs_v2 and (source.site_week_model is None or SITE_LEVELS_CLOCK not in levels):
        return None
    if coarse:
        return "month"
    grouping = _stored_grouping(query, agency_scope, others)
    if grouping is not None and len(grouping) == 2 and DISTINCT_PAIRS_CLOCK not in levels:
        grouping = None  # the pairs: once a full build filled them
    if times == {"week"}:
        counted = grouping is not None and source.week_distinct_model is not None
        return "week_distinct" if counted and WEEK_DISTINCT_CLOCK in levels else "week"
    if "day" in times and source.day_distinct_model is not None and grouping is not None:
        return "day"
    return None


def _stored_grouping(query: Query, agency_scope: int | None, others: list[str]) -> tuple[str, ...] | None:
    """The stored grouping of distinct counts per period (``DISTINCT_GROUPINGS``) that answers
    the query's dimensions besides time (``others``, and the agency of a reader scoped to one),
    or None: at most two, each grouped or filtered by one value (a distinct count over several
    values is no sum of their counts)."""
    needed = {*others, *(["agency"] if agency_scope is not None else [])}
    if len(needed) > 2 or any(d not in DAY_DISTINCT_DIMENSIONS for d in needed):
        return None
    if any(d not in query.by and len(query.filters[d]) != 1 for d in others):
        return None
    return tuple(d for d in DAY_DISTINCT_DIMENSIONS if d in needed)


# Dimensions in the rollups since the weekly per-site rollup came: answered from the rollups
# once a full build has filled them (see ``rollups.SITE_LEVELS_CLOCK``).
ROLLUP_V2_DIMENSIONS = ("operation",)


# RollupClock's keys once a full build filled what came after the first rollups (set too by the
# migrations that made them, on a database without rollups): until then the breakdowns that
# need them read older rollups or the records. The weekly per-site rollup, the per-day distinct
# counts and the rollups' operation column; the per-week distinct counts; the pairs of
# dimensions in the per-day and per-week distinct counts.
SITE_LEVELS_CLOCK = "site_levels"
WEEK_DISTINCT_CLOCK = "week_distinct"
DISTINCT_PAIRS_CLOCK = "distinct_pairs"
# The findings rollup's inspection category (the dashboard's category filter on findings read
# the records joined to their inspections before it).
FINDING_CATEGORY_CLOCK = "finding_category"
# Per source, dimensions a rollup gained later: answered from it once the key is set.
LATER_DIMENSIONS: dict[str, dict[str, str]] = {"findings": {"category": FINDING_CATEGORY_CLOCK}}


def _site_levels_built() -> bool:
    return RollupClock.objects.filter(key=SITE_LEVELS_CLOCK).exists()


def _levels_built() -> set[str]:
    """The keys above that are set, in one statement."""
    keys = (SITE_LEVELS_CLOCK, WEEK_DISTINCT_CLOCK, DISTINCT_PAIRS_CLOCK)
    return set(RollupClock.objects.filter(key__in=keys).values_list("key", flat=True))


def _filter_values(dim: Dimension, values: Sequence[str], query: Query) -> list[Any]:
    if dim.agency:
        key = tuple(values)
        if key not in query.agency_ids:
            query.agency_ids[key] = _agency_ids(values)
        return query.agency_ids[key]
    if dim.boolean:
        return [v.lower() in ("true", "1", "yes") for v in values]
    return [dim.stored(v) for v in values]


def _filtered(
    qs: QuerySet[Any],
    source: Source,
    query: Query,
    agency_scope: int | None,
    path: Callable[[Dimension], Any],
) -> QuerySet[Any]:
    """``qs`` narrowed by the query's filters and the reader's scope (``path``: where each
    dimension is on ``qs``)."""
    for name, values in query.filters.items():
        dim = source.dimensions[name]
        target = path(dim)
        if isinstance(target, str):
            qs = qs.filter(**{f"{target}__in": _filter_values(dim, values, query)})
        else:
            qs = qs.alias(**{f"f_{name}": target}).filter(
                **{f"f_{name}__in": _filter_values(dim, values, query)}
            )
    if agency_scope is not None:
        if source.agency_dimension is None:
            raise StatisticsError(errors={"measure": [_t("Not available at agency scope.")]})
        qs = qs.filter(**{path(source.dimensions[source.agency_dimension]): agency_scope})
    return qs


def _rows_out(
    source: Source, query: Query, measures: Sequence[str], raw_rows: Iterable[dict[str, Any]]
) -> list[dict[str, Any]]:
    """Grouped rows (``d_<dim>``, ``m_<measure>``) as the API gives them: values offered, times
    formatted."""
    codes = (
        dict(Agency.objects.values_list("pk", "code"))
        if any(source.dimensions[d].agency for d in query.by)
        else {}
    )
    rows = []
    for raw_row in raw_rows:
        row: dict[str, Any] = {}
        for name in query.by:
            value = raw_row[f"d_{name}"]
            dim = source.dimensions[name]
            if name in TIME_DIMENSIONS:
                value = _time_value(name, value)
            elif dim.agency:
                value = codes.get(value, value)
            elif dim.boolean:
                value = "true" if value else "false"
            else:
                value = dim.offered(value)
            row[name] = value
        for m in measures:
            row[m] = int(raw_row[f"m_{m}"] or 0)
        rows.append(row)
    return rows


def aggregate(query: Query, *, agency_scope: int | None = None) -> Result:
    """Answer ``query`` with one grouped query, its totals from the same grouped rows.
    ``agency_scope`` narrows the source to one agency (the reader's own) where the source has
    an agency."""
    source = validate(query)
    level = _site_level(query, source, agency_scope)
    if level is not None:
        return _aggregate_by_site(query, source, level, agency_scope)
    qs, groups, rollup, day_column = _prepared(query, source, agency_scope)
    distinct = any(MEASURES[m].distinct for m in query.measures)
    aliases = list(groups)
    grand: dict[str, Any] | None = None
    with _work_memory(needed=distinct and not rollup):
        if distinct:
            raw_rows, grand = _distinct_rows(qs, groups, query.measures, rollup=rollup)
        else:
            aggregates = _plain_aggregates(query, rollup)
            if query.by:
                raw_rows = list(
                    qs.annotate(**groups).values(*aliases).annotate(**aggregates).order_by(*aliases)
                )
            else:
                raw_rows = [qs.aggregate(**aggregates)]
    rows = _rows_out(source, query, query.measures, raw_rows)
    return _result(
        query, source, rows, grand, used="rollup" if rollup else "raw", level=day_column if rollup else ""
    )


def _plain_aggregates(query: Query, rollup: bool) -> dict[str, Any]:
    return {f"m_{m}": (MEASURES[m].rollup if rollup else MEASURES[m].raw)() for m in query.measures}  # type: ignore[misc]


def _prepared(
    query: Query, source: Source, agency_scope: int | None
) -> tuple[QuerySet[Any], dict[str, Any], bool, str]:
    """The rows that answer ``query`` (a rollup's or the records, narrowed to the period, the
    filters and the scope), its groups as expressions on them, whether they are a rollup's, and
    the rollup's time column."""
    rollup = uses_rollup(query, source)
    monthly = rollup and source.month_rollup_model is not None and _whole_months(query)
    if monthly:
        qs = source.month_rollup_model.objects.all()  # type: ignore[union-attr]
    else:
        qs = source.rollup_model.objects.all() if rollup else source.queryset()  # type: ignore[union-attr]
    day_column = "month" if monthly else "day"

    def path(dim: Dimension) -> Any:
        if not rollup:
            return dim.raw
        return day_column if dim.rollup == "day" else dim.rollup

    # The period. The raw rows of a source with a stored local day are read by it: no time zone
    # conversion per row.
    stored = {} if rollup else dict(source.stored_time)
    date_path = day_column if rollup else stored.get("day", source.date_field)
    is_datetime = source.date_is_datetime and not rollup and not stored
    if query.date_from:
        qs = qs.filter(
            **{f"{date_path}__gte": _day_start(query.date_from) if is_datetime else query.date_from}
        )
    if query.date_to:
        end = query.date_to + dt.timedelta(days=1)
        qs = qs.filter(**{f"{date_path}__lt": _day_start(end) if is_datetime else end})
    # Filters on dimensions, and the reader's scope.
    qs = _filtered(qs, source, query, agency_scope, path)

    groups = {}
    for name in query.by:
        dim = source.dimensions[name]
        if name in stored:
            groups[f"d_{name}"] = F(stored[name])
        elif name in TIME_DIMENSIONS:
            groups[f"d_{name}"] = _time_expr(name, date_path if stored else path(dim), is_datetime)
        else:
            target = path(dim)
            groups[f"d_{name}"] = F(target) if isinstance(target, str) else target
    return qs, groups, rollup, day_column


def _result(
    query: Query,
    source: Source,
    rows: list[dict[str, Any]],
    grand: dict[str, Any] | None,
    *,
    used: str,
    level: str,
) -> Result:
    if query.by:
        # Groups whose measures are all zero say nothing (filtered aggregates leave them).
        rows = [r for r in rows if any(r[m] for m in query.measures)]
        # Time values formatted in Python may merge across time zones' edges: keep order stable.
        rows.sort(key=lambda r: tuple(_sort_key(r[d]) for d in query.by))
        totals = {m: sum(r[m] for r in rows) for m in query.measures}
        # A distinct count (sites, companies, persons) does not add up across groups: its total
        # came with the groups, from the same grouped rows.
        if grand is not None:
            totals.update({m: int(grand[f"m_{m}"] or 0) for m in query.measures if MEASURES[m].distinct})
    else:
        totals = dict(rows[0])
    return Result(query=query, source=source.id, used=used, rows=rows, totals=totals, level=level)


def _aggregate_by_site(query: Query, source: Source, level: str, agency_scope: int | None) -> Result:
    """Distinct counts from a per-site path (see ``_site_level``), plain counts from the daily or
    monthly rollup: in one statement for whole months or weeks, merged group by group."""
    distinct = [m for m in query.measures if MEASURES[m].distinct]
    plain = [m for m in query.measures if not MEASURES[m].distinct]
    if level in ("day", "week_distinct"):
        asked = replace(query, measures=distinct)
        if level == "day":
            raw_rows = _day_distinct_rows(asked, source, agency_scope)
        else:
            raw_rows = _week_distinct_rows(asked, source, agency_scope)
        # The period's distinct total is no sum of days: counted from the per-site rollups.
        totals = aggregate(replace(asked, by=[]), agency_scope=agency_scope).totals
        grand = {f"m_{m}": v for m, v in totals.items()}
        rows = _rows_out(source, query, distinct, raw_rows)
        if plain:
            counted = aggregate(replace(query, measures=plain), agency_scope=agency_scope)
            rows = _merged(query, [*rows, *counted.rows])
            if not query.by:
                rows[0].update(counted.totals)
    else:
        raw_rows, grand = _site_union_rows(query, source, level, agency_scope)
        rows = _merged(query, _rows_out(source, query, query.measures, raw_rows))
    return _result(query, source, rows, grand, used="rollup", level=level)


def _merged(query: Query, rows: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """Rows of the same group added up (each measure comes from one of them)."""
    merged: dict[tuple[Any, ...], dict[str, Any]] = {}
    for row in rows:
        key = tuple(row[d] for d in query.by)
        into = merged.setdefault(key, {**{d: row[d] for d in query.by}, **dict.fromkeys(query.measures, 0)})
        for m in query.measures:
            into[m] += row.get(m) or 0
    return list(merged.values())


def _edges(level: str, first: dt.date | None, last: dt.date | None) -> tuple[Any, Any, list[tuple[Any, Any]]]:
    """The whole months (or weeks) of the period [first, last] as [start, stop), and the days
    at its edges as [from, to) ranges (None: unbounded)."""
    end = None if last is None else last + dt.timedelta(days=1)
    if level == "month":
        start = None if first is None else first if first.day == 1 else _next_month(first)
        stop = None if end is None else end.replace(day=1)
    else:
        start = None if first is None else first + dt.timedelta(days=-first.weekday() % 7)
        stop = None if end is None else end - dt.timedelta(days=end.weekday())
    if start is not None and stop is not None and start >= stop:
        return None, None, [(first, end)]  # no whole month (week): the records only
    edges = []
    if first is not None and start > first:
        edges.append((first, start))
    if end is not None and stop < end:
        edges.append((stop, end))
    return start or dt.date.min, stop or dt.date.max, edges


def _next_month(day: dt.date) -> dt.date:
    return (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)


def _site_union_rows(
    query: Query, source: Source, level: str, agency_scope: int | None
) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """Distinct counts per group and in total over the per-site rollup's rows of the whole
    months (weeks) of the period and the records' rows of the days at its edges, grouped alike
    by group and counted id, in one statement (``WITH s AS (… UNION ALL …)``); the plain
    counts in the same statement, from the daily or monthly rollup (``p``)."""
    model = source.site_month_model if level == "month" else source.site_week_model
    start, stop, edges = _edges(level, query.date_from, query.date_to)
    measures = [MEASURES[m] for m in query.measures if MEASURES[m].distinct]
    keys = list(dict.fromkeys(m.distinct_rollup for m in measures))
    raw_keys = {m.distinct_rollup: m.distinct for m in measures}
    parts = []
    # The status that count, of those asked for: the per-site rollups count each in a column.
    statuses = [s for s in CONDUCTED if s in query.filters.get("status", CONDUCTED)]
    if start is not None and statuses:
        rolled = model.objects.all()  # type: ignore[union-attr]
        if start != dt.date.min:
            rolled = rolled.filter(**{f"{level}__gte": start})
        if stop != dt.date.max:
            rolled = rolled.filter(**{f"{level}__lt": stop})
        unfiltered = {k: v for k, v in query.filters.items() if k != "status"}
        rolled = _filtered(
            rolled, source, replace(query, filters=unfiltered), agency_scope, lambda d: d.rollup
        )
        if len(statuses) < len(CONDUCTED):
            either = Q()
            for status in statuses:
                either |= Q(**{f"n_{status}__gt": 0})
            rolled = rolled.filter(either)
        keyed = {f"k_{i}": F(k) for i, k in enumerate(keys)}
        # Grouped by status: the rows of each status apart, labelled with it.
        for status in statuses if "status" in query.by else [None]:
            groups = {
                # The week column is its Monday already: grouped as it is, no conversion per row.
                f"d_{name}": (F(level) if name == level else _time_expr(name, level, False))
                if name in TIME_DIMENSIONS
                else Value(status)
                if name == "status"
                else F(source.dimensions[name].rollup)
                for name in query.by
            }
            rows = rolled if status is None else rolled.filter(**{f"n_{status}__gt": 0})
            parts.append((rows, groups, keyed, Sum("n")))
    day = source.stored_time["day"]
    for first, end in edges:
        raw = source.queryset().filter(status__in=CONDUCTED)
        if first is not None:
            raw = raw.filter(**{f"{day}__gte": first})
        if end is not None:
            raw = raw.filter(**{f"{day}__lt": end})
        raw = _filtered(raw, source, query, agency_scope, lambda d: d.raw)
        groups = {}
        for name in query.by:
            target = source.dimensions[name].raw
            if name in TIME_DIMENSIONS:
                groups[f"d_{name}"] = _time_expr(name, day, False)
            else:
                groups[f"d_{name}"] = F(target) if isinstance(target, str) else target
        parts.append((raw, groups, {f"k_{i}": F(raw_keys[k]) for i, k in enumerate(keys)}, Count("pk")))
    aliases = [f"d_{name}" for name in query.by]
    key_aliases = [f"k_{i}" for i in range(len(keys))]
    quote = connection.ops.quote_name
    columns = ", ".join(quote(c) for c in [*aliases, *key_aliases, "w"])
    selects, params = [], []
    for qs, groups, key_exprs, weight in parts:
        inner = (
            qs.annotate(**groups, **key_exprs).values(*aliases, *key_aliases).annotate(w=weight).order_by()
        )
        try:
            sql, part_params = inner.query.sql_with_params()
        except EmptyResultSet:  # a filter that can match nothing
            continue
        selects.append(f"SELECT {columns} FROM ({sql}) AS p{len(selects)}")  # noqa: S608
        params.extend(part_params)
    grand: dict[str, Any] = {f"m_{m}": 0 for m in query.measures}
    dims = ", ".join(quote(a) for a in aliases)
    nulls = "".join("NULL, " for _a in aliases)
    branches = []
    ctes = []
    plain = replace(query, measures=[m for m in query.measures if not MEASURES[m].distinct])
    if plain.measures:
        qs, groups, rollup, _column = _prepared(plain, source, agency_scope)
        grouped = (
            qs.annotate(**groups).values(*aliases) if aliases else qs.annotate(one=Value(1)).values("one")
        )
        try:
            sql, plain_params = (
                grouped.annotate(**_plain_aggregates(plain, rollup)).order_by().query.sql_with_params()
            )
        except EmptyResultSet:
            pass
        else:
            ctes.append((f"p AS ({sql})", plain_params))
            for m in plain.measures:
                i, value = query.measures.index(m), quote(f"m_{m}")
                if aliases:
                    branches.append(f"SELECT 0, {i}, {dims}, {value} FROM p")  # noqa: S608
                branches.append(f"SELECT 1, {i}, {nulls}SUM({value}) FROM p")  # noqa: S608
    if selects:
        ctes.insert(0, (f"s AS ({' UNION ALL '.join(selects)})", params))
    if not ctes:
        return ([] if aliases else [grand]), grand
    unique = len(selects) == 1 and len(keys) == 1  # one grouped read of one id: (group, id) unique
    for measure in measures if selects else []:
        i = next(j for j, m in enumerate(query.measures) if MEASURES[m] is measure)
        key = quote(f"k_{keys.index(measure.distinct_rollup)}")
        if aliases:
            ids = "s" if unique else f"(SELECT DISTINCT {dims}, {key} FROM s) AS d"  # noqa: S608
            branches.append(f"SELECT 0, {i}, {dims}, COUNT({key}) FROM {ids} GROUP BY {dims}")  # noqa: S608
        branches.append(f"SELECT 1, {i}, {nulls}COUNT({key}) FROM (SELECT DISTINCT {key} FROM s) AS t")  # noqa: S608
    text = "WITH " + ", ".join(c for c, _p in ctes) + " " + " UNION ALL ".join(branches)
    # A week's per-site rows are many (a group per week and site): their own working memory. The
    # monthly ones stay at the server's (the pages' statement counts are pinned).
    with _work_memory(needed=level == "week"), connection.cursor() as cursor:
        cursor.execute(text, [p for _c, cte_params in ctes for p in cte_params])
        fetched = cursor.fetchall()
    grouped: dict[tuple[Any, ...], dict[str, Any]] = {}
    for total, i, *values in fetched:
        *group, value = values
        if total:
            grand[f"m_{query.measures[i]}"] = value
            continue
        row = grouped.setdefault(
            tuple(group), {**dict(zip(aliases, group, strict=True)), **{f"m_{m}": 0 for m in query.measures}}
        )
        row[f"m_{query.measures[i]}"] = value
    return (list(grouped.values()) if aliases else [grand]), grand


def _day_distinct_rows(
    query: Query, source: Source, agency_scope: int | None, *, level: str = "day", whole: Any = None
) -> list[dict[str, Any]]:
    """Distinct counts by day (and coarser times, and at most two other dimensions, see
    ``_stored_grouping``) from the stored per-day counts: a row per day and values. ``level``
    week: by ISO week from the stored per-week counts, of the weeks in ``whole`` ([first Monday,
    Monday after))."""
    others = [d for d in dict.fromkeys([*query.by, *query.filters]) if d not in TIME_DIMENSIONS]
    grouping = _stored_grouping(query, agency_scope, others) or ()
    columns = dict(zip(grouping, ("value", "value2"), strict=False))
    model = source.day_distinct_model if level == "day" else source.week_distinct_model
    qs = model.objects.filter(  # type: ignore[union-attr]
        dimension=grouping[0] if grouping else "", dimension2=grouping[1] if len(grouping) > 1 else ""
    )
    if level == "day":
        if query.date_from:
            qs = qs.filter(day__gte=query.date_from)
        if query.date_to:
            qs = qs.filter(day__lte=query.date_to)
    else:
        if whole[0] != dt.date.min:
            qs = qs.filter(week__gte=whole[0])
        if whole[1] != dt.date.max:
            qs = qs.filter(week__lt=whole[1])
    for name, column in columns.items():
        dim = source.dimensions[name]
        if name in query.filters:
            wanted = _filter_values(dim, query.filters[name], query)
            qs = qs.filter(**{f"{column}__in": [_as_text(dim, v) for v in wanted]})
        if name == source.agency_dimension and agency_scope is not None:
            qs = qs.filter(**{column: str(agency_scope)})
    groups: dict[str, Any] = {}
    for by in query.by:
        if by == "week" and level == "week":
            groups[f"d_{by}"] = F("week")  # its Monday already
        elif by in TIME_DIMENSIONS:
            groups[f"d_{by}"] = _time_expr(by, "day", False)
        else:
            groups[f"d_{by}"] = F(columns[by])
    sums = {
        f"m_{m}": Sum("sites" if MEASURES[m].distinct_rollup == "site_id" else "companies")
        for m in query.measures
    }
    rows = list(qs.annotate(**groups).values(*groups).annotate(**sums).order_by())
    for name in columns:
        if name in query.by:
            dim = source.dimensions[name]
            for row in rows:
                value = row[f"d_{name}"]
                row[f"d_{name}"] = int(value) if dim.agency else (value == "true") if dim.boolean else value
    return rows


def _week_distinct_rows(query: Query, source: Source, agency_scope: int | None) -> list[dict[str, Any]]:
    """Distinct counts by ISO week (and at most one other dimension): the whole weeks of the
    period from the stored per-week counts, a row per week and value; the partial weeks at its
    edges (groups of their own: a week's group is its Monday) from the records."""
    start, stop, edges = _edges("week", query.date_from, query.date_to)
    rows = []
    if start is not None:
        rows = _day_distinct_rows(query, source, agency_scope, level="week", whole=(start, stop))
    for first, end in edges:
        part = replace(query, date_from=first, date_to=end - dt.timedelta(days=1))
        rows += _site_union_rows(part, source, "week", agency_scope)[0]
    return rows


def _as_text(dim: Dimension, value: Any) -> str:
    if dim.boolean:
        return "true" if value else "false"
    return str(value)


@contextmanager
def _work_memory(*, needed: bool) -> Iterator[None]:
    """On PostgreSQL, for a distinct count (over the records or the per-site rollups),
    ``STATISTICS_WORK_MEM`` (default 64MB) for its own transaction: its hash aggregates (a group
    per period and site) then stay in memory instead of spilling to disk. Other statements keep
    the server's setting; other breakdowns (the rollups, plain sums) pay no extra statement."""
    if needed and connection.vendor == "postgresql":
        with transaction.atomic():
            with connection.cursor() as cursor:
                memory = str(getattr(settings, "STATISTICS_WORK_MEM", "64MB"))
                cursor.execute("SELECT set_config('work_mem', %s, true)", [memory])
            yield
    else:
        yield


def _whole_months(query: Query) -> bool:
    """Whether the monthly rollup answers ``query``: no week or day, a period of whole months."""
    if any(d in ("week", "day") for d in query.by):
        return False
    if query.date_from and query.date_from.day != 1:
        return False
    return not (query.date_to and (query.date_to + dt.timedelta(days=1)).day != 1)


DISTINCT_MEASURES = tuple(m.id for m in MEASURES.values() if m.distinct)


def _distinct_rows(
    qs: QuerySet[Any], groups: dict[str, Any], measures: Sequence[str], *, rollup: bool
) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """Measures with distinct counts, per group and in total, from one read of ``qs``.

    First the rows are grouped by the groups and the counted ids (one row per group and site,
    far fewer than the records); then, over those grouped rows, each group's measures and the
    grand totals are counted (``WITH … UNION ALL``: the grouped rows are made once and read by
    each branch, the records are read once). A distinct count is the number of ids with at
    least one counting row; a plain count sums the first step's counts. Every step is a hash
    aggregate or a scan: no sort of the rows for ``COUNT(DISTINCT …)``."""
    keys: dict[str, str] = {}
    inner_aggregates: dict[str, Any] = {}
    for m in measures:
        measure = MEASURES[m]
        if measure.distinct:
            key = measure.distinct_rollup if rollup else measure.distinct
            keys.setdefault(key, f"k_{len(keys)}")  # type: ignore[arg-type]
            counting = Sum("n", filter=measure.counts) if rollup else Count("pk", filter=measure.counts)
            inner_aggregates[f"w_{m}"] = counting
        else:
            inner_aggregates[f"w_{m}"] = (measure.rollup if rollup else measure.raw)()  # type: ignore[misc]
    aliases = list(groups)
    inner = (
        qs.annotate(**groups, **{alias: F(key) for key, alias in keys.items()})
        .values(*aliases, *keys.values())
        .annotate(**inner_aggregates)
        .order_by()
    )
    grand: dict[str, Any] = {f"m_{m}": 0 for m in measures}
    try:
        sql, params = inner.query.sql_with_params()
    except EmptyResultSet:  # a filter that can match nothing (an empty list of values): no rows
        return ([] if aliases else [grand]), grand
    quote = connection.ops.quote_name
    dims = ", ".join(quote(a) for a in aliases)
    nulls = "".join("NULL, " for _a in aliases)
    # Only our own aliases and quoted names go into this text; values are parameters.
    branches = []
    for i, m in enumerate(measures):
        measure = MEASURES[m]
        weight = quote(f"w_{m}")
        if not measure.distinct:
            if aliases:
                branches.append(f"SELECT 0, {i}, {dims}, SUM({weight}) FROM s GROUP BY {dims}")  # noqa: S608
            branches.append(f"SELECT 1, {i}, {nulls}SUM({weight}) FROM s")  # noqa: S608
            continue
        key = quote(keys[measure.distinct_rollup if rollup else measure.distinct])  # type: ignore[index]
        counted = f"SELECT DISTINCT {key} FROM s WHERE {weight} > 0"  # noqa: S608
        if aliases:
            # The grouped rows are unique per group and id when one id is counted.
            ids = f"s WHERE {weight} > 0"
            if len(keys) > 1:
                ids = f"(SELECT DISTINCT {dims}, {key} FROM s WHERE {weight} > 0) AS d"  # noqa: S608
            branches.append(f"SELECT 0, {i}, {dims}, COUNT({key}) FROM {ids} GROUP BY {dims}")  # noqa: S608
        # COUNT of the id, not of rows: no id (a site without an operator) is not counted.
        branches.append(f"SELECT 1, {i}, {nulls}COUNT({key}) FROM ({counted}) AS t")  # noqa: S608
    text = f"WITH s AS ({sql}) " + " UNION ALL ".join(branches)
    with connection.cursor() as cursor:
        cursor.execute(text, params)
        fetched = cursor.fetchall()
    grouped: dict[tuple[Any, ...], dict[str, Any]] = {}
    for total, i, *values in fetched:
        *group, value = values
        if total:
            grand[f"m_{measures[i]}"] = value
            continue
        row = grouped.setdefault(
            tuple(group), {**dict(zip(aliases, group, strict=True)), **{f"m_{m}": 0 for m in measures}}
        )
        row[f"m_{measures[i]}"] = value
    return (list(grouped.values()) if aliases else [grand]), grand


def _sort_key(value: Any) -> tuple[int, Any]:
    return (0, "") if value is None else (1, str(value) if not isinstance(value, int) else f"{value:012d}")


def _day_start(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(0), tzinfo=LOCAL)


def value_labels(source_id: str, dims: Sequence[str]) -> dict[str, dict[str, str]]:
    """Labels, in the active language, of the coded values of ``dims``."""
    source = SOURCES[source_id]
    return {
        d: {k: str(v) for k, v in source.dimensions[d].choices.items()}  # type: ignore[union-attr]
        for d in dims
        if source.dimensions[d].choices
    }


def suppression_threshold() -> int:
    return int(getattr(settings, "STATISTICS_SUPPRESSION_THRESHOLD", 3))


def suppress(result: Result, threshold: int | None = None) -> Result:
    """Hide counts of people from 1 to threshold−1 (a small count could single someone out).
    Zero stays: it identifies no one. When a cell is hidden its total is hidden too, or it could
    be worked out by subtraction."""
    threshold = suppression_threshold() if threshold is None else threshold
    personal = [m for m in result.query.measures if MEASURES[m].personal]
    if not personal or threshold <= 1:
        return result
    for m in personal:
        hidden = False
        for row in result.rows:
            if row[m] is not None and 0 < row[m] < threshold:
                row[m] = None
                hidden = True
        total = result.totals.get(m)
        if hidden or (total is not None and 0 < total < threshold):
            result.totals[m] = None
            hidden = True
        result.suppressed = result.suppressed or hidden
    return result


# --- Periods with nothing counted ----------------------------------------------------------------

# Beyond this many rows a filled answer stays as it came (a table that long is read as a list,
# not as a trend, and no chart is drawn of it).
MAX_FILLED_ROWS = 5000


def period_span(dim_id: str, value: Any) -> tuple[dt.date, dt.date]:
    """The first and last day of a time dimension's value as answers write it (``2021``,
    ``2021-Q3``, ``2021-07``, ``2021-W27``, ``2021-07-05``)."""
    if dim_id == "year":
        return dt.date(int(value), 1, 1), dt.date(int(value), 12, 31)
    if dim_id == "quarter":
        first = dt.date(int(value[:4]), 3 * int(value[-1]) - 2, 1)
        return first, _next_month(_next_month(_next_month(first))) - dt.timedelta(days=1)
    if dim_id == "month":
        first = dt.date.fromisoformat(f"{value}-01")
        return first, _next_month(first) - dt.timedelta(days=1)
    if dim_id == "week":
        year, week = str(value).split("-W")
        monday = dt.date.fromisocalendar(int(year), int(week), 1)
        return monday, monday + dt.timedelta(days=6)
    day = dt.date.fromisoformat(str(value))
    return day, day


def _period_of(dim_id: str, day: dt.date) -> Any:
    return day.year if dim_id == "year" else _time_value(dim_id, day)


FILLS = ("zeros",)


def fill_from_params(params: Mapping[str, Any], query: Query) -> bool:
    """Whether the request asks for ``query``'s periods with nothing counted as 0
    (``fill=zeros``). A fill the API cannot apply (another value, or no time dimension to fill)
    is refused, as a filter is, rather than ignored."""
    if "fill" not in params:
        return False
    given = params.getlist("fill") if hasattr(params, "getlist") else [params.get("fill")]
    if [str(v or "").strip() for v in given] != list(FILLS):
        raise StatisticsError(errors={"fill": [_t("Only fill=zeros: periods with nothing counted as 0.")]})
    if not any(d in TIME_DIMENSIONS for d in query.by):
        raise StatisticsError(
            errors={"fill": [_t("fill=zeros fills periods: group by year, quarter, month, week or day.")]}
        )
    return True


def with_empty_periods(
    result: Result,
    *,
    today: dt.date | None = None,
    limit: int = MAX_FILLED_ROWS,
    refuse_beyond_limit: bool = False,
) -> Result:
    """``result`` with a row of zeros for every period of its time dimensions in which nothing
    was counted, so that a table or a chart over time shows the year (month, week, day) with
    nothing as 0 instead of leaving it out and joining its neighbours.

    The statistics API answers with the groups where something was counted (and its files say
    the same); the analysts' tables and charts lay those groups out over the whole period. The
    period: from ``from`` (else the first period counted) to ``to`` (else the last), never past
    ``today``: a year that has not come yet is no zero. Each combination of the other dimensions
    found in the answer gets every period (by year and agency: each agency, every year).
    Unchanged when nothing was counted at all, when no time dimension was asked for, or when the
    filled answer would pass ``limit`` rows (refused instead with ``refuse_beyond_limit``: the API
    must not hand back an unfilled answer to a question that asked for one)."""
    query = result.query
    times = [d for d in query.by if d in TIME_DIMENSIONS]
    dated = [r for r in result.rows if all(r[d] is not None for d in times)]
    if not times or not dated:
        return result
    # Each row's days: where the spans of its time values meet (year 2019 and week 2020-W01:
    # 30 and 31 December 2019).
    spans = []
    for row in dated:
        ranges = [period_span(d, row[d]) for d in times]
        spans.append((max(r[0] for r in ranges), min(r[1] for r in ranges)))
    today = today or timezone.localtime(timezone.now(), LOCAL).date()
    first = query.date_from or min(start for start, _end in spans)
    last = min(query.date_to or max(end for _start, end in spans), today)
    last = max(last, max(start for start, _end in spans))  # what was counted is never cut off
    others = [d for d in query.by if d not in TIME_DIMENSIONS]
    combinations_found = list(dict.fromkeys(tuple(r[d] for d in others) for r in result.rows))
    periods: list[tuple[Any, ...]] = []
    day = first
    while day <= last:
        values = tuple(_period_of(d, day) for d in times)
        periods.append(values)
        if len(periods) * len(combinations_found) > limit:
            if refuse_beyond_limit:
                too_many = _t(
                    "Filled, the answer would pass %(limit)s rows: ask for a shorter period or fewer groups."
                ) % {"limit": number_format(limit, force_grouping=True)}
                raise StatisticsError(errors={"fill": [too_many]})
            return result
        # On to the first day of the next period of any of the time dimensions.
        day = min(period_span(d, v)[1] for d, v in zip(times, values, strict=True)) + dt.timedelta(days=1)
    present = {tuple(r[d] for d in query.by) for r in result.rows}
    rows = list(result.rows)
    for period in periods:
        for combination in combinations_found:
            values = {**dict(zip(times, period, strict=True)), **dict(zip(others, combination, strict=True))}
            key = tuple(values[d] for d in query.by)
            if key not in present:
                present.add(key)
                rows.append({**{d: values[d] for d in query.by}, **dict.fromkeys(query.measures, 0)})
    if len(rows) == len(result.rows):
        return result
    rows.sort(key=lambda r: tuple(_sort_key(r[d]) for d in query.by))
    return replace(result, rows=rows, filled=True)
