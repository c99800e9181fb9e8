"""The back-office console at a year of a city: server time and SQL queries per page, as each
role meets it. Prints figures, never fails on a time.

    .venv/bin/python tests/benchmarks/bench_console_scale.py [--visits 20000] [--base 10]
                                                             [--repeat 7] [--explain]
    .venv/bin/python tests/benchmarks/bench_console_scale.py --visits 400 --repeat 2   # small

Creates a fresh PostgreSQL database ``bench_console_<pid>`` on BENCH_POSTGRES_URL (default
postgresql://postgres@127.0.0.1:5432/postgres; skipped, saying so, when it cannot be reached),
migrates it and builds ``--base`` visits through the services (``tests/compliance/pages/
workload.py``: a submission with a photo and its findings, a screening, reviews, cases, scores).
Signs the reviewer, victim protection and the planner in through the console's sign-in page
(second factor included) and times each page once at that size; then copies the visits until
there are ``--visits`` over the last year (``tests/compliance/pages/scale.py``: 5 % awaiting
review, a case for a tenth of the approved, a referral for a tenth of the screenings, a score
at each approval, a twentieth of the visits at one contractor's site) and times them again.

For each page and size: the median and slowest of ``--repeat`` requests in ms, the queries of
one request and the page's size in KB. A query count that grows from the first size to the
second is a query per row (N+1); a page that grows in KB with the data lists without a pager.
``--explain`` prints PostgreSQL's plan of each page's slowest query at the second size. The
database is dropped at the end. Aim: each page within 200 ms.
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
    parser.add_argument("--visits", type=int, default=20000)
    parser.add_argument("--base", type=int, default=10, help="visits built through the services")
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--explain", action="store_true")
    parser.add_argument("--db", default="", help="keep (and reuse) this database")
    args = parser.parse_args()
    import psycopg

    pg_db = args.db or f"bench_console_{os.getpid()}"
    try:
        with psycopg.connect(PG_ADMIN_URL, autocommit=True, connect_timeout=3) as admin:
            args.reuse = bool(
                args.db and admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [pg_db]).fetchone()
            )
            if not args.reuse:
                admin.execute(f'CREATE DATABASE "{pg_db}"')
    except psycopg.OperationalError as exc:
        print(f"SKIPPED: PostgreSQL cannot be reached at {PG_ADMIN_URL}: {exc}")
        return 0
    parts = urlsplit(PG_ADMIN_URL)
    scratch = Path(tempfile.mkdtemp(prefix="bench_console_"))
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "backend.settings",
            "DATABASE_URL": urlunsplit((parts.scheme, parts.netloc, f"/{pg_db}", "", "")),
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
        return run(args)
    finally:
        from django.db import connections

        connections.close_all()
        if args.db:
            print(f"Kept {pg_db}.")
        else:
            with psycopg.connect(PG_ADMIN_URL, autocommit=True) as admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{pg_db}" WITH (FORCE)')
        shutil.rmtree(scratch, ignore_errors=True)


def pages(work, clients):  # type: ignore[no-untyped-def]
    """The pages, each the same at both sizes (the submission, case and referral are the
    workload's own: the copies add to the lists around them)."""
    from backend.compliance.models import ComplianceCase, Referral
    from backend.inspections.models import Submission

    reviewer, protection, planner = clients
    # The first visit's labour submission (approved, its case opened) and the first referral.
    newest = Submission.objects.filter(findings__competent_agency_code="DSAL").order_by("pk").first()
    case = ComplianceCase.objects.order_by("pk").first()
    referral = Referral.objects.order_by("pk").first()
    big = work.companies[0].uuid
    return [
        ("reviewer: home", reviewer, "/"),
        ("review queue (awaiting)", reviewer, "/review/"),
        ("review queue, all states", reviewer, "/review/?state=all"),
        ("review queue, page 5", reviewer, "/review/?state=all&page=5"),
        ("submission", reviewer, f"/review/{newest.uuid}/"),
        ("compliance register", reviewer, "/compliance/"),
        ("company, long history", reviewer, f"/compliance/companies/{big}/"),
        ("cases (open)", reviewer, "/compliance/cases/"),
        ("cases (closed)", reviewer, "/compliance/cases/?status=closed"),
        ("case", reviewer, f"/compliance/cases/{case.uuid}/"),
        ("protection: home", protection, "/"),
        ("referrals", protection, "/protection/"),
        ("referral", protection, f"/protection/{referral.uuid}/"),
        ("planner: home", planner, "/"),
        ("operations", planner, "/planning/"),
    ]


def measure(work, clients, repeat: int, explain: bool = False) -> dict[str, tuple[float, float, int, int]]:  # type: ignore[no-untyped-def]
    from django.db import connection

    out = {}
    print(f"\n{'page':28} {'median ms':>10} {'max ms':>8} {'queries':>8} {'KB':>6}")
    for name, client, url in pages(work, clients):
        response = client.get(url)  # warm-up: imports, templates, parsed checklists
        if response.status_code != 200:
            print(f"!! {name}: {url} answered {response.status_code}")
            out[name] = (0.0, 0.0, 0, 0)
            continue
        queries: list[tuple[float, str, object]] = []

        def timed(execute, sql, params, many, context, queries=queries):  # type: ignore[no-untyped-def]
            began = time.perf_counter()
            try:
                return execute(sql, params, many, context)
            finally:
                queries.append((time.perf_counter() - began, sql, params))

        with connection.execute_wrapper(timed):
            client.get(url)
        times = []
        for _ in range(repeat):
            began = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - began) * 1000)
        median, kb = statistics.median(times), len(response.content) // 1024
        out[name] = (median, max(times), len(queries), kb)
        print(f"{name:28} {median:10.1f} {max(times):8.1f} {len(queries):8d} {kb:6d}", flush=True)
        if explain and queries:
            took, sql, params = max(queries, key=lambda q: q[0])
            with connection.cursor() as cursor:
                cursor.execute(f"EXPLAIN ANALYZE {sql}", params)
                plan = "\n      ".join(row[0] for row in cursor.fetchall())
            print(f"    slowest query {took * 1000:.1f} ms: {sql[:300]}\n      {plan}")
    return out


