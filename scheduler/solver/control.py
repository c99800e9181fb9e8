"""Solve control shared by the solvers: options, progress reporting, cancellation, time limit."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

Progress = Callable[[float, float | None], None]
ShouldStop = Callable[[], bool]


@dataclass(frozen=True)
class SolveOptions:
    """How long and how hard to search.

    ``time_limit`` (seconds, wall clock) always applies. A run is reproducible for a ``seed``
    when it ends by a work limit instead of the clock: ``max_iterations`` for the routing search
    (PyVRP iterations), ``deterministic_time`` for CP-SAT (its deterministic work units).
    ``workers`` is CP-SAT's thread count; more than one is faster but not reproducible.
    ``priority_scale`` is the routing prize per priority point, in travel minutes: large enough
    that coverage always beats travel. ``fairness_weight`` is the cost per minute a route runs
    over its fair share of the work. ``lower_bound``: a joint operation's plan also gets the
    LP bound on its objective and the gap to it (``stats["lower_bound"]``, ``stats["gap"]``).
    """

    time_limit: float = 10.0
    seed: int = 1
    max_iterations: int | None = None
    deterministic_time: float | None = None
    workers: int = 1
    priority_scale: int = 10_000
    fairness_weight: int = 1
    lower_bound: bool = True  # joint operations: prove a lower bound after the search (bound.py)


class StopControl:
    """PyVRP stopping criterion: time limit, iteration limit, cancellation, progress reports.

    PyVRP calls it once per iteration with the best cost so far; returning True stops the search.
    """

    def __init__(
        self,
        options: SolveOptions,
        progress: Progress | None = None,
        should_stop: ShouldStop | None = None,
        *,
        span: tuple[float, float] = (0.0, 1.0),
        report_every: float = 0.25,
    ):
        self.options = options
        self.progress = progress
        self.should_stop = should_stop
        self.span = span
        self.report_every = report_every
        self.iterations = 0
        self.cancelled = False
        self._start: float | None = None
        self._last_report = 0.0

    def fraction(self) -> float:
        if self._start is None:
            return 0.0
        by_time = (time.perf_counter() - self._start) / max(self.options.time_limit, 1e-9)
        by_iter = self.iterations / self.options.max_iterations if self.options.max_iterations else 0.0
        return min(1.0, max(by_time, by_iter))

    def __call__(self, best_cost: float) -> bool:
        now = time.perf_counter()
        if self._start is None:
            self._start = now
        self.iterations += 1
        if self.should_stop is not None and self.should_stop():
            self.cancelled = True
            return True
        if self.progress is not None and now - self._last_report >= self.report_every:
            self._last_report = now
            lo, hi = self.span
            self.progress(lo + (hi - lo) * self.fraction(), float(best_cost))
        if self.options.max_iterations is not None and self.iterations > self.options.max_iterations:
            return True
        return now - self._start > self.options.time_limit


def report(progress: Progress | None, fraction: float, best: float | None) -> None:
    if progress is not None:
        progress(min(1.0, max(0.0, fraction)), best)


def cancelled(should_stop: ShouldStop | None) -> bool:
    return should_stop is not None and bool(should_stop())
