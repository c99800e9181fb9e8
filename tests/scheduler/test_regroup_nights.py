"""A joint operation over two nights regroups its officers: the same four officers make one pair
of teams on Thursday night and another pair on Friday night, because each night's targets need
other languages together. The plan covers every target, the checker accepts it whether the
registry holds a shift a night or one long shift over both nights, the plan page and the
published teams name each team's night, a move keeps a team to its own night's waves, pins and
"Plan again" keep working, and each officer's phone shows the right team on the right night."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine

from backend.checklists.services import checklists_load_builtin
from backend.inspections.models import Inspection, Team
from backend.registry.models import Skill
from scheduler import services
from scheduler.models import PlanningJob
from tests import factories
from tests.browser_support import sign_in_client
from tests.scheduler.conftest import MACAU, VENUES, on_shift

pytestmark = pytest.mark.django_db(transaction=True)

NIGHT = dt.datetime(2030, 12, 5, 20, 0, tzinfo=MACAU)  # a Thursday
PASSWORD = "correct-horse-battery"


def _language(code):
    return Skill.objects.get_or_create(code=f"lang-{code}", defaults={"name_en": code, "kind": "language"})[0]


def two_nights(paula, shifts="nightly"):
    """Pat (PSP, Tagalog) and Pete (PSP), Lou (DSAL, Vietnamese) and Lee (DSAL); teams of two,
    PSP and DSAL. Thursday: a venue needing Tagalog and Vietnamese (Pat and Lou) and one needing
    neither (Pete and Lee). Friday: one needing Tagalog, one Vietnamese: Pat and Lou must part.
    A fifth venue may go in any wave."""
    checklists_load_builtin()
    tagalog, vietnamese = _language("tl"), _language("vi")

    def rostered(officer):
        if shifts == "nightly":
            for night in range(2):
                on_shift(officer, start=NIGHT + dt.timedelta(days=night, hours=-1), hours=9)
        else:  # one row of the registry over both nights
            on_shift(officer, start=NIGHT - dt.timedelta(hours=1), hours=34)
        return officer

    officers = {
        "pat": rostered(
            factories.officer("PSP", username="pat", full_name="Pat Police", rank=5, skills=[tagalog])
        ),
        "pete": rostered(factories.officer("PSP", username="pete", full_name="Pete Police", rank=3)),
        "lou": rostered(
            factories.officer(
                "DSAL", username="lou", full_name="Lou Labour", sex="F", rank=4, skills=[vietnamese]
            )
        ),
        "lee": rostered(factories.officer("DSAL", username="lee", full_name="Lee Labour", rank=2)),
    }
    venues = [
        factories.site(
            name_en=name,
            latitude=lat,
            longitude=lon,
            opening_hours=[(d, dt.time(18), dt.time(4)) for d in range(7)],
        )
        for name, lat, lon in [*VENUES, ("Opal Lounge", 22.1990, 113.5430)]
    ]
    op = services.operation_plan_create(
        actor=paula.user,
        planner=paula,
        name="Two Nights",
        lead_agency=officers["pat"].agency,
        agencies=[officers["lou"].agency],
        starts_at=NIGHT,
        ends_at=NIGHT + dt.timedelta(hours=32),
        reveal_at=NIGHT - dt.timedelta(hours=1),
        muster_unit=officers["pat"].unit,
        waves=[
            ("n1a", NIGHT + dt.timedelta(hours=1)),
            ("n1b", NIGHT + dt.timedelta(hours=3)),
            ("n2a", NIGHT + dt.timedelta(hours=25)),
            ("n2b", NIGHT + dt.timedelta(hours=27)),
        ],
        team_min_size=2,
        team_max_size=2,
        required_agencies=["PSP", "DSAL"],
        female_officer=False,
    )
    target = {}
    for key, site, wave, languages in [
        ("both", venues[0], "n1a", ["tl", "vi"]),
        ("plain", venues[1], "n1a", []),
        ("tagalog", venues[2], "n2a", ["tl"]),
        ("vietnamese", venues[3], "n2a", ["vi"]),
        ("any", venues[4], None, []),
    ]:
        [t] = services.operation_targets_set(
            actor=paula.user, operation=op, sites=[site], wave=wave, languages=languages
        )
        target[key] = str(t.pk)
    return op, officers, target


def _run(op):
    job = PlanningJob.objects.create(operation=op, time_limit_seconds=3, seed=1)
    job = services.planning_run(job_id=job.uuid)
    assert job.status == PlanningJob.Status.SUCCEEDED, job.error
    return job


def _teams_by_night(job, officers):
    """{night: {officer: the officers of their team that night}}, from the plan's waves."""
    names = {str(o.uuid): key for key, o in officers.items()}
    out: dict[str, dict[str, frozenset]] = {"n1": {}, "n2": {}}
    for r in job.plan["routes"]:
        nights = {s["wave_id"][:2] for s in r["stops"]}
        assert len(nights) == 1, r  # a team works one night
        night = nights.pop()
        for i in r["officer_ids"]:
            assert names[i] not in out[night], f"{names[i]} in two teams on {night}"
            out[night][names[i]] = frozenset(names[o] for o in r["officer_ids"])
    return out


