"""Review: routing by competent agency, approve or return, corrections as new revisions."""

from __future__ import annotations

import pytest

from backend.audit.models import AuditEntry
from backend.compliance import services
from backend.compliance.models import Review
from backend.inspections.models import Finding, Inspection
from backend.outbox.models import OutboxMessage
from tests.compliance.conftest import construction_answers, ingest


def _approve(api, who, submission, **body):
    return api.as_(who).post(f"/api/v1/review/submissions/{submission.uuid}/approve/", body, format="json")


def test_queue_routes_by_competent_agency(joint, alice, bob, carol, percy, api):
    construction = joint.submit_construction(bob)
    screening = joint.submit_screening(alice)
    carol_ids = [s["id"] for s in api.as_(carol).get("/api/v1/review/queue/").json()["results"]]
    percy_ids = [s["id"] for s in api.as_(percy).get("/api/v1/review/queue/").json()["results"]]
    assert carol_ids == [str(construction.submission.uuid)]
    assert percy_ids == [str(construction.submission.uuid), str(screening.submission.uuid)]
    item = api.as_(percy).get("/api/v1/review/queue/?potential_victim=true").json()["results"]
    assert [i["id"] for i in item] == [str(screening.submission.uuid)] and item[0]["potential_victims"] == 1


def test_queue_filters_and_sorts(joint, alice, bob, percy, api):
    joint.submit_construction(bob)
    joint.submit_screening(alice)
    client = api.as_(percy)
    newest_first = client.get("/api/v1/review/queue/?ordering=-received_at").json()["results"]
    assert newest_first[0]["template"] == "ilo_forced_labour_screening"
    assert client.get("/api/v1/review/queue/?severity=critical").json()["count"] == 0
    assert client.get("/api/v1/review/queue/?site_kind=venue").json()["count"] == 0
    bad = client.get("/api/v1/review/queue/?ordering=officer")
    assert bad.status_code == 400 and bad.json()["code"] == "invalid"


def test_detail_shows_only_own_findings(joint, bob, carol, api):
    construction = joint.submit_construction(bob)
    body = api.as_(carol).get(f"/api/v1/review/submissions/{construction.submission.uuid}/").json()
    assert sorted(f["competent_agency"] for f in body["findings"]) == ["DSAL", "DSAL", "DSAL"]
    assert body["answers"]["workers_checked"] == 2 and body["reviews"] == []


def test_approval_leaves_the_other_agencys_findings_alone(joint, bob, carol):
    construction = joint.submit_construction(bob)
    review = services.submission_approve(user=carol.user, submission=construction.submission)
    assert (review.agency.code, review.findings_approved) == ("DSAL", 3)
    assert Finding.objects.get(violation_code="V-01").status == Finding.Status.DRAFT
    entry = AuditEntry.objects.get(verb="submission_approve")
    assert entry.action == "decide" and entry.actor == carol.user and len(entry.changes["official"]) == 3
    assert OutboxMessage.objects.filter(
        task_name="compliance.score_recompute", kwargs={"company_id": joint.contractor.pk}
    ).exists()


def test_inspection_is_reviewed_once_every_agency_approved(joint, bob, carol, percy):
    construction = joint.submit_construction(bob)
    services.submission_approve(user=carol.user, submission=construction.submission)
    assert Inspection.objects.get(pk=joint.inspection.pk).status == "submitted"
    services.submission_approve(user=percy.user, submission=construction.submission)
    assert Inspection.objects.get(pk=joint.inspection.pk).status == "reviewed"


def test_reject_some_findings_on_approval(joint, bob, carol, api):
    construction = joint.submit_construction(bob)
    v04 = Finding.objects.get(violation_code="V-04")
    r = _approve(
        api,
        carol,
        construction.submission,
        reject=[str(v04.uuid)],
        comment="Permit shown later at the office",
    )
    assert r.status_code == 201, r.content
    assert (r.json()["findings_approved"], r.json()["findings_rejected"]) == (2, 1)
    assert Finding.objects.get(pk=v04.pk).status == Finding.Status.REJECTED


def test_rejecting_another_agencys_finding_is_refused_and_nothing_written(joint, bob, carol, api):
    construction = joint.submit_construction(bob)
    v01 = Finding.objects.get(violation_code="V-01")
    r = _approve(api, carol, construction.submission, reject=[str(v01.uuid)], comment="no")
    assert r.status_code == 400 and r["Content-Type"] == "application/problem+json"
    assert "reject" in r.json()["errors"]
    assert not Review.objects.exists()
    assert set(Finding.objects.values_list("status", flat=True)) == {"draft"}


