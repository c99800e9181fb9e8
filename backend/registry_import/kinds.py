"""Each kind of registry file: how a row is checked and put in canonical form, which records it
matches (by external id), how the changes are written in bulk, and how records are exported back.

Canonical form: every value as the text an export writes, so a row of a file and a record of the
database compare as equal exactly when importing the row would change nothing, and a file
exported, imported and exported again is the same file.

Records without an external id (made before imports existed, or in the Django admin) are exported,
and matched, under their UUID.
"""

from __future__ import annotations

import abc
import datetime as dt
import json
import re
from collections import defaultdict
from collections.abc import Iterator
from decimal import Decimal, InvalidOperation
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import connection, models
from django.utils import timezone, translation
from django.utils.text import slugify

from backend.core.strict_input import ascii_digits
from backend.registry.models import (
    Agency,
    Availability,
    Company,
    OfficerRole,
    OpeningHours,
    Parish,
    Site,
    Skill,
    Unit,
)
from backend.registry.models import Officer as OfficerModel
from backend.registry_import.columns import COMPANIES, OFFICERS, SHIFTS, SITES, KindSpec, choice_sets

PARISH_BOXES_FILE = (
    Path(settings.BASE_DIR)
    / "backend"
    / "console"
    / "static"
    / "vendor"
    / "macao"
    / "parishes-approx.geojson"
)
# The parish boxes are hand-drawn approximations: a point this close outside its box still counts.
PARISH_MARGIN_DEGREES = 0.004
BATCH = 1000
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_DAY_NAMES = {
    **{d.lower(): i for i, d in enumerate(WEEKDAYS)},
    **{
        n: i
        for i, n in enumerate(("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"))
    },
}
_PERIOD = re.compile(r"^\s*([A-Za-z,\- ]+?)\s+(\d{1,2}):(\d{2})\s*[-–]\s*(\d{1,2}):(\d{2})\s*$")


class Problems:
    """The refusals of one row: (column, code, params)."""

    def __init__(self) -> None:
        self.items: list[dict[str, Any]] = []

    def add(self, column: str, code: str, **params: Any) -> None:
        self.items.append({"column": column, "code": code, "params": {k: str(v) for k, v in params.items()}})

    def __bool__(self) -> bool:
        return bool(self.items)


# --- Helpers ---------------------------------------------------------------------------------


@cache
def parish_boxes() -> dict[str, tuple[float, float, float, float]]:
    """parish → (south, west, north, east), from the approximate boxes the console's maps draw."""
    data = json.loads(PARISH_BOXES_FILE.read_text(encoding="utf-8"))
    out = {}
    for feature in data["features"]:
        ring = feature["geometry"]["coordinates"][0]
        lons, lats = [p[0] for p in ring], [p[1] for p in ring]
        out[feature["properties"]["id"]] = (min(lats), min(lons), max(lats), max(lons))
    return out


def in_parish(parish: str, lat: float, lon: float) -> bool:
    box = parish_boxes().get(parish)
    if box is None:
        return True
    m = PARISH_MARGIN_DEGREES
    return box[0] - m <= lat <= box[2] + m and box[1] - m <= lon <= box[3] + m


def in_area(lat: float, lon: float) -> bool:
    return settings.SERVICE_AREA.contains(lat, lon)


def area_text() -> str:
    a = settings.SERVICE_AREA
    return f"{a.south}–{a.north} N, {a.west}–{a.east} E"


@cache
def _choice_lookup(
    choices_cls: type[models.Choices], extra: tuple[tuple[str, str], ...] = ()
) -> dict[str, str]:
    """Normalised value or label (in any of the three languages) → stored value."""
    out: dict[str, str] = {}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            for value, label in choices_cls.choices:
                out[str(label).casefold()] = value
    for value, _label in choices_cls.choices:
        out[str(value).casefold()] = value
    for alias, value in extra:
        out[alias.casefold()] = value
    return out


@cache
def _parish_aliases() -> tuple[tuple[str, str], ...]:
    """Other names a registry may write for a parish (official names, with or without their
    qualifier), accepted in the parish column beside the names the lists show."""
    data = json.loads(PARISH_BOXES_FILE.read_text(encoding="utf-8"))
    out = []
    for f in data["features"]:
        p = f["properties"]
        for name in p["aliases"]:
            out.append((name.split(" (")[0].strip(), p["id"]))
            out.append((name.strip(), p["id"]))
    return tuple(out)


