"""Re-planning after an officer drops out keeps the planner's pins where it can and says which it
could not keep and why, on the plan page and in the API, as "Plan again" does: a pin whose team
lost the officer, with no one to stand in, is dropped and named, not lost without a word."""

from __future__ import annotations

from html import unescape

import pytest

from backend.registry.models import Officer
from scheduler.models import PlanningJob

pytestmark = pytest.mark.django_db(transaction=True)


def _pins_section(html: str) -> str:
    start = html.index('id="pins-h"')
    return html[start : html.index("</section>", start)]


def test_a_pin_whose_team_lost_its_officer_is_dropped_and_the_planner_told_why(
    planner_client, operation, city
):
    url = f"/planning/operations/{operation.uuid}/plan/"
    started = planner_client.post(
        f"{url}start/", {"time_limit_seconds": 3, "seed": 1}, HTTP_HX_REQUEST="true"
    )
    assert started.status_code == 200
    job = PlanningJob.objects.get(operation=operation)
    assert job.status == PlanningJob.Status.SUCCEEDED, job.error
    routes = job.plan["routes"]
    a, b = (r for r in routes if r["stops"])  # two teams: the two venues share wave W1
    x, y = a["stops"][0]["visit_id"], b["stops"][0]["visit_id"]
    # The planner pins each visit to its team, through the page's move form.
    for visit, route in ((x, a), (y, b)):
        moved = planner_client.post(
            f"{url}move/", {"visit": visit, "to_route": str(routes.index(route))}, HTTP_HX_REQUEST="true"
        )
        assert b"Visit moved and pinned" in moved.content
    published = planner_client.post(f"{url}publish/", HTTP_HX_REQUEST="true")
    assert b"Plan published" in published.content

    # One of x's team drops out; every other officer of the city is in y's team that night, so
    # no one can stand in: x cannot stay with its team.
    out = Officer.objects.get(uuid=a["officer_ids"][0])
    replanned = planner_client.post(
        f"{url}replan/", {"officer": str(out.uuid), "time_limit_seconds": 2}, HTTP_HX_REQUEST="true"
    )
    assert replanned.status_code == 200 and b"Re-plan ready" in replanned.content
    x_site = operation.targets.get(pk=x).site.name
    y_site = operation.targets.get(pk=y).site.name
    team = routes.index(a) + 1
    said = (
        f"{x_site} was pinned to team {team} of the published plan, which lost {out.full_name} "
        "with no one to stand in: its pin was dropped."
    )
    section = _pins_section(unescape(replanned.content.decode()))
    assert said in section
    assert y_site in section and f"{y_site} was pinned" not in section  # y's pin is kept

    # The plan page says the same when read again, and the API names the reason.
    page = unescape(planner_client.get(url).content.decode())
    assert said in _pins_section(page)
    view = planner_client.get(f"/api/v1/planning/operations/{operation.uuid}/plan/").json()
    assert view["replan_of"] == str(job.uuid)
    [dropped] = view["pins_dropped"]
    assert dropped["visit"] == x and dropped["reason"] == "officer_out" and dropped["message"] == said
    assert [p["visit"] for p in view["pins"]] == [y]
    draft = PlanningJob.objects.get(uuid=view["job"])
    assert draft.pins == {
        y: next(
            i
            for i, r in enumerate(draft.plan["routes"])
            if r["stops"] and y in [s["visit_id"] for s in r["stops"]]
        )
    }


@pytest.mark.parametrize(
    ("language", "words"),
    [
        (
            "pt",
            "fixado na equipa 1 do plano publicado, que perdeu {officer} sem ninguém que o substituísse",
        ),
        ("zh-hant", "在已發佈的計劃中固定於第 1 組，該組失去 {officer} 且無人可替補：已取消此固定。"),
    ],
)
def test_the_dropped_pin_is_said_in_the_readers_language(language, words, planner_client, operation):
    url = f"/planning/operations/{operation.uuid}/plan/"
    planner_client.post(f"{url}start/", {"time_limit_seconds": 3, "seed": 1})
    job = PlanningJob.objects.get(operation=operation)
    first = job.plan["routes"][0]
    assert first["stops"], job.plan
    planner_client.post(f"{url}move/", {"visit": first["stops"][0]["visit_id"], "to_route": "0"})
    planner_client.post(f"{url}publish/")
    out = Officer.objects.get(uuid=first["officer_ids"][0])
    planner_client.post(f"{url}replan/", {"officer": str(out.uuid), "time_limit_seconds": 2})

    planner_client.post("/i18n/setlang/", {"language": language, "next": "/"})
    page = unescape(planner_client.get(url).content.decode())
    assert words.format(officer=out.full_name) in _pins_section(page)
