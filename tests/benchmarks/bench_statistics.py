"""Statistics benchmark: prints figures, never fails on a time.

    .venv/bin/python tests/benchmarks/bench_statistics.py [--rows 5000000] [--small 500000]
        [--repeat 5] [--draws 24] [--finding-draws 12] [--other-draws 6] [--seed 17] [--db NAME]

Creates a fresh PostgreSQL database ``bench_stats_<pid>`` on BENCH_POSTGRES_URL (by default
postgresql://postgres@127.0.0.1:5432/postgres), migrates it, and generates inspections in the
database (``INSERT … SELECT … FROM generate_series``, seeded: no row crosses the wire): first
``--small`` (0.5 million), then up to ``--rows`` (5 million). With them, in the proportions of
the demo's five years (``backend.demo.history``: the seed report's counts, REFERENCE.md §5, and
the demo's stated assumptions where it gives none): the submissions of the visits that found
something and their findings, as the checklist engine derives them from the demo's answers;
the referrals of the potential victims among them; prevention activities and hotline calls
(``generate_related``). At each size it builds the rollups (inspections and findings) and
times, through the API (Django's test client signed in as an analyst: URL conf, middleware,
access rules, query building, JSON rendering), the dashboard queries, findings' named queries,
``--draws`` breakdowns drawn at random from what the catalogue offers for inspections (measures,
distinct counts included, × up to three dimensions × a filter × a period), ``--finding-draws``
for findings and ``--other-draws`` for referrals, prevention activities and hotline calls.

For each query it prints the path the engine took (daily, monthly or per-site rollup, or the
records), the shape of the plan PostgreSQL chose for the statement the API ran (EXPLAIN), the
median time through the API at both sizes, the growth from the small to the large size (flat for
rollups, at most linear — ×10 — for reads of the records), and the ratio of the API's time to that
statement alone through psycopg (the database's ceiling for the same work). The database is
dropped at the end, unless ``--db NAME`` names it: it is then kept, and a later run with the same
name that finds its ``--rows`` inspections there skips the generation (and the small size),
migrates it, rebuilds the rollups and measures again (for work on the queries and rollups).
Skipped, saying so, when PostgreSQL cannot be reached. Aims: every breakdown within 1 s at 5
million, dashboards within 50 ms.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import statistics
import sys
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[2]
PG_ADMIN_URL = os.environ.get("BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
PARISHES = ["fatima", "santo_antonio", "sao_lazaro", "se", "sao_lourenco", "carmo_taipa", "cotai", "coloane"]
# (agency, category, share, pool of sites)
CATEGORIES = [
    ("PSP", "prostitution_trafficking", 0.11, "venue"),
    ("PSP", "illegal_employment", 0.60, None),
    ("DSAL", "construction_large_scale", 0.02, "construction_site"),
    ("DSAL", "construction_preventive", 0.04, "construction_site"),
    ("DSAL", "construction_questionnaire", 0.08, "construction_site"),
    ("DSAL", "employment_agency", 0.15, "employment_agency"),
]
# status by share: closed 80 %, reviewed 8 %, submitted 6 %, no access 3 %, planned 3 %
STATUS_EDGES = [0.80, 0.88, 0.94, 0.97]
STATUS_NAMES = ["closed", "reviewed", "submitted", "no_access", "planned"]
JOINT_SHARE = 0.05
VENUE_TYPES = ["sauna", "massage", "karaoke", "bar", "hotel"]
YEARS = (2019, 2023)

# The tables a breakdown's figures are read from (the rest: session, user, freshness).
READ_TABLES = (
    "reporting_inspection",
    "inspections_inspection",
    "reporting_findingrollup",
    "inspections_finding",
    "compliance_referral",
    "outreach_activity",
    "outreach_hotlinecall",
)

DASHBOARDS = [
    ("dashboard: inspections by year", "measure=inspections&by=year"),
    (
        "dashboard: year x category, DSAL, 2019-2023",
        "measure=inspections&by=year,category&agency=DSAL&from=2019&to=2023",
    ),
    ("dashboard: by month, 2023", "measure=inspections&by=month&from=2023&to=2023"),
    ("dashboard: by parish x agency", "measure=inspections&by=parish,agency"),
    ("dashboard: venue type x parish, 2022", "measure=inspections&by=venue_type,parish&from=2022&to=2022"),
    ("dashboard: ISO week x agency, Q2 2023", "measure=inspections&by=week,agency&from=2023-04&to=2023-06"),
    ("distinct sites by year, DSAL agencies", "measure=sites_inspected&by=year&category=employment_agency"),
    ("distinct companies by quarter x parish", "measure=companies_inspected&by=quarter,parish"),
    ("distinct sites by week (5 years)", "measure=sites_inspected&by=week"),
    ("distinct sites by day x venue type", "measure=sites_inspected,inspections&by=day,venue_type"),
    ("distinct sites by day x parish x agency", "measure=sites_inspected&by=day,parish,agency"),
    ("distinct sites by week x parish x agency", "measure=sites_inspected&by=week,parish,agency"),
    ("forced raw: year x category", "measure=inspections&by=year,category&source=raw"),
    ("by joint operation (records only)", "measure=inspections,sites_inspected&by=operation,year"),
]
# The dashboard's findings panels (pages.dashboard_queries) and findings by the finer periods.
FINDINGS_NAMED = [
    ("findings dashboard: KPIs", "measure=findings,findings_awaiting_review,potential_victims"),
    ("findings dashboard: year x severity", "measure=findings&by=year,severity"),
    (
        "findings dashboard: month x severity, agencies, 2023",
        "measure=findings&by=month,severity&category=employment_agency&from=2023&to=2023",
    ),
    ("findings by violation x competent agency", "measure=findings&by=violation_code,agency"),
    ("findings by week x violation (5 years)", "measure=findings&by=week,violation_code"),
    ("findings by day x category x severity", "measure=findings,potential_victims&by=day,category,severity"),
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


def draws(
    catalogue: list[dict[str, Any]], n: int, seed: int, sources: tuple[str, ...] = ("inspections",)
) -> list[tuple[str, str]]:
    """``n`` breakdowns drawn from the catalogue, each of one of ``sources`` (at random): one or
    two of its measures, up to three of its dimensions, maybe a filter, maybe a period (a year,
    years, months or days). Of inspections alone, the draws of the seed are those of earlier runs."""
    rng = random.Random(seed if sources == ("inspections",) else f"{seed}/{'/'.join(sources)}")
    offered = [s for s in sources if any(m["source"]["id"] == s for m in catalogue)]
    prefix = (
        "other draw" if len(sources) > 1 else "draw" if sources == ("inspections",) else f"{sources[0]} draw"
    )
    periods: list[dict[str, str]] = [
        {},
        {"from": "2022", "to": "2022"},
        {"from": "2020", "to": "2023"},
        {"from": "2023-03", "to": "2023-08"},
        {"from": "2021-02-10", "to": "2021-05-20"},
        {"from": "2019-01-15", "to": "2023-12-31"},
    ]
    out: list[tuple[str, str]] = []
    for i in range(n if offered else 0):
        source = offered[0] if len(offered) == 1 else rng.choice(offered)
        measures = [m for m in catalogue if m["source"]["id"] == source]
        dims = list(measures[0]["dimensions"])
        chosen = rng.sample([m["id"] for m in measures], min(len(measures), rng.choice([1, 1, 2])))
        by = [d["id"] for d in rng.sample(dims, rng.choice([1, 1, 2, 2, 3]))]
        params: dict[str, str] = {"measure": ",".join(chosen), "by": ",".join(by)}
        params.update(rng.choice(periods))
        filterable = [d for d in dims if d["values"] and d["id"] not in by]
        if filterable and rng.random() < 0.5:
            dim = rng.choice(filterable)
            params[dim["id"]] = rng.choice(sorted(dim["values"]))
        label = f"{prefix} {i + 1:2d}: " + " ".join(f"{k}={v}" for k, v in params.items() if k != "measure")
        out.append((f"{label} [{params['measure']}]", urlencode(params)))
    return out


def plan_shape(plan: dict[str, Any]) -> str:
    """The plan's nodes that do the work, outermost first: 'HashAgg < Index Only Scan idx'."""
    names = {
        "Aggregate": lambda n: {"Hashed": "HashAgg", "Sorted": "GroupAgg", "Mixed": "MixedAgg"}.get(
            n.get("Strategy"), "Agg"
        ),
        "Seq Scan": lambda n: f"Seq Scan {n.get('Relation Name', '')}",
        "Parallel Seq Scan": lambda n: f"Par Seq Scan {n.get('Relation Name', '')}",
        "Index Only Scan": lambda n: f"Index Only {n.get('Index Name', '')}",
        "Index Scan": lambda n: f"Index Scan {n.get('Index Name', '')}",
        "Bitmap Heap Scan": lambda n: f"Bitmap {n.get('Relation Name', '')}",
        "CTE Scan": lambda n: "CTE",
        "Append": lambda n: "Append",
        "Gather": lambda n: "Gather",
        "Gather Merge": lambda n: "Gather",
        "Hash Join": lambda n: "HashJoin",
        "Sort": lambda n: "Sort",
    }
    seen: list[str] = []

    def walk(node: dict[str, Any]) -> None:
        kind = node["Node Type"]
        if kind in names:
            label = names[kind](node).replace("inspections_inspection", "inspections").strip()
            label = label.replace("reporting_inspection", "rollup:")
            if label not in seen:
                seen.append(label)
        for child in node.get("Plans", []):
            walk(child)

    walk(plan)
    return " < ".join(seen[:6])


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", type=int, default=5_000_000)
    parser.add_argument("--small", type=int, default=500_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--draws", type=int, default=24)
    parser.add_argument("--finding-draws", type=int, default=12, help="breakdowns of findings")
    parser.add_argument(
        "--other-draws", type=int, default=6, help="breakdowns of referrals, activities, hotline calls"
    )
    parser.add_argument("--seed", type=int, default=17)
    parser.add_argument("--db", default="", help="keep (and reuse) this database")
    args = parser.parse_args()
    try:
        import psycopg

        admin = psycopg.connect(PG_ADMIN_URL, autocommit=True, connect_timeout=3)
    except Exception as exc:
        print(f"SKIPPED: PostgreSQL is not reachable at {PG_ADMIN_URL} ({type(exc).__name__}: {exc}).")
        return 0
    name = args.db or f"bench_stats_{os.getpid()}"
    exists = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
    if not args.db:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
    if not (args.db and exists):
        admin.execute(f'CREATE DATABASE "{name}"')
    url = with_database(PG_ADMIN_URL, name)
    began = time.perf_counter()
    try:
        return run(args, url, reuse=bool(args.db and exists))
    finally:
        from django.db import connections

        connections.close_all()
        if args.db:
            print(f"\nKept {name}; whole run {time.perf_counter() - began:.0f} s.")
        else:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            print(f"\nDropped {name}; whole run {time.perf_counter() - began:.0f} s.")
        admin.close()


def generate(url: str, world: dict[str, Any], first: int, last: int, seed: float) -> float:
    """Inspections ``first`` .. ``last`` (1-based) generated in the database, seeded; the
    table's secondary indexes and constraints dropped before and rebuilt after (the usual bulk
    load). Returns the seconds the INSERT took (the rebuild is printed apart)."""
    import psycopg

    edges = []
    total = 0.0
    for *_rest, share, _pool in CATEGORIES:
        total += share
        edges.append(round(total, 4))
    pools = {kind: world["sites"][kind] for kind in ("venue", "construction_site", "employment_agency")}
    pools["all"] = [pk for pks in world["sites"].values() for pk in pks]

    def pick(pool: str) -> str:
        return f"(%({pool})s::int[])[1 + floor(rs * {len(pools[pool])})::int]"

    site = (
        "CASE cat "
        + " ".join(f"WHEN {i + 1} THEN {pick(c[3] or 'all')}" for i, c in enumerate(CATEGORIES))
        + " END"
    )
    categories = ",".join(f"'{c[1]}'" for c in CATEGORIES)
    agency_ids = ",".join(str(world["agencies"][c[0]]) for c in CATEGORIES)
    statuses = ",".join(f"'{s}'" for s in STATUS_NAMES)
    start = dt.datetime(YEARS[0], 1, 1, tzinfo=dt.UTC).timestamp()
    span = dt.datetime(YEARS[1] + 1, 1, 1, tzinfo=dt.UTC).timestamp() - start
    status_edges = ",".join(str(e) for e in STATUS_EDGES)
    cat_edges = ",".join(str(e) for e in edges[:-1])
    sql = f"""
        INSERT INTO inspections_inspection (uuid, site_id, category, agency_id, template_version_id,
            operation_id, planned_start, planned_end, route_order, status, priority, created_at,
            updated_at)
        SELECT gen_random_uuid(), {site}, (ARRAY[{categories}])[cat], (ARRAY[{agency_ids}])[cat],
            %(version)s, CASE WHEN rj < {JOINT_SHARE} THEN %(operation)s END, at, at + interval '1 hour',
            0, (ARRAY[{statuses}])[st], 3, now(), now()
        FROM (
            SELECT width_bucket(random(), ARRAY[{cat_edges}]::float8[]) + 1 AS cat,
                random() AS rs, random() AS rj,
                to_timestamp({start} + random() * {span}) AS at,
                width_bucket(random(), ARRAY[{status_edges}]::float8[]) + 1 AS st
            FROM generate_series(%(first)s::bigint, %(last)s::bigint)
        ) AS r
    """
    with psycopg.connect(url) as pg, pg.cursor() as cursor:
        indexes = cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'inspections_inspection' "
            "AND indexname NOT LIKE '%%_pkey'"
        ).fetchall()
        constraints = cursor.execute(
            "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE conrelid = 'inspections_inspection'::regclass AND contype IN ('u', 'f')"
        ).fetchall()
        for con, _definition in constraints:
            cursor.execute(f'ALTER TABLE inspections_inspection DROP CONSTRAINT "{con}"')
        unique = {con for con, _ in constraints}
        for index, _definition in indexes:
            if index not in unique:
                cursor.execute(f'DROP INDEX "{index}"')
        cursor.execute("SELECT setseed(%s)", [seed])
        step = time.perf_counter()
        cursor.execute(
            sql,
            {
                **pools,
                "version": world["version"],
                "operation": world["operation"],
                "first": first,
                "last": last,
            },
        )
        pg.commit()
        took = time.perf_counter() - step
        step = time.perf_counter()
        for con, definition in constraints:
            cursor.execute(f'ALTER TABLE inspections_inspection ADD CONSTRAINT "{con}" {definition}')
        for index, definition in indexes:
            if index not in unique:
                cursor.execute(definition)
        pg.commit()
        pg.autocommit = True
        cursor.execute("VACUUM ANALYZE inspections_inspection")
        print(
            f"  generated inspections {first:,}..{last:,} in the database: {took:.1f} s "
            f"({(last - first + 1) / took:,.0f} rows/s); indexes, constraints, VACUUM ANALYZE: "
            f"{time.perf_counter() - step:.1f} s"
        )
    return took


