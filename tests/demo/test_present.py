"""The demo as ``manage.py load_demo`` loads it shows every user's path working on first start.

The whole demo (city, field work, history, present) is loaded once for the module by the
command itself, in a transaction rolled back when the module ends. What each back-office user
finds is read through the selectors their pages and API read through, as that user (console
sign-in, with its second factor, is tested where it lives); the inspector signs in through the
officers' API with the password ``demo_logins`` prints.
"""

from __future__ import annotations

import datetime as dt
import io
import json
from collections import Counter
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone
from rest_framework.test import APIClient

from backend.compliance.models import ComplianceCase, ComplianceScore, ProtectionService, Referral
from backend.compliance.selectors import case_list, referral_list, review_queue
from backend.demo.field import LOCAL, OPERATION_NAME
from backend.demo.history import REFERRALS
from backend.demo.work import DRAFT_NAME, DRAFT_TARGETS
from backend.inspections.models import Finding, Operation, Submission
from backend.outreach.models import HotlineCall
from backend.planning.models import DueWork
from backend.registry.models import Availability, Officer, Site
from backend.reporting.report import seed_figures
from backend.reporting.selectors import statistics_aggregate
from backend.reporting.statistics import Query
from scheduler import services as scheduler
from scheduler.models import PlanningJob
from scheduler.selectors import briefing, planned_operation_list

FAST_HASHER = ["django.contrib.auth.hashers.MD5PasswordHasher"]

pytestmark = pytest.mark.django_db


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


def user(username: str) -> Any:
    return get_user_model().objects.get(username=username)


def rows(response: Any) -> list[dict[str, Any]]:
    assert response.status_code == 200, response.content
    body = response.json()
    return body["results"] if isinstance(body, dict) and "results" in body else body


def local(moment: dt.datetime) -> dt.datetime:
    return timezone.localtime(moment, LOCAL)


# --- the field: tonight's operation ------------------------------------------------------------


def test_tonights_visits_fall_inside_the_venues_opening_hours(demo):
    operation = Operation.objects.get(name=f"{OPERATION_NAME} – night 1")
    visits = list(operation.inspections.select_related("site").order_by("route_order"))
    assert len(visits) == 3
    for visit in visits:
        assert visit.site.is_open_at(visit.planned_start), (visit.site, local(visit.planned_start))
        assert visit.site.is_open_at(visit.planned_end - dt.timedelta(minutes=1))
        assert local(visit.planned_start).hour >= 20  # a night operation, not an afternoon one
    assert operation.reveal_at <= demo.now


def test_the_inspector_sees_tonights_visits_and_nothing_of_tomorrows(demo):
    phone = APIClient()
    response = phone.post(
        "/api/mobile/v1/auth/sign-in/",
        {"username": "demo-inspector", "password": demo.passwords["demo-inspector"], "device_name": "test"},
        format="json",
    )
    assert response.status_code == 201, response.content
    phone.credentials(HTTP_AUTHORIZATION=f"Bearer {response.json()['token']}")
    tonight = Operation.objects.get(name=f"{OPERATION_NAME} – night 1")
    sealed = Operation.objects.get(name=f"{OPERATION_NAME} – night 2")
    seen = {a["id"] for a in rows(phone.get("/api/mobile/v1/assignments/"))}
    assert seen == {str(i.uuid) for i in tonight.inspections.all()}
    assert not seen & {str(i.uuid) for i in sealed.inspections.all()}


def test_tonights_team_has_a_labour_inspector_on_duty(demo):
    operation = Operation.objects.get(name=f"{OPERATION_NAME} – night 1")
    team = operation.teams.get()
    first = operation.inspections.order_by("planned_start").first()
    last = operation.inspections.order_by("planned_end").last()
    labour = team.members.filter(agency__code="DSAL")
    assert labour.exists()
    assert Availability.objects.filter(
        officer__in=labour, kind="shift", start__lte=first.planned_start, end__gte=last.planned_end
    ).exists()


# --- the planner: tomorrow night's draft -------------------------------------------------------