@pytest.mark.parametrize("shifts", ["nightly", "one long shift"])
def test_the_same_officers_make_other_teams_on_the_second_night(paula, shifts):
    op, officers, _target = two_nights(paula, shifts)
    job = _run(op)
    assert job.evaluation["feasible"], job.evaluation["violations"]
    assert job.plan["unplanned"] == []
    teams = _teams_by_night(job, officers)
    assert teams["n1"]["pat"] == {"pat", "lou"}  # Tagalog and Vietnamese together on Thursday
    assert teams["n2"]["pat"] != teams["n2"]["lou"]  # apart on Friday, each with a language
    assert {r["team_id"] for r in job.plan["routes"]} == {"N1-T01", "N1-T02", "N2-T01", "N2-T02"}


def test_the_plan_page_names_each_team_with_its_night(paula, client):
    op, _officers, _target = two_nights(paula)
    job = _run(op)
    sign_in_client(client, "paula", PASSWORD)
    html = client.get(f"/planning/operations/{op.uuid}/plan/").content.decode()
    for number, route in enumerate(job.plan["routes"], start=1):
        night = "Thu 5 Dec" if route["team_id"].startswith("N1") else "Fri 6 Dec"
        assert re.search(rf"Team {number} \([A-Z·]+\), night of {night}", html), (number, night)
    # A team's briefing says its night too.
    last = len(job.plan["routes"])
    briefing = client.get(f"/planning/operations/{op.uuid}/plan/briefings/{last}/").content.decode()
    assert re.search(rf"Team {last} \([A-Z·]+\), night of Fri 6 Dec", briefing)


def test_a_visit_moved_to_a_team_of_friday_night_joins_a_friday_wave(paula, client):
    op, _officers, target = two_nights(paula)
    job = _run(op)
    routes = job.plan["routes"]
    # Onto a team of Friday night (whichever does not hold it yet): Thursday's waves come first
    # and are free on that team, but it works on Friday.
    holds = next(i for i, r in enumerate(routes) if target["any"] in [s["visit_id"] for s in r["stops"]])
    there = next(i for i, r in enumerate(routes) if r["team_id"].startswith("N2") and i != holds)
    sign_in_client(client, "paula", PASSWORD)
    moved = client.post(
        f"/planning/operations/{op.uuid}/plan/move/",
        {"visit": target["any"], "to_route": str(there)},
        HTTP_HX_REQUEST="true",
    )
    assert moved.status_code == 200 and b"Visit moved and pinned" in moved.content
    job.refresh_from_db()
    [stop] = [s for s in job.plan["routes"][there]["stops"] if s["visit_id"] == target["any"]]
    assert stop["wave_id"] == "n2b"
    assert job.evaluation["feasible"], job.evaluation["violations"]
    assert job.pins == {target["any"]: there}

    # Plan again: the pin stays with the same officers on that night.
    client.post(f"/planning/operations/{op.uuid}/plan/start/", {"time_limit_seconds": 3, "seed": 1})
    again = PlanningJob.objects.filter(operation=op).latest("created_at")
    assert again.pk != job.pk and again.status == PlanningJob.Status.SUCCEEDED, again.error
    pinned = next(r for r in again.plan["routes"] if target["any"] in [s["visit_id"] for s in r["stops"]])
    assert set(pinned["officer_ids"]) == set(job.plan["routes"][there]["officer_ids"])
    assert pinned["team_id"].startswith("N2")
    assert again.evaluation["feasible"], again.evaluation["violations"]


