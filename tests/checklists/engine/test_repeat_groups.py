from backend.checklists.engine import validate_submission

from .factories import codes, definition, options, question

WORKERS = definition(
    question("workers_checked", "integer", min=0),
    question(
        "workers",
        "repeat",
        count_question="workers_checked",
        max_count=3,
        questions=[
            question(
                "residency", "single_choice", options=options("resident", "non_resident"), required=True
            ),
            question(
                "nationality",
                "text",
                visible_if="residency = 'non_resident'",
                required_if="residency != 'resident'",
            ),
            question("age", "integer", min=10, max=90, constraint=". >= minimum_age"),
        ],
    ),
    question("minimum_age", "integer"),
)


def test_errors_inside_entries_carry_indexed_paths():
    answers = {
        "workers_checked": 3,
        "workers": [
            {"residency": "resident", "age": 40},
            {"residency": "non_resident", "age": 5},
            {"residency": "martian", "nationality": 7},
        ],
    }
    assert codes(validate_submission(WORKERS, answers)) == [
        ("workers[1].nationality", "required"),
        ("workers[1].age", "min"),
        ("workers[2].residency", "choice"),
    ]


def test_entry_keys_that_are_not_questions_of_the_group_are_unknown():
    answers = {"workers": [{"residency": "resident", "workers_checked": 1}]}
    assert codes(validate_submission(WORKERS, answers)) == [
        ("workers[0].workers_checked", "unknown_question")
    ]


def test_count_question_must_match_the_number_of_entries():
    answers = {"workers_checked": 2, "workers": [{"residency": "resident"}]}
    result = validate_submission(WORKERS, answers)
    assert codes(result) == [("workers", "count_mismatch")]
    assert "1 entries given but workers_checked says 2" in result.errors[0].message


def test_entry_count_bounds():
    answers = {"workers": [{"residency": "resident"}] * 4}
    assert codes(validate_submission(WORKERS, answers)) == [("workers", "max")]


def test_entries_must_be_objects():
    assert codes(validate_submission(WORKERS, {"workers": ["x", {"residency": "resident"}]})) == [
        ("workers[0]", "type")
    ]
    assert codes(validate_submission(WORKERS, {"workers": {"residency": "resident"}})) == [
        ("workers", "type")
    ]


def test_entry_constraint_reads_a_top_level_answer():
    answers = {"workers": [{"residency": "resident", "age": 15}], "minimum_age": 16}
    assert codes(validate_submission(WORKERS, answers)) == [("workers[0].age", "constraint")]


def test_hidden_answers_inside_entries_are_dropped_with_their_path():
    answers = {"workers": [{"residency": "resident", "nationality": "Nepal"}]}
    result = validate_submission(WORKERS, answers)
    assert result.ok
    assert result.dropped == ("workers[0].nationality",)
    assert result.answers == {"workers": [{"residency": "resident"}]}


def test_hidden_group_drops_every_entry_without_errors():
    d = definition(
        question("any_workers"),
        question(
            "workers",
            "repeat",
            visible_if="any_workers",
            questions=[question("age", "integer", required=True)],
        ),
    )
    result = validate_submission(d, {"any_workers": False, "workers": [{"age": "old"}, {"zzz": 1}]})
    assert result.ok
    assert result.dropped == ("workers",)


def test_nested_repeat_groups_have_nested_paths():
    d = definition(
        question(
            "rooms",
            "repeat",
            questions=[
                question("beds", "integer"),
                question(
                    "occupants", "repeat", questions=[question("age", "integer", max=99, constraint=". > 0")]
                ),
            ],
        ),
    )
    answers = {"rooms": [{"beds": 2, "occupants": [{"age": 30}]}, {"occupants": [{"age": 1}, {"age": 0}]}]}
    assert codes(validate_submission(d, answers)) == [("rooms[1].occupants[1].age", "constraint")]


def test_visibility_inside_an_entry_uses_that_entry_only():
    d = definition(
        question(
            "workers",
            "repeat",
            questions=[
                question("minor"),
                question("school", "text", visible_if="minor", required_if="minor"),
            ],
        )
    )
    answers = {"workers": [{"minor": True}, {"minor": False, "school": "x"}]}
    result = validate_submission(d, answers)
    assert codes(result) == [("workers[0].school", "required")]
    assert result.dropped == ("workers[1].school",)


def test_top_level_question_can_aggregate_over_entries():
    d = definition(
        question("workers", "repeat", questions=[question("minor")]),
        question(
            "guardian_present",
            visible_if="any(workers, minor)",
            required_if="count_where(workers, minor) >= 1",
        ),
    )
    assert codes(validate_submission(d, {"workers": [{"minor": False}, {"minor": True}]})) == [
        ("guardian_present", "required")
    ]
    assert validate_submission(d, {"workers": [{"minor": False}]}).ok
