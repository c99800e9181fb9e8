"""Writes to the outreach records: the CSV import shared by the admin and the command.

An import is all or nothing: every row is validated first (with the model's own rules and its
constraints), the errors are reported by row number, and only a file without a single error is
written, in one transaction, with one audit entry for the whole file.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _

from backend.audit.models import AuditEntry
from backend.audit.services import audit_record
from backend.core.errors import InvalidInput
from backend.outreach.models import Activity, HotlineCall
from backend.registry.models import Agency

ACTIVITY_COLUMNS = [
    "kind",
    "title",
    "organiser",
    "organiser_text",
    "audience",
    "date",
    "sessions",
    "participants",
]
HOTLINE_COLUMNS = ["hotline", "kind", "outcome", "date"]
MAX_ROWS = 100_000


class ImportRejected(InvalidInput):
    code = "import_rejected"
    title = _("The file was not imported: fix the rows listed and try again.")


@dataclass
class ImportResult:
    what: str
    created: int = 0
    errors: dict[str, list[str]] = field(default_factory=dict)


def _rows(text: str, columns: list[str]) -> Iterable[tuple[int, dict[str, str]]]:
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    header = [h.strip() for h in (reader.fieldnames or [])]
    missing = [c for c in columns if c not in header]
    if missing:
        raise ImportRejected(errors={"header": [_t("Missing columns: %s.") % ", ".join(missing)]})
    reader.fieldnames = header
    for number, row in enumerate(reader, start=2):  # line 1 is the header
        if number - 1 > MAX_ROWS:
            raise ImportRejected(errors={"file": [_t("At most %d rows per file.") % MAX_ROWS]})
        yield number, {k: (v or "").strip() for k, v in row.items() if k}


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise ValidationError({"date": [_t("Use the form YYYY-MM-DD.")]}) from None


def _int(name: str, value: str, default: int | None = None) -> int:
    if value == "" and default is not None:
        return default
    try:
        return int(value)
    except ValueError:
        raise ValidationError({name: [_t("A whole number is needed.")]}) from None


def _activity(row: dict[str, str], agencies: dict[str, Agency]) -> Activity:
    organiser = None
    if row.get("organiser"):
        organiser = agencies.get(row["organiser"].upper())
        if organiser is None:
            raise ValidationError({"organiser": [_t("Unknown agency code %r.") % row["organiser"]]})
    activity = Activity(
        kind=row.get("kind", ""),
        title=row.get("title", ""),
        organiser=organiser,
        organiser_text="" if organiser else row.get("organiser_text", ""),
        audience=row.get("audience", ""),
        held_on=_date(row.get("date", "")),
        sessions=_int("sessions", row.get("sessions", ""), 1),
        participants=_int("participants", row.get("participants", "")),
    )
    if organiser is None and not activity.organiser_text:
        raise ValidationError({"organiser": [_t("Name an agency code or an organiser.")]})
    activity.full_clean(exclude=["uuid"])
    return activity


def _call(row: dict[str, str], _agencies: dict[str, Agency]) -> HotlineCall:
    call = HotlineCall(
        hotline=row.get("hotline", ""),
        kind=row.get("kind", ""),
        outcome=row.get("outcome", ""),
        received_on=_date(row.get("date", "")),
    )
    call.full_clean(exclude=["uuid"])
    return call


IMPORTS: dict[str, tuple[Any, list[str], Any]] = {
    "activities": (Activity, ACTIVITY_COLUMNS, _activity),
    "hotline_calls": (HotlineCall, HOTLINE_COLUMNS, _call),
}


@transaction.atomic
def outreach_import_csv(*, what: str, text: str, actor: Any = None, request: Any = None) -> ImportResult:
    """Import ``activities`` or ``hotline_calls`` from CSV text. Raises ``ImportRejected`` with
    ``errors`` keyed ``row N`` (the line number in the file) when any row is invalid; then
    nothing is written."""
    if what not in IMPORTS:
        raise InvalidInput(errors={"what": [_t("One of %s.") % ", ".join(IMPORTS)]})
    model, columns, build = IMPORTS[what]
    agencies = {a.code.upper(): a for a in Agency.objects.all()}
    objects, errors = [], {}
    for number, row in _rows(text, columns):
        try:
            objects.append(build(row, agencies))
        except ValidationError as exc:
            messages = exc.message_dict if hasattr(exc, "error_dict") else {"row": exc.messages}
            errors[f"row {number}"] = [f"{name}: {m}" for name, msgs in messages.items() for m in msgs]
    if errors:
        raise ImportRejected(errors=errors)
    if not objects:
        raise ImportRejected(errors={"file": [_t("The file holds no rows.")]})
    model.objects.bulk_create(objects, batch_size=2000)
    audit_record(
        actor=actor,
        action=AuditEntry.Action.CREATE,
        verb=f"outreach_import_{what}",
        object_type=model._meta.label_lower,
        changes={"rows": len(objects)},
        request=request,
    )
    return ImportResult(what=what, created=len(objects))
