"""Every write of registry imports: receive a file, check it (the dry run), place rows on the map,
apply all or nothing, and the files given back (templates, exports)."""

from __future__ import annotations

import hashlib
import logging
from collections import Counter
from decimal import Decimal
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from backend.audit.models import AuditEntry
from backend.audit.services import audit_record
from backend.core.access import principal_for
from backend.core.errors import DomainError, InvalidInput, NotFound
from backend.core.i18n import bracketed, label_separator
from backend.outbox.services import task_enqueue
from backend.registry.models import Parish
from backend.registry_import import files, geocoding
from backend.registry_import.columns import KINDS, PLACE_REASONS, header_aliases, normalise_header
from backend.registry_import.kinds import HANDLERS, Problems, area_text, in_area, in_parish
from backend.registry_import.models import ImportRow, RegistryImport
from backend.registry_import.selectors import import_superseded

logger = logging.getLogger(__name__)
MAX_ROWS = 100_000
MAX_BYTES = 50 * 1024 * 1024
PROGRESS_EVERY = 500
TASK_CHECK = "registry_import.check"
TASK_APPLY = "registry_import.apply"


SUPERSEDED = _lazy(
    "An import of the same kind was applied after this file was checked, so this dry run no longer "
    "says what applying would do. Upload the file again to check it against the registry as it is now."
)


class ImportNotReady(DomainError):
    code = "import_not_ready"
    status = 409
    title = _("This import cannot be applied now.")


def scope_agency_id(user: Any) -> int | None:
    """The agency an administrator is limited to: their own; None for a superuser of no agency."""
    return principal_for(user).agency_id


# --- Receiving ---------------------------------------------------------------------------------


@transaction.atomic
def import_receive(
    *, actor: Any, kind: str, file_name: str, data: bytes, request: Any = None, in_background: bool = True
) -> RegistryImport:
    """Record an uploaded file and have it checked in the background (the dry run); the management
    command checks it itself (``in_background=False``)."""
    if kind not in KINDS:
        raise InvalidInput(errors={"kind": [_("Choose what the file holds.")]})
    fmt = files.format_of(file_name)
    if fmt is None:
        raise InvalidInput(errors={"file": [_("Upload a .csv or .xlsx file.")]})
    if not data:
        raise InvalidInput(errors={"file": [_("The file is empty.")]})
    if len(data) > MAX_BYTES:
        raise InvalidInput(errors={"file": [_("The file is larger than 50 MB; split it.")]})
    digest = hashlib.sha256(data).hexdigest()
    item = RegistryImport(
        kind=kind,
        file_name=file_name[-255:],
        file_format=fmt,
        sha256=digest,
        created_by=actor,
        agency_id=scope_agency_id(actor),
    )
    item.file.save(f"{item.uuid}.{fmt}", ContentFile(data), save=False)
    item.save()
    audit_record(
        actor=actor,
        action=AuditEntry.Action.CREATE,
        verb="registry_import_upload",
        obj=item,
        changes={"kind": kind, "file": item.file_name, "sha256": digest, "bytes": len(data)},
        request=request,
    )
    if in_background:
        task_enqueue(task_name=TASK_CHECK, kwargs={"import_id": item.pk})
    return item


# --- The dry run -------------------------------------------------------------------------------


def _header(rows: list[tuple[int, list[str]]], aliases: dict[str, str]) -> tuple[int, dict[int, str]] | None:
    """The header row among the first ten (titles above it skipped): index → column key."""
    for index, (_number, cells) in enumerate(rows[:10]):
        found = {
            i: aliases[normalise_header(c)] for i, c in enumerate(cells) if normalise_header(c) in aliases
        }
        if "external_id" in found.values() and len(found) >= 2:
            return index, found
    return None


def _other_kind(rows: list[tuple[int, list[str]]], kind: str) -> str | None:
    """The kind whose columns the file's header has, every one known and the required ones there,
    when it is not the kind chosen: a newcomer's officers' list uploaded as companies."""
    for other, spec in KINDS.items():
        if other == kind:
            continue
        found = _header(rows, header_aliases(spec))
        if found is None:
            continue
        index, columns = found
        unknown = [c for i, c in enumerate(rows[index][1]) if c and i not in columns]
        if not unknown and all(k in columns.values() for k in spec.required):
            return other
    return None


