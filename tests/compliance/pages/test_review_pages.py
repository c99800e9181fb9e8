"""The reviewer's pages over HTTP, signed in through the console's sign-in page: who may open
the queue and a submission (signed out, wrong role, wrong agency, before reveal), what a
submission shows, and every action (approve with per-finding decisions, return, bulk approval
of what nothing flags, open a case)."""

from __future__ import annotations

import datetime as dt
import re
from html import unescape

import pytest
from django.utils import formats, timezone

from backend.compliance.models import ComplianceCase, Review
from backend.inspections import services as inspections
from backend.inspections.models import Finding, Operation
from tests.checklists.engine.factories import UUID as PHOTO_REF
from tests.compliance.conftest import construction_answers, ingest
from tests.compliance.pages.conftest import check_in, signed_in

pytestmark = pytest.mark.django_db


def clean_submission(joint, officer):
    """A construction checklist with nothing wrong: one resident-carded worker, permit shown."""
    answers = construction_answers(joint.construction_version, hiring_permit_shown=True)
    worker = dict(answers["workers"][1], job_matches=True, documents_held_by_employer=False)
    answers.update(workers=[worker], non_residents_on_site=1, workers_checked=1)
    return ingest(officer, joint.inspection, joint.construction_version, answers).submission


# --- Who may open the pages -------------------------------------------------------------------


def test_signed_out_is_sent_to_sign_in(visit, client):
    for url in ("/review/", f"/review/{visit.submission.uuid}/"):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/sign-in/")
    response = client.post(f"/review/{visit.submission.uuid}/approve/")
    assert response.status_code == 302 and response["Location"].startswith("/sign-in/")
    assert not Review.objects.exists()


@pytest.mark.parametrize("persona", ["paula", "vera", "andy"])
def test_other_roles_get_404(persona, visit, client, request):
    signed_in(client, request.getfixturevalue(persona))
    assert client.get("/review/").status_code == 404
    assert client.get(f"/review/{visit.submission.uuid}/").status_code == 404
    assert client.post(f"/review/{visit.submission.uuid}/approve/").status_code == 404
    assert not Review.objects.exists()


def test_a_team_leader_of_other_teams_sees_nothing_of_them(visit, tina, client):
    signed_in(client, tina)
    page = client.get("/review/").content.decode()
    assert "Cotai Tower B" not in page
    assert client.get(f"/review/{visit.submission.uuid}/").status_code == 404


def test_unknown_or_malformed_submission_is_404(visit, carol, client):
    signed_in(client, carol)
    assert client.get("/review/00000000-0000-0000-0000-000000000000/").status_code == 404
    assert client.get("/review/not-a-uuid/").status_code == 404


def test_each_agency_sees_only_its_own_findings(visit, carol, percy, client):
    signed_in(client, percy)
    page = client.get(f"/review/{visit.submission.uuid}/").content.decode()
    assert "V-01" in page
    assert "V-02" not in page and "V-12" not in page and "V-04" not in page
    client.logout()
    signed_in(client, carol)
    page = client.get(f"/review/{visit.submission.uuid}/").content.decode()
    assert "V-02" in page and "V-12" in page and "V-04" in page
    assert "V-01" not in page.split('id="answers-h"')[0]


def test_an_operation_before_its_reveal_time_is_not_offered_as_a_filter(visit, joint, carol, paula, client):
    now = timezone.now()
    inspections.operation_create(
        actor=None,
        name="Sealed dawn raid",
        lead_agency=carol.agency,
        agencies=[carol.agency],
        planners=[paula],
        reveal_at=now + dt.timedelta(hours=5),
        starts_at=now + dt.timedelta(hours=6),
        ends_at=now + dt.timedelta(hours=9),
        status=Operation.Status.PUBLISHED,
    )
    signed_in(client, carol)
    page = client.get("/review/").content.decode()
    assert "Joint construction sweep" in page
    assert "Sealed dawn raid" not in page


# --- The queue --------------------------------------------------------------------------------


