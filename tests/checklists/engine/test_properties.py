"""Property tests: the engine's promises hold for any answers, not only the ones we thought of."""

import random

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from backend.checklists.engine import (
    ERROR_CODES,
    ValidationResult,
    derive,
    load_builtin,
    parse_definition,
    validate_submission,
)

from .factories import UUID, definition, options, question, rule, text

BUILTINS = {code: parse_definition(raw) for code, raw in load_builtin().items()}

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4),
    max_leaves=12,
)

# A definition exercising every answerable type, skip logic, required_if and a repeat group.
GATED = definition(
    sections=[
        {
            "key": "always",
            "title": text(),
            "questions": [
                question("gate", required=True),
                question("n", "integer", min=0, max=100, required=True),
                question("amount", "decimal", min=0, max=1000),
                question("kind", "single_choice", options=options("a", "b", "c"), required_if="n > 50"),
                question("kinds", "multiple_choice", options=options("x", "y", "z"), max_selected=2),
                question("when", "date", min="2020-01-01", max="2030-12-31"),
                question("at", "time", min="06:00", max="22:00"),
                question("remark", "text", max_length=50),
                question("workers", "repeat", max_count=5, questions=[
                    question("age", "integer", min=14, max=90, required=True),
                    question("minor_ok", visible_if="age < 18", required_if="age < 16"),
                    question("wage", "decimal", min=0, max=100000),
                ]),
            ],
        },
        {
            "key": "hidden_unless_gate",
            "title": text(),
            "visible_if": "gate",
            "questions": [
                question("photo", "photo", required=True),
                question("sig", "signature", required=True),
                question("where", "gps", required=True, max_accuracy=50),
                question("detail", "integer", required=True, min=0, max=1, constraint=". = 1"),
                question("more", "repeat", questions=[question("x", "text", required=True)]),
            ],
        },
    ],
    findings=[
        rule("minor", "age < 16", per_entry="workers", evidence=["age", "minor_ok"]),
        rule("big", "n > 50 and selected(kind, 'a')", evidence=["n", "kind"]),
        rule("any_minor", "any(workers, age < 18) or sum(workers, wage) > 1000"),
    ],
)  # fmt: skip
GATED_KEYS = [q.key for q in GATED.iter_questions()]
HIDDEN_WHEN_GATE_FALSE = ["photo", "sig", "where", "detail", "more"]


def worker():
    return st.fixed_dictionaries(
        {"age": st.integers(14, 90)},
        optional={
            "minor_ok": st.booleans(),
            "wage": st.decimals(0, 100000, places=2).map(str),
        },
    ).map(lambda w: {**w, "minor_ok": w.get("minor_ok", True)} if w["age"] < 16 else w)


valid_answers = st.fixed_dictionaries(
    {"gate": st.just(False), "n": st.integers(0, 100)},
    optional={
        "amount": st.floats(0, 1000, allow_nan=False),
        "kinds": st.lists(st.sampled_from(["x", "y", "z"]), max_size=2, unique=True),
        "when": st.dates(min_value=__import__("datetime").date(2020, 1, 1),
                         max_value=__import__("datetime").date(2030, 12, 31)).map(str),
        "at": st.times().map(lambda t: t.strftime("%H:%M")).filter(lambda s: "06:00" <= s <= "22:00"),
        "remark": st.text(max_size=50),
        "workers": st.lists(worker(), max_size=5),
    },
).map(lambda a: {**a, "kind": "a"} if a["n"] > 50 else a)  # fmt: skip

valid_gated_in = st.fixed_dictionaries(
    {
        "photo": st.uuids().map(str),
        "sig": st.uuids().map(str),
        "where": st.fixed_dictionaries(
            {"lat": st.floats(-90, 90), "lon": st.floats(-180, 180), "accuracy": st.floats(0, 50)}
        ),
        "detail": st.just(1),
        "more": st.lists(st.fixed_dictionaries({"x": st.text(min_size=1).filter(str.strip)}), max_size=3),
    }
)

FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _check_result(result):
    assert isinstance(result, ValidationResult)
    assert all(e.code in ERROR_CODES for e in result.errors)


@FAST
@given(code=st.sampled_from(sorted(BUILTINS)), data=st.data())
def test_validate_never_raises_on_arbitrary_json_answers(code, data):
    d = BUILTINS[code]
    keys = st.sampled_from([q.key for q in d.iter_questions()]) | st.text(max_size=8)
    answers = data.draw(st.dictionaries(keys, json_values, max_size=12) | json_values)
    _check_result(validate_submission(d, answers))
    derive(d, answers)


@FAST
@given(answers=st.dictionaries(st.sampled_from(GATED_KEYS), json_values, max_size=10))
def test_derive_never_raises_on_arbitrary_answers_to_known_keys(answers):
    result = derive(GATED, answers)
    _check_result(result.validation)


@FAST
@given(answers=valid_answers)
def test_answers_generated_to_be_valid_produce_no_errors(answers):
    result = validate_submission(GATED, answers)
    assert result.ok, result.errors
    assert result.dropped == tuple(
        f"workers[{i}].minor_ok"
        for i, w in enumerate(answers.get("workers", []))
        if "minor_ok" in w and w["age"] >= 18
    )


@FAST
@given(answers=valid_answers, inner=valid_gated_in)
def test_answers_valid_with_the_gate_open_produce_no_errors(answers, inner):
    result = validate_submission(GATED, {**answers, "gate": True, **inner})
    assert result.ok, result.errors


@FAST
@given(answers=valid_answers, junk=st.fixed_dictionaries({k: json_values for k in HIDDEN_WHEN_GATE_FALSE}))
def test_hidden_questions_never_produce_errors(answers, junk):
    junk = {k: v for k, v in junk.items() if v is not None}
    result = validate_submission(GATED, {**answers, **junk})
    assert result.ok, result.errors
    assert set(result.dropped) >= set(junk)
    assert not set(junk) & set(result.answers)


@FAST
@given(answers=st.dictionaries(st.sampled_from(GATED_KEYS), json_values, max_size=10) | valid_answers,
       seed=st.integers(0, 2**32))  # fmt: skip
def test_derive_is_deterministic_and_ignores_key_order(answers, seed):
    first = derive(GATED, answers)
    items = list(answers.items())
    random.Random(seed).shuffle(items)
    assert derive(GATED, dict(items)) == first
    assert derive(GATED, answers) == first


@FAST
@given(answers=valid_answers)
def test_scores_never_exceed_their_maximum_per_question(answers):
    score = derive(GATED, answers).score
    assert all(q.score <= q.maximum for q in score.questions)


def test_sample_uuid_constant_is_a_uuid():
    assert len(UUID) == 36
