"""A small city for planning: two PSP officers (one woman), two DSAL labour inspectors, on
shift tonight; four venues; and a planner (Paula) with a muster unit."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest

from backend.checklists.services import checklists_load_builtin
from backend.registry import services as registry
from scheduler import services
from tests import factories

MACAU = zoneinfo.ZoneInfo("Asia/Macau")
# A fixed Friday evening in the future: plans never depend on today's date.
EVENING = dt.datetime(2030, 3, 1, 18, 0, tzinfo=MACAU)

VENUES = [
    ("Lotus Karaoke", 22.2080, 113.5450),
    ("Jade Sauna", 22.2010, 113.5400),
    ("Pearl Club", 22.1950, 113.5480),
    ("Ruby Bar", 22.1900, 113.5460),
]


def on_shift(officer, start=EVENING - dt.timedelta(hours=2), hours=12):
    registry.availability_add(
        actor=None, officer=officer, kind="shift", start=start, end=start + dt.timedelta(hours=hours)
    )
    return officer


@pytest.fixture
def city(db, paula):
    checklists_load_builtin()
    psp = [
        on_shift(factories.officer("PSP", username="pat", full_name="Pat Police", sex="F", rank=5)),
        on_shift(factories.officer("PSP", username="pete", full_name="Pete Police", rank=3)),
    ]
    dsal = [
        on_shift(factories.officer("DSAL", username="lou", full_name="Lou Labour", sex="F", rank=4)),
        on_shift(factories.officer("DSAL", username="lee", full_name="Lee Labour", rank=2)),
    ]
    venues = [
        factories.site(
            name_en=name,
            latitude=lat,
            longitude=lon,
            opening_hours=[(d, dt.time(18), dt.time(4)) for d in range(7)],
        )
        for name, lat, lon in VENUES
    ]
    return {"psp": psp, "dsal": dsal, "venues": venues, "muster": psp[0].unit}


@pytest.fixture
def operation(city, paula):
    """Winter Precaution: two PSP+DSAL teams of two, venues 1-2 in wave W1 (19:00), 3-4 in W2 (21:00)."""
    op = services.operation_plan_create(
        actor=None,
        planner=paula,
        name="Winter Precaution",
        lead_agency=city["psp"][0].agency,
        agencies=[city["dsal"][0].agency],
        starts_at=EVENING,
        ends_at=EVENING + dt.timedelta(hours=6),
        reveal_at=EVENING - dt.timedelta(hours=1),
        muster_unit=city["muster"],
        waves=[("W1", EVENING + dt.timedelta(hours=1)), ("W2", EVENING + dt.timedelta(hours=3))],
        team_min_size=2,
        team_max_size=2,
        required_agencies=["PSP", "DSAL"],
    )
    services.operation_targets_set(actor=None, operation=op, sites=city["venues"][:2], wave="W1")
    services.operation_targets_set(actor=None, operation=op, sites=city["venues"][2:], wave="W2")
    return op
