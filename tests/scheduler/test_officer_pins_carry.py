"""Officers placed by hand outlive "Plan again": an officer taken out of a team stays out (the
teams are formed without them, as around a sick officer), one moved to another team rejoins the
teammates it was moved to, and the plan page and API say which placings could not be kept, and
why. Releasing a placing lets planning again form that officer's teams afresh."""

from __future__ import annotations

import pytest

from backend.audit.models import AuditEntry
from backend.core.errors import NotFound
from backend.registry.models import Officer
from scheduler import selectors, services
from scheduler.models import PlanningJob
from tests import factories
from tests.scheduler.conftest import on_shift


def _run(operation):
    job = PlanningJob.objects.create(operation=operation, time_limit_seconds=3)
    job = services.planning_run(job_id=job.uuid)
    assert job.status == PlanningJob.Status.SUCCEEDED, job.error
    return job


def _teams(job):
    return [set(r["officer_ids"]) for r in job.plan["routes"]]


def _uuid(officer):
    return str(officer.uuid)


def _team_of(job, officer_id):
    return next(t for t in _teams(job) if officer_id in t)


def test_a_swap_of_two_officers_is_kept_when_planning_again(operation, city, paula):
    first = _run(operation)
    assert first.evaluation["feasible"], first.evaluation["violations"]
    lou, lee = (_uuid(o) for o in city["dsal"])
    lou_team = next(i for i, t in enumerate(_teams(first)) if lou in t)
    lee_team = next(i for i, t in enumerate(_teams(first)) if lee in t)
    services.plan_officer_move(
        actor=paula.user, job=first, officer_id=lou, from_route=lou_team, to_route=lee_team
    )
    swapped = services.plan_officer_move(
        actor=paula.user, job=first, officer_id=lee, from_route=lee_team, to_route=lou_team
    )
    wanted = {frozenset(t) for t in _teams(swapped)}
    assert wanted != {frozenset(t) for t in _teams(first)}
    assert [(p["officer"], p["route"]) for p in swapped.officer_pins] == [(lou, lee_team), (lee, lou_team)]

    again = _run(operation)
    assert {frozenset(t) for t in _teams(again)} == wanted
    assert {p["officer"] for p in again.officer_pins} == {lou, lee}
    for pin in again.officer_pins:
        assert pin["officer"] in again.plan["routes"][pin["route"]]["officer_ids"]
    view = selectors.plan_view(again)
    assert {p["name"] for p in view["officer_pins"]} == {"Lou Labour", "Lee Labour"}
    assert all(p["team"] for p in view["officer_pins"]) and not view["officer_pins_dropped"]
    # The swap puts both women in one team: the checker says so again, as it did by hand.
    assert again.evaluation["feasible"] == swapped.evaluation["feasible"]


def test_an_officer_taken_out_stays_out_and_the_teams_are_formed_without_them(operation, city, paula):
    spare = on_shift(factories.officer("DSAL", username="lin", full_name="Lin Labour", sex="F", rank=1))
    first = _run(operation)
    used = set().union(*_teams(first))
    out = next(_uuid(o) for o in [*city["dsal"], spare] if _uuid(o) in used)
    team = next(i for i, t in enumerate(_teams(first)) if out in t)
    taken = services.plan_officer_move(
        actor=paula.user, job=first, officer_id=out, from_route=team, to_route=None
    )
    assert not taken.evaluation["feasible"]  # a team of one, without DSAL

    again = _run(operation)
    assert out not in set().union(*_teams(again))
    # Formed without them: the spare labour inspector stands in, and every rule holds.
    assert again.evaluation["feasible"], again.evaluation["violations"]
    assert again.officer_pins == [{"officer": out, "route": None, "minute": taken.officer_pins[0]["minute"]}]
    [pin] = selectors.plan_view(again)["officer_pins"]
    assert pin["team"] is None and pin["name"]


def test_an_officer_brought_in_rejoins_the_same_teammates(operation, city, paula):
    spare = on_shift(factories.officer("PSP", username="pia", full_name="Pia Police", rank=1))
    first = _run(operation)
    pia = _uuid(spare)
    if pia in set().union(*_teams(first)):  # the planner used her: take her out first
        index = next(i for i, t in enumerate(_teams(first)) if pia in t)
        services.plan_officer_move(
            actor=paula.user, job=first, officer_id=pia, from_route=index, to_route=None
        )
    lee = _uuid(city["dsal"][1])
    target = next(i for i, t in enumerate(_teams(first)) if lee in t)
    moved = services.plan_officer_move(
        actor=paula.user, job=first, officer_id=pia, from_route=None, to_route=target
    )
    mates = _teams(moved)[target] - {pia}

    again = _run(operation)
    assert _team_of(again, pia) >= mates | {pia}


def test_a_placing_whose_teammates_are_no_team_is_dropped_and_said(operation, city, paula):
    first = _run(operation)
    lou = _uuid(city["dsal"][0])
    team = next(i for i, t in enumerate(_teams(first)) if lou in t)
    mate = next(o for o in _teams(first)[team] if o != lou)
    other = 1 - team
    services.plan_officer_move(actor=paula.user, job=first, officer_id=lou, from_route=team, to_route=other)
    # The teammates Lou was moved to are one officer now off duty: no team of the new plan has them.
    others = _teams(first)[other] - {lou}
    for officer_id in others:
        Officer.objects.filter(uuid=officer_id).update(is_active=False)
    again = _run(operation)
    view = selectors.plan_view(again)
    [dropped] = view["officer_pins_dropped"]
    assert dropped["officer"] == lou and dropped["reason"] == "team_gone"
    assert "Lou Labour" in dropped["message"] and f"team {other + 1}" in dropped["message"]
    assert again.officer_pins == [] and mate


