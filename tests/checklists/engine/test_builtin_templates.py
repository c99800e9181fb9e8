import json

import pytest

from backend.checklists.engine import (
    CATEGORIES,
    SITE_KINDS,
    Finding,
    derive,
    load_builtin,
    parse_definition,
    validate_submission,
)
from backend.checklists.engine.builtin import BUILTIN_DIR

from .factories import fill

BUILTINS = load_builtin()
EXPECTED = {
    "construction_illegal_employment",
    "construction_large_scale",
    "construction_preventive",
    "construction_questionnaire",
    "employment_agency",
    "ilo_forced_labour_screening",
    "venue_prostitution_trafficking",
}
LAW_NUMBERS = ("Law 6/2008", "Law 7/2008", "Law 21/2009", "Admin. Reg. 17/2004", "Law 16/2020", "Law 5/2020",
               "Law 3/2010", "ILO forced-labour indicator FL-07")  # fmt: skip


def test_every_builtin_is_shipped_and_named_after_its_file():
    assert set(BUILTINS) == EXPECTED
    for path in BUILTIN_DIR.glob("*.json"):
        assert json.loads(path.read_text(encoding="utf-8"))["code"] == path.stem


def test_load_builtin_returns_plain_json_data():
    for data in BUILTINS.values():
        assert json.loads(json.dumps(data)) == data


@pytest.mark.parametrize("code", sorted(EXPECTED))
def test_builtin_parses_and_takes_a_sample_submission(code):
    d = parse_definition(BUILTINS[code])
    assert set(d.site_kinds) <= set(SITE_KINDS) and set(d.categories) <= set(CATEGORIES)
    for answers in (fill(d, yes=True, entries=1), fill(d, yes=False, entries=2)):
        result = derive(d, answers)
        assert result.validation.ok, result.validation.errors
        assert validate_submission(d, answers) == result.validation
        assert all(isinstance(f, Finding) for f in result.findings)
        for finding in result.findings:
            assert finding.violation_code in {f"V-{i:02d}" for i in range(1, 15)}
            assert any(law in finding.legal_basis for law in LAW_NUMBERS)


@pytest.mark.parametrize("code", sorted(EXPECTED))
def test_builtin_texts_are_translated(code):
    d = parse_definition(BUILTINS[code])
    texts = [
        d.title,
        *(s.title for s in d.sections),
        *(q.label for q in d.iter_questions()),
        *(r.title for r in d.findings),
    ]
    for t in texts:
        assert t.en != t.zh_hant and t.en != t.pt
        assert any("\u4e00" <= ch <= "\u9fff" for ch in t.zh_hant)  # real Chinese characters


def test_empty_submission_to_a_builtin_lists_the_required_questions():
    d = parse_definition(BUILTINS["employment_agency"])
    result = validate_submission(d, {})
    assert {e.code for e in result.errors} == {"required"}
    assert "licence_displayed" in {e.path for e in result.errors}


def test_the_construction_questionnaire_refers_workers_with_held_documents_for_screening():
    d = parse_definition(BUILTINS["construction_questionnaire"])
    answers = fill(d, yes=True, entries=2)
    answers["respondents"][1]["holds_own_documents"] = False
    findings = derive(d, answers).findings
    assert [(f.rule_code, f.entry_path) for f in findings if f.violation_code in ("V-12", "V-13")] == [
        ("documents_held", "respondents[1]"),
        ("screen_worker", "respondents[1]"),
    ]
