"""The re-plan form's time limit is refused in the Plan form's words, in the reader's language.

A limit above the re-plan's minute (or below one second) came back as "Choose the officer who
drops out." with the officer chosen, and the form's own message, when shown, was Django's
"Ensure this value is less than or equal to 60.": it named no unit and read as a programmer's
message. Now the refusal says the bounds in seconds, beside the field, and no re-plan is made."""

from __future__ import annotations

import re
from html import unescape

import pytest

from scheduler import services
from scheduler.models import PlanningJob

pytestmark = pytest.mark.django_db(transaction=True)

WORDS = {
    "en": "Between 1 and 60 seconds.",
    "pt": "Entre 1 e 60 segundos.",
    "zh-hant": "須介乎 1 至 60 秒。",
}


@pytest.fixture
def published(planner_client, operation):
    url = f"/planning/operations/{operation.uuid}/plan/"
    planner_client.post(f"{url}start/", {"time_limit_seconds": 2, "seed": 1})
    job = PlanningJob.objects.get(operation=operation)
    assert job.status == PlanningJob.Status.SUCCEEDED, job.error
    planner_client.post(f"{url}publish/")
    job.refresh_from_db()
    assert job.status == PlanningJob.Status.PUBLISHED
    return job


@pytest.fixture
def no_service(monkeypatch):
    def refused(**kwargs):
        raise AssertionError("the form let the time limit through to the service")

    monkeypatch.setattr(services, "plan_replan", refused)


def test_the_time_limit_box_says_the_least_and_the_most(planner_client, operation, published):
    page = planner_client.get(f"/planning/operations/{operation.uuid}/plan/").content.decode()
    box = re.search(r'<input[^>]*name="time_limit_seconds"[^>]*>', page).group(0)
    assert 'min="1"' in box and 'max="60"' in box


@pytest.mark.parametrize("language", sorted(WORDS))
def test_a_time_limit_out_of_bounds_is_refused_in_the_readers_words(
    planner_client, operation, published, no_service, language
):
    planner_client.post("/i18n/setlang/", {"language": language, "next": "/"})
    officer = published.plan["routes"][0]["officer_ids"][0]
    url = f"/planning/operations/{operation.uuid}/plan/replan/"
    for seconds in (61, 0):
        panel = planner_client.post(
            url, {"officer": officer, "time_limit_seconds": seconds}, HTTP_HX_REQUEST="true"
        )
        assert panel.status_code == 200
        page = unescape(panel.content.decode())
        alert = re.search(r'<div class="errors" role="alert"[^>]*>\s*<p>(.*?)</p>', page, re.S).group(1)
        assert alert == WORDS[language], alert
        field = re.search(r'<p class="field-error">(.*?)</p>', page).group(1)
        assert field == WORDS[language], field
        assert "60" in page and "Ensure this value" not in page
        # What was typed stays in the box.
        assert re.search(rf'name="time_limit_seconds" value="{seconds}"', page), seconds
    assert PlanningJob.objects.filter(operation=operation).count() == 1
