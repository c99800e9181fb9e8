"""The analysts' console pages on demo-sized data: prints figures, never fails on a time.

    .venv/bin/python tests/benchmarks/bench_reporting_pages.py [--postgres URL] [--scale 1] [--repeat 7]

Loads the demo city and its 2019–2023 history (``load_demo``, ``load_history``) into a fresh
database (a temporary SQLite file by default; with ``--postgres``, a new database
``bench_pages_<pid>`` on that server, dropped at the end), signs an analyst in through the
console's sign-in page with Django's test client, and times each page: the median of
``--repeat`` requests in ms (server time: URL conf, middleware, session, access, queries,
templates) and the number of SQL queries of one request. Aim: every page but the PDF within
200 ms.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[2]
PAGES = [
    ("dashboard", "/statistics/", {}),
    ("dashboard, filtered (htmx)", "/statistics/?from=2019&to=2023&agency=DSAL", {"HTTP_HX_REQUEST": "true"}),
    ("dashboard, one year by month", "/statistics/?from=2022&to=2022&category=illegal_employment", {}),
    ("breakdown: inspections year x category", "/statistics/breakdown/", {}),
    (
        "breakdown: sites by parish x year (raw)",
        "/statistics/breakdown/?measure=sites_inspected&rows=parish&columns=year",
        {},
    ),
    (
        "breakdown: referrals, coded, suppressed",
        "/statistics/breakdown/?measure=referrals&rows=year,nationality_band&columns=sex",
        {},
    ),
    (
        "breakdown XLSX",
        "/statistics/breakdown.xlsx?measure=inspections&rows=year,agency&columns=category",
        {},
    ),
    ("report index", "/statistics/report/", {}),
    ("report 2019-2023 (page)", "/statistics/report/2019-2023/", {}),
    ("report chart: inspections per year (SVG)", "/statistics/report/2019-2023/charts/0.svg", {}),
    ("report 2019-2023 PDF zh-hant", "/statistics/report/2019-2023.pdf?lang=zh-hant", {}),
]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--postgres", help="a PostgreSQL server URL, e.g. postgresql://postgres@127.0.0.1:5432/postgres"
    )
    parser.add_argument("--scale", type=float, default=1.0, help="the demo's size (1 = the demo city)")
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    if not args.postgres:
        with tempfile.TemporaryDirectory() as folder:
            return run(args, f"sqlite:///{folder}/bench.sqlite3")
    import psycopg

    name = f"bench_pages_{os.getpid()}"
    admin = psycopg.connect(args.postgres, autocommit=True)
    admin.execute(f'CREATE DATABASE "{name}"')
    parts = urlsplit(args.postgres)
    try:
        return run(args, urlunsplit(parts._replace(path=f"/{name}")))
    finally:
        from django.db import connections

        connections.close_all()
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


def run(args: argparse.Namespace, url: str) -> int:
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "backend.settings")
    os.environ.setdefault("SECRET_KEY", "bench-" + "x" * 40)
    os.environ["MAP_TILE_URL"] = ""
    sys.path.insert(0, str(ROOT))
    import logging

    import django

    django.setup()
    logging.disable(logging.WARNING)
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import override_settings, setup_test_environment

    setup_test_environment()
    began = time.perf_counter()
    call_command("migrate", verbosity=0)
    from backend.demo.city import load_demo
    from backend.demo.history import load_history
    from backend.inspections.models import Finding, Inspection
    from tests import factories
    from tests.browser_support import sign_in_client

    with (
        tempfile.TemporaryDirectory() as folder,
        override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]),
    ):
        load_demo(
            seed=1, start=dt.date(2026, 1, 5), scale=args.scale, logins_file=Path(folder) / "logins.json"
        )
        load_history(seed=1)
        factories.officer("DSAL", username="bench-analyst", roles=("analyst",))
        print(
            f"{connection.vendor}: demo scale {args.scale}, {Inspection.objects.count():,} inspections, "
            f"{Finding.objects.count():,} findings; loaded in {time.perf_counter() - began:.0f} s\n"
        )
        client = Client()
        sign_in_client(client, "bench-analyst", "correct-horse-battery")

    print(f"{'page':<44} {'median ms':>10} {'min ms':>8} {'queries':>8} {'bytes':>9}")
    for label, path, headers in PAGES:
        queries: list[str] = []

        def count(execute, sql, params, many, context, queries=queries):
            queries.append(sql)
            return execute(sql, params, many, context)

        with connection.execute_wrapper(count):
            response = client.get(path, **headers)
        assert response.status_code == 200, (path, response.status_code)
        times = []
        for _ in range(args.repeat):
            start = time.perf_counter()
            client.get(path, **headers)
            times.append((time.perf_counter() - start) * 1000)
        print(
            f"{label:<44} {statistics.median(times):>10.1f} {min(times):>8.1f} "
            f"{len(queries):>8} {len(response.content):>9,}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