def test_the_planner_finds_tomorrow_nights_draft_ready_to_plan(demo):
    found = planned_operation_list(user=user("demo-planner")).filter(name__startswith=DRAFT_NAME)
    assert found.count() == 1
    operation = found.get()
    assert operation.status == Operation.Status.DRAFT
    assert local(operation.starts_at).date() > local(demo.now).date() - dt.timedelta(days=1)
    # Named as the demo's draft, which stays true however long the demo database is kept (it was
    # "tomorrow night", false from the next day on), with no ISO date: the pages date it in the
    # reader's language (tests/demo/test_paths.py).
    assert operation.name == DRAFT_NAME
    assert operation.reveal_at > demo.now  # sealed: the planners alone see it
    assert not PlanningJob.objects.filter(operation=operation).exists()  # no plan yet
    waves = {w.code: w.starts_at for w in operation.waves.all()}
    assert sorted(waves) == ["w1", "w2"]
    targets = list(operation.targets.select_related("site", "wave"))
    assert 14 <= len(targets) <= 16
    assert Counter(t.wave.code for t in targets) == dict(DRAFT_TARGETS)
    for t in targets:  # each venue open for its wave
        assert t.site.is_open_at(t.wave.starts_at) and t.site.is_open_at(
            t.wave.starts_at + dt.timedelta(hours=1)
        )
    # Chosen by risk: the riskiest venues open that night come first.
    assert max(t.site.risk_score for t in targets) > 0
    # An officer with no part in the operation learns nothing of it.
    assert not planned_operation_list(user=user("demo-analyst")).filter(pk=operation.pk).exists()


def test_dsal_and_ias_officers_are_on_duty_for_tomorrow_nights_waves(demo):
    operation = Operation.objects.get(name__startswith=DRAFT_NAME)
    first, last = operation.waves.order_by("starts_at")[0], operation.waves.order_by("starts_at").last()
    on_duty = Counter(
        Availability.objects.filter(
            kind="shift", start__lte=first.starts_at, end__gte=last.starts_at + dt.timedelta(hours=1)
        ).values_list("officer__agency__code", flat=True)
    )
    assert on_duty["DSAL"] >= 3 and on_duty["IAS"] >= 1 and on_duty["PSP"] >= 10, on_duty


def test_the_draft_operation_plans_with_every_target_placed(demo, media):
    operation = Operation.objects.get(name__startswith=DRAFT_NAME)
    job = scheduler.planning_start(actor=user("demo-planner"), operation=operation, time_limit_seconds=5)
    job.refresh_from_db()
    if job.status == PlanningJob.Status.QUEUED:  # the worker's part: the task runs this
        scheduler.planning_run(job_id=job.uuid)
    job.refresh_from_db()
    assert job.status == PlanningJob.Status.SUCCEEDED, job.error
    plan = job.plan
    assert plan["routes"] and plan["unplanned"] == [], plan["unplanned"]
    # The briefings name whom to ask for at the door, or say that no one is on record.
    stops = [s for n in range(1, len(plan["routes"]) + 1) for s in briefing(job, n)["stops"]]
    named = [s for s in stops if s["contact_person"]]
    assert named and len(named) < len(stops), [(s["site"], s["contact_person"]) for s in stops]
    assert any(s["contact_phone"] for s in named)
    assert all(s["operator"] for s in stops)  # the company, never given as the contact


# --- reviewers, cases, referrals -----------------------------------------------------------------


@pytest.mark.parametrize("username", ["demo-reviewer", "demo-psp-reviewer"])
def test_each_reviewing_agency_has_submissions_waiting(demo, username):
    waiting = list(review_queue(user=user(username)))
    assert len(waiting) >= 2, username
    # Photos and signatures have arrived: the reviewer sees complete work.
    for submission in waiting:
        assert not submission.attachments.filter(received_at=None).exists()


@pytest.mark.parametrize("username", ["demo-reviewer", "demo-psp-reviewer"])
def test_each_waiting_submission_has_its_officers_check_in_at_the_site(demo, username):
    """The review page lists the visit's check-ins: a demo submission whose answers carry the
    site's position showed "No check-in was recorded" beside them. Each officer's phone checks in
    on arrival, a few metres off, early in the window, before the checklist is sent."""
    from backend.compliance.selectors import review_check_ins

    for submission in review_queue(user=user(username)):
        arrivals = list(review_check_ins(submission=submission))
        assert submission.officer_id in {c.officer_id for c in arrivals}, submission
        for arrival in arrivals:
            assert not arrival.outside_radius and not arrival.clock_skewed
            assert 0 < arrival.distance_m <= 30
            window = (submission.inspection.planned_start, submission.device_submitted_at)
            assert window[0] <= arrival.device_time <= window[1]


