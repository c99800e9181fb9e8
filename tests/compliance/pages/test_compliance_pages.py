"""The labour bureau's pages over HTTP, signed in through the console's sign-in page: the
register, a company's profile, the cases and a case's page, who may open them (signed out,
wrong role, wrong agency, before reveal) and every action on a case (notice, its download in
three languages, follow-up through planning, comment, outcome)."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
from django.urls import reverse
from django.utils import formats, timezone

from backend.compliance import services
from backend.compliance.models import CaseEvent, ComplianceCase, Violation
from backend.inspections import services as inspections
from backend.inspections.models import Operation
from backend.planning.models import DueWork
from tests.compliance.pages.conftest import signed_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def scored(case, joint):
    services.company_score_compute(company=joint.contractor)
    return joint.contractor


def urls(case, company):
    return [
        "/compliance/",
        f"/compliance/companies/{company.uuid}/",
        "/compliance/cases/",
        f"/compliance/cases/{case.uuid}/",
        f"/compliance/cases/{case.uuid}/notice/zh-hant/",
        f"/compliance/cases/{case.uuid}/notice/pt/pdf/",
    ]


def test_signed_out_is_sent_to_sign_in(case, scored, client):
    for url in urls(case, scored):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/sign-in/"), url
    response = client.post(f"/compliance/cases/{case.uuid}/notice/")
    assert response.status_code == 302 and ComplianceCase.objects.get().status == "open"


@pytest.mark.parametrize("persona", ["paula", "vera", "andy", "tina"])
def test_other_roles_get_404(persona, case, scored, client, request):
    signed_in(client, request.getfixturevalue(persona))
    for url in urls(case, scored):
        assert client.get(url).status_code == 404, url
    for action in ("notice/", "follow-up/", "comment/", "outcome/"):
        assert client.post(f"/compliance/cases/{case.uuid}/{action}").status_code == 404
    assert ComplianceCase.objects.get().status == "open"


def test_another_agencys_reviewer_sees_no_case_of_it(case, scored, percy, client):
    signed_in(client, percy)
    assert client.get(f"/compliance/cases/{case.uuid}/").status_code == 404
    assert client.get(f"/compliance/cases/{case.uuid}/notice/en/").status_code == 404
    assert client.get(f"/compliance/cases/{case.uuid}/notice/en/pdf/").status_code == 404
    assert client.post(f"/compliance/cases/{case.uuid}/notice/").status_code == 404
    assert case.short_ref not in client.get("/compliance/cases/").content.decode()
    profile = client.get(f"/compliance/companies/{scored.uuid}/").content.decode()
    assert case.short_ref not in profile
    register = client.get("/compliance/").content.decode()
    assert "Lucky Build Ltd" in register  # scores are every reviewer's; the case count is not
    assert re.search(r'<span class="badge warn">1</span>', register) is None
    assert ComplianceCase.objects.get().status == "open"


def test_register_lists_the_score_with_its_factors_and_filters(case, scored, carol, client):
    signed_in(client, carol)
    page = client.get("/compliance/").content.decode()
    assert "Lucky Build Ltd" in page and f"/compliance/companies/{scored.uuid}/" in page
    assert '<span class="badge warn">1</span>' in page  # one open case of Carol's agency
    assert "Lucky Build Ltd" not in client.get("/compliance/?kind=employment_agency").content.decode()
    assert "Lucky Build Ltd" in client.get("/compliance/?q=lucky").content.decode()
    assert "Lucky Build Ltd" in client.get("/compliance/?open_cases=on").content.decode()


def test_repeat_violations_and_the_scores_factors_on_the_register_and_the_profile(
    case, joint, bob, carol, client
):
    """A second visit of the contractor's site finds V-02 and V-04 again: both are repeat
    violations, named on the register and the profile, and R, F and T are the score's own."""
    from backend.compliance.models import ComplianceScore
    from tests.compliance.conftest import construction_answers, ingest

    now = timezone.now()
    team = inspections.team_create(
        actor=None, name="Return visit", members=[bob], leader=bob, operation=joint.operation
    )
    again = inspections.inspection_issue(
        actor=None,
        site=joint.site,
        category="illegal_employment",
        template_version=joint.construction_version,
        planned_start=now - dt.timedelta(minutes=20),
        planned_end=now + dt.timedelta(hours=1),
        team=team,
        operation=joint.operation,
    )
    answers = construction_answers(joint.construction_version)
    services.submission_approve(
        user=carol.user, submission=ingest(bob, again, joint.construction_version, answers).submission
    )
    services.company_score_compute(company=joint.contractor)
    factors = ComplianceScore.objects.filter(company=joint.contractor).latest("computed_at").factors
    assert {"V-02", "V-04"} <= set(factors["repeat_violations"]) and factors["R"] == 20
    signed_in(client, carol)
    register = client.get("/compliance/").content.decode()
    row = register.split(f"/compliance/companies/{joint.contractor.uuid}/")[1].split("</tr>")[0]
    cells = re.findall(r'<td [^>]*class="num factor"[^>]*>(.*?)</td>', row)
    assert cells == [factors["F"], str(factors["R"]), str(factors["T"])]
    assert ", ".join(factors["repeat_violations"]) in row
    profile = client.get(f"/compliance/companies/{joint.contractor.uuid}/").content.decode()
    repeats = profile.split('id="repeat-h"')[1].split("</section>")[0]
    assert "<strong>V-02</strong>" in repeats and "<strong>V-04</strong>" in repeats
    client.post("/i18n/setlang/", {"language": "zh-hant", "next": "/"})
    profile = client.get(f"/compliance/companies/{joint.contractor.uuid}/").content.decode()
    v02 = Violation.objects.get(code="V-02")
    assert v02.title_in("zh-hant") in profile.split('id="repeat-h"')[1].split("</section>")[0]
    # In Portuguese F is written as the score beside it is: a decimal comma.
    client.post("/i18n/setlang/", {"language": "pt", "next": "/"})
    register = client.get("/compliance/").content.decode()
    row = register.split(f"/compliance/companies/{joint.contractor.uuid}/")[1].split("</tr>")[0]
    f_cell = re.findall(r'<td [^>]*class="num factor"[^>]*>(.*?)</td>', row)[0]
    assert f_cell == factors["F"].replace(".", ",")
    profile = client.get(f"/compliance/companies/{joint.contractor.uuid}/").content.decode()
    assert f'<span class="value">{f_cell}</span>' in profile


