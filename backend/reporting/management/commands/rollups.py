"""``manage.py rollups refresh [--full] [--day YYYY-MM-DD …]`` and ``manage.py rollups check
[--from D] [--to D]``: bring the statistics rollups up to date, or compare them with the raw
aggregation (exit status 1 when they differ)."""

from __future__ import annotations

import datetime as dt
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from backend.reporting.rollups import SPECS
from backend.reporting.services import rollup_check, rollup_refresh


class Command(BaseCommand):
    help = "Refresh the statistics rollups, or check them against the raw records."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["refresh", "check"])
        parser.add_argument("--full", action="store_true", help="rebuild everything")
        parser.add_argument("--day", action="append", type=dt.date.fromisoformat, default=None)
        parser.add_argument("--from", dest="date_from", type=dt.date.fromisoformat, default=None)
        parser.add_argument("--to", dest="date_to", type=dt.date.fromisoformat, default=None)
        parser.add_argument("--source", choices=sorted(SPECS), action="append", default=None)

    def handle(self, *args: Any, **options: Any) -> None:
        sources = options["source"] or list(SPECS)
        began = time.perf_counter()
        if options["action"] == "refresh":
            result = rollup_refresh(sources=sources, days=options["day"], full=options["full"])
            self.stdout.write(f"Rebuilt days: {result.days} in {time.perf_counter() - began:.2f} s.")
            return
        failed = False
        for source in sources:
            check = rollup_check(source=source, date_from=options["date_from"], date_to=options["date_to"])
            self.stdout.write(f"{source}: {check.groups} groups, {len(check.differences)} differences")
            for diff in check.differences[:20]:
                self.stdout.write(f"  {diff}")
            failed = failed or not check.ok
        if failed:
            raise CommandError(
                "The rollups differ from the raw records: run `manage.py rollups refresh --full`."
            )
