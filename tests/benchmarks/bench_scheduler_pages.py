"""The planner's console pages: server time per page, printed; never fails on a time.

    .venv/bin/python tests/benchmarks/bench_scheduler_pages.py

Builds the small planning city of tests/scheduler (four officers, venues) plus 100 more sites,
an operation with two waves planned once, signs the planner in through the sign-in page, then
times each page (median of 7 requests through Django's test client: URL conf, middleware,
session, access rules, templates). Aim: each page within 200 ms.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # run as a script from anywhere

import pytest

if __name__ != "__main__":  # collected by pytest (Django is set up by then), not the launcher
    from tests import factories
    from tests.scheduler.conftest import city  # noqa: F401  (fixture)
    from tests.scheduler.pages.conftest import operation, planner_client  # noqa: F401  (fixtures)


@pytest.mark.django_db(transaction=True)
def test_page_times(planner_client, operation):
    for n in range(100):
        factories.site(name_en=f"Bench site {n:03d}", latitude=22.19 + 0.0003 * n)
    planner_client.post(
        f"/planning/operations/{operation.uuid}/plan/start/", {"time_limit_seconds": 2, "seed": 1}
    )
    op = operation.uuid
    pages = {
        "operations list": "/planning/",
        "operation (targets map, 104 sites)": f"/planning/operations/{op}/",
        "plan workspace": f"/planning/operations/{op}/plan/",
        "briefing": f"/planning/operations/{op}/plan/briefings/1/",
        "programmes": "/planning/programmes/",
        "due work": "/planning/due-work/",
    }
    print()
    for label, url in pages.items():
        planner_client.get(url)
        times = []
        for _ in range(7):
            began = time.perf_counter()
            assert planner_client.get(url).status_code == 200
            times.append((time.perf_counter() - began) * 1000)
        print(f"{label:40s} median {statistics.median(times):7.1f} ms  (min {min(times):.1f})")


if __name__ == "__main__":
    sys.exit(pytest.main([__file__, "-q", "-s", "-p", "no:cacheprovider", "-o", "python_files=bench_*.py"]))
