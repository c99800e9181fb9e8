"""Synthetic Macao-size planning: routine programmes and joint operations.

Usage: python tests/benchmarks/bench_scheduler.py [--full] [--seed 1] [--workers 1]

Quick by default (about two to three minutes); ``--full`` runs the issue's sizes with 60 s
per solve and the scaling series up to 3,000 visits:

* routine week: 60 officers, 5 days, 400 visits (the first benchmark, for comparison);
* joint night: 40 venues, 2 waves, 80 officers (the first benchmark, for comparison);
* joint operation: three nights, three waves a night, 300 targets, 250 officers: time to a
  first feasible plan, the plan after the time limit, and the gap to the proven lower bound
  (LP relaxation) after 0, 5, 15 s (--full: 0, 10, 30, 60 s);
* programme: four weeks, 2,000 due inspections, 80 officers: the same two figures;
* scaling: 100, 300, 1,000 (and with --full 3,000) visits over four weeks at a fixed short
  time limit: model building time, search time, coverage.

Every plan is checked by the evaluator; the table at the end gives, per run, the wall time,
the process's CPU time (the machine may be shared: wall time then overstates the work), the
model building time, coverage, travel and the workload spread. Figures only: it never
fails on time.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections import Counter
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from scheduler.solver import (
    Depot,
    JointOperation,
    Officer,
    Problem,
    Site,
    SolveOptions,
    TeamRequirement,
    Visit,
    Wave,
    evaluate,
    plan_joint,
    plan_routine,
)
from scheduler.solver.bound import gap, joint_bound
from scheduler.solver.joint import _sessions

DAY = 1440
DEPOTS = (
    Depot("HQ", 22.1967, 113.5439),  # peninsula
    Depot("NORTH", 22.2130, 113.5470),  # Areia Preta
    Depot("TAIPA", 22.1560, 113.5580),
    Depot("COTAI", 22.1400, 113.5630),
)
AREAS = [
    (22.195, 113.545, 0.012),
    (22.212, 113.548, 0.008),
    (22.157, 113.556, 0.010),
    (22.140, 113.565, 0.010),
]


def point(rng: random.Random) -> tuple[float, float]:
    lat, lon, r = rng.choice(AREAS)
    return (round(lat + rng.uniform(-r, r), 5), round(lon + rng.uniform(-r, r), 5))


def routine_instance(rng: random.Random, n_officers: int, days: int, n_visits: int) -> Problem:
    sites = []
    for i in range(int(n_visits * 0.8)):
        lat, lon = point(rng)
        kind = rng.random()
        if kind < 0.25:  # entertainment venue, open 20:00-04:00
            opening = tuple((d * DAY + 20 * 60, d * DAY + 28 * 60) for d in range(days))
        elif kind < 0.7:  # employment agency, office hours
            opening = tuple((d * DAY + 9 * 60, d * DAY + 18 * 60) for d in range(days))
        else:  # construction site
            opening = None
        sites.append(Site(f"S{i:04d}", lat, lon, f"C{rng.randrange(n_visits // 3):03d}", opening))
    officers = []
    for i in range(n_officers):
        agency = "DSAL" if i % 2 == 0 else ("PSP" if i % 4 == 1 else "DSAT")
        skills = {"labour_inspector"} if agency == "DSAL" else set()
        if rng.random() < 0.15:
            skills.add(rng.choice(["lang:tl", "lang:id", "lang:vi"]))
        if rng.random() < 0.2:
            skills.add("first_aid")
        night = i % 5 == 0
        start, end = (20 * 60, 28 * 60) if night else (9 * 60, 17 * 60 + 30)
        shifts = tuple((d * DAY + start, d * DAY + end) for d in range(days) if rng.random() < 0.85)
        officers.append(
            Officer(
                f"O{i:03d}",
                agency,
                DEPOTS[i % len(DEPOTS)].id,
                frozenset(skills),
                "F" if rng.random() < 0.35 else "M",
                rng.randint(1, 5),
                shifts,
            )
        )
    visits = []
    for i in range(n_visits):
        s = rng.choice(sites)
        first = rng.randrange(days)
        last = min(days, first + rng.randint(1, days))
        team = TeamRequirement(
            female=rng.random() < 0.1,
            agencies=frozenset({"PSP"}) if rng.random() < 0.1 else frozenset(),
            languages=frozenset({rng.choice(["tl", "id", "vi"])}) if rng.random() < 0.05 else frozenset(),
        )
        skills = frozenset({"labour_inspector"}) if rng.random() < 0.3 else frozenset()
        visits.append(
            Visit(
                f"V{i:04d}",
                s.id,
                first * DAY,
                last * DAY + 6 * 60,
                rng.choice([30, 45, 60, 90]),
                rng.randint(1, 5),
                skills,
                team,
            )
        )
    conflicts = {
        o.id: frozenset([*rng.sample([s.id for s in sites], 2), f"C{rng.randrange(50):03d}"])
        for o in officers
    }
    last_visits = {
        o.id: {rng.choice(sites).id: -rng.randint(1, 60) * DAY for _ in range(5)} for o in officers
    }
    return Problem(
        DEPOTS,
        tuple(sites),
        tuple(officers),
        tuple(visits),
        conflicts=conflicts,
        last_visits=last_visits,
        rotation_gap_days=30,
        max_overtime=30,
    )


def joint_instance(rng: random.Random, n_venues: int, n_officers: int) -> Problem:
    night = ((20 * 60, 28 * 60),)
    sites = tuple(Site(f"N{i:03d}", *point(rng), f"K{i:03d}", night) for i in range(n_venues))
    officers = []
    for i in range(n_officers):
        agency = ("PSP", "DSAL", "PSP", "DSAL", "SA")[i % 5]  # police, labour, customs
        skills = {"labour_inspector"} if agency == "DSAL" else set()
        if rng.random() < 0.2:
            skills.add(rng.choice(["lang:tl", "lang:id", "lang:vi"]))
        officers.append(
            Officer(
                f"J{i:03d}",
                agency,
                "HQ",
                frozenset(skills),
                "F" if rng.random() < 0.35 else "M",
                rng.randint(1, 5),
                ((20 * 60, 29 * 60),),
            )
        )
    visits = []
    for i, s in enumerate(sites):
        team = TeamRequirement(
            female=rng.random() < 0.5,
            languages=frozenset({rng.choice(["tl", "id", "vi"])}) if rng.random() < 0.2 else frozenset(),
            min_leader_rank=3,
        )
        visits.append(
            Visit(f"T{i:03d}", s.id, 0, 2 * DAY, rng.choice([45, 60, 75]), rng.randint(1, 5), team=team)
        )
    op = JointOperation(
        waves=(Wave("W1", 22 * 60 + 30), Wave("W2", 24 * 60 + 30)),
        depot_id="HQ",
        start=21 * 60,
        end=28 * 60,
        team_min_size=3,
        team_max_size=5,
        team_rule=TeamRequirement(agencies=frozenset({"PSP", "DSAL"})),
        sync_tolerance=10,
    )
    conflicts = {o.id: frozenset({rng.choice(sites).id}) for o in officers if rng.random() < 0.2}
    return Problem((DEPOTS[0],), sites, tuple(officers), tuple(visits), conflicts=conflicts, operation=op)


def programme_instance(rng: random.Random, n_officers: int, days: int, n_visits: int) -> Problem:
    """A routine programme over weeks: officers work weekdays (nine days in ten), one in five
    on nights; due windows of three days to two weeks; agencies open on weekdays only."""
    sites = []
    for i in range(int(n_visits * 0.8)):
        lat, lon = point(rng)
        kind = rng.random()
        if kind < 0.2:  # entertainment venue, open 20:00-04:00 every night
            opening = tuple((d * DAY + 20 * 60, d * DAY + 28 * 60) for d in range(days))
        elif kind < 0.65:  # employment agency, office hours on weekdays
            opening = tuple((d * DAY + 9 * 60, d * DAY + 18 * 60) for d in range(days) if d % 7 < 5)
        else:  # construction site
            opening = None
        sites.append(Site(f"S{i:05d}", lat, lon, f"C{rng.randrange(max(1, n_visits // 3)):04d}", opening))
    officers = []
    for i in range(n_officers):
        agency = "DSAL" if i % 2 == 0 else ("PSP" if i % 4 == 1 else "DSAT")
        skills = {"labour_inspector"} if agency == "DSAL" else set()
        if rng.random() < 0.15:
            skills.add(rng.choice(["lang:tl", "lang:id", "lang:vi"]))
        night = i % 5 == 0
        start, end = (20 * 60, 28 * 60) if night else (9 * 60, 17 * 60 + 30)
        shifts = tuple(
            (d * DAY + start, d * DAY + end) for d in range(days) if d % 7 < 5 and rng.random() < 0.9
        )
        officers.append(
            Officer(
                f"O{i:03d}",
                agency,
                DEPOTS[i % len(DEPOTS)].id,
                frozenset(skills),
                "F" if rng.random() < 0.35 else "M",
                rng.randint(1, 5),
                shifts,
            )
        )
    visits = []
    for i in range(n_visits):
        s = rng.choice(sites)
        first = rng.randrange(days)
        last = min(days, first + rng.randint(3, 14))
        team = TeamRequirement(
            female=rng.random() < 0.1,
            agencies=frozenset({"PSP"}) if rng.random() < 0.1 else frozenset(),
            languages=frozenset({rng.choice(["tl", "id", "vi"])}) if rng.random() < 0.05 else frozenset(),
        )
        skills = frozenset({"labour_inspector"}) if rng.random() < 0.3 else frozenset()
        visits.append(
            Visit(
                f"V{i:05d}",
                s.id,
                first * DAY,
                last * DAY + 6 * 60,
                rng.choice([30, 45, 60, 90]),
                rng.randint(1, 5),
                skills,
                team,
            )
        )
    conflicts = {
        o.id: frozenset([*rng.sample([s.id for s in sites], 2), f"C{rng.randrange(50):04d}"])
        for o in officers
    }
    last_visits = {
        o.id: {rng.choice(sites).id: -rng.randint(1, 60) * DAY for _ in range(5)} for o in officers
    }
    return Problem(
        DEPOTS,
        tuple(sites),
        tuple(officers),
        tuple(visits),
        conflicts=conflicts,
        last_visits=last_visits,
        rotation_gap_days=30,
        max_overtime=30,
    )


def operation_instance(rng: random.Random, n_targets: int, n_officers: int, nights: int = 3) -> Problem:
    """A multi-night joint operation: three waves a night, venues open 20:00-05:00.

    Half the targets are grouped by the planners into one wave, a third into one night (any of
    its waves), the rest may go in any wave. Officers are on duty on nine nights in ten.
    """
    waves = tuple(
        Wave(f"N{n + 1}W{k + 1}", n * DAY + start)
        for n in range(nights)
        for k, start in enumerate((22 * 60, 24 * 60, 26 * 60))
    )
    sites = []
    for i in range(n_targets):
        opening = tuple((d * DAY + 20 * 60, d * DAY + 29 * 60) for d in range(nights))
        sites.append(Site(f"N{i:03d}", *point(rng), f"K{i // 2:03d}", opening))
    officers = []
    for i in range(n_officers):
        agency = ("PSP", "DSAL", "PSP", "DSAL", "SA", "PSP", "DSAL", "DSAT")[i % 8]
        skills = {"labour_inspector"} if agency == "DSAL" else set()
        if rng.random() < 0.15:
            skills.add(rng.choice(["lang:tl", "lang:id", "lang:vi"]))
        shifts = tuple((d * DAY + 20 * 60, d * DAY + 29 * 60) for d in range(nights) if rng.random() < 0.9)
        officers.append(
            Officer(
                f"J{i:03d}",
                agency,
                "HQ",
                frozenset(skills),
                "F" if rng.random() < 0.35 else "M",
                rng.randint(1, 5),
                shifts,
            )
        )
    visits = []
    for i, s in enumerate(sites):
        team = TeamRequirement(
            female=rng.random() < 0.4,
            languages=frozenset({rng.choice(["tl", "id", "vi"])}) if rng.random() < 0.15 else frozenset(),
        )
        kind = rng.random()
        night = rng.randrange(nights)
        if kind < 0.5:
            allowed = frozenset({f"N{night + 1}W{rng.randint(1, 3)}"})
        elif kind < 0.8:
            allowed = frozenset(f"N{night + 1}W{k}" for k in (1, 2, 3))
        else:
            allowed = frozenset()
        visits.append(
            Visit(
                f"T{i:03d}",
                s.id,
                0,
                nights * DAY + 6 * 60,
                rng.choice([45, 60, 75]),
                rng.randint(1, 5),
                team=team,
                waves=allowed,
            )
        )
    op = JointOperation(
        waves=waves,
        depot_id="HQ",
        start=21 * 60,
        end=(nights - 1) * DAY + 29 * 60,
        team_min_size=4,
        team_max_size=6,
        team_rule=TeamRequirement(agencies=frozenset({"PSP", "DSAL"}), min_leader_rank=3),
        sync_tolerance=10,
    )
    conflicts = {
        o.id: frozenset(rng.sample([s.id for s in sites], 2)) for o in officers if rng.random() < 0.2
    }
    last_visits = {
        o.id: {rng.choice(sites).id: -rng.randint(1, 20) * DAY} for o in officers if rng.random() < 0.3
    }
    return Problem(
        (DEPOTS[0],),
        tuple(sites),
        tuple(officers),
        tuple(visits),
        conflicts=conflicts,
        last_visits=last_visits,
        rotation_gap_days=30,
        operation=op,
    )


ROWS: list[tuple] = []


def run(title: str, problem: Problem, solve, *, detail: bool = True) -> None:
    t0, c0 = time.perf_counter(), time.process_time()
    plan = solve()
    wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    ev = evaluate(problem, plan)
    o = ev.objective
    total_prio = o.priority_covered + o.priority_missed
    stats = plan.stats
    ROWS.append(
        (
            title,
            wall,
            cpu,
            stats.get("build", float("nan")),
            stats.get("build_cpu", float("nan")),
            f"{o.visits_covered}/{len(problem.visits)}",
            100 * o.priority_covered / max(1, total_prio),
            o.travel_minutes,
            f"{o.workload_min}-{o.workload_max}",
            o.workload_std,
            len(ev.violations),
        )
    )
    if not detail:
        return
    print(f"== {title}")
    print(
        f"  visits {len(problem.visits)}, covered {o.visits_covered}"
        f" ({100 * o.visits_covered / max(1, len(problem.visits)):.1f} %),"
        f" priority covered {100 * o.priority_covered / max(1, total_prio):.1f} %"
    )
    print(f"  unplanned by reason: {dict(Counter(u.reason for u in plan.unplanned))}")
    print(
        f"  routes {len(plan.routes)}, officers deployed {sum(len(r.officer_ids) for r in plan.routes)},"
        f" travel {o.travel_minutes} min, waiting {o.waiting_minutes} min, overtime {o.overtime_minutes} min"
    )
    print(f"  workload per officer: min {o.workload_min}, max {o.workload_max}, std {o.workload_std:.1f} min")
    print(f"  evaluator violations: {len(ev.violations)} {sorted(ev.codes())}")
    shown = {k: (round(v, 2) if isinstance(v, float) else v) for k, v in stats.items()}
    print(f"  wall {wall:.1f} s (incl. model building), solver stats {shown}", flush=True)


def gap_over_time(problem: Problem, limits, joint_opts) -> None:
    """The joint operation's objective against its proven lower bound (the LP relaxation of
    the wave model, scheduler/solver/bound.py), for growing time limits: one run per limit
    (same seed), the bound computed once. Goal (#17): a first plan < 10 s, within 5 % by 60 s."""
    waves = sorted(problem.operation.waves, key=lambda w: (w.start, w.id))
    c0 = time.process_time()
    bound = joint_bound(problem, _sessions(problem.operation, waves), waves)
    bound_cpu = time.process_time() - c0
    print("== operation 3 nights/300 targets/250 officers: gap to the proven bound over time")
    print(
        f"  bound {bound.value:.1f} (LP: {bound.variables} variables, {bound.constraints} rows,"
        f" {bound.seconds:.1f} s wall, {bound_cpu:.1f} s CPU; LP travel {bound.travel:.0f} min,"
        f" officers {bound.officers:.0f})"
    )
    print(f"  {'limit s':>8} {'wall s':>7} {'cpu s':>6} {'objective':>10} {'gap %':>7}  feasible")
    for limit in limits:
        t0, c0 = time.perf_counter(), time.process_time()
        plan = plan_joint(problem, options=replace(joint_opts(limit), lower_bound=False))
        wall, cpu = time.perf_counter() - t0, time.process_time() - c0
        objective = plan.stats["objective"]
        ok = "yes" if evaluate(problem, plan).feasible else "NO"
        print(
            f"  {limit:>8g} {wall:>7.1f} {cpu:>6.1f} {objective:>10.0f}"
            f" {100 * gap(objective, bound.value):>7.2f}  {ok}"
        )
        ROWS.append(
            (
                f"operation gap at {limit:g} s: {100 * gap(objective, bound.value):.1f} %",
                wall,
                cpu,
                float("nan"),
                float("nan"),
                f"{len(plan.planned_visit_ids())}/{len(problem.visits)}",
                float("nan"),
                0,
                "-",
                0.0,
                0,
            )
        )
    print(
        "  objective = priority of targets left out x 1000 + travel minutes + officers deployed;"
        " gap = (objective - bound) / objective. Shared CPU: wall times are noisy.",
        flush=True,
    )


def scaling_note(rows) -> None:
    """Near-linear growth: seconds of model building per 1,000 visits along the series, CPU
    (what the work costs) and wall (what a shared machine made of it)."""
    series = []
    for title, _wall, _cpu, build, build_cpu, *_ in rows:
        if title.startswith("scaling "):
            series.append((int(title.split()[1]), build, build_cpu))
        elif title.startswith("programme ") and title.endswith("first plan"):
            series.append((2000, build, build_cpu))
    if series:
        print(
            "  model building per 1,000 visits (CPU s / wall s): "
            + ", ".join(
                f"{n} visits {1000 * cpu / n:.2f} / {1000 * wall / n:.2f}" for n, wall, cpu in sorted(series)
            )
        )


def table() -> None:
    print()
    widths = (44, 7, 6, 7, 7, 10, 6, 7, 12, 6, 4)
    head = (
        "run",
        "wall s",
        "cpu s",
        "build s",
        "b.cpu",
        "covered",
        "prio %",
        "travel",
        "load min-max",
        "std",
        "viol",
    )
    print(
        " ".join(
            f"{h:<{w}}" if i == 0 else f"{h:>{w}}" for i, (h, w) in enumerate(zip(head, widths, strict=True))
        )
    )
    for title, wall, cpu, build, build_cpu, covered, prio, travel, spread, std, viol in ROWS:
        print(
            f"{title:<44} {wall:>7.1f} {cpu:>6.1f} {build:>7.1f} {build_cpu:>7.2f} {covered:>10} {prio:>6.1f}"
            f" {travel:>7} {spread:>12} {std:>6.0f} {viol:>4}"
        )


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument(
        "--full", action="store_true", help="the issue's sizes, 60 s per solve, up to 3,000 visits"
    )
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--workers", type=int, default=1, help="CP-SAT threads (1 = reproducible)")
    args = ap.parse_args()
    full = args.full
    seconds = 60.0 if full else 15.0
    seed = args.seed

    def routine_opts(limit: float, iterations: int | None = None) -> SolveOptions:
        return SolveOptions(time_limit=limit, seed=seed, max_iterations=iterations)

    def joint_opts(limit: float) -> SolveOptions:
        return SolveOptions(time_limit=limit, seed=seed, workers=args.workers)

    rng = random.Random(seed)
    week = routine_instance(rng, 60, 5, 400)
    limit = 30.0 if full else 15.0
    run(
        f"routine week 60 off/5 d/400 visits, {limit:g} s",
        week,
        lambda: plan_routine(week, options=routine_opts(limit)),
    )

    night = joint_instance(rng, 40, 80)
    limit = 20.0 if full else 5.0
    run(
        f"joint night 40 venues/80 off, {limit:g} s",
        night,
        lambda: plan_joint(night, options=joint_opts(limit)),
    )

    operation = operation_instance(random.Random(seed), 300, 250)
    run(
        "operation 3 nights/300 targets: first plan",
        operation,
        lambda: plan_joint(operation, options=replace(joint_opts(0.0), lower_bound=False)),
    )
    run(
        f"operation 3 nights/300 targets, {seconds:g} s",
        operation,
        lambda: plan_joint(operation, options=joint_opts(seconds)),
    )
    gap_over_time(operation, (0.0, 10.0, 30.0, 60.0) if full else (0.0, 5.0, 15.0), joint_opts)

    programme = programme_instance(random.Random(seed), 80, 28, 2000)
    run(
        "programme 4 wk/80 off/2000 visits: first plan",
        programme,
        lambda: plan_routine(programme, options=routine_opts(1.0, iterations=1)),
    )
    run(
        f"programme 4 wk/80 off/2000 visits, {seconds:g} s",
        programme,
        lambda: plan_routine(programme, options=routine_opts(seconds)),
    )

    limit = 10.0 if full else 5.0
    for n in (100, 300, 1000, 3000) if full else (100, 300, 1000):
        officers = max(8, n // 25)
        p = programme_instance(random.Random(seed + n), officers, 28, n)
        run(
            f"scaling {n} visits/{officers} off/4 wk, {limit:g} s",
            p,
            lambda p=p: plan_routine(p, options=routine_opts(limit)),
        )
    table()
    scaling_note(ROWS)


if __name__ == "__main__":
    main()
