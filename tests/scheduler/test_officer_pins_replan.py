"""Officers placed by hand outlive a re-plan after a drop-out, as they outlive "Plan again": one
the planner took out of the teams (a sick officer) is not chosen to stand in for the officer who
dropped out, and the placings of the others are carried into the re-plan's draft; the placing of
the officer who dropped out is dropped and said why."""

from __future__ import annotations

import datetime as dt

from scheduler import selectors, services
from scheduler.models import PlanningJob
from tests import factories
from tests.scheduler.conftest import EVENING, on_shift
from tests.scheduler.test_officer_pins_carry import _run, _teams


def _index(job, officer):
    return next(i for i, t in enumerate(_teams(job)) if str(officer.uuid) in t)


def _published(paula, job):
    published = services.plan_publish(actor=paula.user, job=job)
    assert published.status == PlanningJob.Status.PUBLISHED
    return published


def _replan(paula, job, officer):
    return services.plan_replan(
        actor=paula.user, job=job, officer_out=officer, since=EVENING - dt.timedelta(hours=2)
    )


def test_an_officer_taken_out_by_hand_does_not_stand_in_for_one_who_drops_out(operation, city, paula):
    lin = on_shift(factories.officer("DSAL", username="lin", full_name="Lin Labour", sex="F", rank=1))
    first = _run(operation)
    dsal = [o for o in (*city["dsal"], lin) if any(str(o.uuid) in t for t in _teams(first))]
    sick, other = dsal
    services.plan_officer_move(
        actor=paula.user, job=first, officer_id=str(sick.uuid), from_route=_index(first, sick), to_route=None
    )
    again = _run(operation)  # the spare labour inspector stands in for the sick one
    assert again.evaluation["feasible"], again.evaluation["violations"]
    assert str(sick.uuid) not in set().union(*_teams(again))
    published = _published(paula, again)

    # The other labour inspector drops out. The only one free is the one the planner took out
    # sick: nobody stands in, and the sick officer stays out of every team.
    draft = _replan(paula, published, other)
    assert str(sick.uuid) not in set().union(*_teams(draft)), "the sick officer was put back in a team"
    assert [(p["officer"], p["route"]) for p in draft.officer_pins] == [(str(sick.uuid), None)]
    assert selectors.plan_view(draft)["officer_pins"][0]["name"] == sick.full_name


def test_placings_are_carried_into_the_re_plan_and_the_one_who_dropped_out_is_said(operation, city, paula):
    pia = on_shift(factories.officer("PSP", username="pia", full_name="Pia Police", sex="F", rank=5))
    first = _run(operation)
    used = set().union(*_teams(first))
    police = [o for o in (*city["psp"], pia) if str(o.uuid) in used]
    (spare,) = [o for o in (*city["psp"], pia) if str(o.uuid) not in used]
    pat, pete = police
    # The planner swaps the two police officers' teams by hand.
    pat_team, pete_team = _index(first, pat), _index(first, pete)
    services.plan_officer_move(
        actor=paula.user, job=first, officer_id=str(pat.uuid), from_route=pat_team, to_route=pete_team
    )
    swapped = services.plan_officer_move(
        actor=paula.user, job=first, officer_id=str(pete.uuid), from_route=pete_team, to_route=pat_team
    )
    assert swapped.evaluation["feasible"], swapped.evaluation["violations"]
    published = _published(paula, swapped)
    assert {p["officer"] for p in published.officer_pins} == {str(pat.uuid), str(pete.uuid)}

    # One drops out; the spare stands in. The other's placing is carried, theirs dropped and said.
    draft = _replan(paula, published, pat)
    assert str(spare.uuid) in set().union(*_teams(draft))
    assert [p["officer"] for p in draft.officer_pins] == [str(pete.uuid)]
    [pin] = draft.officer_pins
    assert str(pete.uuid) in draft.plan["routes"][pin["route"]]["officer_ids"]
    view = selectors.plan_view(draft)
    [said] = view["officer_pins_dropped"]
    assert said["reason"] == "officer_out"
    assert said["message"] == (
        f"{pat.full_name}, placed by hand on the published plan, dropped out: the placing was dropped."
    )
    # Published in turn, the re-plan's placings are what the next "Plan again" keeps.
    assert _published(paula, draft).officer_pins == draft.officer_pins