def choice(problems: Problems, column: str, value: str, choices_cls: type[models.Choices], **kw: Any) -> str:
    if not value:
        return ""
    found = _choice_lookup(choices_cls, **kw).get(value.casefold())
    if found is None:
        # Which set of choices, so that the refusal lists them with their names in the reader's
        # language ("當值（shift）"), as the file may write them, not as codes alone.
        of = next((name for name, cls in choice_sets().items() if cls is choices_cls), "")
        choices = ", ".join(str(v) for v in choices_cls.values)
        problems.add(column, "choice", value=value, choices=choices, of=of)
        return ""
    return found


def text(problems: Problems, values: dict[str, str], column: str, limit: int, required: bool = False) -> str:
    value = values.get(column, "")
    if required and not value:
        problems.add(column, "required")
    if len(value) > limit:
        problems.add(column, "too_long", limit=limit)
        return value[:limit]
    return value


def coordinate(problems: Problems, column: str, value: str) -> str:
    if not value:
        return ""
    try:
        number = Decimal(value.replace(",", "."))
        # Quantizing a number too large for the context ("1e30", a spreadsheet's scientific
        # notation) raises too: a refusal of the cell, not a failure of the whole check.
        return format(number.quantize(Decimal("0.000001")), "f")
    except InvalidOperation:
        problems.add(column, "number", value=value)
        return ""


def codes(value: str) -> list[str]:
    """The codes (or names) of a list cell, separated as a clerk separates them in any of the three
    languages: semicolons or commas, or Chinese 、，；."""
    return sorted({c.strip() for c in re.split(r"[;,、，；]", value) if c.strip()})


def _folded(name: str) -> str:
    return " ".join(name.split()).casefold()


@lru_cache(maxsize=4096)  # a registry repeats a few dozen opening hours over thousands of rows
def parse_hours(value: str) -> frozenset[tuple[int, str, str]] | None:
    """ "Mon-Fri 09:00-18:00; Sat 20:00-04:00" → {(weekday, "09:00", "18:00"), …}; None if malformed."""
    out: set[tuple[int, str, str]] = set()
    for part in value.split(";"):
        if not part.strip():
            continue
        m = _PERIOD.match(part)
        if not m:
            return None
        days_text, oh, om, ch, cm = m.groups()
        if int(oh) > 23 or int(ch) > 24 or int(om) > 59 or int(cm) > 59:
            return None
        opens, closes = f"{int(oh):02d}:{om}", f"{int(ch) % 24:02d}:{cm}"
        days: set[int] = set()
        for chunk in days_text.split(","):
            chunk = chunk.strip().lower()
            if "-" in chunk:
                a, _sep, b = (x.strip() for x in chunk.partition("-"))
                if a not in _DAY_NAMES or b not in _DAY_NAMES:
                    return None
                i, j = _DAY_NAMES[a], _DAY_NAMES[b]
                days.update(range(i, j + 1) if i <= j else [*range(i, 7), *range(0, j + 1)])
            elif chunk in _DAY_NAMES:
                days.add(_DAY_NAMES[chunk])
            else:
                return None
        out.update((d, opens, closes) for d in days)
    return frozenset(out)


@lru_cache(maxsize=4096)
def format_hours(periods: frozenset[tuple[int, str, str]]) -> str:
    """The canonical text of a set of periods: days grouped by identical hours, runs as ranges."""
    by_times: dict[tuple[str, str], list[int]] = defaultdict(list)
    for day, opens, closes in periods:
        by_times[(opens, closes)].append(day)
    parts = []
    for (opens, closes), days in by_times.items():
        days = sorted(set(days))
        runs: list[list[int]] = []
        for d in days:
            if runs and d == runs[-1][-1] + 1:
                runs[-1].append(d)
            else:
                runs.append([d])
        text_days = ",".join(
            WEEKDAYS[r[0]] if len(r) == 1 else f"{WEEKDAYS[r[0]]}-{WEEKDAYS[r[-1]]}" for r in runs
        )
        parts.append((days[0], opens, f"{text_days} {opens}-{closes}"))
    return "; ".join(p[2] for p in sorted(parts))


