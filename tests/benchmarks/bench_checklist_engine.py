"""Checklist engine benchmark: prints figures, never fails on a time.

python tests/benchmarks/bench_checklist_engine.py
"""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from backend.checklists.engine import (
    derive,
    load_builtin,
    parse_definition,
    parse_expression,
    validate_submission,
)

UUID = "1b4e28ba-2fa1-11d2-883f-0016d3cca427"
ENTRIES = 20


def text(en: str) -> dict[str, str]:
    return {"en": en, "zh-hant": f"{en}（中）", "pt": f"{en} (pt)"}


def q(key: str, type_: str, **extra: Any) -> dict[str, Any]:
    return {"key": key, "type": type_, "label": text(key), **extra}


def bench_definition() -> dict[str, Any]:
    """60 answerable questions (39 at the top level, the repeat group and 21 inside it) and a note."""
    top: list[dict[str, Any]] = [q("workers_count", "integer", min=0, max=500, required=True)]
    for i in range(10):
        top.append(q(f"yn_{i}", "yes_no", required=True, score={"yes": 1, "no": 0}))
    for i in range(8):
        top.append(
            q(
                f"int_{i}",
                "integer",
                min=0,
                max=1000,
                constraint=". <= workers_count * 10",
                visible_if=f"yn_{i}",
            )
        )
    for i in range(6):
        top.append(q(f"dec_{i}", "decimal", min=0, max=100000, required_if=f"int_{i} > 5"))
    opts = [{"code": c, "label": text(c), "score": s} for c, s in (("a", 2), ("b", 1), ("c", 0))]
    for i in range(5):
        top.append(q(f"choice_{i}", "single_choice", options=opts, required=True))
    top.append(q("multi", "multiple_choice", options=opts, max_selected=2))
    top += [
        q("visit_date", "date", min="2020-01-01"),
        q("start", "time"),
        q("where", "gps", required=True, max_accuracy=100),
        q("photos", "photo", multiple=True, max_count=10),
        q("sig", "signature", required=True),
        q("remarks", "text", max_length=2000),
        q("guidance", "note"),
    ]
    top.append(q("notes_count", "integer", visible_if="any(workers, documents_held)"))
    nationality = [{"code": c, "label": text(c)} for c in ("cn", "ph", "vn", "id", "np", "other")]
    residency = [{"code": c, "label": text(c)} for c in ("res", "nonres")]
    inner: list[dict[str, Any]] = [
        q("residency", "single_choice", required=True, options=residency),
        q("nationality", "single_choice", options=nationality, visible_if="residency = 'nonres'",
          required_if="residency = 'nonres'"),
        q("card_shown", "yes_no", visible_if="residency = 'nonres'", required_if="residency = 'nonres'"),
        q("card_matches", "yes_no", visible_if="card_shown"),
        q("age", "integer", min=10, max=90, required=True),
        q("hours", "decimal", min=0, max=24, required=True),
        q("days", "integer", min=1, max=7, required=True),
        q("wage", "decimal", min=0, max=1000000, constraint=". > 0"),
        q("fee", "decimal", min=0, max=1000000),
        q("documents_held", "yes_no", required=True, score={"yes": 0, "no": 1}),
        q("paid_on_time", "yes_no", required=True, score={"yes": 1, "no": 0}),
        q("contract", "yes_no", score={"yes": 1, "no": 0}),
        q("lodging", "yes_no"),
        q("lodging_ok", "yes_no", visible_if="lodging"),
        q("free_to_leave", "yes_no"),
        q("debt", "yes_no"),
        q("card_photo", "photo", visible_if="card_shown"),
        q("worker_note", "text", max_length=500),
        q("interviewed_on", "date"),
        q("overtime_paid", "yes_no", score={"yes": 1, "no": 0}),
        q("rest_day", "yes_no", score={"yes": 1, "no": 0}),
    ]  # fmt: skip
    top.append(q("workers", "repeat", count_question="workers_count", max_count=500, questions=inner))
    assert len(top) + len(inner) == 60 + 1  # the note takes no answer

    def rule(code: str, when: str, per_entry: str | None = None) -> dict[str, Any]:
        r = {"code": code, "when": when, "violation_code": "V-01", "severity": "high",
             "legal_basis": "Admin. Reg. 17/2004", "competent_agency": "PSP",
             "title": text(code)}  # fmt: skip
        if per_entry:
            r["per_entry"] = per_entry
        return r

    findings = [
        rule("no_card", "residency = 'nonres' and (card_shown = false or card_matches = false)", "workers"),
        rule("minor", "age < 16", "workers"),
        rule("hours", "hours > 8 or days = 7", "workers"),
        rule("fee", "fee > wage * 0.5", "workers"),
        rule("screen", "count_true(documents_held, debt, free_to_leave = false) >= 2", "workers"),
        rule("many", "count_where(workers, documents_held) > 3 or sum(workers, fee) > 10000"),
    ] + [rule(f"top_{i}", f"yn_{i} = false and int_{i} > 3") for i in range(8)]
    return {
        "format": 1,
        "code": "bench",
        "title": text("Benchmark"),
        "site_kinds": ["construction_site"],
        "categories": ["illegal_employment"],
        "sections": [{"key": "main", "title": text("Main"), "questions": top}],
        "findings": findings,
    }


