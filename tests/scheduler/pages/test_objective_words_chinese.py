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
