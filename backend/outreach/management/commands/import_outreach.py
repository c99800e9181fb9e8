"""``manage.py import_outreach activities|hotline_calls FILE.csv``: all rows or none."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from backend.outreach.services import IMPORTS, ImportRejected, outreach_import_csv


class Command(BaseCommand):
    help = "Import prevention activities or hotline calls from a CSV file; nothing is written on any error."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("what", choices=sorted(IMPORTS))
        parser.add_argument("file", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            text = options["file"].read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise CommandError(f"Cannot read {options['file']}: {exc}") from exc
        try:
            result = outreach_import_csv(what=options["what"], text=text)
        except ImportRejected as exc:
            lines = [f"  {where}: {message}" for where, msgs in exc.errors.items() for message in msgs]
            raise CommandError("Nothing imported:\n" + "\n".join(lines)) from exc
        self.stdout.write(self.style.SUCCESS(f"{result.created} {result.what} imported."))
