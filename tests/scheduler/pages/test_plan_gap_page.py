"""The planner's plan page shows the gap to the proven bound in the reader's language (#17)."""

from __future__ import annotations

import re

import pytest


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    ("language", "said"),
    [("en", "from the best possible"), ("pt", "do melhor possível"), ("zh-hant", "與最佳可能方案的差距")],
)
def test_the_planners_page_shows_the_gap(planner_client, operation, language, said):
    planner_client.post(
        f"/planning/operations/{operation.uuid}/plan/start/", {"time_limit_seconds": 2, "seed": 1}
    )
    planner_client.post("/i18n/setlang/", {"language": language, "next": "/"})
    page = planner_client.get(f"/planning/operations/{operation.uuid}/plan/").content.decode()
    assert said in page
    assert re.search(r'<span class="value">\d+(\.|,)\d %</span>', page), page[:200]
