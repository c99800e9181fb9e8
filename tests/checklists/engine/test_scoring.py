from decimal import Decimal

from backend.checklists.engine import derive

from .factories import definition, options, question, text

SECTIONS = [
    {
        "key": "licence",
        "title": text(),
        "questions": [
            question("licence_displayed", score={"yes": 2, "no": 0}),
            question("guarantee", score={"yes": 1, "no": 0}, weight=3),
            question(
                "premises",
                "single_choice",
                options=options("office", "flat", scores={"office": 1, "flat": -1}),
            ),
            question("unscored"),
        ],
    },
    {
        "key": "records",
        "title": text(),
        "questions": [
            question(
                "kept", "multiple_choice", options=options("a", "b", "c", scores={"a": 1, "b": 2, "c": -1})
            ),
            question("details", score={"yes": 1, "no": 0}, visible_if="licence_displayed"),
        ],
    },
]
D = definition(sections=SECTIONS)


def test_scores_per_question_section_and_total():
    answers = {
        "licence_displayed": True,
        "guarantee": False,
        "premises": "flat",
        "kept": ["a", "c"],
        "details": True,
    }
    score = derive(D, answers).score
    assert {q.path: (q.score, q.maximum) for q in score.questions} == {
        "licence_displayed": (2, 2),
        "guarantee": (0, 3),  # weight 3
        "premises": (-1, 1),
        "kept": (0, 3),  # 1 + -1 of a possible 1 + 2
        "details": (1, 1),
    }
    assert [(s.key, s.score, s.maximum) for s in score.sections] == [("licence", 1, 6), ("records", 1, 4)]
    assert (score.total, score.maximum) == (2, 10)
    assert score.ratio == Decimal("0.2")


def test_unanswered_and_hidden_questions_do_not_count_in_total_or_maximum():
    score = derive(D, {"licence_displayed": False, "details": True}).score
    assert [q.path for q in score.questions] == ["licence_displayed"]
    assert (score.total, score.maximum) == (0, 2)


def test_invalid_answers_do_not_count():
    score = derive(D, {"premises": "castle", "guarantee": "yes"}).score
    assert score.questions == ()
    assert score.ratio is None


def test_questions_inside_repeat_entries_score_once_per_entry():
    d = definition(
        question("workers", "repeat", questions=[question("has_contract", score={"yes": 1, "no": 0})])
    )
    score = derive(d, {"workers": [{"has_contract": True}, {"has_contract": False}, {}]}).score
    assert [(q.path, q.score) for q in score.questions] == [
        ("workers[0].has_contract", 1),
        ("workers[1].has_contract", 0),
    ]
    assert (score.total, score.maximum) == (1, 2)
