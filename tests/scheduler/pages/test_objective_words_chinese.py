"""The plan's figure is called its cost (成本, in points) on every Chinese page. The plan page
called it 目標值 ("objective value") beside targets (目標) on the same page, "目標值：1000 × 每個未納入
目標的權重…", while the planning panel that chose the plan calls it the lowest cost (成本最低,
分); a helper's walk in Traditional Chinese."""

from __future__ import annotations

import html

import pytest

from scheduler.models import PlanningJob

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_plan_page_calls_the_objective_the_cost_as_the_planning_panel_does(planner_client, operation):
    planner_client.post("/i18n/setlang/", {"language": "zh-hant", "next": "/"})
    panel = planner_client.post(
        f"/planning/operations/{operation.uuid}/plan/start/",
        {"time_limit_seconds": 3, "seed": 1},
        HTTP_HX_REQUEST="true",
    ).content.decode()
    assert PlanningJob.objects.get(operation=operation).status == PlanningJob.Status.SUCCEEDED
    assert "成本最低" in panel
    page = html.unescape(planner_client.get(f"/planning/operations/{operation.uuid}/plan/").content.decode())
    assert "與最佳可能方案的差距：成本 " in page and "已證明下界 " in page
    assert "成本的計法：" in page
    assert "目標值" not in page


def test_a_plan_breaking_rules_says_why_its_cost_may_be_below_the_bound(planner_client, operation):
    """A visit no team could take, moved onto a team by hand, made the page read 'cost 219,
    proven bound 3,216' under 'no plan of this operation can score below the proven bound': the
    page now says that a plan breaking rules may, and that the gap waits for the rules to hold."""
    planner_client.post("/i18n/setlang/", {"language": "zh-hant", "next": "/"})
    planner_client.post(
        f"/planning/operations/{operation.uuid}/plan/start/", {"time_limit_seconds": 3, "seed": 1}
    )
    job = PlanningJob.objects.get(operation=operation)
    url = f"/planning/operations/{operation.uuid}/plan/"
    said = "此計劃違反規則，因此成本可能低於下界；待規則全部符合後才計算差距。"
    assert said not in html.unescape(planner_client.get(url).content.decode())
    routes = [r for r in job.plan["routes"] if r["stops"]]
    visit = routes[0]["stops"][0]["visit_id"]
    target = job.plan["routes"].index(routes[1])
    moved = planner_client.post(
        f"{url}move/", {"visit": visit, "to_route": str(target)}, HTTP_HX_REQUEST="true"
    )
    page = html.unescape(moved.content.decode())
    assert "計劃現時違反" in page
    assert "差距表示計劃最多還能改善多少。" + said in page
