"""A briefing's times after midnight carry their date, as the plan page's do: "Back Sat 2 Mar
12:26 a.m." on a briefing dated Friday 1 March, where it said "Back 12:26 a.m." (the team
would read it as the early morning of the briefing's own day). Times on the briefing's day stay
bare. On the console's page and on the API's printable page alike."""

from __future__ import annotations

import re

import pytest

from scheduler.models import PlanningJob

pytestmark = pytest.mark.django_db(transaction=True)

MIDNIGHT = 24 * 60  # minutes of the plan's clock, from midnight before the operation's evening


@pytest.fixture
def late(planner_client, operation):
    """Team 1 back at 00:26 and its last visit ending at 00:15, the night after its evening."""
    planner_client.post(
        f"/planning/operations/{operation.uuid}/plan/start/", {"time_limit_seconds": 3, "seed": 1}
    )
    job = PlanningJob.objects.get(operation=operation)
    assert job.status == PlanningJob.Status.SUCCEEDED, job.error
    route = job.plan["routes"][0]
    last = route["stops"][-1]
    last["end"] = MIDNIGHT + 15
    last["start"] = min(last["start"], last["end"] - 30)
    route["back"] = MIDNIGHT + 26
    job.save(update_fields=["plan"])
    return job


@pytest.mark.parametrize("prefix", ["/planning", "/api/v1/planning"])
def test_times_on_the_next_day_carry_their_date(planner_client, operation, late, prefix):
    html = planner_client.get(f"{prefix}/operations/{operation.uuid}/plan/briefings/1/").content.decode()
    assert "Sat 2 Mar 12:26 a.m." in html  # back
    # The last visit's end (the page's cell also carries its role and its column's name).
    # Its date shown, kept whole, beside its time (the first time of the new day).
    cells = [re.sub(r"<[^>]+>", "", c) for c in re.findall(r'<td [^>]*class="time"[^>]*>(.*?)</td>', html)]
    assert cells[-1] == "Sat 2 Mar 12:15 a.m.", cells
    dated = r'<span class="nowrap day">Sat 2 Mar</span> <span class="nowrap">12:15 a.m.</span></td>'
    assert re.search(dated, html)
    # The departure, on the briefing's own day (1 Mar 2030), has no date.
    departure = html[html.index("Departure") :]
    departure = departure[: departure.index("Back")]
    assert "p.m." in departure and "Mar" not in departure