def test_a_joint_visit_waits_in_both_agencies_queues(demo):
    dsal = set(review_queue(user=user("demo-reviewer")).values_list("pk", flat=True))
    psp = set(review_queue(user=user("demo-psp-reviewer")).values_list("pk", flat=True))
    assert dsal & psp


def test_the_labour_bureau_has_cases_at_every_stage(demo):
    by_status = Counter(case_list(user=user("demo-reviewer")).values_list("status", flat=True))
    assert {"open", "notice_issued", "follow_up", "closed"} <= set(by_status), by_status
    today = timezone.localdate(demo.now)
    running = ComplianceCase.objects.filter(agency__code="DSAL", status="notice_issued")
    assert all(c.deadline >= today for c in running)
    follow_up = ComplianceCase.objects.get(agency__code="DSAL", status="follow_up")
    assert follow_up.follow_up.status == DueWork.Status.OPEN
    assert ComplianceCase.objects.filter(status="closed", outcome="rectified").exists()


def test_a_referral_waits_for_victim_protection(demo):
    waiting = referral_list(user=user("demo-victim-protection")).filter(status=Referral.Status.NEW)
    assert waiting.count() >= 1
    assert waiting.first().finding.submission.status == Submission.Status.ACCEPTED
    assert not referral_list(user=user("demo-reviewer")).exists()  # need to know


# --- risk and due work ---------------------------------------------------------------------------


def test_sites_risk_is_computed_from_their_history(demo):
    risky = Site.objects.filter(risk_score__gt=0)
    assert risky.count() >= 20
    assert len(set(risky.values_list("risk_score", flat=True))) >= 4
    for site in risky[:20]:
        assert site.risk_factors["source"] == "compliance"
        company_ids = [c["company"] for c in site.risk_factors["companies"]]
        assert ComplianceScore.objects.filter(company__uuid__in=company_ids).exists()
    # "The riskiest n" is no longer the alphabet: the first venues chosen are risky ones.
    riskiest = list(scheduler.site_selection(kinds=["venue"], limit=5))
    assert all(s.risk_score > 0 for s in riskiest)


def test_due_work_is_open_for_the_routine_programmes(demo):
    today = timezone.localdate(demo.now)
    for code in ("DSAL", "PSP"):
        due = DueWork.objects.filter(agency__code=code, status="open", reason="routine")
        assert due.count() >= 6, code
        assert all(d.earliest <= today and d.latest >= today + dt.timedelta(days=7) for d in due)


def test_the_demo_planners_routine_programme_plans_the_due_work(demo, media):
    """The demo planner (police) plans a week of their agency's due work (venue checks) with
    officers of one station on the night roster."""
    today = timezone.localdate(demo.now)
    planner = Officer.objects.get(user__username="demo-planner")
    first, last = today + dt.timedelta(days=1), today + dt.timedelta(days=7)
    shifts = Availability.objects.filter(
        officer__agency=planner.agency,
        officer__roles__role="inspector",
        kind="shift",
        start__gte=dt.datetime.combine(first, dt.time(0), tzinfo=LOCAL),
        start__lt=dt.datetime.combine(last, dt.time(23), tzinfo=LOCAL),
    ).select_related("officer")
    # Officers in pairs need a station and a shift in common: a station's night roster.
    nights: dict[tuple[int, dt.date], set[Officer]] = {}
    for a in shifts:
        if local(a.start).hour == 20:
            nights.setdefault((a.officer.unit_id, local(a.start).date()), set()).add(a.officer)
    officers = sorted(max(nights.values(), key=len), key=lambda o: o.pk)[:6]
    assert len(officers) >= 2
    programme = scheduler.programme_create(
        actor=planner.user,
        planner=planner,
        name="Police routine checks",
        agency=planner.agency,
        start_date=first,
        end_date=last,
        officers=officers,
    )
    job = scheduler.planning_start(actor=planner.user, programme=programme, time_limit_seconds=3)
    job.refresh_from_db()
    if job.status == PlanningJob.Status.QUEUED:  # the worker's part: the task runs this
        scheduler.planning_run(job_id=job.uuid)
    job.refresh_from_db()
    assert job.status == PlanningJob.Status.SUCCEEDED, job.error
    planned = [stop for route in job.plan["routes"] for stop in route.get("stops", route.get("visits", []))]
    assert planned, json.dumps(job.plan["unplanned"][:3], ensure_ascii=False)


