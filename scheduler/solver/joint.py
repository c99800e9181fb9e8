"""Joint operation: form multi-agency teams and give each team one target per wave.

An operation runs over one or more **sessions** (nights): its waves, sorted by start, split
wherever two consecutive waves are more than ``SESSION_GAP`` apart. Targets that several
sessions could take are first spread over them (``_spread_over_sessions``: each to the night
whose busiest wave grows least), so the first night does not take everything that could wait.
Each session is then planned in turn, over its targets and those earlier nights left out, with
the officers on duty that night; an officer joins at most one team per session, and may join a
different one the next night (the same officers regroup as each night's targets need; the
checker allows one team per officer and night, whatever their shifts). Within a session:

* a target's start in wave ``w`` is fixed before solving: the first minute in
  ``[wave start, wave start + tolerance]`` that its due window and opening hours allow, so
  every wave is synchronised by construction. A (target, wave) option exists only when a team
  can reach it from the muster depot inside the session and still be back in time;
* **teams are formed by construction** (``_Builder``), twice at least: as the paths of a
  min-cost flow (muster point, one target per wave, back; priced like the objective), each
  path then staffed with officers holding what its targets need together (the first plan);
  and greedily:
  targets, by priority and then by
  scarcity of what they need, go to the existing team slot (team, free wave) that adds the
  least travel and whose make-up, conflicts, rotation and timing allow it; failing that a team
  takes one more officer bringing what is missing; failing that a new team is staffed from the
  free officers, the holders of rare skills kept for the targets that need them;
* **targets are then re-assigned wave by wave** as linear assignment problems (OR-Tools'
  ``SimpleLinearSumAssignment``): in wave ``w`` every team may take any target allowed in
  ``w`` that is unplanned or already in ``w``, at a cost of the travel it adds between the
  team's targets in the waves before and after (or the depot), minus ``PRIORITY_WEIGHT`` ×
  priority for a target served. Passes sweep forwards and backwards until nothing improves,
  the time limit or a cancellation; every pass keeps the plan feasible, so the best plan so
  far is always the current one. After each wave's reassignment a second assignment may move
  targets other teams raid in other waves into it (travel added here minus travel saved
  there), kept only when every team still chains and the cost falls. Teams left without a
  target are dissolved and members no longer needed by any target are released;
* for a small single-session operation the exact CP-SAT model (``_cpsat``: who is in which
  team and which team raids which target in which wave, all at once), hinted with the
  decomposition's plan, then searches for the rest of the time limit, and the better plan
  wins. Measured on this machine CP-SAT proves little and improves nothing beyond about 40
  targets and 80 officers, while the decomposition plans 300 targets and 250 officers over
  three nights in about a second, so the exact model is kept for small operations only.

The first plan is that decomposition's (its first two constructions, about a second at 300
targets). When some target may go in more than one wave and time is left, the **wave plans**
follow (``_wave_plan``): a model of all sessions at once chooses every target's wave (so its
night) on the same terms as the min-cost flow, with each target raided at most once, which
neither the spread over the nights nor the per-night flow sees. First its LP relaxation,
rounded (a fraction of a second), then the MIP (SCIP); after each the sessions are planned
again with those nights, the flow construction keeping each target to its chosen wave (after
the MIP the perturbed restarts take the rest of the time). The best plan wins, so a longer
search never returns a worse plan than the first.

Travel uses the slowest travel time over the session, so the real times re-computed
afterwards are never later. The objective everywhere: priority of targets left out
(dominant), then travel minutes, then one per officer deployed. After the search,
``bound.joint_bound`` proves a lower bound on it (the LP relaxation of the wave model) and the
plan's ``stats`` carry the bound and the gap.
"""

from __future__ import annotations

import random
import threading
import time
from dataclasses import dataclass, field, replace
from itertools import combinations, pairwise

from ortools.graph.python import linear_sum_assignment, min_cost_flow
from ortools.linear_solver import pywraplp

from scheduler.solver import model as m
from scheduler.solver.bound import gap, joint_bound, start_range
from scheduler.solver.control import Progress, ShouldStop, SolveOptions, report
from scheduler.solver.model import Officer, Plan, Problem, Route, TeamRequirement, Unplanned, Visit
from scheduler.solver.schedule import earliest_departure, time_route
from scheduler.solver.travel import max_matrix

PRIORITY_WEIGHT = 1000
NEAREST_PAIRS = 8
INTERLEAVED_WORKERS = 6
# Waves more than this many minutes apart belong to different sessions (nights or days).
SESSION_GAP = m.NIGHT_GAP
# The exact CP-SAT model polishes a single-session plan when slots × (officers + options) is
# at most this; beyond it CP-SAT rarely improves on its hint within a minute.
CPSAT_MAX_SIZE = 2500
MAX_PASSES = 20
# Constructions per session: the min-cost flow one, the greedy one, then the greedy one from
# perturbed target orders.
RESTARTS = 30
# Constructions that run (with their reassignment passes) whatever the time limit.
FIRST_PLAN_ATTEMPTS = 2
# The wave plan (``_wave_plan``): chaining arcs per option and later wave; the MIP ends at
# this relative gap, or after this many branch-and-bound nodes without a better plan (a work
# limit: reproducible), or at its share of the time left after the first plan.
WAVE_PLAN_NEIGHBOURS = 12
WAVE_PLAN_GAP = 0.005
WAVE_PLAN_SHARE = 0.6
WAVE_PLAN_STALL_NODES = 50

Prop = tuple[str, object]


def _properties(req: TeamRequirement) -> list[Prop]:
    """The "at least one member with ..." parts of a requirement, as (kind, value) pairs."""
    props: list[Prop] = [("agency", a) for a in sorted(req.agencies)]
    props += [("skill", s) for s in sorted(req.skills)]
    props += [("skill", f"lang:{x}") for x in sorted(req.languages)]
    if req.female:
        props.append(("female", True))
    if req.min_leader_rank is not None:
        props.append(("rank", req.min_leader_rank))
    return props


def _has(o: Officer, prop: Prop) -> bool:
    kind, value = prop
    if kind == "agency":
        return o.agency == value
    if kind == "skill":
        return value in o.skills
    if kind == "female":
        return o.sex == "F"
    return o.rank >= value  # type: ignore[operator]


def _start_in_wave(problem: Problem, visit: Visit, wave_start: int, tolerance: int) -> int | None:
    site = problem.site_by_id[visit.site_id]
    windows = (
        site.opening if site.opening is not None else ((wave_start, wave_start + tolerance + visit.duration),)
    )
    best = None
    for open_, close in windows:
        start = max(wave_start, visit.earliest, open_)
        if start <= wave_start + tolerance and start + visit.duration <= min(close, visit.latest):
            best = start if best is None else min(best, start)
    return best


@dataclass
class _Session:
    """Waves planned together (one night), and the muster window they may use."""

    number: int
    waves: list[int]  # indices into the sorted waves
    lo: int
    hi: int


def _sessions(op, waves) -> list[_Session]:
    """The operation's nights (``JointOperation.nights``, which the checker reads too), with
    their waves as indices into ``waves`` (sorted by start)."""
    index = {w.id: wi for wi, w in enumerate(waves)}
    return [_Session(n.number, [index[w] for w in n.wave_ids], n.lo, n.hi) for n in op.nights]


@dataclass
class _Team:
    members: list[int]  # indices into the session's available officers
    jobs: dict[int, int] = field(default_factory=dict)  # wave index -> target index


