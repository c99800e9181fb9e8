"""A service's refusal reaches the planner's page in the planner's language. The Chinese page
said "Choose the operation's targets first." when Plan was pressed on an operation with no
targets, and "A planning run is already under way; …" while one ran, though the API answers
both in Chinese (a helper's walk in Traditional Chinese): the pages now look a service's plain
English message up in the catalogues, as the API's error handler does."""

from __future__ import annotations

import datetime as dt
import html

import pytest

from scheduler import services
from scheduler.models import PlanningJob
from tests.scheduler.conftest import EVENING

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def untargeted(city, paula):
    return services.operation_plan_create(
        actor=paula.user,
        planner=paula,
        name="Quiet night",
        lead_agency=paula.agency,
        agencies=[city["dsal"][0].agency],
        starts_at=EVENING,
        ends_at=EVENING + dt.timedelta(hours=6),
        reveal_at=EVENING - dt.timedelta(hours=1),
        muster_unit=city["muster"],
        waves=[("W1", EVENING + dt.timedelta(hours=1))],
    )


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("zh-hant", "請先選定行動的目標，並儲存。"),
        ("pt", "Escolha e guarde primeiro os alvos da operação."),
        ("en", "Choose the operation's targets first."),
    ],
)
def test_planning_an_operation_without_targets_says_so_in_the_readers_language(
    language, words, planner_client, untargeted
):
    planner_client.post("/i18n/setlang/", {"language": language, "next": "/"})
    response = planner_client.post(
        f"/planning/operations/{untargeted.uuid}/plan/start/",
        {"time_limit_seconds": 3, "seed": 1},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    page = html.unescape(response.content.decode())
    assert words in page
    if language != "en":
        assert "Choose the operation's targets first." not in page
    assert not PlanningJob.objects.filter(operation=untargeted).exists()


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("zh-hant", "規劃作業已在進行中；請取消或等候其完成。"),
        ("pt", "Já está em curso uma execução do planeamento"),
    ],
)
def test_planning_while_a_run_is_under_way_says_so_in_the_readers_language(
    language, words, planner_client, operation
):
    PlanningJob.objects.create(operation=operation, time_limit_seconds=3)
    planner_client.post("/i18n/setlang/", {"language": language, "next": "/"})
    response = planner_client.post(
        f"/planning/operations/{operation.uuid}/plan/start/",
        {"time_limit_seconds": 3, "seed": 1},
        HTTP_HX_REQUEST="true",
    )
    page = html.unescape(response.content.decode())
    assert "A planning run is already under way" not in page
    assert words in page
