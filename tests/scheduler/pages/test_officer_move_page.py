"""The plan page after "Move an officer": the rules a team breaks say which team, and a move the
service refuses says that the officer was not moved and why (signed in through the sign-in page)."""

from __future__ import annotations

import re
from html import unescape

import pytest

from backend.registry.models import Officer
from scheduler import services
from scheduler.models import PlanningJob

pytestmark = pytest.mark.django_db


@pytest.fixture
def planned(operation):
    job = PlanningJob.objects.create(operation=operation, time_limit_seconds=3)
    job = services.planning_run(job_id=job.uuid)
    assert job.status == PlanningJob.Status.SUCCEEDED and job.evaluation["feasible"], job.evaluation
    return job


def _dsal(job, index):
    ids = job.plan["routes"][index]["officer_ids"]
    return next(o for o in ids if Officer.objects.get(uuid=o).agency.code == "DSAL")


def _rules(html):
    start = html.index('id="violations-h"')
    section = html[start : html.index("</section>", start)]
    items = re.findall(r"<li>(.*?)</li>", section, re.S)
    return [re.sub(r"\s+", " ", unescape(item)).strip() for item in items]


def test_a_rule_a_team_breaks_names_the_team(planner_client, planned, operation):
    """Among several teams, "A team has no officer of DSAL" left the planner to guess which."""
    officer = _dsal(planned, 0)
    page = planner_client.post(
        f"/planning/operations/{operation.uuid}/plan/officer/",
        {"officer": f"0:{officer}", "to_route": "1", "into_full_team": "1"},
        follow=True,
    )
    assert page.status_code == 200
    rules = _rules(page.content.decode())
    assert "Team 1 (PSP): The team has no officer of DSAL, which the operation's team rule asks for." in rules
    assert "Team 1 (PSP): The team's size is 1; the operation asks for 2 to 2 officers." in rules
    assert "Team 2 (DSAL·PSP): The team's size is 3; the operation asks for 2 to 2 officers." in rules


def test_a_rule_a_team_breaks_names_the_team_in_chinese(planner_client, planned, operation):
    planner_client.post("/i18n/setlang/", {"language": "zh-hant", "next": "/"})
    officer = _dsal(planned, 0)
    page = planner_client.post(
        f"/planning/operations/{operation.uuid}/plan/officer/",
        {"officer": f"0:{officer}", "to_route": "1", "into_full_team": "1"},
        follow=True,
    )
    rules = _rules(page.content.decode())
    assert any(r.startswith("第 1 組（PSP）：該小組沒有 DSAL 的人員") for r in rules), rules


def test_a_refused_move_says_the_officer_was_not_moved_and_why(planner_client, planned, operation):
    """Emptying a team with visits is refused: the page said "The input is not valid." above the
    reason, which told the planner neither what had not happened nor that the reason was below."""
    route = planned.plan["routes"][0]
    first, second = route["officer_ids"]
    url = f"/planning/operations/{operation.uuid}/plan/officer/"
    planner_client.post(url, {"officer": f"0:{first}", "to_route": "out"})
    page = planner_client.post(url, {"officer": f"0:{second}", "to_route": "out"}, HTTP_HX_REQUEST="true")
    html = unescape(page.content.decode())
    errors = html[html.index('class="errors"') : html.index("</div>", html.index('class="errors"'))]
    assert "The officer was not moved:" in errors
    assert "Team 1 would be left with no officer: move its visits first." in errors
    assert "The input is not valid." not in html


def test_a_move_into_a_full_team_is_asked_first_in_chinese_without_script(planner_client, planned, operation):
    """Team 2 holds two officers, the most a team of this operation may have: the checker said so
    only after the move. Now the page (no script: the whole page) asks at the form, moves nothing,
    and keeps the planner's choices; "Move anyway" does it."""
    planner_client.post("/i18n/setlang/", {"language": "zh-hant", "next": "/"})
    officer = _dsal(planned, 0)
    url = f"/planning/operations/{operation.uuid}/plan/officer/"
    page = planner_client.post(url, {"officer": f"0:{officer}", "to_route": "1"})
    assert page.status_code == 200
    html = unescape(page.content.decode())
    asked = html[html.index('id="full-team"') : html.index("</div>", html.index('id="full-team"'))]
    name = Officer.objects.get(uuid=officer).full_name
    assert f"第 2 組（DSAL·PSP）已滿（小組人數上限 2 人）：將 {name} 調入會違反小組人數規定" in asked, asked
    assert 'name="into_full_team"' in asked and "仍然調入" in asked
    assert re.search(r'<option value="1" selected>', html)
    assert officer in PlanningJob.objects.get(pk=planned.pk).plan["routes"][0]["officer_ids"]

    planner_client.post(url, {"officer": f"0:{officer}", "to_route": "1", "into_full_team": "1"})
    assert officer in PlanningJob.objects.get(pk=planned.pk).plan["routes"][1]["officer_ids"]
