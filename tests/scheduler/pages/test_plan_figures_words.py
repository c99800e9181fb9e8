"""The plan page's key figures name what they count in the plural a count needs: in Portuguese
the figure of visits left out of the plan read "3 não planeada" beside "8 visitas planeadas" (the
word of one visit, the map's "não planeada: <site>"), on the plan page and in a re-plan's
comparison."""

from __future__ import annotations

import re

import pytest

from scheduler.models import PlanningJob

pytestmark = pytest.mark.django_db(transaction=True)


def _figures(page: str) -> list[tuple[str, str]]:
    kpis = page[page.index('class="kpis"') : page.index("</ul>", page.index('class="kpis"'))]
    return re.findall(r'<span class="value">([^<]+)</span><span class="label">([^<]+)</span>', kpis)


@pytest.mark.parametrize(
    ("language", "planned", "left_out"),
    [("pt", "visitas planeadas", "visitas não planeadas"), ("zh-hant", "已規劃巡查", "未納入計劃的巡查")],
)
def test_the_figure_of_visits_left_out_names_visits(planner_client, operation, language, planned, left_out):
    url = f"/planning/operations/{operation.uuid}/plan/"
    planner_client.post(f"{url}start/", {"time_limit_seconds": 3, "seed": 1})
    job = PlanningJob.objects.get(operation=operation)
    assert job.status == PlanningJob.Status.SUCCEEDED, job.error
    visit = next(s["visit_id"] for r in job.plan["routes"] for s in r["stops"])
    planner_client.post(f"{url}move/", {"visit": visit, "to_route": "out"})
    job.refresh_from_db()
    out = len(job.plan["unplanned"])
    assert out >= 1
    page = planner_client.get(url, HTTP_ACCEPT_LANGUAGE=language).content.decode()
    kept = sum(len(r["stops"]) for r in job.plan["routes"])
    assert _figures(page)[:2] == [(str(kept), planned), (str(out), left_out)]