# A local time as a registry writes it: the day first, as Macao writes dates (31/12/2026 20:00,
# 31-12-2026, 1/2/2027 8:00), or the year first (2026-12-31 20:00, 2026/12/31, ISO's T). Never the
# month first: 04/12/2026 is 4 December. A time may be left out (midnight) or carry seconds.
_TIME = r"(?:(?:\s+|T)(?P<hour>\d{1,2}):(?P<minute>\d{2})(?::(?P<second>\d{2})(?:\.\d+)?)?)?"
_DAY_FIRST = re.compile(
    r"^(?P<day>\d{1,2})(?P<sep>[/-])(?P<month>\d{1,2})(?P=sep)(?P<year>\d+)" + _TIME + r"$"
)
_YEAR_FIRST = re.compile(
    r"^(?P<year>\d{4})(?P<sep>[/-])(?P<month>\d{1,2})(?P=sep)(?P<day>\d{1,2})" + _TIME + r"$"
)


def local_time(value: str) -> tuple[dt.datetime | None, str]:
    """A cell's local time (to the minute), or None and the code of why it is refused: a text
    that is no date and time ("datetime"), a year of two digits, whose century is a guess
    ("two_digit_year"), or a date or time that does not exist, 31/02 or 12/31 read day first
    ("no_such_date")."""
    text = " ".join(value.split())
    match = _DAY_FIRST.match(text) or _YEAR_FIRST.match(text)
    if match is None:
        return None, "datetime"
    parts = match.groupdict()
    if len(parts["year"]) != 4:
        return None, "two_digit_year" if len(parts["year"]) == 2 else "datetime"
    try:
        moment = dt.datetime(
            int(parts["year"]),
            int(parts["month"]),
            int(parts["day"]),
            int(parts["hour"] or 0),
            int(parts["minute"] or 0),
            int(parts["second"] or 0),
        )
    except ValueError:
        return None, "no_such_date"
    return moment.replace(second=0), ""


def names(problems: Problems, values: dict[str, str]) -> dict[str, str]:
    en = text(problems, values, "name_en", 200)
    zh = text(problems, values, "name_zh_hant", 200)
    pt = text(problems, values, "name_pt", 200)
    if not (en or zh or pt):
        problems.add("name_en", "required")
    # The model needs an English name: a registry that has only a Chinese or Portuguese name gives
    # that one, in the import and in the comparison alike, so a re-import stays unchanged.
    return {"name_en": en or zh or pt, "name_zh_hant": zh, "name_pt": pt}


def _key(obj_external_id: str, obj_uuid: Any) -> str:
    return obj_external_id or str(obj_uuid)


# --- The kinds ---------------------------------------------------------------------------------


class Handler(abc.ABC):
    spec: KindSpec

    def __init__(self, *, agency_id: int | None) -> None:
        """``agency_id``: the agency an administrator is limited to (None: every agency)."""
        self.agency_id = agency_id
        self.agency_code = Agency.objects.filter(pk=agency_id).values_list("code", flat=True).first() or ""

    def key(self, values: dict[str, str]) -> str:
        return values.get("external_id", "")

    @abc.abstractmethod
    def existing(self) -> dict[str, dict[str, str]]:
        """The kind's records as export values, by key (external id or UUID)."""

    @abc.abstractmethod
    def check(
        self, values: dict[str, str], problems: Problems, existing: dict[str, str] | None
    ) -> dict[str, str]:
        """One row's values made clean, its refusals added to ``problems``."""

    def check_file(self, rows: dict[str, dict[str, str]], problems: dict[str, Problems]) -> None:
        """Checks across rows (e.g. the contracting chain), after each row's own; none by default."""
        return None

    @abc.abstractmethod
    def apply(self, creates: list[dict[str, str]], updates: list[dict[str, str]]) -> None:
        """Write the checked rows (inside the import's one transaction)."""

    def export(self) -> Iterator[list[str]]:
        keys = self.spec.keys
        for row in sorted(self.existing().values(), key=lambda r: r["external_id"]):
            yield [row[k] for k in keys]


