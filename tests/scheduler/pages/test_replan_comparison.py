"""The re-plan's "Visits that change" matches a visit's team by the team, not its label: a stand-in
from another agency turns "Team 4 (DSAL·PSP)" into "Team 4 (PSP·SSM)", and every visit of that team,
unmoved, was listed as changed."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

from scheduler.pages import views

NINE = dt.datetime(2030, 3, 1, 21, 0)


def _workspace(routes):
    return {
        "kpis": {"planned": sum(len(stops) for _id, _label, stops in routes)},
        "unplanned": [],
        "routes": [
            {
                "index": index,
                "team_id": team_id,
                "team": label,
                "stops": [{"visit": visit, "site": site, "start": start} for visit, site, start in stops],
            }
            for index, (team_id, label, stops) in enumerate(routes)
        ],
    }


def test_a_stand_in_of_another_agency_changes_no_visit(monkeypatch):
    stops_3 = [("v1", "Lotus Karaoke", NINE)]
    stops_4 = [("v2", "Jade Sauna", NINE), ("v3", "Pearl Club", NINE + dt.timedelta(hours=1))]
    before = _workspace([("N1-T03", "Team 3 (DSAL·PSP)", stops_3), ("N1-T04", "Team 4 (DSAL·PSP)", stops_4)])
    after = _workspace([("N1-T03", "Team 3 (DSAL·PSP)", stops_3), ("N1-T04", "Team 4 (PSP·SSM)", stops_4)])
    monkeypatch.setattr(views, "plan_workspace", lambda job: before)
    job = SimpleNamespace(replan_of_id=1, replan_of=object())
    assert views._comparison(job, after)["changed"] == []


def test_a_visit_moved_to_another_team_is_listed_with_the_teams_labels(monkeypatch):
    before = _workspace(
        [
            ("N1-T03", "Team 3 (DSAL·PSP)", [("v1", "Lotus Karaoke", NINE)]),
            ("N1-T04", "Team 4 (DSAL·PSP)", []),
        ]
    )
    after = _workspace(
        [("N1-T03", "Team 3 (DSAL·PSP)", []), ("N1-T04", "Team 4 (PSP·SSM)", [("v1", "Lotus Karaoke", NINE)])]
    )
    monkeypatch.setattr(views, "plan_workspace", lambda job: before)
    changed = views._comparison(SimpleNamespace(replan_of_id=1, replan_of=object()), after)["changed"]
    assert changed == [
        {"site": "Lotus Karaoke", "before": ("Team 3 (DSAL·PSP)", NINE), "after": ("Team 4 (PSP·SSM)", NINE)}
    ]


def test_routes_without_a_team_id_match_by_their_place(monkeypatch):
    before = _workspace([("", "Team 1 (DSAL·PSP)", [("v1", "Lotus Karaoke", NINE)])])
    after = _workspace([("", "Team 1 (PSP·SSM)", [("v1", "Lotus Karaoke", NINE)])])
    monkeypatch.setattr(views, "plan_workspace", lambda job: before)
    assert views._comparison(SimpleNamespace(replan_of_id=1, replan_of=object()), after)["changed"] == []


def test_a_stand_in_is_named_with_the_officer_who_dropped_out(monkeypatch):
    stops = [("v1", "Lotus Karaoke", NINE)]
    before = _workspace([("N1-T03", "Team 3 (DSAL·PSP)", stops)])
    after = _workspace([("N1-T03", "Team 3 (DSAL·SSM)", stops)])
    before["routes"][0]["members"] = [{"id": "a", "name": "Ana"}, {"id": "b", "name": "Bruno"}]
    after["routes"][0]["members"] = [{"id": "a", "name": "Ana"}, {"id": "c", "name": "Carla"}]
    monkeypatch.setattr(views, "plan_workspace", lambda job: before)
    comparison = views._comparison(SimpleNamespace(replan_of_id=1, replan_of=object()), after)
    assert comparison["changed"] == []
    assert comparison["officers"] == [{"team": "Team 3 (DSAL·SSM)", "left": "Bruno", "joined": "Carla"}]
