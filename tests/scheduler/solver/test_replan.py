"""Re-planning after a change keeps done visits and moves as few visits as possible."""

from __future__ import annotations

from dataclasses import replace

from scheduler.solver import Change, evaluate, plan_joint, plan_routine, replan

from .builders import (
    DAY,
    FAST,
    JOINT_FAST,
    day_shifts,
    joint_problem,
    night_shifts,
    officer,
    regrouping_problem,
    routine_problem,
    visit,
)


def two_day_problem():
    p = routine_problem(n_visits=10, n_officers=3, days=2)
    officers = (*p.officers, officer("spare", shifts=day_shifts(2)))
    return p, replace(p, officers=officers)


def test_officer_dropping_out_is_replaced_by_an_equivalent_one():
    p, with_spare = two_day_problem()
    plan = plan_routine(p, options=FAST)
    day1 = [r for r in plan.routes if r.day == 1 and r.officer_ids == ("o0",)]
    assert day1, "o0 should work on day 1"
    result = replan(with_spare, plan, done=frozenset(), change=Change(officer_out="o0", since=DAY))
    assert evaluate(result.problem, result.plan).violations == ()
    assert result.strategy == "substitute"
    assert result.moves == sum(len(r.stops) for r in day1)
    new_routes = {r.key: r for r in result.plan.routes}
    assert ("spare", 1) in new_routes
    assert all("o0" not in r.officer_ids for r in result.plan.routes if r.day >= 1)


def test_without_a_spare_the_orphans_are_reinserted_and_done_visits_stay():
    p, _ = two_day_problem()
    plan = plan_routine(p, options=FAST)
    today = next(r for r in plan.routes if len(r.stops) >= 2)
    gone = today.officer_ids[0]
    done = frozenset({today.stops[0].visit_id})
    since = today.stops[0].end + 1
    result = replan(p, plan, done=done, change=Change(officer_out=gone, since=since))
    ev = evaluate(result.problem, result.plan)
    assert ev.violations == ()
    before, after = plan.assignment(), result.plan.assignment()
    for vid in done:
        assert after[vid] == before[vid]
    # Only the dropped officer's unfinished visits may move; everyone else's stay put.
    theirs = {s.visit_id for r in plan.routes if gone in r.officer_ids for s in r.stops}
    assert set(result.moved) <= theirs - done
    assert result.moves >= 1
    assert ev.objective.visits_missed == 0
    assert all(r.departure < since for r in result.plan.routes if gone in r.officer_ids)


def test_added_visit_is_inserted_without_moving_others():
    p = routine_problem(n_visits=6, n_officers=2)
    plan = plan_routine(p, options=FAST)
    extra = visit(11, priority=5, site_id="s3")
    result = replan(p, plan, done=frozenset(), change=Change(added=(extra,), since=0))
    assert evaluate(result.problem, result.plan).violations == ()
    assert "v11" in result.plan.planned_visit_ids()
    assert result.moves == 0


def test_removed_visit_disappears():
    p = routine_problem(n_visits=6, n_officers=2)
    plan = plan_routine(p, options=FAST)
    result = replan(p, plan, done=frozenset(), change=Change(removed=frozenset({"v2"}), since=0))
    assert evaluate(result.problem, result.plan).violations == ()
    assert "v2" not in result.plan.planned_visit_ids()
    assert result.moves == 0


def test_joint_team_member_dropping_out_is_replaced_in_the_same_team():
    p = joint_problem(4)
    plan = plan_joint(p, options=JOINT_FAST)
    gone = plan.routes[0].officer_ids[0]
    result = replan(p, plan, done=frozenset(), change=Change(officer_out=gone, since=0), options=JOINT_FAST)
    assert evaluate(result.problem, result.plan).violations == ()
    assert result.moves == 0
    assert all(gone not in r.officer_ids for r in result.plan.routes)
    assert result.plan.planned_visit_ids() == plan.planned_visit_ids()