class Companies(Handler):
    spec = COMPANIES

    def existing(self) -> dict[str, dict[str, str]]:
        rows = list(
            Company.objects.values(
                "id",
                "uuid",
                "external_id",
                "name_en",
                "name_zh_hant",
                "name_pt",
                "kind",
                "registration_number",
                "main_contractor_id",
            )
        )
        keys = {r["id"]: _key(r["external_id"], r["uuid"]) for r in rows}
        out = {}
        for r in rows:
            key = keys[r["id"]]
            out[key] = {
                "external_id": key,
                "name_en": r["name_en"],
                "name_zh_hant": r["name_zh_hant"],
                "name_pt": r["name_pt"],
                "kind": r["kind"],
                "registration_number": r["registration_number"],
                "main_contractor": keys.get(r["main_contractor_id"], ""),
                "_id": r["id"],
            }
        self._known = out
        return out

    def check(self, values, problems, existing):
        out = {"external_id": text(problems, values, "external_id", 64, required=True)}
        out.update(names(problems, values))
        out["kind"] = choice(problems, "kind", values.get("kind", ""), Company.Kind)
        if not values.get("kind"):
            problems.add("kind", "required")
        out["registration_number"] = text(problems, values, "registration_number", 40)
        out["main_contractor"] = values.get("main_contractor", "")
        return out

    def check_file(self, rows, problems):
        parent = {k: v["main_contractor"] for k, v in self._known.items()}
        parent.update({k: v["main_contractor"] for k, v in rows.items()})
        for key, row in rows.items():
            up = row["main_contractor"]
            if not up:
                continue
            if up == key:
                problems[key].add("main_contractor", "self_contractor")
            elif up not in parent:
                problems[key].add("main_contractor", "no_company", value=up)
            else:
                seen, node = {key}, up
                while node and node in parent:
                    if node in seen:
                        problems[key].add("main_contractor", "chain_loop")
                        break
                    seen.add(node)
                    node = parent[node]

    def apply(self, creates, updates):
        fields = ["external_id", "name_en", "name_zh_hant", "name_pt", "kind", "registration_number"]
        Company.objects.bulk_create([Company(**{f: r[f] for f in fields}) for r in creates], batch_size=BATCH)
        ids = self._ids()
        objs = Company.objects.in_bulk([ids[r["external_id"]] for r in updates])
        changed = []
        for r in updates:
            obj = objs[ids[r["external_id"]]]
            for f in fields:
                setattr(obj, f, r[f])
            changed.append(obj)
        Company.objects.bulk_update(changed, fields, batch_size=BATCH)
        # The chain last, once every company of the file exists.
        chained = []
        for r in [*creates, *updates]:
            obj = Company(pk=ids[r["external_id"]], main_contractor_id=ids.get(r["main_contractor"]))
            chained.append(obj)
        Company.objects.bulk_update(chained, ["main_contractor"], batch_size=BATCH)

    def _ids(self) -> dict[str, int]:
        return {_key(e, u): pk for pk, e, u in Company.objects.values_list("id", "external_id", "uuid")}


