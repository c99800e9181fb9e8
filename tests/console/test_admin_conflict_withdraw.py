"""An administrator withdraws declarations of conflicts of interest for officers who cannot do it
from their phone (a lost phone, a leaver): through the admin's action, as the phone does it
(kept, marked withdrawn, audited as ``conflict_withdraw``), and only their own agency's.

The world is tests/console/test_admin_operational_scope.py's: Dina administers the labour bureau
(DSAL); Bob is a DSAL inspector, Alice a police (PSP) one. Dina signs in through the console's
sign-in page."""

from __future__ import annotations

import pytest

from backend.audit.models import AuditEntry
from backend.registry.models import ConflictOfInterest
from tests import factories
from tests.console.test_admin_operational_scope import dina, world  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db

LIST = "/admin/registry/conflictofinterest/"


def _withdraw(client, *conflicts: ConflictOfInterest):
    return client.post(
        LIST,
        {"action": "withdraw_selected", "_selected_action": [c.pk for c in conflicts]},
        follow=True,
    )


def test_an_administrator_withdraws_their_agencys_declarations_not_anothers(dina, alice, bob):  # noqa: F811
    cousin = ConflictOfInterest.objects.create(
        officer=bob, site=factories.site(), reason="cousin works there"
    )
    police = ConflictOfInterest.objects.create(officer=alice, site=factories.site(), reason="brother")

    page = _withdraw(dina, cousin, police)
    assert page.status_code == 200
    assert "1 declaration withdrawn" in page.content.decode()
    cousin.refresh_from_db()
    police.refresh_from_db()
    assert cousin.withdrawn_at is not None  # kept, marked withdrawn
    assert police.withdrawn_at is None  # another agency's officer: out of Dina's reach
    entry = AuditEntry.objects.get(verb="conflict_withdraw")
    assert entry.object_id == str(cousin.uuid)
    assert entry.actor.username == "dina"

    # Again: nothing changes, and the page says so; the first time stays.
    first = cousin.withdrawn_at
    again = _withdraw(dina, cousin)
    assert "already withdrawn" in again.content.decode()
    cousin.refresh_from_db()
    assert cousin.withdrawn_at == first
    assert AuditEntry.objects.filter(verb="conflict_withdraw").count() == 1
