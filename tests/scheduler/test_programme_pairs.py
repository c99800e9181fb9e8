"""Officers who work in pairs: nobody is sent out alone, and whoever cannot be paired is named.

The walker's case: six PSP officers ticked, most of them alone at their station, and the plan
sent five of them out alone while saying every rule held."""

from __future__ import annotations

import datetime as dt

from backend.planning.services import due_work_request
from scheduler import problem as problems
from scheduler import selectors, services
from scheduler.models import PlanningJob
from tests import factories
from tests.scheduler.conftest import MACAU, on_shift

MONDAY = dt.date(2030, 3, 4)


def _day_shifts(officer, days=range(2)):
    for day in days:
        start = dt.datetime.combine(MONDAY + dt.timedelta(days=day), dt.time(9), tzinfo=MACAU)
        on_shift(officer, start=start, hours=9)
    return officer


def _alone_at_their_station(n, agency="DSAL", days=range(2)):
    """``n`` officers of ``agency``, each the only one of the programme at their unit."""
    ag = factories.agency(agency)
    return [
        _day_shifts(
            factories.officer(
                agency,
                username=f"solo{i}",
                full_name=f"Solo Officer {i}",
                unit=factories.unit(ag, code=f"{agency.lower()}-station-{i}"),
            ),
            days,
        )
        for i in range(n)
    ]


def _programme(officers, *, pairs=True, sites=4, due_days=(0, 1)):
    """A programme over Monday and Tuesday for ``officers``, with ``sites`` shops due between the
    days ``due_days`` (0 Monday) inclusive."""
    planner = factories.officer(officers[0].agency.code, username="dina", roles=("planner",))
    first, last = (MONDAY + dt.timedelta(days=d) for d in (due_days[0], due_days[-1]))
    for i in range(sites):
        site = factories.site(
            kind="venue",
            name_en=f"Shop {i}",
            latitude=22.20 + i * 0.002,
            longitude=113.54,
            opening_hours=[(d, dt.time(9), dt.time(18)) for d in range(7)],
        )
        due_work_request(
            actor=None,
            site=site,
            agency=officers[0].agency,
            category="prostitution_trafficking",
            reason="routine",
            earliest=first,
            latest=last,
            priority=2,
        )
    return services.programme_create(
        actor=None,
        planner=planner,
        name="Pairs",
        agency=officers[0].agency,
        start_date=MONDAY,
        end_date=MONDAY + dt.timedelta(days=1),
        officers=officers,
        work_in_pairs=pairs,
    )


def _plan(programme, capture):
    with capture(execute=True):
        job = services.planning_start(actor=None, programme=programme, time_limit_seconds=2)
    job.refresh_from_db()
    assert job.status == PlanningJob.Status.SUCCEEDED, job.error
    return job


def test_officers_alone_at_their_station_are_paired_across_stations(db, paula):
    officers = _alone_at_their_station(6)
    problem, _clock, _due = problems.programme_problem(_programme(officers))
    assert problem.work_in_pairs
    assert sorted(len(c) for c in problem.crews) == [2, 2, 2]
    assert {o for c in problem.crews for o in c} == {str(o.uuid) for o in officers}


def test_officers_of_one_station_are_paired_together_first(db, paula):
    ag = factories.agency("DSAL")
    north, south = factories.unit(ag, code="dsal-north"), factories.unit(ag, code="dsal-south")
    units = [north, south, north, south]
    officers = [
        _day_shifts(factories.officer("DSAL", username=f"o{i}", unit=unit)) for i, unit in enumerate(units)
    ]
    problem, _clock, _due = problems.programme_problem(_programme(officers))
    by_id = {str(o.uuid): o for o in officers}
    assert len(problem.crews) == 2
    for crew in problem.crews:
        assert len({by_id[i].unit_id for i in crew}) == 1


def test_an_odd_officer_makes_a_team_of_three_and_nobody_works_alone(
    db, paula, django_capture_on_commit_callbacks
):
    officers = _alone_at_their_station(3)
    job = _plan(_programme(officers), django_capture_on_commit_callbacks)
    assert [len(r["officer_ids"]) for r in job.plan["routes"]]
    assert all(len(r["officer_ids"]) == 3 for r in job.plan["routes"]), job.plan["routes"]
    assert job.evaluation["feasible"], job.evaluation["violations"]
    assert not job.evaluation.get("warnings")


def test_an_officer_nobody_shares_a_shift_with_is_named_and_not_sent_alone(
    db, paula, django_capture_on_commit_callbacks
):
    pair = _alone_at_their_station(2, days=[0])
    loner = _day_shifts(factories.officer("DSAL", username="loner", full_name="Lena Loner"), days=[1])
    job = _plan(_programme([*pair, loner]), django_capture_on_commit_callbacks)
    routes = job.plan["routes"]
    assert routes and all(len(r["officer_ids"]) == 2 for r in routes), routes
    assert all(str(loner.uuid) not in r["officer_ids"] for r in routes)
    assert [w["params"]["officer"] for w in job.evaluation["warnings"]] == [str(loner.uuid)]
    view = selectors.plan_view(job)
    assert view["evaluation"]["feasible"]  # nobody works alone: every rule holds
    [warning] = view["warnings"]
    assert "Lena Loner" in warning["message"] and "pair" in warning["message"]


def test_without_pairs_each_officer_works_alone_and_nothing_is_said(
    db, paula, django_capture_on_commit_callbacks
):
    officers = _alone_at_their_station(2)
    job = _plan(_programme(officers, pairs=False), django_capture_on_commit_callbacks)
    assert all(len(r["officer_ids"]) == 1 for r in job.plan["routes"])
    assert not job.evaluation.get("warnings") and not selectors.plan_view(job)["warnings"]