def test_a_pinned_visits_route_is_kept_when_the_rest_is_planned_again():
    """Without a spare, a joint re-plan solves every open route again; a route holding a visit
    the planner pinned stays exactly as it was (team, stops, times), the others may change."""
    p = joint_problem(8)
    plan = plan_joint(p, options=JOINT_FAST)
    gone = plan.routes[0].officer_ids[0]
    change = Change(officer_out=gone, since=0)
    unpinned = replan(p, plan, done=frozenset(), change=change, options=JOINT_FAST)
    kept = plan.routes[1]
    assert kept not in unpinned.plan.routes  # re-solved without a pin, this team's route changes

    pin = kept.stops[-1].visit_id
    result = replan(p, plan, done=frozenset(), change=change, pinned={pin}, options=JOINT_FAST)
    assert evaluate(result.problem, result.plan).violations == ()
    assert kept in result.plan.routes
    assert all(gone not in r.officer_ids for r in result.plan.routes)


def test_a_joint_officer_dropping_out_on_the_second_night_is_replaced_by_one_on_duty_that_night():
    """Over two nights, a substitute need be on duty that night only (not over the operation's
    whole window), and an officer in a team on the other night is free for this one."""
    p = regrouping_problem()
    plan = plan_joint(p, options=JOINT_FAST)
    spare = officer("o4", "PSP", skills={"lang:tl"}, rank=3, shifts=night_shifts(2)[1:])
    p = replace(p, officers=(*p.officers, spare))
    assert evaluate(p, plan).violations == ()
    night_two = next(r for r in plan.routes if r.team_id.startswith("N2") and "o0" in r.officer_ids)
    change = Change(officer_out="o0", since=DAY + 12 * 60)  # gone from Friday noon
    result = replan(p, plan, done=frozenset(), change=change, options=JOINT_FAST)
    assert evaluate(result.problem, result.plan).violations == ()
    assert result.strategy == "substitute" and result.moves == 0
    [substituted] = [r for r in result.plan.routes if r.team_id == night_two.team_id]
    assert "o4" in substituted.officer_ids and "o0" not in substituted.officer_ids
    # Thursday's team, done before the drop-out, keeps o0.
    assert any("o0" in r.officer_ids for r in result.plan.routes if r.team_id.startswith("N1"))


def test_a_pin_whose_team_lost_its_officer_with_no_one_to_stand_in_is_named_as_dropped():
    """Without a spare, the team that lost an officer cannot keep its visits: its pinned visit
    is named in ``pins_dropped`` (the service records and shows it); a pin on a team that lost no
    one is kept, and never named."""
    p = joint_problem(8)
    plan = plan_joint(p, options=JOINT_FAST)
    gone = plan.routes[0].officer_ids[0]
    lost, kept = plan.routes[0].stops[0].visit_id, plan.routes[1].stops[-1].visit_id
    change = Change(officer_out=gone, since=0)
    result = replan(p, plan, done=frozenset(), change=change, pinned={lost, kept}, options=JOINT_FAST)
    assert evaluate(result.problem, result.plan).violations == ()
    assert result.pins_dropped == (lost,)
    assert plan.routes[1] in result.plan.routes


def test_a_pinned_team_whose_officer_is_replaced_keeps_its_pin():
    """A substitute keeps the pinned team together with its visit: no pin is dropped."""
    p = joint_problem(8)
    plan = plan_joint(p, options=JOINT_FAST)
    gone = plan.routes[0].officer_ids[0]
    spare = replace(p.officer_by_id[gone], id="spare")
    with_spare = replace(p, officers=(*p.officers, spare))
    pin = plan.routes[0].stops[0].visit_id
    change = Change(officer_out=gone, since=0)
    result = replan(with_spare, plan, done=frozenset(), change=change, pinned={pin}, options=JOINT_FAST)
    assert result.pins_dropped == ()
    [team] = [r for r in result.plan.routes if r.team_id == plan.routes[0].team_id]
    assert "spare" in team.officer_ids and pin in {s.visit_id for s in team.stops}


def waits(plan):
    return [s.start - s.arrival for r in plan.routes for s in r.stops]


