"""The case page's "Reopen the case": on a closed case only, with its reason, scoped as the case
is (another agency's case does not exist; a team leader or an analyst has no case pages), and
sent twice (a double click, a second tab) it reopens once and says so the second time."""

from __future__ import annotations

import pytest

from backend.audit.models import AuditEntry
from backend.compliance import services
from backend.compliance.models import ComplianceCase
from tests.compliance.pages.conftest import signed_in

pytestmark = pytest.mark.django_db


def _closed(case, carol) -> ComplianceCase:
    services.case_notice_issue(user=carol.user, case=case)
    return services.case_decide(user=carol.user, case=case, outcome="closed", reason="No action.")


def test_the_control_is_on_a_closed_case_only(case, carol, client):
    signed_in(client, carol)
    page = client.get(f"/compliance/cases/{case.uuid}/").content.decode()
    assert "Reopen the case" not in page
    _closed(case, carol)
    page = client.get(f"/compliance/cases/{case.uuid}/").content.decode()
    assert f'action="/compliance/cases/{case.uuid}/reopen/"' in page
    assert 'name="reopen-reason"' in page and "Reopen this case?" in page


def test_reopening_from_the_page_once_then_said_already_open(case, carol, client):
    _closed(case, carol)
    signed_in(client, carol)
    url = f"/compliance/cases/{case.uuid}/reopen/"
    first = client.post(url, {"reopen-reason": "The company appealed."}, follow=True)
    assert (
        "Case reopened: its outcome is withdrawn and it is back to “notice issued”." in first.content.decode()
    )
    second = client.post(url, {"reopen-reason": "The company appealed."}, follow=True)
    assert "The case is already open: nothing was changed." in second.content.decode()
    assert ComplianceCase.objects.get(pk=case.pk).status == "notice_issued"
    assert AuditEntry.objects.filter(verb="case_reopen").count() == 1


def test_without_a_reason_the_form_says_so_and_nothing_changes(case, carol, client):
    _closed(case, carol)
    signed_in(client, carol)
    response = client.post(f"/compliance/cases/{case.uuid}/reopen/", {"reopen-reason": " "})
    assert response.status_code == 400
    assert "Say why the case is reopened." in response.content.decode()
    assert ComplianceCase.objects.get(pk=case.pk).status == "closed"


@pytest.mark.parametrize("persona", ["percy", "tina", "andy"])
def test_others_get_nothing(case, carol, client, persona, request):
    """Percy reviews for another agency; Tina (team leader) and Andy (analyst) read cases but
    decide none."""
    _closed(case, carol)
    signed_in(client, request.getfixturevalue(persona))
    response = client.post(f"/compliance/cases/{case.uuid}/reopen/", {"reopen-reason": "Mine?"})
    assert response.status_code == 404
    assert ComplianceCase.objects.get(pk=case.pk).status == "closed"
    assert not AuditEntry.objects.filter(verb="case_reopen").exists()
    # The same request from the case's own reviewer reopens it: the refusal was the persona's.
    client.logout()
    signed_in(client, carol)
    response = client.post(f"/compliance/cases/{case.uuid}/reopen/", {"reopen-reason": "Mine."})
    assert response.status_code == 302
    assert ComplianceCase.objects.get(pk=case.pk).status == "notice_issued"
