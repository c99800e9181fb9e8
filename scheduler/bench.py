"""Benchmarks of the scheduler, runnable on their own.

``python -m scheduler.bench solomon --seconds 10 [--iterations N] [--instances C101,R101,…] [--dir PATH]``
solves Solomon VRPTW instances (any file in the Solomon format) with the scheduler's routing
layer, PyVRP under the solver's StopControl, in the conditions of
``shared/benchmarks/solomon/peers.md``: DIMACS convention (arc = Euclidean distance truncated to
one decimal, scaled ×10; travel time = distance), K vehicles of capacity Q from the file,
distance-only objective. Each instance is solved twice, through the scheduler's StopControl
and by PyVRP alone (its own ``MaxRuntime``), for the same seconds. It prints one line per
instance and solver (vehicles, distance, the gap to the distance-only best-known in BKS.csv when
present, and feasibility by an independent checker written here) and last a line ``mean gap: X %
(PyVRP alone in the same run: Y %)``. Figures only: it never fails on time.
"""

from __future__ import annotations

import argparse
import csv
import math
import time
from pathlib import Path

import numpy as np
import pyvrp

from scheduler.solver.control import SolveOptions, StopControl

DEFAULT_DIR = Path(__file__).resolve().parents[2] / "shared" / "benchmarks" / "solomon"


def parse(path: Path):
    lines = [ln.split() for ln in path.read_text().splitlines()]
    fleet = next(i for i, ln in enumerate(lines) if ln[:1] == ["NUMBER"])
    vehicles, capacity = int(lines[fleet + 1][0]), int(lines[fleet + 1][1])
    rows = [list(map(int, ln)) for ln in lines if len(ln) == 7 and ln[0].isdigit()]
    return vehicles, capacity, rows  # rows: id, x, y, demand, ready, due, service


def build(rows, vehicles: int, capacity: int) -> pyvrp.ProblemData:
    """DIMACS data: d = floor(10 · euclid), times and service scaled ×10 (what peers.md used)."""
    xy = np.array([[r[1], r[2]] for r in rows], dtype=float)
    dist = np.floor(10 * np.sqrt(((xy[:, None, :] - xy[None, :, :]) ** 2).sum(-1))).astype(np.int64)
    locations = [pyvrp.Location(x=r[1], y=r[2]) for r in rows]
    depot = pyvrp.Depot(location=0, tw_early=10 * rows[0][4], tw_late=10 * rows[0][5])
    clients = [
        pyvrp.Client(
            location=i, delivery=[r[3]], service_duration=10 * r[6], tw_early=10 * r[4], tw_late=10 * r[5]
        )
        for i, r in enumerate(rows)
        if i > 0
    ]
    vt = pyvrp.VehicleType(
        num_available=vehicles, capacity=[capacity], tw_early=10 * rows[0][4], tw_late=10 * rows[0][5]
    )
    return pyvrp.ProblemData(locations, clients, [depot], [vt], [dist], [dist])


def check(rows, capacity, vehicles, routes) -> list[str]:
    """Independent DIMACS checker: returns the problems found (empty = feasible)."""

    def d(i, j):
        return math.floor(10 * math.hypot(rows[i][1] - rows[j][1], rows[i][2] - rows[j][2]))

    errors = []
    seen = [c for r in routes for c in r]
    if sorted(seen) != list(range(1, len(rows))):
        errors.append("customers not covered exactly once")
    if len(routes) > vehicles:
        errors.append(f"{len(routes)} routes > {vehicles} vehicles")
    total = 0
    for r in routes:
        if sum(rows[c][3] for c in r) > capacity:
            errors.append(f"capacity exceeded on {r}")
        t, prev = 0, 0
        for c in r:
            t = max(t + d(prev, c), 10 * rows[c][4])
            if t > 10 * rows[c][5]:
                errors.append(f"late at {c}")
            t += 10 * rows[c][6]
            total += d(prev, c)
            prev = c
        total += d(prev, 0)
        if t + d(prev, 0) > 10 * rows[0][5]:
            errors.append("back after the horizon")
    return errors, total / 10