def _progress(item: RegistryImport, done: int, total: int) -> None:
    RegistryImport.objects.filter(pk=item.pk).update(rows_done=done, rows_total=total)


def _refuse_file(item: RegistryImport, code: str, **params: Any) -> RegistryImport:
    item.file_problems = [{"code": code, "params": {k: str(v) for k, v in params.items()}}]
    item.status = RegistryImport.Status.REFUSED
    item.counts = {"create": 0, "update": 0, "unchanged": 0, "refused": 0, "to_place": 0}
    item.save(update_fields=["file_problems", "status", "counts"])
    return item


def import_check(*, import_id: int) -> RegistryImport:
    """The dry run: read the file, check each row, compare it with the registry, geocode what has
    no coordinates. Writes only the import's own rows. Safe to run twice (it starts over)."""
    item = RegistryImport.objects.get(pk=import_id)
    if item.status not in (RegistryImport.Status.RECEIVED, RegistryImport.Status.CHECKING):
        return item
    item.status = RegistryImport.Status.CHECKING
    item.save(update_fields=["status"])
    item.rows.all().delete()
    try:
        return _check(item)
    except Exception as exc:  # a fault of ours or of the storage: say so on the page, not stay "checking"
        logger.exception("registry import %s: the check failed", item.uuid)
        RegistryImport.objects.filter(pk=item.pk).update(
            status=RegistryImport.Status.FAILED, failure=f"{type(exc).__name__}: {exc}"[:2000]
        )
        item.refresh_from_db()
        return item


