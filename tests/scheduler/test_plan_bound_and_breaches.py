"""Issue #17, planning: every joint plan carries its proven lower bound and the gap to it (API
and the planner's page), and every rule a plan breaks names the checker's rule and reads in the
planner's language."""

from __future__ import annotations

import random
import re
from dataclasses import replace

import pytest
from django.utils import translation

from scheduler.selectors import VIOLATION_TEXTS, violation_text
from scheduler.solver import Plan, SolveOptions, Unplanned, evaluate, plan_joint, plan_routine
from scheduler.solver.evaluate import RULES
from tests.scheduler.solver.builders import joint_problem, operation_problem, routine_problem
from tests.scheduler.test_planning_api import _planned
from tests.scheduler.test_planning_api import operation_payload as operation_payload

CJK = re.compile(r"[\u4e00-\u9fff]")


def _broken_plans():
    """Plans a planner's edits could produce: a solver's plan with stops shifted, teams swapped,
    the wrong depot, a visit twice, a wrong wave..."""
    rng = random.Random(7)
    for seed in range(6):
        if seed % 3 == 0:
            p = routine_problem(
                5, 2, conflicts={"o0": {"s1"}}, last_visits={"o1": {"s2": -100}}, rotation_gap_days=1
            )
            plan = plan_routine(p, options=SolveOptions(time_limit=2, max_iterations=50, seed=seed))
        else:
            p = joint_problem(4) if seed % 3 == 1 else operation_problem(6, n_officers=10)
            plan = plan_joint(
                p, options=SolveOptions(time_limit=2, deterministic_time=0.2, seed=seed, lower_bound=False)
            )
        for _ in range(15):
            routes, unplanned = list(plan.routes), list(plan.unplanned)
            for _ in range(rng.randint(1, 3)):
                i = rng.randrange(len(routes))
                r = routes[i]
                s = r.stops[0] if r.stops else None
                edit = rng.randrange(7)
                if edit == 0 and s:
                    d = rng.randint(-120, 120)
                    moved = replace(
                        s, arrival=s.arrival + d, start=s.start + d, end=s.end + d + rng.choice([0, 5])
                    )
                    routes[i] = replace(r, stops=(moved, *r.stops[1:]))
                elif edit == 1:
                    ids = rng.sample([o.id for o in p.officers], min(len(p.officers), rng.randint(1, 3)))
                    routes[i] = replace(r, officer_ids=(*ids, *(("ghost",) if rng.random() < 0.3 else ())))
                elif edit == 2:
                    routes[i] = replace(r, depot_id=rng.choice(["HQ", "TAIPA", "XX"]), back=r.departure - 5)
                elif edit == 3:
                    routes.append(r)
                elif edit == 4 and s:
                    routes[i] = replace(
                        r, stops=(replace(s, wave_id=rng.choice([None, "W2", "N1W2", "zz"])), *r.stops[1:])
                    )
                elif edit == 5 and s:
                    unplanned.append(Unplanned(s.visit_id, "x"))
                elif edit == 6 and s:
                    routes[i] = replace(
                        r, stops=(replace(s, visit_id="nope"), *r.stops[1:]), departure=r.departure - 600
                    )
            yield p, Plan(tuple(routes), tuple(unplanned))


def test_every_breach_names_its_rule_and_has_a_message_in_each_language():
    seen = set()
    for problem, plan in _broken_plans():
        for v in evaluate(problem, plan).violations:
            assert v.rule in RULES, v
            assert v.case in VIOLATION_TEXTS, v
            seen.add(v.case)
            as_stored = {"case": v.case, "params": dict(v.params), "detail": v.detail, "code": v.code}
            for language in ("en", "zh-hant", "pt"):
                with translation.override(language):
                    text = violation_text(as_stored, {}, {})
                assert text != v.detail or language == "en", (language, v)
                if language == "zh-hant":
                    assert CJK.search(text), text
                assert not re.search(r"\b1[0-9]{3}\b", text), text  # local times, never minute 1140
    # The solver's team ids stay out of the words when the plan's names are known.
    two_teams = {"case": "two_teams", "params": {"officer": "o1", "teams": "N1-T01, N1-T02"}}
    names = {"N1-T01": "Team 1 (PSP)", "N1-T02": "Team 2 (DSAL)"}
    with translation.override("en"):
        text = violation_text(two_teams, {}, {}, names)
    assert "Team 1 (PSP), Team 2 (DSAL)" in text and "N1-T0" not in text, text
    # Listed as the reader's language lists: "、" in Chinese.
    with translation.override("zh-hant"):
        assert "Team 1 (PSP)、Team 2 (DSAL)" in violation_text(two_teams, {}, {}, names)
    # The edits reach the rules of routes, of stops and of the whole plan.
    assert {"arrival", "depot_unknown", "planned_twice", "two_teams", "officer_unknown"} <= seen, seen


@pytest.mark.django_db(transaction=True)
def test_a_joint_plan_shows_its_bound_and_gap_in_the_api(api, paula, city, operation_payload):
    client, op_id, job_id = _planned(api, paula, city, operation_payload)
    plan = client.get(f"/api/v1/planning/operations/{op_id}/plan/").json()
    bound = plan["bound"]
    assert bound["lower_bound"] <= bound["objective"]
    assert 0 <= bound["gap"] < 1 and bound["gap_percent"] == round(100 * bound["gap"], 1)
    job = client.get(f"/api/v1/planning/jobs/{job_id}/").json()
    assert job["lower_bound"] == bound["lower_bound"] and job["gap"] == bound["gap"]


@pytest.mark.django_db(transaction=True)
def test_a_broken_move_reads_in_the_planners_language_and_the_gap_waits_for_a_valid_plan(
    api,
    paula,
    city,
    operation_payload,
):
    client, op_id, _job = _planned(api, paula, city, operation_payload)
    before = client.get(f"/api/v1/planning/operations/{op_id}/plan/").json()
    visit = before["routes"][0]["stops"][0]["visit"]
    moved = client.post(
        f"/api/v1/planning/operations/{op_id}/plan/move/",
        {"visit": visit, "to_route": 1},
        format="json",
        HTTP_ACCEPT_LANGUAGE="zh-hant",
    ).json()
    violations = moved["evaluation"]["violations"]
    assert violations and all(v["rule"] in RULES for v in violations)
    assert all(CJK.search(v["message"]) for v in violations), [v["message"] for v in violations]
    assert moved["bound"]["gap"] is None  # a plan that breaks rules is not bounded
    assert moved["bound"]["lower_bound"] == before["bound"]["lower_bound"]
    refused = client.post(f"/api/v1/planning/operations/{op_id}/plan/publish/", HTTP_ACCEPT_LANGUAGE="pt")
    assert refused.status_code == 409
    messages = [v["message"] for v in refused.json()["violations"]]
    english = [str(VIOLATION_TEXTS[v["case"]]) for v in refused.json()["violations"]]
    assert messages and all(m not in english for m in messages)
    back = client.post(
        f"/api/v1/planning/operations/{op_id}/plan/move/", {"visit": visit, "to_route": None}, format="json"
    ).json()
    assert back["evaluation"]["feasible"]
    # Taking a target out costs its priority, and the bound of the plans that leave it out grows
    # with it: the gap says what a plan could still gain, not what the planner's choice costs.
    assert back["bound"]["objective"] > before["bound"]["objective"]
    assert back["bound"]["lower_bound"] > before["bound"]["lower_bound"]
    assert back["bound"]["lower_bound"] <= back["bound"]["objective"]
    assert back["bound"]["left_out"] == 1
