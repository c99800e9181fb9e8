"""Compliance cases: opening from official findings, the notice, the deadline, the outcome."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.utils import formats, timezone, translation

from backend.audit.models import AuditEntry
from backend.compliance import services
from backend.compliance.models import CaseEvent, ComplianceCase
from backend.compliance.notice import notice_render_html
from backend.core.errors import InvalidInput
from backend.inspections.models import Finding
from backend.planning.models import DueWork
from backend.registry.models import Role
from tests import factories


@pytest.fixture
def approved(joint, bob, carol, percy):
    construction = joint.submit_construction(bob)
    services.submission_approve(user=carol.user, submission=construction.submission)
    services.submission_approve(user=percy.user, submission=construction.submission)
    return construction


def _dsal(approved):
    """The labour bureau's official findings whose legal basis is verified (V-12's is not: see
    test_notices.py)."""
    return list(
        Finding.objects.filter(submission=approved.submission, competent_agency__code="DSAL").exclude(
            violation_code="V-12"
        )
    )


def _open(api, who, findings, **extra):
    body = {"findings": [str(f.uuid) for f in findings], "reason": "Found on inspection", **extra}
    return api.as_(who).post("/api/v1/cases/open/", body, format="json")


def test_open_case_records_who_when_why(approved, carol, api):
    r = _open(api, carol, _dsal(approved), corrective_days=10)
    assert r.status_code == 201, r.content
    case = ComplianceCase.objects.get(uuid=r.json()["id"])
    assert (case.status, case.corrective_days, case.deadline, case.agency.code) == ("open", 10, None, "DSAL")
    event = case.events.get()
    assert (event.kind, event.actor, event.reason) == ("opened", carol.user, "Found on inspection")
    assert AuditEntry.objects.filter(verb="case_open", object_id=str(case.uuid), actor=carol.user).exists()


def test_draft_or_foreign_findings_cannot_open_a_case(joint, bob, carol, api):
    construction = joint.submit_construction(bob)
    drafts = [f for f in construction.findings if f.competent_agency_code == "DSAL"]
    r = _open(api, carol, drafts)
    assert r.status_code == 400 and "findings" in r.json()["errors"]
    psp = [f for f in construction.findings if f.competent_agency_code == "PSP"]
    r = _open(api, carol, psp)  # not even visible to the labour bureau
    assert r.status_code == 400 and r.json()["errors"]["findings"] == [f"Unknown finding: {psp[0].uuid}"]
    assert not ComplianceCase.objects.exists() and not CaseEvent.objects.exists()


def test_a_finding_belongs_to_one_case(approved, carol, api):
    assert _open(api, carol, _dsal(approved)).status_code == 201
    again = _open(api, carol, _dsal(approved)[:1])
    assert again.status_code == 409
    assert ComplianceCase.objects.count() == 1


def test_bad_input_is_a_problem_and_writes_nothing(approved, carol, api):
    for body in (
        {"findings": [], "reason": "x"},
        {"findings": ["nope"], "reason": "x"},
        {"findings": [str(_dsal(approved)[0].uuid)], "reason": ""},
        {"findings": [str(_dsal(approved)[0].uuid)], "reason": "x", "corrective_days": 0},
    ):
        r = api.as_(carol).post("/api/v1/cases/open/", body, format="json")
        assert r.status_code == 400, body
        assert r["Content-Type"] == "application/problem+json" and r.json()["errors"]
    assert not ComplianceCase.objects.exists()


def test_case_against_a_subcontractor_down_the_chain(approved, joint, carol, api):
    sub = factories.company(kind="subcontractor", name_en="Small Crew", main_contractor=joint.contractor)
    stranger = factories.company(kind="contractor", name_en="Stranger Ltd")
    assert _open(api, carol, _dsal(approved)[:1], company=str(stranger.uuid)).status_code == 400
    r = _open(api, carol, _dsal(approved)[:1], company=str(sub.uuid))
    assert r.status_code == 201 and r.json()["company"] == str(sub.uuid)


def test_notice_renders_in_three_languages_before_and_after_issue(approved, carol, api):
    case = services.case_open(user=carol.user, findings=_dsal(approved), reason="x")
    draft = notice_render_html(case, "en")
    assert "DRAFT" in draft and "(set when the notice is issued)" in draft
    services.case_notice_issue(user=carol.user, case=case)
    case.refresh_from_db()
    for lang, words in {"en": "Rectify by", "zh-hant": "糾正期限", "pt": "Prazo para regularizar"}.items():
        html = notice_render_html(case, lang)
        with translation.override(lang):
            deadline = formats.date_format(case.deadline, "DATE_FORMAT")  # 26 Dec 2026, not ISO
        assert words in html and deadline in html and "DRAFT" not in html
        assert f'lang="{lang}"' in html
    v02 = next(f for f in _dsal(approved) if f.violation_code == "V-02")
    assert v02.title["zh-hant"] in notice_render_html(case, "zh-hant")  # the breach as it was found
    assert api.as_(carol).get(f"/api/v1/cases/{case.uuid}/notice/fr/").status_code == 404


def test_notice_is_issued_once(approved, carol, api):
    case = services.case_open(user=carol.user, findings=_dsal(approved), reason="x")
    assert (
        api.as_(carol).post(f"/api/v1/cases/{case.uuid}/issue-notice/", {}, format="json").status_code == 200
    )
    again = api.as_(carol).post(f"/api/v1/cases/{case.uuid}/issue-notice/", {}, format="json")
    assert again.status_code == 409 and again.json()["code"] == "case_state"


def test_deadline_job_waits_for_the_deadline_and_runs_safely_twice(approved, carol):
    case = services.case_open(user=carol.user, findings=_dsal(approved), reason="x", corrective_days=5)
    services.case_notice_issue(user=carol.user, case=case)
    start = timezone.now()
    with time_machine.travel(start + dt.timedelta(days=5), tick=False):
        assert services.case_deadlines_process() == []  # on the deadline day: not yet
    with time_machine.travel(start + dt.timedelta(days=6), tick=False):
        assert len(services.case_deadlines_process()) == 1
        assert services.case_deadlines_process() == []
        due = DueWork.objects.get()
        assert services.case_follow_up_request(case=case) == due
        assert due.earliest == timezone.localdate() and due.latest == due.earliest + dt.timedelta(days=14)
    assert DueWork.objects.count() == 1
    assert (due.priority, due.status) == (2, "open")


def test_the_periodic_task_requests_follow_ups(approved, carol):
    from backend.compliance.tasks import deadlines_due

    case = services.case_open(user=carol.user, findings=_dsal(approved), reason="x", corrective_days=1)
    services.case_notice_issue(user=carol.user, case=case)
    with time_machine.travel(timezone.now() + dt.timedelta(days=3), tick=False):
        assert deadlines_due.apply(throw=True).result == 1
        assert deadlines_due.apply(throw=True).result == 0
    assert ComplianceCase.objects.get(pk=case.pk).status == "follow_up"


def test_outcomes(approved, carol, api):
    case = services.case_open(user=carol.user, findings=_dsal(approved), reason="x")
    url = f"/api/v1/cases/{case.uuid}/outcome/"
    client = api.as_(carol)
    assert client.post(url, {"outcome": "penalty", "reason": "fine"}, format="json").status_code == 400
    assert (
        client.post(
            url, {"outcome": "penalty", "reason": "fine", "penalty_amount": "-5"}, format="json"
        ).status_code
        == 400
    )
    assert (
        client.post(
            url, {"outcome": "rectified", "reason": "x", "penalty_amount": "10"}, format="json"
        ).status_code
        == 400
    )
    assert client.post(url, {"outcome": "nonsense", "reason": "x"}, format="json").status_code == 400
    assert ComplianceCase.objects.get(pk=case.pk).status == "open"
    r = client.post(
        url, {"outcome": "penalty", "reason": "Second offence", "penalty_amount": "20000"}, format="json"
    )
    assert r.status_code == 200, r.content
    assert (r.json()["status"], r.json()["penalty_amount"]) == ("closed", "20000.00")
    assert client.post(url, {"outcome": "closed", "reason": "again"}, format="json").status_code == 409
    events = [e["kind"] for e in client.get(f"/api/v1/cases/{case.uuid}/").json()["timeline"]]
    assert events == ["opened", "outcome"]


def test_rectified_case_records_the_day(approved, carol):
    case = services.case_open(user=carol.user, findings=_dsal(approved), reason="x")
    services.case_notice_issue(user=carol.user, case=case)
    case = services.case_decide(user=carol.user, case=case, outcome="rectified", reason="Permit shown")
    assert case.rectified_on == timezone.localdate() and case.penalty_amount is None


def test_service_refuses_a_zero_penalty(approved, carol):
    case = services.case_open(user=carol.user, findings=_dsal(approved), reason="x")
    with pytest.raises(InvalidInput):
        services.case_decide(
            user=carol.user, case=case, outcome="penalty", reason="x", penalty_amount=Decimal("0")
        )
    assert ComplianceCase.objects.get(pk=case.pk).status == "open"


def test_comments_go_on_the_timeline(approved, carol, api):
    case = services.case_open(user=carol.user, findings=_dsal(approved), reason="x")
    r = api.as_(carol).post(
        f"/api/v1/cases/{case.uuid}/comments/", {"text": "Called the site manager"}, format="json"
    )
    assert r.status_code == 201 and r.json()["who"] == "carol"
    assert (
        api.as_(carol).post(f"/api/v1/cases/{case.uuid}/comments/", {"text": " "}, format="json").status_code
        == 400
    )


def test_only_a_reviewer_of_the_agency_acts_on_its_cases(approved, carol, andy, api):
    case = services.case_open(user=carol.user, findings=_dsal(approved), reason="x")
    assert Role.ANALYST in andy.role_codes()
    assert api.as_(andy).get(f"/api/v1/cases/{case.uuid}/").status_code == 200  # may read
    r = api.as_(andy).post(f"/api/v1/cases/{case.uuid}/comments/", {"text": "hi"}, format="json")
    assert r.status_code == 403 and r.json()["code"] == "not_allowed"


def _notice_issued(approved, carol, corrective_days):
    case = services.case_open(
        user=carol.user, findings=_dsal(approved), reason="x", corrective_days=corrective_days
    )
    return services.case_notice_issue(user=carol.user, case=case)


def test_a_reviewer_brings_the_follow_up_forward_while_days_remain(approved, carol):
    case = _notice_issued(approved, carol, corrective_days=30)
    # 17:00 UTC is 01:00 the next day in Macao: the visit is plannable from Macao's today.
    asked = dt.datetime.combine(case.deadline - dt.timedelta(days=20), dt.time(17), tzinfo=dt.UTC)
    with time_machine.travel(asked, tick=False):
        due = services.case_follow_up_order(user=carol.user, case=case)
        today = timezone.localdate()
    assert today == case.deadline - dt.timedelta(days=19)
    assert (due.earliest, due.latest) == (today, today + dt.timedelta(days=14))
    event = case.events.get(kind=CaseEvent.Kind.FOLLOW_UP_REQUESTED)
    assert event.actor == carol.user and event.data["early"] is True
    assert (event.code, event.reason) == ("follow_up_requested.early", "")
    # Name and badge as they were that day, stored apart and bracketed in the reader's language.
    assert (event.data["by"], event.data["by_badge"]) == (carol.full_name, carol.badge_number)
    assert event.data["deadline"] == case.deadline.isoformat()
    assert event.message.startswith(f"Requested early by {carol.full_name} ({carol.badge_number}), ")
    assert "passed" not in event.message


def test_a_reviewer_asking_on_the_deadline_day_still_asks_early(approved, carol):
    case = _notice_issued(approved, carol, corrective_days=5)
    with time_machine.travel(dt.datetime.combine(case.deadline, dt.time(3), tzinfo=dt.UTC), tick=False):
        due = services.case_follow_up_order(user=carol.user, case=case)
    assert due.earliest == case.deadline
    assert case.events.get(kind=CaseEvent.Kind.FOLLOW_UP_REQUESTED).code == "follow_up_requested.early"


def test_after_the_deadline_the_follow_up_says_the_deadline_passed(approved, carol):
    late = _notice_issued(approved, carol, corrective_days=5)
    with time_machine.travel(dt.datetime.combine(late.deadline, dt.time(17), tzinfo=dt.UTC), tick=False):
        # 01:00 the day after the deadline in Macao: the nightly run's case, and a reviewer's too.
        assert services.case_deadlines_process() == [late]
    due = late.events.get(kind=CaseEvent.Kind.FOLLOW_UP_REQUESTED)
    assert (due.code, due.reason, due.actor, due.data["early"]) == (
        "follow_up_requested.deadline_passed",
        "",
        None,
        False,
    )
    assert due.data["deadline"] == late.deadline.isoformat() and "by" not in due.data
    assert DueWork.objects.get().earliest == late.deadline + dt.timedelta(days=1)


def test_closing_a_case_withdraws_its_follow_up_not_yet_planned(approved, carol):
    """A reviewer asked for the follow-up, then decided the case: the request stayed open in the
    planners' due work, and the planner would have sent officers to re-check a closed case."""
    from django.utils import translation

    case = _notice_issued(approved, carol, corrective_days=30)
    due = services.case_follow_up_order(user=carol.user, case=case)
    services.case_decide(
        user=carol.user, case=case, outcome="penalty", reason="x", penalty_amount="5000", before_deadline=True
    )
    due.refresh_from_db()
    assert due.status == DueWork.Status.CANCELLED
    assert AuditEntry.objects.filter(verb="due_work_cancel").count() == 1
    event = case.events.get(kind=CaseEvent.Kind.OUTCOME)
    assert event.data["follow_up_withdrawn"] is True
    deadline = formats.date_format(case.deadline, "DATE_FORMAT")
    assert event.message == (
        f"Outcome: a penalty of 5,000.00 MOP. Decided before the corrective deadline of {deadline}."
        " The follow-up request was withdrawn from the planners."
    )
    with translation.override("zh-hant"):
        assert event.message.endswith("跟進巡查申請已從策劃人員處撤回。"), event.message
    with translation.override("pt"):
        assert event.message.endswith("foi retirado aos planeadores."), event.message


