"""The planner's plan page shows the gap to the proven bound in the reader's language (#17)."""

from __future__ import annotations

import re

import pytest


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    ("language", "said", "percent"),
    [
        ("en", "from the best possible", r"\d+\.\d%"),
        ("pt", "do melhor possível", r"\d+,\d %"),  # as pt-PT writes it
        ("zh-hant", "與最佳可能方案的差距", r"\d+\.\d%"),  # no space in Chinese (it read "0.0 %")
    ],
)
def test_the_planners_page_shows_the_gap(planner_client, operation, language, said, percent):
    planner_client.post(
        f"/planning/operations/{operation.uuid}/plan/start/", {"time_limit_seconds": 2, "seed": 1}
    )
    planner_client.post("/i18n/setlang/", {"language": language, "next": "/"})
    page = planner_client.get(f"/planning/operations/{operation.uuid}/plan/").content.decode()
    assert said in page
    assert re.search(rf'<span class="value">{percent}</span>', page), page[:200]
