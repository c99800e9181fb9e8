"""A planner moves officers between the teams of a draft plan by hand: from one team to another,
in from the officers the plan leaves out, or out of a team. Both teams keep their visits and
waves, are re-timed, get their highest-ranked officer as leader, and the checker judges the plan
again; a move that breaks a rule is kept and reported. Wrong moves are refused, and nothing
changes."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from backend.audit.models import AuditEntry
from backend.core.errors import InvalidInput
from backend.registry.models import Officer
from scheduler import services
from scheduler.models import PlanningJob
from scheduler.services import PlanNotReady
from tests import factories
from tests.browser_support import sign_in_client
from tests.scheduler.conftest import on_shift


@pytest.fixture
def planned(operation):
    job = PlanningJob.objects.create(operation=operation, time_limit_seconds=3)
    job = services.planning_run(job_id=job.uuid)
    assert job.status == PlanningJob.Status.SUCCEEDED and job.evaluation["feasible"], job.evaluation
    return job


def _agency(officer_id):
    return Officer.objects.select_related("agency").get(uuid=officer_id).agency.code


def _team(job, index):
    return job.plan["routes"][index]["officer_ids"]


def _dsal(job, index):
    return next(o for o in _team(job, index) if _agency(o) == "DSAL")


def _stops(job):
    return [[(s["visit_id"], s["wave_id"], s["start"]) for s in r["stops"]] for r in job.plan["routes"]]


def test_swapping_two_officers_is_judged_by_the_checker_and_undone_by_swapping_back(planned, paula):
    stops = _stops(planned)
    first, second = _dsal(planned, 0), _dsal(planned, 1)
    moved = services.plan_officer_move(
        actor=paula.user, job=planned, officer_id=first, from_route=0, to_route=1
    )
    assert first not in _team(moved, 0) and first in _team(moved, 1)
    assert not moved.evaluation["feasible"]  # a team of one without DSAL, a team of three
    cases = {v["case"] for v in moved.evaluation["violations"]}
    assert {"team_size", "team_agency"} <= cases, moved.evaluation["violations"]
    sized = [v["route_index"] for v in moved.evaluation["violations"] if v["case"] == "team_size"]
    assert sized == [0, 1]

    swapped = services.plan_officer_move(
        actor=paula.user, job=moved, officer_id=second, from_route=1, to_route=0
    )
    assert set(_team(swapped, 0)) == set(_team(planned, 0)) - {first} | {second}
    # The two women (Pat of PSP, Lou of DSAL) were in different teams: swapping the labour
    # inspectors puts both in one, and the checker says which team has none.
    [lacking] = swapped.evaluation["violations"]
    assert lacking["case"] == "team_female", lacking
    women = {str(o.uuid) for o in Officer.objects.filter(sex="F")}
    assert not women & set(_team(swapped, lacking["route_index"]))
    assert _stops(swapped) == stops  # the visits, their waves and their raids' times stay

    services.plan_officer_move(actor=paula.user, job=swapped, officer_id=first, from_route=1, to_route=0)
    back = services.plan_officer_move(
        actor=paula.user, job=swapped, officer_id=second, from_route=0, to_route=1
    )
    assert back.evaluation["feasible"], back.evaluation["violations"]
    assert [set(r["officer_ids"]) for r in back.plan["routes"]] == [
        set(r["officer_ids"]) for r in planned.plan["routes"]
    ]
    # In any order (the entries' keys are UUIDs), each move once.
    moves = sorted(
        (e.changes["officer"], e.changes["from_route"], e.changes["to_route"])
        for e in AuditEntry.objects.filter(verb="plan_officer_move")
    )
    assert moves == sorted([(first, 0, 1), (second, 1, 0), (first, 1, 0), (second, 0, 1)])


def test_a_team_whose_leader_leaves_is_led_by_its_highest_ranked_officer(planned, paula, city):
    pat = str(city["psp"][0].uuid)  # rank 5, the highest: she leads her team
    index = next(i for i, r in enumerate(planned.plan["routes"]) if pat in r["officer_ids"])
    assert planned.plan["routes"][index]["leader_id"] == pat
    out = services.plan_officer_move(
        actor=paula.user, job=planned, officer_id=pat, from_route=index, to_route=None
    )
    [left] = _team(out, index)
    assert out.plan["routes"][index]["leader_id"] == left
    assert not out.evaluation["feasible"]  # a team of one, without PSP
    # She is left out of the plan now, and comes back in from there: she leads again.
    again = services.plan_officer_move(
        actor=paula.user, job=out, officer_id=pat, from_route=None, to_route=index
    )
    assert again.plan["routes"][index]["leader_id"] == pat
    assert again.evaluation["feasible"], again.evaluation["violations"]


def test_an_officer_the_plan_left_out_is_brought_in_and_the_checker_judges(planned, paula):
    extra = on_shift(factories.officer("DSAL", username="lin", full_name="Lin Labour", rank=1))
    job = services.plan_officer_move(
        actor=paula.user, job=planned, officer_id=str(extra.uuid), from_route=None, to_route=0
    )
    assert str(extra.uuid) in _team(job, 0)
    assert [v["case"] for v in job.evaluation["violations"]] == ["team_size"]  # three, at most two
    assert job.evaluation["violations"][0]["params"] == {"size": 3, "min": 2, "max": 2}


@pytest.mark.parametrize(
    "move, field",
    [
        (lambda job, city: (_dsal(job, 0), 0, 0), "to_route"),  # to the team it is in
        (lambda job, city: (_dsal(job, 0), 1, 0), "officer"),  # not in the team it is said to leave
        (lambda job, city: (_dsal(job, 0), None, 1), "officer"),  # in a team already
        (lambda job, city: (_dsal(job, 0), 0, 7), "to_route"),  # no such team
        (lambda job, city: (_dsal(job, 0), None, None), "to_route"),  # nowhere to nowhere
        (lambda job, city: (str(city["muster"].pk), None, 0), "officer"),  # not an officer of the plan
    ],
)
def test_wrong_moves_are_refused_and_change_nothing(planned, paula, city, move, field):
    officer, source, target = move(planned, city)
    before = (planned.plan, planned.evaluation)
    with pytest.raises(InvalidInput) as refused:
        services.plan_officer_move(
            actor=paula.user, job=planned, officer_id=officer, from_route=source, to_route=target
        )
    assert field in refused.value.errors
    planned.refresh_from_db()
    assert (planned.plan, planned.evaluation) == before
    assert not AuditEntry.objects.filter(verb="plan_officer_move").exists()


def test_a_team_with_visits_is_not_left_without_officers(planned, paula):
    one = services.plan_officer_move(
        actor=paula.user, job=planned, officer_id=_dsal(planned, 0), from_route=0, to_route=1
    )
    [last] = _team(one, 0)
    with pytest.raises(InvalidInput) as refused:
        services.plan_officer_move(actor=paula.user, job=one, officer_id=last, from_route=0, to_route=1)
    assert "no officer" in str(refused.value.errors["officer"][0])


def test_a_published_plan_is_changed_by_re_planning_not_by_moving_officers(planned, paula):
    published = services.plan_publish(actor=paula.user, job=planned)
    with pytest.raises(PlanNotReady):
        services.plan_officer_move(
            actor=paula.user, job=published, officer_id=_dsal(planned, 0), from_route=0, to_route=1
        )


def test_the_api_moves_an_officer_and_answers_the_plan_re_checked(api, planned, paula):
    officer = _dsal(planned, 0)
    url = f"/api/v1/planning/operations/{planned.operation.uuid}/plan/officer/"
    moved = api.as_(paula).post(url, {"officer": officer, "from_route": 0, "to_route": 1}, format="json")
    assert moved.status_code == 200, moved.content
    body = moved.json()
    assert officer in {m["id"] for m in body["routes"][1]["members"]}
    assert not body["evaluation"]["feasible"]
    # Bad input is a 400 in the one error shape, and changes nothing.
    for bad in (
        {"officer": "not-a-uuid", "from_route": 0, "to_route": 1},
        {"officer": officer, "from_route": -1, "to_route": 0},
        {"officer": officer, "from_route": 1, "to_route": 1},
        {"officer": officer},
    ):
        refused = api.as_(paula).post(url, bad, format="json")
        assert refused.status_code == 400, (bad, refused.content)
        assert refused["Content-Type"].startswith("application/problem+json")
    assert AuditEntry.objects.filter(verb="plan_officer_move").count() == 1


def test_no_one_else_moves_an_officer_of_a_sealed_operation(api, planned, alice, bob, carol):
    other_planner = factories.officer("PSP", username="otto", roles=("planner",))
    other_agency = factories.officer("DSAL", username="dina", roles=("planner",))
    officer = _dsal(planned, 0)
    url = f"/api/v1/planning/operations/{planned.operation.uuid}/plan/officer/"
    # The operation is sealed (revealed at 17:00 on its night, years from now): only its planners.
    # (Alice and Bob, inspectors, hold only their phones' tokens, which are not let in: 401.)
    for who in (other_planner, other_agency, alice, bob, carol):
        response = api.as_(who).post(url, {"officer": officer, "from_route": 0, "to_route": 1}, format="json")
        assert response.status_code in (401, 403, 404), (who, response.status_code)
    anonymous = APIClient().post(url, {"officer": officer, "from_route": 0, "to_route": 1}, format="json")
    assert anonymous.status_code == 401
    planned.refresh_from_db()
    assert officer in _team(planned, 0)
    assert not AuditEntry.objects.filter(verb="plan_officer_move").exists()


def test_the_page_refuses_a_move_with_no_team_chosen_and_changes_nothing(planned, client):
    sign_in_client(client, "paula", "correct-horse-battery")
    officer = _dsal(planned, 0)
    url = f"/planning/operations/{planned.operation.uuid}/plan/officer/"
    page = client.get(f"/planning/operations/{planned.operation.uuid}/plan/").content.decode()
    assert '<option value="" selected>Choose a team</option>' in page
    refused = client.post(url, {"officer": f"0:{officer}", "to_route": ""}, follow=True)
    assert refused.status_code == 200
    assert "Choose an officer and the team to move them to." in refused.content.decode()
    # Team 1 holds the operation's largest team size already: the move is asked first (its own
    # tests: test_officer_move_page.py), then made.
    asked = client.post(url, {"officer": f"0:{officer}", "to_route": "1"}, follow=True)
    assert "Move anyway" in asked.content.decode()
    assert AuditEntry.objects.filter(verb="plan_officer_move").count() == 0
    moved = client.post(url, {"officer": f"0:{officer}", "to_route": "1", "into_full_team": "1"}, follow=True)
    assert "Officer moved" in moved.content.decode()
    assert AuditEntry.objects.filter(verb="plan_officer_move").count() == 1