def test_closing_a_case_leaves_a_follow_up_already_planned(approved, carol):
    planned = _notice_issued(approved, carol, corrective_days=30)
    due = services.case_follow_up_order(user=carol.user, case=planned)
    DueWork.objects.filter(pk=due.pk).update(status=DueWork.Status.PLANNED)  # taken into a plan
    services.case_decide(user=carol.user, case=planned, outcome="closed", reason="x")
    assert DueWork.objects.get(pk=due.pk).status == DueWork.Status.PLANNED  # the planners' to take out
    event = planned.events.get(kind=CaseEvent.Kind.OUTCOME)
    assert "follow_up_withdrawn" not in event.data and event.message == "Outcome: closed without action."


def test_a_sanction_while_the_deadline_runs_is_recorded_only_when_meant(approved, carol, api):
    """The notice gives the company until its deadline to put things right, yet a penalty or a
    licence referral could be recorded the day after the notice, by a reviewer who picked the wrong
    outcome or forgot the deadline. While the deadline runs, a sanction is refused unless the
    reviewer says it is decided before the deadline, and the timeline then says so; recording the
    case rectified, or closing it without action, needs nothing more."""
    case = _notice_issued(approved, carol, corrective_days=30)
    url = f"/api/v1/cases/{case.uuid}/outcome/"
    client = api.as_(carol)
    deadline = formats.date_format(case.deadline, "DATE_FORMAT")
    for outcome, extra in (
        ("penalty", {"penalty_amount": "5000"}),
        ("licence_suspension", {}),
        ("licence_cancellation", {}),
    ):
        r = client.post(url, {"outcome": outcome, "reason": "Repeat breach", **extra}, format="json")
        assert r.status_code == 400, r.content
        assert r["Content-Type"] == "application/problem+json"
        [message] = r.json()["errors"]["before_deadline"]
        assert message.startswith(f"The notice's corrective deadline, {deadline}, has not passed")
        # Names the member to set, not the page's box.
        assert message.endswith("To decide a sanction now, set before_deadline to true."), message
    assert ComplianceCase.objects.get(pk=case.pk).status == "notice_issued"
    assert CaseEvent.objects.filter(case=case, kind="outcome").count() == 0

    r = client.post(
        url,
        {"outcome": "penalty", "reason": "Repeat breach", "penalty_amount": "5000", "before_deadline": True},
        format="json",
    )
    assert r.status_code == 200, r.content
    [event] = client.get(f"/api/v1/cases/{case.uuid}/").json()["timeline"][-1:]
    assert event["kind"] == "outcome"
    assert event["message"].endswith(f"Decided before the corrective deadline of {deadline}."), event
    entry = AuditEntry.objects.filter(verb="case_decide").get()
    assert entry.changes["before_deadline"] == case.deadline.isoformat()