def run(args: argparse.Namespace) -> int:
    import logging

    import django

    django.setup()
    logging.disable(logging.WARNING)  # the tasks' INFO lines (referrals notified) between figures
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment

    from backend.compliance.models import ComplianceCase, ComplianceScore, Referral
    from backend.inspections.models import Finding, Inspection, Submission
    from tests import factories
    from tests.browser_support import sign_in_client
    from tests.compliance.pages import scale, workload

    setup_test_environment()
    print(f"== {connection.vendor}: {connection.settings_dict['NAME']}", flush=True)
    began = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    if args.reuse:  # built by an earlier run with the same --db: measured as it is
        from types import SimpleNamespace

        from backend.registry.models import Company

        work = SimpleNamespace(companies=[Company.objects.get(name_en="Contractor 000")])
        clients = (Client(), Client(), Client())
        for client, name in zip(clients, ("wl-reviewer", "wl-protection", "bench-planner"), strict=True):
            sign_in_client(client, name, "correct-horse-battery")
        print(f"reusing {Submission.objects.count():,} submissions")
        measure(work, clients, args.repeat, explain=args.explain)
        return 0
    work = workload.build(args.base, decided=max(1, args.base // 3))
    factories.officer("PSP", username="bench-planner", roles=("planner",))
    print(f"migrated, {args.base} visits built through the services: {time.perf_counter() - began:.1f} s")
    clients = (Client(), Client(), Client())
    for client, name in zip(clients, ("wl-reviewer", "wl-protection", "bench-planner"), strict=True):
        sign_in_client(client, name, "correct-horse-battery")
    small = measure(work, clients, args.repeat)
    began = time.perf_counter()
    added = scale.scale(work, visits=args.visits)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    counts = {
        "inspections": Inspection.objects.count(),
        "submissions": Submission.objects.count(),
        "findings": Finding.objects.count(),
        "cases": ComplianceCase.objects.count(),
        "referrals": Referral.objects.count(),
        "scores": ComplianceScore.objects.count(),
    }
    print(
        f"\nscaled in {time.perf_counter() - began:.1f} s (+{added['inspections']:,} visits): "
        + ", ".join(f"{v:,} {k}" for k, v in counts.items())
        + f"; the first contractor: {work.companies[0].compliance_scores.count():,} scores"
    )
    large = measure(work, clients, args.repeat, explain=args.explain)
    print(f"\n{'page':28} {'queries':>15} {'KB':>13} {'median ms':>17}")
    for name, (ms, _mx, q, kb) in large.items():
        s_ms, _smx, s_q, s_kb = small[name]
        flag = "  << grows" if q > s_q else ""
        print(f"{name:28} {s_q:6d} -> {q:5d} {s_kb:5d} -> {kb:5d} {s_ms:7.1f} -> {ms:7.1f}{flag}")
    worst = max(v[0] for v in large.values())
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(
        f"\nslowest page median {worst:.1f} ms: {'within' if worst <= 200 else 'ABOVE'} the 200 ms aim "
        f"(load average {load} on {os.cpu_count()} CPUs)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