def test_bad_input_is_a_problem_and_writes_nothing(joint, bob, carol, api):
    construction = joint.submit_construction(bob)
    r = _approve(api, carol, construction.submission, reject=["not-a-uuid"])
    assert r.status_code == 400 and r.json()["errors"].keys() == {"reject[0]"}
    r = api.as_(carol).post(
        f"/api/v1/review/submissions/{construction.submission.uuid}/return/", {"comment": ""}, format="json"
    )
    assert r.status_code == 400 and "comment" in r.json()["errors"]
    assert not Review.objects.exists() and not AuditEntry.objects.filter(action="decide").exists()


def test_deciding_twice_is_a_conflict(joint, bob, carol, api):
    construction = joint.submit_construction(bob)
    assert _approve(api, carol, construction.submission).status_code == 201
    again = _approve(api, carol, construction.submission)
    assert again.status_code == 409 and again.json()["code"] == "already_reviewed"


def test_return_then_correction_comes_back_to_the_queue(joint, bob, carol, api):
    construction = joint.submit_construction(bob)
    r = api.as_(carol).post(
        f"/api/v1/review/submissions/{construction.submission.uuid}/return/",
        {"comment": "Worker 2's job: check the permit again"},
        format="json",
    )
    assert r.status_code == 201 and r.json()["decision"] == "returned"
    assert api.as_(carol).get("/api/v1/review/queue/").json()["count"] == 0
    # The officer sees the return and its comment.
    from backend.compliance.selectors import returns_for_officer

    assert [rv.comment for rv in returns_for_officer(user=bob.user)] == [
        "Worker 2's job: check the permit again"
    ]
    # The correction is a new revision through `replaces`; it withdraws the old findings.
    answers = construction_answers(joint.construction_version)
    answers["workers"][1]["job_matches"] = True
    correction = ingest(
        bob, joint.inspection, joint.construction_version, answers, replaces=construction.submission
    )
    assert correction.submission.revision == 2
    assert set(
        Finding.objects.filter(submission=construction.submission).values_list("status", flat=True)
    ) == {"withdrawn"}
    queue = api.as_(carol).get("/api/v1/review/queue/").json()["results"]
    assert [q["id"] for q in queue] == [str(correction.submission.uuid)] and queue[0]["revision"] == 2
    # The old revision can no longer be decided.
    stale = _approve(api, carol, construction.submission)
    assert stale.status_code == 409 and stale.json()["code"] == "not_reviewable"
    assert returns_for_officer(user=bob.user).count() == 0


def _team_leader(officer):
    """The officer holds the team-leader role, the console's way in for a team's leader."""
    from backend.registry.services import officer_roles_set

    held = officer.roles.values_list("role", flat=True)
    return officer_roles_set(actor=None, officer=officer, roles=[*held, "team_leader"])


def test_team_leader_reviews_their_teams_work_for_their_agency(joint, alice, bob, api):
    # Alice leads the joint team: she may decide the police's findings of Bob's submission...
    _team_leader(alice)
    construction = joint.submit_construction(bob)
    r = _approve(api, alice, construction.submission)
    assert r.status_code == 201 and r.json()["agency"] == "PSP"
    assert Finding.objects.get(violation_code="V-01").status == "official"
    assert Finding.objects.get(violation_code="V-02").status == "draft"


def test_a_leader_by_rank_alone_does_not_review(joint, alice, bob, api):
    """The planner makes a team's highest-ranked member its leader whatever their roles. Alice
    leads the joint team as an inspector only: she cannot enter the console's queue, and the
    rules agree: her team's work is her agency's reviewers', not hers, through the API or the
    service; nothing is decided."""
    construction = joint.submit_construction(bob)
    assert api.as_(alice).get("/api/v1/review/queue/").status_code in (401, 403, 404)
    assert _approve(api, alice, construction.submission).status_code in (401, 403, 404)
    with pytest.raises(services.NotFound):
        services.submission_approve(user=alice.user, submission=construction.submission)
    assert not Review.objects.exists()
    assert not Finding.objects.filter(status="official").exists()
    _team_leader(alice)  # an administrator's grant: now she decides her team's police findings
    assert _approve(api, alice, construction.submission).status_code == 201


def test_nobody_reviews_their_own_submission(joint, alice, api):
    screening = joint.submit_screening(alice)  # Alice leads the team, but this is her own work
    _team_leader(alice)
    assert _approve(api, alice, screening.submission).status_code == 404


def test_team_leader_role_alone_is_not_enough(joint, bob, tina, api):
    construction = joint.submit_construction(bob)
    assert api.as_(tina).get("/api/v1/review/queue/").json()["count"] == 0
    assert _approve(api, tina, construction.submission).status_code == 404


def test_service_refuses_a_non_officer(joint, bob, oscar):
    construction = joint.submit_construction(bob)
    with pytest.raises(services.NotAllowed):
        services.submission_approve(user=oscar, submission=construction.submission)
