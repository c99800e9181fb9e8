"""``manage.py load_demo [--seed N] [--start YYYY-MM-DD]``: the demo city, once."""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from backend.demo.city import DemoError
from backend.demo.services import demo_load

ALREADY_LOADED = "Demo data is already loaded; nothing to do. `manage.py demo_logins` prints the logins."


@contextlib.contextmanager
def _tasks_quiet() -> Iterator[None]:
    """Without a broker the load's tasks (a score per company, ...) run in process, and Celery
    logged each one's success at INFO: some sixty lines in `make run`'s first start, between the
    migrations and the logins it prints. Failures are still logged (WARNING and above)."""
    trace = logging.getLogger("celery.app.trace")
    level = trace.level
    if settings.CELERY_TASK_ALWAYS_EAGER and trace.getEffectiveLevel() < logging.WARNING:
        trace.setLevel(logging.WARNING)
    try:
        yield
    finally:
        trace.setLevel(level)


class Command(BaseCommand):
    help = (
        "Load the demo city: agencies, depots, officers with four weeks of shifts, companies, "
        "employment agencies, construction sites and venues, one login per role, tonight's and "
        "tomorrow's field work, five years of history, and the present (work waiting for review, "
        "cases, referrals, due work, a draft operation). Does nothing if the demo is already "
        "loaded. The same --seed and --start always give the same registry; only the logins' "
        "passwords are random."
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
            "--logins-file",
            type=Path,
            default=None,
            help=(
                "Where to keep the logins (var/demo_logins.json; for a database other than var/db.sqlite3, "
                "var/demo_logins-<key>.json)."
            ),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        began = time.perf_counter()
        try:
            with _tasks_quiet():
                loaded = demo_load(
                    seed=options["seed"],
                    start=options["start"],
                    scale=options["scale"],
                    logins_file=options["logins_file"],
                )
        except DemoError as exc:
            raise CommandError(str(exc)) from exc
        if not loaded.city.created:
            self.stdout.write(ALREADY_LOADED)
            return
        seconds = time.perf_counter() - began
        counts = ", ".join(f"{k} {v}" for k, v in loaded.city.counts.items())
        self.stdout.write(self.style.SUCCESS(f"Demo data loaded in {seconds:.1f} s: {counts}."))
        self.stdout.write(f"Demo logins (role username password), also kept in {loaded.city.logins_file}:")
        for login in loaded.city.logins:
            self.stdout.write(f"  {login.line()}")
        if loaded.field_work:
            self.stdout.write(
                f"Field demo: {loaded.field_work['operations']} joint operations (one revealed tonight, one "
                f"sealed until tomorrow night) with {loaded.field_work['inspections']} venue visits for "
                "demo-inspector."
            )
        if loaded.work:
            w = loaded.work
            self.stdout.write(
                f"Present: {w['awaiting_review']} submissions awaiting review, {w['cases']} compliance "
                f"cases, {w['due_work']} routine visits due, a draft operation for tomorrow night with "
                f"{w['draft_targets']} targets."
            )
