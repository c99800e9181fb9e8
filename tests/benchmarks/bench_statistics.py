"""Statistics benchmark: prints figures, never fails on a time.

    .venv/bin/python tests/benchmarks/bench_statistics.py [--rows 5000000] [--repeat 7]

Creates a fresh PostgreSQL database ``bench_stats_<pid>`` on BENCH_POSTGRES_URL (by default
postgresql://postgres@127.0.0.1:5432/postgres), migrates it, loads N inspections (5 million by
default) with COPY, builds the rollups, then times the common statistics queries two ways:

- through the API (Django's test client, signed in as an analyst: URL conf, middleware, session
  authentication, access rules, query building, JSON rendering);
- as hand-written SQL through psycopg: the same aggregation on the rollup table (what the API
  runs for dashboard queries) and on the raw inspections table.

For each query: the median of ``--repeat`` runs in ms, and the ratio API / SQL. The database is
dropped at the end. Skipped, saying so, when PostgreSQL cannot be reached. Aim: dashboard queries
(rollups) through the API within 50 ms, ad-hoc breakdowns (raw) within a second.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import sys
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[2]
PG_ADMIN_URL = os.environ.get("BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
CHUNK = 250_000
PARISHES = ["fatima", "santo_antonio", "sao_lazaro", "se", "sao_lourenco", "carmo_taipa", "cotai", "coloane"]
CATEGORIES = [
    ("PSP", "prostitution_trafficking", 0.11, "venue"),
    ("PSP", "illegal_employment", 0.60, None),
    ("DSAL", "construction_large_scale", 0.02, "construction_site"),
    ("DSAL", "construction_preventive", 0.04, "construction_site"),
    ("DSAL", "construction_questionnaire", 0.08, "construction_site"),
    ("DSAL", "employment_agency", 0.15, "employment_agency"),
]
STATUSES = ["closed"] * 80 + ["reviewed"] * 8 + ["submitted"] * 6 + ["no_access"] * 3 + ["planned"] * 3

# (name, API query string, SQL on the rollup or None, SQL on the raw table)
LOCAL_YEAR = "extract(year from planned_start at time zone 'Asia/Macau')"
CONDUCTED = "('submitted','reviewed','closed')"
MONTHLY = "reporting_inspectionmonthrollup"
QUERIES: list[tuple[str, str, str | None, str]] = [
    (
        "dashboard: inspections by year",
        "measure=inspections&by=year",
        f"SELECT extract(year from month), sum(n) FROM {MONTHLY} WHERE status IN {CONDUCTED} "
        "GROUP BY 1 ORDER BY 1",
        f"SELECT {LOCAL_YEAR}, count(*) FROM inspections_inspection WHERE status IN {CONDUCTED} "
        "GROUP BY 1 ORDER BY 1",
    ),
    (
        "dashboard: by year x category, DSAL, 2019-2023",
        "measure=inspections&by=year,category&agency=DSAL&from=2019&to=2023",
        f"SELECT extract(year from month), category, sum(n) FROM {MONTHLY} r "
        f"JOIN registry_agency a ON a.id = r.agency_id WHERE a.code = 'DSAL' AND status IN {CONDUCTED} "
        "AND month BETWEEN '2019-01-01' AND '2023-12-31' GROUP BY 1, 2 ORDER BY 1, 2",
        f"SELECT {LOCAL_YEAR}, category, count(*) FROM inspections_inspection i JOIN registry_agency a "
        f"ON a.id = i.agency_id WHERE a.code = 'DSAL' AND status IN {CONDUCTED} AND planned_start >= "
        "'2019-01-01 00:00+08' AND planned_start < '2024-01-01 00:00+08' GROUP BY 1, 2 ORDER BY 1, 2",
    ),
    (
        "dashboard: by month, 2023",
        "measure=inspections&by=month&from=2023&to=2023",
        f"SELECT month, sum(n) FROM {MONTHLY} "
        f"WHERE status IN {CONDUCTED} "
        "AND month BETWEEN '2023-01-01' AND '2023-12-31' GROUP BY 1 ORDER BY 1",
        "SELECT date_trunc('month', planned_start at time zone 'Asia/Macau'), count(*) FROM "
        f"inspections_inspection WHERE status IN {CONDUCTED} AND planned_start >= '2023-01-01 00:00+08' "
        "AND planned_start < '2024-01-01 00:00+08' GROUP BY 1 ORDER BY 1",
    ),
    (
        "dashboard: by parish x agency",
        "measure=inspections&by=parish,agency",
        f"SELECT parish, agency_id, sum(n) FROM {MONTHLY} WHERE status IN {CONDUCTED} "
        "GROUP BY 1, 2 ORDER BY 1, 2",
        "SELECT s.parish, i.agency_id, count(*) FROM inspections_inspection i JOIN registry_site s ON "
        f"s.id = i.site_id WHERE i.status IN {CONDUCTED} GROUP BY 1, 2 ORDER BY 1, 2",
    ),
    (
        "ad hoc: by year x category (forced raw)",
        "measure=inspections&by=year,category&source=raw",
        None,
        f"SELECT {LOCAL_YEAR}, category, count(*) FROM inspections_inspection WHERE status IN {CONDUCTED} "
        "GROUP BY 1, 2 ORDER BY 1, 2",
    ),
    (
        "ad hoc: distinct sites by year, DSAL agencies",
        "measure=sites_inspected&by=year&agency=DSAL&category=employment_agency",
        None,
        f"SELECT {LOCAL_YEAR}, count(DISTINCT site_id) FROM inspections_inspection i JOIN registry_agency a "
        f"ON a.id = i.agency_id WHERE a.code = 'DSAL' AND category = 'employment_agency' AND status IN "
        f"{CONDUCTED} GROUP BY 1 ORDER BY 1",
    ),
    (
        "ad hoc: by venue type x parish, 2022",
        "measure=inspections&by=venue_type,parish&from=2022&to=2022",
        f"SELECT venue_type, parish, sum(n) FROM {MONTHLY} WHERE status IN {CONDUCTED} "
        "AND month BETWEEN '2022-01-01' AND '2022-12-31' GROUP BY 1, 2 ORDER BY 1, 2",
        "SELECT s.venue_type, s.parish, count(*) FROM inspections_inspection i "
        "JOIN registry_site s ON s.id = i.site_id "
        f"WHERE i.status IN {CONDUCTED} AND planned_start >= '2022-01-01 00:00+08' AND planned_start < "
        "'2023-01-01 00:00+08' GROUP BY 1, 2 ORDER BY 1, 2",
    ),
    (
        "ad hoc: by ISO week x agency, Q2 2023 (daily)",
        "measure=inspections&by=week,agency&from=2023-04&to=2023-06",
        "SELECT date_trunc('week', day), agency_id, sum(n) FROM reporting_inspectionrollup "
        f"WHERE status IN {CONDUCTED} AND day BETWEEN '2023-04-01' AND '2023-06-30' "
        "GROUP BY 1, 2 ORDER BY 1, 2",
        "SELECT date_trunc('week', planned_start at time zone 'Asia/Macau'), agency_id, count(*) "
        f"FROM inspections_inspection WHERE status IN {CONDUCTED} AND planned_start >= '2023-04-01 00:00+08' "
        "AND planned_start < '2023-07-01 00:00+08' GROUP BY 1, 2 ORDER BY 1, 2",
    ),
]


def with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path="/" + name))


def median_ms(fn: Any, repeat: int) -> float:
    fn()  # warm up: plans, caches, imports
    times = []
    for _ in range(repeat):
        began = time.perf_counter()
        fn()
        times.append((time.perf_counter() - began) * 1000)
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", type=int, default=5_000_000)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    try:
        import psycopg

        admin = psycopg.connect(PG_ADMIN_URL, autocommit=True, connect_timeout=3)
    except Exception as exc:
        print(f"SKIPPED: PostgreSQL is not reachable at {PG_ADMIN_URL} ({type(exc).__name__}: {exc}).")
        return 0
    name = f"bench_stats_{os.getpid()}"
    admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
    admin.execute(f'CREATE DATABASE "{name}"')
    url = with_database(PG_ADMIN_URL, name)
    began = time.perf_counter()
    try:
        return run(args, url)
    finally:
        from django.db import connections

        connections.close_all()
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()
        print(f"\nDropped {name}; whole run {time.perf_counter() - began:.0f} s.")


def run(args: argparse.Namespace, url: str) -> int:
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "backend.settings")
    sys.path.insert(0, str(ROOT))
    import logging

    import django

    django.setup()
    logging.disable(logging.WARNING)
    import psycopg
    from django.core.management import call_command
    from django.test import Client
    from django.test.utils import setup_test_environment

    setup_test_environment()
    step = time.perf_counter()
    call_command("migrate", verbosity=0)
    print(f"migrate: {time.perf_counter() - step:.1f} s")

    from backend.checklists.selectors import template_version_latest
    from backend.checklists.services import checklists_load_builtin
    from backend.registry.models import Site
    from backend.reporting.services import rollup_check, rollup_refresh
    from tests import factories

    agencies = {code: factories.agency(code) for code in ("PSP", "DSAL", "PJ")}
    analyst = factories.officer("PJ", username="bench-analyst", roles=("analyst",))
    checklists_load_builtin()
    version = template_version_latest(code="venue_prostitution_trafficking")
    rng = random.Random(5)
    kinds = {"venue": 1200, "construction_site": 1500, "employment_agency": 300}
    sites = []
    for kind, count in kinds.items():
        for i in range(count):
            sites.append(
                Site(
                    kind=kind,
                    venue_type=rng.choice(["sauna", "massage", "karaoke", "bar", "hotel"])
                    if kind == "venue"
                    else "",
                    name_en=f"{kind} {i}",
                    address="Rua de Teste",
                    parish=rng.choice(PARISHES),
                    latitude=22.19,
                    longitude=113.54,
                )
            )
    Site.objects.bulk_create(sites, batch_size=1000)
    by_kind: dict[str, list[int]] = {}
    for pk, kind in Site.objects.values_list("pk", "kind"):
        by_kind.setdefault(kind, []).append(pk)
    all_sites = [pk for pks in by_kind.values() for pk in pks]

    # COPY the inspections, in chunks of text rows built here.
    step = time.perf_counter()
    start = dt.datetime(2019, 1, 1, tzinfo=dt.UTC).timestamp()
    span = dt.datetime(2024, 1, 1, tzinfo=dt.UTC).timestamp() - start
    weights = [c[2] for c in CATEGORIES]
    columns = (
        "uuid, site_id, category, agency_id, template_version_id, planned_start, planned_end, route_order, "
        "status, priority, created_at, updated_at"
    )
    with psycopg.connect(url) as pg, pg.cursor() as cursor:
        # Loading into a table without its secondary indexes and building them after is the
        # usual bulk-load path; the indexes are the migrations' own, recreated as they were.
        indexes = cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'inspections_inspection' "
            "AND indexname NOT LIKE '%%_pkey'"
        ).fetchall()
        constraints = cursor.execute(
            "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE conrelid = 'inspections_inspection'::regclass AND contype IN ('u', 'f')"
        ).fetchall()
        for name, _definition in constraints:
            cursor.execute(f'ALTER TABLE inspections_inspection DROP CONSTRAINT "{name}"')
        unique_names = {name for name, _ in constraints}
        for name, _definition in indexes:
            if name not in unique_names:
                cursor.execute(f'DROP INDEX "{name}"')
        # COPY compact rows (site, category, start in epoch seconds, status) into a staging
        # table, then expand them server-side into inspections in one INSERT … SELECT.
        cursor.execute("CREATE UNLOGGED TABLE bench_stage (site int, cat int, start_s bigint, st int)")
        pools = [by_kind[kind] if kind else all_sites for *_rest, kind in CATEGORIES]
        done, first = 0, int(start)
        while done < args.rows:
            n = min(CHUNK, args.rows - done)
            cats = rng.choices(range(len(CATEGORIES)), weights=weights, k=n)
            lines = [
                f"{rng.choice(pools[c])}\t{c + 1}\t{first + int(rng.random() * span)}\t"
                f"{rng.randrange(len(STATUSES)) + 1}\n"
                for c in cats
            ]
            with cursor.copy("COPY bench_stage FROM STDIN") as copy:
                copy.write("".join(lines))
            done += n
        categories = ",".join(f"'{c[1]}'" for c in CATEGORIES)
        agency_ids = ",".join(str(agencies[c[0]].pk) for c in CATEGORIES)
        statuses = ",".join(f"'{x}'" for x in STATUSES)
        cursor.execute(
            f"INSERT INTO inspections_inspection ({columns}) "
            f"SELECT gen_random_uuid(), site, (ARRAY[{categories}])[cat], (ARRAY[{agency_ids}])[cat], "
            f"{version.pk}, to_timestamp(start_s), to_timestamp(start_s) + interval '1 hour', 0, "
            f"(ARRAY[{statuses}])[st], 3, now(), now() FROM bench_stage"
        )
        cursor.execute("DROP TABLE bench_stage")
        pg.commit()
        loaded = time.perf_counter() - step
        for name, definition in constraints:
            cursor.execute(f'ALTER TABLE inspections_inspection ADD CONSTRAINT "{name}" {definition}')
        for name, definition in indexes:
            if name not in unique_names:
                cursor.execute(definition)
        pg.commit()
        cursor.execute("ANALYZE")
        pg.commit()
    print(
        f"COPY {args.rows:,} inspections: {loaded:.1f} s; their indexes rebuilt and ANALYZE: "
        f"{time.perf_counter() - step - loaded:.1f} s"
    )

    step = time.perf_counter()
    refreshed = rollup_refresh(sources=["inspections"], full=True)
    with psycopg.connect(url) as pg:
        rollup_rows = pg.execute("SELECT count(*) FROM reporting_inspectionrollup").fetchone()[0]
        month_rows = pg.execute(f"SELECT count(*) FROM {MONTHLY}").fetchone()[0]
        pg.execute("ANALYZE reporting_inspectionrollup")
        pg.execute(f"ANALYZE {MONTHLY}")
    print(
        f"rollup full build (INSERT ... SELECT ... GROUP BY): {time.perf_counter() - step:.1f} s, "
        f"{rollup_rows:,} daily rows over {refreshed.days['inspections']:,} days, {month_rows:,} monthly"
    )
    step = time.perf_counter()
    # One year: the whole five (raw aggregation twice over 5 million rows) is the nightly job's.
    check = rollup_check(source="inspections", date_from=dt.date(2023, 1, 1), date_to=dt.date(2023, 12, 31))
    print(
        f"rollup check of 2023 (raw vs daily and monthly rollups): {time.perf_counter() - step:.1f} s, "
        f"ok={check.ok}"
    )

    # Incremental: 200 changes on one day, found by the signature scan, and by a named day.
    from backend.inspections.models import Inspection

    day = dt.date(2023, 6, 1)
    changed = list(
        Inspection.objects.filter(planned_start__date=day).order_by("pk").values_list("pk", flat=True)[:200]
    )
    Inspection.objects.filter(pk__in=changed).update(status="reviewed", updated_at=dt.datetime.now(dt.UTC))
    step = time.perf_counter()
    found = rollup_refresh(sources=["inspections"])
    print(
        f"incremental refresh, days found by signature scan: {(time.perf_counter() - step) * 1000:.0f} ms "
        f"({found.days['inspections']} day(s) rebuilt)"
    )
    step = time.perf_counter()
    rollup_refresh(sources=["inspections"], days=[day])
    elapsed = (time.perf_counter() - step) * 1000
    print(f"incremental refresh of one named day (the findings hook's path): {elapsed:.0f} ms")
    # Rebuilding a day reads that day's inspections: without an index on planned_start (the
    # inspections app has none yet) that is a full scan. With the index it is recommended to add:
    with psycopg.connect(url, autocommit=True) as pg:
        pg.execute("CREATE INDEX bench_inspection_planned_start ON inspections_inspection (planned_start)")
    step = time.perf_counter()
    rollup_refresh(sources=["inspections"], days=[day])
    elapsed = (time.perf_counter() - step) * 1000
    print(f"  the same with an index on inspections_inspection (planned_start): {elapsed:.0f} ms")

    client = Client()
    client.force_login(analyst.user)
    print(f"\n{'query':48} {'API ms':>9} {'SQL ms':>9} {'ratio':>7}")
    print(
        "(SQL: on the monthly rollup the API reads for dashboard queries, on the raw table for ad-hoc ones)"
    )
    with psycopg.connect(url, autocommit=True) as pg:
        for label, params, rollup_sql, raw_sql in QUERIES:

            def api_call(params: str = params) -> None:
                response = client.get("/api/v1/statistics/query/?" + params)
                assert response.status_code == 200, response.content[:500]

            repeat = args.repeat if rollup_sql else 2  # full scans: a few seconds each at 5 million
            api_ms = median_ms(api_call, repeat)
            sql = rollup_sql or raw_sql
            sql_ms = median_ms(lambda sql=sql: pg.execute(sql).fetchall(), repeat)
            print(f"{label:48} {api_ms:9.1f} {sql_ms:9.1f} {api_ms / sql_ms:7.1f}")
            if rollup_sql:
                raw_ms = median_ms(lambda sql=raw_sql: pg.execute(sql).fetchall(), 2)
                print(f"{'  the same on the raw table (SQL)':48} {'':9} {raw_ms:9.1f} {'':7}")
    with psycopg.connect(url) as pg:
        version_text = pg.execute("SHOW server_version").fetchone()[0]
    print(f"\nPostgreSQL {version_text}; {args.rows:,} inspections")
    return 0


if __name__ == "__main__":
    sys.exit(main())