def run(args: argparse.Namespace, url: str, reuse: bool = False) -> int:
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "backend.settings")
    sys.path.insert(0, str(ROOT))
    import logging

    import django

    django.setup()
    logging.disable(logging.WARNING)
    from django.core.management import call_command
    from django.test.utils import setup_test_environment

    setup_test_environment()
    step = time.perf_counter()
    call_command("migrate", verbosity=0)
    print(f"migrate: {time.perf_counter() - step:.1f} s")

    from backend.checklists.selectors import template_version_latest
    from backend.checklists.services import checklists_load_builtin
    from backend.inspections.models import Inspection, Operation
    from backend.registry.models import Company, Officer, Site
    from tests import factories

    loaded = Inspection.objects.count() if reuse else 0
    if reuse and loaded >= args.rows:
        print(f"reusing the database's {loaded:,} inspections (no generation, no small size)")
        analyst = Officer.objects.get(user__username="bench-analyst")
        return measure_sizes(args, url, analyst, world=None, loaded=loaded)
    if loaded:
        print(f"{loaded:,} inspections in the database, fewer than --rows: drop it or name another")
        return 1
    checklists_load_builtin()
    profiles = finding_profiles()
    codes = {f["agency"] for listed in profiles.values() for p in listed for f in p}
    agencies = {code: factories.agency(code) for code in sorted({"PSP", "DSAL", "PJ", "IAS"} | codes)}
    analyst = factories.officer("PJ", username="bench-analyst", roles=("analyst",))
    inspectors = {
        agencies[code].pk: factories.officer(code, username=f"bench-{code.lower()}", roles=("inspector",)).pk
        for code in ("PSP", "DSAL")
    }
    version = template_version_latest(code="venue_prostitution_trafficking")
    rng = random.Random(args.seed)
    companies = Company.objects.bulk_create(
        [Company(kind="operator", name_en=f"Operator {i}") for i in range(900)], batch_size=1000
    )
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
                    operator=rng.choice(companies) if rng.random() < 0.8 else None,
                )
            )
    Site.objects.bulk_create(sites, batch_size=1000)
    by_kind: dict[str, list[int]] = {}
    for pk, kind in Site.objects.values_list("pk", "kind"):
        by_kind.setdefault(kind, []).append(pk)
    operation = Operation.objects.create(
        name="Thunder",
        lead_agency=agencies["PSP"],
        starts_at=dt.datetime(2019, 1, 1, tzinfo=dt.UTC),
        ends_at=dt.datetime(2024, 1, 1, tzinfo=dt.UTC),
        reveal_at=dt.datetime(2019, 1, 1, tzinfo=dt.UTC),
        status=Operation.Status.CLOSED,
    )
    world = {
        "sites": by_kind,
        "agencies": {code: a.pk for code, a in agencies.items()},
        "version": version.pk,
        "operation": operation.pk,
        "profiles": profiles,
        "inspectors": {str(k): v for k, v in inspectors.items()},
        "agency_codes": {code: a.pk for code, a in agencies.items()},
    }
    return measure_sizes(args, url, analyst, world=world, loaded=0)


