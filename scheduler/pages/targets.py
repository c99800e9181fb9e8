"""The targets of an operation as the planner's page shows them: the targets chosen (all of
them, each with its wave), one page of the other sites (riskiest first, filtered by kind,
parish or name), and every active site for the map as compact data the page's script fetches.

Shaping only, in a bounded number of queries whatever the size of the registry: the demo city
has some 840 sites, and one table row or map marker per site in the page itself took over a
second to render. The operation comes from a selector that applied the rules; the registry's
sites are the same for every planner."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Q
from django.utils.translation import gettext as _

from backend.core.i18n import language_key, list_separator
from backend.inspections.models import Operation
from backend.registry.models import OpeningHours, Site

PAGE_SIZE = 25


class _Words:
    """The words of opening hours in the active language, translated once per list (a gettext
    call per period made the map's 840 sites take a third of a second)."""

    def __init__(self) -> None:
        self.weekdays = {d: str(label)[:3] for d, label in OpeningHours.Weekday.choices}
        self.daily = _("daily %(hours)s")
        self.none = _("no fixed hours")
        self.days = _("%(first)s–%(last)s")  # three or more days in a row: "Tue–Sun", 星期二至星期日
        self.separator = list_separator()


class _Labels:
    """A site's kind and parish in words, translated once per list: ``get_FOO_display`` on each
    row hashes every lazy choice label again (a gettext each), which cost ~3 ms a row."""

    def __init__(self) -> None:
        self.kinds = {k: str(v) for k, v in Site.Kind.choices}
        self.venue_types = {k: str(v) for k, v in Site.VenueType.choices}
        self.parishes = {k: str(v) for k, v in Site._meta.get_field("parish").choices}

    def kind(self, kind: str, venue_type: str) -> str:
        label = self.kinds.get(kind, kind)
        return f"{label} · {self.venue_types.get(venue_type, venue_type)}" if venue_type else label

    def parish(self, parish: str) -> str:
        return self.parishes.get(parish, parish)


def _row(site: Site, labels: _Labels, hours: str, *, wave: str = "", chosen_by: str = "") -> dict[str, Any]:
    return {
        "site": site,
        "kind": labels.kind(site.kind, site.venue_type),
        "parish": labels.parish(site.parish),
        "hours": hours,
        "chosen": bool(chosen_by),
        "wave": wave,
        "chosen_by": chosen_by,
    }


def hours_text(periods: Iterable[tuple[int, Any, Any]], words: _Words | None = None) -> str:
    """A site's opening hours in words, from its (weekday, opens, closes) periods."""
    words = words or _Words()
    periods = list(periods)
    if not periods:
        return words.none
    days: dict[str, list[int]] = {}
    for weekday, opens, closes in periods:
        days.setdefault(f"{opens:%H:%M}–{closes:%H:%M}", []).append(weekday)
    parts = []
    for span, weekdays in days.items():
        if len(weekdays) == 7:
            parts.append(words.daily % {"hours": span})
        else:
            parts.append(f"{_day_runs(sorted(weekdays), words)} {span}")
    return "; ".join(parts)


def _day_runs(weekdays: list[int], words: _Words) -> str:
    """Weekdays (0 Monday … 6 Sunday) in words, three or more in a row as a range ("Tue–Sun";
    a week's end joins its start: "Fri–Mon"), the rest listed in the reader's way."""
    runs: list[list[int]] = []
    for day in weekdays:
        if runs and day == runs[-1][-1] + 1:
            runs[-1].append(day)
        else:
            runs.append([day])
    if len(runs) > 1 and runs[0][0] == 0 and runs[-1][-1] == 6:
        runs[0] = runs.pop() + runs[0]
    names: list[str] = []
    for run in runs:
        if len(run) >= 3:
            names.append(words.days % {"first": words.weekdays[run[0]], "last": words.weekdays[run[-1]]})
        else:
            names.extend(words.weekdays[d] for d in run)
    return words.separator.join(names)


def opening_hours(site_ids: Iterable[int] | None = None) -> dict[int, str]:
    """Opening hours in words per site id, in one query (every site's when ``site_ids`` is None);
    a site with none is missing from the answer."""
    rows = OpeningHours.objects.order_by("site_id", "weekday", "opens")
    if site_ids is not None:
        rows = rows.filter(site_id__in=list(site_ids))
    periods: dict[int, list[tuple[int, Any, Any]]] = defaultdict(list)
    for site_id, weekday, opens, closes in rows.values_list("site_id", "weekday", "opens", "closes"):
        periods[site_id].append((weekday, opens, closes))
    words = _Words()
    return {site_id: hours_text(p, words) for site_id, p in periods.items()}


def chosen(operation: Operation) -> list[dict[str, Any]]:
    """Every target of the operation, riskiest first, with its wave and how it was chosen."""
    targets = list(
        operation.targets.select_related("site", "wave").order_by("-site__risk_score", "site__name_en")
    )
    hours = opening_hours(t.site_id for t in targets)
    labels, no_hours = _Labels(), _("no fixed hours")
    return [
        _row(
            t.site,
            labels,
            hours.get(t.site_id, no_hours),
            wave=t.wave.code if t.wave_id else "",
            chosen_by=t.get_chosen_by_display(),
        )
        for t in targets
    ]


def candidates(
    operation: Operation, *, kind: str = "", parish: str = "", query: str = "", page: Any = 1
) -> Page:
    """One page of the active sites that are not targets yet, riskiest first, matching the
    filters; each row as ``chosen`` gives it."""
    sites = Site.objects.filter(is_active=True).exclude(pk__in=operation.targets.values("site_id"))
    if kind:
        sites = sites.filter(kind=kind)
    if parish:
        sites = sites.filter(parish=parish)
    if query:
        sites = sites.filter(
            Q(name_en__icontains=query)
            | Q(name_zh_hant__icontains=query)
            | Q(name_pt__icontains=query)
            | Q(address__icontains=query)
            | Q(address_zh_hant__icontains=query)
        )
    paginator = Paginator(sites.order_by("-risk_score", "name_en", "pk"), PAGE_SIZE)
    found = paginator.get_page(page)
    hours = opening_hours(s.pk for s in found.object_list)
    labels, no_hours = _Labels(), _("no fixed hours")
    found.object_list = [_row(site, labels, hours.get(site.pk, no_hours)) for site in found.object_list]
    return found


def map_sites() -> list[dict[str, Any]]:
    """Every active site for the targets map, in two queries: position, name in the reader's
    language, kind, parish, risk and opening hours (the list's columns, for a site the map adds)."""
    hours = opening_hours()
    no_hours = _("no fixed hours")
    labels = _Labels()
    language = language_key()
    rows = (
        Site.objects.filter(is_active=True)
        .order_by("-risk_score", "name_en", "pk")
        .values_list(
            "pk",
            "uuid",
            "name_en",
            "name_zh_hant",
            "name_pt",
            "kind",
            "venue_type",
            "parish",
            "risk_score",
            "latitude",
            "longitude",
        )
    )
    sites = []
    for pk, uuid, name_en, name_zh_hant, name_pt, kind, venue_type, parish, risk, lat, lon in rows:
        name = {"zh-hant": name_zh_hant, "pt": name_pt}.get(language, name_en)
        sites.append(
            {
                "id": str(uuid),
                "name": name or name_en,
                "lat": float(lat),
                "lon": float(lon),
                "kind": labels.kind(kind, venue_type),
                "parish": labels.parish(parish),
                "risk": float(risk),
                "hours": hours.get(pk, no_hours),
            }
        )
    return sites