class Sites(Handler):
    spec = SITES

    def __init__(self, **kw):
        super().__init__(**kw)
        self.companies = {
            _key(e, u): pk for pk, e, u in Company.objects.values_list("id", "external_id", "uuid")
        }

    def existing(self):
        company_keys = {v: k for k, v in self.companies.items()}
        hours: dict[int, set] = defaultdict(set)
        for site_id, day, opens, closes in OpeningHours.objects.values_list(
            "site_id", "weekday", "opens", "closes"
        ):
            hours[site_id].add((day, f"{opens:%H:%M}", f"{closes:%H:%M}"))
        out = {}
        for r in Site.objects.values(
            "id",
            "uuid",
            "external_id",
            "name_en",
            "name_zh_hant",
            "name_pt",
            "kind",
            "venue_type",
            "address",
            "address_zh_hant",
            "parish",
            "latitude",
            "longitude",
            "operator_id",
            "contractor_id",
            "licence_number",
            "contact_name",
            "contact_phone",
        ):
            key = _key(r["external_id"], r["uuid"])
            out[key] = {
                "external_id": key,
                "name_en": r["name_en"],
                "name_zh_hant": r["name_zh_hant"],
                "name_pt": r["name_pt"],
                "kind": r["kind"],
                "venue_type": r["venue_type"],
                "address": r["address"],
                "address_zh_hant": r["address_zh_hant"],
                "parish": r["parish"],
                "latitude": format(Decimal(r["latitude"]).quantize(Decimal("0.000001")), "f"),
                "longitude": format(Decimal(r["longitude"]).quantize(Decimal("0.000001")), "f"),
                "opening_hours": format_hours(frozenset(hours.get(r["id"], ()))),
                "operator": company_keys.get(r["operator_id"], ""),
                "contractor": company_keys.get(r["contractor_id"], ""),
                "licence_number": r["licence_number"],
                "contact_name": r["contact_name"],
                "contact_phone": r["contact_phone"],
                "_id": r["id"],
            }
        return out

    def check(self, values, problems, existing):
        out = {"external_id": text(problems, values, "external_id", 64, required=True)}
        out.update(names(problems, values))
        kind = choice(problems, "kind", values.get("kind", ""), Site.Kind)
        if not values.get("kind"):
            problems.add("kind", "required")
        venue_type = choice(problems, "venue_type", values.get("venue_type", ""), Site.VenueType)
        if kind == Site.Kind.VENUE and not values.get("venue_type"):
            problems.add("venue_type", "venue_type_needed")
        if kind and kind != Site.Kind.VENUE and values.get("venue_type"):
            problems.add("venue_type", "venue_type_only")
        out.update(kind=kind, venue_type=venue_type)
        out["address"] = text(problems, values, "address", 300, required=True)
        parish = choice(problems, "parish", values.get("parish", ""), Parish, extra=_parish_aliases())
        if not values.get("parish"):
            problems.add("parish", "required")
        out["parish"] = parish
        lat = coordinate(problems, "latitude", values.get("latitude", ""))
        lon = coordinate(problems, "longitude", values.get("longitude", ""))
        if bool(values.get("latitude")) != bool(values.get("longitude")):
            problems.add("longitude" if values.get("latitude") else "latitude", "both_coordinates")
        elif lat and lon:
            if not in_area(float(lat), float(lon)):
                problems.add("latitude", "outside_area", area=area_text())
            elif parish and not in_parish(parish, float(lat), float(lon)):
                # The parish's code: the page names it in the reader's language, not the worker's.
                problems.add("latitude", "outside_parish", parish=parish)
        elif existing is not None and existing["address"] == out["address"] and existing["parish"] == parish:
            # No coordinates, same address: the place already known stands (nothing to geocode).
            lat, lon = existing["latitude"], existing["longitude"]
        out.update(latitude=lat, longitude=lon)
        hours_text = values.get("opening_hours", "")
        periods = parse_hours(hours_text) if hours_text else frozenset()
        if periods is None:
            problems.add("opening_hours", "hours", value=hours_text)
            periods = frozenset()
        out["opening_hours"] = format_hours(periods)
        for column in ("operator", "contractor"):
            ref = values.get(column, "")
            if ref and ref not in self.companies:
                problems.add(column, "no_company", value=ref)
            out[column] = ref
        if out["contractor"] and kind and kind != Site.Kind.CONSTRUCTION_SITE:
            problems.add("contractor", "contractor_only")
        out["licence_number"] = text(problems, values, "licence_number", 40)
        for column, limit in (("address_zh_hant", 300), ("contact_name", 200), ("contact_phone", 40)):
            # Columns added after the first templates: a file made from an older one, without
            # them, must not erase the contact an administrator has since recorded.
            if column not in values and existing is not None:
                out[column] = existing[column]
            else:
                out[column] = text(problems, values, column, limit)
        return out

    FIELDS = [
        "external_id",
        "name_en",
        "name_zh_hant",
        "name_pt",
        "kind",
        "venue_type",
        "address",
        "address_zh_hant",
        "parish",
        "latitude",
        "longitude",
        "licence_number",
        "contact_name",
        "contact_phone",
    ]

    def _obj_fields(self, r):
        d = {f: r[f] for f in self.FIELDS}
        d["latitude"], d["longitude"] = Decimal(r["latitude"]), Decimal(r["longitude"])
        d["operator_id"] = self.companies.get(r["operator"])
        d["contractor_id"] = self.companies.get(r["contractor"])
        return d

    def apply(self, creates, updates):
        Site.objects.bulk_create([Site(**self._obj_fields(r)) for r in creates], batch_size=BATCH)
        ids = {_key(e, u): pk for pk, e, u in Site.objects.values_list("id", "external_id", "uuid")}
        objs = Site.objects.in_bulk([ids[r["external_id"]] for r in updates])
        changed = []
        for r in updates:
            obj = objs[ids[r["external_id"]]]
            for f, v in self._obj_fields(r).items():
                setattr(obj, f, v)
            changed.append(obj)
        Site.objects.bulk_update(changed, [*self.FIELDS, "operator_id", "contractor_id"], batch_size=BATCH)
        OpeningHours.objects.filter(site_id__in=[o.pk for o in changed]).delete()
        # Seven periods a site: the one table where the ORM's per-object cost outweighs the insert
        # itself (a 50,000-site import writes 350,000 rows), so the rows go in as plain parameters.
        adapt = connection.ops.adapt_timefield_value
        times = {
            t: adapt(dt.time.fromisoformat(t))
            for t in {f"{h:02d}:{m:02d}" for h in range(24) for m in range(60)}
        }
        hours = [
            (ids[r["external_id"]], day, times[opens], times[closes])
            for r in [*creates, *updates]
            for day, opens, closes in parse_hours(r["opening_hours"]) or ()
        ]
        table = connection.ops.quote_name(OpeningHours._meta.db_table)
        with connection.cursor() as cursor:
            for start in range(0, len(hours), 5000):
                cursor.executemany(
                    f"INSERT INTO {table} (site_id, weekday, opens, closes) VALUES (%s, %s, %s, %s)",  # noqa: S608 (our table)
                    hours[start : start + 5000],
                )


