"""A re-plan after an officer drops out says who left which team and who joined it. With someone
to stand in, no visit moves: the page said "Re-plan ready: 0 visits change" and "No visit
changes.", and the planner had to read every team's make-up to find the stand-in the teams had
to be told of."""

from __future__ import annotations

import re
from html import unescape

import pytest

from backend.registry.models import Officer
from scheduler.models import PlanningJob

pytestmark = pytest.mark.django_db(transaction=True)

WORDS = {
    "en": ("Officers who change", "No officer changes."),
    "pt": ("Agentes que mudam", "Nenhum agente muda."),
    "zh-hant": ("人員變動", "沒有人員變更。"),
}


def _rows(page: str) -> list[list[str]]:
    table = re.search(r'<table id="officers-changed">(.*?)</table>', page, re.S).group(1)
    body = table[table.index("<tbody>") :]
    return [
        [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)]
        for row in re.findall(r"<tr>(.*?)</tr>", body, re.S)
    ]


@pytest.mark.parametrize("language", sorted(WORDS))
def test_the_comparison_names_the_officer_who_left_and_the_stand_in(planner_client, operation, language):
    url = f"/planning/operations/{operation.uuid}/plan/"
    planner_client.post(f"{url}start/", {"time_limit_seconds": 3, "seed": 1})
    job = PlanningJob.objects.get(operation=operation)
    assert job.status == PlanningJob.Status.SUCCEEDED, job.error
    planner_client.post(f"{url}publish/")
    team = next(r for r in job.plan["routes"] if r["stops"])
    out = Officer.objects.get(uuid=team["officer_ids"][0])
    planner_client.post(f"{url}replan/", {"officer": str(out.uuid), "time_limit_seconds": 2})
    replan = PlanningJob.objects.filter(operation=operation).latest("created_at")
    assert replan.replan_of_id == job.pk

    page = unescape(planner_client.get(url, HTTP_ACCEPT_LANGUAGE=language).content.decode())
    caption, none = WORDS[language]
    assert f"<caption>{caption}</caption>" in page
    rows = _rows(page)
    assert none not in page
    [(_label, left, joined)] = [row for row in rows if out.full_name in row[1]]
    # Against the re-plan itself: those of the team no longer in it (all of them when, with no one
    # to stand in, the team no longer goes out), and the stand-in, where one was found.
    now = next((r for r in replan.plan["routes"] if r.get("team_id") == team.get("team_id")), {})
    kept = set(now.get("officer_ids", []))

    def names(ids):
        found = sorted(Officer.objects.filter(uuid__in=ids).values_list("full_name", flat=True))
        return {"zh-hant": "、"}.get(language, ", ").join(found) or "—"

    assert left == names(set(team["officer_ids"]) - kept)
    assert joined == names(kept - set(team["officer_ids"]))
