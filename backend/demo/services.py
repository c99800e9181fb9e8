"""Loading the demo: the one write of this app, composing every stage's own services.

``demo_load`` runs the parts in order, each once: the city (registry and logins), the violation
catalogue, the field work for the phones (tonight and tomorrow night), the five-year history and
the present (recent work, reviews, cases, referrals, due work, a draft operation). A part already
there is left alone, so running it again fills in only what is missing.
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.utils import timezone

from backend.compliance.services import violation_catalogue_load
from backend.demo.city import DemoResult, default_start, load_demo
from backend.demo.field import load_field_demo
from backend.demo.history import load_history
from backend.demo.work import load_work


@dataclass
class DemoLoad:
    city: DemoResult
    field_work: dict[str, int] = field(default_factory=dict)
    history: dict[str, int] = field(default_factory=dict)
    work: dict[str, int] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)


def demo_load(
    *,
    seed: int = 1,
    start: dt.date | None = None,
    scale: float = 1.0,
    logins_file: Path | None = None,
    now: dt.datetime | None = None,
    actor: Any = None,
) -> DemoLoad:
    """Load whatever part of the demo is missing. ``now`` (default: the clock) places tonight's,
    yesterday's and tomorrow's work; ``start`` the four weeks of shifts (default: this week's
    Monday)."""
    now = now or timezone.now()
    timings: dict[str, float] = {}

    def timed(part: str, run: Any) -> Any:
        began = time.perf_counter()
        out = run()
        timings[part] = round(time.perf_counter() - began, 2)
        return out

    city = timed(
        "city",
        lambda: load_demo(
            seed=seed,
            start=start or default_start(timezone.localdate(now)),
            scale=scale,
            actor=actor,
            logins_file=logins_file,
        ),
    )
    timed("catalogue", lambda: violation_catalogue_load(actor=actor))
    field_counts = timed("field", lambda: load_field_demo(now=now, actor=actor))
    history = timed("history", lambda: load_history(seed=seed, actor=actor))
    work = timed("work", lambda: load_work(seed=seed, now=now, actor=actor))
    return DemoLoad(city=city, field_work=field_counts, history=history, work=work, seconds=timings)
