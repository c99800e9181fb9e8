"""The planner starts planning without scrolling past the long lists: on a draft operation's page
the planning form comes right after the summary, before the targets, the other sites and the
selection; on a draft programme's, before its list of due work; headings in that order too."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from backend.planning.services import due_work_request
from scheduler.models import Programme
from tests.scheduler.conftest import EVENING

pytestmark = pytest.mark.django_db

DAY = EVENING.date()


def h2_ids(page: str) -> list[str]:
    return re.findall(r'<h2 id="([^"]+)"', page)


def test_the_operations_plan_form_comes_before_its_targets_and_sites(planner_client, operation):
    page = planner_client.get(f"/planning/operations/{operation.uuid}/").content.decode()
    start = page.index(f'action="/planning/operations/{operation.uuid}/plan/start/"')
    assert start < page.index('id="chosen-rows"') < page.index('id="candidates"')
    assert h2_ids(page) == ["summary-h", "planning-h", "targets-h", "selection-h"]
    assert "The planner plans the targets as saved below: save any change to them first." in page


def test_the_programmes_plan_form_comes_before_its_due_work(planner_client, paula, city):
    created = planner_client.post(
        "/planning/programmes/new/",
        {"name": "Night round", "start_date": DAY.isoformat(), "end_date": DAY.isoformat()},
    )
    programme = Programme.objects.get(name="Night round")
    for venue in city["venues"]:
        due_work_request(
            actor=paula.user,
            site=venue,
            agency=paula.agency,
            category="prostitution_trafficking",
            reason="manual",
            earliest=DAY,
            latest=DAY + dt.timedelta(days=1),
        )
    page = planner_client.get(created["Location"]).content.decode()
    start = page.index(f'action="/planning/programmes/{programme.uuid}/plan/start/"')
    assert start < page.index("Lotus Karaoke")
    assert h2_ids(page) == ["planning-h", "due-h"]
