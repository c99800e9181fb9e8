import pytest

from backend.checklists.engine import DefinitionError, parse_definition

from .factories import definition, options, question, raw_definition, rule, text


def test_a_valid_definition_parses_into_frozen_dataclasses():
    d = definition(question("present"), question("count", "integer", min=0, max=10, visible_if="present"))
    assert [q.key for q in d.iter_questions()] == ["present", "count"]
    assert d.questions["count"].visible_if.source == "present"
    assert d.title.zh_hant == "Test template（中）"
    with pytest.raises(AttributeError):
        d.code = "other"  # type: ignore[misc]


def test_parsing_a_parsed_definition_returns_it_unchanged():
    d = definition(question("a"))
    assert parse_definition(d) is d


@pytest.mark.parametrize(
    ("questions", "fragment"),
    [
        ([question("a", visible_if="b = 1")], "question 'a': visible_if: unknown question 'b' at position 0"),
        ([question("a", visible_if="(1 +")], "question 'a': visible_if: unexpected end"),
        ([question("a", constraint="x +")], "question 'a': constraint"),
        ([question("a", visible_if=". = 1")], "only allowed in a constraint"),
        ([question("a", visible_if="1 + 1")], "does not give true or false"),
        ([question("n", "integer"), question("a", visible_if="n")], "does not give true or false"),
        ([question("a", type="nope")], "type 'nope'"),
        ([question("a", Required=True)], "unknown attribute(s) 'Required'"),
        ([question("a", required=True, required_if="true")], "either required or required_if"),
        ([question("a"), question("a")], "duplicate key"),
        ([question("Bad-Key")], "lower-case"),
        ([question("and")], "not a keyword"),
        ([question("n", "integer", min=5, max=1)], "min is greater than max"),
        ([question("c", "single_choice", options=options("x", "x"))], "duplicate option code"),
        ([question("c", "single_choice")], "non-empty list of options"),
        (
            [
                question("c", "single_choice", options=options("x")),
                question("a", visible_if="selected(c, 'y')"),
            ],
            "'c' has no option 'y'",
        ),
        ([question("a"), question("b", visible_if="selected(a, 'y')")], "selected() needs"),
        ([question("a", visible_if="count(a)")], "count() needs a repeat"),
        ([question("note1", "note", required=True)], "unknown attribute(s) 'required'"),
        ([question("note1", "note"), question("a", visible_if="note1")], "is a note"),
        ([question("d", "date", min="2024-13-01")], "date YYYY-MM-DD"),
        ([question("t", "time", max="25:00")], "time HH:MM"),
        ([question("p", "photo", max_count=3)], "need multiple: true"),
        ([question("r", "repeat", questions=[])], "non-empty list of questions"),
        ([question("r", "repeat", count_question="zz", questions=[question("x")])], "unknown question 'zz'"),
    ],
)
def test_malformed_definition_is_refused_with_the_question_key(questions, fragment):
    with pytest.raises(DefinitionError) as caught:
        definition(*questions)
    assert fragment in str(caught.value)


def test_texts_need_all_three_languages():
    q = question("a")
    q["label"] = {"en": "Only English"}
    with pytest.raises(DefinitionError, match="question 'a': label: needs a non-empty 'zh-hant' text"):
        definition(q)


def test_reference_into_a_repeat_group_from_outside_is_refused():
    group = question("workers", "repeat", questions=[question("age", "integer")])
    with pytest.raises(DefinitionError, match=r"'age' is inside repeat group 'workers'.*any\(workers"):
        definition(group, question("a", visible_if="age > 1"))


def test_reference_from_inside_a_repeat_group_to_the_top_level_is_allowed():
    group = question(
        "workers", "repeat", questions=[question("age", "integer", max=99, constraint=". <= limit")]
    )
    d = definition(question("limit", "integer"), group)
    assert d.questions["age"].groups == ("workers",)


def test_visibility_cycles_are_refused():
    with pytest.raises(DefinitionError, match="visibility depends on itself: a -> b -> a"):
        definition(question("a", visible_if="b"), question("b", visible_if="a"))
    with pytest.raises(DefinitionError, match="depends on itself"):
        definition(question("a", visible_if="a"))


def test_a_group_visible_only_through_its_own_entries_is_a_cycle():
    group = question("workers", "repeat", visible_if="any(workers, ok)", questions=[question("ok")])
    with pytest.raises(DefinitionError, match="depends on itself"):
        definition(group)


@pytest.mark.parametrize(
    ("rule_changes", "fragment"),
    [
        ({"when": "unknown_key"}, "finding rule 'r': when: unknown question 'unknown_key'"),
        ({"when": "a +"}, "finding rule 'r': when"),
        ({"violation_code": "X-1"}, "must look like V-01"),
        ({"severity": "severe"}, "severity 'severe'"),
        ({"competent_agency": "psp"}, "agency code"),
        ({"legal_basis": ""}, "legal_basis"),
        ({"per_entry": "a"}, "not a repeat group"),
        ({"evidence": ["zz"]}, "unknown question 'zz'"),
        ({"potential_victim": "yes"}, "true or false"),
    ],
)
def test_malformed_finding_rules_are_refused(rule_changes, fragment):
    with pytest.raises(DefinitionError) as caught:
        definition(question("a"), findings=[{**rule("r", "a"), **rule_changes}])
    assert fragment in str(caught.value)


def test_site_kinds_and_categories_are_checked():
    raw = raw_definition(question("a"))
    raw["site_kinds"] = ["shop"]
    with pytest.raises(DefinitionError, match="'shop' is not one of"):
        parse_definition(raw)


def test_unsupported_format_is_refused():
    raw = raw_definition(question("a"))
    raw["format"] = 2
    with pytest.raises(DefinitionError, match="unsupported format"):
        parse_definition(raw)


def test_section_visible_if_is_checked_too():
    sections = [
        {"key": "s1", "title": text(), "questions": [question("a")]},
        {"key": "s2", "title": text(), "visible_if": "nothere", "questions": [question("b")]},
    ]
    with pytest.raises(DefinitionError, match="section 's2': visible_if: unknown question 'nothere'"):
        definition(sections=sections)
