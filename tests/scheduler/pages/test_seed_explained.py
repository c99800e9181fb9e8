"""The planning form says what its seed does. Beside "Time limit (seconds)" the Chinese page
offered "種子" (a plant's seed) with nothing to say what it changes (a helper's walk in
Traditional Chinese): it reads 隨機種子 and says that the same one repeats the run."""

from __future__ import annotations

import html

import pytest

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_planning_forms_seed_is_named_and_explained_in_chinese(planner_client, operation):
    planner_client.post("/i18n/setlang/", {"language": "zh-hant", "next": "/"})
    page = html.unescape(planner_client.get(f"/planning/operations/{operation.uuid}/").content.decode())
    planning = page[page.index('id="planning"') : page.index('id="job-area"')]
    assert '<label for="id_seed">隨機種子</label>' in planning
    assert "相同的隨機種子會重複同一次規劃；換一個可能得出另一個計劃。" in planning
