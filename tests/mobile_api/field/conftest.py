"""Fixtures shared by the field app's browser tests."""

from __future__ import annotations

import datetime as dt

import pytest

from backend.inspections import services as inspections
from tests import factories


@pytest.fixture
def second_visit(field):
    """A second venue on the same night's route, for the team of the first."""
    first = field.revealed
    return inspections.inspection_issue(
        actor=None,
        site=factories.site(
            name_en="Silver Moon Massage", venue_type="massage", latitude=22.2, longitude=113.551
        ),
        category="prostitution_trafficking",
        template_version=field.venue_version,
        planned_start=first.planned_end,
        planned_end=first.planned_end + dt.timedelta(hours=1),
        team=first.team,
        operation=field.operation,
        route_order=2,
    )
