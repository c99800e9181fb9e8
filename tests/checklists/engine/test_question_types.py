import pytest

from backend.checklists.engine import validate_submission

from .factories import codes, definition, options, question

UUID = "1b4e28ba-2fa1-11d2-883f-0016d3cca427"
UUID2 = "6f9619ff-8b86-d011-b42d-00cf4fc964ff"

CASES = [
    # (question, answer, expected error codes)
    (question("q", "yes_no"), True, []),
    (question("q", "yes_no"), False, []),
    (question("q", "yes_no"), "yes", ["type"]),
    (question("q", "yes_no"), 1, ["type"]),
    (question("q", "integer", min=0, max=10), 10, []),
    (question("q", "integer", min=0, max=10), 11, ["max"]),
    (question("q", "integer", min=0, max=10), -1, ["min"]),
    (question("q", "integer"), 2.5, ["type"]),
    (question("q", "integer"), True, ["type"]),
    (question("q", "integer"), "3", ["type"]),
    (question("q", "decimal", min=0.5, max=2.5), 2.5, []),
    (question("q", "decimal", min=0.5, max=2.5), "1.25", []),
    (question("q", "decimal", min=0.5, max=2.5), 2, []),
    (question("q", "decimal", min=0.5, max=2.5), 2.51, ["max"]),
    (question("q", "decimal", min=0.5, max=2.5), 0.4, ["min"]),
    (question("q", "decimal"), "1e5", ["type"]),
    (question("q", "decimal"), float("nan"), ["type"]),
    (question("q", "decimal"), False, ["type"]),
    (question("q", "text", min_length=2, max_length=3), "abc", []),
    (question("q", "text", min_length=2, max_length=3), "abcd", ["max"]),
    (question("q", "text", min_length=2, max_length=3), "a", ["min"]),
    (question("q", "text"), ["a"], ["type"]),
    (question("q", "single_choice", options=options("a", "b")), "a", []),
    (question("q", "single_choice", options=options("a", "b")), "c", ["choice"]),
    (question("q", "single_choice", options=options("a", "b")), ["a"], ["type"]),
    (question("q", "multiple_choice", options=options("a", "b", "c")), ["a", "c"], []),
    (question("q", "multiple_choice", options=options("a", "b")), ["a", "z"], ["choice"]),
    (question("q", "multiple_choice", options=options("a", "b")), ["a", "a"], ["choice"]),
    (question("q", "multiple_choice", options=options("a", "b")), "a", ["type"]),
    (
        question("q", "multiple_choice", options=options("a", "b", "c"), max_selected=2),
        ["a", "b", "c"],
        ["max"],
    ),
    (question("q", "multiple_choice", options=options("a", "b", "c"), min_selected=2), ["a"], ["min"]),
    (question("q", "date", min="2024-01-01", max="2024-12-31"), "2024-02-29", []),
    (question("q", "date", min="2024-01-01"), "2023-12-31", ["min"]),
    (question("q", "date", max="2024-12-31"), "2025-01-01", ["max"]),
    (question("q", "date"), "2023-02-29", ["type"]),
    (question("q", "date"), "2024-1-5", ["type"]),
    (question("q", "time", min="08:00", max="18:00"), "08:00", []),
    (question("q", "time", min="08:00", max="18:00"), "18:00:00", []),
    (question("q", "time", min="08:00", max="18:00"), "07:59:59", ["min"]),
    (question("q", "time", min="08:00", max="18:00"), "18:01", ["max"]),
    (question("q", "time"), "24:00", ["type"]),
    (question("q", "photo"), UUID, []),
    (question("q", "photo"), UUID.upper(), []),
    (question("q", "photo"), "photo.jpg", ["type"]),
    (question("q", "photo"), [UUID], ["type"]),
    (question("q", "photo", multiple=True, max_count=1), [UUID], []),
    (question("q", "photo", multiple=True, max_count=1), [UUID, UUID2], ["max"]),
    (question("q", "photo", multiple=True), [UUID, "nope"], ["type"]),
    (question("q", "signature"), UUID, []),
    (question("q", "signature"), UUID.replace("-", ""), ["type"]),
    (question("q", "gps"), {"lat": 22.19, "lon": 113.54, "accuracy": 8}, []),
    (question("q", "gps"), {"lat": 22.19, "lon": 113.54}, []),
    (question("q", "gps", max_accuracy=50), {"lat": 22.19, "lon": 113.54, "accuracy": 120}, ["max"]),
    (question("q", "gps"), {"lat": 91, "lon": 113.54}, ["type"]),
    (question("q", "gps"), {"lat": 22.19, "lon": 113.54, "accuracy": -1}, ["type"]),
    (question("q", "gps"), {"lat": "22.19", "lon": 113.54}, ["type"]),
    (question("q", "gps"), {"lat": 22.19}, ["type"]),
    (question("q", "gps"), {"lat": 22.19, "lon": 113.54, "alt": 3}, ["type"]),
    (question("q", "gps"), [22.19, 113.54], ["type"]),
    (question("q", "note"), "anything", ["unknown_question"]),
]


@pytest.mark.parametrize(("q", "answer", "expected"), CASES)
def test_answer_shape_and_bounds(q, answer, expected):
    result = validate_submission(definition(q), {"q": answer})
    assert [code for _, code in codes(result)] == expected
    assert all(path == "q" for path, _ in codes(result))


@pytest.mark.parametrize(
    ("type_", "empty", "extra"),
    [
        ("text", "   ", {}),
        ("multiple_choice", [], {"options": options("a")}),
        ("repeat", [], {"questions": [question("x")]}),
        ("integer", None, {}),
    ],
)
def test_empty_answers_do_not_satisfy_required(type_, empty, extra):
    result = validate_submission(definition(question("q", type_, required=True, **extra)), {"q": empty})
    assert codes(result) == [("q", "required")]


def test_false_and_zero_are_answers():
    d = definition(question("a", required=True), question("n", "integer", required=True))
    assert validate_submission(d, {"a": False, "n": 0}).ok


def test_unknown_keys_are_reported():
    result = validate_submission(definition(question("a")), {"a": True, "b": 1})
    assert codes(result) == [("b", "unknown_question")]


def test_answers_that_are_not_an_object_are_one_type_error():
    result = validate_submission(definition(question("a")), ["not", "an", "object"])
    assert codes(result) == [("", "type")]