def test_queue_lists_flags_and_filters(visit, joint, bob, carol, client):
    check_in(joint, bob, far=True)
    signed_in(client, carol)
    page = client.get("/review/").content.decode()
    assert "Cotai Tower B" in page and "check-in far from site" in page
    assert 'id="queue-points"' in page
    assert "Cotai Tower B" not in client.get("/review/?site_kind=venue").content.decode()
    assert "Cotai Tower B" in client.get("/review/?severity=high").content.decode()
    assert "Cotai Tower B" not in client.get("/review/?severity=critical").content.decode()
    assert "Cotai Tower B" not in client.get("/review/?agency=PSP").content.decode()
    assert "Cotai Tower B" in client.get("/review/?agency=DSAL").content.decode()
    assert "Cotai Tower B" not in client.get("/review/?state=approved").content.decode()
    tomorrow = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    assert "Cotai Tower B" not in client.get(f"/review/?received_from={tomorrow}").content.decode()
    partial = client.get("/review/?state=awaiting", HTTP_HX_REQUEST="true").content.decode()
    assert partial.startswith('<div id="queue-results">') and "<html" not in partial


def test_waiting_work_comes_oldest_first_and_decided_work_newest_first(visit, agency_visit, carol, client):
    """The queue is worked from its oldest submission; what was decided is looked back on, so the
    latest comes first (a reviewer checking what they just approved found it on the last of many
    pages, behind years of history)."""
    from backend.compliance.services import submission_approve

    signed_in(client, carol)
    waiting = client.get("/review/").content.decode()
    assert waiting.index("Cotai Tower B") < waiting.index("Bright Future")
    for submission in (visit.submission, agency_visit.submission):
        submission_approve(user=carol.user, submission=submission)
    for state in ("approved", "all"):
        decided = client.get(f"/review/?state={state}").content.decode()
        assert decided.index("Bright Future") < decided.index("Cotai Tower B"), state


def test_a_refused_filter_answers_400_and_the_other_filters_still_apply(visit, carol, client):
    signed_in(client, carol)
    response = client.get("/review/?agency=PSP&severity=extreme")
    page = response.content.decode()
    assert response.status_code == 400 and 'class="field-error"' in page
    assert "Cotai Tower B" not in page  # the agency filter still holds
    response = client.get("/review/?agency=DSAL&received_from=yesterday", HTTP_HX_REQUEST="true")
    partial = response.content.decode()
    assert response.status_code == 400 and "Cotai Tower B" in partial
    assert partial.startswith('<div id="queue-results">') and 'role="alert"' in partial
    assert "Received from: Enter a valid date." in partial


def test_queue_filters_by_operation(visit, joint, bob, carol, paula, client):
    """Two operations with work waiting: the operation filter keeps one, and offers both."""
    now = timezone.now()
    night = inspections.operation_create(
        actor=None,
        name="Night labour sweep",
        lead_agency=carol.agency,
        agencies=[carol.agency],
        planners=[paula],
        reveal_at=now - dt.timedelta(hours=2),
        starts_at=now - dt.timedelta(hours=1),
        ends_at=now + dt.timedelta(hours=6),
        status=Operation.Status.PUBLISHED,
    )
    team = inspections.team_create(actor=None, name="Night 1", members=[bob], leader=bob, operation=night)
    inspection = inspections.inspection_issue(
        actor=None,
        site=joint.site,
        category="illegal_employment",
        template_version=joint.construction_version,
        planned_start=now - dt.timedelta(minutes=20),
        planned_end=now + dt.timedelta(hours=1),
        team=team,
        operation=night,
    )
    answers = construction_answers(joint.construction_version)
    at_night = ingest(bob, inspection, joint.construction_version, answers).submission
    signed_in(client, carol)
    page = client.get("/review/").content.decode()
    # Each named with its date (a recurring operation keeps its name).
    day = formats.date_format(timezone.localtime(now - dt.timedelta(hours=1)), "DATE_FORMAT")
    assert f'<option value="{night.uuid}">Night labour sweep · {day}</option>' in page
    joint_day = formats.date_format(timezone.localtime(joint.operation.starts_at), "DATE_FORMAT")
    assert f'<option value="{joint.operation.uuid}">Joint construction sweep · {joint_day}</option>' in page
    assert str(at_night.uuid) in page and str(visit.submission.uuid) in page
    page = client.get(f"/review/?operation={night.uuid}").content.decode()
    assert str(at_night.uuid) in page and str(visit.submission.uuid) not in page
    page = client.get(f"/review/?operation={joint.operation.uuid}").content.decode()
    assert str(at_night.uuid) not in page and str(visit.submission.uuid) in page


