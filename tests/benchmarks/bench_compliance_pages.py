"""Review, compliance and protection console pages: server time and queries per page. Prints
figures, never fails on a time.

    .venv/bin/python tests/benchmarks/bench_compliance_pages.py [--visits 60] [--decided 20]
                                                                [--repeat 15] [--postgres]

Builds a demo-sized workload through the services (``tests/compliance/pages/workload.py``):
``--visits`` construction sites with a joint visit each (a submission with a photo awaiting
review, a screening with a referral), the first ``--decided`` approved with a case opened, and
a score for every contractor. Then signs in through the console's sign-in page (second factor
included) as the labour bureau's reviewer and as victim protection, and GETs each page with
Django's test client: URL conf, middleware, session, access rules, selectors, template
rendering. For each page: median and slowest of ``--repeat`` runs in ms, and the queries of one
run. Aim: each page within 200 ms.

The database is a fresh SQLite file in a temporary folder, or with ``--postgres`` a fresh
database ``bench_pages_<pid>`` on BENCH_POSTGRES_URL (default
postgresql://postgres@127.0.0.1:5432/postgres), dropped at the end.
"""

from __future__ import annotations

import argparse
import os
import secrets
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[2]
PG_ADMIN_URL = os.environ.get("BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres")


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--visits", type=int, default=60)
    parser.add_argument("--decided", type=int, default=20)
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--postgres", action="store_true")
    parser.add_argument("--profile", metavar="PAGE", help="cProfile one page (its name); print the top 25")
    args = parser.parse_args()
    scratch = Path(tempfile.mkdtemp(prefix="bench_pages_"))
    pg_db = None
    if args.postgres:
        import psycopg

        pg_db = f"bench_pages_{os.getpid()}"
        try:
            with psycopg.connect(PG_ADMIN_URL, autocommit=True) as admin:
                admin.execute(f'CREATE DATABASE "{pg_db}"')
        except psycopg.OperationalError as exc:
            print(f"PostgreSQL cannot be reached at {PG_ADMIN_URL}: {exc}; skipped.")
            return 0
        parts = urlsplit(PG_ADMIN_URL)
        database_url = urlunsplit((parts.scheme, parts.netloc, f"/{pg_db}", "", ""))
    else:
        database_url = f"sqlite:///{scratch / 'bench.sqlite3'}"
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "backend.settings",
            "DATABASE_URL": database_url,
            "DEBUG": "0",
            "SECRET_KEY": os.environ.get("SECRET_KEY") or secrets.token_urlsafe(50),
            "MEDIA_ROOT": str(scratch / "media"),
            "ALLOWED_HOSTS": "localhost,127.0.0.1,testserver",
            "MAP_TILE_URL": "",
        }
    )
    os.chdir(ROOT)
    sys.path.insert(0, str(ROOT))
    try:
        return run(args, database_url)
    finally:
        if pg_db:
            from django.db import connections

            connections.close_all()
            import psycopg

            with psycopg.connect(PG_ADMIN_URL, autocommit=True) as admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{pg_db}"')
        shutil.rmtree(scratch, ignore_errors=True)  # the SQLite file and the workload's photos


def run(args: argparse.Namespace, database_url: str) -> int:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from tests.browser_support import sign_in_client
    from tests.compliance.pages import workload

    print(f"== {connection.vendor}: {database_url}", flush=True)
    t0 = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    t1 = time.perf_counter()
    work = workload.build(args.visits, decided=args.decided)
    t2 = time.perf_counter()
    print(
        f"migrated in {t1 - t0:.1f} s; workload built in {t2 - t1:.1f} s: {len(work.submissions)} visits "
        f"({args.visits - args.decided} awaiting review), {len(work.cases)} cases, "
        f"{len(work.referrals)} referrals, {len(work.companies)} scored contractors",
        flush=True,
    )
    reviewer, protection = Client(), Client()
    sign_in_client(reviewer, work.reviewer.user.username, "correct-horse-battery")
    sign_in_client(protection, work.protection.user.username, "correct-horse-battery")
    pages = [
        ("review queue", reviewer, "/review/"),
        ("review queue, high severity", reviewer, "/review/?severity=high"),
        ("submission", reviewer, f"/review/{work.submissions[-1].uuid}/"),
        ("compliance register", reviewer, "/compliance/"),
        ("company profile", reviewer, f"/compliance/companies/{work.companies[0].uuid}/"),
        ("cases", reviewer, "/compliance/cases/"),
        ("case", reviewer, f"/compliance/cases/{work.cases[0].uuid}/"),
        ("notice (zh-hant)", reviewer, f"/compliance/cases/{work.cases[0].uuid}/notice/zh-hant/"),
        ("referrals", protection, "/protection/"),
        ("referral", protection, f"/protection/{work.referrals[0].uuid}/"),
    ]
    print(f"\n{'page':32} {'median ms':>10} {'max ms':>8} {'queries':>8}")
    worst = 0.0
    for name, client, url in pages:
        response = client.get(url)  # warm-up: imports, template loading, parsed checklists
        if response.status_code != 200:
            print(f"!! {name}: {url} answered {response.status_code}")
            return 1
        queries: list[str] = []

        def count(execute, sql, params, many, context, queries=queries):  # type: ignore[no-untyped-def]
            queries.append(sql)
            return execute(sql, params, many, context)

        with connection.execute_wrapper(count):
            client.get(url)
        times = []
        for _ in range(args.repeat):
            started = time.perf_counter()
            client.get(url)
            times.append((time.perf_counter() - started) * 1000)
        median = statistics.median(times)
        worst = max(worst, median)
        print(f"{name:32} {median:10.1f} {max(times):8.1f} {len(queries):8d}", flush=True)
    if args.profile:
        import cProfile
        import pstats

        client, url = next((c, u) for n, c, u in pages if n == args.profile)
        profiler = cProfile.Profile()
        profiler.runcall(client.get, url)
        pstats.Stats(profiler).sort_stats(os.environ.get("BENCH_SORT", "cumulative")).print_stats(25)
    verdict = "within" if worst <= 200 else "ABOVE"
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(
        f"\nslowest page median {worst:.1f} ms: {verdict} the 200 ms aim "
        f"(load average {load} on {os.cpu_count()} CPUs)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
