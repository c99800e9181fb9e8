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


def test_a_rule_broken_on_a_pinned_visit_names_the_pin_and_offers_to_unpin(planner_client, operation, paula):
    """Found on a planner's walk: a wave target moved by hand onto a team that could not keep its
    wave stayed broken after "Plan again", since the move pinned it, and nothing said so."""
    job = _run(operation)
    route = next(r for r in job.plan["routes"] if r["stops"])
    pinned = route["stops"][0]["visit_id"]
    services.plan_move(
        actor=paula.user, job=job, visit_id=pinned, to_route=job.plan["routes"].index(route), position=0
    )
    job.refresh_from_db()
    assert pinned in job.pins
    others = [s["visit_id"] for r in job.plan["routes"] for s in r["stops"] if s["visit_id"] != pinned]
    other = others[0] if others else None
    broken = [
        {"code": "wave_missed", "detail": "Misses its wave", "visit_id": visit, "rule": "", "params": {}}
        for visit in (pinned, other)
        if visit
    ]
    job.evaluation = {**job.evaluation, "feasible": False, "violations": broken}
    job.save(update_fields=["evaluation"])

    html = unescape(planner_client.get(f"/planning/operations/{operation.uuid}/plan/").content.decode())
    start = html.index('id="violations-h"')
    section = html[start : html.index("</section>", start)]
    items = section.split("<li>")[1:]
    said = "This visit is pinned by hand, and planning again keeps it where it is"
    assert said in items[0] and f'name="visit" value="{pinned}"' in items[0]
    assert ">Unpin</button>" in items[0]
    if other:
        assert said not in items[1]