def test_bulk_approval_approves_only_what_nothing_flags(visit, joint, bob, carol, client):
    clean = clean_submission(joint, bob)
    signed_in(client, carol)
    page = client.get("/review/").content.decode()
    assert f'value="{clean.uuid}"' in page
    assert f'value="{visit.submission.uuid}"' not in page  # flagged: no box to tick
    response = client.post(
        "/review/approve/", {"submission": [str(clean.uuid), str(visit.submission.uuid), "junk"]}
    )
    assert response.status_code == 302
    assert Review.objects.get(submission=clean).decision == Review.Decision.APPROVED
    assert not Review.objects.filter(submission=visit.submission).exists()
    page = client.get(response["Location"]).content.decode()
    assert "1 submission approved." in page and "flagged or already decided" in page


# --- One submission ---------------------------------------------------------------------------


def test_submission_shows_flagged_items_first_photos_check_ins_and_legal_basis(visit, carol, client):
    signed_in(client, carol)
    page = client.get(f"/review/{visit.submission.uuid}/").content.decode()
    answers = page.split('id="answers-h"')[1]
    assert answers.index("Evidence of the findings") < answers.index("Workers checked")
    # Each piece of evidence names the findings it is evidence of, whatever its answer: not
    # "flagged", which read as if the answer were wrong ("Fee list filed: yes").
    codes = {f.violation_code for f in visit.submission.findings.all()}
    chips = re.findall(r'<span class="badge warn">evidence of ([^<]+)</span>', answers)
    assert chips and all(set(c.split(", ")) <= codes for c in chips), (chips, codes)
    assert ">flagged<" not in answers
    assert f"/api/v1/review/submissions/{visit.submission.uuid}/attachments/{PHOTO_REF}" in page
    photo = client.get(f"/api/v1/review/submissions/{visit.submission.uuid}/attachments/{PHOTO_REF}")
    assert photo.status_code == 200 and photo["Content-Type"] == "image/jpeg"
    assert "Bob Labour" in page and "at the site" in page
    assert "Law No. 21/2009" in page and "DSAL" in page


def test_a_teammates_correction_says_whose_work_it_replaced(visit, joint, alice, carol, client):
    """A teammate may send their checklist as a correction of a colleague's (the server refuses
    it beside theirs): the history names who sent each revision, in the reader's language."""
    correction = joint.submit_construction(alice, replaces=visit.submission)
    signed_in(client, carol)
    page = unescape(client.get(f"/review/{correction.submission.uuid}/").content.decode())
    history = page.split('id="history-h"')[1]
    assert "Received from Alice Police (revision 2)." in history
    assert "Revision 1, received from Bob Labour, corrected by this one." in history
    old = unescape(client.get(f"/review/{visit.submission.uuid}/").content.decode())
    assert "Review its current revision instead." in old and "Received from Bob Labour (revision 1)." in old

    for language, said in (
        ("pt", "Revisão 1, recebida de Bob Labour, corrigida por esta."),
        ("zh-hant", "第 1 版（接收自 Bob Labour），已由此版更正。"),
    ):
        client.post("/i18n/setlang/", {"language": language, "next": "/"})
        page = unescape(client.get(f"/review/{correction.submission.uuid}/").content.decode())
        assert said in page.split('id="history-h"')[1]


def test_approve_accepting_some_findings_and_rejecting_one(visit, carol, client):
    signed_in(client, carol)
    _v02, _v04, v12 = sorted(visit.dsal_findings(), key=lambda f: f.violation_code)
    url = f"/review/{visit.submission.uuid}/approve/"
    refused = client.post(url, {f"finding-{v12.uuid}": "reject"}, HTTP_HX_REQUEST="true")
    assert refused.status_code == 400 and "Say why findings are rejected." in refused.content.decode()
    assert not Review.objects.exists()
    done = client.post(
        url,
        {"approve-comment": "V-12 not shown by the answers.", f"finding-{v12.uuid}": "reject"},
        HTTP_HX_REQUEST="true",
    )
    assert done.status_code == 200 and 'data-announce="Approved.' in done.content.decode()
    statuses = {f.violation_code: f.status for f in Finding.objects.filter(competent_agency_code="DSAL")}
    assert statuses == {"V-02": "official", "V-04": "official", "V-12": "rejected"}
    again = client.post(url, {}, HTTP_HX_REQUEST="true")
    assert again.status_code == 409 and "already decided" in again.content.decode()


