"""The planner's pages read in a bounded number of queries, whatever the number of sites,
teams and stops (the counts are pinned; the timings are in tests/benchmarks/)."""

from __future__ import annotations

import pytest

from tests import factories

pytestmark = pytest.mark.django_db(transaction=True)


def test_list_detail_and_workspace_queries_are_bounded(
    planner_client, operation, django_assert_max_num_queries
):
    for n in range(20):
        factories.site(name_en=f"Extra {n:02d}")
    planner_client.post(
        f"/planning/operations/{operation.uuid}/plan/start/", {"time_limit_seconds": 2, "seed": 1}
    )
    with django_assert_max_num_queries(12):
        assert planner_client.get("/planning/").status_code == 200
    with django_assert_max_num_queries(25):
        assert planner_client.get(f"/planning/operations/{operation.uuid}/").status_code == 200
    with django_assert_max_num_queries(30):
        assert planner_client.get(f"/planning/operations/{operation.uuid}/plan/").status_code == 200
    with django_assert_max_num_queries(25):
        assert (
            planner_client.get(f"/planning/operations/{operation.uuid}/plan/briefings/1/").status_code == 200
        )
