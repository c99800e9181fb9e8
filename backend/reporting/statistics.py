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
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import EmptyResultSet
from django.db import connection, transaction
from django.db.models import (
    BooleanField,
    Count,
    ExpressionWrapper,
    F,
    Model,
    Q,
    QuerySet,
    Sum,
    Value,
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
from backend.inspections.models import Category, Finding, Inspection
from backend.outreach.models import Activity, HotlineCall
from backend.registry.models import Agency, Parish, Site
from backend.reporting.models import (
    FindingRollup,
    InspectionMonthRollup,
    InspectionRollup,
    InspectionSiteMonthRollup,
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
    agency_dimension: str | None = None  # narrowed to the reader's agency when they are scoped
    personal: bool = False  # counts people: analysts and administrators only, small counts hidden
    # Stored local (Asia/Macau) columns of ``date_field`` on the raw rows, by time dimension
    # ("day" at least): the raw path groups and filters by them instead of converting each
    # row's timestamp (the rest of the time dimensions are derived from the stored day).
    stored_time: Mapping[str, str] = field(default_factory=dict)


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
            "operation": Dimension("operation", _("joint operation"), "operation__name"),
        },
        rollup_model=InspectionRollup,
        month_rollup_model=InspectionMonthRollup,
        site_month_model=InspectionSiteMonthRollup,
        agency_dimension="agency",
        stored_time={"day": "local_day", "month": "local_month", "year": "local_year"},
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
                "category", _("inspection category"), "inspection__category", choices=_labels(Category)
            ),
        },
        rollup_model=FindingRollup,
        agency_dimension="agency",
        stored_time={"day": "local_day"},
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


@dataclass
class Result:
    query: Query
    source: str
    used: str  # "rollup" or "raw"
    rows: list[dict[str, Any]]
    totals: dict[str, int | None]
    suppressed: bool = False
    level: str = ""  # for rollups: "day" or "month"

    @property
    def measures(self) -> list[Measure]:
        return [MEASURES[m] for m in self.query.measures]


