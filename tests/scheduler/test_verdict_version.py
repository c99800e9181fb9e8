"""A stored plan's verdict follows the checker of the release: a draft whose verdict another
version of the rules made is checked again when the planner reads it (page or API) or publishes
it, and the new verdict is stored and audited. A plan stored as broken under a rule since
relaxed (an officer "in two teams" over two nights of one long shift) shows as sound and
publishes; a plan stored as sound that the rules now refuse cannot be published. While the
versions match, nothing is checked again."""

from __future__ import annotations

from html import unescape

import pytest

from backend.audit.models import AuditEntry
from backend.inspections.models import Operation, Team
from backend.registry.models import Officer
from scheduler import services, solver
from scheduler.models import PlanningJob
from tests.browser_support import sign_in_client
from tests.scheduler.test_regroup_nights import PASSWORD, _run, two_nights

pytestmark = pytest.mark.django_db(transaction=True)


def _rechecks(job):
    return AuditEntry.objects.filter(verb="plan_recheck", object_id=str(job.uuid))


def _broken_by_the_old_rule(job):
    """The verdict the checker before 282de85 gave a plan over two nights of one long shift:
    every officer working both nights "in two teams". Stored before verdicts said their version."""
    violations = []
    for officer in {i for r in job.plan["routes"] for i in r["officer_ids"]}:
        teams = sorted(r["team_id"] for r in job.plan["routes"] if officer in r["officer_ids"])
        violations.append(
            {
                "code": "officer_double_booked",
                "detail": f"{officer} in teams {teams}",
                "visit_id": None,
                "officer_id": officer,
                "route_index": None,
                "rule": "one_place_at_a_time",
                "case": "two_teams",
                "params": {"officer": officer, "teams": ", ".join(teams)},
            }
        )
    stored = {k: v for k, v in job.evaluation.items() if k != "checker"}
    return {**stored, "feasible": False, "violations": violations}


def test_a_plan_stored_as_broken_by_a_rule_since_relaxed_shows_sound_and_publishes(paula, client):
    op, _officers, _target = two_nights(paula, "one long shift")
    job = _run(op)
    assert job.evaluation["feasible"], job.evaluation["violations"]
    job.evaluation = _broken_by_the_old_rule(job)
    job.save(update_fields=["evaluation"])

    sign_in_client(client, "paula", PASSWORD)
    page = client.get(f"/planning/operations/{op.uuid}/plan/")
    html = unescape(page.content.decode())
    assert page.status_code == 200
    assert "draft: every rule holds" in html and "draft: rules broken" not in html
    assert "Publish this plan? Teams and inspections will be created." in html  # Publish enabled
    assert 'aria-describedby="publish-why"' not in html
    job.refresh_from_db()
    assert job.evaluation["checker"] == solver.CHECKER_VERSION and job.evaluation["feasible"]
    [entry] = _rechecks(job)
    assert entry.changes["feasible"] == [False, True]
    assert entry.changes["checker"] == [None, solver.CHECKER_VERSION]

    published = client.post(f"/planning/operations/{op.uuid}/plan/publish/", HTTP_HX_REQUEST="true")
    assert published.status_code == 200 and b"Plan published" in published.content
    assert Team.objects.filter(operation=op).count() == 4
    op.refresh_from_db()
    assert op.status == Operation.Status.PUBLISHED
    assert _rechecks(job).count() == 1  # checked once: publishing found the verdict current


def _psp(officer_ids):
    return next(o for o in Officer.objects.filter(uuid__in=officer_ids) if o.agency.code == "PSP")


def test_a_plan_stored_as_sound_that_the_rules_now_refuse_cannot_be_published(paula, client):
    op, _officers, _target = two_nights(paula)
    job = _run(op)
    assert job.evaluation["feasible"], job.evaluation["violations"]
    # Two teams of Thursday night share an officer: the checker of this release refuses it, an
    # older one (as stored) said every rule held.
    routes = job.plan["routes"]
    thursday = [r for r in routes if r["team_id"].startswith("N1") and r["stops"]]
    first, second = thursday[:2]
    shared, replaced = _psp(first["officer_ids"]), _psp(second["officer_ids"])
    second["officer_ids"] = [
        str(shared.uuid) if i == str(replaced.uuid) else i for i in second["officer_ids"]
    ]
    job.plan = {**job.plan, "routes": routes}
    job.evaluation = {
        **job.evaluation,
        "checker": solver.CHECKER_VERSION - 1,
        "feasible": True,
        "violations": [],
    }
    job.save(update_fields=["plan", "evaluation"])

    # Published straight away, without the page read first: publishing checks again itself.
    sign_in_client(client, "paula", PASSWORD)
    refused = client.post(f"/planning/operations/{op.uuid}/plan/publish/", HTTP_HX_REQUEST="true")
    assert refused.status_code == 200
    html = unescape(refused.content.decode())
    assert "The plan breaks rules; fix it before publishing." in html
    op.refresh_from_db()
    assert op.status == Operation.Status.DRAFT and not Team.objects.filter(operation=op).exists()
    job.refresh_from_db()
    assert job.status == PlanningJob.Status.SUCCEEDED
    assert job.evaluation["checker"] == solver.CHECKER_VERSION and not job.evaluation["feasible"]
    assert "officer_double_booked" in {v["code"] for v in job.evaluation["violations"]}
    # The new verdict is kept (and audited), though publishing was refused.
    [entry] = _rechecks(job)
    assert entry.changes["feasible"] == [True, False]

    # The page and the API say so too, and the page's Publish is disabled.
    page = unescape(client.get(f"/planning/operations/{op.uuid}/plan/").content.decode())
    assert "draft: rules broken" in page
    assert 'disabled aria-describedby="publish-why">Publish the plan' in page
    api = client.get(f"/api/v1/planning/operations/{op.uuid}/plan/").json()
    assert api["evaluation"]["feasible"] is False
    assert api["evaluation"]["checker"] == solver.CHECKER_VERSION


def test_a_verdict_of_this_release_is_not_checked_again(paula, client, monkeypatch):
    op, _officers, _target = two_nights(paula)
    job = _run(op)
    assert job.evaluation["checker"] == solver.CHECKER_VERSION

    def never(*args, **kwargs):
        raise AssertionError("checked again though the versions match")

    monkeypatch.setattr(services, "_recheck", never)
    sign_in_client(client, "paula", PASSWORD)
    assert client.get(f"/planning/operations/{op.uuid}/plan/").status_code == 200
    assert client.get(f"/api/v1/planning/operations/{op.uuid}/plan/").status_code == 200
    assert client.get(f"/api/v1/planning/jobs/{job.uuid}/").status_code == 200
    published = client.post(f"/planning/operations/{op.uuid}/plan/publish/", HTTP_HX_REQUEST="true")
    assert b"Plan published" in published.content
    assert not _rechecks(job).exists()
