"""Two Chinese sentences follow each other with no space: the note after a move that breaks
rules read "巡查已移動並固定；計劃已重新檢查。 計劃現時違反 2 條規則：… 查看違反的規則", the
refused Publish's reason "… 查看違反的規則", and a selection's message "…（種子 1996470836）。
3 個場所原已是目標" (which also called the sites 場所, venues, beside 地點 in the sentence before).
English and Portuguese keep their space (a helper's walk in Traditional Chinese)."""

from __future__ import annotations

import html

import pytest
from django.contrib.messages import get_messages

from scheduler.models import PlanningJob

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def planned(planner_client, operation):
    planner_client.post(
        f"/planning/operations/{operation.uuid}/plan/start/",
        {"time_limit_seconds": 3, "seed": 1},
        HTTP_HX_REQUEST="true",
    )
    job = PlanningJob.objects.get(operation=operation)
    assert job.status == PlanningJob.Status.SUCCEEDED, job.error
    return job


def _breaking_move(planner_client, operation, job) -> str:
    routes = [r for r in job.plan["routes"] if r["stops"]]
    assert len(routes) >= 2
    visit = routes[0]["stops"][0]["visit_id"]
    target = job.plan["routes"].index(routes[1])
    response = planner_client.post(
        f"/planning/operations/{operation.uuid}/plan/move/",
        {"visit": visit, "to_route": str(target)},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    return html.unescape(response.content.decode())


def test_a_breaking_moves_note_and_publishs_reason_join_their_sentences_in_chinese(
    planned, planner_client, operation
):
    planner_client.post("/i18n/setlang/", {"language": "zh-hant", "next": "/"})
    page = _breaking_move(planner_client, operation, planned)
    assert "計劃已重新檢查。計劃現時違反" in page
    assert "才能發佈。<a" in page  # the note's link follows its sentence
    assert "才可發佈。<a" in page  # the refused Publish's reason, then its link
    assert "。 " not in page


def test_english_keeps_the_space_between_sentences(planned, planner_client, operation):
    page = _breaking_move(planner_client, operation, planned)
    assert "the plan was checked again. The plan now breaks" in page
    assert "until they hold. <a" in page


def test_a_selections_message_joins_its_sentences_and_calls_the_sites_sites_in_chinese(
    planner_client, operation
):
    planner_client.post("/i18n/setlang/", {"language": "zh-hant", "next": "/"})
    url = f"/planning/operations/{operation.uuid}/select/"
    # The operation's two venues are the riskiest: a selection of them finds both already targets.
    response = planner_client.post(url, {"kinds": ["venue"], "limit": 2, "random_share": 0})
    messages = [str(m) for m in get_messages(response.wsgi_request)]
    [message] = [m for m in messages if "原已是目標" in m] or [messages]
    assert "。2 個地點原已是目標" in message, message
    assert "場所" not in message and "。 " not in message