def test_company_profile_has_score_history_as_chart_and_table_and_its_inspections(
    case, scored, joint, carol, paula, client
):
    services.company_score_compute(company=joint.contractor)
    now = timezone.now()
    sealed = inspections.operation_create(
        actor=None,
        name="Sealed raid",
        lead_agency=carol.agency,
        agencies=[carol.agency],
        planners=[paula],
        reveal_at=now + dt.timedelta(hours=5),
        starts_at=now + dt.timedelta(hours=6),
        ends_at=now + dt.timedelta(hours=9),
        status=Operation.Status.PUBLISHED,
    )
    inspections.inspection_issue(
        actor=None,
        site=joint.site,
        category="employment_agency",
        template_version=joint.construction_version,
        planned_start=now + dt.timedelta(hours=6),
        planned_end=now + dt.timedelta(hours=8),
        operation=sealed,
    )
    signed_in(client, carol)
    page = client.get(f"/compliance/companies/{scored.uuid}/").content.decode()
    chart = json.loads(re.search(r'id="score-chart-data"[^>]*>(.*?)</script>', page).group(1))
    assert len(chart["values"]) == 2 and all(0 <= v <= 100 for v in chart["values"])
    assert page.count('<td class="num">') >= 2  # the same figures in the table
    assert case.short_ref in page
    history = page.split('id="insp-h"')[1]
    assert history.count('<tr role="row"><td role="cell"') == 1  # the joint visit; not the sealed raid's