# --- Findings, referrals and outreach -------------------------------------------------------------
# In the proportions of the demo's five years (backend.demo.history), which hold the seed report's
# counts (REFERENCE.md §5, report_2019_2023.json: 12,835 inspections, 84 + 2 calls to the 24-hour
# hotline, 680 to the forced-labour one, 693 prevention sessions) and, where the seed gives none,
# the demo's stated assumptions (the share of inspections whose checklist found something, 10
# potential victims referred in five years). Scaled to the inspections generated.


def seed_inspections() -> int:
    from backend.demo.history import INSPECTIONS

    return sum(total for _agency, _category, total, _where in INSPECTIONS)


def finding_profiles() -> dict[str, list[list[dict[str, Any]]]]:
    """For each category whose checklist the demo answers, the findings the checklist engine
    derives from the demo's answers for each problem and pair of problems (the demo finds one
    problem in two visits of three with findings, two in the third), weighted by repetition; and,
    under ``victim``, those of a venue visit that screened a potential victim (a minor, documents
    held). The findings are the engine's own: rule, violation, severity, competent agency, title."""
    import itertools

    from backend.checklists import engine
    from backend.checklists.selectors import template_version_latest
    from backend.checklists.services import parsed_definition
    from backend.demo import answers
    from backend.demo.history import FINDING_RATES, TEMPLATES

    def derive(template: str, problems: tuple[str, ...]) -> list[dict[str, Any]]:
        rng = random.Random(f"bench/{template}/{problems}")
        place = {"lat": 22.19, "lon": 113.54, "problems": problems}
        if template == "venue_prostitution_trafficking":
            given = answers.venue(rng, venue_type="sauna", **place)
        elif template == "construction_illegal_employment":
            given = answers.construction(rng, contractor="Contractor 1", **place)
        else:
            given = answers.employment_agency(rng, licence="AE-0001", **place)
        definition = parsed_definition(template_version_latest(code=template))
        derivation = engine.derive(definition, given)
        assert not derivation.validation.errors, derivation.validation.errors[:3]
        return [
            {
                "rule_code": f.rule_code,
                "violation_code": f.violation_code,
                "severity": f.severity,
                "legal_basis": f.legal_basis,
                "agency": f.competent_agency,
                "title": {"en": f.title.en, "zh-hant": f.title.zh_hant, "pt": f.title.pt},
                "entry_path": f.entry_path or "",
                "potential_victim": f.potential_victim,
            }
            for f in derivation.findings
        ]

    out: dict[str, list[list[dict[str, Any]]]] = {}
    for category in FINDING_RATES:
        template = TEMPLATES[category]
        problems = [p for p in answers.PROBLEMS[template] if p != "minor"]  # victims as counted
        pairs = list(itertools.combinations(problems, 2))
        profiles = [derive(template, (p,)) for p in problems] * (2 * max(1, len(pairs)))
        profiles += [derive(template, pair) for pair in pairs] * len(problems)
        out[category] = [p for p in profiles if p]
    out["victim"] = [derive("venue_prostitution_trafficking", ("minor", "documents_held"))]
    return out


