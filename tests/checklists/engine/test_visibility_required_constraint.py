from backend.checklists.engine import validate_submission

from .factories import codes, definition, options, question, text

D = definition(
    question("has_workers", required=True),
    question("workers_count", "integer", visible_if="has_workers", required_if="has_workers", min=0),
    question("non_residents", "integer", visible_if="workers_count > 0", required=True,
             constraint=". <= workers_count",
             constraint_message=text("Cannot exceed the number of workers")),
    question("details", "text", visible_if="non_residents > 0"),
)  # fmt: skip


def test_required_question_without_answer_is_an_error():
    assert codes(validate_submission(D, {})) == [("has_workers", "required")]


def test_required_if_applies_only_when_its_condition_holds():
    assert codes(validate_submission(D, {"has_workers": False})) == []
    assert codes(validate_submission(D, {"has_workers": True})) == [("workers_count", "required")]


def test_hidden_question_is_not_required_even_when_marked_required():
    # non_residents is required=True but hidden while workers_count is 0
    assert validate_submission(D, {"has_workers": True, "workers_count": 0}).ok


def test_answers_to_hidden_questions_are_dropped_not_errors():
    result = validate_submission(
        D, {"has_workers": False, "workers_count": "not even a number", "details": "x"}
    )
    assert result.ok
    assert result.dropped == ("workers_count", "details")
    assert result.answers == {"has_workers": False}


def test_hidden_answers_count_as_null_for_later_visibility():
    # workers_count is hidden, so non_residents (visible_if workers_count > 0) is hidden too.
    result = validate_submission(D, {"has_workers": False, "workers_count": 5, "non_residents": 9})
    assert result.ok
    assert set(result.dropped) == {"workers_count", "non_residents"}


def test_constraint_failure_uses_the_english_constraint_message():
    result = validate_submission(D, {"has_workers": True, "workers_count": 3, "non_residents": 5})
    assert codes(result) == [("non_residents", "constraint")]
    assert result.errors[0].message == "non_residents: Cannot exceed the number of workers"


def test_constraint_is_not_checked_when_the_value_already_has_a_type_error():
    result = validate_submission(D, {"has_workers": True, "workers_count": 3, "non_residents": "five"})
    assert codes(result) == [("non_residents", "type")]


def test_constraint_with_null_operand_passes():
    d = definition(question("a", "integer"), question("b", "integer", constraint=". < a"))
    assert validate_submission(d, {"b": 3}).ok


def test_constraint_without_message_quotes_the_expression():
    d = definition(question("b", "integer", constraint=". < 3"))
    assert validate_submission(d, {"b": 5}).errors[0].message == "b: must satisfy . < 3"


def test_section_visibility_hides_all_its_questions():
    sections = [
        {"key": "s1", "title": text(),
         "questions": [question("venue", "single_choice", options=options("bar", "flat"))]},
        {"key": "s2", "title": text(), "visible_if": "selected(venue, 'flat')",
         "questions": [question("guests", "integer", required=True)]},
    ]  # fmt: skip
    d = definition(sections=sections)
    assert validate_submission(d, {"venue": "bar", "guests": 2}).dropped == ("guests",)
    assert codes(validate_submission(d, {"venue": "flat"})) == [("guests", "required")]


def test_every_error_is_reported_not_only_the_first():
    d = definition(question("a", required=True), question("b", "integer", max=1), question("c", "text"))
    result = validate_submission(d, {"b": 5, "c": 3, "zzz": 1})
    assert codes(result) == [("zzz", "unknown_question"), ("a", "required"), ("b", "max"), ("c", "type")]


def test_visibility_chain_longer_than_the_recursion_limit_is_fine():
    qs = [question("q0")] + [question(f"q{i}", visible_if=f"q{i - 1}") for i in range(1, 400)]
    d = definition(*qs)
    answers = {f"q{i}": True for i in range(400)}
    assert validate_submission(d, answers).ok
    answers["q0"] = False
    assert len(validate_submission(d, answers).dropped) == 399
