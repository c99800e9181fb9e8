"""The yearly (or multi-year) report: its figures, each defined in code beside its query, in the
four chapters of the seed report (prevention, law enforcement, victim protection, collaboration).

Figure ids are those of ``data/report_2019_2023.json`` (a copy of the seed's figures kept in the
project), and each value has that file's form: a number, a list of ``{"year": …, <key>: …}`` for
per-year figures (years with nothing are left out, as the seed does), or a list of names.

A published (frozen) period answers with its figures as published; when the records have since
changed, each changed figure carries its current value and the difference.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from django.db.models import Count, Min
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from backend.inspections.models import Operation
from backend.reporting.models import PublishedReport, ReportFact
from backend.reporting.statistics import (
    LOCAL,
    MEASURES,
    POLICE_AGENCIES,
    Query,
    aggregate,
    suppress,
    suppression_threshold,
)

SEED_FILE = Path(__file__).parent / "data" / "report_2019_2023.json"

SECTIONS: dict[str, Promise] = {
    "prevention": _("Prevention"),
    "enforcement": _("Law enforcement"),
    "protection": _("Victim protection"),
    "collaboration": _("Collaboration"),
}


@cache
def seed_report() -> dict[str, Any]:
    return json.loads(SEED_FILE.read_text(encoding="utf-8"))


def seed_figures() -> dict[str, dict[str, Any]]:
    return {f["id"]: f for f in seed_report()["figures"]}


@dataclass(frozen=True)
class FigureSpec:
    id: str
    section: str
    label: Promise
    definition: Promise
    kind: str  # count | per_year | names | fact
    measure: str | None = None
    filters: dict[str, list[str]] = field(default_factory=dict)
    per_year_key: str = ""


def _f(**filters: Any) -> dict[str, list[str]]:
    return {k: list(v) if isinstance(v, (list, tuple)) else [v] for k, v in filters.items()}


POLICE = list(POLICE_AGENCIES)

FIGURES: list[FigureSpec] = [
    # Prevention.
    FigureSpec(
        "training_classes",
        "prevention",
        _("Training classes held"),
        _("Sessions of prevention activities of kind training class, any organiser and audience."),
        "count",
        "sessions",
        _f(kind="training_class"),
    ),
    FigureSpec(
        "training_trainees_security_officers",
        "prevention",
        _("Security officers trained (in the training classes)"),
        _("Participants of training classes whose audience is security officers."),
        "count",
        "participants",
        _f(kind="training_class", audience="security_officers"),
    ),
    FigureSpec(
        "training_trainees_employment_service_instructors",
        "prevention",
        _("Employment service instructors trained (in the training classes)"),
        _("Participants of training classes whose audience is employment service instructors."),
        "count",
        "participants",
        _f(kind="training_class", audience="employment_service_instructors"),
    ),
    FigureSpec(
        "seminars_employees",
        "prevention",
        _("Seminars for employees"),
        _("Sessions of seminars whose audience is employees."),
        "count",
        "sessions",
        _f(kind="seminar", audience="employees"),
    ),
    FigureSpec(
        "seminars_employees_participants",
        "prevention",
        _("Employees reached by the seminars"),
        _("Participants of seminars whose audience is employees."),
        "count",
        "participants",
        _f(kind="seminar", audience="employees"),
    ),
    FigureSpec(
        "labour_rights_sessions",
        "prevention",
        _("Explanatory sessions on labour rights"),
        _("Sessions of explanatory sessions whose audience is workers (labour rights)."),
        "count",
        "sessions",
        _f(kind="explanatory_session", audience="workers"),
    ),
    FigureSpec(
        "labour_rights_sessions_participants",
        "prevention",
        _("Participants in the labour-rights explanatory sessions"),
        _("Participants of explanatory sessions whose audience is workers (labour rights)."),
        "count",
        "participants",
        _f(kind="explanatory_session", audience="workers"),
    ),
    FigureSpec(
        "swb_seminars",
        "prevention",
        _("Seminars for frontline staff"),
        _("Sessions of seminars organised by the Social Welfare Bureau (IAS)."),
        "count",
        "sessions",
        _f(kind="seminar", organiser="IAS"),
    ),
    FigureSpec(
        "swb_seminars_participants",
        "prevention",
        _("Frontline staff attending the seminars"),
        _("Participants of seminars organised by the Social Welfare Bureau (IAS)."),
        "count",
        "participants",
        _f(kind="seminar", organiser="IAS"),
    ),
    FigureSpec(
        "swb_lectures",
        "prevention",
        _("Lectures for teachers and students"),
        _("Sessions of lectures organised by the Social Welfare Bureau (IAS)."),
        "count",
        "sessions",
        _f(kind="lecture", organiser="IAS"),
    ),
    FigureSpec(
        "swb_lectures_participants",
        "prevention",
        _("Teachers and students attending the lectures"),
        _("Participants of lectures organised by the Social Welfare Bureau (IAS)."),
        "count",
        "participants",
        _f(kind="lecture", organiser="IAS"),
    ),
    FigureSpec(
        "swb_workshops",
        "prevention",
        _("Workshops for students"),
        _("Sessions of workshops organised by the Social Welfare Bureau (IAS)."),
        "count",
        "sessions",
        _f(kind="workshop", organiser="IAS"),
    ),
    FigureSpec(
        "swb_workshops_participants",
        "prevention",
        _("Students attending the workshops"),
        _("Participants of workshops organised by the Social Welfare Bureau (IAS)."),
        "count",
        "participants",
        _f(kind="workshop", organiser="IAS"),
    ),
    # Law enforcement.
    FigureSpec(
        "police_inspections_prostitution_trafficking",
        "enforcement",
        _("Inspections targeting prostitution / human trafficking"),
        _(
            "Conducted inspections (submitted, reviewed or closed) of category prostitution and "
            "human trafficking counted for a police force (PSP or PJ), by local date of the planned start."
        ),
        "count",
        "inspections",
        _f(agency=POLICE, category="prostitution_trafficking"),
    ),
    FigureSpec(
        "police_inspections_illegal_employment",
        "enforcement",
        _("Inspections targeting illegal employment"),
        _(
            "Conducted inspections of category illegal employment counted for a police force "
            "(PSP or PJ), by local date of the planned start."
        ),
        "count",
        "inspections",
        _f(agency=POLICE, category="illegal_employment"),
    ),
    FigureSpec(
        "dsal_construction_large_scale_inspections",
        "enforcement",
        _("Large-scale inspections of construction sites"),
        _("Conducted inspections of category large-scale construction inspection counted for DSAL."),
        "count",
        "inspections",
        _f(agency="DSAL", category="construction_large_scale"),
    ),
    FigureSpec(
        "dsal_construction_preventive_inspections",
        "enforcement",
        _("Preventive inspections of construction sites"),
        _("Conducted inspections of category preventive construction inspection counted for DSAL."),
        "count",
        "inspections",
        _f(agency="DSAL", category="construction_preventive"),
    ),
    FigureSpec(
        "dsal_construction_questionnaire_surveys",
        "enforcement",
        _("Questionnaire surveys on construction sites"),
        _("Conducted inspections of category construction questionnaire survey counted for DSAL."),
        "count",
        "inspections",
        _f(agency="DSAL", category="construction_questionnaire"),
    ),
    FigureSpec(
        "dsal_employment_agency_inspections",
        "enforcement",
        _("Inspections of employment agencies"),
        _("Conducted inspections of category employment agency inspection counted for DSAL."),
        "count",
        "inspections",
        _f(agency="DSAL", category="employment_agency"),
    ),
    FigureSpec(
        "dsal_employment_agencies_inspected",
        "enforcement",
        _("Employment agencies covered by the inspections"),
        _("Distinct sites with a conducted DSAL inspection of category employment agency inspection."),
        "count",
        "sites_inspected",
        _f(agency="DSAL", category="employment_agency"),
    ),
    FigureSpec(
        "cases_transferred_to_mp",
        "enforcement",
        _("Suspected trafficking cases transferred to the Public Prosecutions Office"),
        _(
            "Criminal-justice steps of kind transfer for the offence trafficking in persons, "
            "per year of the step."
        ),
        "per_year",
        "transfers",
        _f(offence="trafficking"),
        "cases",
    ),
    FigureSpec(
        "prosecutions",
        "enforcement",
        _("Prosecutions for trafficking"),
        _("Criminal-justice steps of kind prosecution for the offence trafficking in persons, per year."),
        "per_year",
        "prosecutions",
        _f(offence="trafficking"),
        "cases",
    ),
    FigureSpec(
        "convictions",
        "enforcement",
        _("Trafficking convictions"),
        _("Criminal-justice steps of kind conviction for the offence trafficking in persons, per year."),
        "per_year",
        "convictions",
        _f(offence="trafficking"),
        "cases",
    ),
    # Victim protection.
    FigureSpec(
        "victims_using_protection_services",
        "protection",
        _("Victims who used protection services"),
        _(
            "Distinct referred persons with at least one protection service starting in the "
            "period. Small counts are suppressed on publication."
        ),
        "count",
        "protected_persons",
    ),
    FigureSpec(
        "hotline_24h_inquiry_calls",
        "protection",
        _("24-hour Report and Assistance Hotline: inquiry calls"),
        _(
            "Calls of kind inquiry logged by the 24-hour Report and Assistance Hotline. Calls "
            "for help are logged and counted apart; published sources differ on whether the 84 "
            "calls reported for 2019-2023 include the 2 calls for help."
        ),
        "count",
        "calls",
        _f(hotline="report_assistance_24h", kind="inquiry"),
    ),
    FigureSpec(
        "hotline_24h_help_calls",
        "protection",
        _("24-hour Report and Assistance Hotline: calls for help"),
        _("Calls of kind call for help logged by the 24-hour hotline, per year."),
        "per_year",
        "calls",
        _f(hotline="report_assistance_24h", kind="help"),
        "calls",
    ),
    FigureSpec(
        "hotline_forced_labour_calls",
        "protection",
        _("Combat and Prevention of Forced Labour Hotline: calls"),
        _("Calls of any kind logged by the Combat and Prevention of Forced Labour Hotline."),
        "count",
        "calls",
        _f(hotline="forced_labour"),
    ),
    # Collaboration.
    FigureSpec(
        "committee_established_year",
        "collaboration",
        _("Human Trafficking Deterrent Measures Concern Committee established"),
        _("A report fact kept by administrators (not derived from records)."),
        "fact",
    ),
    FigureSpec(
        "committee_working_groups",
        "collaboration",
        _("Working groups of the Committee"),
        _("A report fact kept by administrators (not derived from records)."),
        "fact",
    ),
    FigureSpec(
        "joint_operations",
        "collaboration",
        _("Joint police operations named in the report"),
        _(
            "Names of operations led by a police force (PSP or PJ) with more than one agency taking "
            "part, published or closed, revealed, and starting in the period; each name once, in "
            "order of its first start."
        ),
        "names",
    ),
]
FIGURE_IDS = [f.id for f in FIGURES]


def operation_names(*, date_from: dt.date, date_to: dt.date) -> list[str]:
    start = dt.datetime.combine(date_from, dt.time(0), tzinfo=LOCAL)
    end = dt.datetime.combine(date_to + dt.timedelta(days=1), dt.time(0), tzinfo=LOCAL)
    rows = (
        Operation.objects.filter(
            status__in=[Operation.Status.PUBLISHED, Operation.Status.CLOSED],
            lead_agency__code__in=POLICE_AGENCIES,
            reveal_at__lte=timezone.now(),
            starts_at__gte=start,
            starts_at__lt=end,
        )
        .annotate(n_agencies=Count("agencies", distinct=True))
        .filter(n_agencies__gte=2)
        .values("name")
        .annotate(first=Min("starts_at"))
        .order_by("first", "name")
    )
    return [r["name"] for r in rows]


@dataclass
class Figure:
    id: str
    section: str
    label: str
    definition: str
    value: Any
    qualifier: str = "exact"
    unit: str = ""
    personal: bool = False
    suppressed: bool = False
    current: Any = None  # frozen periods: the value now, when it differs from the published one
    difference: Any = None

    @property
    def changed(self) -> bool:
        return self.difference is not None


def _value(spec: FigureSpec, date_from: dt.date, date_to: dt.date, threshold: int) -> tuple[Any, bool]:
    if spec.kind == "fact":
        fact = ReportFact.objects.filter(key=spec.id).first()
        return (fact.value if fact else None), False
    if spec.kind == "names":
        return operation_names(date_from=date_from, date_to=date_to), False
    assert spec.measure is not None
    query = Query(
        measures=[spec.measure],
        by=["year"] if spec.kind == "per_year" else [],
        filters=dict(spec.filters),
        date_from=date_from,
        date_to=date_to,
    )
    result = suppress(aggregate(query), threshold)
    if spec.kind == "per_year":
        return [
            {"year": r["year"], spec.per_year_key: r[spec.measure]}
            for r in result.rows
            if r[spec.measure] != 0
        ], result.suppressed
    return result.totals[spec.measure], result.suppressed


def _difference(published: Any, current: Any, spec: FigureSpec) -> Any:
    if published == current:
        return None
    if isinstance(published, int) and isinstance(current, int):
        return current - published
    if spec.kind == "per_year":
        key = spec.per_year_key
        before = {r["year"]: r[key] or 0 for r in published or []}
        now = {r["year"]: r[key] or 0 for r in current or []}
        return [
            {"year": y, key: now.get(y, 0) - before.get(y, 0)}
            for y in sorted(before.keys() | now.keys())
            if now.get(y, 0) != before.get(y, 0)
        ]
    return {"published": published, "current": current}


def report_figures(
    *, year_from: int, year_to: int, frozen: bool = True, threshold: int | None = None
) -> list[Figure]:
    """Every figure of the report for the years ``year_from``–``year_to``. With ``frozen`` and a
    published report for exactly that period, values are those published."""
    threshold = suppression_threshold() if threshold is None else threshold
    date_from, date_to = dt.date(year_from, 1, 1), dt.date(year_to, 12, 31)
    published = (
        PublishedReport.objects.filter(year_from=year_from, year_to=year_to).first() if frozen else None
    )
    seed = seed_figures()
    out = []
    for spec in FIGURES:
        value, suppressed = _value(spec, date_from, date_to, threshold)
        seed_row = seed.get(spec.id, {})
        figure = Figure(
            id=spec.id,
            section=spec.section,
            label=str(spec.label),
            definition=str(spec.definition),
            value=value,
            qualifier=seed_row.get("qualifier", "exact") if spec.kind == "fact" else "exact",
            unit=str(MEASURES[spec.measure].unit) if spec.measure else "",
            personal=bool(spec.measure and MEASURES[spec.measure].personal),
            suppressed=suppressed,
        )
        if published is not None and spec.id in published.figures:
            figure.value = published.figures[spec.id]
            difference = _difference(figure.value, value, spec)
            if difference is not None:
                figure.current, figure.difference = value, difference
        out.append(figure)
    return out


def report_json(*, year_from: int, year_to: int) -> dict[str, Any]:
    """The figures as one object keyed by figure id, each value in the seed file's form."""
    return {f.id: f.value for f in report_figures(year_from=year_from, year_to=year_to)}
