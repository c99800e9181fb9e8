"""Every back-office user's path on the demo as ``make run`` loads it, over HTTP, signing in as a
user does: the console's sign-in page with the password ``demo_logins`` prints and a real code
from the authenticator the first sign-in sets up (``tests.browser_support.sign_in_client``)."""

from __future__ import annotations

import datetime as dt
import hashlib
import html
import random
import re
import uuid

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from backend.audit.models import AuditEntry
from backend.checklists.engine import attachment_refs
from backend.checklists.models import TemplateVersion
from backend.checklists.services import parsed_definition
from backend.compliance.models import ComplianceCase, Referral, Violation
from backend.compliance.selectors import review_queue
from backend.demo import answers
from backend.demo.field import LOCAL, OPERATION_NAME
from backend.demo.work import DRAFT_NAME
from backend.inspections.models import Finding, Operation, Submission
from backend.registry.models import Officer
from scheduler.models import PlanningJob
from tests.browser_support import sign_in_client
from tests.mobile_api.conftest import jpeg_with_gps

MOBILE = "/api/mobile/v1"

pytestmark = pytest.mark.django_db


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


def _signed_in(demo, username: str) -> Client:
    client = Client()
    sign_in_client(client, username, demo.passwords[username])
    return client


def _page(client: Client, url: str, *texts: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    body = response.content.decode()
    for text in texts:
        assert text in body, (url, text)
    return body


def test_the_planner_plans_publishes_and_prints_the_draft_operation(
    demo, media, django_capture_on_commit_callbacks
):
    client = _signed_in(demo, "demo-planner")
    _page(client, "/", "/planning/")
    _page(client, "/planning/", DRAFT_NAME)
    operation = Operation.objects.get(name__startswith=DRAFT_NAME)
    base = f"/planning/operations/{operation.uuid}/"
    _page(client, base, DRAFT_NAME)

    with django_capture_on_commit_callbacks(execute=True):
        started = client.post(base + "plan/start/", {"time_limit_seconds": 10, "seed": 1})
    assert started.status_code in (200, 302)
    job = PlanningJob.objects.filter(operation=operation).latest("created_at")
    assert job.status == PlanningJob.Status.SUCCEEDED, (job.status, job.error)
    _page(client, base + "plan/")

    with django_capture_on_commit_callbacks(execute=True):
        published = client.post(base + "plan/publish/")
    assert published.status_code in (200, 302)
    operation.refresh_from_db()
    assert operation.status == Operation.Status.PUBLISHED
    _page(client, base + "plan/briefings/1/", operation.name)


def test_the_planner_sees_who_goes_where_on_tonights_revealed_operation(demo):
    """Tonight's night is issued to the phones directly (no set-up, targets or plan): its page
    says which team goes where, and offers nothing to tick or plan."""
    client = _signed_in(demo, "demo-planner")
    operation = Operation.objects.get(name__startswith=f"{OPERATION_NAME} – night 1")
    team = operation.teams.get()
    body = _page(client, f"/planning/operations/{operation.uuid}/", "Who goes where", team.name)
    for officer in team.members.all():
        assert officer.full_name in body
    inspections = list(operation.inspections.select_related("site"))
    assert len(inspections) == 3
    for inspection in inspections:
        assert html.escape(inspection.site.name) in body
    for text in ("tick sites", "Run the planner", "No target yet"):
        assert text not in body
    plan = _page(client, f"/planning/operations/{operation.uuid}/plan/", "issued directly")
    assert "run the planner first" not in plan


def test_the_dsal_reviewer_approves_a_waiting_submission(demo, media, django_capture_on_commit_callbacks):
    client = _signed_in(demo, "demo-reviewer")
    user = get_user_model().objects.get(username="demo-reviewer")
    waiting = list(review_queue(user=user)[:1])
    assert waiting, "the demo holds submissions waiting for the DSAL reviewer"
    submission = waiting[0]
    analyst = _signed_in(demo, "demo-analyst")
    before = _official_findings(analyst)
    official = Finding.Status.OFFICIAL
    already = submission.findings.filter(status=official).count()
    _page(client, "/review/", str(submission.uuid))
    _page(client, f"/review/{submission.uuid}/")
    with django_capture_on_commit_callbacks(execute=True):
        approved = client.post(f"/review/{submission.uuid}/approve/", {"approve-comment": "Checked."})
    assert approved.status_code in (200, 302)
    assert submission.uuid not in {s.uuid for s in review_queue(user=user)}
    # The analyst's figures count the approved findings at once (the rollups follow reviews).
    approved_findings = submission.findings.filter(status=official).count() - already
    assert approved_findings > 0, "the approval made findings official"
    assert _official_findings(analyst) == before + approved_findings


def _official_findings(client: Client) -> int:
    """Official findings as the analyst's statistics API answers them (the console's session)."""
    response = client.get("/api/v1/statistics/query/", {"measure": "findings"})
    assert response.status_code == 200, response.content
    return int(response.json()["totals"]["findings"])


def test_victim_protection_reads_the_waiting_referral_and_the_read_is_audited(demo, media):
    client = _signed_in(demo, "demo-victim-protection")
    referral = Referral.objects.order_by("-created_at").first()
    _page(client, "/protection/", str(referral.uuid))
    _page(client, f"/protection/{referral.uuid}/")
    before = AuditEntry.objects.filter(action=AuditEntry.Action.READ).count()
    shown = client.post(f"/protection/{referral.uuid}/person/", {"reason": "protection"})
    assert shown.status_code == 200 and "no-store" in shown["Cache-Control"]
    assert AuditEntry.objects.filter(action=AuditEntry.Action.READ).count() == before + 1


def test_the_analyst_reads_the_dashboard_and_the_yearly_report(demo, media):
    client = _signed_in(demo, "demo-analyst")
    _page(client, "/statistics/")
    _page(client, "/statistics/report/2019-2023/")
    xlsx = client.get("/statistics/breakdown.xlsx?measure=inspections&rows=year")
    assert xlsx.status_code == 200
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")


@pytest.mark.parametrize("username,start", [("demo-team-leader", "/review/"), ("demo-admin", "/admin/")])
def test_team_leaders_and_administrators_reach_their_start(demo, username, start):
    client = _signed_in(demo, username)
    _page(client, start)


def test_the_team_leader_finds_their_teams_checklists_waiting(demo):
    """On a fresh demo the team leader's review queue said "Nothing here" until tonight's visits
    were sent. They lead last night's team B, whose checklists wait for them; none is theirs."""
    leader = Officer.objects.get(user__username="demo-team-leader")
    waiting = list(review_queue(user=leader.user))
    assert waiting and all(s.inspection.team.leader_id == leader.pk for s in waiting)
    assert all(s.officer_id != leader.pk for s in waiting)
    client = _signed_in(demo, "demo-team-leader")
    _page(client, "/review/", html.escape(waiting[0].inspection.site.name_en))
    _page(client, f"/review/{waiting[0].uuid}/")


def test_nobody_else_reaches_victim_protection(demo):
    referral = Referral.objects.order_by("-created_at").first()
    for username in ("demo-planner", "demo-reviewer", "demo-analyst", "demo-team-leader"):
        client = _signed_in(demo, username)
        assert client.get("/protection/").status_code == 404, username
        assert client.get(f"/protection/{referral.uuid}/").status_code == 404, username
        assert "/protection/" not in client.get("/").content.decode(), username


# --- the officers: tonight's visit, from the phone to the reviewer ------------------------------


def _demo_files() -> dict[str, bytes]:
    return {answers.PHOTO: jpeg_with_gps(), answers.SIGNATURE: jpeg_with_gps()}


def test_the_inspector_works_tonights_visit_and_the_police_reviewer_finds_it(
    demo, media, django_capture_on_commit_callbacks
):
    """The officers' path on the demo: sign in on the phone, tonight's assignments, the checklist
    downloaded, check in at the door, the answers and their photo and signature synced; the
    police reviewer then finds the visit waiting, with its findings, on the console."""
    phone = APIClient()
    signed_in = phone.post(
        f"{MOBILE}/auth/sign-in/",
        {"username": "demo-inspector", "password": demo.passwords["demo-inspector"], "device_name": "demo"},
        format="json",
    )
    assert signed_in.status_code == 201, signed_in.content
    phone.credentials(HTTP_AUTHORIZATION=f"Bearer {signed_in.json()['token']}")

    tonight = Operation.objects.get(name=f"{OPERATION_NAME} – night 1")
    feed = phone.get(f"{MOBILE}/assignments/")
    assert feed.status_code == 200, feed.content
    assignments = feed.json()["results"]
    assert {a["id"] for a in assignments} == {str(i.uuid) for i in tonight.inspections.all()}
    assignment = assignments[0]
    visit = tonight.inspections.select_related("site").get(uuid=assignment["id"])
    start = timezone.localtime(dt.datetime.fromisoformat(assignment["window_start"]), LOCAL)
    assert start.hour >= 20 and visit.site.is_open_at(visit.planned_start)  # a night visit, when open

    checklist = next(c for c in assignment["checklists"] if c["template"] == "venue_prostitution_trafficking")
    downloaded = phone.get(f"{MOBILE}/templates/{checklist['id']}/")
    assert downloaded.status_code == 200, downloaded.content
    version = TemplateVersion.objects.get(uuid=checklist["id"])

    arrived = phone.post(
        f"{MOBILE}/assignments/{visit.uuid}/check-ins/",
        {
            "id": str(uuid.uuid4()),
            "latitude": str(visit.site.latitude),
            "longitude": str(visit.site.longitude),
            "accuracy_m": "8.0",
            "device_time": timezone.now().isoformat(),
        },
        format="json",
    )
    assert arrived.status_code == 201, arrived.content

    given = answers.venue(
        random.Random(5),
        venue_type=visit.site.venue_type,
        lat=float(visit.site.latitude),
        lon=float(visit.site.longitude),
        problems=("locked_exits",),
    )
    files = _demo_files()
    refs = sorted({ref for _path, ref in attachment_refs(parsed_definition(version), given)})
    submission_id = str(uuid.uuid4())
    with django_capture_on_commit_callbacks(execute=True):
        synced = phone.post(
            f"{MOBILE}/submissions/batch/",
            {
                "items": [
                    {
                        "id": submission_id,
                        "inspection": str(visit.uuid),
                        "template_version": checklist["id"],
                        "answers": given,
                        "device_started_at": (timezone.now() - dt.timedelta(minutes=30)).isoformat(),
                        "device_submitted_at": timezone.now().isoformat(),
                        "attachments": [
                            {"name": r, "sha256": hashlib.sha256(files[r]).hexdigest(), "size": len(files[r])}
                            for r in refs
                        ],
                        "location": {
                            "latitude": str(visit.site.latitude),
                            "longitude": str(visit.site.longitude),
                        },
                    }
                ]
            },
            format="json",
            HTTP_X_DEVICE_TIME=timezone.now().isoformat(),
        )
        assert synced.status_code == 200, synced.content
        [result] = synced.json()["results"]
        assert result["status"] == 201, result
        assert result["body"]["findings"], result  # locked exits are a finding
        for ref in refs:
            uploaded = phone.put(
                f"{MOBILE}/submissions/{submission_id}/attachments/{ref}",
                files[ref],
                content_type="image/jpeg",
            )
            assert uploaded.status_code == 201, uploaded.content
    assert phone.get(f"{MOBILE}/submissions/{submission_id}/").json()["complete"] is True

    reviewer = _signed_in(demo, "demo-psp-reviewer")
    assert Submission.objects.filter(uuid=submission_id).exists()
    reviewer_user = get_user_model().objects.get(username="demo-psp-reviewer")
    assert submission_id in {str(s.uuid) for s in review_queue(user=reviewer_user)}
    body = _page(reviewer, f"/review/{submission_id}/", visit.site.name_en)
    for finding in Finding.objects.filter(submission__uuid=submission_id):
        assert str(finding.violation_code) in body, finding.violation_code


# --- the labour bureau: a case from its opening to the notice -----------------------------------


def test_the_labour_bureau_issues_the_open_cases_notice_in_chinese(demo, media):
    """The DSAL reviewer finds the case just opened, issues its notice, and downloads it in
    Chinese: issuer, contact and appeal present, the legal basis in Chinese, never the mark of an
    unverified legal basis."""
    client = _signed_in(demo, "demo-reviewer")
    case = ComplianceCase.objects.get(agency__code="DSAL", status=ComplianceCase.Status.OPEN)
    _page(client, "/compliance/cases/", case.short_ref)
    _page(client, f"/compliance/cases/{case.uuid}/", case.short_ref)
    issued = client.post(f"/compliance/cases/{case.uuid}/notice/", {"notice-reason": "Demo path."})
    assert issued.status_code in (200, 302), issued.content[:2000]
    case.refresh_from_db()
    assert case.notice_issued_at is not None and case.deadline is not None
    notice = client.get(f"/compliance/cases/{case.uuid}/notice/zh-hant/")
    assert notice.status_code == 200, notice.content[:2000]
    text = html.unescape(notice.content.decode())
    assert "verified" not in text and "Macao prohibition" not in text
    assert "草稿" not in text  # issued, not a draft
    reviewer = get_user_model().objects.get(username="demo-reviewer")
    assert reviewer.officer.full_name in text  # the issuing officer
    assert "聲明異議" in text and "發出人員簽署" in text  # the appeal and the signature block
    codes = set(case.findings.values_list("violation_code", flat=True))
    assert codes
    for violation in Violation.objects.filter(code__in=codes):
        assert violation.legal_basis_verified, violation.code
        assert violation.legal_basis_in("zh-hant") in text, violation.code
        assert violation.legal_basis_in("zh-hant") != violation.legal_basis_in("en")


def test_the_planners_list_dates_the_demo_operations_in_the_readers_language(demo):
    """The demo's operations were named "Demo joint operation – draft, 2026-12-07": ISO digits
    read in none of the three languages, beside the list's own dates in the reader's. Their names
    now carry no date, and the list dates each as its reader writes one."""
    client = _signed_in(demo, "demo-planner")
    client.post("/i18n/setlang/", {"language": "zh-hant", "next": "/"})
    body = _page(client, "/planning/", DRAFT_NAME)
    names = Operation.objects.filter(name__startswith=OPERATION_NAME).values_list("name", flat=True)
    assert names and not any(re.search(r"\d{4}-\d{2}-\d{2}", name) for name in names), list(names)
    draft = timezone.localtime(Operation.objects.get(name=DRAFT_NAME).starts_at, LOCAL)
    assert f"{draft.year}年{draft.month}月{draft.day}日" in body
    assert not re.search(r"\d{4}-\d{2}-\d{2}", re.sub(r"<[^>]+>", " ", body.split("<main", 1)[1]))