# An officer's own columns, as the file and the record both hold them.
OFFICER_COLUMNS = (
    "external_id",
    "badge_number",
    "full_name",
    "rank",
    "rank_title",
    "rank_title_zh_hant",
    "rank_title_pt",
    "sex",
)


def _by_name(rows: Any) -> tuple[dict[tuple[str, str], str], dict[str, list[str]]]:
    """Of ``(scope, code, *names)`` rows (a unit's agency, a skill's kind): each code by itself
    and by its names, folded, within its scope; and each scope's codes."""
    names: dict[tuple[str, str], str] = {}
    codes: dict[str, list[str]] = defaultdict(list)
    for scope, code, *others in rows:
        codes[scope].append(code)
        for name in (code, *others):
            if name:
                names.setdefault((scope, _folded(name)), code)
    return names, codes


class Officers(Handler):
    spec = OFFICERS

    def __init__(self, **kw):
        super().__init__(**kw)
        self.agencies = dict(Agency.objects.values_list("code", "id"))
        self.agencies_ci = {c.casefold(): c for c in self.agencies}
        self.units = {(a, c): pk for pk, a, c in Unit.objects.values_list("id", "agency__code", "code")}
        self.skills = {(k, c): pk for pk, k, c in Skill.objects.values_list("id", "kind", "code")}
        # A clerk writes a unit or a language by its name ("Esquadra da Taipa", "粵語") as often as
        # by its code: either is taken, in any of the three languages, and stored as the code.
        self.unit_names, self.unit_codes = _by_name(
            Unit.objects.values_list("agency__code", "code", "name_en", "name_pt", "name_zh_hant")
        )
        self.skill_names, self.skill_codes = _by_name(
            Skill.objects.values_list("kind", "code", "name_en", "name_pt", "name_zh_hant")
        )

    def key(self, values):
        agency = self.agencies_ci.get(values.get("agency", "").casefold(), values.get("agency", ""))
        return f"{agency}/{values.get('external_id', '')}"

    def _query(self):
        qs = OfficerModel.objects.all()
        return qs.filter(agency_id=self.agency_id) if self.agency_id else qs

    def existing(self):
        skills: dict[int, dict[str, list[str]]] = defaultdict(lambda: {"language": [], "qualification": []})
        through = OfficerModel.skills.through.objects.filter(officer__in=self._query())
        for officer_id, kind, code in through.values_list("officer_id", "skill__kind", "skill__code"):
            skills[officer_id][kind].append(code)
        out = {}
        badges: dict[tuple[str, str], str] = {}
        for r in self._query().values("id", "uuid", "agency__code", "unit__code", *OFFICER_COLUMNS):
            ext = _key(r["external_id"], r["uuid"])
            key = f"{r['agency__code']}/{ext}"
            out[key] = {
                "external_id": ext,
                "agency": r["agency__code"],
                "unit": r["unit__code"],
                "badge_number": r["badge_number"],
                "full_name": r["full_name"],
                "rank": str(r["rank"]),
                "rank_title": r["rank_title"],
                "rank_title_zh_hant": r["rank_title_zh_hant"],
                "rank_title_pt": r["rank_title_pt"],
                "sex": r["sex"],
                "languages": "; ".join(sorted(skills[r["id"]]["language"])),
                "skills": "; ".join(sorted(skills[r["id"]]["qualification"])),
                "_id": r["id"],
            }
            badges[(r["agency__code"], r["badge_number"])] = key
        # Badges of every agency's officers, for the uniqueness check (own scope or not).
        names: dict[str, str] = {}
        for a, b, e, u, name in OfficerModel.objects.values_list(
            "agency__code", "badge_number", "external_id", "uuid", "full_name"
        ):
            badges.setdefault((a, b), f"{a}/{_key(e, u)}")
            names[f"{a}/{_key(e, u)}"] = name
        self.badges = badges
        self.badge_holders = names
        return out

    def check(self, values, problems, existing):
        out = {"external_id": text(problems, values, "external_id", 64, required=True)}
        agency = self.agencies_ci.get(values.get("agency", "").casefold())
        if not values.get("agency"):
            problems.add("agency", "required")
        elif agency is None:
            problems.add("agency", "no_agency", value=values["agency"])
        elif self.agency_id and self.agencies[agency] != self.agency_id:
            problems.add("agency", "not_your_agency", agency=self.agency_code)
        out["agency"] = agency or ""
        unit = text(problems, values, "unit", 200, required=True)
        if unit and agency:
            code = self.unit_names.get((agency, _folded(unit)))
            if code is None:
                codes_known = ", ".join(sorted(self.unit_codes[agency]))
                problems.add("unit", "no_unit_known", agency=agency, value=unit, codes=codes_known)
            else:
                unit = code
        out["unit"] = unit
        out["badge_number"] = text(problems, values, "badge_number", 30, required=True)
        owner = self.badges.get((agency, out["badge_number"]))
        if agency and out["badge_number"] and owner and owner != f"{agency}/{out['external_id']}":
            # Named, so the administrator sees whose badge the row took (a typo, or a reissue).
            problems.add(
                "badge_number",
                "badge_taken_by",
                value=out["badge_number"],
                name=self.badge_holders.get(owner, ""),
                other=owner.split("/", 1)[1],
            )
        out["full_name"] = text(problems, values, "full_name", 200, required=True)
        rank = values.get("rank", "") or "1"
        # "²" had failed the whole check instead of refusing the row.
        number = ascii_digits(rank)
        if not number:
            problems.add("rank", "number", value=rank)
        elif not 1 <= int(rank) <= 10:
            problems.add("rank", "range", low=1, high=10)
        out["rank"] = str(int(rank)) if number else rank
        for column in ("rank_title", "rank_title_zh_hant", "rank_title_pt"):
            out[column] = text(problems, values, column, 100)
        out["sex"] = choice(problems, "sex", values.get("sex", ""), OfficerModel.Sex)
        for column, kind in (("languages", "language"), ("skills", "qualification")):
            found = set()
            for written in codes(values.get(column, "")):
                code = self.skill_names.get((kind, _folded(written)))
                if code is None:
                    known = ", ".join(sorted(self.skill_codes[kind]))
                    problems.add(column, "no_skill_known", kind=kind, value=written, codes=known)
                    code = written
                found.add(code)
            out[column] = "; ".join(sorted(found))
        return out

    def apply(self, creates, updates):
        User = get_user_model()
        taken = set(User.objects.values_list("username", flat=True))
        unusable = make_password(None)
        users = []
        for r in creates:
            base = slugify(f"{r['agency']}-{r['badge_number']}")[:140] or "officer"
            name, n = base, 1
            while name in taken:
                n += 1
                name = f"{base}-{n}"
            taken.add(name)
            users.append(User(username=name, password=unusable))
        User.objects.bulk_create(users, batch_size=BATCH)
        user_ids = dict(
            User.objects.filter(username__in=[u.username for u in users]).values_list("username", "id")
        )
        fields = list(OFFICER_COLUMNS)

        def attrs(r):
            d = {f: r[f] for f in fields}
            d["rank"] = int(r["rank"])
            d["agency_id"] = self.agencies[r["agency"]]
            d["unit_id"] = self.units[(r["agency"], r["unit"])]
            return d

        OfficerModel.objects.bulk_create(
            [
                OfficerModel(user_id=user_ids[u.username], **attrs(r))
                for u, r in zip(users, creates, strict=True)
            ],
            batch_size=BATCH,
        )
        ids = {
            f"{a}/{_key(e, u)}": pk
            for pk, a, e, u in OfficerModel.objects.values_list("id", "agency__code", "external_id", "uuid")
        }
        OfficerRole.objects.bulk_create(
            [OfficerRole(officer_id=ids[self.key(r)], role="inspector") for r in creates], batch_size=BATCH
        )
        objs = OfficerModel.objects.in_bulk([ids[self.key(r)] for r in updates])
        changed = []
        for r in updates:
            obj = objs[ids[self.key(r)]]
            for f, v in attrs(r).items():
                setattr(obj, f, v)
            changed.append(obj)
        OfficerModel.objects.bulk_update(changed, [*fields, "unit_id"], batch_size=BATCH)
        through = OfficerModel.skills.through
        through.objects.filter(officer_id__in=[o.pk for o in changed]).delete()
        links = []
        for r in [*creates, *updates]:
            for column, kind in (("languages", "language"), ("skills", "qualification")):
                for code in codes(r[column]):
                    links.append(through(officer_id=ids[self.key(r)], skill_id=self.skills[(kind, code)]))
        through.objects.bulk_create(links, batch_size=BATCH)

    def export(self):
        keys = self.spec.keys
        for row in sorted(self.existing().values(), key=lambda r: (r["agency"], r["external_id"])):
            yield [row[k] for k in keys]