def test_return_needs_a_comment_and_reaches_the_officer(visit, carol, client):
    signed_in(client, carol)
    url = f"/review/{visit.submission.uuid}/return/"
    refused = client.post(url, {"return-comment": "  "})
    assert refused.status_code == 400 and not Review.objects.exists()
    done = client.post(url, {"return-comment": "Photo of worker 2's card is blurred."})
    assert done.status_code == 302
    review = Review.objects.get()
    assert review.decision == Review.Decision.RETURNED and review.decided_by == carol
    page = client.get(done["Location"]).content.decode()
    assert "Photo of worker 2&#x27;s card is blurred." in page and "Returned to the officer" in page


def test_open_a_case_from_the_approved_submission(visit, carol, client):
    signed_in(client, carol)
    client.post(f"/review/{visit.submission.uuid}/approve/", {})
    page = client.get(f"/review/{visit.submission.uuid}/").content.decode()
    assert "Open a compliance case" in page
    findings = [str(f.uuid) for f in visit.dsal_findings()]
    refused = client.post(
        f"/review/{visit.submission.uuid}/open-case/", {"case-reason": "", "finding": findings}
    )
    assert refused.status_code == 400 and not ComplianceCase.objects.exists()
    response = client.post(
        f"/review/{visit.submission.uuid}/open-case/",
        {"case-reason": "Documents held; no permit.", "finding": findings},
    )
    case = ComplianceCase.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/compliance/cases/{case.uuid}/"
    assert case.findings.count() == 3 and case.agency == carol.agency


def test_a_team_leader_reviews_their_teams_work_but_opens_no_case(joint, bob, client):
    from tests import factories

    lena = factories.officer("DSAL", username="lena", full_name="Lena Leader", roles=("team_leader",))
    team = inspections.team_create(
        actor=None, name="Labour 2", members=[lena, bob], leader=lena, operation=joint.operation
    )
    now = timezone.now()
    inspection = inspections.inspection_issue(
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
    submission = ingest(bob, inspection, joint.construction_version, answers).submission
    signed_in(client, lena)
    assert str(submission.uuid) in client.get("/review/").content.decode()
    client.post(f"/review/{submission.uuid}/approve/", {})
    assert Review.objects.get(submission=submission).decided_by == lena
    page = client.get(f"/review/{submission.uuid}/").content.decode()
    assert "Open a compliance case" not in page
    findings = [str(f.uuid) for f in submission.findings.filter(competent_agency_code="DSAL")]
    response = client.post(f"/review/{submission.uuid}/open-case/", {"case-reason": "x", "finding": findings})
    assert response.status_code == 404 and not ComplianceCase.objects.exists()


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("zh-hant", ["審核隊列", "本部門的發現", "發現的證據", "退回人員"]),
        (
            "pt",
            [
                "Fila de revisão",
                "As constatações da sua entidade",
                "Provas das constatações",
                "Devolver ao agente",
            ],
        ),
    ],
)
def test_pages_speak_the_readers_language(language, words, visit, carol, client):
    signed_in(client, carol)
    client.post("/i18n/setlang/", {"language": language, "next": "/"})
    queue = client.get("/review/").content.decode()
    page = client.get(f"/review/{visit.submission.uuid}/").content.decode()
    assert words[0] in queue
    for word in words[1:]:
        assert word in page
    assert "Your agency's findings" not in page and "Return to the officer" not in page


