""" "Move an officer" offers first the officers on duty during the operation who are in no team,
then apart those not on duty: of the agencies' some 120 officers, most have no shift that night,
and bringing one in only told the planner "has no shift" (signed in through the sign-in page)."""

from __future__ import annotations

import datetime as dt
import re
from html import unescape

import pytest

from backend.registry import services as registry
from scheduler import services
from scheduler.models import PlanningJob
from tests import factories
from tests.scheduler.conftest import EVENING, on_shift

pytestmark = pytest.mark.django_db


def _groups(html):
    start = html.index('id="officer_move_officer"')
    select = html[start : html.index("</select>", start)]
    groups = {}
    for label, body in re.findall(r'<optgroup label="([^"]*)">(.*?)</optgroup>', select, re.S):
        groups[unescape(label)] = dict(
            (unescape(text).strip(), value)
            for value, text in re.findall(r'<option value="([^"]*)"[^>]*>(.*?)</option>', body, re.S)
        )
    return groups


def test_officers_in_no_team_come_on_duty_first_then_not_on_duty(planner_client, operation, city):
    standby = on_shift(factories.officer("PSP", username="sam", full_name="Sam Standby", rank=1))
    idle = factories.officer("DSAL", username="otto", full_name="Otto Offduty")
    next_week = on_shift(
        factories.officer("DSAL", username="nina", full_name="Nina Nextweek"),
        start=EVENING + dt.timedelta(days=7),
    )
    away = on_shift(factories.officer("PSP", username="lena", full_name="Lena Leave"))
    registry.availability_add(
        actor=None, officer=away, kind="leave", start=EVENING, end=EVENING + dt.timedelta(hours=2)
    )
    job = services.planning_run(
        job_id=PlanningJob.objects.create(operation=operation, time_limit_seconds=3).uuid
    )
    assert job.status == PlanningJob.Status.SUCCEEDED, job.error
    placed = {o for r in job.plan["routes"] for o in r["officer_ids"]}
    on_duty = {o for o in [*city["psp"], *city["dsal"], standby] if str(o.uuid) not in placed}
    assert on_duty, "the city has an officer on duty left out of the teams"

    groups = _groups(planner_client.get(f"/planning/operations/{operation.uuid}/plan/").content.decode())
    assert list(groups) == ["On duty, in no team", "Not on duty"]
    assert groups["On duty, in no team"] == {
        f"{o.full_name} ({o.agency.code})": f"none:{o.uuid}"
        for o in sorted(on_duty, key=lambda o: o.full_name)
    }
    not_on_duty = groups["Not on duty"]
    for o in (idle, next_week, away):
        assert not_on_duty[f"{o.full_name} ({o.agency.code})"] == f"none:{o.uuid}"
    assert not set(not_on_duty.values()) & set(groups["On duty, in no team"].values())

    # The grouped choice is still a valid value of the form.
    first = next(iter(on_duty))
    page = planner_client.post(
        f"/planning/operations/{operation.uuid}/plan/officer/",
        {"officer": f"none:{first.uuid}", "to_route": "0", "into_full_team": "1"},
        follow=True,
    )
    assert page.status_code == 200
    job = PlanningJob.objects.filter(operation=operation).order_by("-created_at").first()
    assert str(first.uuid) in job.plan["routes"][0]["officer_ids"]


def test_an_absence_after_the_operation_inside_the_shift_is_not_on_duty(planner_client, operation, city):
    """The planner drops a whole shift an absence touches, even one after the operation's end:
    such an officer is offered as not on duty, as the planner would find them."""
    late = on_shift(factories.officer("PSP", username="ivy", full_name="Ivy Lateleave", rank=1))
    after = operation.ends_at + dt.timedelta(hours=2)  # 02:00, inside her 16:00–04:00 shift
    registry.availability_add(
        actor=None, officer=late, kind="leave", start=after, end=after + dt.timedelta(hours=1)
    )
    services.planning_run(job_id=PlanningJob.objects.create(operation=operation, time_limit_seconds=3).uuid)
    groups = _groups(planner_client.get(f"/planning/operations/{operation.uuid}/plan/").content.decode())
    assert "Ivy Lateleave (PSP)" in groups["Not on duty"]
    assert "Ivy Lateleave (PSP)" not in groups.get("On duty, in no team", {})


def test_over_two_nights_an_officer_out_of_one_nights_teams_is_offered_to_bring_back(client, paula):
    """Lee, taken out of his Friday team, is still in a Thursday team: he was offered only as a
    member of that team, so bringing him back into a Friday team meant leaving Thursday's."""
    from tests.browser_support import sign_in_client
    from tests.scheduler.test_regroup_nights import PASSWORD, two_nights
    from tests.scheduler.test_regroup_nights import _run as run_nights

    op, officers, _target = two_nights(paula)
    job = run_nights(op)
    lee = str(officers["lee"].uuid)
    [friday] = [
        i
        for i, r in enumerate(job.plan["routes"])
        if r["team_id"].startswith("N2-") and lee in r["officer_ids"]
    ]
    services.plan_officer_move(actor=paula.user, job=job, officer_id=lee, from_route=friday, to_route=None)
    sign_in_client(client, "paula", PASSWORD)
    url = f"/planning/operations/{op.uuid}/plan/"
    groups = _groups(client.get(url).content.decode())
    assert groups["In a team on another night only"] == {"Lee Labour (DSAL)": f"none:{lee}"}
    back = client.post(
        f"/planning/operations/{op.uuid}/plan/officer/",
        {"officer": f"none:{lee}", "to_route": str(friday), "into_full_team": "1"},
        HTTP_HX_REQUEST="true",
    )
    assert "Officer moved" in unescape(back.content.decode())
    job.refresh_from_db()
    assert lee in job.plan["routes"][friday]["officer_ids"]
    assert sum(lee in r["officer_ids"] for r in job.plan["routes"]) == 2  # Thursday's and Friday's


def test_in_a_programme_an_officer_out_of_one_days_team_is_offered_to_bring_back(
    client, paula, django_capture_on_commit_callbacks
):
    from tests.browser_support import sign_in_client
    from tests.scheduler.test_officer_pins_carry import programme_with_one_taken_out

    programme, job, index, out = programme_with_one_taken_out(django_capture_on_commit_callbacks)
    sign_in_client(client, "dina", "correct-horse-battery")
    groups = _groups(client.get(f"/planning/programmes/{programme.uuid}/plan/").content.decode())
    offered = groups["In a team on another day only"]
    assert f"none:{out}" in offered.values()
    back = client.post(
        f"/planning/programmes/{programme.uuid}/plan/officer/",
        {"officer": f"none:{out}", "to_route": str(index)},
        HTTP_HX_REQUEST="true",
    )
    assert "Officer moved" in unescape(back.content.decode())
    job.refresh_from_db()
    assert out in job.plan["routes"][index]["officer_ids"]
