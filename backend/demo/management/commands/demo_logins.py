"""``manage.py demo_logins``: print the demo logins again, one line each: role username password."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from backend.demo.city import DemoError, demo_logins


class Command(BaseCommand):
    help = (
        "Print the demo logins, one per line: role username password. A login whose saved password "
        "is missing (or no longer works) gets a new random one, which is saved and printed."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--logins-file",
            type=Path,
            default=None,
            help=(
                "Where the logins are kept (var/demo_logins.json; for a database other than var/db.sqlite3, "
                "var/demo_logins-<key>.json)."
            ),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            logins = demo_logins(logins_file=options["logins_file"])
        except DemoError as exc:
            raise CommandError(str(exc)) from exc
        for login in logins:
            self.stdout.write(login.line())
