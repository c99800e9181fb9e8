"""Duplicate checklists from before the one-sender rule (migration inspections 0005): a visit
holding two current checklists of one template sent as firsts by different officers. The rule
refuses new ones; old ones are named by ``checklist_duplicates()``, ``manage.py
checklist_duplicates``, the deployment check ``inspections.W001`` (``check --deploy --database
default``) and the admin's filter, and are
settled by deleting one (a tombstone, its findings withdrawn)."""

from __future__ import annotations

import io

import pytest
from django.core import checks
from django.core.management import call_command

from backend.inspections import services as inspections
from backend.inspections.models import Finding, Submission
from backend.inspections.selectors import checklist_duplicates
from tests.mobile_api.conftest import API, submission_payload

SUBMISSIONS = f"{API}/submissions/"


def sent(client, inspection, version, **overrides) -> Submission:
    payload = submission_payload(inspection, version, **overrides)
    response = client.post(SUBMISSIONS, payload, format="json")
    assert response.status_code == 201, response.content
    return Submission.objects.get(uuid=payload["id"])


def legacy_duplicate(field, alice, dora, phone) -> tuple[Submission, Submission]:
    """Alice's checklist, and a second first one made Dora's afterwards, as a database from
    before the rule may hold (the rule checks inserts: her own second is allowed, the change of
    sender is what an older version let happen)."""
    alices_phone = phone(alice)
    first = sent(alices_phone, field.revealed, field.venue_version)
    second = sent(alices_phone, field.revealed, field.venue_version)
    Submission.objects.filter(pk=second.pk).update(officer=dora)
    second.refresh_from_db()
    return first, second


def command(*args: str) -> tuple[str, int]:
    out = io.StringIO()
    try:
        call_command("checklist_duplicates", *args, stdout=out)
    except SystemExit as exit_:
        return out.getvalue(), int(exit_.code)
    return out.getvalue(), 0


def warnings() -> list[str]:
    return [
        m.id
        for m in checks.run_checks(databases=["default"], include_deployment_checks=True)
        if m.id == "inspections.W001"
    ]


def test_a_legacy_duplicate_is_named_everywhere_and_settled_by_deleting_one(
    field, alice, dora, phone, admin_client
):
    first, second = legacy_duplicate(field, alice, dora, phone)

    assert [[s.uuid for s in group] for group in checklist_duplicates()] == [[first.uuid, second.uuid]]
    out, status = command("--check")
    assert status == 1
    assert str(field.revealed.uuid) in out and "venue_prostitution_trafficking: 2 current" in out
    assert str(first.uuid) in out and "Alice Police" in out and str(second.uuid) in out
    assert warnings() == ["inspections.W001"]
    listed = admin_client.get("/admin/inspections/submission/?duplicate=yes")
    assert listed.status_code == 200
    assert str(first.uuid) in listed.content.decode() and str(second.uuid) in listed.content.decode()
    others = admin_client.get("/admin/inspections/submission/?duplicate=yes&status=superseded")
    assert str(first.uuid) not in others.content.decode()

    inspections.submission_delete(actor=None, submission=second, reason="a duplicate of Alice's")
    assert checklist_duplicates() == []
    out, status = command("--check")
    assert status == 0 and "No visit holds" in out
    assert warnings() == []
    assert not Finding.objects.filter(submission=second).exclude(status=Finding.Status.WITHDRAWN).exists()


def test_what_the_rule_allows_is_no_duplicate(field, alice, dora, phone):
    """An officer's own several firsts, a correction of a colleague's, and a checklist filled
    several per visit (the ILO screening, one per person) sent by two officers."""
    alices_phone, doras_phone = phone(alice), phone(dora)
    sent(alices_phone, field.revealed, field.venue_version)
    own = sent(alices_phone, field.revealed, field.venue_version)
    sent(doras_phone, field.revealed, field.venue_version, replaces=str(own.uuid))
    sent(alices_phone, field.revealed, field.screening_version)
    sent(doras_phone, field.revealed, field.screening_version)
    assert checklist_duplicates() == []
    assert command("--check")[1] == 0
    assert warnings() == []


@pytest.mark.parametrize("user", ["alice", "dora"])
def test_the_admins_filter_is_the_administrators(field, alice, dora, phone, client, user):
    """Officers have no admin: the filter names nothing to them."""
    from tests.conftest import PASSWORD

    legacy_duplicate(field, alice, dora, phone)
    officer = {"alice": alice, "dora": dora}[user]
    client.post("/admin/login/", {"username": officer.user.username, "password": PASSWORD})
    response = client.get("/admin/inspections/submission/?duplicate=yes")
    assert response.status_code in (302, 403)
    assert str(field.revealed.uuid) not in response.content.decode()