def bench_answers() -> dict[str, Any]:
    a: dict[str, Any] = {"workers_count": ENTRIES}
    a.update({f"yn_{i}": i % 3 != 0 for i in range(10)})
    a.update({f"int_{i}": i * 7 for i in range(8)})
    a.update({f"dec_{i}": f"{i * 12.5:.2f}" for i in range(6)})
    a.update({f"choice_{i}": "abc"[i % 3] for i in range(5)})
    a.update(multi=["a", "b"], visit_date="2024-05-02", start="09:30", sig=UUID, photos=[UUID] * 3,
             where={"lat": 22.19, "lon": 113.54, "accuracy": 12}, remarks="ok", notes_count=2)  # fmt: skip
    workers = []
    for i in range(ENTRIES):
        nonres = i % 4 != 0
        w: dict[str, Any] = {"residency": "nonres" if nonres else "res", "age": 15 + i, "hours": 8 + i % 4,
                             "days": 5 + i % 3, "wage": 6000 + 100 * i, "fee": 2500 + 100 * i,
                             "documents_held": i % 5 == 0, "paid_on_time": i % 2 == 0, "contract": True,
                             "lodging": i % 2 == 1, "free_to_leave": i % 7 != 0, "debt": i % 3 == 0,
                             "worker_note": "note", "interviewed_on": "2024-05-02",
                             "overtime_paid": i % 3 != 1, "rest_day": True}  # fmt: skip
        if nonres:
            w.update(nationality="ph", card_shown=i % 6 != 0, card_matches=True, card_photo=UUID)
        if w["lodging"]:
            w["lodging_ok"] = True
        workers.append(w)
    a["workers"] = workers
    return a


def measure(label: str, fn: Callable[[], object], min_seconds: float = 1.0, unit: str = "ops") -> None:
    fn()  # warm up
    runs: list[float] = []
    start = time.perf_counter()
    while time.perf_counter() - start < min_seconds or len(runs) < 5:
        t0 = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - t0)
    median = statistics.median(runs)
    print(f"{label:<62} {median * 1000:9.3f} ms   {1 / median:10.1f} {unit}/s   ({len(runs)} runs)")


def main() -> None:
    print(f"Python {sys.version.split()[0]}", flush=True)
    builtins = load_builtin()
    raw = bench_definition()
    answers = bench_answers()
    parsed = parse_definition(raw)
    result = validate_submission(parsed, answers)
    derived = derive(parsed, answers)
    answerable = sum(q.type != "note" for q in parsed.questions.values())
    print(
        f"bench submission: {answerable} questions + 1 note, {ENTRIES} repeat entries, "
        f"{len(result.errors)} errors, {len(result.dropped)} dropped, {len(derived.findings)} findings"
    )
    measure(
        f"parse all {len(builtins)} built-in definitions",
        lambda: [parse_definition(d) for d in builtins.values()],
    )
    measure("parse the 60-question benchmark definition", lambda: parse_definition(raw))
    measure(
        "validate_submission (parsed definition)",
        lambda: validate_submission(parsed, answers),
        unit="validations",
    )
    measure(
        "validate_submission (raw definition, parsed each time)",
        lambda: validate_submission(raw, answers),
        unit="validations",
    )
    measure("derive (score + findings + validation)", lambda: derive(parsed, answers), unit="derivations")
    source = (
        "count_true(a, b, c = 1) >= 2 or (fee > wage * 0.5 and selected(k, 'x')) or any(workers, age < 16)"
    )
    measure("parse one 100-character expression", lambda: parse_expression(source), unit="parses")
    ilo = parse_definition(builtins["ilo_forced_labour_screening"])
    persons = [{"person_ref": f"P{i}", "age_band": "26_40", "consent": True,
                **{f"fl_{k:02d}": (i + k) % 4 == 0 for k in range(1, 12)}} for i in range(50)]  # fmt: skip
    screening = {"interview_language": "english", "interpreter_used": True, "screened_count": 50,
                 "persons": persons, "officer_signature": UUID}  # fmt: skip
    flagged = sum(f.potential_victim for f in derive(ilo, screening).findings)
    measure(
        f"derive ILO screening of 50 persons ({flagged} flagged)",
        lambda: derive(ilo, screening),
        unit="derivations",
    )


if __name__ == "__main__":
    main()