def solomon(argv: list[str] | None = None) -> float:
    ap = argparse.ArgumentParser(prog="python -m scheduler.bench solomon")
    ap.add_argument("--seconds", type=float, default=10.0)
    ap.add_argument("--instances", default="", help="comma-separated names; default: every file in --dir")
    ap.add_argument("--dir", "--data-dir", dest="dir", type=Path, default=DEFAULT_DIR)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument(
        "--iterations",
        type=int,
        default=0,
        help="stop both after this many PyVRP iterations instead of --seconds: the same work for each,"
        " whatever share of a busy CPU each gets",
    )
    args = ap.parse_args(argv)
    bks: dict[str, tuple[int, float]] = {}
    if (args.dir / "BKS.csv").exists():
        with open(args.dir / "BKS.csv") as f:
            for row in csv.DictReader(f):
                if row["source"] == "cvrplib_distance_dimacs":
                    bks[row["instance"]] = (int(row["vehicles"]), float(row["distance"]))
    names = args.instances.split(",") if args.instances else sorted(p.stem for p in args.dir.glob("*.txt"))
    print(
        "PyVRP via scheduler.solver StopControl (scheduler) and PyVRP alone, "
        + (f"{args.iterations} iterations" if args.iterations else f"{args.seconds:g} s")
        + f" each, seed {args.seed}, DIMACS convention"
    )
    print(
        f"{'instance':8} {'who':9} {'veh':>4} {'dist':>9} {'BKS':>9} {'gap %':>7} {'wall s':>7} {'cpu s':>6}"
        "  feasible"
    )
    gaps: dict[str, list[float]] = {"scheduler": [], "pyvrp": []}
    infeasible = dict.fromkeys(gaps, 0)
    for name in names:
        vehicles, capacity, rows = parse(args.dir / f"{name}.txt")
        data = build(rows, vehicles, capacity)
        ref = bks.get(name)
        for who in gaps:
            if who == "scheduler":
                limit = 1e9 if args.iterations else args.seconds
                stop = StopControl(
                    SolveOptions(time_limit=limit, seed=args.seed, max_iterations=args.iterations or None)
                )
            elif args.iterations:
                stop = pyvrp.stop.MaxIterations(args.iterations)
            else:
                stop = pyvrp.stop.MaxRuntime(args.seconds)
            w0, c0 = time.perf_counter(), time.process_time()
            result = pyvrp.solve(data, stop, seed=args.seed, display=False, collect_stats=False)
            wall, cpu = time.perf_counter() - w0, time.process_time() - c0
            # Clients are numbered after the depot: client activity idx k is customer k + 1.
            routes = [[a.idx + 1 for a in r.schedule() if a.is_client()] for r in result.best.routes()]
            errors, dist = check(rows, capacity, vehicles, routes)
            feasible = not errors and result.best.is_feasible()
            infeasible[who] += not feasible
            gap = 100 * (dist - ref[1]) / ref[1] if ref else float("nan")
            if ref:
                gaps[who].append(gap)
            verdict = "yes" if feasible else f"NO: {errors[:2]}"
            print(
                f"{name:8} {who:9} {len(routes):>4} {dist:>9.1f} {ref[1] if ref else float('nan'):>9.1f}"
                f" {gap:>7.2f} {wall:>7.1f} {cpu:>6.1f}  {verdict}"
            )
    means = {who: sum(g) / len(g) if g else float("nan") for who, g in gaps.items()}
    for who in gaps:
        print(f"{who}: infeasible {infeasible[who]} of {len(names)}, mean gap {means[who]:.2f} %")
    print(f"mean gap: {means['scheduler']:.2f} % (PyVRP alone in the same run: {means['pyvrp']:.2f} %)")
    return means["scheduler"]


def main(argv: list[str] | None = None) -> None:
    import sys

    argv = sys.argv[1:] if argv is None else argv
    if not argv or argv[0] != "solomon":
        raise SystemExit(
            "usage: python -m scheduler.bench solomon [--seconds S] [--instances A,B] [--dir PATH]"
        )
    solomon(argv[1:])


if __name__ == "__main__":
    main()
