"""A routine programme's briefing says nothing of a reveal time: programmes have none. An
operation's briefing keeps its confidentiality line (printed and in the console)."""

from __future__ import annotations

import datetime as dt
from html import unescape

import pytest

from tests import factories
from tests.scheduler.test_briefing import planned  # noqa: F401 (fixture)
from tests.scheduler.test_programme import MONDAY, programme_city  # noqa: F401 (fixture)

CONFIDENTIAL = "Confidential: do not share before the operation's reveal time."


@pytest.mark.django_db(transaction=True)
def test_a_programmes_briefing_has_no_reveal_time_line_and_an_operations_has(
    api,
    city,
    programme_city,  # noqa: F811
    planned,  # noqa: F811
    paula,
):
    lou, lee = city["dsal"]
    dina = factories.officer("DSAL", username="dina", roles=("planner",))
    client = api.as_(dina)
    created = client.post(
        "/api/v1/planning/programmes/",
        {
            "name": "DSAL agencies week 10",
            "agency": "DSAL",
            "start_date": MONDAY.isoformat(),
            "end_date": (MONDAY + dt.timedelta(days=4)).isoformat(),
            "officers": [str(lou.uuid), str(lee.uuid)],
        },
        format="json",
    )
    pid = created.json()["id"]
    started = client.post(
        f"/api/v1/planning/programmes/{pid}/plan/start/", {"time_limit_seconds": 3}, format="json"
    )
    assert started.status_code == 202
    printed = client.get(f"/api/v1/planning/programmes/{pid}/plan/briefings/1/")
    assert printed.status_code == 200 and "Briefing" in printed.content.decode()
    assert CONFIDENTIAL not in unescape(printed.content.decode())

    op = planned.operation
    printed = api.as_(paula).get(f"/api/v1/planning/operations/{op.uuid}/plan/briefings/1/")
    assert CONFIDENTIAL in unescape(printed.content.decode())