def _check(item: RegistryImport) -> RegistryImport:
    spec = KINDS[item.kind]
    with item.file.open("rb") as f:
        data = f.read()
    try:
        rows = list(files.read_rows(data, item.file_format))
    except files.UnreadableFile as e:
        return _refuse_file(item, e.code, **e.params)
    if not rows:
        return _refuse_file(item, "empty")
    found = _header(rows, header_aliases(spec))
    missing = [k for k in spec.required if k not in found[1].values()] if found else []
    # A header the reader does not know is refused, not skipped: its column would be read as absent,
    # and an absent column empties that field of every record the file updates (a typo such as
    # "opening_hour" would erase every site's opening hours), while the dry run showed only "to update".
    unknown = [c for i, c in enumerate(rows[found[0]][1]) if c and i not in found[1]] if found else []
    if found is None or missing or unknown:
        other = _other_kind(rows, item.kind)
        if other is not None:  # the right file, the wrong choice in the form: say which to choose
            return _refuse_file(item, "other_kind", found=other, chosen=item.kind)
    if found is None:
        first = next((cells for _number, cells in rows[:10] if any(c.strip() for c in cells)), [])
        shown = ", ".join(c.strip() for c in first if c.strip())
        return _refuse_file(
            item,
            "header_not_known",
            columns=", ".join(spec.keys),
            first=shown if len(shown) <= 300 else shown[:299] + "…",
        )
    index, columns = found
    if missing:
        return _refuse_file(item, "missing_columns", columns=", ".join(missing))
    if unknown:
        return _refuse_file(item, "unknown_columns", unknown=", ".join(unknown), columns=", ".join(spec.keys))
    body = rows[index + 1 :]
    if not body:
        return _refuse_file(item, "no_rows")
    if len(body) > MAX_ROWS:
        return _refuse_file(item, "too_many_rows", limit=MAX_ROWS)

    handler = HANDLERS[item.kind](agency_id=item.agency_id)
    absent = [k for k in spec.keys if k not in columns.values() and k not in ("latitude", "longitude")]
    existing = handler.existing()
    checked: dict[str, dict[str, str]] = {}
    first_row: dict[str, int] = {}
    records: list[ImportRow] = []
    problems_by_key: dict[str, Problems] = {}
    total = len(body)
    width = len(rows[index][1])
    _progress(item, 0, total)
    for n, (number, cells) in enumerate(body, start=1):
        values = {key: (cells[i] if i < len(cells) else "") for i, key in columns.items()}
        problems = Problems()
        if len(cells) < width:
            # Short of columns, with a cell over several lines: a quotation mark opened in that
            # cell is never closed, and the rows below were read into it (and are not listed).
            for i, cell in enumerate(cells):
                if "\n" in cell:
                    problems.add(columns.get(i, "external_id"), "unclosed_quote", lines=cell.count("\n") + 1)
                    break
        key = handler.key(values)
        known = existing.get(key)
        canonical = handler.check(values, problems, known)
        if known is not None:
            # A column the file leaves out leaves that field of a record on record alone (an empty
            # cell clears it): a list cut down to the columns it changes must not erase the rest.
            # Coordinates excepted: without them a moved address is geocoded again.
            canonical.update({column: known[column] for column in absent if column in known})
        if values.get("external_id") and key in first_row:
            problems.add("external_id", "duplicate", other=first_row[key])
            key = f"{key}#{number}"  # kept apart from the first occurrence
        else:
            first_row[key] = number
            checked[key] = canonical
            problems_by_key[key] = problems
        records.append(ImportRow(registry_import=item, number=number, key=key[:130], values=canonical))
        records[-1]._problems = problems  # type: ignore[attr-defined]
        if n % PROGRESS_EVERY == 0:
            _progress(item, n, total)
    handler.check_file(checked, problems_by_key)

    counts: Counter[str] = Counter()
    for record in records:
        problems = record._problems  # type: ignore[attr-defined]
        record.problems = problems.items
        known = existing.get(record.key)
        if problems:
            record.action = ImportRow.Action.REFUSED
        elif known is None:
            record.action = ImportRow.Action.CREATE
        else:
            record.changed = [k for k, v in record.values.items() if known.get(k) != v]
            record.previous = {k: known.get(k, "") for k in record.changed}
            record.action = ImportRow.Action.UPDATE if record.changed else ImportRow.Action.UNCHANGED
        if item.kind == "sites" and record.action != ImportRow.Action.REFUSED:
            if record.values.get("latitude"):
                record.placed = ImportRow.Placed.FILE
            else:
                record.needs_place = True
                if known is not None:  # the place on record, for the change a new place makes
                    record.previous.update(latitude=known["latitude"], longitude=known["longitude"])
        counts[record.action] += 1

    # Geocoding last, once the row is known to be good: the service's time goes to rows that count.
    to_geocode = [r for r in records if r.needs_place]
    _progress(item, total, total + len(to_geocode))
    for n, record in enumerate(to_geocode, start=1):
        place = geocoding.geocode(record.values["address"], record.values["parish"])
        if place.latitude is None:
            record.place_problem = place.problem
        else:
            record.values["latitude"] = format(
                Decimal(str(place.latitude)).quantize(Decimal("0.000001")), "f"
            )
            record.values["longitude"] = format(
                Decimal(str(place.longitude)).quantize(Decimal("0.000001")), "f"
            )
            record.needs_place = False
            record.placed = ImportRow.Placed.GEOCODER
            if record.action != ImportRow.Action.CREATE:
                _placed_changes(record)
            if record.action == ImportRow.Action.UNCHANGED:
                counts[record.action] -= 1
                record.action = ImportRow.Action.UPDATE
                counts[record.action] += 1
        if n % 5 == 0:  # the geocoder's pace: one a second by default
            _progress(item, total + n, total + len(to_geocode))
    counts["to_place"] = sum(1 for r in records if r.needs_place)
    ImportRow.objects.bulk_create(records, batch_size=1000)
    item.counts = {k: counts.get(k, 0) for k in ("create", "update", "unchanged", "refused", "to_place")}
    item.rows_total = item.rows_done = total
    item.status = _status_for(item.counts)
    item.save(update_fields=["counts", "rows_total", "rows_done", "status"])
    return item


def _placed_changes(row: ImportRow) -> None:
    """A row placed after the check (geocoded, or on the map) changes its record's place."""
    row.changed = [*row.changed, *(k for k in ("latitude", "longitude") if k not in row.changed)]


def _status_for(counts: dict[str, int]) -> str:
    if counts.get("refused"):
        return RegistryImport.Status.REFUSED
    if counts.get("to_place"):
        return RegistryImport.Status.TO_PLACE
    return RegistryImport.Status.READY


# --- Placing on the map ------------------------------------------------------------------------


