"""The conformance corpus: checklists and answers run through the Python engine and through the
field app's evaluator (mobile_api/field/static/field/js/logic.js), which must agree on every
visibility, requirement, constraint, validation error and dropped answer.

Cases come from every built-in template (valid answers, then the same answers perturbed: wrong
types, out-of-range values, hidden answers, miscounted repeat entries, unknown keys) and from a
generated checklist whose visibility and constraints are random expressions over every
question type, exercising null semantics, exact decimals, string order and aggregates.
"""

from __future__ import annotations

import copy
import json
import random
from typing import Any

from backend.checklists.engine import load_builtin, parse_definition, validate_submission
from backend.checklists.engine.expressions import evaluate
from backend.checklists.engine.submission import EntryScope, Submission, path_of
from mobile_api.logic import definition_logic
from tests.checklists.engine.factories import UUID, fill, options, question, raw_definition, text


def python_report(definition: Any, answers: Any) -> dict[str, Any]:
    """What logic.js's ``report()`` computes, computed by the engine."""
    sub = Submission(definition, answers)
    sections = {s.key: sub.section_visible(s.key) for s in definition.sections}
    visible: dict[str, bool] = {}
    required: dict[str, bool] = {}
    constraint: dict[str, Any] = {}
    for q in definition.questions.values():
        for ctx in sub.instances(q):
            path = path_of(ctx, q.key)
            visible[path] = sub.visible(ctx, q)
            if q.type != "note":
                required[path] = sub.required(ctx, q)
            if q.constraint is not None:
                value = evaluate(q.constraint.node, EntryScope(sub, ctx, q))
                constraint[path] = value if isinstance(value, bool) else None
    result = validate_submission(definition, answers)
    return {
        "sections": sections,
        "visible": visible,
        "required": required,
        "constraint": constraint,
        "errors": [[e.path, e.code] for e in result.errors],
        "dropped": list(result.dropped),
    }


# --------------------------------------------------------------------------- perturbations

ODD_VALUES = [
    None, True, False, 0, -1, 7, 10**6, 2.5, -0.25, "", " ", "\x1c", "\ufeff", "abc", "12", "1.50",
    "1,5", "2024-02-29", "2023-02-29", "21:30", "24:00", UUID, [], ["x"], {}, {"lat": 22.2, "lon": 113.5},
]  # fmt: skip


def _paths(answers: Any, prefix: tuple = ()) -> list[tuple]:
    out = []
    if isinstance(answers, dict):
        for key, value in answers.items():
            out.append((*prefix, key))
            out.extend(_paths(value, (*prefix, key)))
    elif isinstance(answers, list):
        for index, value in enumerate(answers):
            out.extend(_paths(value, (*prefix, index)))
    return out


def _set(answers: Any, path: tuple, value: Any) -> None:
    target = answers
    for part in path[:-1]:
        target = target[part]
    target[path[-1]] = value


def perturb(answers: dict[str, Any], rng: random.Random, n: int) -> dict[str, Any]:
    out = copy.deepcopy(answers)
    for _ in range(n):
        paths = _paths(out)
        choice = rng.random()
        if not paths or choice < 0.1:
            out[rng.choice(["unknown_key", "remarks", "persons"])] = rng.choice(ODD_VALUES)
            continue
        path = rng.choice(paths)
        if choice < 0.25:
            parent = out
            for part in path[:-1]:
                parent = parent[part]
            if isinstance(parent, dict):
                parent.pop(path[-1], None)
            continue
        current = out
        for part in path:
            current = current[part]
        if isinstance(current, bool):
            value: Any = (not current) if rng.random() < 0.7 else rng.choice(ODD_VALUES)
        elif isinstance(current, int):
            value = rng.choice([current + 1, current - 1, 0, 3, 51, -5, current * 100, "3"])
        elif isinstance(current, list) and current and isinstance(current[0], dict):
            value = [*current, copy.deepcopy(current[0])] if rng.random() < 0.5 else current[:1]
        else:
            value = rng.choice(ODD_VALUES)
        _set(out, path, value)
    return out


def builtin_cases(per_template: int = 40, seed: int = 14) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    cases = []
    for code, raw in sorted(load_builtin().items()):
        definition = parse_definition(raw)
        for entries in (1, 2, 3):
            for yes in (True, False):
                base = fill(definition, yes=yes, entries=entries)
                cases.append({"name": f"{code}/fill-{entries}-{yes}", "raw": raw, "answers": base})
        base = fill(definition, yes=True, entries=2)
        for i in range(per_template):
            answers = perturb(base if i % 2 else fill(definition, yes=False, entries=1), rng, 1 + i % 5)
            cases.append({"name": f"{code}/perturbed-{i}", "raw": raw, "answers": answers})
    return cases