class _Builder:
    """One session's decomposition: teams by construction, then wave-by-wave reassignment."""

    def __init__(self, problem, targets, waves, session, start, avail, blocked, T, worked=None):
        self.problem = problem
        self.op = problem.operation
        self.targets = targets
        self.waves = waves
        self.session = session
        self.start = start  # (target, wave) -> fixed start, this session's options only
        self.avail = avail
        self.blocked = blocked  # (officer, target) pairs that may not meet
        self.T = T
        self.options: dict[int, list[int]] = {}
        for ti, wi in sorted(start):
            self.options.setdefault(ti, []).append(wi)
        op = self.op
        self.need: dict[int, frozenset[Prop]] = {}
        self.size: dict[int, tuple[int, int]] = {}
        for ti in self.options:
            req = targets[ti].requirement.merged(op.team_rule)
            self.need[ti] = frozenset(_properties(req))
            hi = op.team_max_size if req.max_size is None else min(op.team_max_size, req.max_size)
            self.size[ti] = (max(op.team_min_size, req.min_size), hi)
        every = set().union(*self.need.values()) if self.need else set()
        self.holds = [frozenset(p for p in every if _has(o, p)) for o in avail]
        holders = {p: sum(p in h for h in self.holds) for p in every}
        self.scarcity = holders
        # What an officer is worth to the targets that need rare skills: kept for last.
        self.value = [sum(1.0 / max(1, holders[p]) for p in h) for h in self.holds]
        # Sessions each officer already worked: among equals, the more rested go first.
        self.worked = [(worked or {}).get(o.id, 0) for o in avail]
        self.teams: list[_Team] = []
        self.free = set(range(len(avail)))

    # -- team properties -------------------------------------------------------------------

    def props(self, team: _Team) -> frozenset[Prop]:
        return frozenset().union(*(self.holds[oi] for oi in team.members))

    def qualifies(self, team: _Team, ti: int, props=None) -> bool:
        lo, hi = self.size[ti]
        if not lo <= len(team.members) <= hi:
            return False
        if not self.need[ti] <= (props if props is not None else self.props(team)):
            return False
        return not any((oi, ti) in self.blocked for oi in team.members)

    def end(self, ti: int, wi: int) -> int:
        return self.start[ti, wi] + self.targets[ti].duration

    def neighbours(self, team: _Team, wi: int) -> tuple[int | None, int | None]:
        before = [w for w in team.jobs if w < wi]
        after = [w for w in team.jobs if w > wi]
        return (max(before) if before else None, min(after) if after else None)

    def insert_cost(self, team: _Team, ti: int, wi: int) -> int | None:
        """Travel added by raiding ``ti`` in wave ``wi``; None when the timing does not allow it."""
        T, start = self.T, self.start
        prev, nxt = self.neighbours(team, wi)
        a = 0 if prev is None else team.jobs[prev] + 1
        b = 0 if nxt is None else team.jobs[nxt] + 1
        if prev is not None and self.end(team.jobs[prev], prev) + T[a, ti + 1] > start[ti, wi]:
            return None
        if nxt is not None and self.end(ti, wi) + T[ti + 1, b] > start[team.jobs[nxt], nxt]:
            return None
        return int(T[a, ti + 1] + T[ti + 1, b] - T[a, b])

    def idle_ok(self, team: _Team, wi: int) -> bool:
        """True when the team may skip wave ``wi`` (its previous and next targets still chain)."""
        prev, nxt = self.neighbours(team, wi)
        if prev is None or nxt is None:
            return True
        tp, tn = team.jobs[prev], team.jobs[nxt]
        return self.end(tp, prev) + self.T[tp + 1, tn + 1] <= self.start[tn, nxt]

    # -- construction ----------------------------------------------------------------------

    def staff(self, need: frozenset[Prop], size: tuple[int, int], banned: set[int]) -> list[int] | None:
        """Fewest, least valuable free officers holding ``need``, at least ``size[0]`` of them."""
        free = sorted(
            (oi for oi in self.free if oi not in banned), key=lambda oi: (self.worked[oi], self.value[oi], oi)
        )
        members: list[int] = []
        missing = set(need)
        while missing:
            best = max(
                (oi for oi in free if oi not in members and self.holds[oi] & missing),
                key=lambda oi: (len(self.holds[oi] & missing), -self.worked[oi], -self.value[oi], -oi),
                default=None,
            )
            if best is None:
                return None
            members.append(best)
            missing -= self.holds[best]
        for oi in free:
            if len(members) >= size[0]:
                break
            if oi not in members:
                members.append(oi)
        return members if size[0] <= len(members) <= size[1] else None

    def place(self, ti: int) -> bool:
        best = None
        for k, team in enumerate(self.teams):
            if not self.qualifies(team, ti):
                continue
            for wi in self.options[ti]:
                if wi in team.jobs:
                    continue
                cost = self.insert_cost(team, ti, wi)
                if cost is not None and (best is None or cost < best[0]):
                    best = (cost, k, wi)
        if best is not None:
            self.teams[best[1]].jobs[best[2]] = ti
            return True
        # One more officer for a team that lacks only what he brings.
        best_up = None
        for k, team in enumerate(self.teams):
            missing = self.need[ti] - self.props(team)
            jobs = [*team.jobs.values(), ti]
            cap = min(self.size[t][1] for t in jobs)
            if not missing or len(team.members) + 1 > cap:
                continue
            if any((oi, ti) in self.blocked for oi in team.members):
                continue
            for oi in sorted(self.free, key=lambda oi: (self.value[oi], oi)):
                if missing <= self.holds[oi] and all((oi, t) not in self.blocked for t in jobs):
                    trial = _Team([*team.members, oi], dict(team.jobs))
                    if not self.qualifies(trial, ti):
                        break
                    for wi in self.options[ti]:
                        if wi in team.jobs:
                            continue
                        cost = self.insert_cost(team, ti, wi)
                        if cost is not None and (best_up is None or (self.value[oi], cost) < best_up[0]):
                            best_up = ((self.value[oi], cost), k, wi, oi)
                    break
        if best_up is not None:
            _, k, wi, oi = best_up
            self.teams[k].members.append(oi)
            self.teams[k].jobs[wi] = ti
            self.free.discard(oi)
            return True
        banned = {oi for oi in self.free if (oi, ti) in self.blocked}
        members = self.staff(self.need[ti], self.size[ti], banned)
        if members is None:
            return False
        team = _Team(members)
        wi = min(self.options[ti], key=lambda w: (self.insert_cost(team, ti, w), w))
        team.jobs[wi] = ti
        self.teams.append(team)
        self.free.difference_update(members)
        return True

    def construct(self, rng: random.Random | None = None) -> None:
        """Place every target; ``rng`` perturbs the order (restarts) without changing its spirit."""

        def scarcity(ti):
            base = min((self.scarcity[p] for p in self.need[ti]), default=len(self.avail))
            return base * (rng.uniform(0.5, 1.5) if rng is not None else 1.0)

        order = sorted(
            self.options, key=lambda ti: (-self.targets[ti].priority, scarcity(ti), len(self.options[ti]), ti)
        )
        for ti in order:
            self.place(ti)

    def construct_by_flow(self, chosen: dict[int, int] | None = None) -> None:
        """Teams as paths of a min-cost flow: muster point -> a target per wave -> back, each
        target on at most one path, priced like the objective (travel, officers, minus the
        priority served). A target used in two waves keeps its first and loses the other
        options; the flow is solved again until none is. Each path is then staffed (its
        targets' needs together), the targets of a path that cannot be staffed and any left
        over placed by the greedy construction. ``chosen`` (target -> wave, the wave plan's)
        leaves each target it names the one option in that wave."""
        chosen = chosen or {}
        options = {
            ti: ([chosen[ti]] if chosen.get(ti) in ws else list(ws)) for ti, ws in self.options.items()
        }
        paths: list[list[tuple[int, int]]] = []
        for _ in range(10):
            paths = self._flow_paths(options)
            seen: dict[int, int] = {}
            repeated = False
            for path in paths:
                for ti, wi in path:
                    if ti in seen and seen[ti] != wi:
                        options[ti] = [seen[ti]]
                        repeated = True
                    seen.setdefault(ti, wi)
            if not repeated:
                break
        placed: set[int] = set()
        order = sorted(paths, key=lambda p: min(self._rarity(ti) for ti, _ in p))
        for path in order:
            path = [(ti, wi) for ti, wi in path if ti not in placed]
            while path:
                team = self._staffed(path)
                if team is not None:
                    self.teams.append(team)
                    self.free.difference_update(team.members)
                    placed.update(ti for ti, _ in path)
                    break
                path.remove(max(path, key=lambda tw: (self._rarity(tw[0]) * -1, tw[0])))
        rest = sorted(
            (ti for ti in self.options if ti not in placed),
            key=lambda ti: (-self.targets[ti].priority, self._rarity(ti), ti),
        )
        for ti in rest:
            self.place(ti)

    def _rarity(self, ti: int) -> int:
        return min((self.scarcity[p] for p in self.need[ti]), default=len(self.avail))

    def _staffed(self, path: list[tuple[int, int]]) -> _Team | None:
        targets = [ti for ti, _ in path]
        need = frozenset().union(*(self.need[ti] for ti in targets))
        size = (max(self.size[ti][0] for ti in targets), min(self.size[ti][1] for ti in targets))
        banned = {oi for oi in self.free if any((oi, ti) in self.blocked for ti in targets)}
        members = self.staff(need, size, banned)
        if members is None:
            return None
        team = _Team(members, {wi: ti for ti, wi in path})
        return team if self.chains(team) else None

    def _flow_paths(self, options: dict[int, list[int]]) -> list[list[tuple[int, int]]]:
        flow = min_cost_flow.SimpleMinCostFlow()
        nodes = sorted((ti, wi) for ti, ws in options.items() for wi in ws)
        index = {key: 2 + 2 * n for n, key in enumerate(nodes)}  # in-node; out-node is +1
        source, sink = 0, 1
        teams = max(1, len(self.avail) // max(1, self.op.team_min_size))
        wave_start = {wi: self.waves[wi].start for wi in self.session.waves}
        for (ti, wi), node in index.items():
            prize = PRIORITY_WEIGHT * max(1, self.targets[ti].priority)
            flow.add_arc_with_capacity_and_unit_cost(node, node + 1, 1, -prize)
            flow.add_arc_with_capacity_and_unit_cost(
                source, node, 1, int(self.T[0, ti + 1]) + self.size[ti][0]
            )
            flow.add_arc_with_capacity_and_unit_cost(node + 1, sink, 1, int(self.T[ti + 1, 0]))
            done = self.end(ti, wi)
            for (tj, wj), other in index.items():
                if (
                    tj != ti
                    and wave_start[wj] > wave_start[wi]
                    and done + self.T[ti + 1, tj + 1] <= self.start[tj, wj]
                    and self.size[tj][0] <= self.size[ti][1]
                    and self.size[ti][0] <= self.size[tj][1]
                ):
                    flow.add_arc_with_capacity_and_unit_cost(node + 1, other, 1, int(self.T[ti + 1, tj + 1]))
        flow.add_arc_with_capacity_and_unit_cost(source, sink, teams, 0)
        flow.set_node_supply(source, teams)
        flow.set_node_supply(sink, -teams)
        if flow.solve() != flow.OPTIMAL:
            return []
        succ: dict[int, int] = {}
        starts = []
        for arc in range(flow.num_arcs()):
            if flow.flow(arc) > 0:
                tail, head = flow.tail(arc), flow.head(arc)
                if tail == source and head != sink:
                    starts.append(head)
                elif tail % 2 == 1 and tail > 1:
                    succ[tail] = head
        key_of = {node: key for key, node in index.items()}
        paths = []
        for node in starts:
            path = []
            while node in key_of:
                path.append(key_of[node])
                node = succ.get(node + 1, sink)
            paths.append(path)
        return paths

    # -- improvement -----------------------------------------------------------------------

    def served(self) -> dict[int, int]:
        return {ti: wi for team in self.teams for wi, ti in team.jobs.items()}

    def cost(self) -> int:
        """Priority left out × PRIORITY_WEIGHT + travel, on the session's travel matrix."""
        served = self.served()
        missed = sum(max(1, self.targets[ti].priority) for ti in self.options if ti not in served)
        travel = 0
        for team in self.teams:
            path = [0] + [team.jobs[w] + 1 for w in sorted(team.jobs)] + [0]
            travel += sum(int(self.T[a, b]) for a, b in pairwise(path) if a != b)
        return PRIORITY_WEIGHT * missed + travel

    def rank(self) -> tuple[int, int]:
        """Cost, then officers deployed: lower is better."""
        return (self.cost(), sum(len(t.members) for t in self.teams if t.jobs))

    def reassign_wave(self, wi: int) -> bool:
        """Best linear assignment of teams to targets in wave ``wi``; True when it changed."""
        served = self.served()
        cands = [ti for ti, ws in self.options.items() if wi in ws and served.get(ti, wi) == wi]
        if not cands or not self.teams:
            return False
        K, M = len(self.teams), len(cands)
        lsa = linear_sum_assignment.SimpleLinearSumAssignment()
        props = [self.props(t) for t in self.teams]
        current = {}
        for k, team in enumerate(self.teams):
            held = team.jobs.pop(wi, None)
            if held is not None:
                current[k] = held
            for j, ti in enumerate(cands):
                if not self.qualifies(team, ti, props[k]):
                    continue
                cost = self.insert_cost(team, ti, wi)
                if cost is not None:
                    lsa.add_arc_with_cost(k, j, cost - PRIORITY_WEIGHT * max(1, self.targets[ti].priority))
            if held is None or self.idle_ok(team, wi):
                lsa.add_arc_with_cost(k, M + k, 0)
        for j in range(M):
            lsa.add_arc_with_cost(K + j, j, 0)
            for k in range(K):
                lsa.add_arc_with_cost(K + j, M + k, 0)
        if lsa.solve() != lsa.OPTIMAL:  # never expected: the current assignment is a solution
            for k, ti in current.items():
                self.teams[k].jobs[wi] = ti
            return False
        changed = False
        for k, team in enumerate(self.teams):
            j = lsa.right_mate(k)
            if j < M:
                team.jobs[wi] = cands[j]
            changed |= team.jobs.get(wi) != current.get(k)
        return changed

    def chains(self, team: _Team) -> bool:
        """True when the team reaches each of its targets from the one before in time."""
        jobs = sorted(team.jobs.items())
        return all(
            self.end(t1, w1) + self.T[t1 + 1, t2 + 1] <= self.start[t2, w2]
            for (w1, t1), (w2, t2) in pairwise(jobs)
        )

    def shift_into_wave(self, wi: int) -> bool:
        """Targets another team raids in another wave may move into wave ``wi`` (to any team
        that qualifies), priced as the travel added here minus the travel saved there; one
        linear assignment decides, and the result is kept only when it is feasible and cheaper.
        Moves targets between waves, which ``reassign_wave`` never does."""
        where = {ti: (k, w) for k, team in enumerate(self.teams) for w, ti in team.jobs.items()}
        movers = [
            ti
            for ti, (k, w) in where.items()
            if w != wi and wi in self.options[ti] and self.idle_ok(self.teams[k], w)
        ]
        if not movers or not self.teams:
            return False
        K, M = len(self.teams), len(movers)
        props = [self.props(t) for t in self.teams]
        lsa = linear_sum_assignment.SimpleLinearSumAssignment()
        arcs = 0
        for j, ti in enumerate(movers):
            k0, w0 = where[ti]
            prev, nxt = self.neighbours(self.teams[k0], w0)
            a = 0 if prev is None else self.teams[k0].jobs[prev] + 1
            b = 0 if nxt is None else self.teams[k0].jobs[nxt] + 1
            saving = int(self.T[a, ti + 1] + self.T[ti + 1, b] - self.T[a, b])
            for k, team in enumerate(self.teams):
                if k == k0 or wi in team.jobs or not self.qualifies(team, ti, props[k]):
                    continue
                cost = self.insert_cost(team, ti, wi)
                if cost is not None and cost < saving:
                    lsa.add_arc_with_cost(k, j, cost - saving)
                    arcs += 1
            lsa.add_arc_with_cost(K + j, j, 0)
            for k in range(K):
                lsa.add_arc_with_cost(K + j, M + k, 0)
        if not arcs:
            return False
        for k in range(K):
            lsa.add_arc_with_cost(k, M + k, 0)
        if lsa.solve() != lsa.OPTIMAL:
            return False
        before = self.cost()
        saved = [dict(t.jobs) for t in self.teams]
        for k in range(K):
            j = lsa.right_mate(k)
            if j < M:
                ti = movers[j]
                k0, w0 = where[ti]
                self.teams[k0].jobs.pop(w0, None)
                self.teams[k].jobs[wi] = ti
        if all(self.chains(t) for t in self.teams) and self.cost() < before:
            return True
        for team, jobs in zip(self.teams, saved, strict=True):
            team.jobs = jobs
        return False

    def improve(self, deadline: float, should_stop: ShouldStop | None) -> int:
        passes = 0
        waves = list(self.session.waves)
        while passes < MAX_PASSES:
            before = self.cost()
            for wi in waves if passes % 2 == 0 else waves[::-1]:
                if time.perf_counter() > deadline or (should_stop is not None and should_stop()):
                    return passes
                self.reassign_wave(wi)
                self.shift_into_wave(wi)
            passes += 1
            if self.cost() >= before:
                break
        return passes

    def trim(self) -> None:
        """Dissolve teams without targets; release members no target of their team needs."""
        self.teams = [t for t in self.teams if t.jobs]
        for team in self.teams:
            jobs = list(team.jobs.values())
            lo = max(self.size[ti][0] for ti in jobs)
            for oi in sorted(team.members, key=lambda oi: (-self.value[oi], oi)):
                if len(team.members) <= lo:
                    break
                rest = _Team([o for o in team.members if o != oi], team.jobs)
                props = self.props(rest)
                if all(self.need[ti] <= props for ti in jobs):
                    team.members = rest.members
                    self.free.add(oi)


def plan_joint(
    problem: Problem,
    *,
    options: SolveOptions | None = None,
    progress: Progress | None = None,
    should_stop: ShouldStop | None = None,
) -> Plan:
    """Plan the joint operation ``problem.operation``; see the module docstring for the method."""
    op = problem.operation
    if op is None:
        raise ValueError("problem.operation is required for a joint operation")
    options = options or SolveOptions()
    t0 = time.perf_counter()
    deadline = t0 + options.time_limit
    report(progress, 0.0, None)
    waves = sorted(op.waves, key=lambda w: (w.start, w.id))
    targets = [v for v in problem.visits if v.site_id in problem.site_by_id]
    depot = problem.depot_by_id[op.depot_id]
    points = [depot.point] + [problem.site_by_id[t.site_id].point for t in targets]
    sessions = _sessions(op, waves)
    ctx = _Context(problem, targets, waves, sessions, options, should_stop)
    for session in sessions:
        ctx.T[session.number] = max_matrix(problem.travel, points, session.lo, session.hi)
    choices = _has_choices(problem, targets, waves)

    # The first plan: nights by the spread heuristic, each night's first constructions (and,
    # when no wave plan follows, its restarts in its share of the time).
    first = _plan_sessions(
        ctx,
        _spread_over_sessions(problem, targets, waves, sessions),
        None,
        restarts_until=(lambda si: t0)
        if choices
        else (lambda si: t0 + options.time_limit * (si + 1) / len(sessions)),
        deadline=deadline,
        progress=progress,
        span=(0.1, 0.5 if choices else 0.9),
    )
    best = first
    stats: dict[str, float] = {"sessions": float(len(sessions)), "cancelled": first.cancelled}
    session_of = {wi: si for si, s in enumerate(sessions) for wi in s.waves}
    # The wave plans: every target's wave (and so its night) chosen at once, by the LP
    # relaxation rounded (a fraction of a second) and then by the MIP; the nights are planned
    # again around each, and the best plan wins. The LP's plan is there when a loaded machine
    # cuts the MIP before it has a good solution of its own.
    for relaxed in (True, False) if choices and not first.exact and not first.cancelled else ():
        if time.perf_counter() >= deadline or stats["cancelled"]:
            break
        left = deadline - time.perf_counter()
        chosen, mip_stats = _wave_plan(
            ctx, time_limit=left if relaxed else WAVE_PLAN_SHARE * left, relaxed=relaxed
        )
        prefix = "wave_lp" if relaxed else "wave_plan"
        stats.update({f"{prefix}_{k}": v for k, v in mip_stats.items()})
        report(progress, 0.55 if relaxed else 0.7, None)
        if should_stop is not None and should_stop():
            stats["cancelled"] = 1.0
        elif chosen:
            night_of = _spread_over_sessions(problem, targets, waves, sessions)
            night_of.update({ti: session_of[wi] for ti, wi in chosen.items()})
            start_b = time.perf_counter()
            share = 0.0 if relaxed else max(0.0, deadline - start_b)
            again = _plan_sessions(
                ctx,
                night_of,
                chosen,
                restarts_until=lambda si, start_b=start_b, share=share: (
                    start_b + share * (si + 1) / len(sessions)
                ),
                deadline=deadline,
                progress=None,
                span=(0.6, 0.9),
            )
            stats["cancelled"] = max(stats["cancelled"], again.cancelled)
            if not again.cancelled and again.objective < best.objective:
                best = again
                stats[f"{prefix}_won"] = 1.0
                report(progress, 0.6 if relaxed else 0.95, again.objective)

    routes = best.routes
    unplanned = [
        Unplanned(v.id, m.REASON_UNKNOWN_SITE) for v in problem.visits if v.site_id not in problem.site_by_id
    ]
    planned_ids = {s.visit_id for r in routes for s in r.stops}
    for ti, t in enumerate(targets):
        if t.id in planned_ids:
            continue
        if ti not in best.any_option:
            unplanned.append(Unplanned(t.id, m.REASON_NO_WAVE))
        elif ti not in best.qualified:
            unplanned.append(Unplanned(t.id, m.REASON_NO_QUALIFIED_OFFICER))
        else:
            reason = m.REASON_CANCELLED if stats["cancelled"] and not routes else m.REASON_NO_CAPACITY
            unplanned.append(Unplanned(t.id, reason))
    stats.update({k: float(v) for k, v in best.totals.items()})
    stats.update(best.cpsat_stats)
    # Priority left out × PRIORITY_WEIGHT + travel + officers deployed.
    stats["objective"] = best.objective
    stats["runtime"] = time.perf_counter() - t0
    if options.lower_bound and not stats["cancelled"] and not (should_stop is not None and should_stop()):
        # The proven lower bound (LP relaxation, see bound.py), after the search: it never
        # delays a plan, and its seconds are reported apart.
        lower = joint_bound(problem, sessions, waves)
        stats["lower_bound"] = lower.value
        stats["lower_bound_seconds"] = lower.seconds
        stats["gap"] = gap(stats["objective"], lower.value)
    report(progress, 1.0, stats["objective"])
    return Plan(tuple(routes), tuple(unplanned), stats)


def operation_bound(problem: Problem, *, left_out: frozenset[str] = frozenset()):
    """The proven lower bound (``bound.joint_bound``) of ``problem``'s operation over its
    sessions; with ``left_out``, of every plan that leaves those visits out: their priority ×
    PRIORITY_WEIGHT plus the bound of the operation without them (the plans the planner can
    still reach once they took those targets out)."""
    op = problem.operation
    assert op is not None
    waves = sorted(op.waves, key=lambda w: (w.start, w.id))
    if not left_out:
        return joint_bound(problem, _sessions(op, waves), waves)
    out = [v for v in problem.visits if v.id in left_out and v.site_id in problem.site_by_id]
    rest = replace(problem, visits=tuple(v for v in problem.visits if v.id not in left_out))
    bound = joint_bound(rest, _sessions(op, waves), waves)
    return replace(bound, value=bound.value + sum(PRIORITY_WEIGHT * max(1, v.priority) for v in out))


@dataclass
class _Context:
    """What every pass over the sessions shares: the operation and the sessions' travel."""

    problem: Problem
    targets: list[Visit]
    waves: list
    sessions: list[_Session]
    options: SolveOptions
    should_stop: ShouldStop | None
    T: dict[int, object] = field(default_factory=dict)  # session number -> slowest travel matrix

    def starts(self, session: _Session, skip=lambda ti: False) -> dict[tuple[int, int], int]:
        """(target, wave) -> fixed start, for the session's options (see the module docstring)."""
        problem, op, T = self.problem, self.problem.operation, self.T[session.number]
        start: dict[tuple[int, int], int] = {}
        for ti, t in enumerate(self.targets):
            if skip(ti):
                continue
            for wi in session.waves:
                w = self.waves[wi]
                if t.waves and w.id not in t.waves:
                    continue
                s = _start_in_wave(problem, t, w.start, op.sync_tolerance)
                if s is None or session.lo + T[0, ti + 1] > s or s + t.duration + T[ti + 1, 0] > session.hi:
                    continue
                start[ti, wi] = s
        return start

    def on_duty(self, start, T) -> tuple[int, int, list[Officer]]:
        """The span any team of the session may need, and the officers on duty all of it."""
        targets, problem = self.targets, self.problem
        need_lo = min(s - int(T[0, ti + 1]) for (ti, _), s in start.items())
        need_hi = max(s + targets[ti].duration + int(T[ti + 1, 0]) for (ti, _), s in start.items())
        avail = [
            o
            for o in problem.officers
            if any(a <= need_lo and need_hi <= b + problem.max_overtime for a, b in o.shifts)
        ]
        return need_lo, need_hi, avail


@dataclass
class _Pass:
    """One plan of every session: its routes and what the unplanned reasons need."""

    routes: list[Route]
    objective: float
    any_option: set[int]
    qualified: set[int]
    totals: dict[str, int]
    cpsat_stats: dict[str, float]
    cancelled: float
    exact: bool  # the exact CP-SAT model searched (it takes the rest of the time)


def _plan_sessions(ctx: _Context, night_of, chosen, *, restarts_until, deadline, progress, span) -> _Pass:
    """Plans the sessions in turn: targets kept for a later night (``night_of``) wait for it,
    those a night leaves out move on. ``chosen`` (target -> wave) guides the min-cost flow
    construction; restarts run until ``restarts_until(session index)``."""
    problem, targets, waves, sessions = ctx.problem, ctx.targets, ctx.waves, ctx.sessions
    op, options, should_stop = problem.operation, ctx.options, ctx.should_stop
    index = {t.id: ti for ti, t in enumerate(targets)}
    worked: dict[str, int] = {}  # officer id -> sessions worked so far
    routes: list[Route] = []
    planned: set[int] = set()
    any_option: set[int] = set()
    qualified: set[int] = set()
    cancelled = 0.0
    exact = False
    totals = {"teams": 0, "officers_available": 0, "passes": 0, "restarts": 0, "cost": 0, "flow_won": 0}
    cpsat_stats: dict[str, float] = {}
    for si, session in enumerate(sessions):
        if should_stop is not None and should_stop():
            cancelled = 1.0
            break
        T = ctx.T[session.number]  # 0 = depot, i+1 = targets[i]
        start = ctx.starts(session, skip=lambda ti, si=si: ti in planned or night_of.get(ti, si) > si)
        any_option.update(ti for ti, _ in start)
        if not start:
            continue
        need_lo, need_hi, avail = ctx.on_duty(start, T)
        totals["officers_available"] = max(totals["officers_available"], len(avail))
        session_targets = sorted({ti for ti, _ in start})
        for ti in session_targets:
            req = replace(targets[ti].requirement.merged(op.team_rule), min_size=1, max_size=None)
            if not req.unmet(avail):
                qualified.add(ti)
        blocked = set()
        for ti in session_targets:
            first = min(s for (tj, _), s in start.items() if tj == ti)
            for oi, o in enumerate(avail):
                if problem.conflicted(o.id, targets[ti]) or problem.rotation_blocks(
                    o.id, targets[ti].site_id, first
                ):
                    blocked.add((oi, ti))

        # Restarts from perturbed orders while time allows; a fixed number, so a run that is
        # not cut by the clock is reproducible for a seed. The first two (the min-cost flow
        # and the plain greedy construction) always run, with their reassignment passes to the
        # end: the first plan (about a second at 300 targets) whatever the time limit.
        rng = random.Random(options.seed * 7919 + session.number)
        session_deadline = restarts_until(si)
        builder = None
        leaders: list[_Builder] = []
        n_sessions = len(sessions)
        for attempt in range(RESTARTS):
            trial = _Builder(problem, targets, waves, session, start, avail, blocked, T, worked)
            if attempt == 0:
                trial.construct_by_flow(chosen)
            else:
                trial.construct(rng if attempt > 1 else None)
            totals["passes"] += trial.improve(
                session_deadline if attempt >= FIRST_PLAN_ATTEMPTS else float("inf"), should_stop
            )
            trial.trim()
            totals["restarts"] += 1
            if builder is None or trial.rank() < builder.rank():
                builder = trial
                leaders.append(trial)
                totals["flow_won"] += attempt == 0
            if attempt + 1 >= FIRST_PLAN_ATTEMPTS and time.perf_counter() > session_deadline:
                break
            if should_stop is not None and should_stop():
                break

        # The builders rank plans on the session's slowest travel times; the objective counts
        # each leg at its departure. Of the plans that led in turn, the one the objective
        # prefers wins, so a longer search never returns a worse plan than the first one.
        if len(leaders) > 1:
            scored = []
            for b in leaders:
                timed = _routes(
                    problem, session, need_lo, need_hi, n_sessions, _teams_of(b, avail), targets, waves, start
                )
                scored.append((_score(problem, timed), b.rank(), len(scored)))
            builder = leaders[min(scored)[2]]
        teams = _teams_of(builder, avail)
        session_routes = _routes(problem, session, need_lo, need_hi, n_sessions, teams, targets, waves, start)
        # The objective of the plan so far, every target of a later session counted as left out:
        # the same figure as the finished plan's (not the builder's own units, nor one session's).
        report(
            progress,
            span[0] + (span[1] - span[0]) * (si + 1) / n_sessions,
            _objective(problem, targets, routes + session_routes),
        )

        n_slots = min(len(session_targets), len(avail) // max(1, op.team_min_size))
        size = n_slots * (len(avail) + len(start))
        if n_sessions == 1 and 0 < size <= CPSAT_MAX_SIZE and time.perf_counter() < deadline:
            exact = True
            found = _cpsat(
                problem,
                targets,
                waves,
                start,
                avail,
                blocked,
                T,
                n_slots,
                builder,
                options,
                deadline,
                progress,
                should_stop,
            )
            cpsat_stats = found["stats"]
            cancelled = max(cancelled, cpsat_stats.get("cancelled", 0.0))
            if found["teams"] is not None:
                theirs = _routes(
                    problem, session, need_lo, need_hi, n_sessions, found["teams"], targets, waves, start
                )
                if _score(problem, theirs) < _score(problem, session_routes):
                    teams, session_routes = found["teams"], theirs
                    cpsat_stats["cpsat_won"] = 1.0
        routes += session_routes
        for r in session_routes:
            for oid in r.officer_ids:
                worked[oid] = worked.get(oid, 0) + 1
        planned.update(index[s.visit_id] for r in session_routes for s in r.stops)
        totals["teams"] += len(session_routes)
        totals["cost"] += builder.cost()
    return _Pass(
        routes,
        _objective(problem, targets, routes),
        any_option,
        qualified,
        totals,
        cpsat_stats,
        cancelled,
        exact,
    )


def _has_choices(problem: Problem, targets: list[Visit], waves) -> bool:
    """True when some target may go in more than one wave (else there is no wave to choose)."""
    op = problem.operation
    for t in targets:
        fits = 0
        for w in waves:
            if (not t.waves or w.id in t.waves) and _start_in_wave(
                problem, t, w.start, op.sync_tolerance
            ) is not None:
                fits += 1
                if fits > 1:
                    return True
    return False


def _wave_plan(
    ctx: _Context, *, time_limit: float, relaxed: bool = False
) -> tuple[dict[int, int] | None, dict[str, float]]:
    """The wave (and so the night) of every target, chosen for all sessions at once.

    A MIP on the decomposition's own terms (each session's slowest travel, fixed starts): per
    session, teams are paths from the muster point through at most one option (target, wave)
    per wave and back, an option's in- and outflow equal to whether it is taken (``y``,
    binary), a target taken at most once over every session; a team costs its first leg and
    its minimum size, a served target saves its priority × ``PRIORITY_WEIGHT``; chaining arcs
    go to each option's ``WAVE_PLAN_NEIGHBOURS`` nearest options of every later wave of the
    session. Team counts are bounded by the officers on duty and the holders of the team
    rule's properties, the targets of a wave needing a property by its holders. The
    spread-then-plan decomposition fixes each target's night before knowing the waves, and
    its per-night min-cost flow repairs targets used twice one by one: measured on the
    300-target benchmark, 103 teams where this plan's waves make 100. Solved by SCIP (bundled
    with OR-Tools) to a ``WAVE_PLAN_GAP`` relative gap, ``WAVE_PLAN_STALL_NODES`` nodes without
    a better solution or ``time_limit``; reproducible unless the clock ends it. Returns
    (target -> wave for the targets it takes, or None; stats).

    ``relaxed``: the LP relaxation instead (GLOP, ``y`` continuous), each target to the wave
    holding more than half of it, if one does."""
    t0 = time.perf_counter()
    problem, targets, waves, sessions = ctx.problem, ctx.targets, ctx.waves, ctx.sessions
    op = problem.operation
    mip = pywraplp.Solver.CreateSolver("GLOP" if relaxed else "SCIP")
    if mip is None or time_limit <= 0:
        return None, {}
    inf = mip.infinity()
    objective = mip.Objective()
    served: dict[int, pywraplp.Constraint] = {}
    ys: dict[tuple[int, int], pywraplp.Variable] = {}
    sizes = {}
    needs = {}
    for ti, t in enumerate(targets):
        req = t.requirement.merged(op.team_rule)
        sizes[ti] = (
            max(op.team_min_size, req.min_size),
            min(op.team_max_size, req.max_size or op.team_max_size),
        )
        needs[ti] = [p for p in _properties(req) if p not in _properties(op.team_rule)]
    for session in sessions:
        T = ctx.T[session.number]
        start = ctx.starts(session)
        if not start:
            continue
        _, _, avail = ctx.on_duty(start, T)
        teams_row = mip.Constraint(-inf, float(len(avail)))
        rule_rows = [
            mip.Constraint(-inf, float(sum(_has(o, p) for o in avail))) for p in _properties(op.team_rule)
        ]
        wave_rows: dict[tuple[int, Prop], pywraplp.Constraint] = {}
        inflow, outflow = {}, {}
        for ti, wi in start:
            y = ys[ti, wi] = mip.NumVar(0.0, 1.0, "") if relaxed else mip.BoolVar("")
            objective.SetCoefficient(y, -float(PRIORITY_WEIGHT * max(1, targets[ti].priority)))
            if ti not in served:
                served[ti] = mip.Constraint(-inf, 1.0)
            served[ti].SetCoefficient(y, 1.0)
            for p in needs[ti]:
                if (wi, p) not in wave_rows:
                    wave_rows[wi, p] = mip.Constraint(-inf, float(sum(_has(o, p) for o in avail)))
                wave_rows[wi, p].SetCoefficient(y, 1.0)
            inflow[ti, wi] = mip.Constraint(0.0, 0.0)
            outflow[ti, wi] = mip.Constraint(0.0, 0.0)
            inflow[ti, wi].SetCoefficient(y, -1.0)
            outflow[ti, wi].SetCoefficient(y, -1.0)
            first = mip.NumVar(0.0, 1.0, "")
            objective.SetCoefficient(first, float(T[0, ti + 1] + sizes[ti][0]))
            inflow[ti, wi].SetCoefficient(first, 1.0)
            teams_row.SetCoefficient(first, float(sizes[ti][0]))
            for row in rule_rows:
                row.SetCoefficient(first, 1.0)
            back = mip.NumVar(0.0, 1.0, "")
            objective.SetCoefficient(back, float(T[ti + 1, 0]))
            outflow[ti, wi].SetCoefficient(back, 1.0)
        by_wave: dict[int, list[int]] = {}
        for ti, wi in sorted(start):
            by_wave.setdefault(wi, []).append(ti)
        for (ti, wi), s in sorted(start.items()):
            done = s + targets[ti].duration
            for wj in session.waves:
                if waves[wj].start <= waves[wi].start:
                    continue
                reach = [
                    tj
                    for tj in by_wave.get(wj, [])
                    if tj != ti
                    and done + T[ti + 1, tj + 1] <= start[tj, wj]
                    and sizes[tj][0] <= sizes[ti][1]
                    and sizes[ti][0] <= sizes[tj][1]
                ]
                reach.sort(key=lambda tj, ti=ti: (T[ti + 1, tj + 1], tj))
                for tj in reach[:WAVE_PLAN_NEIGHBOURS]:
                    leg = mip.NumVar(0.0, 1.0, "")
                    objective.SetCoefficient(leg, float(T[ti + 1, tj + 1]))
                    outflow[ti, wi].SetCoefficient(leg, 1.0)
                    inflow[tj, wj].SetCoefficient(leg, 1.0)
    if not ys:
        return None, {}
    # The priority of every target as a constant: the relative gap is then one of the plan's cost.
    objective.SetOffset(float(sum(PRIORITY_WEIGHT * max(1, t.priority) for t in targets)))
    objective.SetMinimization()
    mip.SetTimeLimit(max(1, int(1000 * (time_limit - (time.perf_counter() - t0)))))
    params = pywraplp.MPSolverParameters()
    if not relaxed:
        mip.SetSolverSpecificParametersAsString(f"limits/stallnodes = {WAVE_PLAN_STALL_NODES}\n")
        params.SetDoubleParam(params.RELATIVE_MIP_GAP, WAVE_PLAN_GAP)
    done = threading.Event()

    def watchdog() -> None:
        # A cancellation interrupts SCIP, which then returns the best plan it has (if any).
        while not done.wait(0.05):
            if ctx.should_stop is not None and ctx.should_stop():
                mip.InterruptSolve()
                return

    thread = threading.Thread(target=watchdog, daemon=True)
    thread.start()
    try:
        status = mip.Solve(params)
    finally:
        done.set()
        thread.join()
    stats = {
        "seconds": time.perf_counter() - t0,
        "variables": float(mip.NumVariables()),
        "optimal": float(status == pywraplp.Solver.OPTIMAL),
    }
    # An LP cut short has no meaning; a MIP cut short has a plan (perhaps a poor one).
    if status not in (pywraplp.Solver.OPTIMAL,) + (() if relaxed else (pywraplp.Solver.FEASIBLE,)):
        return None, stats
    stats["objective"] = objective.Value()
    return {ti: wi for (ti, wi), y in ys.items() if y.solution_value() > 0.5}, stats


def _teams_of(builder: _Builder, avail) -> list[tuple[list[Officer], list[tuple[int, int]]]]:
    """A builder's teams as (members, [(target, wave)]) in wave order."""
    return [
        ([avail[oi] for oi in t.members], [(ti, wi) for wi, ti in sorted(t.jobs.items())])
        for t in builder.teams
    ]


def _spread_over_sessions(problem, targets, waves, sessions) -> dict[int, int]:
    """The session each target that several sessions could take is kept for.

    Planned one after the other, the first night would take every target that could also
    wait, and need more teams than the later ones. Here the targets with a choice of nights
    go, least flexible first, to the night whose busiest wave grows least (then the least
    loaded night), into its least loaded wave they may join; a night's load counts the targets
    bound to it, those with a choice of waves spread over them. A target its night cannot
    take still moves on to the later nights."""
    op = problem.operation
    session_of = {wi: si for si, session in enumerate(sessions) for wi in session.waves}
    fits: dict[int, dict[int, list[int]]] = {}
    for ti, t in enumerate(targets):
        by_session: dict[int, list[int]] = {}
        for wi, w in enumerate(waves):
            if (t.waves and w.id not in t.waves) or wi not in session_of:
                continue
            if _start_in_wave(problem, t, w.start, op.sync_tolerance) is not None:
                by_session.setdefault(session_of[wi], []).append(wi)
        fits[ti] = by_session
    load = [0.0] * len(waves)
    for by_session in fits.values():
        if len(by_session) == 1:
            (ws,) = by_session.values()
            for wi in ws:
                load[wi] += 1 / len(ws)

    def need(si: int) -> float:
        return max(load[wi] for wi in sessions[si].waves)

    night_of: dict[int, int] = {}
    flexible = [ti for ti, by_session in fits.items() if len(by_session) > 1]
    for ti in sorted(flexible, key=lambda ti: (sum(map(len, fits[ti].values())), ti)):
        best = None
        for si, ws in fits[ti].items():
            wi = min(ws, key=lambda w: (load[w], w))
            grows = round(max(need(si), load[wi] + 1) - need(si), 6)
            key = (grows, sum(load[w] for w in sessions[si].waves), si)
            if best is None or key < best[0]:
                best = (key, si, wi)
        _, si, wi = best
        night_of[ti] = si
        load[wi] += 1
    return night_of


def _routes(problem, session, need_lo, need_hi, n_sessions, teams, targets, waves, start) -> list[Route]:
    """Times each team's targets on the real travel times; a target that cannot be timed is dropped.
    The times are right-justified (``time_route`` with waves: ``schedule.justify``): a team leaves
    as late as it can and reaches each target just before its raid, not when travel allows."""
    op = problem.operation
    routes = []
    for n, (members, jobs) in enumerate(teams, start=1):
        jobs = sorted(jobs, key=lambda tw: waves[tw[1]].start)
        leader = max(members, key=lambda o: (o.rank, o.id))
        team_id = f"T{n:02d}" if n_sessions == 1 else f"N{session.number}-T{n:02d}"
        route = None
        while jobs and route is None:
            route = time_route(
                problem,
                members,
                op.depot_id,
                [targets[ti] for ti, _ in jobs],
                # From the first minute the team may leave: justified, it leaves as late as
                # reaches its first target just before the raid (need_lo may be later).
                earliest_departure(problem, members, need_lo, need_hi),
                latest_back=need_hi,
                not_before={targets[ti].id: start[ti, wi] for ti, wi in jobs},
                not_after={targets[ti].id: waves[wi].start + op.sync_tolerance for ti, wi in jobs},
                wave_of={targets[ti].id: waves[wi].id for ti, wi in jobs},
                team_id=team_id,
                leader_id=leader.id,
            )
            if route is None:  # never expected: the plan used the slowest travel times
                jobs = jobs[:-1]
        if route is not None:
            routes.append(_later_first_start(problem, route, members, jobs, targets, waves, start, need_hi))
    return routes


def _later_first_start(problem, route, members, jobs, targets, waves, start, latest_back) -> Route:
    """The same route with its first raid started later within the wave's tolerance, when
    that makes its travel shorter: a team that leaves the muster point a few minutes later
    may leave in a faster band (the night's, from 22:00) and still be on time. Kept only when
    it drives less; every start stays inside [wave start, wave start + tolerance]."""
    op = problem.operation
    ti, wi = jobs[0]
    span = start_range(problem, targets[ti], waves[wi].start, op.sync_tolerance)
    if span is None or span[1] <= start[ti, wi]:
        return route
    best, best_travel = route, _travel(problem, route)
    for later in range(span[1], start[ti, wi], -1):
        trial = time_route(
            problem,
            members,
            op.depot_id,
            [targets[t] for t, _ in jobs],
            route.departure,
            latest_back=latest_back,
            not_before={targets[t].id: later if k == 0 else start[t, w] for k, (t, w) in enumerate(jobs)},
            not_after={targets[t].id: waves[w].start + op.sync_tolerance for t, w in jobs},
            wave_of={targets[t].id: waves[w].id for t, w in jobs},
            team_id=route.team_id,
            leader_id=route.leader_id,
        )
        if trial is not None and (travel := _travel(problem, trial)) < best_travel:
            best, best_travel = trial, travel
    return best


def _travel(problem: Problem, route: Route) -> int:
    """Minutes driven by one route, each leg at its departure (as the objective counts them)."""
    travel = problem.travel
    depot = problem.depot_by_id[route.depot_id].point
    where, now, total = depot, route.departure, 0
    for s in route.stops:
        point = problem.site_by_id[problem.visit_by_id[s.visit_id].site_id].point
        total += travel.minutes(where, point, now)
        where, now = point, s.end
    return total + travel.minutes(where, depot, now)


def _objective(problem: Problem, targets: list[Visit], routes: list[Route]) -> float:
    """Priority left out × PRIORITY_WEIGHT + travel minutes + officers deployed."""
    return float(_score(problem, routes) + PRIORITY_WEIGHT * sum(max(1, t.priority) for t in targets))


def _score(problem: Problem, routes: list[Route]) -> int:
    """Priority covered (negative, dominant), travel minutes, officers deployed: lower is better."""
    travel = problem.travel
    depots = problem.depot_by_id
    total = 0
    for r in routes:
        where, now = depots[r.depot_id].point, r.departure
        for s in r.stops:
            visit = problem.visit_by_id[s.visit_id]
            point = problem.site_by_id[visit.site_id].point
            total += travel.minutes(where, point, now) - PRIORITY_WEIGHT * max(1, visit.priority)
            where, now = point, s.end
        total += travel.minutes(where, depots[r.depot_id].point, now) + len(r.officer_ids)
    return total


def _watch(progress: Progress | None, time_limit: float):
    """A CP-SAT callback that reports each solution found as progress. CP-SAT's module is
    imported here, when a plan is made: it loads pandas, which cost every process that loads
    the scheduler (the web processes, the workers, each management command) over a second."""
    from ortools.sat.python import cp_model

    class _Watch(cp_model.CpSolverSolutionCallback):
        def __init__(self):
            super().__init__()
            self.t0 = time.perf_counter()
            self.solutions = 0

        def on_solution_callback(self) -> None:
            self.solutions += 1
            if progress is not None:
                frac = 0.1 + 0.8 * min(1.0, (time.perf_counter() - self.t0) / max(time_limit, 1e-9))
                progress(frac, float(self.ObjectiveValue()))

    return _Watch()


def _cpsat(
    problem, targets, waves, start, avail, blocked, T, n_slots, hint, options, deadline, progress, should_stop
):
    """The exact model of one session, hinted with the decomposition's teams.

    ``x[o,k]``: officer ``o`` is in team slot ``k``; ``z[t,w,k]``: team ``k`` raids target ``t``
    in wave ``w``. Every active team meets the size bounds and the team rule; a team raiding a
    target meets its make-up and has no conflicted or rotated member; a team's active waves are
    contiguous and consecutive targets reachable in time; travel is priced as depot round trips
    minus the saving of chaining two targets (for each target's nearest candidates only).
    Returns {"teams": [(members, [(target, wave)])] or None, "stats": {...}}.
    """
    from ortools.sat.python import cp_model  # see _watch

    op = problem.operation
    mdl = cp_model.CpModel()
    K = range(n_slots)
    x = {(oi, k): mdl.new_bool_var(f"x{oi}_{k}") for oi in range(len(avail)) for k in K}
    active = [mdl.new_bool_var(f"a{k}") for k in K]
    z = {(ti, wi, k): mdl.new_bool_var(f"z{ti}_{wi}_{k}") for (ti, wi) in start for k in K}
    session_waves = sorted({wi for _, wi in start})
    session_targets = sorted({ti for ti, _ in start})

    for oi in range(len(avail)):
        mdl.add_at_most_one(x[oi, k] for k in K)
    served = {}
    for ti in session_targets:
        served[ti] = sum(z[key] for key in z if key[0] == ti)
        mdl.add(served[ti] <= 1)
    act = {}
    for k in K:
        size = sum(x[oi, k] for oi in range(len(avail)))
        mdl.add(size >= op.team_min_size * active[k])
        mdl.add(size <= op.team_max_size * active[k])
        for prop in _properties(op.team_rule):
            mdl.add(sum(x[oi, k] for oi, o in enumerate(avail) if _has(o, prop)) >= active[k])
        for wi in session_waves:
            act[k, wi] = mdl.new_bool_var(f"act{k}_{wi}")
            mdl.add(sum(z[ti, wi, k] for (ti, wj) in start if wj == wi) == act[k, wi])
            mdl.add_implication(act[k, wi], active[k])
        mdl.add(sum(act[k, wi] for wi in session_waves) >= active[k])
        for i, j, c in combinations(session_waves, 3):
            mdl.add(act[k, i] + act[k, c] - 1 <= act[k, j])
        if k > 0:
            mdl.add(active[k] <= active[k - 1])
        for ti in session_targets:
            y = sum(z[ti, wi, k] for (tj, wi) in start if tj == ti)
            req = targets[ti].requirement
            for prop in _properties(req):
                mdl.add(sum(x[oi, k] for oi, o in enumerate(avail) if _has(o, prop)) >= y)
            if req.min_size > op.team_min_size:
                mdl.add(size >= req.min_size * y)
            if req.max_size is not None and req.max_size < op.team_max_size:
                mdl.add(size <= req.max_size + op.team_max_size * (1 - y))
            for oi in range(len(avail)):
                if (oi, ti) in blocked:
                    mdl.add(x[oi, k] + y <= 1)

    travel_terms = []
    for ti, wi in start:
        for k in K:
            travel_terms.append(int(T[0, ti + 1] + T[ti + 1, 0]) * z[ti, wi, k])
    for a, b in pairwise(session_waves):
        here = [ti for (ti, wj) in start if wj == a]
        there = [ti for (ti, wj) in start if wj == b]
        for ti in here:
            end_t = start[ti, a] + targets[ti].duration
            feasible = [tj for tj in there if tj != ti and end_t + T[ti + 1, tj + 1] <= start[tj, b]]
            for tj in there:
                if tj not in feasible:
                    for k in K:
                        mdl.add_bool_or([z[ti, a, k].Not(), z[tj, b, k].Not()])
            feasible.sort(key=lambda tj: (T[ti + 1, tj + 1], tj))
            for tj in feasible[:NEAREST_PAIRS]:
                saving = int(T[ti + 1, tj + 1] - T[ti + 1, 0] - T[0, tj + 1])
                if saving >= 0:
                    continue
                for k in K:
                    p = mdl.new_bool_var(f"p{ti}_{tj}_{a}_{k}")
                    mdl.add_implication(p, z[ti, a, k])
                    mdl.add_implication(p, z[tj, b, k])
                    travel_terms.append(saving * p)

    missed = sum(PRIORITY_WEIGHT * max(1, targets[ti].priority) * (1 - served[ti]) for ti in session_targets)
    mdl.minimize(missed + sum(travel_terms) + sum(x.values()))

    teams_hint = sorted(hint.teams, key=lambda t: -len(t.jobs))[:n_slots]
    for k in K:
        team = teams_hint[k] if k < len(teams_hint) else _Team([])
        mdl.add_hint(active[k], bool(team.jobs))
        for oi in range(len(avail)):
            mdl.add_hint(x[oi, k], oi in team.members)
        for wi in session_waves:
            mdl.add_hint(act[k, wi], wi in team.jobs)
        for ti, wi in start:
            mdl.add_hint(z[ti, wi, k], team.jobs.get(wi) == ti)

    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = max(0.1, deadline - time.perf_counter())
    if options.workers <= 1:
        # Several search strategies (incl. LNS) interleaved in one thread: reproducible, and far
        # better than the single default search on these models.
        solver.parameters.interleave_search = True
        solver.parameters.num_workers = INTERLEAVED_WORKERS
    else:
        solver.parameters.num_workers = options.workers
    solver.parameters.random_seed = options.seed
    if options.deterministic_time is not None:
        solver.parameters.max_deterministic_time = options.deterministic_time
    watch = _watch(progress, solver.parameters.max_time_in_seconds)
    done = threading.Event()
    cancelled = threading.Event()

    def watchdog() -> None:
        while not done.wait(0.05):
            if should_stop is not None and should_stop():
                cancelled.set()
                solver.stop_search()
                return

    thread = threading.Thread(target=watchdog, daemon=True)
    thread.start()
    try:
        status = solver.solve(mdl, watch)
    finally:
        done.set()
        thread.join()

    found = status in (cp_model.OPTIMAL, cp_model.FEASIBLE)
    teams = None
    if found:
        teams = []
        for k in K:
            if not solver.boolean_value(active[k]):
                continue
            members = [o for oi, o in enumerate(avail) if solver.boolean_value(x[oi, k])]
            jobs = [(ti, wi) for (ti, wi) in start if solver.boolean_value(z[ti, wi, k])]
            if jobs:
                teams.append((members, jobs))
    stats = {
        "status": float(status),
        "optimal": float(status == cp_model.OPTIMAL),
        "cpsat_objective": solver.objective_value if found else float("inf"),
        "bound": solver.best_objective_bound,
        "solutions": float(watch.solutions),
        "cancelled": float(cancelled.is_set()),
        "slots": float(n_slots),
    }
    return {"teams": teams, "stats": stats}


__all__ = ["plan_joint"]