def generate_related(url: str, world: dict[str, Any], after_id: int, inspections: int, seed: float) -> None:
    """Submissions and findings for the inspections above ``after_id``, the referrals of their
    potential victims, and prevention activities and hotline calls for ``inspections`` more
    inspections' worth of years, in the database (seeded)."""
    import psycopg

    from backend.demo.history import (
        ACTIVITIES,
        FINDING_RATES,
        FORCED_LABOUR_CALLS,
        HOTLINE_24H_HELP,
        HOTLINE_24H_INQUIRIES,
        INSPECTIONS,
        REFERRALS,
    )

    scale = inspections / seed_inspections()
    venue_visits = sum(t for _a, c, t, _w in INSPECTIONS if c == "prostitution_trafficking")
    # A venue visit of prostitution_trafficking screened a potential victim: 10 in 1,426.
    victim_rate = sum(REFERRALS.values()) / venue_visits
    profiles = world["profiles"]
    kinds = {
        "prostitution_trafficking": "venue",
        "illegal_employment": "construction_site",
        "employment_agency": "employment_agency",
    }
    rows = []  # (category, profile number, finding's fields)
    for category, listed in profiles.items():
        for number, profile in enumerate(listed, start=1):
            for f in profile:
                rows.append((category, number, f))
    with psycopg.connect(url) as pg, pg.cursor() as cursor:
        cursor.execute("SELECT setseed(%s)", [seed])
        cursor.execute(
            "CREATE TEMP TABLE bench_profile (category text, number int, rule_code text, "
            "violation_code text, severity text, legal_basis text, agency_code text, title jsonb, "
            "entry_path text, potential_victim boolean)"
        )
        cursor.executemany(
            "INSERT INTO bench_profile VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
            [
                (
                    c,
                    n,
                    f["rule_code"],
                    f["violation_code"],
                    f["severity"],
                    f["legal_basis"],
                    f["agency"],
                    json.dumps(f["title"]),
                    f["entry_path"],
                    f["potential_victim"],
                )
                for c, n, f in rows
            ],
        )
        counts = {c: len(listed) for c, listed in profiles.items()}
        rates = " ".join(f"WHEN '{c}' THEN {r}" for c, r in FINDING_RATES.items())
        sizes = " ".join(f"WHEN '{c}' THEN {n}" for c, n in counts.items())
        wanted = " OR ".join(f"(i.category = '{c}' AND s.kind = '{k}')" for c, k in kinds.items())
        step = time.perf_counter()
        # The visits that found something: conducted (submitted, reviewed, closed), on a site the
        # category's checklist is for; a venue visit screened a potential victim first.
        cursor.execute(
            f"""
            CREATE TEMP TABLE bench_found AS
            SELECT id, category, at, CASE WHEN victim THEN 'victim' ELSE category END AS profile_of,
                CASE WHEN victim THEN 1 ELSE 1 + floor(rp * (CASE category {sizes} END))::int END AS number,
                status
            FROM (
                SELECT i.id, i.category, i.status, random() AS rf, random() AS rp,
                    i.planned_start + interval '1 hour' + random() * interval '4 hours' AS at,
                    i.category = 'prostitution_trafficking' AND random() < {victim_rate} AS victim
                FROM inspections_inspection i JOIN registry_site s ON s.id = i.site_id
                WHERE i.id > %(after)s AND i.status IN ('submitted', 'reviewed', 'closed') AND ({wanted})
            ) AS c
            WHERE victim OR rf < CASE category {rates} END
            """,
            {"after": after_id},
        )
        visits = cursor.rowcount
        cursor.execute(
            """
            INSERT INTO inspections_submission (uuid, inspection_id, officer_id, template_version_id,
                revision, answers, content_digest, status, score, device_submitted_at, received_at,
                clock_skewed)
            SELECT gen_random_uuid(), f.id, (%(officers)s::jsonb ->> i.agency_id::text)::bigint,
                i.template_version_id, 1, '{}'::jsonb, md5(f.id::text) || md5(f.at::text),
                'accepted', '{}'::jsonb, f.at, f.at, false
            FROM bench_found f JOIN inspections_inspection i ON i.id = f.id
            """,
            {"officers": json.dumps(world["inspectors"])},
        )
        # Awaiting review while the inspection is submitted; official once reviewed or closed.
        cursor.execute(
            """
            INSERT INTO inspections_finding (uuid, submission_id, inspection_id, rule_code,
                violation_code, severity, legal_basis, competent_agency_id, competent_agency_code,
                title, entry_path, potential_victim, evidence, status, created_at)
            SELECT gen_random_uuid(), s.id, f.id, p.rule_code, p.violation_code, p.severity,
                p.legal_basis, (%(agencies)s::jsonb ->> p.agency_code)::bigint, p.agency_code,
                p.title, p.entry_path, p.potential_victim, '[]'::jsonb,
                CASE WHEN f.status = 'submitted' THEN 'draft' ELSE 'official' END, s.received_at
            FROM bench_found f
            JOIN inspections_submission s ON s.inspection_id = f.id
            JOIN bench_profile p ON p.category = f.profile_of AND p.number = f.number
            """,
            {"agencies": json.dumps(world["agency_codes"])},
        )
        findings = cursor.rowcount
        # Each potential victim referred to protection at once, assessed and closed (the demo's
        # path); coded fields spread over their choices.
        cursor.execute(
            """
            INSERT INTO compliance_referral (uuid, key, finding_id, referring_agency_id,
                referred_to_code, site_id, observed_at, screened_at, language, urgency, indicators,
                nationality_band, sex, age_band, status, assessment, created_at, notified_at, closed_at)
            SELECT gen_random_uuid(), 'bench:' || fi.uuid, fi.id, fi.competent_agency_id, 'IAS',
                i.site_id, fi.created_at, fi.created_at, '', 'immediate', '[]'::jsonb,
                (ARRAY['mainland_china', 'south_east_asia', 'south_east_asia', 'south_asia',
                       'other', 'unknown'])[1 + floor(random() * 6)::int],
                (ARRAY['F', 'F', 'F', 'M', 'U'])[1 + floor(random() * 5)::int],
                (ARRAY['under_16', '16_17', '16_17', '18_25'])[1 + floor(random() * 4)::int],
                'closed', CASE WHEN random() < 0.2 THEN 'identified' ELSE 'not_identified' END,
                fi.created_at, fi.created_at + interval '10 minutes', fi.created_at + interval '30 days'
            FROM inspections_finding fi JOIN inspections_inspection i ON i.id = fi.inspection_id
            WHERE fi.potential_victim AND fi.inspection_id > %(after)s
            """,
            {"after": after_id},
        )
        referrals = cursor.rowcount
        start = dt.date(YEARS[0], 1, 1)
        days = (dt.date(YEARS[1], 12, 31) - start).days + 1
        activity_rows = 0
        for kind, audience, organiser, sessions, participants in ACTIVITIES:
            n = round(sessions * scale)
            cursor.execute(
                """
                INSERT INTO outreach_activity (uuid, kind, title, organiser_id, organiser_text,
                    audience, held_on, sessions, participants, created_at)
                SELECT gen_random_uuid(), %(kind)s, '', %(organiser)s, %(text)s, %(audience)s,
                    %(start)s::date + floor(random() * %(days)s)::int, 1,
                    greatest(1, round(%(mean)s * (0.5 + random())))::int, now()
                FROM generate_series(1, %(n)s::int)
                """,
                {
                    "kind": kind,
                    "audience": audience,
                    "organiser": world["agencies"].get(organiser),
                    "text": "" if organiser else "not stated in seed facts",
                    "start": start,
                    "days": days,
                    "mean": participants / sessions,
                    "n": n,
                },
            )
            activity_rows += n
        calls = [
            ("report_assistance_24h", "inquiry", "information_given", HOTLINE_24H_INQUIRIES),
            ("report_assistance_24h", "help", "referred_police", sum(HOTLINE_24H_HELP.values())),
            ("forced_labour", "inquiry", "information_given", round(FORCED_LABOUR_CALLS * 0.88)),
            ("forced_labour", "report", "referred_labour", round(FORCED_LABOUR_CALLS * 0.12)),
        ]
        call_rows = 0
        for hotline, kind, outcome, n in calls:
            n = round(n * scale)
            cursor.execute(
                """
                INSERT INTO outreach_hotlinecall (uuid, hotline, kind, outcome, received_on, created_at)
                SELECT gen_random_uuid(), %(hotline)s, %(kind)s, %(outcome)s,
                    %(start)s::date + floor(random() * %(days)s)::int, now()
                FROM generate_series(1, %(n)s::int)
                """,
                {"hotline": hotline, "kind": kind, "outcome": outcome, "start": start, "days": days, "n": n},
            )
            call_rows += n
        pg.commit()
        pg.autocommit = True
        for table in (
            "inspections_submission",
            "inspections_finding",
            "compliance_referral",
            "outreach_activity",
            "outreach_hotlinecall",
        ):
            cursor.execute(f"VACUUM ANALYZE {table}")
        print(
            f"  generated for them: {visits:,} submissions with findings ({visits / inspections:.1%} "
            f"of the inspections), {findings:,} findings, {referrals:,} referrals, "
            f"{activity_rows:,} prevention activities, {call_rows:,} hotline calls: "
            f"{time.perf_counter() - step:.1f} s"
        )