def import_place(
    *,
    actor: Any,
    registry_import: RegistryImport,
    number: int,
    latitude: str,
    longitude: str,
    request: Any = None,
) -> ImportRow:
    """Give a row that could not be geocoded the place the administrator chose on the map."""
    try:
        (row,) = import_place_rows(
            actor=actor,
            registry_import=registry_import,
            places={number: (latitude, longitude)},
            request=request,
        )
    except InvalidInput as exc:
        raise InvalidInput(errors={"latitude": exc.errors[str(number)]}) from None
    return row


@transaction.atomic
def import_place_rows(
    *,
    actor: Any,
    registry_import: RegistryImport,
    places: dict[int, tuple[str, str]],
    request: Any = None,
) -> list[ImportRow]:
    """Give rows that could not be geocoded the places the administrator typed or clicked, all of
    them or none: one place refused refuses the lot (``errors`` holds each refused row's reasons
    under its number), so the page that sent them shows every value again and nothing is half
    saved."""
    item = RegistryImport.objects.select_for_update().get(pk=registry_import.pk)
    if item.status != RegistryImport.Status.TO_PLACE:
        raise ImportNotReady(_("Only an import with rows to place takes places."))
    rows = {r.number: r for r in item.rows.filter(number__in=list(places), needs_place=True)}
    if set(rows) != set(places):
        raise NotFound()
    points: dict[int, tuple[Decimal, Decimal]] = {}
    errors: dict[str, list[str]] = {}
    for number, (latitude, longitude) in places.items():
        point, problem = _place_check(rows[number], latitude, longitude)
        if problem:
            errors[str(number)] = [problem]
        else:
            points[number] = point
    if errors:
        raise InvalidInput(errors=errors)
    for number, (lat, lon) in points.items():
        row = rows[number]
        row.values["latitude"] = format(lat.quantize(Decimal("0.000001")), "f")
        row.values["longitude"] = format(lon.quantize(Decimal("0.000001")), "f")
        row.needs_place, row.placed, row.place_problem = False, ImportRow.Placed.MAP, ""
        if row.action != ImportRow.Action.CREATE:
            _placed_changes(row)
        if row.action == ImportRow.Action.UNCHANGED:
            row.action = ImportRow.Action.UPDATE
        row.save(update_fields=["values", "needs_place", "placed", "place_problem", "action", "changed"])
        audit_record(
            actor=actor,
            action=AuditEntry.Action.UPDATE,
            verb="registry_import_place",
            obj=item,
            changes={"row": number, "latitude": row.values["latitude"], "longitude": row.values["longitude"]},
            request=request,
        )
    counts = dict(item.counts)
    counts["to_place"] = item.rows.filter(needs_place=True).count()
    counts["update"] = item.rows.filter(action=ImportRow.Action.UPDATE).count()
    counts["unchanged"] = item.rows.filter(action=ImportRow.Action.UNCHANGED).count()
    item.counts = counts
    item.status = _status_for(counts)
    item.save(update_fields=["counts", "status"])
    return [rows[number] for number in places]


def _place_check(row: ImportRow, latitude: str, longitude: str) -> tuple[tuple[Decimal, Decimal], str]:
    """The point typed for a row, and why it is refused ("" when it is not)."""
    try:
        lat, lon = Decimal(str(latitude)), Decimal(str(longitude))
        if not (lat.is_finite() and lon.is_finite()):
            raise ValueError
    except (ArithmeticError, ValueError):
        return (Decimal(0), Decimal(0)), _("Give the latitude and longitude as numbers.")
    if not in_area(float(lat), float(lon)):
        return (lat, lon), _("The point lies outside the service area (%(area)s).") % {"area": area_text()}
    parish = row.values.get("parish", "")
    if parish and not in_parish(parish, float(lat), float(lon)):
        return (lat, lon), _("The point lies outside the parish named (%(parish)s).") % {
            "parish": Parish(parish).label
        }
    return (lat, lon), ""


# --- Applying ----------------------------------------------------------------------------------


@transaction.atomic
def import_apply_request(
    *, actor: Any, registry_import: RegistryImport, request: Any = None, in_background: bool = True
) -> RegistryImport:
    """Have a checked import applied in the background: only one with nothing refused or unplaced."""
    item = RegistryImport.objects.select_for_update().get(pk=registry_import.pk)
    if item.status != RegistryImport.Status.READY:
        raise ImportNotReady(
            _("Only an import whose dry run refused nothing and placed every row can be applied.")
        )
    if import_superseded(item):
        raise ImportNotReady(SUPERSEDED)
    item.status = RegistryImport.Status.APPLYING
    item.applied_by = actor
    item.save(update_fields=["status", "applied_by"])
    if in_background:
        task_enqueue(task_name=TASK_APPLY, kwargs={"import_id": item.pk})
    return item


