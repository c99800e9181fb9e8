"""A plan's teams are named in the reader's language, whichever language the planner published
it in: published from a Portuguese page, the Chinese operation page and a Chinese phone read
"Winter Precaution – Equipa 1 (DSAL·PSP)" (a helper's walk). Each published team now keeps its
name in each of the console's languages; its one ``name`` is the deployment's default's."""

from __future__ import annotations

import datetime as dt
import html

import pytest
import time_machine

from backend.inspections.models import Team
from scheduler import services
from scheduler.models import PlanningJob
from tests.scheduler.conftest import EVENING

pytestmark = pytest.mark.django_db

LABEL_1 = {"en": "Team 1 (DSAL·PSP)", "pt": "Equipa 1 (DSAL·PSP)", "zh-hant": "第 1 組（DSAL·PSP）"}
OTHERS = {"en": ("Equipa", "組"), "pt": ("Team ", "組"), "zh-hant": ("Team ", "Equipa")}


def test_teams_published_from_a_portuguese_page_read_in_each_readers_language(
    planner_client, operation, city, phone
):
    job = services.planning_run(
        job_id=PlanningJob.objects.create(operation=operation, time_limit_seconds=3, seed=1).uuid
    )
    assert job.status == PlanningJob.Status.SUCCEEDED, job.error
    planner_client.post("/i18n/setlang/", {"language": "pt", "next": "/"})
    published = planner_client.post(
        f"/planning/operations/{operation.uuid}/plan/publish/", HTTP_HX_REQUEST="true"
    )
    assert published.status_code == 200
    teams = list(Team.objects.filter(operation=operation).order_by("name"))
    assert len(teams) == 2
    team_1 = {language: f"{operation.name} – {label}" for language, label in LABEL_1.items()}
    assert teams[0].name == team_1["en"]  # the deployment's default language, not the planner's
    assert teams[0].names == team_1

    for language, words in team_1.items():
        planner_client.post("/i18n/setlang/", {"language": language, "next": "/"})
        page = html.unescape(planner_client.get(f"/planning/operations/{operation.uuid}/").content.decode())
        assert words in page, language
        assert not any(other in page for other in OTHERS[language]), language

    officer = next(o for o in city["psp"] if o.teams.filter(operation=operation).exists())
    with time_machine.travel(EVENING - dt.timedelta(minutes=30), tick=False):
        client = phone(officer)
        for language in LABEL_1:
            seen = client.get("/api/mobile/v1/assignments/", HTTP_ACCEPT_LANGUAGE=language).json()
            names = {a["team"]["name"] for a in seen["results"]}
            assert names and names <= {team.names[language] for team in teams}, (language, names)
