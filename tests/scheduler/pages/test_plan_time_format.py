"""Every time on the plan page in the language's TIME_FORMAT: the broken rules' and the unplanned
visits' messages (built from the checker's "22:17" and "01:30 (+1 day)") and the timeline's wave
labels, hour marks and blocks (drawn by plan.js from the server's texts), as the tables write
theirs. Before, English pages said "22:17" and "21:30" beside "10:17 p.m." and "9:30 p.m."."""

from __future__ import annotations

import html as markup
import json
import re

import pytest
from django.utils import translation

from scheduler import selectors
from scheduler.models import PlanningJob

pytestmark = pytest.mark.django_db(transaction=True)

TWENTY_FOUR = re.compile(r"\b\d{1,2}:\d{2}\b(?! [ap]\.m\.)")


@pytest.fixture
def planned(planner_client, operation):
    planner_client.post(
        f"/planning/operations/{operation.uuid}/plan/start/", {"time_limit_seconds": 3, "seed": 1}
    )
    job = PlanningJob.objects.get(operation=operation)
    assert job.status == PlanningJob.Status.SUCCEEDED, job.error
    return job


def _section(html: str, id_: str) -> str:
    start = html.index(f'id="{id_}"')
    return html[start : html.index("</section>", start)]


def _broken(planner_client, operation, job) -> str:
    """Two targets of one wave on one team: rules broken, with times in their messages."""
    routes = [r for r in job.plan["routes"] if r["stops"]]
    visit = routes[0]["stops"][0]["visit_id"]
    target = job.plan["routes"].index(routes[1])
    planner_client.post(
        f"/planning/operations/{operation.uuid}/plan/move/", {"visit": visit, "to_route": str(target)}
    )
    return planner_client.get(f"/planning/operations/{operation.uuid}/plan/").content.decode()


def test_broken_rules_say_their_times_as_the_tables_do(planned, planner_client, operation):
    html = _broken(planner_client, operation, planned)
    violations = _section(html, "violations")
    assert re.search(r"\d{1,2}(:\d{2})? [ap]\.m\.", violations), violations
    assert not TWENTY_FOUR.findall(violations), violations
    # In Portuguese the language's 24-hour clock, as its tables.
    pt = planner_client.get(
        f"/planning/operations/{operation.uuid}/plan/", HTTP_ACCEPT_LANGUAGE="pt"
    ).content.decode()
    assert re.search(r"\b\d{2}:\d{2}\b", _section(pt, "violations"))
    assert "p.m." not in _section(pt, "violations")
    # A team's line says where it leaves from whatever the unit's name ("Comando do CPSP", "Esquadra
    # da Taipa": no "De Comando"), and its return time with a date where it has one ("regresso:
    # Seg, 7 Dez 00:26", not "regresso às Seg, 7 Dez").
    routes = pt[pt.index('id="routes-h"') :]
    assert re.search(r"Partida: [^<]+, \d{2}:\d{2} · regresso: \d{2}:\d{2} · deslocação", routes), routes[
        :2000
    ]


def test_the_timeline_gets_its_wave_labels_hours_and_block_times_written(planned, planner_client, operation):
    page = planner_client.get(f"/planning/operations/{operation.uuid}/plan/").content.decode()
    found = re.search(r'id="plan-data" hidden data-plan="([^"]*)"', page)
    data = json.loads(markup.unescape(found.group(1)))
    assert [w["time"] for w in data["waves"]] == ["7 p.m.", "9 p.m."]
    assert data["hours"][0] == "midnight" and data["hours"][21] == "9 p.m." and len(data["hours"]) == 24
    stop = data["teams"][0]["stops"][0]
    assert set(stop["times"]) == {"travel_from", "arrival", "start", "end"}
    assert all(t.endswith(("a.m.", "p.m.")) for t in stop["times"].values())
    zh = planner_client.get(
        f"/planning/operations/{operation.uuid}/plan/", HTTP_ACCEPT_LANGUAGE="zh-hant"
    ).content.decode()
    data = json.loads(markup.unescape(re.search(r'data-plan="([^"]*)"', zh).group(1)))
    assert [w["time"] for w in data["waves"]] == ["19:00", "21:00"] and data["hours"][21] == "21:00"


def test_the_checkers_times_of_another_day_carry_the_date(planned):
    rewrite = selectors.plan_times(planned)
    with translation.override("en"):
        params = rewrite(
            {"start": "22:17", "end": "01:30 (+1 day)", "times": "21:00 (W1), 23:00 (W2)", "minutes": 45}
        )
    # The operation starts on Friday 1 March 2030: its own day.
    assert params == {
        "start": "10:17 p.m.",
        "end": "Sat 2 Mar 1:30 a.m.",
        "times": "9 p.m. (W1), 11 p.m. (W2)",
        "minutes": 45,
    }


def test_the_checkers_waves_and_lists_are_said_in_the_readers_words(planned):
    rewrite = selectors.plan_times(planned)
    params = {"waves": "W1 at 19:00, W2 at 01:30 (+1 day)", "opening": "18:00-04:00, 05:00-06:00"}
    with translation.override("en"):
        assert rewrite(params) == {
            "waves": "W1 at 7 p.m., W2 at Sat 2 Mar 1:30 a.m.",
            "opening": "6 p.m.–4 a.m., 5 a.m.–6 a.m.",
        }
    with translation.override("zh-hant"):
        said = rewrite(params)
    assert " at " not in said["waves"] and "、" in said["waves"] and "19:00" in said["waves"]
    assert said["opening"] == "18:00–04:00、05:00–06:00"
