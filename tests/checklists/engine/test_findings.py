from backend.checklists.engine import derive, load_builtin, parse_definition

from .factories import definition, question, rule

D = definition(
    question("hiring_permit_shown"),
    question(
        "workers",
        "repeat",
        questions=[
            question("card_shown"),
            question("age", "integer"),
            question("note", "text", visible_if="card_shown"),
        ],
    ),
    findings=[
        rule(
            "no_permit",
            "hiring_permit_shown = false",
            violation_code="V-04",
            competent_agency="DSAL",
            severity="high",
        ),
        rule("no_card", "card_shown = false", per_entry="workers", evidence=["card_shown", "age", "note"]),
        rule("minor", "age < 16", per_entry="workers", violation_code="V-11", severity="critical"),
        rule("any_minor", "any(workers, age < 16)", violation_code="V-11", severity="medium"),
    ],
)


def test_rule_fires_with_its_violation_data():
    (finding,) = derive(D, {"hiring_permit_shown": False}).findings
    assert finding.rule_code == "no_permit"
    assert (finding.violation_code, finding.severity, finding.competent_agency) == ("V-04", "high", "DSAL")
    assert finding.legal_basis == "Admin. Reg. 17/2004"
    assert finding.entry_path is None
    assert finding.title.en == "no_permit"
    assert finding.potential_victim is False


def test_unanswered_condition_does_not_fire():
    assert derive(D, {}).findings == ()


def test_per_entry_rule_fires_once_per_matching_entry_in_order():
    answers = {
        "workers": [{"card_shown": False, "age": 15}, {"card_shown": True}, {"card_shown": False, "age": 30}]
    }
    findings = derive(D, answers).findings
    assert [(f.rule_code, f.entry_path) for f in findings] == [
        ("no_card", "workers[0]"),
        ("no_card", "workers[2]"),
        ("minor", "workers[0]"),
        ("any_minor", None),
    ]
    assert findings[0].evidence == (("workers[0].card_shown", False), ("workers[0].age", 15))


def test_hidden_answers_are_not_evidence_and_do_not_fire_rules():
    d = definition(
        question("flat"),
        question("guests", "integer", visible_if="flat"),
        findings=[rule("crowded", "guests > 4", evidence=["guests"])],
    )
    assert derive(d, {"flat": False, "guests": 10}).findings == ()
    assert derive(d, {"flat": True, "guests": 10}).findings[0].evidence == (("guests", 10),)


def test_derive_reports_validation_alongside():
    result = derive(D, {"hiring_permit_shown": "no"})
    assert result.findings == ()
    assert [e.code for e in result.validation.errors] == ["type"]


def _screen(**indicators):
    persons = [
        {
            "person_ref": "P1",
            "age_band": "26_40",
            "consent": True,
            **{f"fl_{i:02d}": False for i in range(1, 12)},
        }
    ]
    persons[0].update(indicators)
    return {
        "interview_language": "english",
        "interpreter_used": False,
        "screened_count": 1,
        "persons": persons,
        "officer_signature": "1b4e28ba-2fa1-11d2-883f-0016d3cca427",
    }


ILO = parse_definition(load_builtin()["ilo_forced_labour_screening"])


def test_ilo_screening_one_strong_signal_flags_potential_victim():
    result = derive(ILO, _screen(fl_07=True))
    assert result.validation.ok, result.validation.errors
    (finding,) = result.findings
    assert (finding.violation_code, finding.competent_agency, finding.potential_victim) == (
        "V-13",
        "PSP",
        True,
    )
    assert finding.entry_path == "persons[0]"
    assert finding.title.en == "Potential victim — refer for assessment"
    assert ("persons[0].fl_07", True) in finding.evidence


def test_ilo_screening_one_weak_indicator_alone_does_not_flag_an_adult():
    assert derive(ILO, _screen(fl_01=True)).findings == ()


def test_ilo_screening_two_indicators_flag():
    assert len(derive(ILO, _screen(fl_01=True, fl_11=True)).findings) == 1


def test_ilo_screening_any_indicator_flags_a_minor():
    assert len(derive(ILO, _screen(fl_01=True, age_band="16_17")).findings) == 1


def test_ilo_screening_without_consent_asks_nothing_and_flags_nothing():
    answers = _screen(consent=False)
    for i in range(1, 12):
        del answers["persons"][0][f"fl_{i:02d}"]
    result = derive(ILO, answers)
    assert result.validation.ok
    assert result.findings == ()


def test_agency_fee_above_half_the_first_wage_is_a_v07_finding():
    agency = parse_definition(load_builtin()["employment_agency"])
    entries = [
        {"file_ref": "A1", "first_month_wage": 6000, "fee_charged": 3000, "receipt_issued": True,
         "documents_held": False, "seeker_debt": False},
        {"file_ref": "A2", "first_month_wage": 6000, "fee_charged": "3000.01", "receipt_issued": True,
         "documents_held": False, "seeker_debt": False, "fee_over_cap_note": "Training fee, no receipt"},
    ]  # fmt: skip
    result = derive(agency, {"files_reviewed": 2, "job_seekers": entries})
    over_cap = [f for f in result.findings if f.rule_code == "fee_over_cap"]
    assert [f.entry_path for f in over_cap] == ["job_seekers[1]"]
    assert over_cap[0].violation_code == "V-07"
    assert over_cap[0].legal_basis == "Law 16/2020"


def test_agency_fee_above_cap_requires_an_explanation():
    agency = parse_definition(load_builtin()["employment_agency"])
    entry = {"file_ref": "A2", "first_month_wage": 6000, "fee_charged": 3500, "receipt_issued": True,
             "documents_held": False, "seeker_debt": False}  # fmt: skip
    errors = derive(agency, {"files_reviewed": 1, "job_seekers": [entry]}).validation.errors
    assert ("job_seekers[0].fee_over_cap_note", "required") in [(e.path, e.code) for e in errors]
