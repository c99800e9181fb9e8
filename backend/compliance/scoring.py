"""The compliance score of an employment agency or contractor: a transparent formula.

Pure Python (no Django), so the formula can be read, tested and changed in one place. The
service ``company_score_compute`` gathers the inputs from the database and stores the result
with its factors, shown beside the number wherever the score appears.

The formula
===========

Over a rolling window of ``WINDOW_DAYS`` (365) days ending today, for one company (the
operator or the contractor of the sites inspected):

- ``inspections``  = inspections of its sites with an accepted submission in the window.
- ``F`` (findings by severity) = the sum over its OFFICIAL findings in the window of
  low 2, medium 5, high 10, critical 20 points, divided by ``max(1, inspections)``, at most 70.
  Dividing by the inspections keeps a company inspected often from scoring worse than one
  inspected once for the same conduct.
- ``R`` (repeat violations) = 10 points for each violation code found in two or more different
  inspections in the window, at most 20.
- ``T`` (time to rectify) = for each compliance case with a notice issued in the window, the days
  between its deadline and the day it was rectified (or, not rectified, the day the case was
  closed; or today, while it is open), when positive, at most 10 per case; at most 20 in all. A
  case closed on other grounds (a penalty, no action) stops counting on the day it is decided.

``score = max(0, 100 - F - R - T)``, rounded to two decimals: 100 is a clean record. The sites'
risk score, which the scheduler uses to prioritise, is ``100 - score`` (the worst of the
site's operator and contractor).

A company with no inspection in the window scores 100 with ``inspections: 0`` beside it: the
scheduler's "never inspected" rule, not this score, sends inspectors to it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

WINDOW_DAYS = 365
SEVERITY_POINTS = {"low": 2, "medium": 5, "high": 10, "critical": 20}
FINDINGS_CAP = Decimal(70)
REPEAT_POINTS = 10
REPEAT_CAP = 20
LATE_CAP_PER_CASE = 10
LATE_CAP = 20
CENT = Decimal("0.01")


@dataclass(frozen=True)
class ScoredFinding:
    severity: str
    violation_code: str
    inspection_id: Any


@dataclass(frozen=True)
class ScoredCase:
    deadline: dt.date
    rectified_on: dt.date | None
    closed_on: dt.date | None = None


@dataclass(frozen=True)
class ScoreResult:
    score: Decimal
    factors: dict[str, Any]


def compute_score(
    *,
    today: dt.date,
    inspections: int,
    findings: Iterable[ScoredFinding],
    cases: Iterable[ScoredCase],
) -> ScoreResult:
    """The score and its factors (see the module docstring)."""
    findings = list(findings)
    by_severity = {name: 0 for name in SEVERITY_POINTS}
    for f in findings:
        by_severity[f.severity] = by_severity.get(f.severity, 0) + 1
    severity_points = sum(SEVERITY_POINTS.get(f.severity, 0) for f in findings)
    f_points = min(
        FINDINGS_CAP, (Decimal(severity_points) / max(1, inspections)).quantize(CENT, ROUND_HALF_UP)
    )

    seen: dict[str, set[Any]] = {}
    for f in findings:
        seen.setdefault(f.violation_code, set()).add(f.inspection_id)
    repeated = sorted(code for code, where in seen.items() if len(where) >= 2)
    r_points = min(REPEAT_CAP, REPEAT_POINTS * len(repeated))

    days_late = []
    for case in cases:
        late = ((case.rectified_on or case.closed_on or today) - case.deadline).days
        days_late.append(max(0, late))
    t_points = min(LATE_CAP, sum(min(LATE_CAP_PER_CASE, d) for d in days_late))

    score = max(Decimal(0), Decimal(100) - f_points - r_points - t_points).quantize(CENT, ROUND_HALF_UP)
    factors = {
        "formula": "score = max(0, 100 - F - R - T)",
        "window_days": WINDOW_DAYS,
        "inspections": inspections,
        "findings": by_severity,
        "severity_points": severity_points,
        "F": str(f_points),
        "repeat_violations": repeated,
        "R": r_points,
        "cases_with_notice": len(days_late),
        "days_late": days_late,
        "T": t_points,
    }
    return ScoreResult(score=score, factors=factors)


def risk_from_score(score: Decimal) -> Decimal:
    return (Decimal(100) - score).quantize(CENT)
