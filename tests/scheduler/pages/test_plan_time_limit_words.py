"""A time limit beyond the longest a planner may ask for is refused in the reader's language:
the Chinese planning panel said "Between 1 and 600 seconds." (a helper's walk at 390 px)."""

from __future__ import annotations

import pytest
from django.conf import settings

pytestmark = pytest.mark.django_db

WORDS = {
    "en": "Between 1 and %(limit)s seconds.",
    "pt": "Entre 1 e %(limit)s segundos.",
    "zh-hant": "須介乎 1 至 %(limit)s 秒。",
}


@pytest.mark.parametrize("language", ["en", "pt", "zh-hant"])
def test_a_time_limit_too_long_is_refused_in_the_readers_language(planner_client, operation, language):
    planner_client.post("/i18n/setlang/", {"language": language, "next": "/"})
    limit = settings.SCHEDULER_MAX_TIME_LIMIT_SECONDS
    start = f"/planning/operations/{operation.uuid}/plan/start/"
    panel = planner_client.post(start, {"time_limit_seconds": limit + 1, "seed": 1}, HTTP_HX_REQUEST="true")
    said = WORDS[language] % {"limit": limit}
    assert said in panel.content.decode()
    # Without scripts the refusal comes back on the operation's page.
    page = planner_client.post(start, {"time_limit_seconds": limit + 1, "seed": 1}, follow=True)
    assert said in page.content.decode()