def import_apply(*, import_id: int) -> RegistryImport:
    """Write the dry run's rows, all or nothing, in one transaction; audit the import. The rows are
    compared again with the registry as it is now, so what changed since the dry run is respected."""
    item = RegistryImport.objects.get(pk=import_id)
    if item.status != RegistryImport.Status.APPLYING:
        return item  # applied already, or not asked to: safe to run twice
    try:
        with transaction.atomic():
            # Two deliveries at once (a worker back after a stop, and the relay's resend of a task
            # it had not heard of): the second waits here and finds the import applied.
            item = RegistryImport.objects.select_for_update().get(pk=import_id)
            if item.status != RegistryImport.Status.APPLYING:
                return item
            handler = HANDLERS[item.kind](agency_id=item.agency_id)
            existing = handler.existing()
            creates, updates = [], []
            rows = item.rows.exclude(action=ImportRow.Action.REFUSED).values_list("key", "values")
            for key, values in rows:
                known = existing.get(key)
                if known is None:
                    creates.append(values)
                elif any(known.get(k) != v for k, v in values.items()):
                    updates.append(values)
            handler.apply(creates, updates)
            counts = dict(item.counts, created=len(creates), updated=len(updates))
            RegistryImport.objects.filter(pk=item.pk).update(
                status=RegistryImport.Status.APPLIED, applied_at=timezone.now(), counts=counts
            )
            audit_record(
                actor=item.applied_by,
                action=AuditEntry.Action.UPDATE,
                verb="registry_import_apply",
                obj=item,
                changes={
                    "kind": item.kind,
                    "file": item.file_name,
                    "sha256": item.sha256,
                    "uploaded_by": item.created_by.get_username(),
                    "created": len(creates),
                    "updated": len(updates),
                    "unchanged": item.counts.get("unchanged", 0),
                    "rows": item.rows_total,
                },
            )
    except Exception as exc:  # nothing was written: report it on the import
        logger.exception("registry import %s failed", item.uuid)
        RegistryImport.objects.filter(pk=item.pk).update(
            status=RegistryImport.Status.FAILED, failure=f"{type(exc).__name__}: {exc}"[:2000]
        )
    item.refresh_from_db()
    return item


# --- Files given back --------------------------------------------------------------------------


def template_file(kind: str, fmt: str, language: str) -> bytes:
    """A template: the header, an example row, and each column's meaning in ``language``."""
    spec = KINDS[kind]
    with translation.override(language):
        header = spec.keys
        example = [c.example for c in spec.columns]
        required = _("required")
        optional = _("optional")
        meanings = [
            [c.key, str(c.label), required if c.required else optional, str(c.meaning), c.example]
            for c in spec.columns
        ]
        if fmt == "csv":
            comments = [
                _("%(kind)s: one row per record under the header; lines starting with # are ignored.")
                % {"kind": spec.label}
            ]
            # "external_id (required): …", "external_id（必填）：…": as the reader's language punctuates.
            comments += [f"{bracketed(m[0], m[2])}{label_separator()}{m[3]}" for m in meanings]
            return files.write_csv(header, [example], comments=comments)
        notes = [[_("column"), _("name"), _("required?"), _("meaning"), _("example")], *meanings]
        data = files.write_xlsx(
            header, [example], sheet_title=str(spec.label), notes=notes, notes_title=_("columns")
        )
        return files.style_template(data)


def export_file(kind: str, fmt: str, *, agency_id: int | None) -> bytes:
    """The registry's records of ``kind`` in an import's format: importing it changes nothing."""
    handler = HANDLERS[kind](agency_id=agency_id)
    header = KINDS[kind].keys
    rows = handler.export()
    if fmt == "csv":
        return files.write_csv(header, rows)
    # The sheet named as the template names it, in the reader's language ("Agentes", "人員").
    return files.write_xlsx(header, rows, sheet_title=str(KINDS[kind].label))


def place_reason_text(code: str) -> str:
    return str(PLACE_REASONS.get(code, code))
