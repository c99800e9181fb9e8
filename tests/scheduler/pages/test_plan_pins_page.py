"""The plan page lists the pins a new plan kept from the previous one, and says which it could
not keep and why, beside the plan's status."""

from __future__ import annotations

from html import unescape

import pytest

from scheduler import services
from tests.scheduler.test_pins_carry_over import _run

pytestmark = pytest.mark.django_db


def test_the_plan_page_lists_kept_pins_and_says_why_one_was_dropped(planner_client, operation, paula):
    first = _run(operation)
    a, b = (r for r in first.plan["routes"] if r["stops"])
    kept, gone = a["stops"][0]["visit_id"], b["stops"][0]["visit_id"]
    routes = first.plan["routes"]
    services.plan_move(actor=paula.user, job=first, visit_id=kept, to_route=routes.index(a), position=0)
    services.plan_move(actor=paula.user, job=first, visit_id=gone, to_route=routes.index(b), position=0)
    kept_site = operation.targets.get(pk=kept).site
    gone_site = operation.targets.get(pk=gone).site
    services.operation_target_remove(actor=paula.user, operation=operation, site=gone_site)
    _run(operation)

    page = planner_client.get(f"/planning/operations/{operation.uuid}/plan/")
    assert page.status_code == 200
    html = unescape(page.content.decode())
    section = html[html.index('id="pins-h"') : html.index("</section>", html.index('id="pins-h"'))]
    assert kept_site.name in section
    assert f"{gone_site.name} was pinned on the previous plan but is no longer to be planned" in section
