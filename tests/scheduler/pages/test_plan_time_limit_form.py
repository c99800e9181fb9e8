"""The Plan form holds the longest time limit itself: its number box says the least and the most,
and a limit above the most is refused by the form, in the reader's language, before any run is
asked of the service (the form checked nothing: its max was set after the field was made, so 601 s
went on to the service, which refused it afterwards)."""

from __future__ import annotations

import re

import pytest
from django.conf import settings

from scheduler import services
from scheduler.models import PlanningJob

pytestmark = pytest.mark.django_db

WORDS = {
    "en": "Between 1 and %(limit)s seconds.",
    "pt": "Entre 1 e %(limit)s segundos.",
    "zh-hant": "須介乎 1 至 %(limit)s 秒。",
}


@pytest.fixture
def no_service(monkeypatch):
    def refused(**kwargs):
        raise AssertionError("the form let the time limit through to the service")

    monkeypatch.setattr(services, "planning_start", refused)


def test_the_time_limit_box_says_the_least_and_the_most(planner_client, operation):
    page = planner_client.get(f"/planning/operations/{operation.uuid}/").content.decode()
    box = re.search(r'<input[^>]*name="time_limit_seconds"[^>]*>', page).group(0)
    assert 'type="number"' in box and 'min="1"' in box
    assert f'max="{settings.SCHEDULER_MAX_TIME_LIMIT_SECONDS}"' in box


@pytest.mark.parametrize("language", ["en", "pt", "zh-hant"])
@pytest.mark.parametrize("seconds", [0, "too-long"])
def test_a_time_limit_out_of_bounds_is_refused_by_the_form(
    planner_client, operation, no_service, language, seconds
):
    planner_client.post("/i18n/setlang/", {"language": language, "next": "/"})
    limit = settings.SCHEDULER_MAX_TIME_LIMIT_SECONDS
    asked = limit + 1 if seconds == "too-long" else seconds
    start = f"/planning/operations/{operation.uuid}/plan/start/"
    panel = planner_client.post(start, {"time_limit_seconds": asked, "seed": 1}, HTTP_HX_REQUEST="true")
    assert panel.status_code == 200
    assert WORDS[language] % {"limit": limit} in panel.content.decode()
    assert not PlanningJob.objects.exists()