# --------------------------------------------------------------------------- generated expressions

NUMBER_REFS = [
    "a",
    "b",
    "count(w)",
    "len(c)",
    "count_selected(e)",
    "sum(w, x)",
    "sum(w, y)",
    "count_where(w, z)",
]
TEXT_REFS = [
    "c",
    "d",
    "g",
    "h",
    "'abc'",
    "''",
    "' '",
    "'2024-01-01'",
    "'21:00'",
    "'é'",
    "'\U0001d518'",
    "'\uff41'",
]


def gen_number(rng: random.Random, depth: int) -> str:
    r = rng.random()
    if depth <= 0 or r < 0.35:
        return rng.choice(
            [
                str(rng.randint(0, 40)),
                rng.choice(["0.5", "1.25", "3.333", "0.1", "2.0", "100.01"]),
                *NUMBER_REFS,
            ]
        )
    if r < 0.8:
        op = rng.choice(["+", "-", "*", "/"])
        return f"({gen_number(rng, depth - 1)} {op} {gen_number(rng, depth - 1)})"
    if r < 0.9:
        return f"-{gen_number(rng, depth - 1)}"
    return f"coalesce({gen_number(rng, depth - 1)}, {gen_number(rng, 0)})"


EQ_LEFT = ["a", "b", "c", "d", "f", "e", "null", "true", "1"]
EQ_RIGHT = ["a", "b", "c", "d", "f", "e", "null", "false", "1.0", "'x'"]
LISTS = ["[1, 2, 3]", "['x', 'y']", "['x']", "[1.5, null]", "[]"]
# Exact decimals: 28 significant digits, rounded half to even, as Python's Decimal.
DECIMAL_EDGES = [
    "b / 3 * 3 = b",
    "(1 / 3) * 3 < 1",
    "(2 / 3) = 0.6666666666666666666666666667",
    "b / 7 > 0.142857142857142857142857142857",
    "b * 1 = 1.000000000000000000000000002",
    "b * 1 = 1.000000000000000000000000000",
    "b + 0 = b",
    "-b = 0 - b",
    "sum(w, y) / 3 = 0.5",
    "b * b * b * b * b * b > 1000000",
]


def gen_bool(rng: random.Random, depth: int, current: bool = False) -> str:
    r = rng.random()
    if depth <= 0 or r < 0.45:
        cmp = rng.choice(["=", "!=", "<", "<=", ">", ">="])
        leaves = [
            lambda: f"{gen_number(rng, 2)} {cmp} {gen_number(rng, 2)}",
            lambda: f"{rng.choice(TEXT_REFS)} {cmp} {rng.choice(TEXT_REFS)}",
            lambda: f"{rng.choice(EQ_LEFT)} {rng.choice(['=', '!='])} {rng.choice(EQ_RIGHT)}",
            lambda: "f",
            lambda: f"selected(d, '{rng.choice(['x', 'y', 'z'])}')",
            lambda: f"selected(e, '{rng.choice(['x', 'y', 'z'])}')",
            lambda: f"is_empty({rng.choice(['a', 'b', 'c', 'd', 'e', 'w', 'g', 'null'])})",
            lambda: f"any(w, {rng.choice(['z', 'x > 2', 'y >= 1.5', 'x = a', 'is_empty(y)'])})",
            lambda: f"all(w, {rng.choice(['z', 'x < 5', 'y != 0', 'not z'])})",
            lambda: f"{rng.choice(['a', 'd', 'b', 'c'])} {rng.choice(['in', 'not in'])} {rng.choice(LISTS)}",
            lambda: f"count_true(f, a > 3, selected(d, 'x')) >= {rng.randint(0, 3)}",
            lambda: f"coalesce(f, {rng.choice(['true', 'false', 'null'])})",
            lambda: f"e = {rng.choice(LISTS)}",
            lambda: rng.choice(DECIMAL_EDGES),
        ]
        if current:
            leaves += [lambda: f". {cmp} {gen_number(rng, 1)}", lambda: "not is_empty(.)"]
        return rng.choice(leaves)()
    if r < 0.65:
        return f"({gen_bool(rng, depth - 1, current)} and {gen_bool(rng, depth - 1, current)})"
    if r < 0.85:
        return f"({gen_bool(rng, depth - 1, current)} or {gen_bool(rng, depth - 1, current)})"
    return f"not ({gen_bool(rng, depth - 1, current)})"