def measure_sizes(args: argparse.Namespace, url: str, analyst: Any, world: Any, loaded: int) -> int:
    """Generate (unless ``world`` is None: the rows are there) and measure at each size."""
    import psycopg
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from backend.reporting.selectors import statistics_catalogue
    from backend.reporting.services import rollup_check, rollup_refresh
    from tests.browser_support import sign_in_client
    from tests.conftest import PASSWORD

    client = Client()
    sign_in_client(client, analyst.user.username, PASSWORD)  # the console's sign-in page, as analysts do
    catalogue = statistics_catalogue(user=analyst.user)
    queries = (
        DASHBOARDS
        + FINDINGS_NAMED
        + draws(catalogue, args.draws, args.seed)
        + draws(catalogue, args.finding_draws, args.seed, ("findings",))
        + draws(catalogue, args.other_draws, args.seed, ("referrals", "activities", "hotline"))
    )

    def measure_all(size: int) -> dict[str, tuple[str, str, float, float]]:
        out = {}
        with psycopg.connect(url, autocommit=True) as pg:
            for label, params in queries:
                path = "/api/v1/statistics/query/?" + params
                with CaptureQueriesContext(connection) as captured:
                    response = client.get(path)
                assert response.status_code == 200, response.content[:500]
                used = response.json().get("computed_from", "?")
                level = response.json().get("rollup_level") or ""
                # The statement that reads the figures (the rest: session, user, freshness).
                reads = [
                    q["sql"] for q in captured.captured_queries if any(t in q["sql"] for t in READ_TABLES)
                ]
                # None: the engine knew no row could match (e.g. a status no distinct count counts).
                statement = max(reads, key=len) if reads else None
                shape = "(no statement)"
                if statement is not None:
                    plan = pg.execute("EXPLAIN (FORMAT JSON) " + statement).fetchone()[0]
                    plan = plan if isinstance(plan, list) else json.loads(plan)
                    shape = plan_shape(plan[0]["Plan"])
                first = time.perf_counter()
                client.get(path)
                once = time.perf_counter() - first
                repeat = args.repeat if once < 0.5 else 2
                api_ms = median_ms(lambda path=path: client.get(path), repeat)
                sql_ms = median_ms(lambda s=statement: pg.execute(s).fetchall(), repeat) if statement else 0.0
                out[label] = (f"{used} {level}".strip(), shape, api_ms, sql_ms)
        print(f"  measured {len(queries)} queries at {size:,} inspections")
        return out

    results = {}
    sizes = [args.small, args.rows] if args.small and args.small < args.rows else [args.rows]
    if world is None:
        sizes = [loaded]
    for size in sizes:
        print(f"\n== {size:,} inspections")
        if world is not None:
            with psycopg.connect(url) as pg:
                after = pg.execute("SELECT coalesce(max(id), 0) FROM inspections_inspection").fetchone()[0]
            generate(url, world, loaded + 1, size, seed=0.17 + size / 1e9)
            generate_related(url, world, after, size - loaded, seed=0.19 + size / 1e9)
        loaded = size
        step = time.perf_counter()
        refreshed = rollup_refresh(sources=["inspections", "findings"], full=True)
        with psycopg.connect(url, autocommit=True) as pg:
            counts = {
                table: pg.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
                for table in (
                    "reporting_inspectionrollup",
                    "reporting_inspectionmonthrollup",
                    "reporting_inspectionsitemonthrollup",
                    "reporting_inspectionsiteweekrollup",
                    "reporting_inspectiondaydistinct",
                    "reporting_inspectionweekdistinct",
                    "reporting_findingrollup",
                    "inspections_finding",
                )
            }
            pg.execute("VACUUM ANALYZE")
        print(
            f"  rollups full build: {time.perf_counter() - step:.1f} s over "
            f"{refreshed.days['inspections']:,} days: {counts['reporting_inspectionrollup']:,} daily rows, "
            f"{counts['reporting_inspectionmonthrollup']:,} monthly, "
            f"{counts['reporting_inspectionsitemonthrollup']:,} per site and month, "
            f"{counts['reporting_inspectionsiteweekrollup']:,} per site and week; distinct counts: "
            f"{counts['reporting_inspectiondaydistinct']:,} per day, "
            f"{counts['reporting_inspectionweekdistinct']:,} per week; findings: "
            f"{counts['reporting_findingrollup']:,} daily rows for {counts['inspections_finding']:,}"
        )
        step = time.perf_counter()
        rollup_refresh(sources=["inspections"], days=[dt.date(2023, 6, 1)])
        print(
            f"  refresh of one named day (daily, monthly and per-site rows of its month): "
            f"{(time.perf_counter() - step) * 1000:.0f} ms"
        )
        step = time.perf_counter()
        check = rollup_check(
            source="inspections", date_from=dt.date(2023, 1, 1), date_to=dt.date(2023, 12, 31)
        )
        print(
            f"  rollup check of 2023 (raw vs every rollup): {time.perf_counter() - step:.1f} s, ok={check.ok}"
        )
        check = rollup_check(source="findings", date_from=dt.date(2023, 1, 1), date_to=dt.date(2023, 12, 31))
        print(f"  findings rollup check of 2023: ok={check.ok}")
        results[size] = measure_all(size)

    small, large = sizes[0], sizes[-1]
    print(
        f"\n{'query':78} {'path':12} {'plan (outermost first)':58} "
        + (f"{'ms@' + format(small, ','):>12} " if len(sizes) > 1 else "")
        + f"{'ms@' + format(large, ','):>12} {'growth':>7} {'API/SQL':>8}"
    )
    over = []
    for label, _params in queries:
        used, shape, api_ms, sql_ms = results[large][label]
        line = f"{label[:78]:78} {used:12} {shape[:58]:58} "
        if len(sizes) > 1:
            small_ms = results[small][label][2]
            line += f"{small_ms:12.1f} {api_ms:12.1f} {api_ms / small_ms:6.1f}x "
        else:
            line += f"{api_ms:12.1f} {'':7} "
        line += f"{api_ms / sql_ms:8.2f}" if sql_ms else f"{'-':>8}"
        print(line)
        if api_ms > 1000:
            over.append(label)
    times = sorted(r[2] for r in results[large].values())
    dashboards = [results[large][label][2] for label, _ in DASHBOARDS[:6] + FINDINGS_NAMED[:3]]
    print(
        f"\nAt {large:,}: median {statistics.median(times):.0f} ms, worst {times[-1]:.0f} ms, "
        f"{len(over)} of {len(queries)} over 1 s; dashboards {min(dashboards):.1f}-{max(dashboards):.1f} ms"
    )
    groups = {
        "inspections": [q[0] for q in queries if q in DASHBOARDS or q[0].startswith("draw")],
        "findings": [q[0] for q in queries if q[0].startswith("findings")],
        "referrals and outreach": [q[0] for q in queries if q[0].startswith("other draw")],
    }
    for group, labels in groups.items():
        if not labels:
            continue
        ms = sorted(results[large][label][2] for label in labels)
        worst = max(labels, key=lambda label: results[large][label][2])
        print(
            f"  {group}: {len(labels)} queries, median {statistics.median(ms):.0f} ms, worst {ms[-1]:.0f} ms "
            f"({worst}), {sum(m > 1000 for m in ms)} over 1 s"
        )
    with psycopg.connect(url) as pg:
        version_text = pg.execute("SHOW server_version").fetchone()[0]
    print(f"PostgreSQL {version_text}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
