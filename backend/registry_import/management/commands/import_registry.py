"""``manage.py import_registry <kind> <file> [--apply] [--user LOGIN]``: the console's import from a
shell. Prints the dry run (counts, each refusal with its row, column and reason, the rows left to
place); with ``--apply`` applies it, all or nothing, when nothing is refused or unplaced."""

from __future__ import annotations

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from backend.core.errors import DomainError
from backend.registry_import import services
from backend.registry_import.columns import KINDS, reason_text
from backend.registry_import.display import Words
from backend.registry_import.models import ImportRow, RegistryImport


class Command(BaseCommand):
    help = "Import sites, companies, officers or shifts from a CSV or XLSX file (a dry run unless --apply)."

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=sorted(KINDS))
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--apply", action="store_true", help="apply the import when the dry run allows it"
        )
        parser.add_argument(
            "--user",
            default="",
            help="the administrator the import is recorded as (default: the first superuser); "
            "an administrator of an agency imports that agency's officers and shifts only",
        )

    def handle(self, *args, kind, file, apply, user, **options):
        User = get_user_model()
        actor = (
            User.objects.filter(username=user).first()
            if user
            else User.objects.filter(is_superuser=True, is_active=True).order_by("pk").first()
        )
        if actor is None:
            raise CommandError(
                f"No such user: {user!r}." if user else "No superuser to record the import as; give --user."
            )
        if not file.is_file():
            raise CommandError(f"No such file: {file}")
        try:
            # The check runs here, in this process (the task's code), not in a worker.
            item = services.import_receive(
                actor=actor, kind=kind, file_name=file.name, data=file.read_bytes(), in_background=False
            )
            item = services.import_check(import_id=item.pk)
        except DomainError as e:
            raise CommandError(f"{e.detail} {e.errors or ''}") from None
        self._report(item)
        if not apply:
            self.stdout.write("Dry run only: nothing was changed. Add --apply to apply it.")
            return
        if item.status != RegistryImport.Status.READY:
            raise CommandError(
                "Not applied: the dry run refused rows or left rows to place (nothing was changed)."
            )
        services.import_apply_request(actor=actor, registry_import=item, in_background=False)
        item = services.import_apply(import_id=item.pk)
        if item.status != RegistryImport.Status.APPLIED:
            raise CommandError(f"Not applied (nothing was changed): {item.failure}")
        self.stdout.write(
            self.style.SUCCESS(
                f"Applied: {item.counts['created']} created, {item.counts['updated']} updated."
            )
        )

    def _report(self, item: RegistryImport) -> None:
        c = item.counts
        self.stdout.write(
            f"{item.file_name} (sha256 {item.sha256[:12]}…): {item.rows_total} rows; "
            f"{c.get('create', 0)} to create, {c.get('update', 0)} to update, "
            f"{c.get('unchanged', 0)} unchanged, "
            f"{c.get('refused', 0)} refused, {c.get('to_place', 0)} to place on the map."
        )
        for p in item.file_problems:
            self.stderr.write(f"File refused: {reason_text(p['code'], p['params'])}")
        for row in item.rows.filter(action=ImportRow.Action.REFUSED)[:200]:
            for p in row.problems:
                self.stderr.write(f"Row {row.number}, {p['column']}: {reason_text(p['code'], p['params'])}")
        updates = list(item.rows.filter(action=ImportRow.Action.UPDATE)[:200])
        words = Words(item, updates)
        for row in updates:  # what each update changes, old → new, as the page shows it
            changes = "; ".join(
                f"{c['column']}: {c['before']} → {c['after']}" if c["before"] is not None else c["column"]
                for c in words.changes(row)
            )
            self.stdout.write(f"Row {row.number} ({row.values.get('external_id', '')}) to update: {changes}")
        for row in item.rows.filter(needs_place=True)[:200]:
            self.stdout.write(
                f"Row {row.number} to place: {row.values.get('address')} — "
                f"{services.place_reason_text(row.place_problem)}"
            )