def test_a_released_placing_is_not_carried_and_the_release_is_audited(operation, city, paula):
    first = _run(operation)
    lou = _uuid(city["dsal"][0])
    team = next(i for i, t in enumerate(_teams(first)) if lou in t)
    services.plan_officer_move(actor=paula.user, job=first, officer_id=lou, from_route=team, to_route=None)
    released = services.plan_officer_unpin(actor=paula.user, job=first, officer_id=lou)
    assert released.officer_pins == []
    assert AuditEntry.objects.filter(verb="plan_officer_unpin").count() == 1
    with pytest.raises(NotFound):
        services.plan_officer_unpin(actor=paula.user, job=first, officer_id=lou)
    again = _run(operation)
    assert again.officer_pins == [] and lou in set().union(*_teams(again))


def test_moving_the_same_officer_again_keeps_one_placing(operation, city, paula):
    first = _run(operation)
    lou = _uuid(city["dsal"][0])
    team = next(i for i, t in enumerate(_teams(first)) if lou in t)
    services.plan_officer_move(actor=paula.user, job=first, officer_id=lou, from_route=team, to_route=None)
    back = services.plan_officer_move(
        actor=paula.user, job=first, officer_id=lou, from_route=None, to_route=team
    )
    assert [(p["officer"], p["route"]) for p in back.officer_pins] == [(lou, team)]


def programme_with_one_taken_out(capture):
    """A programme of two days planned, four officers in fixed pairs; an officer who works both
    days taken out of one day's team. (programme, job, that team's index, the officer's id)"""
    from tests.scheduler.test_programme_pairs import _alone_at_their_station, _plan, _programme

    programme = _programme(_alone_at_their_station(4), sites=8)
    job = _plan(programme, capture)
    routes = job.plan["routes"]
    worked: dict[str, set[int]] = {}
    for r in routes:
        for o in r["officer_ids"]:
            worked.setdefault(o, set()).add(r["departure"] // 1440)
    index, out = next(
        (i, o) for i, r in enumerate(routes) if r["stops"] for o in r["officer_ids"] if len(worked[o]) > 1
    )
    services.plan_officer_move(actor=None, job=job, officer_id=out, from_route=index, to_route=None)
    return programme, job, index, out


def _night_routes(job, night):
    return [i for i, r in enumerate(job.plan["routes"]) if r["team_id"].startswith(f"N{night}-")]


def test_over_two_nights_an_officer_out_of_fridays_teams_stays_in_thursdays(paula):
    from tests.scheduler.test_regroup_nights import _run as run_nights
    from tests.scheduler.test_regroup_nights import two_nights

    op, officers, _target = two_nights(paula)
    first = run_nights(op)
    lee = _uuid(officers["lee"])
    [friday] = [i for i in _night_routes(first, 2) if lee in first.plan["routes"][i]["officer_ids"]]
    out = services.plan_officer_move(
        actor=paula.user, job=first, officer_id=lee, from_route=friday, to_route=None
    )
    assert lee in set().union(*(_teams(out)[i] for i in _night_routes(out, 1)))  # still on Thursday
    # Back into a Friday team from no team that night, though in a team on Thursday.
    back = services.plan_officer_move(
        actor=paula.user, job=out, officer_id=lee, from_route=None, to_route=friday
    )
    assert lee in _teams(back)[friday] and len(back.officer_pins) == 1
    services.plan_officer_move(actor=paula.user, job=back, officer_id=lee, from_route=friday, to_route=None)

    again = run_nights(op)
    assert lee in set().union(*(_teams(again)[i] for i in _night_routes(again, 1)))
    assert lee not in set().union(*(_teams(again)[i] for i in _night_routes(again, 2)))
    assert [(p["officer"], p["route"]) for p in again.officer_pins] == [(lee, None)]


def test_over_two_nights_an_officer_is_refused_a_second_team_the_same_night(paula):
    from backend.core.errors import InvalidInput
    from tests.scheduler.test_regroup_nights import _run as run_nights
    from tests.scheduler.test_regroup_nights import two_nights

    op, officers, _target = two_nights(paula)
    job = run_nights(op)
    lee = _uuid(officers["lee"])
    [thursday] = [i for i in _night_routes(job, 1) if lee in job.plan["routes"][i]["officer_ids"]]
    [other] = [i for i in _night_routes(job, 1) if i != thursday]
    with pytest.raises(InvalidInput) as refused:
        services.plan_officer_move(actor=paula.user, job=job, officer_id=lee, from_route=None, to_route=other)
    assert refused.value.errors == {"officer": [f"This officer is in Team {thursday + 1} already."]}


def test_in_a_programme_an_officer_taken_out_on_one_day_stays_out_that_day_only(
    db, paula, django_capture_on_commit_callbacks
):
    """A routine programme's teams are a day's: Monday's taken out, Tuesday's kept. The fixed
    pairs stay as the programme formed them, so the partner has no pair that Monday either."""
    from tests.scheduler.test_programme_pairs import _plan

    programme, first, index, out = programme_with_one_taken_out(django_capture_on_commit_callbacks)
    day = first.plan["routes"][index]["departure"] // 1440

    again = _plan(programme, django_capture_on_commit_callbacks)
    assert day not in {r["departure"] // 1440 for r in again.plan["routes"] if out in r["officer_ids"]}
    assert [(p["officer"], p["route"]) for p in again.officer_pins] == [(out, None)]
    # Off duty that day only: the problem planned again still has the officer's other day.
    problem, _clock = services._build(again)
    held = services._officers_held(problem, again)
    shifts = held.officer_by_id[out].shifts
    assert shifts and all(not (s <= day * 1440 + 720 < e) for s, e in shifts)