BASE_QUESTIONS = [
    question("a", "integer", min=0, max=30),
    question("b", "decimal", min=-100, max=1000),
    question("c", "text", max_length=8),
    question("d", "single_choice", options=options("x", "y", "z")),
    question("e", "multiple_choice", options=options("x", "y", "z"), max_selected=2),
    question("f", "yes_no"),
    question("g", "date", min="2020-01-01"),
    question("h", "time", max="22:00"),
    question(
        "w",
        "repeat",
        max_count=4,
        questions=[question("x", "integer"), question("y", "decimal"), question("z", "yes_no")],
    ),
]


def generated_definition(rng: random.Random, targets: int = 12) -> dict[str, Any]:
    """A checklist whose targets' visibility, requirement and constraint are random expressions."""
    questions = []
    for i in range(targets):
        kind = rng.choice(["integer", "decimal", "text"])
        extra: dict[str, Any] = {
            "visible_if": gen_bool(rng, 3),
            "required_if": gen_bool(rng, 2),
            "constraint": gen_bool(rng, 2, current=True),
        }
        questions.append(question(f"t{i}", kind, **extra))
    raw = raw_definition(
        sections=[
            {"key": "base", "title": text("Base"), "questions": copy.deepcopy(BASE_QUESTIONS)},
            {"key": "gated", "title": text("Gated"), "visible_if": gen_bool(rng, 2), "questions": questions},
        ]
    )
    return raw


def random_answers(rng: random.Random, targets: int) -> dict[str, Any]:
    pick = rng.choice
    answers: dict[str, Any] = {
        "a": pick([None, 0, 1, 3, 7, 12, 30, 31, -2, 2.5, "7", True]),
        "b": pick(
            [
                None,
                "1.50",
                "3",
                0.1,
                2,
                -0.5,
                "abc",
                "0",
                "1.0000000000000000000000000001",
                333.3,
                "-7.25",
                1e-7,
                "1.0000000000000000000000000015",
                "1.0000000000000000000000000005",
                "1.0000000000000000000000000025",
                "7",
                "0.3",
            ]
        ),
        "c": pick(
            [None, "", " ", "abc", "é", "\U0001d518x", "\x1c", "\ufeff", "2024-01-01", "ｂ", "longer than 8"]
        ),
        "d": pick([None, "x", "y", "z", "q", 1]),
        "e": pick([None, [], ["x"], ["x", "y"], ["y", "x"], ["x", "x"], ["q"], "x", ["x", "y", "z"]]),
        "f": pick([None, True, False, "yes", 1]),
        "g": pick([None, "2024-01-01", "2019-12-31", "2024-02-30", "24-01-01", "2030-06-15"]),
        "h": pick([None, "21:00", "21:00:30", "23:00", "9:00", "00:00"]),
        "w": pick(
            [
                None,
                [],
                [{"x": 1, "y": "1.5", "z": True}],
                [{"x": 3, "y": 2, "z": False}, {"x": None, "z": True}, {"y": "abc"}],
                [{"x": 5}, "not an entry"],
                [{"x": 1, "q": 1}] * 5,
            ]
        ),
    }
    for i in range(targets):
        answers[f"t{i}"] = pick([None, 0, 1, 5, 20, 2.5, "1.5", "text", "", "0.3333333333333333333333333333"])
    return {k: v for k, v in answers.items() if v is not None or rng.random() < 0.3}


def generated_cases(definitions: int = 40, answers_each: int = 12, seed: int = 1414) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    cases = []
    made = 0
    while made < definitions:
        raw = generated_definition(rng)
        try:
            parse_definition(raw)
        except ValueError:
            continue  # a random expression the parser refuses (e.g. a type it cannot accept)
        made += 1
        for j in range(answers_each):
            cases.append({"name": f"generated-{made}/{j}", "raw": raw, "answers": random_answers(rng, 12)})
    return cases


def corpus() -> dict[str, Any]:
    """Every case with the Python engine's report, and each checklist once as the phone receives
    it (definition and logic trees): ``{"checklists": {id: {...}}, "cases": [...]}``."""
    checklists: dict[str, Any] = {}
    parsed: dict[str, Any] = {}
    cases = []
    for case in builtin_cases() + generated_cases():
        key = json.dumps(case["raw"], sort_keys=True)
        if key not in parsed:
            definition = parse_definition(case["raw"])
            parsed[key] = (str(len(parsed)), definition)
            checklists[parsed[key][0]] = {"definition": case["raw"], "logic": definition_logic(definition)}
        ident, definition = parsed[key]
        cases.append(
            {
                "name": case["name"],
                "checklist": ident,
                "answers": case["answers"],
                "expected": python_report(definition, case["answers"]),
            }
        )
    return {"checklists": checklists, "cases": cases}
