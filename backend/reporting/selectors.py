"""Who may read which statistics.

- analysts and administrators (and superusers): every measure, every agency;
- planners and reviewers: their own agency's figures wherever a source has an agency (any
  ``agency`` filter is narrowed to it, so another agency's figures come back empty), the
  agency-less sources (prevention activities, hotlines) whole, and nothing about people
  (referrals, protection, potential victims);
- anyone else, signed in or not: nothing (403).

Counts of people are suppressed below the threshold in whatever leaves through here.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Max, Min
from django.utils.translation import gettext_lazy as _

from backend.core.access import principal_for
from backend.core.errors import Forbidden
from backend.registry.models import Agency, Role
from backend.reporting.models import InspectionMonthRollup, PublishedReport
from backend.reporting.report import Figure, report_figures
from backend.reporting.statistics import MEASURES, SOURCES, Query, Result, aggregate, suppress, validate

FULL_READERS = (Role.ANALYST, Role.ADMINISTRATOR)
SCOPED_READERS = (Role.PLANNER, Role.REVIEWER)


class StatisticsForbidden(Forbidden):
    code = "statistics_forbidden"
    title = _("You may not read these statistics.")


@dataclass(frozen=True)
class StatisticsAccess:
    full: bool
    agency_id: int | None


def statistics_access(*, user: Any) -> StatisticsAccess:
    principal = principal_for(user)
    if principal.is_superuser or principal.roles & set(FULL_READERS):
        return StatisticsAccess(full=True, agency_id=None)
    if principal.roles & set(SCOPED_READERS) and principal.agency_id is not None:
        return StatisticsAccess(full=False, agency_id=principal.agency_id)
    raise StatisticsForbidden()


def statistics_aggregate(*, user: Any, query: Query) -> Result:
    """``query`` answered within what ``user`` may read, small counts of people suppressed."""
    access = statistics_access(user=user)
    source = validate(query)
    scope = None
    if not access.full:
        if source.personal or any(MEASURES[m].personal for m in query.measures):
            raise StatisticsForbidden(str(_("Figures about people are for analysts and administrators.")))
        scope = access.agency_id if source.agency_dimension else None
    return suppress(aggregate(query, agency_scope=scope))


def statistics_catalogue(*, user: Any) -> list[dict[str, Any]]:
    """The measures the user may read, with their definitions and dimensions."""
    access = statistics_access(user=user)
    out = []
    for measure in MEASURES.values():
        source = SOURCES[measure.source]
        if not access.full and (measure.personal or source.personal):
            continue
        out.append(
            {
                "id": measure.id,
                "label": str(measure.label),
                "unit": str(measure.unit),
                "definition": str(measure.definition),
                "source": {"id": source.id, "label": str(source.label), "definition": str(source.definition)},
                "dimensions": [
                    {
                        "id": d.id,
                        "label": str(d.label),
                        "rollup": d.rollup is not None
                        and (
                            measure.rollup is not None
                            # a distinct count's rollups hold no status
                            or measure.distinct_rollup is not None
                        ),
                        "values": {k: str(v) for k, v in d.choices.items()} if d.choices else None,
                    }
                    for d in source.dimensions.values()
                ],
                "personal": measure.personal,
                "scoped_to_agency": (not access.full) and source.agency_dimension is not None,
            }
        )
    return out


def report_read(*, user: Any, year_from: int, year_to: int) -> list[Figure]:
    """The whole report is for analysts and administrators (it spans every agency)."""
    if not statistics_access(user=user).full:
        raise StatisticsForbidden(str(_("The report is for analysts and administrators.")))
    return report_figures(year_from=year_from, year_to=year_to)


def statistics_agency_choices(*, user: Any) -> list[tuple[str, str]]:
    """The agencies whose figures ``user`` may filter by, as (code, name): every agency for a full
    reader, their own for a scoped one (another agency's figures would come back empty)."""
    access = statistics_access(user=user)
    agencies = Agency.objects.order_by("code")
    if not access.full:
        agencies = agencies.filter(pk=access.agency_id)
    return [(agency.code, agency.name) for agency in agencies]


def report_years_recorded(*, user: Any, before_year: int) -> tuple[int, int] | None:
    """The first and last year before ``before_year`` with an inspection recorded, or None: what
    the report's page proposes. One MIN/MAX over the monthly rollup's index (a few thousand rows a
    year), never over the inspections themselves; a day still waiting for its refresh (seconds)
    is at worst missing from the proposal."""
    if not statistics_access(user=user).full:
        raise StatisticsForbidden(str(_("The report is for analysts and administrators.")))
    span = InspectionMonthRollup.objects.filter(month__lt=dt.date(before_year, 1, 1)).aggregate(
        first=Min("month"), last=Max("month")
    )
    if span["last"] is None:
        return None
    return span["first"].year, span["last"].year


def statistics_first_year(*, user: Any) -> int | None:
    """The first year with an inspection recorded (the periods the pages offer start there), or
    None. One MIN over the monthly rollup's index; a year says nothing about any one record, so
    any reader of the statistics pages may know it."""
    first = InspectionMonthRollup.objects.aggregate(first=Min("month"))["first"]
    return first.year if first else None


def report_publication_list(*, user: Any) -> list[PublishedReport]:
    """The published reports, latest period first (analysts and administrators)."""
    if not statistics_access(user=user).full:
        raise StatisticsForbidden(str(_("The report is for analysts and administrators.")))
    return list(PublishedReport.objects.select_related("published_by"))