def test_after_a_drop_out_the_stand_in_team_still_reaches_each_target_just_before_its_raid():
    """A joint team re-timed around a stand-in keeps the plan's property: it reaches each target
    at most ``arrive_before`` minutes before the raid (not when the previous raid lets it, an
    hour early), and leaves as late as that allows."""
    p = joint_problem(6)
    plan = plan_joint(p, options=JOINT_FAST)
    route = next(r for r in plan.routes if len(r.stops) == 2)
    gone = route.officer_ids[0]
    with_spare = replace(p, officers=(*p.officers, replace(p.officer_by_id[gone], id="spare")))
    result = replan(with_spare, plan, done=frozenset(), change=Change(officer_out=gone, since=0))
    assert evaluate(result.problem, result.plan).violations == ()
    assert result.strategy == "substitute" and result.moves == 0
    [team] = [r for r in result.plan.routes if r.team_id == route.team_id]
    assert "spare" in team.officer_ids
    assert [s.start for s in team.stops] == [s.start for s in route.stops]
    assert max(waits(result.plan)) <= p.operation.arrive_before


def test_after_a_drop_out_a_plan_whose_teams_wait_outside_their_targets_is_put_right():
    """A plan stored before the times were right-justified (a team told to reach its second
    target when the first raid let it): its teams that have not left yet are re-timed by the
    re-plan, with the same teams, stops and starts (nothing counts as moved)."""
    p = joint_problem(6)
    plan = plan_joint(p, options=JOINT_FAST)
    early = []
    for r in plan.routes:  # each stop reached as soon as the previous one lets it
        stops, where, now = [], p.depot_by_id[r.depot_id].point, r.departure
        for s in r.stops:
            point = p.site_by_id[p.visit_by_id[s.visit_id].site_id].point
            stops.append(replace(s, arrival=now + p.travel.minutes(where, point, now)))
            where, now = point, s.end
        early.append(replace(r, stops=tuple(stops)))
    old = replace(plan, routes=tuple(early))
    assert evaluate(p, old).violations == () and max(waits(old)) > 30
    gone = old.routes[0].officer_ids[0]
    with_spare = replace(p, officers=(*p.officers, replace(p.officer_by_id[gone], id="spare")))
    result = replan(with_spare, old, done=frozenset(), change=Change(officer_out=gone, since=0))
    assert evaluate(result.problem, result.plan).violations == ()
    assert result.moves == 0
    assert max(waits(result.plan)) <= p.operation.arrive_before
    assert sorted((r.team_id, [s.start for s in r.stops]) for r in result.plan.routes) == sorted(
        (r.team_id, [s.start for s in r.stops]) for r in old.routes
    )


def test_taking_out_a_teams_first_raid_lets_it_leave_later():
    """Re-planning without a team's first-wave target: the team leaves for its only raid, in the
    second wave, just in time, not at the hour it left for the first."""
    p = joint_problem(6)
    plan = plan_joint(p, options=JOINT_FAST)
    route = next(r for r in plan.routes if len(r.stops) == 2)
    first = route.stops[0].visit_id
    result = replan(p, plan, done=frozenset(), change=Change(removed=frozenset({first}), since=0))
    assert evaluate(result.problem, result.plan).violations == ()
    [team] = [r for r in result.plan.routes if r.team_id == route.team_id]
    [stop] = team.stops
    assert stop.arrival == stop.start - p.operation.arrive_before  # night roads: the margin, exactly
    assert team.departure > route.stops[0].end  # after the hour it would have raided the first


def test_a_re_plan_keeps_each_team_in_its_place_so_its_number_does_not_change():
    """The page, the briefings and the published teams' names number a team by its route's
    place. A re-plan gathered the pinned teams first and the team that lost an officer last, so
    every team was renumbered ("Team 2" became Team 3) though no visit changed: the comparison
    listed them all as changes beside "0 visits change"."""
    p = joint_problem(8)
    plan = plan_joint(p, options=JOINT_FAST)
    assert len(plan.routes) >= 3
    gone = plan.routes[0].officer_ids[0]
    spare = replace(p.officer_by_id[gone], id="spare")
    with_spare = replace(p, officers=(*p.officers, spare))
    pin = plan.routes[1].stops[0].visit_id
    change = Change(officer_out=gone, since=0)
    result = replan(with_spare, plan, done=frozenset(), change=change, pinned={pin}, options=JOINT_FAST)
    assert result.moves == 0
    assert [r.team_id for r in result.plan.routes] == [r.team_id for r in plan.routes]
