"""Pins outlive "Plan again": a fresh planning job of the same operation keeps every visit the
planner pinned with the same officers, and says which pins it could not keep and why."""

from __future__ import annotations

from scheduler import selectors, services
from scheduler.models import PlanningJob


def _run(operation):
    job = PlanningJob.objects.create(operation=operation, time_limit_seconds=3)
    job = services.planning_run(job_id=job.uuid)
    assert job.status == PlanningJob.Status.SUCCEEDED, job.error
    return job


def _route_of(job, visit):
    return next(r for r in job.plan["routes"] if visit in [s["visit_id"] for s in r["stops"]])


def test_a_visit_swapped_to_another_team_stays_with_it_when_planning_again(operation, paula):
    first = _run(operation)
    a, b = (r for r in first.plan["routes"] if r["stops"])
    x, u = a["stops"][0]["visit_id"], b["stops"][0]["visit_id"]  # both of wave W1
    index_a, index_b = first.plan["routes"].index(a), first.plan["routes"].index(b)
    services.plan_move(actor=paula.user, job=first, visit_id=x, to_route=index_b, position=0)
    swapped = services.plan_move(actor=paula.user, job=first, visit_id=u, to_route=index_a, position=0)
    assert swapped.evaluation["feasible"], swapped.evaluation["violations"]

    again = _run(operation)
    assert set(_route_of(again, x)["officer_ids"]) == set(b["officer_ids"])
    assert set(_route_of(again, u)["officer_ids"]) == set(a["officer_ids"])
    assert again.evaluation["feasible"], again.evaluation["violations"]
    routes = again.plan["routes"]
    assert again.pins == {x: routes.index(_route_of(again, x)), u: routes.index(_route_of(again, u))}
    view = selectors.plan_view(again)
    assert {p["visit"] for p in view["pins"]} == {x, u} and not view["pins_dropped"]
    assert all(p["site"] and p["team"] for p in view["pins"])


def test_a_visit_taken_out_stays_out_when_planning_again(operation, paula):
    first = _run(operation)
    x = first.plan["routes"][0]["stops"][0]["visit_id"]
    services.plan_move(actor=paula.user, job=first, visit_id=x, to_route=None)
    again = _run(operation)
    assert [u["reason"] for u in again.plan["unplanned"] if u["visit_id"] == x] == ["removed_by_planner"]
    assert again.pins == {x: None}
    assert again.evaluation["feasible"], again.evaluation["violations"]


def test_a_pin_whose_target_is_gone_is_dropped_and_the_planner_told_why(operation, city, paula):
    first = _run(operation)
    route = next(r for r in first.plan["routes"] if r["stops"])
    x = route["stops"][0]["visit_id"]
    services.plan_move(actor=paula.user, job=first, visit_id=x, to_route=first.plan["routes"].index(route))
    site = operation.targets.get(pk=x).site
    services.operation_target_remove(actor=paula.user, operation=operation, site=site)
    again = _run(operation)
    assert again.pins == {}
    [dropped] = selectors.plan_view(again)["pins_dropped"]
    assert dropped["visit"] == x and dropped["reason"] == "visit_gone"
    assert site.name in dropped["message"]


def test_pins_come_from_the_latest_plan_only(operation, paula):
    """A pin released on the latest plan does not come back from an older one."""
    first = _run(operation)
    x = first.plan["routes"][0]["stops"][0]["visit_id"]
    services.plan_move(actor=paula.user, job=first, visit_id=x, to_route=None)
    second = _run(operation)
    services.plan_unpin(actor=paula.user, job=second, visit_id=x)
    third = _run(operation)
    assert third.pins == {} and not selectors.plan_view(third)["pins_dropped"]


def test_a_pinned_team_the_planner_grew_by_hand_is_found_again_with_most_of_its_officers():
    """A visit pinned to a team, and an officer moved into that team by hand: planning again puts
    the moved officer back with most of their teammates, beside whoever the search put there, so
    the team came back as 'the same officers and one more' and the pin was dropped ('whose
    officers are not one team that day'; found on a newcomer's walk). The pinned team is the
    route holding more than half of its officers, the fewest others first; a team of which no
    route holds more than half is gone, as before."""
    from scheduler import solver
    from scheduler.services import _same_team

    def route(*officers, day=0):
        return solver.Route(officers, "depot", day * 1440 + 1200, day * 1440 + 1500, ())

    plan = solver.Plan((route("a", "b", "c", "x"), route("d", "e"), route("a", "b", "x", day=1)), ())
    assert _same_team(route("d", "e"), plan) == 1  # the same officers
    assert _same_team(route("a", "b", "x"), plan) == 0  # with one more that day
    assert _same_team(route("a", "b", "x", day=1), plan) == 2  # the same, the next day
    assert _same_team(route("b", "e", "y"), plan) is None  # no route holds more than half
    assert _same_team(route("d", "f"), plan) is None  # half is not more than half
    assert _same_team(route("a", "c", "q"), plan) == 0