def test_a_team_of_one_in_a_programme_of_pairs_breaks_a_rule(db, paula, django_capture_on_commit_callbacks):
    """The checker, not only the solver, holds the rule: a plan that sends one officer alone
    (the plans made before this fix) is never 'every rule holds'."""
    from dataclasses import replace

    from scheduler import solver

    officers = _alone_at_their_station(2)
    programme = _programme(officers)
    job = _plan(programme, django_capture_on_commit_callbacks)
    problem, _clock, _due = problems.programme_problem(programme)
    plan = problems.plan_from_json(job.plan)
    route = next(r for r in plan.routes if r.stops)
    alone = replace(route, officer_ids=route.officer_ids[:1], team_id="", leader_id=None)
    evaluation = solver.evaluate(problem, replace(plan, routes=(alone,)))
    [broken] = [v for v in evaluation.violations if v.case == "alone"]
    assert broken.params["officer"] == route.officer_ids[0]
    job.evaluation = problems.evaluation_to_json(evaluation)
    messages = [v["message"] for v in selectors.plan_view(job)["evaluation"]["violations"]]
    assert any("Solo Officer" in m and "alone" in m for m in messages), messages


def test_partners_whose_crew_mates_are_off_go_out_together(db, paula, django_capture_on_commit_callbacks):
    """Two stations, a pair at each; on Tuesday one officer of each pair is off. Both stayed
    at their stations that day (a crew works the hours both are on duty) and Tuesday's visits
    went unplanned. The two left go out together as a stand-in pair, and nobody goes alone."""
    ag = factories.agency("DSAL")
    north, south = factories.unit(ag, code="dsal-north"), factories.unit(ag, code="dsal-south")
    a1, a2 = (factories.officer("DSAL", username=f"a{i}", full_name=f"North {i}", unit=north) for i in (1, 2))
    b1, b2 = (factories.officer("DSAL", username=f"b{i}", full_name=f"South {i}", unit=south) for i in (1, 2))
    for officer in (a1, b2):
        _day_shifts(officer, days=range(2))
    for officer in (a2, b1):
        _day_shifts(officer, days=[0])
    programme = _programme([a1, a2, b1, b2], sites=2, due_days=(1,))  # due on Tuesday
    problem, _clock, _due = problems.programme_problem(programme)
    ids = {o: str(o.uuid) for o in (a1, a2, b1, b2)}
    assert sorted(sorted(c) for c in problem.crews) == sorted(
        [sorted([ids[a1], ids[a2]]), sorted([ids[b1], ids[b2]])]
    )
    job = _plan(programme, django_capture_on_commit_callbacks)
    assert not job.plan["unplanned"], job.plan["unplanned"]
    routes = [r for r in job.plan["routes"] if r["stops"]]
    assert routes and all(sorted(r["officer_ids"]) == sorted([ids[a1], ids[b2]]) for r in routes), routes
    assert job.evaluation["feasible"], job.evaluation["violations"]
    assert not job.evaluation.get("warnings")


def test_a_partner_left_alone_is_named_with_the_day_in_the_readers_language(
    db, paula, django_capture_on_commit_callbacks
):
    from django.utils import translation

    first, second = _alone_at_their_station(2, days=[0])
    _day_shifts(first, days=[1])  # on duty on Tuesday too, their partner is not
    job = _plan(_programme([first, second]), django_capture_on_commit_callbacks)
    [warning] = job.evaluation["warnings"]
    assert (warning["case"], warning["params"]["officer"]) == ("partner_off", str(first.uuid))
    with translation.override("pt"):
        [said] = selectors.plan_view(job)["warnings"]
    assert said["message"].startswith(f"O parceiro de {first.full_name} está de folga de Ter, 5 Mar"), said
    assert "Não sai sozinho nesse período" in said["message"], said


def test_a_partner_the_planner_leaves_without_a_pair_is_named_after_planning_again(
    db, paula, django_capture_on_commit_callbacks
):
    """The planner takes one officer of the only pair out of Tuesday's team (off sick). Until the
    plan is made again the other works alone, which breaks the rule; planned again, they are not
    sent that day and the plan says why, where it said nothing (the checker judged the pair whole)."""
    first, second = _alone_at_their_station(2)
    programme = _programme([first, second], sites=2, due_days=(1,))
    job = _plan(programme, django_capture_on_commit_callbacks)
    index = next(i for i, r in enumerate(job.plan["routes"]) if r["stops"])
    moved = services.plan_officer_move(
        actor=paula.user, job=job, officer_id=str(second.uuid), from_route=index, to_route=None
    )
    assert {v["case"] for v in moved.evaluation["violations"]} == {"alone"}
    assert not moved.evaluation.get("warnings")  # sent, alone: the rule says so, not a warning
    again = _plan(programme, django_capture_on_commit_callbacks)
    assert not [r for r in again.plan["routes"] if r["stops"]], again.plan["routes"]
    assert again.evaluation["feasible"]
    [warning] = again.evaluation["warnings"]
    assert (warning["case"], warning["params"]["officer"]) == ("partner_off", str(first.uuid))
    # Checked again (a verdict an older checker made), the warning stays.
    PlanningJob.objects.filter(pk=again.pk).update(evaluation={**again.evaluation, "checker": "0"})
    rechecked = services.plan_recheck(actor=paula.user, job=PlanningJob.objects.get(pk=again.pk))
    assert rechecked.evaluation["checker"] != "0"
    assert [w["case"] for w in rechecked.evaluation["warnings"]] == ["partner_off"]