@pytest.mark.parametrize(
    ("lang", "api", "page"),
    [
        ("en", "set before_deadline to true.", "tick “Decided before the notice's deadline”."),
        (
            "pt",
            "dê a before_deadline o valor true.",
            "marque «Decidido antes do fim do prazo da notificação».",
        ),
        ("zh-hant", "請將 before_deadline 設為 true。", "請勾選「於通知書期限屆滿前決定」。"),
    ],
)
def test_the_refusal_of_an_early_sanction_names_what_its_reader_sets(approved, carol, lang, api, page):
    """The API's refusal names its member, the page's the box by its label, in each language:
    "say that it is decided before the deadline" named neither."""
    from backend.compliance.pages.forms import CaseOutcomeForm

    case = _notice_issued(approved, carol, corrective_days=30)
    with translation.override(lang):
        assert services.sanction_before_deadline_refusal(case).endswith(api)
        form = CaseOutcomeForm(case=case)
        assert form.before_deadline_refusal.endswith(page)
        assert form.fields["before_deadline"].widget.attrs["data-needed"] == form.before_deadline_refusal


@pytest.mark.parametrize("when", ["rectified", "closed", "after the deadline", "early follow-up"])
def test_only_a_sanction_while_the_deadline_runs_needs_saying(approved, carol, when):
    """Recording the case rectified or closing it without action before the deadline, or a
    penalty once it has passed, need nothing more; a follow-up requested early leaves the company
    its days, so a sanction then still needs saying."""
    case = _notice_issued(approved, carol, corrective_days=1 if when == "after the deadline" else 30)
    if when in ("rectified", "closed"):
        services.case_decide(user=carol.user, case=case, outcome=when, reason="Permit shown")
    elif when == "after the deadline":
        with time_machine.travel(timezone.now() + dt.timedelta(days=3), tick=False):
            services.case_decide(
                user=carol.user, case=case, outcome="penalty", reason="x", penalty_amount="100"
            )
    else:
        services.case_follow_up_order(user=carol.user, case=case)
        case.refresh_from_db()
        with pytest.raises(InvalidInput) as refused:
            services.case_decide(user=carol.user, case=case, outcome="licence_suspension", reason="x")
        assert list(refused.value.errors) == ["before_deadline"]
        return
    event = CaseEvent.objects.get(case=case, kind="outcome")
    assert "before_deadline" not in event.data