class Shifts(Handler):
    spec = SHIFTS
    FORMAT = "%Y-%m-%d %H:%M"

    def __init__(self, **kw):
        super().__init__(**kw)
        self.agencies = dict(Agency.objects.values_list("code", "id"))
        self.agencies_ci = {c.casefold(): c for c in self.agencies}
        officers = OfficerModel.objects.all()
        if self.agency_id:
            officers = officers.filter(agency_id=self.agency_id)
        self.officers = {
            (a, _key(e, u)): pk
            for pk, a, e, u in officers.values_list("id", "agency__code", "external_id", "uuid")
        }

    def key(self, values):
        agency = self.agencies_ci.get(values.get("agency", "").casefold(), values.get("agency", ""))
        return f"{agency}/{values.get('external_id', '')}"

    def existing(self):
        tz = timezone.get_default_timezone()
        keys = {pk: k for k, pk in self.officers.items()}
        out = {}
        qs = Availability.objects.exclude(external_id="").filter(officer_id__in=keys)
        for r in qs.values("id", "external_id", "officer_id", "kind", "start", "end", "note"):
            agency, officer = keys[r["officer_id"]]
            out[f"{agency}/{r['external_id']}"] = {
                "external_id": r["external_id"],
                "agency": agency,
                "officer": officer,
                "kind": r["kind"],
                "start": timezone.localtime(r["start"], tz).strftime(self.FORMAT),
                "end": timezone.localtime(r["end"], tz).strftime(self.FORMAT),
                "note": r["note"],
                "_id": r["id"],
            }
        return out

    def _moment(self, problems, column, value):
        if not value:
            problems.add(column, "required")
            return None
        moment, code = local_time(value)
        if moment is None:
            problems.add(column, code, value=value)
        return moment

    def check(self, values, problems, existing):
        out = {"external_id": text(problems, values, "external_id", 64, required=True)}
        agency = self.agencies_ci.get(values.get("agency", "").casefold())
        if not values.get("agency"):
            problems.add("agency", "required")
        elif agency is None:
            problems.add("agency", "no_agency", value=values["agency"])
        elif self.agency_id and self.agencies[agency] != self.agency_id:
            problems.add("agency", "not_your_agency", agency=self.agency_code)
        out["agency"] = agency or ""
        officer = text(problems, values, "officer", 64, required=True)
        if officer and agency and (agency, officer) not in self.officers:
            problems.add("officer", "no_officer", agency=agency, value=officer)
        out["officer"] = officer
        out["kind"] = choice(problems, "kind", values.get("kind", ""), Availability.Kind)
        if not values.get("kind"):
            problems.add("kind", "required")
        start = self._moment(problems, "start", values.get("start", ""))
        end = self._moment(problems, "end", values.get("end", ""))
        if start and end and end <= start:
            problems.add("end", "end_before_start")
        out["start"] = start.strftime(self.FORMAT) if start else ""
        out["end"] = end.strftime(self.FORMAT) if end else ""
        out["note"] = text(problems, values, "note", 200)
        return out

    def _attrs(self, r):
        tz = timezone.get_default_timezone()
        return {
            "external_id": r["external_id"],
            "officer_id": self.officers[(r["agency"], r["officer"])],
            "kind": r["kind"],
            "start": timezone.make_aware(dt.datetime.strptime(r["start"], self.FORMAT), tz),
            "end": timezone.make_aware(dt.datetime.strptime(r["end"], self.FORMAT), tz),
            "note": r["note"],
        }

    def apply(self, creates, updates):
        Availability.objects.bulk_create([Availability(**self._attrs(r)) for r in creates], batch_size=BATCH)
        known = self.existing()
        changed = [Availability(pk=known[self.key(r)]["_id"], **self._attrs(r)) for r in updates]
        Availability.objects.bulk_update(
            changed, ["officer_id", "kind", "start", "end", "note"], batch_size=BATCH
        )

    def export(self):
        keys = self.spec.keys
        for row in sorted(self.existing().values(), key=lambda r: (r["agency"], r["external_id"])):
            yield [row[k] for k in keys]


HANDLERS: dict[str, type[Handler]] = {
    "sites": Sites,
    "companies": Companies,
    "officers": Officers,
    "shifts": Shifts,
}