def test_published_teams_are_one_per_night_and_each_phone_shows_that_nights_team(paula, client, phone):
    op, officers, _target = two_nights(paula)
    job = _run(op)
    sign_in_client(client, "paula", PASSWORD)
    published = client.post(f"/planning/operations/{op.uuid}/plan/publish/", HTTP_HX_REQUEST="true")
    assert published.status_code == 200 and b"Plan published" in published.content
    teams = Team.objects.filter(operation=op)
    assert teams.count() == 4
    names = sorted(t.name for t in teams)
    assert sum("night of Thu 5 Dec" in n for n in names) == 2, names
    assert sum("night of Fri 6 Dec" in n for n in names) == 2, names
    # Every officer is in one team each night: two teams in all, of other partners.
    for officer in officers.values():
        assert officer.teams.filter(operation=op).count() == 2

    planned = {}  # visit -> (night, officer uuids)
    for r in job.plan["routes"]:
        for s in r["stops"]:
            planned[s["visit_id"]] = (
                "Thu 5 Dec" if r["team_id"].startswith("N1") else "Fri 6 Dec",
                r["officer_ids"],
            )
    by_uuid = {str(i.uuid): i for i in Inspection.objects.filter(operation=op).select_related("team", "site")}
    targets = {str(t.site.uuid): str(t.pk) for t in op.targets.select_related("site")}
    with time_machine.travel(NIGHT - dt.timedelta(minutes=30), tick=False):
        for key, officer in officers.items():
            seen = phone(officer).get("/api/mobile/v1/assignments/").json()["results"]
            assert len(seen) >= 2, key  # one visit at least each night
            nights = set()
            for a in seen:
                visit = targets[str(by_uuid[a["id"]].site.uuid)]
                night, members = planned[visit]
                assert {m["id"] for m in a["team"]["members"]} == set(members), (key, visit)
                assert f"night of {night}" in a["team"]["name"], (key, a["team"]["name"])
                assert str(officer.uuid) in members
                nights.add(night)
            assert nights == {"Thu 5 Dec", "Fri 6 Dec"}, key


def test_a_night_whose_waves_start_earlier_in_the_day_than_the_operation_is_named_and_paged_as_its_own(paula):
    """The operation starts at 20:00 on Thursday; Friday's waves start at 18:00, inside the first
    24 hours. The nights are the solver's (waves more than eight hours apart), so Friday's teams
    are named for Friday and the timeline has a page for Friday holding them, where pages of 24
    hours from the start had put Friday's first wave on Thursday's page and named its team for
    Thursday. A wave after midnight belongs to the evening before."""
    from scheduler import selectors
    from scheduler.pages.workspace import plan_days

    _op, officers, _target = two_nights(paula)
    op = services.operation_plan_create(
        actor=paula.user,
        planner=paula,
        name="Early Friday",
        lead_agency=officers["pat"].agency,
        agencies=[officers["lou"].agency],
        starts_at=NIGHT,
        ends_at=NIGHT + dt.timedelta(hours=30),
        reveal_at=NIGHT - dt.timedelta(hours=1),
        muster_unit=officers["pat"].unit,
        waves=[
            ("n1a", NIGHT + dt.timedelta(hours=1)),  # Thu 21:00
            ("n1b", NIGHT + dt.timedelta(hours=4, minutes=30)),  # Fri 00:30: still Thursday's night
            ("n2a", NIGHT + dt.timedelta(hours=22)),  # Fri 18:00
        ],
        team_min_size=2,
        team_max_size=2,
        required_agencies=["PSP", "DSAL"],
        female_officer=False,
    )
    nights = selectors.operation_nights(op)
    assert [n.date for n in nights] == [dt.date(2030, 12, 5), dt.date(2030, 12, 6)]
    friday_team_leaves = NIGHT + dt.timedelta(hours=21, minutes=30)  # Fri 17:30, for the 18:00 wave
    thursday_late_team_leaves = NIGHT + dt.timedelta(hours=4)  # Fri 00:00, for the 00:30 wave
    assert selectors.route_night(nights, friday_team_leaves) == dt.date(2030, 12, 6)
    assert selectors.route_night(nights, thursday_late_team_leaves) == dt.date(2030, 12, 5)
    assert "night of Fri 6 Dec" in selectors.team_label(3, ["PSP", "DSAL"], dt.date(2030, 12, 6))

    periods = plan_days(op, "operations")["periods"]
    assert [p["label"] for p in periods] == ["Thu 5 Dec", "Fri 6 Dec"]
    friday = periods[1]
    assert friday["start"] <= friday_team_leaves < friday["end"]
    assert periods[0]["start"] == NIGHT and periods[-1]["end"] == NIGHT + dt.timedelta(hours=30)
    assert periods[0]["end"] == periods[1]["start"]  # every minute of the window on one page