def test_legal_basis_in_the_readers_language_and_unverified_ones_marked(visit, carol, client):
    from backend.compliance.models import Violation

    signed_in(client, carol)
    client.post("/i18n/setlang/", {"language": "zh-hant", "next": "/"})
    page = client.get(f"/review/{visit.submission.uuid}/").content.decode()
    v04 = Violation.objects.get(code="V-04")
    assert v04.legal_basis_in("zh-hant") in page
    client.post(f"/review/{visit.submission.uuid}/approve/", {})
    page = client.get(f"/review/{visit.submission.uuid}/").content.decode()
    v12 = visit.submission.findings.get(violation_code="V-12")
    assert f'value="{v12.uuid}">' in page  # offered unticked: it cannot ground a notice
    v02 = visit.submission.findings.get(violation_code="V-02")
    assert f'value="{v02.uuid}" checked>' in page


# --- What a reviewer is told, in words --------------------------------------------------------


def test_a_row_with_findings_to_decide_says_so_and_offers_no_bulk_approval(visit, carol, client):
    """Only flagged rows on the page (the visit has findings of the labour bureau): the reason is
    a badge, and neither boxes nor the bulk button are offered, but a sentence says why."""
    signed_in(client, carol)
    page = client.get("/review/").content.decode()
    assert "findings to decide" in page
    assert 'name="submission"' not in page
    assert "Approve the chosen submissions" not in page
    assert "none can be approved in bulk" in page
    client.post("/i18n/setlang/", {"language": "zh-hant", "next": "/"})
    assert "待決定的發現" in client.get("/review/").content.decode()


def test_bulk_approval_with_nothing_approved_reports_no_success(visit, joint, bob, carol, client):
    clean_submission(joint, bob)
    signed_in(client, carol)
    page = client.get("/review/").content.decode()
    assert "Approve the chosen submissions" in page  # one row can be chosen
    response = client.post("/review/approve/", {})
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "Nothing was approved: tick the submissions to approve first." in page
    assert "approved." not in page and not Review.objects.exists()
    response = client.post("/review/approve/", {"submission": [str(visit.submission.uuid)]})
    page = client.get(response["Location"]).content.decode()
    assert "0 submissions approved." not in page and "flagged or already decided" in page
    assert not Review.objects.exists()


@pytest.mark.parametrize(
    ("language", "entry"), [("en", "Worker 2"), ("zh-hant", "工人 2"), ("pt", "Trabalhador 2")]
)
def test_a_findings_entry_is_named_as_the_checklist_names_it(language, entry, visit, carol, client):
    """V-02 is about the second worker checked: "Worker 2", never the stored ``workers[1]``."""
    signed_in(client, carol)
    client.post("/i18n/setlang/", {"language": language, "next": "/"})
    page = client.get(f"/review/{visit.submission.uuid}/").content.decode()
    findings = page.split('id="findings-h"')[1].split("</section>")[0]
    assert f'<span class="help">{entry}</span>' in findings
    assert "workers[" not in findings


def test_two_findings_under_one_code_have_decisions_told_apart(agency_visit, carol, client):
    signed_in(client, carol)
    page = client.get(f"/review/{agency_visit.submission.uuid}/").content.decode()
    legends = sorted(
        unescape(legend) for legend in re.findall(r'<legend class="visually-hidden">(.*?)</legend>', page)
    )
    assert len(legends) == 2
    # The job-seeker's file the first was found on follows its title.
    assert legends[0].startswith(
        "Decision on V-07 Fee charged to a job-seeker above 50% of the first month's wage ("
    )
    assert legends[1] == "Decision on V-07 Fee list or receipts not in order"


@pytest.mark.parametrize(("language", "wage", "fee"), [("en", "6,000", "4,000"), ("pt", "6.000", "4.000")])
def test_number_answers_are_grouped_as_the_reader_writes_numbers(
    agency_visit, carol, client, language, wage, fee
):
    """Found on the labour bureau's walk: a month's wage read "6000" among the console's grouped
    figures ("20,000.00 MOP")."""
    signed_in(client, carol)
    client.post("/i18n/setlang/", {"language": language, "next": "/"})
    page = unescape(client.get(f"/review/{agency_visit.submission.uuid}/").content.decode())
    assert re.search(rf">\s*{re.escape(wage)}\s*<", page), "the wage is not grouped"
    assert re.search(rf">\s*{re.escape(fee)}\s*<", page), "the fee is not grouped"
    assert not re.search(r">\s*6000\s*<", page)