def test_a_score_resting_on_inspections_the_reader_may_not_see_says_so(case, scored, carol, client):
    """The demo's DSAL reviewer opened a venue operator scored on the police's findings: '3
    Inspections in the window', then 'No inspection you may see.' under Inspection history, which
    read as a contradiction. The history now says the score counts every agency's inspections and
    lists only those the reader may see; a reader who sees them all is not told."""
    from tests import factories

    ian = factories.officer("IAS", username="ian", full_name="Ian Reviewer", roles=("reviewer",))
    signed_in(client, ian)
    history = client.get(f"/compliance/companies/{scored.uuid}/").content.decode().split('id="insp-h"')[1]
    assert "No inspection you may see." in history
    assert (
        "The score counts 1 inspection of the past 365 days, by any agency; "
        "only those you may see are listed here." in history
    )
    client.post(reverse("set_language"), {"language": "zh-hant"})  # the console's switcher
    history = client.get(f"/compliance/companies/{scored.uuid}/").content.decode().split('id="insp-h"')[1]
    assert "評分計及過去 365 日內任何部門的 1 次巡查；此處只列出您可查看的巡查。" in history
    signed_in(client, carol)
    page = client.get(f"/compliance/companies/{scored.uuid}/").content.decode()
    assert "hidden-inspections" not in page  # carol sees the visit the score counts


def test_cases_list_shows_deadlines_and_overdue(case, carol, client):
    services.case_notice_issue(user=carol.user, case=case)
    ComplianceCase.objects.filter(pk=case.pk).update(deadline=timezone.localdate() - dt.timedelta(days=1))
    signed_in(client, carol)
    page = client.get("/compliance/cases/").content.decode()
    assert case.short_ref in page and "overdue" in page
    assert case.short_ref not in client.get("/compliance/cases/?status=closed").content.decode()


def test_a_cases_findings_are_dated_by_the_inspection_not_by_when_the_phone_synced(joint, bob, carol, client):
    """An officer offline for three days syncs late: the case says when the site was inspected
    (finished on the phone), as the company's inspection history does, not when it was received."""
    import hashlib
    import uuid

    from tests.checklists.engine.factories import UUID as PHOTO_REF
    from tests.compliance.conftest import PHOTO, construction_answers

    finished = timezone.now() - dt.timedelta(days=3)
    submission = inspections.submission_ingest(
        officer=bob,
        data=inspections.SubmissionInput(
            id=uuid.uuid4(),
            inspection=joint.inspection.uuid,
            template_version=joint.construction_version.uuid,
            answers=construction_answers(joint.construction_version),
            device_submitted_at=finished,
            attachments=(
                inspections.DeclaredAttachment(name=PHOTO_REF, sha256=hashlib.sha256(PHOTO).hexdigest()),
            ),
        ),
    ).submission
    services.submission_approve(user=carol.user, submission=submission)
    findings = list(submission.findings.filter(violation_code="V-02"))
    case = services.case_open(user=carol.user, findings=findings, reason="No hiring permit.")
    signed_in(client, carol)
    page = client.get(f"/compliance/cases/{case.uuid}/").content.decode()
    findings_table = page.split('id="cfind-h"')[1].split("</table>")[0]
    inspected = formats.date_format(timezone.localtime(finished), "SHORT_DATE_FORMAT")
    received = formats.date_format(timezone.localtime(submission.received_at), "SHORT_DATE_FORMAT")
    assert inspected in findings_table and received not in findings_table


