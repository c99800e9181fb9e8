"""A plan that breaks rules is refused at publishing in the planner's language: the page showed
the service's plain English message ("The plan breaks rules; fix it before publishing.") to a
Chinese or Portuguese planner, though the catalogues translate it (as the API does)."""

from __future__ import annotations

import pytest

from backend.inspections.models import Operation
from scheduler import solver
from scheduler.models import PlanningJob

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("zh-hant", "計劃違反規則；請先修正再發佈。"),
        ("pt", "O plano viola regras"),
        ("en", "The plan breaks rules; fix it before publishing."),
    ],
)
def test_a_plan_breaking_rules_is_refused_in_the_readers_language(language, words, planner_client, operation):
    started = planner_client.post(
        f"/planning/operations/{operation.uuid}/plan/start/", {"time_limit_seconds": 3, "seed": 1}
    )
    assert started.status_code in (200, 302)
    job = PlanningJob.objects.get(operation=operation)
    assert job.status == PlanningJob.Status.SUCCEEDED, job.error
    # The planner's own move made the plan late at one site: the evaluation (of this release's
    # checker, so it stands as it is) says so.
    job.evaluation = {
        "checker": solver.CHECKER_VERSION,
        "feasible": False,
        "violations": [{"code": "late", "detail": "arrival after the window"}],
    }
    job.save(update_fields=["evaluation"])

    planner_client.post("/i18n/setlang/", {"language": language, "next": "/"})
    response = planner_client.post(
        f"/planning/operations/{operation.uuid}/plan/publish/", HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert words in response.content.decode()
    operation.refresh_from_db()
    assert operation.status == Operation.Status.DRAFT
