"""The planner's console pages: server time per page, printed; never fails on a time.

    .venv/bin/python tests/benchmarks/bench_scheduler_pages.py
    DATABASE_URL=sqlite:////tmp/demo.sqlite3 .venv/bin/python tests/benchmarks/bench_scheduler_pages.py --demo

The second times the pages on the demo city (some 840 sites) in a database where `migrate` and
`load_demo` ran, signed in as demo-planner (its working password from the demo's logins); it
reads only, apart from that sign-in. The draft operation's workspace is timed once it has been
planned from the console.

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
    _time(planner_client, pages)


def _time(client, pages) -> None:
    """Median wall time and CPU time of the process per page: on a machine shared with other
    work the wall time waits for a core, the CPU time does not."""
    htmx = {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": "candidates"}
    for label, url in pages.items():
        headers = htmx if "(htmx)" in label else {}
        client.get(url, **headers)
        wall, cpu = [], []
        for _ in range(7):
            began, began_cpu = time.perf_counter(), time.process_time()
            response = client.get(url, **headers)
            wall.append((time.perf_counter() - began) * 1000)
            cpu.append((time.process_time() - began_cpu) * 1000)
            assert response.status_code == 200, (url, response.status_code)
        size = len(response.content) // 1024
        print(
            f"{label:40s} median {statistics.median(wall):6.1f} ms (min {min(wall):6.1f}), "
            f"CPU {statistics.median(cpu):6.1f} ms, {size} KB"
        )


def demo() -> None:
    import os

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "backend.settings")
    import django

    django.setup()
    from django.test import Client
    from django.test.utils import setup_test_environment

    from backend.demo.city import demo_logins
    from backend.inspections.models import Operation
    from backend.registry.models import Site
    from tests.browser_support import sign_in_client

    setup_test_environment()
    login = next(x for x in demo_logins() if x.username == "demo-planner")
    client = Client()
    sign_in_client(client, login.username, login.password)
    op = Operation.objects.filter(status=Operation.Status.DRAFT).order_by("-starts_at").first()
    sites = Site.objects.filter(is_active=True).count()
    print(f"\ndemo city: {sites} active sites; {op.name}, {op.targets.count()} targets")
    planned = {}
    if op.jobs.exists():  # planned from the console once: its workspace and a briefing too
        planned = {
            "plan workspace": f"/planning/operations/{op.uuid}/plan/",
            "briefing of team 1": f"/planning/operations/{op.uuid}/plan/briefings/1/",
        }
    _time(
        client,
        {
            **planned,
            "operations list": "/planning/",
            f"operation (targets, {sites} sites)": f"/planning/operations/{op.uuid}/",
            "  its sites for the map (JSON)": f"/planning/operations/{op.uuid}/sites/",
            "  other sites, venues, page 3 (htmx)": f"/planning/operations/{op.uuid}/?kind=venue&page=3",
            "programmes": "/planning/programmes/",
            "due work": "/planning/due-work/",
        },
    )


if __name__ == "__main__" and "--demo" in sys.argv:
    demo()
elif __name__ == "__main__":
    sys.exit(pytest.main([__file__, "-q", "-s", "-p", "no:cacheprovider", "-o", "python_files=bench_*.py"]))
