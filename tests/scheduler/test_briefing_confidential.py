"""A routine programme's briefing says nothing of a reveal time: programmes have none. An
operation's briefing keeps its confidentiality line (printed and in the console)."""

from __future__ import annotations

from html import unescape

import pytest

from tests.scheduler.test_briefing import planned  # noqa: F401 (fixture)
from tests.scheduler.test_programme import planned_week, programme_city  # noqa: F401 (fixture)

CONFIDENTIAL = "Confidential: do not share before the operation's reveal time."


@pytest.mark.django_db(transaction=True)
def test_a_programmes_briefing_has_no_reveal_time_line_and_an_operations_has(
    api,
    city,
    programme_city,  # noqa: F811
    planned,  # noqa: F811
    paula,
):
    client, pid = planned_week(api, city)
    printed = client.get(f"/api/v1/planning/programmes/{pid}/plan/briefings/1/")
    assert printed.status_code == 200 and "Briefing" in printed.content.decode()
    assert CONFIDENTIAL not in unescape(printed.content.decode())

    op = planned.operation
    printed = api.as_(paula).get(f"/api/v1/planning/operations/{op.uuid}/plan/briefings/1/")
    assert CONFIDENTIAL in unescape(printed.content.decode())
