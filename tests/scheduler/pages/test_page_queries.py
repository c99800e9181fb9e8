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


def test_programme_due_work_and_home_queries_are_bounded(
    planner_client, paula, city, django_assert_max_num_queries
):
    """The shell's home, programmes and due work, pinned with six programmes and twelve open
    requests in their lists (a query per row would pass these limits by far)."""
    import datetime as dt

    from backend.planning.services import due_work_request
    from scheduler import services
    from tests.scheduler.conftest import EVENING

    programme = None
    for n in range(6):
        programme = services.programme_create(
            actor=paula.user,
            planner=paula,
            name=f"Round {n}",
            agency=paula.agency,
            start_date=EVENING.date(),
            end_date=EVENING.date() + dt.timedelta(days=3),
        )
    for n, venue in enumerate(city["venues"] * 3):
        due_work_request(
            actor=paula.user,
            site=venue,
            agency=paula.agency,
            category="prostitution_trafficking",
            reason="manual",
            earliest=EVENING.date(),
            latest=EVENING.date() + dt.timedelta(days=n % 3),
        )
    # Measured: 6, 7, 11 and 8 queries.
    with django_assert_max_num_queries(8):
        assert planner_client.get("/").status_code == 200
    with django_assert_max_num_queries(9):
        assert planner_client.get("/planning/programmes/").status_code == 200
    with django_assert_max_num_queries(13):
        assert planner_client.get(f"/planning/programmes/{programme.uuid}/").status_code == 200
    with django_assert_max_num_queries(10):
        assert planner_client.get("/planning/due-work/").status_code == 200