def parse_period(value: str, *, end: bool) -> dt.date:
    """``YYYY`` (the whole year), ``YYYY-MM`` or ``YYYY-MM-DD``."""
    value = value.strip()
    try:
        if len(value) == 4:
            year = int(value)
            return dt.date(year, 12, 31) if end else dt.date(year, 1, 1)
        if len(value) == 7:
            first = dt.date.fromisoformat(value + "-01")
            if not end:
                return first
            following = (first.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
            return following - dt.timedelta(days=1)
        return dt.date.fromisoformat(value)
    except ValueError:
        raise StatisticsError(
            errors={"to" if end else "from": [_t("Use YYYY, YYYY-MM or YYYY-MM-DD.")]}
        ) from None


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
    reserved = {"measure", "measures", "by", "from", "to", "source", "format"}
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
                % {"bad": ", ".join(bad), "known": ", ".join(sorted(known))}
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
            % {"names": ", ".join(unknown), "known": ", ".join(MEASURES)}
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
                % {"dim": dim, "source": source.id, "known": ", ".join(source.dimensions)}
            )
    if len(set(query.by)) != len(query.by):
        errors.setdefault("by", []).append(_t("A dimension is named twice."))
    if len(query.by) > 4:
        errors.setdefault("by", []).append(_t("At most four dimensions."))
    for name, values in query.filters.items():
        dim = source.dimensions.get(name)
        if dim is None or name in TIME_DIMENSIONS:
            errors.setdefault(name, []).append(
                _t("Not a filter of %(source)s; filters: from, to, %(known)s.")
                % {
                    "source": source.id,
                    "known": ", ".join(d for d in source.dimensions if d not in TIME_DIMENSIONS),
                }
            )
            continue
        if dim.choices is not None and not dim.agency:
            bad = [v for v in values if v not in dim.choices]
            if bad:
                errors.setdefault(name, []).append(
                    _t("Unknown value %(bad)s; one of %(known)s.")
                    % {"bad": ", ".join(bad), "known": ", ".join(dim.choices)}
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
    fits = dims_fit and all(m.rollup is not None for m in measures)
    if not fits and _fits_site_months(query, source):
        return True
    if query.prefer == "rollup" and not fits:
        raise StatisticsError(errors={"source": [_t("This request cannot be answered from the rollups.")]})
    return fits


def _fits_site_months(query: Query, source: Source) -> bool:
    """Whether the per-site monthly rollup answers ``query``: a distinct count (with counts
    the rollup has), dimensions and filters of the rollup, no week or day, whole months."""
    measures = [MEASURES[m] for m in query.measures]
    return (
        source.site_month_model is not None
        and any(m.distinct for m in measures)
        and all(m.distinct_rollup or m.rollup for m in measures)
        and all(source.dimensions[d].rollup is not None for d in [*query.by, *query.filters])
        and _whole_months(query)
    )


def aggregate(query: Query, *, agency_scope: int | None = None) -> Result:
    """Answer ``query`` with one grouped query, its totals from the same grouped rows.
    ``agency_scope`` narrows the source to one agency (the reader's own) where the source has
    an agency."""
    source = validate(query)
    rollup = uses_rollup(query, source)
    distinct = any(MEASURES[m].distinct for m in query.measures)
    by_site = rollup and distinct  # only the per-site rollup answers a distinct count
    monthly = rollup and source.month_rollup_model is not None and _whole_months(query)
    if by_site:
        qs = source.site_month_model.objects.all()  # type: ignore[union-attr]
    elif monthly:
        qs = source.month_rollup_model.objects.all()  # type: ignore[union-attr]
    else:
        qs = source.rollup_model.objects.all() if rollup else source.queryset()  # type: ignore[union-attr]
    day_column = "month" if monthly or by_site else "day"

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
    filters = dict(query.filters)
    for name, values in filters.items():
        dim = source.dimensions[name]
        target = path(dim)
        if dim.agency:
            values = _agency_ids(values)  # type: ignore[assignment]
        elif dim.boolean:
            values = [v.lower() in ("true", "1", "yes") for v in values]  # type: ignore[misc]
        else:
            values = [dim.stored(v) for v in values]
        if isinstance(target, str):
            qs = qs.filter(**{f"{target}__in": values})
        else:
            qs = qs.alias(**{f"f_{name}": target}).filter(**{f"f_{name}__in": values})
    if agency_scope is not None:
        if source.agency_dimension is None:
            raise StatisticsError(errors={"measure": [_t("Not available at agency scope.")]})
        qs = qs.filter(**{path(source.dimensions[source.agency_dimension]): agency_scope})

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
    aliases = list(groups)
    grand: dict[str, Any] | None = None
    with _work_memory(needed=distinct and not rollup):
        if distinct:
            raw_rows, grand = _distinct_rows(qs, groups, query.measures, rollup=rollup)
        else:
            aggregates = {
                f"m_{m}": (MEASURES[m].rollup if rollup else MEASURES[m].raw)() for m in query.measures
            }  # type: ignore[misc]
            if query.by:
                raw_rows = list(
                    qs.annotate(**groups).values(*aliases).annotate(**aggregates).order_by(*aliases)
                )
            else:
                raw_rows = [qs.aggregate(**aggregates)]

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
        for m in query.measures:
            row[m] = int(raw_row[f"m_{m}"] or 0)
        rows.append(row)
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
    return Result(
        query=query,
        source=source.id,
        used="rollup" if rollup else "raw",
        rows=rows,
        totals=totals,
        level=day_column if rollup else "",
    )


@contextmanager
def _work_memory(*, needed: bool) -> Iterator[None]:
    """On PostgreSQL, for a distinct count over the records, ``STATISTICS_WORK_MEM`` (default 64MB)
    for its own transaction: its hash aggregates (a group per day and site) then stay in memory
    instead of spilling to disk. Other statements keep the server's setting; other breakdowns (the
    rollups, plain sums) pay no extra statement, so the pages' query counts stay as pinned."""
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
