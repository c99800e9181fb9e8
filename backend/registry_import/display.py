"""A dry run's changes as the administrator reads them: each changed column of a row to update
as its value on record → the file's value, in the reader's language, values shown as the console
shows them elsewhere (a choice by its name, a unit or a language by its name, a time as a date).

Rows store values in canonical form (the text an export writes: codes, ISO times); this module
only puts them into words for the page, a page of rows at a time."""

from __future__ import annotations

import contextlib
import datetime as dt
import uuid as uuid_module
from collections.abc import Iterable
from typing import Any

from django.db.models import Q
from django.utils import formats
from django.utils.translation import pgettext

from backend.core.i18n import bracketed, list_separator
from backend.registry.models import Availability, Company, Officer, Parish, Site, Skill, Unit
from backend.registry_import import selectors
from backend.registry_import.columns import KINDS
from backend.registry_import.models import ImportRow, RegistryImport

# The columns read against a set of choices, by kind of file.
CHOICES: dict[str, dict[str, Any]] = {
    "sites": {"kind": Site.Kind, "venue_type": Site.VenueType, "parish": Parish},
    "companies": {"kind": Company.Kind},
    "officers": {"sex": Officer.Sex},
    "shifts": {"kind": Availability.Kind},
}
COMPANY_COLUMNS = ("operator", "contractor", "main_contractor")
TIME_FORMAT = "%Y-%m-%d %H:%M"


def empty_text() -> str:
    return pgettext("a registry row's value left empty", "(empty)")


def _keys(values: Iterable[str]) -> tuple[set[str], set[uuid_module.UUID]]:
    ids, uuids = set(), set()
    for value in values:
        if not value:
            continue
        ids.add(value)
        with contextlib.suppress(ValueError):
            uuids.add(uuid_module.UUID(value))
    return ids, uuids


class Words:
    """Puts the values of one page of rows into words: the names of the units, languages and
    companies they refer to are read once for the page."""

    def __init__(self, item: RegistryImport, rows: list[ImportRow]) -> None:
        kind = self.kind = item.kind
        self.choices = CHOICES.get(kind, {})
        changed = [r for r in rows if r.action == ImportRow.Action.UPDATE and r.changed]
        wanted: dict[str, set[str]] = {}
        for row in changed:
            for column in row.changed:
                for value in (row.previous.get(column, ""), row.values.get(column, "")):
                    wanted.setdefault(column, set()).add(value)
        self.units: dict[tuple[str, str], str] = {}
        if wanted.get("unit"):
            qs = Unit.objects.filter(code__in=wanted["unit"]).select_related("agency")
            self.units = {(u.agency.code, u.code): u.name for u in qs}
        self.skills: dict[str, str] = {}
        skill_codes = {
            c.strip() for v in (*wanted.get("languages", ()), *wanted.get("skills", ())) for c in v.split(";")
        }
        if skill_codes - {""}:
            self.skills = {s.code: s.name for s in Skill.objects.filter(code__in=skill_codes)}
        self.companies: dict[str, str] = {}
        company_values = {v for c in COMPANY_COLUMNS for v in wanted.get(c, ())}
        if company_values - {""}:
            ids, uuids = _keys(company_values)
            qs = Company.objects.filter(Q(external_id__in=ids) | Q(uuid__in=uuids))
            for company in qs:
                self.companies[company.external_id or str(company.uuid)] = company.name
        # A shift moved to another officer: the officers of the import's agency, as its check read them.
        self.officers = selectors.officer_names(
            item, {(r.values.get("agency", ""), v) for r in changed for v in wanted.get("officer", ()) if v}
        )
        self.labels = {c.key: c.label for c in KINDS[kind].columns}

    def value(self, column: str, value: str, row_values: dict[str, str]) -> str:
        if value == "":
            return empty_text()
        if column in self.choices:
            try:
                return str(self.choices[column](value).label)
            except ValueError:
                return value
        if column == "unit":
            name = self.units.get((row_values.get("agency", ""), value))
            return name or value
        if column in ("languages", "skills"):
            codes = [c.strip() for c in value.split(";") if c.strip()]
            return list_separator().join(self.skills.get(c, c) for c in codes)
        if column in COMPANY_COLUMNS:
            name = self.companies.get(value)
            return bracketed(name, value) if name else value
        if column == "officer":
            name = self.officers.get((row_values.get("agency", ""), value))
            return bracketed(name, value) if name else value
        if self.kind == "shifts" and column in ("start", "end"):
            try:
                moment = dt.datetime.strptime(value, TIME_FORMAT)
            except ValueError:
                return value
            return formats.date_format(moment, "DATETIME_FORMAT")
        return value

    def changes(self, row: ImportRow) -> list[dict[str, str | None]]:
        """A row to update: each column it changes, with its value on record (None for a row
        checked before values on record were kept) and in the file."""
        if row.action != ImportRow.Action.UPDATE:
            return []
        return [
            {
                "column": str(self.labels.get(column, column)),
                "before": self.value(column, row.previous[column], row.values)
                if column in row.previous
                else None,
                "after": self.value(column, row.values.get(column, ""), row.values),
            }
            for column in row.changed
        ]
