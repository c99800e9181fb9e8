"""Fixtures shared by the field app's browser tests."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest

from backend.inspections import services as inspections
from tests import factories

# The field app's nights turn at 06:00 in Macao (feed.js, NIGHT_TURNS_AT): a visit before it
# belongs to the night before.
MACAO = zoneinfo.ZoneInfo("Asia/Macau")
NIGHT_TURNS_AT = 6


def same_night_after(first_start: dt.datetime, wanted: dt.datetime) -> dt.datetime:
    """``wanted``, or just before the night turns when ``wanted`` would begin the next night: the
    fixtures' visits start now, so between 04:00 and 06:00 in Macao a visit two hours later fell
    on the next night, numbered from 1 under its own heading, and tests that read "2. Silver Moon
    Massage" failed at that hour."""
    local = first_start.astimezone(MACAO)
    turn = local.replace(hour=NIGHT_TURNS_AT, minute=0, second=0, microsecond=0)
    if local >= turn:
        turn += dt.timedelta(days=1)
    return min(wanted, turn - dt.timedelta(minutes=1))


@pytest.fixture
def second_visit(field):
    """A second venue on the same night's route, for the team of the first, at any hour."""
    first = field.revealed
    start = same_night_after(first.planned_start, first.planned_end)
    return inspections.inspection_issue(
        actor=None,
        site=factories.site(
            name_en="Silver Moon Massage", venue_type="massage", latitude=22.2, longitude=113.551
        ),
        category="prostitution_trafficking",
        template_version=field.venue_version,
        planned_start=start,
        planned_end=start + dt.timedelta(hours=1),
        team=first.team,
        operation=field.operation,
        route_order=2,
    )
