"""``manage.py load_violations [--reset]``: the violation catalogue, from violations.json."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from backend.compliance.services import violation_catalogue_load


class Command(BaseCommand):
    help = (
        "Load the violation catalogue (V-01..V-14). Titles and legal bases follow the file; severity, "
        "corrective deadline and competent agency already in the database are kept unless --reset."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--reset", action="store_true", help="Also put the defaults back to the file's values."
        )
        parser.add_argument(
            "--file", type=Path, default=None, help="Another catalogue file in the same format."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        counts = violation_catalogue_load(path=options["file"], reset=options["reset"])
        self.stdout.write(
            self.style.SUCCESS(
                f"Violation catalogue: {counts['created']} created, {counts['updated']} updated."
            )
        )