def test_issue_the_notice_and_download_it_in_three_languages(case, carol, client):
    signed_in(client, carol)
    page = client.get(f"/compliance/cases/{case.uuid}/").content.decode()
    assert "Failed items it will carry" in page and "V-04" in page
    response = client.post(
        f"/compliance/cases/{case.uuid}/notice/", {"notice-reason": ""}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200 and "Notice issued" in response.content.decode()
    case.refresh_from_db()
    assert case.status == "notice_issued" and case.deadline is not None
    again = client.post(f"/compliance/cases/{case.uuid}/notice/", {}, HTTP_HX_REQUEST="true")
    assert again.status_code == 409 and "already issued" in again.content.decode()
    for lang, word in (
        ("en", "Lucky Build Ltd"),
        ("zh-hant", "幸運建築有限公司"),
        ("pt", "Construções Sorte"),
    ):
        notice = client.get(f"/compliance/cases/{case.uuid}/notice/{lang}/")
        assert notice.status_code == 200
        assert notice["Content-Disposition"] == f'attachment; filename="notice-{case.short_ref}-{lang}.html"'
        assert word in notice.content.decode()
    assert client.get(f"/compliance/cases/{case.uuid}/notice/fr/").status_code == 404


def test_follow_up_is_requested_through_planning_with_the_failed_items(case, carol, client):
    signed_in(client, carol)
    early = client.post(f"/compliance/cases/{case.uuid}/follow-up/", HTTP_HX_REQUEST="true")
    assert early.status_code == 409 and not DueWork.objects.exists()
    services.case_notice_issue(user=carol.user, case=case)
    response = client.post(f"/compliance/cases/{case.uuid}/follow-up/")
    assert response.status_code == 302
    due = DueWork.objects.get()
    assert due.site == case.site and due.reason == DueWork.Reason.FOLLOW_UP
    # Asked while the deadline is weeks ahead: plannable from today, and the timeline says so.
    assert due.earliest == timezone.localdate()
    page = client.get(f"/compliance/cases/{case.uuid}/").content.decode()
    assert f"Requested early by {carol.full_name}" in page and "deadline passed" not in page
    assert {item["violation_code"] for item in due.carry_items} == {"V-02", "V-04"}
    case.refresh_from_db()
    assert case.status == "follow_up" and case.follow_up == due
    client.post(f"/compliance/cases/{case.uuid}/follow-up/")
    assert DueWork.objects.count() == 1


def test_comment_and_outcome(case, carol, client):
    signed_in(client, carol)
    url = f"/compliance/cases/{case.uuid}/"
    assert client.post(url + "comment/", {"comment-text": " "}).status_code == 400
    client.post(url + "comment/", {"comment-text": "Called the site manager."})
    assert CaseEvent.objects.filter(case=case, kind="comment", reason="Called the site manager.").exists()
    refused = client.post(
        url + "outcome/", {"outcome-outcome": "penalty", "outcome-reason": "Repeat."}, HTTP_HX_REQUEST="true"
    )
    assert refused.status_code == 400 and "positive amount" in refused.content.decode()
    done = client.post(
        url + "outcome/",
        {"outcome-outcome": "penalty", "outcome-reason": "Repeat.", "outcome-penalty_amount": "5000"},
    )
    assert done.status_code == 302
    case.refresh_from_db()
    assert case.status == "closed" and case.outcome == "penalty" and str(case.penalty_amount) == "5000.00"
    page = client.get(url).content.decode()
    assert "Decide the outcome" not in page and "Outcome recorded" in page
    # The timeline names who did what as colleagues know them, not by their login.
    assert f"{carol.full_name} ({carol.badge_number})" in page
    assert f"— {carol.user.username}" not in page


def test_a_notice_resting_on_an_unverified_legal_basis_is_refused_with_the_reason(visit, carol, client):
    services.submission_approve(user=carol.user, submission=visit.submission)
    case = services.case_open(user=carol.user, findings=visit.dsal_findings(), reason="All three.")
    signed_in(client, carol)
    response = client.post(f"/compliance/cases/{case.uuid}/notice/", {}, HTTP_HX_REQUEST="true")
    assert response.status_code == 409
    assert "V-12" in response.content.decode() and 'role="alert"' in response.content.decode()
    case.refresh_from_db()
    assert case.status == "open"


def test_an_english_time_ends_no_sentence_with_two_full_stops(case, scored, carol, client):
    """English times end in "a.m."/"p.m.": no sentence puts its own full stop after one."""
    services.case_notice_issue(user=carol.user, case=case)
    signed_in(client, carol)
    for url in (
        f"/compliance/cases/{case.uuid}/",
        f"/compliance/companies/{scored.uuid}/",
        f"/review/{case.findings.first().submission.uuid}/",
    ):
        page = client.get(url).content.decode()
        assert "a.m." in page or "p.m." in page or "noon" in page or "midnight" in page, url
        assert re.search(r"(a\.m|p\.m)\.\.", page) is None, url


def test_a_refused_filter_answers_400_and_the_other_filters_still_apply(case, scored, carol, client):
    signed_in(client, carol)
    response = client.get("/compliance/?kind=employment_agency&q=" + "x" * 101)
    assert response.status_code == 400 and 'class="field-error"' in response.content.decode()
    assert "Lucky Build Ltd" not in response.content.decode()  # the kind filter still holds
    response = client.get("/compliance/cases/?status=lost")
    assert response.status_code == 400 and 'class="field-error"' in response.content.decode()


def test_the_outcome_is_never_chosen_for_the_reviewer(case, carol, client):
    """The outcome select starts on an empty "Choose…", not on "rectified": a case closes only
    with an outcome the reviewer picked; without one the page says so, in their language, and
    the case stays open."""
    signed_in(client, carol)
    url = f"/compliance/cases/{case.uuid}/"
    page = client.get(url).content.decode()
    select = re.search(r'<select name="outcome-outcome"[^>]*>(.*?)</select>', page, re.S)
    assert select and " required" in select.group(0).split(">")[0], page
    options = re.findall(r"<option[^>]*>", select.group(1))
    assert options[0] == '<option value="" selected>' and all("selected" not in o for o in options[1:])
    assert "Choose…</option>" in select.group(1)
    refused = client.post(
        url + "outcome/", {"outcome-outcome": "", "outcome-reason": "Permits shown."}, HTTP_HX_REQUEST="true"
    )
    assert refused.status_code == 400 and "Choose the outcome" in refused.content.decode()
    client.post("/i18n/setlang/", {"language": "pt", "next": "/"})
    assert "Escolha…</option>" in client.get(url).content.decode()
    refused = client.post(url + "outcome/", {"outcome-reason": "Permits shown."}, HTTP_HX_REQUEST="true")
    assert refused.status_code == 400 and "Escolha o resultado" in refused.content.decode()
    client.post("/i18n/setlang/", {"language": "zh-hant", "next": "/"})
    assert "請選擇…</option>" in client.get(url).content.decode()
    case.refresh_from_db()
    assert case.status != "closed" and case.outcome == ""
    assert not CaseEvent.objects.filter(case=case, kind="outcome").exists()


def test_the_service_refuses_a_case_closed_without_an_outcome(case, carol):
    from django.utils import translation

    from backend.core.errors import InvalidInput

    services.case_notice_issue(user=carol.user, case=case)
    with translation.override("en"), pytest.raises(InvalidInput) as refused:
        services.case_decide(user=carol.user, case=case, outcome="", reason="Permits shown.")
    assert refused.value.errors == {"outcome": ["Choose the outcome of the case."]}
    case.refresh_from_db()
    assert case.status != "closed"


def test_the_notice_downloads_as_a_pdf_and_a_missing_chinese_font_is_said_on_the_case(
    case, carol, client, settings
):
    signed_in(client, carol)
    page = client.get(f"/compliance/cases/{case.uuid}/").content.decode()
    assert f'href="/compliance/cases/{case.uuid}/notice/zh-hant/pdf/"' in page
    response = client.get(f"/compliance/cases/{case.uuid}/notice/pt/pdf/")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert f'filename="notice-{case.short_ref}-pt.pdf"' in response["Content-Disposition"]
    settings.REPORT_CJK_FONT = "/nowhere/font.ttc"
    refused = client.get(f"/compliance/cases/{case.uuid}/notice/zh-hant/pdf/")
    assert refused.status_code == 503
    text = refused.content.decode()
    assert "REPORT_CJK_FONT" in text and "downloaded as HTML" in text  # on the case's own page
    assert client.get(f"/compliance/cases/{case.uuid}/notice/xx/pdf/").status_code == 404
