"""``manage.py load_demo [--seed N] [--start YYYY-MM-DD]``: the demo registry, once."""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from backend.compliance.services import violation_catalogue_load
from backend.demo.city import DemoError, default_start, demo_is_loaded, load_demo
from backend.demo.field import load_field_demo
from backend.demo.history import load_history

ALREADY_LOADED = "Demo data is already loaded; nothing to do. `manage.py demo_logins` prints the logins."


class Command(BaseCommand):
    help = (
        "Load demo agencies, depots, officers with four weeks of shifts, companies, employment "
        "agencies, construction sites and venues, and one login per role. Does nothing if the demo "
        "is already loaded. The same --seed and --start always give the same data; only the "
        "logins' passwords are random."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--seed", type=int, default=1, help="Seed of the generated data (default 1).")
        parser.add_argument(
            "--start",
            type=dt.date.fromisoformat,
            default=None,
            help="First day of the four weeks of shifts, YYYY-MM-DD (default: this week's Monday).",
        )
        parser.add_argument(
            "--scale", type=float, default=1.0, help="Multiply the number of generated rows (default 1)."
        )
        parser.add_argument(
            "--logins-file", type=Path, default=None, help="Where to keep the logins (var/demo_logins.json)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if demo_is_loaded():
            self.stdout.write(ALREADY_LOADED)
            violation_catalogue_load(actor=None)
            load_field_demo()  # idempotent; fills in the field demo of an older registry demo
            load_history(seed=options["seed"])
            return
        began = time.perf_counter()
        try:
            result = load_demo(
                seed=options["seed"],
                start=options["start"] or default_start(),
                scale=options["scale"],
                logins_file=options["logins_file"],
            )
        except DemoError as exc:
            raise CommandError(str(exc)) from exc
        if not result.created:  # another process loaded it meanwhile
            self.stdout.write(ALREADY_LOADED)
            return
        seconds = time.perf_counter() - began
        counts = ", ".join(f"{k} {v}" for k, v in result.counts.items())
        self.stdout.write(self.style.SUCCESS(f"Demo data loaded in {seconds:.1f} s: {counts}."))
        self.stdout.write(f"Demo logins (role username password), also kept in {result.logins_file}:")
        for login in result.logins:
            self.stdout.write(f"  {login.line()}")
        violation_catalogue_load(actor=None)
        field = load_field_demo()
        load_history(seed=options["seed"])
        if field:
            self.stdout.write(
                f"Field demo: {field['operations']} joint operations (one revealed tonight, one sealed "
                f"until tomorrow) with {field['inspections']} venue visits for demo-inspector."
            )
