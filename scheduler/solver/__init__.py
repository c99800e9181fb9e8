"""The scheduler's solver: pure Python, no Django. Problem in, plan out.

The model (``model.py``)
    Plain frozen dataclasses. Time is whole minutes from the horizon start (local midnight,
    Asia/Macau, of the first day); windows may cross midnight (a venue open 20:00-04:00 on
    day 0 is ``(1200, 1680)``).

    * ``Officer``: id, agency, depot (unit), skills (``labour_inspector``, ``interpreter``,
      ``first_aid``, ``lang:tl`` ...), sex, rank, shifts.
    * ``Depot``, ``Site`` (company, opening windows; ``None`` = always open).
    * ``Visit`` (due work): site, due window ``[earliest, latest]`` that the whole visit must
      fit in, duration, priority, required skills, ``TeamRequirement`` (size, agencies,
      skills, languages, female officer, leader rank), allowed waves (joint only).
    * ``Problem``: all of the above, conflicts of interest (officer -> site and company ids),
      rotation history (officer -> {site: minute of last visit}) with ``rotation_gap_days``,
      fixed crews (pairs, formed by ``pair_officers``; with ``work_in_pairs`` nobody goes out
      alone), allowed overtime, the travel-time provider, and for a joint
      operation a ``JointOperation`` (waves, muster depot and window, team size bounds,
      team rule, synchronisation tolerance).
    * ``Plan``: ``Route``s (officers or team, depot, departure, back, ``Stop``s with arrival,
      start, end, wave) and ``Unplanned`` visits with a reason code.

Travel (``travel.py``)
    ``TravelTimeProvider`` protocol; ``GeodesicTravel`` = geodesic km × detour (1.35) at the
    speed of the departure's time-of-day band (peak 18, off-peak 28, night 35 km/h), cached.
    Distances are computed in numpy on the WGS84 ellipsoid (chord turned into an arc): within
    1e-8 of geopy's geodesic at city scale, a 3,000-point matrix in about a second, and
    bit-identical to the one-leg answers the evaluator asks for.
    Routers use the slowest time over a shift (``max_matrix``), so re-timed plans stay feasible.

Solvers
    * ``plan_routine`` (``routine.py``): the whole horizon as one prize-collecting VRPTW in
      PyVRP. One vehicle type per (officer or crew, shift); one optional client per (visit,
      opening window) joined in a mutually exclusive client group; prize = priority × scale so
      coverage dominates, then travel, with a soft per-route fair share for balance. Skills,
      make-up, conflicts and rotation forbid clients through routing profiles (PyVRP has no
      per-client allowed-vehicle list). A horizon whose dense profile matrices would not fit
      the memory budget (weeks of work) is split into blocks of days solved in turn, each
      visit placed in the least loaded block its windows reach and carried on if left out.
      Then ``balance`` (``balance.py``) inserts what is left out and moves visits from the
      busiest officers to the idlest while travel + fairness improves: officers' totals over
      the horizon, which no routing cost sees. Unplannable visits come back with reasons.
    * ``plan_joint`` (``joint.py``): a decomposition, night by night (session), targets free
      to wait spread over the nights beforehand: teams are
      formed by construction (targets by priority and scarcity go to the cheapest team slot,
      or a team takes one more officer, or a new team is staffed), then targets are
      reassigned wave by wave as linear assignment problems (OR-Tools) on the travel between
      a team's consecutive targets. Then the LP relaxation (GLOP, rounded) and the MIP
      (SCIP) of every target's wave over all nights at once each have the nights planned
      again around them (the best plan wins); restarts from perturbed orders use the rest
      of the time.
      For small single-night operations the exact CP-SAT model (make-up, conflicts, one team
      per officer, one target per team and wave, travel between consecutive waves), hinted
      by the decomposition, may still improve the plan; the better one wins.
      Targets move between waves too (an assignment per wave prices a move from another
      team's other wave). Every joint plan gets a proven **lower bound** (``bound.py``: the LP
      relaxation of the wave model, solved by GLOP) and its gap, ``stats["lower_bound"]`` and
      ``stats["gap"]``; ``joint_objective`` restates the objective of an edited plan.
    * ``replan`` (``replan.py``): after an officer drops out or visits change, keeps done
      visits and started routes, substitutes an equivalent officer, else reinserts cheaply,
      else re-solves; reports the number of moved visits.
    * ``evaluate`` (``evaluate.py``): the independent oracle, one short function per rule.
      Every violation with a code, the rule that found it, parameters for any language, the
      objective broken down (priority covered and missed, travel, waiting, overtime, workload
      fairness) and one scalar (lower is better).

Common behaviour: ``SolveOptions`` (time limit, seed, iteration / deterministic-work limits);
``progress(fraction, best_objective)`` callback; ``should_stop()`` is polled for cancellation
(every PyVRP iteration, every balancing move, every wave reassignment, every 50 ms during
CP-SAT). Same input and seed give the same plan when the run ends by a work limit
(``max_iterations`` / ``deterministic_time``; balancing moves and joint restarts are bounded
in number too), not by the clock.

Why PyVRP for routing and CP-SAT for teams
    Measured on the Solomon VRPTW set on this project's machine
    (``shared/benchmarks/solomon/peers.md``, 10 s per instance): PyVRP 0.14.1 solved all 56
    instances with a mean gap of 0.24 % (max 1.61 %) to the distance-only best-known
    solutions; OR-Tools routing (PATH_CHEAPEST_ARC + guided local search) found no solution
    at all on 7 of 56 tight-window instances and averaged 6.33 % on the rest (PARALLEL_CHEAPEST_
    INSERTION: all 56, mean 7.32 %, max 27.68 %). PyVRP has prizes, client groups for
    alternative windows, profiles, multiple depots and shifts; it lacks per-client vehicle
    restrictions (modelled with profiles) and cross-route synchronisation. Team formation and
    synchronised waves are an assignment problem with side constraints, not a routing one,
    so they go to CP-SAT.
"""

from scheduler.solver.control import SolveOptions
from scheduler.solver.evaluate import (
    CHECKER_VERSION,
    Evaluation,
    Objective,
    Violation,
    evaluate,
    explain_unplanned,
    explain_visit,
)
from scheduler.solver.joint import operation_bound, plan_joint
from scheduler.solver.model import (
    MINUTES_PER_DAY,
    Depot,
    JointOperation,
    Night,
    Officer,
    Plan,
    Problem,
    Route,
    Site,
    Stop,
    TeamRequirement,
    Unplanned,
    Visit,
    Wave,
)
from scheduler.solver.pairs import pair_officers
from scheduler.solver.replan import Change, ReplanResult, count_moves, replan
from scheduler.solver.routine import plan_routine
from scheduler.solver.travel import GeodesicTravel, SpeedBand, TravelTimeProvider

__all__ = [
    "CHECKER_VERSION",
    "MINUTES_PER_DAY",
    "Change",
    "Depot",
    "Evaluation",
    "GeodesicTravel",
    "JointOperation",
    "Night",
    "Objective",
    "Officer",
    "Plan",
    "Problem",
    "ReplanResult",
    "Route",
    "Site",
    "SolveOptions",
    "SpeedBand",
    "Stop",
    "TeamRequirement",
    "TravelTimeProvider",
    "Unplanned",
    "Violation",
    "Visit",
    "Wave",
    "count_moves",
    "evaluate",
    "explain_unplanned",
    "explain_visit",
    "operation_bound",
    "pair_officers",
    "plan_joint",
    "plan_routine",
    "replan",
]
