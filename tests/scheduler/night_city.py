"""A night operation like the demo's: fifteen venues over two waves, police and labour officers
on night shifts, and a planner who signs in with a password.

``drive()`` is run in a process of its own by ``test_worker.py`` against a database made for
it: it builds the city through the services, signs the planner in, starts planning over the
API with a 10 s limit, and follows the job as a planner's page does, printing what it saw as
JSON. The planning itself happens in the Celery worker the test starts, as under `make run`.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
import time
import zoneinfo

MACAU = zoneinfo.ZoneInfo("Asia/Macau")
PASSWORD = "night-planner-password-1"


def build(evening: dt.datetime) -> dict:
    from backend.registry import services as registry
    from backend.registry.models import Skill
    from scheduler import services
    from tests import factories

    def on_night_shift(officer):
        start = evening - dt.timedelta(hours=2)
        registry.availability_add(
            actor=None, officer=officer, kind="shift", start=start, end=start + dt.timedelta(hours=12)
        )
        return officer

    cantonese, _ = Skill.objects.get_or_create(
        code="lang-yue", defaults={"name_en": "Cantonese", "name_zh_hant": "粵語", "name_pt": "Cantonês"}
    )
    officers = []
    for n in range(12):
        officers.append(
            on_night_shift(
                factories.officer(
                    "PSP",
                    full_name=f"PSP {n}",
                    sex="F" if n % 3 == 0 else "M",
                    rank=2 + n % 4,
                    skills=[cantonese],
                )
            )
        )
    for n in range(8):
        officers.append(
            on_night_shift(
                factories.officer("DSAL", full_name=f"DSAL {n}", sex="F" if n % 2 else "M", rank=3)
            )
        )
    planner = factories.officer(
        "PSP", username="nightplanner", password=PASSWORD, roles=("planner",), sex="F"
    )
    venues = [
        factories.site(
            name_en=f"Venue {n:02d}",
            latitude=22.19 + 0.0015 * (n % 8),
            longitude=113.54 + 0.002 * (n // 8),
            opening_hours=[(d, dt.time(20), dt.time(4)) for d in range(7)],
        )
        for n in range(15)
    ]
    operation = services.operation_plan_create(
        actor=None,
        planner=planner,
        name="Night Shield",
        lead_agency=officers[0].agency,
        agencies=[officers[-1].agency],
        starts_at=evening,
        ends_at=evening + dt.timedelta(hours=8),
        reveal_at=evening - dt.timedelta(hours=1),
        muster_unit=officers[0].unit,
        waves=[("W1", evening + dt.timedelta(hours=2, minutes=30)), ("W2", evening + dt.timedelta(hours=4))],
        team_min_size=2,
        team_max_size=4,
        required_agencies=["PSP", "DSAL"],
    )
    services.operation_targets_set(actor=None, operation=operation, sites=venues[:8], wave="W1")
    services.operation_targets_set(actor=None, operation=operation, sites=venues[8:], wave="W2")
    office = factories.site(kind="employment_agency", name_en="Night Jobs Agency")
    return {"operation": str(operation.uuid), "office": str(office.uuid)}


def drive(limit: int = 10) -> dict:
    from rest_framework.test import APIClient

    tomorrow = dt.datetime.now(MACAU).date() + dt.timedelta(days=1)
    ids = build(dt.datetime.combine(tomorrow, dt.time(19), tzinfo=MACAU))
    client = APIClient()
    assert client.login(username="nightplanner", password=PASSWORD), "the planner could not sign in"
    began = time.monotonic()
    started = client.post(
        f"/api/v1/planning/operations/{ids['operation']}/plan/start/",
        {"time_limit_seconds": limit},
        format="json",
    )
    answered = time.monotonic() - began
    assert started.status_code == 202, started.content
    job_url = f"/api/v1/planning/jobs/{started.json()['id']}/"
    samples = []
    writes = []  # how long a write by the web process takes while the worker solves
    deadline = time.monotonic() + 240  # generous: the machine is shared
    while time.monotonic() < deadline:
        job = client.get(job_url).json()
        if job["status"] == "running" and len(writes) < 3:
            t0 = time.monotonic()
            wrote = client.post(
                "/api/v1/planning/due-work/",
                {
                    "site": ids["office"],
                    "category": "employment_agency",
                    "earliest": str(tomorrow),
                    "latest": str(tomorrow),
                    "note": f"while planning {len(writes)}",
                },
                format="json",
            )
            writes.append({"status": wrote.status_code, "seconds": round(time.monotonic() - t0, 3)})
        samples.append(
            {
                "t": round(time.monotonic() - began, 2),
                **{k: job[k] for k in ("status", "progress", "best_objective")},
            }
        )
        if job["status"] not in ("queued", "running"):
            break
        time.sleep(0.25)
    plan = client.get(f"/api/v1/planning/operations/{ids['operation']}/plan/")
    return {
        "answered_seconds": answered,
        "writes": writes,
        "samples": samples,
        "job": job,
        "plan_status": plan.status_code,
        "plan": plan.json() if plan.status_code == 200 else None,
    }


if __name__ == "__main__":
    import django

    django.setup()
    print("RESULT " + json.dumps(drive(int(sys.argv[1]) if len(sys.argv) > 1 else 10), default=str))