# --- the analyst: five years of history --------------------------------------------------------


def test_the_history_records_findings_and_referrals_as_the_seed_report_allows(demo):
    years = range(2019, 2024)
    official = Counter(
        local(at).year
        for at in Finding.objects.filter(status="official", created_at__year__in=years).values_list(
            "created_at", flat=True
        )
    )
    assert all(official[y] > 50 for y in years), official
    assert Referral.objects.filter(created_at__year__in=years).count() == sum(REFERRALS.values())
    assert not ProtectionService.objects.exists()  # no victim used protection services
    help_calls = Counter(
        d.year for d in HotlineCall.objects.filter(kind="help").values_list("received_on", flat=True)
    )
    assert help_calls == {2019: 1, 2020: 1}


def test_the_analyst_reads_official_findings_for_every_year(demo):
    result = statistics_aggregate(
        user=user("demo-analyst"),
        query=Query(
            measures=["findings"], by=["year"], date_from=dt.date(2019, 1, 1), date_to=dt.date(2023, 12, 31)
        ),
    )
    by_year = {int(r["year"]): r["findings"] for r in result.rows}
    assert sorted(by_year) == [2019, 2020, 2021, 2022, 2023]
    assert all(n > 50 for n in by_year.values()), by_year


def test_the_yearly_report_still_reproduces_every_seed_figure(demo):
    out = io.StringIO()
    call_command("report", "2019", "2023", "--format", "json", stdout=out)
    generated = json.loads(out.getvalue())
    for figure_id, seed in seed_figures().items():
        value = generated[figure_id]
        if seed["qualifier"] == "more than":
            assert isinstance(value, int) and value > seed["value"], figure_id
        else:
            assert value == seed["value"], figure_id


def test_a_second_load_changes_nothing(demo, tmp_path):
    before = (Submission.objects.count(), Finding.objects.count(), DueWork.objects.count())
    out = io.StringIO()
    call_command("load_demo", f"--logins-file={tmp_path / 'logins.json'}", stdout=out)
    assert "already loaded" in out.getvalue()
    assert (Submission.objects.count(), Finding.objects.count(), DueWork.objects.count()) == before


def test_a_demo_loaded_before_its_names_were_dated_is_loaded_already(demo, tmp_path):
    """A database from before the operations' names carried their date ("… – last night"): make
    run's load_demo must find it loaded, not record the present again (it failed on check-ins
    already recorded)."""
    from django.db import transaction

    from backend.demo.work import LAST_NIGHT, LAST_NIGHT_BEFORE, work_is_loaded

    operation = Operation.objects.get(name__startswith=LAST_NIGHT)
    with transaction.atomic():
        Operation.objects.filter(pk=operation.pk).update(name=LAST_NIGHT_BEFORE)
        try:
            assert work_is_loaded()
            before = (Submission.objects.count(), Finding.objects.count(), DueWork.objects.count())
            out = io.StringIO()
            call_command("load_demo", f"--logins-file={tmp_path / 'logins.json'}", stdout=out)
            assert (Submission.objects.count(), Finding.objects.count(), DueWork.objects.count()) == before
        finally:
            transaction.set_rollback(True)  # the package's demo stays as loaded


def test_the_data_protection_officers_access_report_has_rows_to_read(demo):
    """A fresh demo's access report said "0 reads · 0 flagged": nobody had read anyone's details.
    Victim protection has read the waiting referral's, to assess it; an analyst's try was refused."""
    from backend.privacy.access_report import access_report

    today = timezone.localdate()
    rows = access_report(date_from=today - dt.timedelta(days=1), date_to=today + dt.timedelta(days=1))
    by_verb = {row.verb: row for row in rows}
    assert by_verb["victim_details_get"].reason == "assessment"
    assert "refused" in by_verb["victim_details_refused"].flags
