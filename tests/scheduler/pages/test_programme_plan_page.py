"""A programme's plan page: no waves (a programme has none: no empty Wave column, no wave in the
timeline's help, the team's briefing likewise), and its times dated alike. A programme of several
days dated its second day's times ("Thu 10 Dec 9 a.m.") and not its first day's, so Team 1's
day was nowhere said; now every time of such a plan carries its date, and a programme of one day
none (a time not on the plan's own day carries its date: a programme of several days has no
day of its own)."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from backend.planning.services import due_work_request
from scheduler.models import PlanningJob, Programme
from tests.scheduler.conftest import EVENING

pytestmark = pytest.mark.django_db(transaction=True)

DAY = EVENING.date()
WEEKDAY = re.compile(r"^(Mon|Tue|Wed|Thu|Fri|Sat|Sun) \d{1,2} [A-Z][a-z]{2} ")


def _planned(client, paula, city, days: int) -> Programme:
    programme = Programme.objects.create(
        name="Round", agency=paula.agency, start_date=DAY, end_date=DAY + dt.timedelta(days=days - 1)
    )
    programme.planners.add(paula)
    programme.officers.set(city["psp"])
    for n, venue in enumerate(city["venues"]):
        due_work_request(
            actor=None,
            site=venue,
            agency=paula.agency,
            category="prostitution_trafficking",
            reason="manual",
            earliest=DAY + dt.timedelta(days=n % days),
            latest=DAY + dt.timedelta(days=n % days),
        )
    client.post(f"/planning/programmes/{programme.uuid}/plan/start/", {"time_limit_seconds": 3, "seed": 1})
    job = PlanningJob.objects.get(programme=programme)
    assert job.status == PlanningJob.Status.SUCCEEDED, job.error
    assert any(r["stops"] for r in job.plan["routes"]), job.plan
    return programme


def _times(html: str) -> list[str]:
    # A dated time is its date and its time, each kept whole (plan_time_cell): read as text.
    return [re.sub(r"<[^>]+>", "", t) for t in re.findall(r'<td [^>]*class="time"[^>]*>(.*?)</td>', html)]


def test_a_programme_of_several_days_dates_every_time(planner_client, paula, city):
    programme = _planned(planner_client, paula, city, days=2)
    html = planner_client.get(f"/planning/programmes/{programme.uuid}/plan/").content.decode()
    times = _times(html)
    assert times and all(WEEKDAY.match(t) for t in times), times
    # Both days have a team, and each says its own date.
    assert {t[:10] for t in times} >= {"Fri 1 Mar ", "Sat 2 Mar "}, times
    routes = html[html.index('id="routes-h"') : html.index('id="teams-h"')]
    assert re.search(r"From .* (Fri|Sat) \d Mar \d", routes)


def test_a_programme_of_one_day_leaves_its_times_bare(planner_client, paula, city):
    programme = _planned(planner_client, paula, city, days=1)
    html = planner_client.get(f"/planning/programmes/{programme.uuid}/plan/").content.decode()
    times = _times(html)
    assert times and not any(WEEKDAY.match(t) for t in times), times


def test_a_programmes_plan_and_briefing_say_nothing_of_waves(planner_client, paula, city):
    programme = _planned(planner_client, paula, city, days=1)
    html = planner_client.get(f"/planning/programmes/{programme.uuid}/plan/").content.decode()
    assert '<th scope="col">Wave</th>' not in html
    assert "wave" not in html[html.index('id="timeline-h"') : html.index('id="plan-timeline"')].lower()
    briefing = planner_client.get(f"/planning/programmes/{programme.uuid}/plan/briefings/1/").content.decode()
    assert '<th scope="col">Wave</th>' not in briefing
    # The route table's rows have as many cells as its head has columns.
    table = briefing[briefing.rindex('<table class="stops"') : briefing.rindex("</table>")]
    columns = table.count('<th scope="col"')
    rows = re.findall(r"<tr[^>]*>(.*?)</tr>", table[table.index("<tbody") :], re.S)
    assert rows and all(row.count("<td") == columns for row in rows), (columns, rows)


def test_a_programmes_hand_edits_note_joins_its_sentences_as_chinese_does(planner_client, paula, city):
    """The note said "…已固定的巡查。 在計劃頁面取消…": two Chinese sentences with a space between."""
    from scheduler import services

    programme = _planned(planner_client, paula, city, days=1)
    job = PlanningJob.objects.get(programme=programme)
    visit = next(s["visit_id"] for r in job.plan["routes"] for s in r["stops"])
    services.plan_move(actor=paula.user, job=job, visit_id=visit, to_route=None)
    planner_client.post("/i18n/setlang/", {"language": "zh-hant", "next": "/"})
    html = planner_client.get(f"/planning/programmes/{programme.uuid}/").content.decode()
    note = re.search(r'<p class="message" id="hand-edits">(.*?)</p>', html, re.S).group(1)
    assert re.search(r"。<a [^>]*>在計劃頁面", note), note
