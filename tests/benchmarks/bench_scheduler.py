"""Synthetic Macao-size planning: a routine week and a joint night operation.

Usage: python tests/benchmarks/bench_scheduler.py [--seconds 30] [--joint-seconds 20] [--seed 1]
                                                  [--officers 60 --days 5 --visits 400]
                                                  [--venues 40 --joint-officers 80]

Prints coverage, travel, waiting, fairness, violations found by the evaluator and run time.
Figures only: it never fails on time.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections import Counter
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


def summarise(title: str, problem: Problem, plan, wall: float) -> None:
    ev = evaluate(problem, plan)
    o = ev.objective
    total_prio = o.priority_covered + o.priority_missed
    print(f"== {title}")
    share = 100 * o.visits_covered / len(problem.visits)
    print(
        f"  visits {len(problem.visits)}, covered {o.visits_covered} ({share:.1f} %),"
        f" priority covered {100 * o.priority_covered / max(1, total_prio):.1f} %"
    )
    print(f"  unplanned by reason: {dict(Counter(u.reason for u in plan.unplanned))}")
    print(
        f"  routes {len(plan.routes)}, travel {o.travel_minutes} min, waiting {o.waiting_minutes} min,"
        f" overtime {o.overtime_minutes} min"
    )
    print(f"  workload per officer: min {o.workload_min}, max {o.workload_max}, std {o.workload_std:.1f} min")
    print(f"  evaluator violations: {len(ev.violations)} {sorted(ev.codes())}")
    stats = {k: (round(v, 2) if isinstance(v, float) else v) for k, v in plan.stats.items()}
    print(f"  wall {wall:.1f} s (incl. model building), solver stats {stats}")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seconds", type=float, default=30.0)
    ap.add_argument("--joint-seconds", type=float, default=20.0)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--officers", type=int, default=60)
    ap.add_argument("--days", type=int, default=5)
    ap.add_argument("--visits", type=int, default=400)
    ap.add_argument("--venues", type=int, default=40)
    ap.add_argument("--joint-officers", type=int, default=80)
    ap.add_argument("--workers", type=int, default=1, help="CP-SAT threads (1 = reproducible)")
    args = ap.parse_args()
    rng = random.Random(args.seed)

    routine = routine_instance(rng, args.officers, args.days, args.visits)
    t0 = time.perf_counter()
    plan = plan_routine(routine, options=SolveOptions(time_limit=args.seconds, seed=args.seed))
    summarise(
        f"routine: {args.officers} officers, {args.days} days, {args.visits} visits, {args.seconds:g} s",
        routine,
        plan,
        time.perf_counter() - t0,
    )

    joint = joint_instance(rng, args.venues, args.joint_officers)
    t0 = time.perf_counter()
    plan = plan_joint(
        joint, options=SolveOptions(time_limit=args.joint_seconds, seed=args.seed, workers=args.workers)
    )
    summarise(
        f"joint: {args.venues} venues, 2 waves, {args.joint_officers} officers, {args.joint_seconds:g} s",
        joint,
        plan,
        time.perf_counter() - t0,
    )


if __name__ == "__main__":
    main()
