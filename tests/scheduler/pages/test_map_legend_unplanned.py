"""The plan map's legend says what its "?" marks are. A visit left out of the plan is drawn as
"?" in a dashed ring, and the legend named only the teams and the muster point: a planner saw
three "?" on the map and nothing said what they were (a tooltip did, for a mouse, and never on a
tablet)."""

from __future__ import annotations

import re

import pytest

from scheduler.models import PlanningJob

pytestmark = pytest.mark.django_db(transaction=True)


def _legend(page: str) -> str:
    return re.search(r'<ul class="legend">(.*?)</ul>', page, re.S).group(1)


@pytest.mark.parametrize(
    ("language", "words"),
    [("en", "visits not planned"), ("pt", "visitas não planeadas"), ("zh-hant", "未納入計劃的巡查")],
)
def test_the_legend_names_the_mark_of_a_visit_left_out(planner_client, operation, language, words):
    url = f"/planning/operations/{operation.uuid}/plan/"
    planner_client.post(f"{url}start/", {"time_limit_seconds": 3, "seed": 1})
    job = PlanningJob.objects.get(operation=operation)
    assert job.status == PlanningJob.Status.SUCCEEDED, job.error
    if not job.plan["unplanned"]:  # nothing left out: no mark on the map, none in the legend
        assert "swatch unplanned" not in _legend(
            planner_client.get(url, HTTP_ACCEPT_LANGUAGE=language).content.decode()
        )
    visit = next(s["visit_id"] for r in job.plan["routes"] for s in r["stops"])
    planner_client.post(f"{url}move/", {"visit": visit, "to_route": "out"})
    legend = _legend(planner_client.get(url, HTTP_ACCEPT_LANGUAGE=language).content.decode())
    assert f'<span class="swatch unplanned" aria-hidden="true">?</span>{words}</li>' in legend, legend
