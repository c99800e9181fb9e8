"""Publishing a plan that leaves visits out says so in its confirmation. A planner published with
14 of 20 targets unplanned and was asked only "Publish this plan? Teams and inspections will be
created." (a helper's walk in Chinese): the visits left out get no team, and nothing said so."""

from __future__ import annotations

import re
from html import unescape

import pytest

from scheduler.models import PlanningJob

pytestmark = pytest.mark.django_db(transaction=True)

ASKED = {
    "en": "Publish this plan? Teams and inspections will be created; 1 visit is not planned and gets "
    "no team.",
    "pt": "Publicar este plano? Serão criadas as equipas e as inspecções; 1 visita não está planeada e não "
    "terá equipa.",
    "zh-hant": "發佈此計劃？系統將建立小組及巡查；有 1 項巡查未納入計劃，不會分派小組。",
}


def _confirm(page: str) -> str:
    button = re.search(r'<button type="submit" class="primary" data-confirm="([^"]*)">', page)
    return unescape(button.group(1)) if button else ""


@pytest.mark.parametrize("language", ["en", "pt", "zh-hant"])
def test_the_confirmation_names_the_visits_left_out(planner_client, operation, language):
    url = f"/planning/operations/{operation.uuid}/plan/"
    planner_client.post(f"{url}start/", {"time_limit_seconds": 3, "seed": 1})
    job = PlanningJob.objects.get(operation=operation)
    assert job.status == PlanningJob.Status.SUCCEEDED, job.error
    if not job.plan["unplanned"]:  # every visit planned: the question is the plain one
        assert "not planned" not in _confirm(planner_client.get(url).content.decode())
    visit = next(s["visit_id"] for r in job.plan["routes"] for s in r["stops"])
    planner_client.post(f"{url}move/", {"visit": visit, "to_route": "out"})
    job.refresh_from_db()
    assert len(job.plan["unplanned"]) == 1, "the example should leave exactly one visit out"
    page = planner_client.get(url, HTTP_ACCEPT_LANGUAGE=language).content.decode()
    assert _confirm(page) == ASKED[language]
